/* SPDX-License-Identifier: MIT */
/*
 * pt-writable-l1: ask for a writable mapping of one of our own L1 tables: the
 * bootstrap L1 in use, a pinned L1, an L1 only hooked into the L2; by
 * update_va_mapping, mmu_update, multicall and the writable page-table
 * assist, and through a new L1 that maps itself or another L1 writable.
 *
 * Rule (abi.md 5.1, 5.2): a frame in use as a page table is never mapped
 * writable: -EBUSY, and the refused update changes nothing; once the table is
 * out of use it is an ordinary page again.
 * Why it matters: a writable view of its own L1 lets a guest put any machine
 * frame in it, past every check: all of memory, the hypervisor's and other
 * domains'.
 */
#include <pt.h>

const char test_title[] = "pt-writable-l1: a writable mapping of our own L1";

static uint32_t *data;

/* Hook t into the free L2 slot: what FREE_VA then shows. */
static long hook(uint32_t *t)
{
	return mmu_update1(l2e_maddr(cur_l2_mfn(), FREE_SLOT), t ? mkpte(virt_to_mfn(t), L2E_FLAGS)
								 : 0);
}

/* A new L1 whose entry 3 is e: refused as a table with want, and not left typed. */
static void refuse_table(const char *what, uint32_t e, long want)
{
	uint32_t *t = alloc_page(), slot = l2_table()[FREE_SLOT];

	t[3] = e;
	EXPECT_EQ(set_rw(t, false), 0);
	if (pin(XENO_MMUEXT_PIN_L1_TABLE, virt_to_mfn(t)) != want)
		xtf_failure("pinning an L1 with %s: not %ld", what, want);
	if (hook(t) != want)
		xtf_failure("hooking an L1 with %s into the L2: not %ld", what, want);
	EXPECT_EQ(l2_table()[FREE_SLOT], slot);
	EXPECT_EQ(set_rw(t, true), 0);		/* an ordinary page again */
}

static void attack(void)
{
	uint32_t boot_l1 = l2_table()[(uint32_t)data >> 22] >> PAGE_SHIFT;
	uint32_t *boot_l1_va = mfn_va(boot_l1), boot_l1_pte = *pte_of((uint32_t)boot_l1_va);
	uint32_t *t = alloc_table(), tm = virt_to_mfn(t);

	/* The bootstrap L1, in use through the L2 in CR3. */
	CHECK(!(boot_l1_pte & PTE_RW), "the bootstrap L1 is mapped writable");
	expect_pte_refused("bootstrap L1", mkpte(boot_l1, PTE_RW_FLAGS), -XENO_EBUSY);
	EXPECT_EQ(set_rw(boot_l1_va, true), -XENO_EBUSY);
	EXPECT_EQ(*pte_of((uint32_t)boot_l1_va), boot_l1_pte);
	wpt_assist(true);
	EXPECT_EQ(wpt_store(pte_of((uint32_t)boot_l1_va), boot_l1_pte | PTE_RW), EXINFO(14, 3));
	wpt_assist(false);
	EXPECT_EQ(*pte_of((uint32_t)boot_l1_va), boot_l1_pte);
	EXPECT_EQ(probe_write((uint32_t)boot_l1_va + 4 * 1023, 0), EXINFO(14, 3));

	/* A pinned L1 that no L2 uses. */
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, tm), 0);
	expect_pte_refused("pinned L1", mkpte(tm, PTE_RW_FLAGS), -XENO_EBUSY);
	EXPECT_EQ(set_rw(t, true), -XENO_EBUSY);
	/* Hooked as well, then only hooked. */
	EXPECT_EQ(mmu_update1(l1e_maddr(tm, 0), mkpte(virt_to_mfn(data), PTE_RO_FLAGS)), 0);
	EXPECT_EQ(hook(t), 0);
	EXPECT_EQ(unpin(tm), 0);
	expect_pte_refused("L1 hooked into the L2", mkpte(tm, PTE_RW_FLAGS), -XENO_EBUSY);
	EXPECT_EQ(set_rw(t, true), -XENO_EBUSY);
	EXPECT_EQ(*(volatile uint32_t *)FREE_VA, 0xda7a);	/* it still maps data */
	EXPECT_EQ(probe_write(FREE_VA, 1), EXINFO(14, 3));	/* read-only, as it says */

	/* Tables that would map an L1 (or themselves) writable. */
	refuse_table("a writable entry for the bootstrap L1", mkpte(boot_l1, PTE_RW_FLAGS),
		     -XENO_EBUSY);
	refuse_table("a writable entry for the hooked L1", mkpte(tm, PTE_RW_FLAGS), -XENO_EBUSY);
	{
		uint32_t *self = alloc_page();

		self[7] = mkpte(virt_to_mfn(self), PTE_RW_FLAGS);
		EXPECT_EQ(set_rw(self, false), 0);
		EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, virt_to_mfn(self)), -XENO_EBUSY);
		EXPECT_EQ(set_rw(self, true), 0);
	}

	/* Out of use, an L1 is an ordinary page again. */
	EXPECT_EQ(hook(NULL), 0);
	EXPECT_EQ(flush_tlb(), 0);
	EXPECT_EQ(probe_read(FREE_VA), EXINFO(14, 0));
	EXPECT_EQ(set_rw(t, true), 0);
	t[0] = 0;
	/* The bootstrap L1 is untouched and still maps everything. */
	EXPECT_EQ(*pte_of((uint32_t)boot_l1_va), boot_l1_pte);
	EXPECT_EQ(data[0], 0xda7a);
	data[1] = 2;
	EXPECT_EQ(data[1], 2);
}

static void attack_setup(void)
{
	data = alloc_page();
	data[0] = 0xda7a;
	attack();
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack_setup };
