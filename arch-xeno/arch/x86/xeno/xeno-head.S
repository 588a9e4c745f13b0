/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xeno guest entry.  The domain builder enters startup_xeno in ring 1 with
 * paging on (all our memory mapped at PAGE_OFFSET, page tables read-only),
 * ESI = start_info, and events masked.  None of head_32.S runs: it is all
 * privileged.  The ELF notes tell the builder where things are.
 */
#include <linux/elfnote.h>
#include <linux/init.h>
#include <linux/linkage.h>
#include <asm/asm-offsets.h>
#include <asm/export.h>
#include <asm/page_types.h>
#include <asm/thread_info.h>
#include <xeno/public/elfnote.h>
#include <xeno/public/xeno.h>

	__HEAD
SYM_CODE_START(startup_xeno)
	cld
	movl	%esi, xeno_start_info
	movl	$(init_thread_union + THREAD_SIZE), %esp
	xorl	%ebp, %ebp
	call	xeno_start_kernel
1:	ud2				/* xeno_start_kernel never returns */
	jmp	1b
SYM_CODE_END(startup_xeno)

/* Filled by the domain builder with one 32-byte stub per hypercall. */
	.text
	.balign	PAGE_SIZE
SYM_CODE_START(hypercall_page)
	.skip	PAGE_SIZE, 0xcc
SYM_CODE_END(hypercall_page)
EXPORT_SYMBOL_GPL(hypercall_page)	/* the inline hypercall wrappers in modules */

	ELFNOTE(Xeno, XENO_ELFNOTE_GUEST_OS, .asciz "linux")
	ELFNOTE(Xeno, XENO_ELFNOTE_VIRT_BASE, .long __PAGE_OFFSET)
	ELFNOTE(Xeno, XENO_ELFNOTE_ENTRY, .long startup_xeno)
	ELFNOTE(Xeno, XENO_ELFNOTE_HYPERCALL_PAGE, .long hypercall_page)
	ELFNOTE(Xeno, XENO_ELFNOTE_INTERFACE, .long XENO_INTERFACE_VERSION)
