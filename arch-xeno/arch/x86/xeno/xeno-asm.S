/* SPDX-License-Identifier: GPL-2.0 */
/*
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
