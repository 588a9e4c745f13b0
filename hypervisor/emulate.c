/* SPDX-License-Identifier: MIT */
/*
 * Instruction emulation for two optional assists (vm_assist):
 *  - 4gb_segments: ring-3 accesses through a segment whose offset wraps past
 *    4 GiB (glibc's negative %gs TLS offsets), which the capped segment limit
 *    turns into #GP;
 *  - writable_pagetables: a single write by the guest kernel to an entry of
 *    one of its (read-only) L1 page tables, done as a validated update.
 */
#include <domain.h>
#include <traps.h>

bool emulate_4gb_segment(struct vcpu *v, struct cpu_regs *r)
{
	(void)v, (void)r;
	return false;	/* not yet: the #GP is bounced to the guest */
}

bool ptwr_emulate(struct vcpu *v, struct cpu_regs *r, uint32_t cr2)
{
	(void)v, (void)r, (void)cr2;
	return false;	/* not yet: the #PF is bounced to the guest */
}
