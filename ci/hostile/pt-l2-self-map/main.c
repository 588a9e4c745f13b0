/* SPDX-License-Identifier: MIT */
/*
 * pt-l2-self-map: recursive ("linear") page tables: an L2 entry pointing at
 * the L2 in CR3 itself, read-only and writable; at a second pinned L2, and
 * that L2 pointing at itself and at the first; by mmu_update, multicall and
 * the page-table assist, and in an L2 then pinned or loaded as CR3.
 *
 * Rule (abi.md 5.2): an L2 entry may point only at an L1; at a frame in use
 * as an L2 it is -EBUSY, read-only or not, and changes nothing; an L2 holding
 * such an entry does not validate.  Only a read-only L1 entry may show an L2
 * (a harmless read-only view).
 * Why it matters: an L2 used as an L1 turns the guest's L1 tables into
 * ordinary pages of its address space, so with RW it writes its page tables
 * directly; and an L2 entry pointing at itself makes the L2 an L1 the
 * hypervisor never checked as one.
 */
#include <pt.h>

const char test_title[] = "pt-l2-self-map: an L2 entry pointing at an L2";

static void attack(void)
{
	uint32_t l2m = cur_l2_mfn(), *copy = copy_l2(), cm = virt_to_mfn(copy);
	uint32_t *bad = alloc_page(), bm = virt_to_mfn(bad), *l1 = alloc_table();
	const uint32_t flags[] = { PTE_P | PTE_A, L2E_FLAGS, PTE_P | PTE_RW };

	for (unsigned int f = 0; f < ARRAY_SIZE(flags); f++) {
		expect_l2e_refused("our L2 in its own slot", mkpte(l2m, flags[f]), -XENO_EBUSY);
		EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, cm), 0);
		expect_l2e_refused("a pinned L2 in our L2", mkpte(cm, flags[f]), -XENO_EBUSY);
		EXPECT_EQ(mmu_update1(l2e_maddr(cm, FREE_SLOT), mkpte(cm, flags[f])), -XENO_EBUSY);
		EXPECT_EQ(mmu_update1(l2e_maddr(cm, FREE_SLOT), mkpte(l2m, flags[f])), -XENO_EBUSY);
		wpt_assist(true);
		EXPECT_EQ(wpt_store(&copy[FREE_SLOT], mkpte(cm, flags[f])), EXINFO(14, 3));
		wpt_assist(false);
		EXPECT_EQ(copy[FREE_SLOT], 0);
		EXPECT_EQ(unpin(cm), 0);

		/* L2s whose entry names themselves, or the L2 in CR3. */
		bad[FREE_SLOT] = mkpte(bm, flags[f]);
		EXPECT_EQ(set_rw(bad, false), 0);
		EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, bm), -XENO_EBUSY);
		EXPECT_EQ(new_baseptr(bm), -XENO_EBUSY);
		EXPECT_EQ(set_rw(bad, true), 0);
		bad[FREE_SLOT] = mkpte(l2m, flags[f]);
		EXPECT_EQ(set_rw(bad, false), 0);
		EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, bm), -XENO_EBUSY);
		EXPECT_EQ(set_rw(bad, true), 0);
		bad[FREE_SLOT] = 0;
	}
	/* An L2 not in use is hooked as an L1 only if it is valid as one (here
	 * its entries map our L1s writable: no), and is then no longer an L2. */
	expect_l2e_refused("an unused L2 copy as an L1", mkpte(cm, L2E_FLAGS), -XENO_EBUSY);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, cm), 0);
	EXPECT_EQ(unpin(cm), 0);

	/* The read-only linear view through an L1 is allowed, and read-only. */
	EXPECT_EQ(mmu_update1(l2e_maddr(l2m, FREE_SLOT), mkpte(virt_to_mfn(l1), L2E_FLAGS)), 0);
	EXPECT_EQ(mmu_update1(l1e_maddr(virt_to_mfn(l1), 0), mkpte(l2m, PTE_RO_FLAGS)), 0);
	EXPECT_EQ(*(volatile uint32_t *)(FREE_VA + FREE_SLOT * 4) & ~PTE_A,
		  mkpte(virt_to_mfn(l1), L2E_FLAGS) & ~PTE_A);
	EXPECT_EQ(probe_write(FREE_VA + 4, 0), EXINFO(14, 3));
	EXPECT_EQ(mmu_update1(l1e_maddr(virt_to_mfn(l1), 0), mkpte(l2m, PTE_RW_FLAGS)),
		  -XENO_EBUSY);
	EXPECT_EQ(mmu_update1(l2e_maddr(l2m, FREE_SLOT), 0), 0);
	EXPECT_EQ(flush_tlb(), 0);
	EXPECT_EQ(l2_table()[FREE_SLOT], 0);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
