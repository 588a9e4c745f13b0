/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual interrupt flag of a Xeno guest: the event mask byte in the
 * vCPU's shared info (1 = events masked, "interrupts off").  The real IF is
 * always on in ring 1; cli/sti would #GP.  Enabling is "unmask, then look":
 * an event that became pending while masked is delivered by any hypercall.
 */
#ifndef _ASM_X86_XENO_IRQFLAGS_H
#define _ASM_X86_XENO_IRQFLAGS_H

#ifndef __ASSEMBLY__
#include <linux/compiler.h>
#include <linux/types.h>
#include <asm/processor-flags.h>
#include <xeno/public/xeno.h>

extern struct xeno_shared_info xeno_shared_info;
void xeno_force_event_delivery(void);
void xeno_safe_halt(void);
void xeno_halt(void);

#define XENO_UPCALL_MASK	(xeno_shared_info.vcpu_info[0].evtchn_upcall_mask)
#define XENO_UPCALL_PENDING	(xeno_shared_info.vcpu_info[0].evtchn_upcall_pending)

static __always_inline unsigned long arch_local_save_flags(void)
{
	return READ_ONCE(XENO_UPCALL_MASK) ? 0 : X86_EFLAGS_IF;
}

static __always_inline void arch_local_irq_disable(void)
{
	WRITE_ONCE(XENO_UPCALL_MASK, 1);
	barrier();	/* nothing moves above the mask */
}

static __always_inline void arch_local_irq_enable(void)
{
	/*
	 * Compiler barriers only: on one vCPU the hypervisor sets "pending"
	 * only while we are stopped in a trap, which serializes.
	 */
	barrier();
	WRITE_ONCE(XENO_UPCALL_MASK, 0);
	barrier();
	if (READ_ONCE(XENO_UPCALL_PENDING))
		xeno_force_event_delivery();
}

static inline __cpuidle void arch_safe_halt(void)
{
	xeno_safe_halt();
}

static inline __cpuidle void halt(void)
{
	xeno_halt();
}

static __always_inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	arch_local_irq_disable();
	return flags;
}
#endif /* __ASSEMBLY__ */

#endif /* _ASM_X86_XENO_IRQFLAGS_H */
