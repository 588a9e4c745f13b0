/* SPDX-License-Identifier: MIT */
/*
 * Test-guest trap entry.  The hypervisor bounces exceptions, events and the
 * failsafe callback here with a hardware-format frame; each stub pushes an
 * error code (0 if the CPU had none) and a vector number, and the common
 * path saves the registers as struct gregs (guest.h) and calls guest_trap().
 * The way back is a native iret (ring 1 -> ring 1 or 3).
 */
#define VEC_EVENT	0x100
#define VEC_FAILSAFE	0x101
#define HAS_EC(n)	((n) == 8 || ((n) >= 10 && (n) <= 14) || (n) == 17)

	.text
	.balign	16
	.globl	trap_stubs
trap_stubs:
	vec = 0
	.rept	256
	.balign	16
	.if	HAS_EC(vec) == 0
	pushl	$0
	.endif
	pushl	$vec
	jmp	trap_common
	vec = vec + 1
	.endr

	.globl	event_entry
event_entry:
	pushl	$0
	pushl	$VEC_EVENT
	jmp	trap_common

/*
 * Failsafe frame: DS ES FS GS below EIP.  The hypervisor has zeroed all four
 * data selectors, so reload DS and ES before any memory access (a null DS
 * faults where segments are enforced), keep a copy of the four for the test
 * (failsafe_segs, guest.h), and drop them (they failed to load).
 */
	.globl	failsafe_entry
failsafe_entry:
	push	%eax
	mov	$0xE021, %eax			/* XENO_FLAT_RING1_DS */
	mov	%eax, %ds
	mov	%eax, %es
	mov	4(%esp), %eax
	mov	%eax, failsafe_segs		/* DS */
	mov	8(%esp), %eax
	mov	%eax, failsafe_segs + 4		/* ES */
	mov	12(%esp), %eax
	mov	%eax, failsafe_segs + 8		/* FS */
	mov	16(%esp), %eax
	mov	%eax, failsafe_segs + 12	/* GS */
	pop	%eax
	add	$16, %esp
	pushl	$0
	pushl	$VEC_FAILSAFE
	jmp	trap_common

trap_common:
	pushal
	push	%esp			/* struct gregs * */
	call	guest_trap
	add	$4, %esp
	popal
	add	$8, %esp		/* vector, error code */
	iret

/*
 * uint32_t probe_exec(uint32_t va): call va; if anything faults there (or
 * the call itself faults), come back with EAX = exinfo.
 */
	.globl	probe_exec, probe_exec_fixup
probe_exec:
	push	%ebp
	push	%ebx
	push	%esi
	push	%edi
	mov	20(%esp), %ecx
	mov	%esp, probe_saved_esp
	mov	%ecx, probe_exec_target
	xor	%eax, %eax
1:	call	*%ecx
probe_exec_fixup:
	mov	probe_saved_esp, %esp
	movl	$0, probe_exec_target
	pop	%edi
	pop	%esi
	pop	%ebx
	pop	%ebp
	ret
	.pushsection .ex_table, "a"
	.long	1b, probe_exec_fixup
	.popsection

/*
 * uint32_t ring3_call(fn, arg, user_esp): iret to ring 3 running fn(arg);
 * fn's result comes back through "int $0x81", which the library's handler
 * turns into a jump to ring3_exit (in ring 1, on the stack_switch stack).
 */
	.globl	ring3_call, ring3_exit
ring3_call:
	push	%ebp
	push	%ebx
	push	%esi
	push	%edi
	mov	%esp, ring3_saved_esp
	mov	20(%esp), %ecx			/* fn */
	mov	24(%esp), %edx			/* arg */
	mov	28(%esp), %eax			/* user stack top */
	pushl	$0xE033				/* SS: XENO_FLAT_RING3_DS */
	pushl	%eax				/* ESP */
	pushl	$0x202				/* EFLAGS: IF */
	pushl	$0xE02B				/* CS: XENO_FLAT_RING3_CS */
	pushl	$ring3_trampoline
	iret
ring3_trampoline:				/* ring 3 */
	mov	$0xE033, %eax
	mov	%eax, %ds
	mov	%eax, %es
	push	%edx
	call	*%ecx
	int	$0x81				/* EAX = result */
ring3_exit:					/* ring 1 again */
	mov	ring3_saved_esp, %esp
	mov	$0xE021, %ecx			/* XENO_FLAT_RING1_DS */
	mov	%ecx, %ds
	mov	%ecx, %es
	pop	%edi
	pop	%esi
	pop	%ebx
	pop	%ebp
	ret

	.data
	.globl	failsafe_segs
failsafe_segs:		.long 0, 0, 0, 0
probe_saved_esp:	.long 0
ring3_saved_esp:	.long 0
