/* SPDX-License-Identifier: MIT */
/*
 * The hypercall table: one line per call, giving its handler's name and
 * argument count.  It generates the prototypes and the dispatcher (B2).
 */
#ifndef XENO_HYPERCALL_H
#define XENO_HYPERCALL_H

#include <public/xeno.h>
#include <types.h>

#define HYPERCALL_TABLE(X)			\
	X(set_trap_table, 1)			\
	X(mmu_update, 4)			\
	X(set_gdt, 2)				\
	X(stack_switch, 2)			\
	X(set_callbacks, 4)			\
	X(fpu_taskswitch, 1)			\
	X(sched_op, 2)				\
	X(set_timer_op, 2)			\
	X(set_debugreg, 2)			\
	X(get_debugreg, 1)			\
	X(update_descriptor, 3)			\
	X(memory_op, 2)				\
	X(multicall, 2)				\
	X(update_va_mapping, 3)			\
	X(event_channel_op, 2)			\
	X(xeno_version, 2)			\
	X(console_io, 3)			\
	X(iret, 0)				\
	X(vm_assist, 2)				\
	X(mmuext_op, 4)				\
	X(dom0_op, 1)

#define HC_ARGS0
#define HC_ARGS1 uint32_t
#define HC_ARGS2 uint32_t, uint32_t
#define HC_ARGS3 uint32_t, uint32_t, uint32_t
#define HC_ARGS4 uint32_t, uint32_t, uint32_t, uint32_t
#define HC_ARGS5 uint32_t, uint32_t, uint32_t, uint32_t, uint32_t
#define HC_PROTOTYPE(name, n) long do_##name(HC_ARGS##n);
HYPERCALL_TABLE(HC_PROTOTYPE)
#undef HC_PROTOTYPE

struct cpu_regs;
long hypercall_dispatch(uint32_t nr, const uint32_t *args);
void do_hypercall(struct cpu_regs *regs);
extern bool in_multicall;

#endif
