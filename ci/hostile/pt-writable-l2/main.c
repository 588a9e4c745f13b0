/* SPDX-License-Identifier: MIT */
/*
 * pt-writable-l2: ask for a writable mapping of our own L2 tables: the one in
 * CR3 (pinned, then unpinned and held by CR3 alone), and a second pinned L2
 * that is not in use; by update_va_mapping, mmu_update, multicall, the
 * writable page-table assist, and through an L1 that maps the L2 writable.
 *
 * Rule (abi.md 5.1, 5.2, 5.4): a frame in use as an L2 (pinned or in CR3) is
 * never mapped writable: -EBUSY, nothing changes; CR3 alone keeps the type.
 * Why it matters: a writable page directory lets a guest hook any frame in as
 * a page table, or rewrite the hypervisor's slots.
 */
#include <pt.h>

const char test_title[] = "pt-writable-l2: a writable mapping of our own L2";

static void attack(void)
{
	uint32_t *l2 = l2_table(), l2m = cur_l2_mfn(), l2_pte = *pte_of((uint32_t)l2);
	uint32_t *copy = copy_l2(), cm = virt_to_mfn(copy), *t = alloc_page();

	/* The L2 in CR3, pinned by the builder. */
	CHECK(!(l2_pte & PTE_RW), "the bootstrap L2 is mapped writable");
	expect_pte_refused("L2 in CR3", mkpte(l2m, PTE_RW_FLAGS), -XENO_EBUSY);
	EXPECT_EQ(set_rw(l2, true), -XENO_EBUSY);
	wpt_assist(true);
	EXPECT_EQ(wpt_store(pte_of((uint32_t)l2), l2_pte | PTE_RW), EXINFO(14, 3));
	wpt_assist(false);
	EXPECT_EQ(*pte_of((uint32_t)l2), l2_pte);
	/* Held by CR3 alone. */
	EXPECT_EQ(unpin(l2m), 0);
	expect_pte_refused("unpinned L2 in CR3", mkpte(l2m, PTE_RW_FLAGS), -XENO_EBUSY);
	EXPECT_EQ(set_rw(l2, true), -XENO_EBUSY);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, l2m), 0);

	/* A second L2, pinned, not in CR3. */
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, cm), 0);
	expect_pte_refused("pinned L2", mkpte(cm, PTE_RW_FLAGS), -XENO_EBUSY);
	EXPECT_EQ(set_rw(copy, true), -XENO_EBUSY);

	/* An L1 with a writable entry for either L2 does not validate. */
	t[9] = mkpte(l2m, PTE_RW_FLAGS);
	EXPECT_EQ(set_rw(t, false), 0);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, virt_to_mfn(t)), -XENO_EBUSY);
	EXPECT_EQ(mmu_update1(l2e_maddr(l2m, FREE_SLOT), mkpte(virt_to_mfn(t), L2E_FLAGS)),
		  -XENO_EBUSY);
	EXPECT_EQ(mmu_update1(l2e_maddr(cm, FREE_SLOT), mkpte(virt_to_mfn(t), L2E_FLAGS)),
		  -XENO_EBUSY);
	EXPECT_EQ(set_rw(t, true), 0);
	t[9] = mkpte(cm, PTE_RW_FLAGS);
	EXPECT_EQ(set_rw(t, false), 0);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, virt_to_mfn(t)), -XENO_EBUSY);
	EXPECT_EQ(set_rw(t, true), 0);
	/* Read-only it may map them (a harmless read-only linear view). */
	t[9] = mkpte(l2m, PTE_RO_FLAGS);
	EXPECT_EQ(set_rw(t, false), 0);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, virt_to_mfn(t)), 0);
	EXPECT_EQ(unpin(virt_to_mfn(t)), 0);

	/* Out of use, the second L2 is an ordinary page again. */
	EXPECT_EQ(unpin(cm), 0);
	EXPECT_EQ(set_rw(copy, true), 0);
	EXPECT_EQ(set_rw(copy, false), 0);
	/* Everything still as it was, and still working. */
	EXPECT_EQ(*pte_of((uint32_t)l2), l2_pte);
	EXPECT_EQ(l2[FREE_SLOT], 0);
	EXPECT_EQ(probe_write((uint32_t)&l2[FREE_SLOT], 0), EXINFO(14, 3));
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, l2m), -XENO_EBUSY);	/* still pinned */
	EXPECT_EQ(set_rw(t, true), 0);
	t[0] = 1;
	EXPECT_EQ(t[0], 1);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
