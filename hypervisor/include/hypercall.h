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
	X(dom0_op, 1)				\
	X(vdev_op, 2)

#define HC_ARGS0 void
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

/*
 * Preemption of long hypercalls.  Hypercalls run with interrupts off, so a
 * batch of expensive operations (each one may validate a thousand page
 * tables) must not run to its end in one go.  The work done is counted
 * where it is done, in units of about one page-table entry examined: a
 * page-table entry or descriptor checked, a page cleared (1024), a batch
 * element or multicall entry itself (HYPERCALL_ELEMENT_WORK); the counter
 * starts at 0 with each "int $0x82" and nothing else resets it, so a
 * multicall and the batches inside it share one budget.  A batch checks
 * hypercall_preempt_check() between its elements and, once the budget of
 * one call is spent, returns through hypercall_continue() with the
 * arguments that finish the rest: the guest's EIP goes back to its
 * "int $0x82", which it re-executes (with these arguments in its
 * registers) after any interrupt, event or other domain has had its turn.
 * Inside a multicall the batch's entry is rewritten instead, and the
 * multicall continues itself from that entry.
 */
#define HYPERCALL_WORK_BUDGET	16384	/* ~one L2 and 15 L1s validated */
#define HYPERCALL_ELEMENT_WORK	16	/* one batch element or multicall entry itself */
extern uint32_t hypercall_work;

static inline void hypercall_count_work(uint32_t units)
{
	hypercall_work += units;
}

static inline bool hypercall_preempt_check(void)
{
	return hypercall_work >= HYPERCALL_WORK_BUDGET;
}

/* Finish this call later as nr(args[0..4]); the caller returns at once. */
void hypercall_continue(uint32_t nr, const uint32_t args[5]);

/* A batch count that carries its progress (XENO_BATCH_CONTINUED). */
static inline uint32_t batch_count_continued(uint32_t done, uint32_t left)
{
	return XENO_BATCH_CONTINUED | done << 16 | left;
}

/* Split a guest's count into done and left; false if it is past max. */
static inline bool batch_count_split(uint32_t count, uint32_t max, uint32_t *done,
				     uint32_t *left)
{
	if (!(count & XENO_BATCH_CONTINUED)) {
		*done = 0, *left = count;
		return count <= max;
	}
	*done = (count >> 16) & 0x7fff, *left = count & 0xffff;
	return *left >= 1 && *done + *left <= max;
}

#endif
