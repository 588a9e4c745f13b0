/* SPDX-License-Identifier: MIT */
/*
 * Trap, interrupt and hypercall entry.  Every vector has a 16-byte stub that
 * makes the stack look the same (an error code, real or 0, then the vector
 * number) and jumps to common_entry, which completes struct cpu_regs
 * (include/regs.h) and calls trap_dispatch() in C.  The way out pops the
 * frame and irets, to the hypervisor or to a guest alike.
 *
 * Entries from a guest always land at the top of the hypervisor stack (TSS
 * esp0), so the running vCPU's frame is always at the same place
 * (guest_frame()); context switches swap its contents.
 */
#include <asm-offsets.h>
#include <desc.h>

#define STUB_SIZE	16

/* Vectors for which the CPU pushes an error code itself. */
#define HAS_ERROR_CODE(n) \
	((n) == 8 || ((n) >= 10 && (n) <= 14) || (n) == 17 || (n) == 21)

	.text
	.align	STUB_SIZE
	.globl	vector_stubs
vector_stubs:
	vector = 0
	.rept	256
	.align	STUB_SIZE
	.if	HAS_ERROR_CODE(vector) == 0
	pushl	$0
	.endif
	pushl	$vector
	jmp	common_entry
	vector = vector + 1
	.endr

/*
 * Save the interrupted context into struct cpu_regs, switch to hypervisor
 * data segments, and call trap_dispatch(regs).  FS and GS are zeroed so that
 * no guest selector stays live while the hypervisor runs.  A frame from
 * virtual-8086 mode is 16 bytes longer (the CPU pushed ES, DS, FS, GS above
 * SS): vm86_frame_fixup() moves it up to guest_frame() first.
 */
common_entry:
	push	%gs
	push	%fs
	push	%es
	push	%ds
	push	%eax
	push	%ebp
	push	%edi
	push	%esi
	push	%edx
	push	%ecx
	push	%ebx
	cld
	mov	$HYP_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%ss, %eax
	cmp	$HYP_DS, %ax
	jne	espfix_entry			/* the espfix iret faulted */
entry_flat:
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	testl	$ASM_EFLAGS_VM, REGS_eflags(%esp)
	jnz	vm86_entry
dispatch:
	push	%esp				/* struct cpu_regs * */
	call	trap_dispatch
	add	$4, %esp

/*
 * Pop the frame and iret.  Loading a guest's segment registers or the iret
 * itself can fault if the guest left bad selectors or a bad frame; the
 * exception-table entries send such faults to failsafe_fixup.  Segments are
 * loaded first, while ESP still points at the whole frame, so a fault there
 * pushes its own frame below ours and leaves ours intact.  If the iret
 * faults, the nested frame holds the guest's live registers and the C side
 * copies them back (traps.c: hypervisor_trap).  A return to a 16-bit stack
 * segment irets from the based stack segment espfix_prepare() set up, so
 * that ESP's upper half comes back as the guest's (traps.c: espfix).
 */
	.globl	ret_from_trap, ret_from_trap_iret, ret_from_trap_espfix_iret
ret_from_trap:
1:	mov	REGS_ds(%esp), %ds
2:	mov	REGS_es(%esp), %es
3:	mov	REGS_fs(%esp), %fs
4:	mov	REGS_gs(%esp), %gs
	pop	%ebx
	pop	%ecx
	pop	%edx
	pop	%esi
	pop	%edi
	pop	%ebp
	pop	%eax
	add	$(REGS_eip - REGS_ds), %esp	/* segments, vector, error code */
	cmpw	$0, %ss:espfix_ptr + 4		/* DS is the guest's by now */
	jne	espfix_iret
ret_from_trap_iret:
	iret
espfix_iret:
	lss	%ss:espfix_ptr, %esp		/* the same frame, at the offset wanted */
ret_from_trap_espfix_iret:
	iret
	.pushsection .ex_table, "a"
	.long	1b, failsafe_fixup
	.long	2b, failsafe_fixup
	.long	3b, failsafe_fixup
	.long	4b, failsafe_fixup
	.long	ret_from_trap_iret, failsafe_fixup
	.long	ret_from_trap_espfix_iret, failsafe_fixup
	.popsection

/* Off the based espfix stack: the same memory, addressed linearly again. */
espfix_entry:
	add	espfix_base, %esp
	mov	$HYP_DS, %eax
	mov	%eax, %ss
	jmp	entry_flat

/*
 * The guest frame at the top of the stack is whole again: start over from
 * it.  failsafe_bounce() turns it into a failsafe callback (or crashes the
 * domain and picks another), then we return anew.
 */
failsafe_fixup:
	mov	$HYP_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	lea	(boot_stack_top - REGS_SIZE), %esp
	push	%esp
	call	failsafe_bounce
	add	$4, %esp
	jmp	ret_from_trap

/* From virtual-8086 mode: the frame moves up; ESP follows it (traps.c). */
vm86_entry:
	push	%esp
	call	vm86_frame_fixup
	mov	%eax, %esp
	jmp	dispatch

/* Boot: run the first guest (or idle), with an empty frame to fill. */
	.globl	start_scheduling
start_scheduling:
	lea	(boot_stack_top - REGS_SIZE), %esp
	push	%esp
	call	exit_to_guest
	add	$4, %esp
	jmp	ret_from_trap

/*
 * Double fault: a task gate brings us here on the double-fault TSS's own
 * stack, whatever state the hypervisor was in.  The faulting context is in
 * the main TSS; C prints it and stops the machine.
 */
	.globl	double_fault_task
double_fault_task:
	cld
	call	do_double_fault
1:	hlt
	jmp	1b
