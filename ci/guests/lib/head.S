/* SPDX-License-Identifier: MIT */
/*
 * Test guest entry.  The domain builder enters here in ring 1 with ESI =
 * start_info and ESP at the top of the bootstrap stack (public/xeno.h).
 * The Xeno note tells the builder our virtual base and where the hypercall
 * page is.
 */
#include <public/elfnote.h>
#include <public/xeno.h>

#define GUEST_VIRT_BASE	0x00400000

	.section .note.xeno, "a"
	.macro	xeno_note type, size
	.long	5, \size, \type		/* namesz ("Xeno\0"), descsz, type */
	.asciz	"Xeno"
	.balign	4
	.endm
	xeno_note XENO_ELFNOTE_GUEST_OS, 12
	.asciz	"xeno-test"
	.balign	4
	xeno_note XENO_ELFNOTE_VIRT_BASE, 4
	.long	GUEST_VIRT_BASE
	xeno_note XENO_ELFNOTE_ENTRY, 4
	.long	_start
	xeno_note XENO_ELFNOTE_HYPERCALL_PAGE, 4
	.long	hypercall_page
	xeno_note XENO_ELFNOTE_INTERFACE, 4
	.long	XENO_INTERFACE_VERSION

	.text
	.globl	_start
_start:
	cld
	mov	%esi, start_info_ptr
	lea	boot_stack_end, %esp		/* our own stack, in .bss */
	xor	%ebp, %ebp
	call	guest_start			/* never returns */
1:	hlt					/* ring 1: #GP, so never silent */
	jmp	1b

	.balign	4096
	.globl	hypercall_page
hypercall_page:					/* filled by the builder */
	.fill	4096, 1, 0xcc

	.bss
	.balign	16
boot_stack:
	.skip	16384
	.globl	boot_stack_end
boot_stack_end:
	.globl	start_info_ptr
	.data
start_info_ptr:
	.long	0
