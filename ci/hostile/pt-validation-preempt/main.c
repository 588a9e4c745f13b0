/* SPDX-License-Identifier: MIT */
/*
 * pt-validation-preempt: make the hypervisor validate and devalidate a
 * million page-table entries per operation, dozens of times in one
 * hypercall: two unpinned L2s, each with 1000 full L1s, alternated as CR3
 * by one mmuext_op batch and by batches inside a multicall.
 *
 * Rule (abi.md 2.4): a long batch is preempted between its elements and
 * continued, so interrupts, events and other domains run while it is in
 * progress; and the continued batch still does exactly what was asked
 * (every element once, done and results right).
 * Why it matters: hypercalls run with interrupts off; without preemption
 * one guest could hold the only CPU for hours with a few hypercalls.
 */
#include <pt.h>

const char test_title[] = "pt-validation-preempt: long validation batches are preempted";

#define NL1		1000	/* L1 tables under each L2 */
#define FIRST_SLOT	8	/* above the guest's own 32 MiB */
#define SWITCHES	24

static struct xeno_mmuext_op ops[SWITCHES];
static struct xeno_mmuext_op mc_ops[2][8];

/* An L2 whose slots FIRST_SLOT.. hold NL1 L1s, each mapping 'page' 1024 times. */
static uint32_t *make_l2(uint32_t *page)
{
	uint32_t *l2 = alloc_page();

	memcpy(l2, l2_table(), FIRST_SLOT * 4);
	for (unsigned int s = FIRST_SLOT; s < FIRST_SLOT + NL1; s++) {
		uint32_t *l1 = alloc_page();

		for (unsigned int i = 0; i < 1024; i++)
			l1[i] = mkpte(virt_to_mfn(page), PTE_RO_FLAGS);
		EXPECT_EQ(set_rw(l1, false), 0);
		l2[s] = mkpte(virt_to_mfn(l1), L2E_FLAGS);
	}
	EXPECT_EQ(set_rw(l2, false), 0);
	return l2;
}

static void attack(void)
{
	uint32_t *page = alloc_page(), home = cur_l2_mfn(), done = 0;
	uint32_t *l2a, *l2b, a, b;
	struct mc m = { .n = 0 };
	long rc;

	CHECK((uint32_t)l2_table() < (FIRST_SLOT << 22), "the guest reaches into slot %u",
	      FIRST_SLOT);
	page[5] = 0x5a5a;
	l2a = make_l2(page);
	l2b = make_l2(page);
	a = virt_to_mfn(l2a);
	b = virt_to_mfn(l2b);
	for (unsigned int i = 0; i < SWITCHES; i++)
		ops[i] = (struct xeno_mmuext_op){ XENO_MMUEXT_NEW_BASEPTR, i % 2 ? a : b, 0 };
	for (unsigned int j = 0; j < 2; j++)
		for (unsigned int i = 0; i < ARRAY_SIZE(mc_ops[j]); i++)
			mc_ops[j][i] = (struct xeno_mmuext_op){ XENO_MMUEXT_NEW_BASEPTR,
								i % 2 ? b : a, 0 };
	mc_add(&m, __HYPERVISOR_mmuext_op, (uint32_t)mc_ops[0], 8, 0, XENO_DOMID_SELF);
	mc_add(&m, __HYPERVISOR_xeno_version, XENO_VERSION_VERSION, 0, 0, 0);
	mc_add(&m, __HYPERVISOR_mmuext_op, (uint32_t)mc_ops[1], 8, (uint32_t)&done,
	       XENO_DOMID_SELF);

	hostile_busy(true);
	rc = HYPERCALL4(mmuext_op, ops, SWITCHES, &done, XENO_DOMID_SELF);
	EXPECT_EQ(rc, 0);
	EXPECT_EQ(done, SWITCHES);
	/* The last switch left b in CR3: slot FIRST_SLOT maps the page. */
	EXPECT_EQ(((volatile uint32_t *)(FIRST_SLOT << 22))[5], 0x5a5a);
	done = 0;
	EXPECT_EQ(mc_run(&m), 3);
	hostile_busy(false);
	EXPECT_EQ(m.e[0].result, 0);
	EXPECT_EQ(m.e[1].result, XENO_INTERFACE_VERSION);
	EXPECT_EQ(m.e[2].result, 0);
	EXPECT_EQ(done, 8);
	EXPECT_EQ(new_baseptr(home), 0);
	/* a and b are out of use: ordinary pages again, which may be writable. */
	EXPECT_EQ(set_rw(l2a, true), 0);
	EXPECT_EQ(set_rw(l2b, true), 0);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.flags = H_LIVENESS,
	.mem_kb = 20480,
	.attack = attack,
};
