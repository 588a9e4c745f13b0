/* SPDX-License-Identifier: MIT */
/*
 * pt-unpin-in-use: unpin tables that are still in use: an L1 hooked into the
 * L2, the L2 in CR3; unpin them twice; give them back with
 * decrease_reservation and map them writable while still in use; switch CR3
 * away from an unpinned L2 and back.
 *
 * Rule (abi.md 5.1, 5.4, 5.7, 6.18): a pin is one type reference among
 * others: unpinning a table in use leaves it a validated table (its mappings
 * keep working, it stays read-only, decrease_reservation says -EBUSY); a
 * second unpin is -EINVAL; only when the last use goes does it become an
 * ordinary page.
 * Why it matters: if an unpin freed or unvalidated a table still in use, the
 * guest could write a live page table, or the frame could go to another
 * domain while the CPU still walks it.
 */
#include <pt.h>

const char test_title[] = "pt-unpin-in-use: unpinning and freeing tables in use";

static void attack(void)
{
	uint32_t *l2 = l2_table(), l2m = cur_l2_mfn(), *copy = copy_l2(), cm = virt_to_mfn(copy);
	uint32_t *t = alloc_table(), tm = virt_to_mfn(t), *d = alloc_page(), dm = virt_to_mfn(d);
	uint32_t pages = cur_reservation();
	volatile uint32_t *v = (volatile uint32_t *)FREE_VA;

	d[0] = 0xd0d0;
	/* An L1, pinned and hooked in; then only hooked. */
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, tm), 0);
	EXPECT_EQ(mmu_update1(l1e_maddr(tm, 0), mkpte(dm, PTE_RW_FLAGS)), 0);
	EXPECT_EQ(mmu_update1(l2e_maddr(l2m, FREE_SLOT), mkpte(tm, L2E_FLAGS)), 0);
	EXPECT_EQ(v[0], 0xd0d0);
	EXPECT_EQ(unpin(tm), 0);
	EXPECT_EQ(unpin(tm), -XENO_EINVAL);
	EXPECT_EQ(v[0], 0xd0d0);
	v[1] = 0xd1;
	EXPECT_EQ(d[1], 0xd1);
	EXPECT_EQ(set_rw(t, true), -XENO_EBUSY);
	EXPECT_EQ(decrease1(tm), -XENO_EBUSY);
	/* Still a table in use: its entries can be changed, and are validated. */
	EXPECT_EQ(mmu_update1(l1e_maddr(tm, 1), mkpte(dm, PTE_RO_FLAGS)), 0);
	EXPECT_EQ(v[1024], 0xd0d0);
	EXPECT_EQ(mmu_update1(l1e_maddr(tm, 2), mkpte(tm, PTE_RW_FLAGS)), -XENO_EBUSY);
	/* Pinned again while in use, and unpinned. */
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, tm), 0);
	EXPECT_EQ(unpin(tm), 0);
	EXPECT_EQ(cur_reservation(), pages);

	/* The L2 in CR3: unpinned, it is still the address space. */
	EXPECT_EQ(unpin(l2m), 0);
	EXPECT_EQ(unpin(l2m), -XENO_EINVAL);
	EXPECT_EQ(v[0], 0xd0d0);
	EXPECT_EQ(set_rw(l2, true), -XENO_EBUSY);
	EXPECT_EQ(decrease1(l2m), -XENO_EBUSY);
	EXPECT_EQ(mmu_update1(l2e_maddr(l2m, FREE_SLOT + 1), mkpte(tm, L2E_FLAGS)), 0);
	EXPECT_EQ(v[1024 * 1024], 0xd0d0);		/* the same L1, one slot up */
	EXPECT_EQ(mmu_update1(l2e_maddr(l2m, FREE_SLOT + 1), 0), 0);
	/* Leave it (it is no table then), come back (validated afresh). */
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, cm), 0);
	EXPECT_EQ(new_baseptr(cm), 0);
	EXPECT_EQ(probe_read(FREE_VA), EXINFO(14, 0));	/* the copy has no FREE_SLOT */
	EXPECT_EQ(decrease1(l2m), -XENO_EBUSY);		/* still mapped (read-only) */
	/* Nor an L1: its slot 1 would map our L1 writable. */
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, l2m), -XENO_EBUSY);
	EXPECT_EQ(new_baseptr(l2m), 0);
	EXPECT_EQ(v[0], 0xd0d0);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, l2m), 0);
	EXPECT_EQ(unpin(cm), 0);
	EXPECT_EQ(set_rw(copy, true), 0);

	/* Unhooked at last: t is an ordinary page, and nothing was freed. */
	EXPECT_EQ(mmu_update1(l2e_maddr(l2m, FREE_SLOT), 0), 0);
	EXPECT_EQ(flush_tlb(), 0);
	EXPECT_EQ(probe_read(FREE_VA), EXINFO(14, 0));
	EXPECT_EQ(set_rw(t, true), 0);
	EXPECT_EQ(t[0], mkpte(dm, PTE_RW_FLAGS) | PTE_A | PTE_D);
	EXPECT_EQ(cur_reservation(), pages);
	EXPECT_EQ(d[0] + d[1], 0xd0d0 + 0xd1);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
