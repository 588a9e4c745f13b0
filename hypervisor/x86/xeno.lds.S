/* SPDX-License-Identifier: MIT */
/*
 * Link the hypervisor at HYPERVISOR_VIRT_BASE (its place in the direct map)
 * and load it at HYPERVISOR_PHYS_START.  The .boot section runs before paging
 * is on, so it is linked at its load address.
 */
#include <memlayout.h>

OUTPUT_FORMAT("elf32-i386")
OUTPUT_ARCH(i386)
ENTRY(multiboot_entry)

PHDRS
{
	boot PT_LOAD FLAGS(5);		/* R X */
	text PT_LOAD FLAGS(5);
	data PT_LOAD FLAGS(6);		/* R W */
}

SECTIONS
{
	. = HYPERVISOR_PHYS_START;
	.boot : { *(.boot) } :boot
	. = ALIGN(4096) + DIRECTMAP_VIRT_START;
	__image_start = HYPERVISOR_VIRT_BASE;

	.text : AT(ADDR(.text) - DIRECTMAP_VIRT_START) {
		*(.text .text.*)
	} :text
	.rodata : AT(ADDR(.rodata) - DIRECTMAP_VIRT_START) {
		*(.rodata .rodata.*)
	}
	.ex_table : AT(ADDR(.ex_table) - DIRECTMAP_VIRT_START) {
		__start_ex_table = .;
		*(.ex_table)
		__stop_ex_table = .;
	}
	. = ALIGN(4096);
	.data : AT(ADDR(.data) - DIRECTMAP_VIRT_START) {
		*(.data .data.*)
	} :data
	. = ALIGN(4096);
	__bss_start = .;
	.bss : AT(ADDR(.bss) - DIRECTMAP_VIRT_START) {
		*(.bss .bss.*)
		*(COMMON)
	}
	. = ALIGN(4096);
	__bss_end = .;
	__image_end = .;

	/DISCARD/ : { *(.note.gnu.property) *(.comment) *(.eh_frame) }
}
