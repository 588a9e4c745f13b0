/* SPDX-License-Identifier: MIT */
/*
 * pt-mixed-updates: change one L1 entry (and one L2 entry with an entry of
 * the L1 below it) through mmu_update, update_va_mapping and the page-table
 * assist, interleaved in one multicall and in sequence, with refused updates
 * in between and a 4096-request batch, so that each path's reference counting
 * meets the others'.
 *
 * Rule (abi.md 5.1, 5.3, 6.1, 6.11): all three paths are the same update: new
 * references first, then the write, then the old ones dropped; a refused
 * update (and a batch from its failing request on) changes nothing.
 * Afterwards every frame's counts are exact: a page no longer mapped writable
 * can become a table, and when the domain dies every frame comes back (the
 * harness's leak check).
 * Why it matters: one reference too few and a frame is freed (or becomes a
 * table) while still mapped writable; one too many and memory leaks for good.
 */
#include <pt.h>

const char test_title[] = "pt-mixed-updates: three update paths on one entry";

#define MMU	__HYPERVISOR_mmu_update
#define UVA	__HYPERVISOR_update_va_mapping
#define BATCH	XENO_MMU_MAX_BATCH

static struct xeno_mmu_update big[BATCH];
static struct xeno_multicall_entry calls[XENO_MULTICALL_MAX];

static uint32_t va, e_ma, *e, own, am, bm;
static uint32_t *a, *b;

static void multicall_one_entry(void)
{
	struct xeno_mmu_update u[6] = {
		{ e_ma, mkpte(am, PTE_RW_FLAGS) }, { e_ma, mkpte(am, PTE_RO_FLAGS) },
		{ e_ma, mkpte(bm, PTE_RW_FLAGS) }, { e_ma, mkpte(bm, PTE_RW_FLAGS | PTE_PAT) },
		{ e_ma, mkpte(own, PTE_RW_FLAGS) },
		{ e_ma, mkpte(hostile_arg("victim", 0), PTE_RO_FLAGS) },
	};
	struct xeno_mmu_update trio[3] = { u[2], u[3], u[4] };
	uint32_t done = 99;
	struct mc m = { .n = 0 };

	mc_add(&m, MMU, (uint32_t)&u[0], 1, 0, XENO_DOMID_SELF);
	mc_add(&m, UVA, va, mkpte(bm, PTE_RW_FLAGS), XENO_UVMF_INVLPG, 0);
	mc_add(&m, MMU, (uint32_t)&u[1], 1, 0, XENO_DOMID_SELF);
	mc_add(&m, UVA, va, mkpte(am, PTE_RW_FLAGS), XENO_UVMF_INVLPG, 0);
	mc_add(&m, MMU, (uint32_t)&u[0], 1, 0, XENO_DOMID_SELF);	/* the same again */
	mc_add(&m, MMU, (uint32_t)&u[2], 1, 0, XENO_DOMID_SELF);
	EXPECT_EQ(mc_run(&m), 6);
	for (unsigned int i = 0; i < m.n; i++)
		EXPECT_EQ(m.e[i].result, 0);
	EXPECT_EQ(*e, mkpte(bm, PTE_RW_FLAGS));
	EXPECT_EQ(*(volatile uint32_t *)va, 0xb0);
	CHECK(frame_untyped(am), "a is still counted as mapped writable");
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, bm), -XENO_EBUSY);	/* e maps b writable */

	/* Refusals in the middle change nothing, and do not stop the multicall. */
	m.n = 0;
	mc_add(&m, MMU, (uint32_t)&u[5], 1, 0, XENO_DOMID_SELF);	/* -EPERM */
	mc_add(&m, UVA, va, mkpte(am, PTE_RW_FLAGS), XENO_UVMF_INVLPG, 0);
	mc_add(&m, MMU, (uint32_t)trio, 3, (uint32_t)&done, XENO_DOMID_SELF);
	mc_add(&m, UVA, va, mkpte(am, PTE_RW_FLAGS | PTE_G), XENO_UVMF_INVLPG, 0);
	mc_add(&m, UVA, va, mkpte(am, PTE_RW_FLAGS), 0x80, 0);	/* bad flags */
	EXPECT_EQ(mc_run(&m), 5);
	EXPECT_EQ(m.e[0].result, -XENO_EPERM);
	EXPECT_EQ(m.e[1].result, 0);
	EXPECT_EQ(m.e[2].result, -XENO_EINVAL);
	EXPECT_EQ(done, 1);				/* b written, PAT refused, own not */
	EXPECT_EQ(m.e[3].result, -XENO_EINVAL);
	EXPECT_EQ(m.e[4].result, -XENO_EINVAL);
	EXPECT_EQ(*e, mkpte(bm, PTE_RW_FLAGS));
	CHECK(frame_untyped(am), "a is still counted as mapped writable");
	EXPECT_EQ(update_va((void *)va, mkpte(own, PTE_RW_FLAGS), XENO_UVMF_INVLPG), 0);
	CHECK(frame_untyped(bm), "b is still counted as mapped writable");
}

