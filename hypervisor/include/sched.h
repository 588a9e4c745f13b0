/* SPDX-License-Identifier: MIT */
/* The BVT scheduler and the vCPU state machine. */
#ifndef XENO_SCHED_H
#define XENO_SCHED_H

#include <domain.h>

/* Context switch allowance: how far (in ns of its own running) the running
 * vCPU may pass the next one's virtual time before it is preempted. */
#define BVT_CTX_ALLOW_NS	5000000ull
#define BVT_DEFAULT_MCU_ADVANCE	10
#define BVT_MAX_MCU_ADVANCE	1000

extern bool need_resched;

void sched_init_vcpu(struct vcpu *v);
void sched_add(struct vcpu *v);		/* runnable, on the queue */
void sched_remove(struct vcpu *v);	/* off the queue */
void schedule(void);			/* pick and switch to the next vCPU */
void vcpu_wake(struct vcpu *v);		/* blocked -> runnable */
void vcpu_block(struct vcpu *v);
int sched_set_bvt(struct vcpu *v, const struct xeno_bvt_params *p);
void sched_get_bvt(const struct vcpu *v, struct xeno_bvt_params *p);
void exit_to_guest(struct cpu_regs *regs);
void __noreturn start_scheduling(void);

/* BVT arithmetic, pure (host-tested). */
void bvt_charge(struct bvt *b, uint64_t ran_ns);
void bvt_wake(struct bvt *b, uint64_t svt, uint64_t now);
void bvt_update_warp(struct bvt *b, uint64_t now);
uint64_t bvt_slice_ns(const struct bvt *cur, const struct bvt *next);

#endif
