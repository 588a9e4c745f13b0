/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event upcall's entry and the failsafe callback.
 *
 * The upcall: the hypervisor enters here with events masked and a
 * hardware-format frame.  If the event arrived inside the kernel's exit
 * sequence after it had unmasked events (xeno_iret_start_crit ..
 * xeno_iret_end_crit in entry_32.S), the frame below is the one that exit
 * was about to return with: drop the nested frame and handle the event on
 * that one, just as the exit itself does when it finds an event pending.
 *
 * The failsafe callback.  The hypervisor enters it when its own return to
 * us faulted reloading DS/ES/FS/GS (a selector we invalidated, e.g. through
 * the GDT) or in its iret; the frame is DS ES FS GS above the iret frame,
 * events are masked.  Reload each selector, replacing any that faults with
 * the null selector, and retry the return through the iret hypercall (which
 * restores the event mask from the frame's IF).
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <xeno/public/xeno.h>

#define NESTED_FRAME	12	/* EIP, CS, EFLAGS of a ring-1 to ring-1 bounce */

	.section .entry.text, "ax"
SYM_CODE_START(xeno_upcall_entry)
	cmpl	$xeno_iret_start_crit, (%esp)
	jb	1f
	cmpl	$xeno_iret_end_crit, (%esp)
	jae	1f
	testb	$2, 4(%esp)		/* paranoia: nested from ring 1 only */
	jnz	1f
	addl	$NESTED_FRAME, %esp
1:	jmp	asm_sysvec_xeno_callback
SYM_CODE_END(xeno_upcall_entry)

	.text
SYM_CODE_START(xeno_failsafe_callback)
1:	mov	0(%esp), %ds
2:	mov	4(%esp), %es
3:	mov	8(%esp), %fs
4:	mov	12(%esp), %gs
	addl	$16, %esp
	jmp	hypercall_page + __HYPERVISOR_iret * XENO_HYPERCALL_STUB_SIZE

5:	movl	$0, 0(%esp)
	jmp	1b
6:	movl	$0, 4(%esp)
	jmp	2b
7:	movl	$0, 8(%esp)
	jmp	3b
8:	movl	$0, 12(%esp)
	jmp	4b
	_ASM_EXTABLE(1b, 5b)
	_ASM_EXTABLE(2b, 6b)
	_ASM_EXTABLE(3b, 7b)
	_ASM_EXTABLE(4b, 8b)
SYM_CODE_END(xeno_failsafe_callback)