static void assist_and_hypercalls(void)
{
	wpt_assist(true);
	EXPECT_EQ(wpt_store(e, mkpte(am, PTE_RW_FLAGS)), 0);
	EXPECT_EQ(update_va((void *)va, mkpte(bm, PTE_RW_FLAGS), XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(wpt_store(e, mkpte(bm, PTE_RO_FLAGS)), 0);
	EXPECT_EQ(mmu_update1(e_ma, mkpte(am, PTE_RW_FLAGS)), 0);
	EXPECT_EQ(wpt_store(e, mkpte(am, PTE_RW_FLAGS | PTE_G)), EXINFO(14, 3));
	EXPECT_EQ(wpt_store(e, mkpte(am, PTE_RW_FLAGS)), 0);	/* the same value */
	wpt_assist(false);
	EXPECT_EQ(flush_tlb(), 0);
	EXPECT_EQ(*(volatile uint32_t *)va, 0xa0);
	CHECK(frame_untyped(bm), "b is still counted as mapped");
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, am), -XENO_EBUSY);
	EXPECT_EQ(update_va((void *)va, mkpte(own, PTE_RW_FLAGS), XENO_UVMF_INVLPG), 0);
	CHECK(frame_untyped(am), "a is still counted as mapped writable");
}

/* A table hooked in, its entry changed, unhooked, in one multicall. */
static void l2_and_l1(void)
{
	uint32_t *t = alloc_page(), tm = virt_to_mfn(t), slot = l2e_maddr(cur_l2_mfn(), FREE_SLOT);
	struct xeno_mmu_update hookup = { slot, mkpte(tm, L2E_FLAGS) }, unhook = { slot, 0 };
	struct mc m = { .n = 0 };

	t[0] = mkpte(am, PTE_RW_FLAGS);
	EXPECT_EQ(set_rw(t, false), 0);
	mc_add(&m, MMU, (uint32_t)&hookup, 1, 0, XENO_DOMID_SELF);
	mc_add(&m, UVA, FREE_VA, mkpte(bm, PTE_RW_FLAGS), XENO_UVMF_INVLPG, 0);
	mc_add(&m, UVA, FREE_VA + PAGE_SIZE, mkpte(am, PTE_RO_FLAGS), XENO_UVMF_INVLPG, 0);
	mc_add(&m, MMU, (uint32_t)&unhook, 1, 0, XENO_DOMID_SELF);
	mc_add(&m, UVA, FREE_VA, mkpte(am, PTE_RW_FLAGS), XENO_UVMF_INVLPG, 0);
	mc_add(&m, MMU, (uint32_t)&hookup, 1, 0, XENO_DOMID_SELF);
	EXPECT_EQ(mc_run(&m), 6);
	EXPECT_EQ(m.e[0].result, 0);
	EXPECT_EQ(m.e[1].result, 0);
	EXPECT_EQ(m.e[2].result, 0);
	EXPECT_EQ(m.e[3].result, 0);
	EXPECT_EQ(m.e[4].result, -XENO_EINVAL);			/* no L1 there */
	EXPECT_EQ(m.e[5].result, 0);				/* revalidated */
	EXPECT_EQ(*(volatile uint32_t *)FREE_VA, 0xb0);
	EXPECT_EQ(*(volatile uint32_t *)(FREE_VA + PAGE_SIZE), 0xa0);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, bm), -XENO_EBUSY);
	EXPECT_EQ(mmu_update1(slot, 0), 0);
	EXPECT_EQ(flush_tlb(), 0);
	CHECK(frame_untyped(bm), "b is still counted as mapped writable");
	CHECK(frame_untyped(tm), "the L1 kept its type");
}

