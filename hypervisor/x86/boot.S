/* SPDX-License-Identifier: MIT */
/*
 * Multiboot entry.  The loader jumps here with paging off, EAX = magic,
 * EBX = machine address of the multiboot information.  We check the CPU,
 * build the boot page directory (the direct map of machine 0-32 MiB at
 * DIRECTMAP_VIRT_START with 4 MiB global pages, plus a temporary identity map
 * of the first 4 MiB to survive turning paging on), and jump to the linked,
 * high address.  This code runs at its load (machine) address: its section is
 * linked there, and references to high symbols subtract DIRECTMAP_VIRT_START.
 */
#include <desc.h>
#include <memlayout.h>
#include <multiboot.h>
#include <page.h>

#define PHYS(sym)	((sym) - DIRECTMAP_VIRT_START)
#define CPUID_PSE	(1 << 3)
#define CPUID_PGE	(1 << 13)
#define COM1		0x3f8
#define BOOT_STACK_SIZE	16384

	.section .boot, "ax"
	.code32
	.align 4
	/* Multiboot header: must be in the first 8 KiB of the image. */
	.long MB_HEADER_MAGIC
	.long MB_HEADER_FLAGS
	.long -(MB_HEADER_MAGIC + MB_HEADER_FLAGS)

	.globl multiboot_entry
multiboot_entry:
	cli
	cld
	mov	%eax, %ebp			/* keep magic and info pointer */
	mov	%ebx, %esi
	lgdt	boot_gdt_ptr
	ljmp	$BOOT_CS, $1f
1:	mov	$BOOT_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	mov	$PHYS(boot_stack_top), %esp

	/* The direct map uses 4 MiB global pages: require PSE and PGE. */
	mov	$1, %eax
	cpuid
	and	$(CPUID_PSE | CPUID_PGE), %edx
	cmp	$(CPUID_PSE | CPUID_PGE), %edx
	jne	no_pse

	/* Clear .bss (the loader need not), then fill the boot L2 in it. */
	xor	%eax, %eax
	mov	$PHYS(__bss_start), %edi
	mov	$PHYS(__bss_end), %ecx
	sub	%edi, %ecx
	shr	$2, %ecx
	rep stosl

	mov	$PHYS(idle_pg_table), %ebx
	movl	$(_PAGE_PRESENT | _PAGE_RW | _PAGE_PSE), (%ebx)	/* identity 0-4 MiB */
	mov	$(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_PSE | _PAGE_GLOBAL), %eax
	lea	(SLOT_OF(DIRECTMAP_VIRT_START) * 4)(%ebx), %edx
	mov	$(DIRECTMAP_SIZE / SLOT_SIZE), %ecx
2:	mov	%eax, (%edx)
	add	$SLOT_SIZE, %eax
	add	$4, %edx
	loop	2b

	mov	%cr4, %eax
	or	$(CR4_PSE | CR4_PGE), %eax
	mov	%eax, %cr4
	mov	%ebx, %cr3
	mov	%cr0, %eax
	or	$(CR0_PG | CR0_WP), %eax
	mov	%eax, %cr0
	mov	$high_entry, %eax
	jmp	*%eax

/* No PSE/PGE: say so on COM1 (8N1, polled) and end the machine. */
no_pse:
	mov	$(COM1 + 3), %dx		/* line control: DLAB, then 8N1 */
	mov	$0x80, %al
	outb	%al, %dx
	mov	$COM1, %dx			/* divisor 1: 115200 baud */
	mov	$1, %al
	outb	%al, %dx
	inc	%dx
	xor	%al, %al
	outb	%al, %dx
	mov	$(COM1 + 3), %dx
	mov	$3, %al
	outb	%al, %dx
	mov	$no_pse_msg, %esi
3:	lodsb
	test	%al, %al
	jz	5f
	mov	%al, %bl
	mov	$(COM1 + 5), %dx
4:	inb	%dx, %al
	test	$0x20, %al
	jz	4b
	mov	$COM1, %dx
	mov	%bl, %al
	outb	%al, %dx
	jmp	3b
5:	mov	$0xf4, %dx			/* QEMU isa-debug-exit: fail */
	mov	$0x11, %al
	outb	%al, %dx
	mov	$bochs_shutdown, %esi		/* Bochs: "Shutdown" to 0x8900 */
	mov	$0x8900, %dx
6:	lodsb
	test	%al, %al
	jz	7f
	outb	%al, %dx
	jmp	6b
7:	hlt
	jmp	7b

bochs_shutdown:
	.asciz	"Shutdown"

no_pse_msg:
	.asciz	"Xeno: this CPU lacks PSE or PGE (4 MiB and global pages); cannot boot\r\n"

	.align 8
boot_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff		/* BOOT_CS: flat 32-bit ring-0 code */
	.quad	0x00cf92000000ffff		/* BOOT_DS: flat 32-bit ring-0 data */
boot_gdt_ptr:
	.word	boot_gdt_ptr - boot_gdt - 1
	.long	boot_gdt

	.text
high_entry:
	mov	$boot_stack_top, %esp
	push	%esi				/* multiboot info (machine address) */
	push	%ebp				/* loader magic; C checks it */
	xor	%ebp, %ebp			/* end of the frame-pointer chain */
	call	start_xeno
7:	hlt
	jmp	7b

	.bss
	.align PAGE_SIZE
	.globl boot_stack, boot_stack_top
boot_stack:
	.skip	BOOT_STACK_SIZE
boot_stack_top:
