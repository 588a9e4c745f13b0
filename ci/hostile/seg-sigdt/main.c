/* SPDX-License-Identifier: MIT */
/*
 * seg-sigdt: the proof of concept build/poc/sigdt: make the shared_info frame
 * a GDT, LDT or page table after mapping it read-only, put a not-present call
 * gate to the hypervisor's CS into its pending bitmap, raise the event that
 * would set its P bit, and lcall through it.
 *
 * Rule (abi.md 5.1, 5.6, 9): shared_info holds a permanent writable type
 * reference: set_gdt, SET_LDT and pinning it are -EBUSY, update_descriptor
 * -EINVAL; the lcall faults (#GP or #NP) in ring 1.
 * Why it matters: (the defect this was, fixed) the hypervisor itself set the P
 * bit of the forged gate, and the guest's code ran with the hypervisor's CS.
 */
#include <seg.h>

const char test_title[] = "seg-sigdt: shared_info as a descriptor page (call gate to ring 0)";

static volatile uint32_t r0_cs = 0xffffffff;
void ring0_fn(void);
asm(".text\n.globl ring0_fn\nring0_fn:\n"
    " mov %cs, %eax\n mov %eax, r0_cs\n lret\n");

static uint32_t lcall_gate(void)
{
	uint32_t ex = 0;

	asm volatile("1: lcall $0x103, $0\n2:\n" ASM_EXTABLE(1b, 2b) : "+a"(ex) : : "memory");
	return ex;
}

static void attack(void)
{
	struct xeno_shared_info *s = shared_info;
	uint32_t si = start_info->shared_info_mfn, va = (uint32_t)s, frames[1] = { si }, ex;
	uint32_t target = (uint32_t)ring0_fn;
	struct xeno_evtchn_bind_interdomain b = { XENO_DOMID_SELF, 0, 0, 0 };
	long port = 0;

	local_irq_disable();
	/* Ports 1..47 unbound to ourselves; a loopback onto 47 (port 48). */
	while (port >= 0 && port < 47)
		port = port_alloc(XENO_DOMID_SELF);
	b.remote_port = 47;
	CHECK(port == 47 && evtchn_op(XENO_EVTCHNOP_bind_interdomain, &b) == 0,
	      "cannot set up ports 1-48 (%ld)", port);
	memset(s->evtchn_pending, 0, sizeof(s->evtchn_pending));
	memset(s->evtchn_mask, 0, sizeof(s->evtchn_mask));
	/* Descriptor 32 = pending words 0 and 1: a DPL-3 call gate to HYP_CS, P clear. */
	s->evtchn_pending[0] = (HYP_CS << 16) | (target & 0xffff);
	s->evtchn_pending[1] = (target & 0xffff0000u) | (3u << 13) | (SYS_CALL << 8);

	EXPECT_EQ(page_set_ro(s, true), 0);
	EXPECT_EQ(HYPERCALL2(set_gdt, frames, 512), -XENO_EBUSY);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_SET_LDT, va, 512), -XENO_EBUSY);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_PIN_L1_TABLE, si, 0), -XENO_EBUSY);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_PIN_L2_TABLE, si, 0), -XENO_EBUSY);
	EXPECT_EQ(HYPERCALL3(update_descriptor, si << PAGE_SHIFT | 32 * 8, 0, 0), -XENO_EINVAL);
	EXPECT_EQ(page_set_ro(s, false), 0);	/* the library writes vcpu_info on traps */
	/* The event: bit 47 set in the hypervisor's copy, never in a descriptor. */
	EXPECT_EQ(port_op(XENO_EVTCHNOP_send, b.local_port), 0);
	CHECK(s->evtchn_pending[1] & (1u << 15), "the event did not arrive");
	ex = lcall_gate();
	CHECK(EXINFO_VEC(ex) == 13 || EXINFO_VEC(ex) == 11, "lcall $0x103: exinfo %08x", ex);
	CHECK(r0_cs == 0xffffffff, "ring0_fn ran with CS %04x", r0_cs);
	s->evtchn_pending[0] = s->evtchn_pending[1] = 0;
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