/* 4096 requests on one entry, and 256 multicall entries. */
static void long_batches(void)
{
	const uint32_t vals[4] = { mkpte(am, PTE_RW_FLAGS), mkpte(bm, PTE_RW_FLAGS),
				   mkpte(am, PTE_RO_FLAGS), 0 };
	uint32_t done = 0;

	for (unsigned int i = 0; i < BATCH; i++)
		big[i] = (struct xeno_mmu_update){ e_ma, vals[i % 4] };
	big[BATCH - 1].val = mkpte(bm, PTE_RW_FLAGS);
	EXPECT_EQ(HYPERCALL4(mmu_update, big, BATCH, &done, XENO_DOMID_SELF), 0);
	EXPECT_EQ(done, BATCH);
	EXPECT_EQ(*e, mkpte(bm, PTE_RW_FLAGS));
	CHECK(frame_untyped(am), "a is still counted as mapped writable");
	big[100].val |= PTE_G;
	EXPECT_EQ(HYPERCALL4(mmu_update, big, BATCH, &done, XENO_DOMID_SELF), -XENO_EINVAL);
	EXPECT_EQ(done, 100);
	EXPECT_EQ(*e, vals[99 % 4]);

	for (unsigned int i = 0; i < XENO_MULTICALL_MAX; i++) {
		calls[i] = (struct xeno_multicall_entry){ i % 2 ? UVA : MMU, -1, { 0 } };
		if (i % 2)
			calls[i].args[0] = va, calls[i].args[1] = vals[i % 4], calls[i].args[2] = 1;
		else
			calls[i].args[0] = (uint32_t)&big[i % 4], calls[i].args[1] = 1,
			calls[i].args[3] = XENO_DOMID_SELF;
	}
	EXPECT_EQ(HYPERCALL2(multicall, calls, XENO_MULTICALL_MAX), XENO_MULTICALL_MAX);
	for (unsigned int i = 0; i < XENO_MULTICALL_MAX; i++)
		if (calls[i].result)
			xtf_failure("multicall entry %u: %d", i, calls[i].result);
	EXPECT_EQ(*e, vals[3]);
	EXPECT_EQ(update_va((void *)va, mkpte(own, PTE_RW_FLAGS), XENO_UVMF_INVLPG), 0);
	CHECK(frame_untyped(am) && frame_untyped(bm), "a or b still counted as mapped writable");
}

static void attack(void)
{
	va = spare_va();
	e = pte_of(va);
	e_ma = pte_maddr(va);
	own = virt_to_mfn((void *)va);
	a = alloc_page(), b = alloc_page();
	am = virt_to_mfn(a), bm = virt_to_mfn(b);
	a[0] = 0xa0, b[0] = 0xb0;		/* bit 0 clear: valid as L1 entries */
	EXPECT_EQ(set_rw(a, false), 0);		/* e is their only writable way */
	EXPECT_EQ(set_rw(b, false), 0);
	CHECK(frame_untyped(am) && frame_untyped(bm), "a or b typed from the start");
	multicall_one_entry();
	assist_and_hypercalls();
	l2_and_l1();
	long_batches();
	EXPECT_EQ(*e, mkpte(own, PTE_RW_FLAGS));
	*(volatile uint32_t *)va = 5;
	EXPECT_EQ(*(volatile uint32_t *)va, 5);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
