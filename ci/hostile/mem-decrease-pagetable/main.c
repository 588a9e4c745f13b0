/* SPDX-License-Identifier: MIT */
/*
 * mem-decrease-pagetable: give back, with decrease_reservation, frames that
 * are page tables: the L1 in use, an L1 only hooked, an L1 only pinned and
 * not mapped anywhere, the L2 in CR3 (pinned, then held by CR3 alone), a
 * second pinned L2; alone and behind a free frame in one extent list.
 *
 * Rule (abi.md 5.7, 6.10): only a frame with no reference and no type may be
 * freed: a table in use, pinned or mapped is -EBUSY; a list stops at the
 * first frame that cannot go (returning how many went, or the error if none
 * did); the tables keep working and nothing else is freed.
 * Why it matters: a freed page table is a frame the CPU still walks while it
 * goes to another domain (or the hypervisor), which then controls our
 * mappings, or we its.
 */
#include <pt.h>

const char test_title[] = "mem-decrease-pagetable: giving back page tables";

#define DEC	XENO_MEMOP_decrease_reservation

static void attack(void)
{
	uint32_t *l2 = l2_table(), l2m = cur_l2_mfn(), boot_l1 = l2[1] >> PAGE_SHIFT;
	uint32_t *copy = copy_l2(), cm = virt_to_mfn(copy), *t = alloc_table(), tm = virt_to_mfn(t);
	uint32_t *p = alloc_table(), pm = virt_to_mfn(p), *d = alloc_page(), dm = virt_to_mfn(d);
	uint32_t *f = alloc_page(), fm = virt_to_mfn(f), nr = cur_reservation(), list[2];

	d[0] = 0xd0d0;
	/* The L1 behind all our memory, and the L2 in CR3 (pinned). */
	EXPECT_EQ(decrease1(boot_l1), -XENO_EBUSY);
	EXPECT_EQ(decrease1(l2m), -XENO_EBUSY);
	EXPECT_EQ(unpin(l2m), 0);
	EXPECT_EQ(decrease1(l2m), -XENO_EBUSY);		/* CR3 alone */
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, l2m), 0);
	/* A second L2, pinned. */
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, cm), 0);
	EXPECT_EQ(decrease1(cm), -XENO_EBUSY);
	/* An L1 hooked in (and not pinned) that maps d. */
	EXPECT_EQ(mmu_update1(l2e_maddr(l2m, FREE_SLOT), mkpte(tm, L2E_FLAGS)), 0);
	EXPECT_EQ(mmu_update1(l1e_maddr(tm, 0), mkpte(dm, PTE_RW_FLAGS)), 0);
	EXPECT_EQ(decrease1(tm), -XENO_EBUSY);
	/* An L1 pinned and mapped nowhere: the pin alone holds it. */
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, pm), 0);
	EXPECT_EQ(update_va(p, 0, XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(decrease1(pm), -XENO_EBUSY);
	/* Lists: the free frame first goes, the table stops the list. */
	EXPECT_EQ(update_va(f, 0, XENO_UVMF_INVLPG), 0);
	list[0] = pm, list[1] = fm;
	EXPECT_EQ(reservation_op(DEC, list, 2, XENO_DOMID_SELF), -XENO_EBUSY);
	EXPECT_EQ(cur_reservation(), nr);
	list[0] = fm, list[1] = tm;
	EXPECT_EQ(reservation_op(DEC, list, 2, XENO_DOMID_SELF), 1);
	EXPECT_EQ(cur_reservation(), nr - 1);
	EXPECT_EQ(update_va(f, mkpte(fm, PTE_RW_FLAGS), XENO_UVMF_INVLPG), -XENO_EPERM);

	/* Everything still works. */
	EXPECT_EQ(*(volatile uint32_t *)FREE_VA, 0xd0d0);
	*(volatile uint32_t *)(FREE_VA + 4) = 0xd1;
	EXPECT_EQ(d[1], 0xd1);
	EXPECT_EQ(update_va(p, mkpte(pm, PTE_RO_FLAGS), XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(p[0], 0);
	EXPECT_EQ(set_rw(p, true), -XENO_EBUSY);
	EXPECT_EQ(new_baseptr(cm), 0);
	EXPECT_EQ(d[0], 0xd0d0);
	EXPECT_EQ(new_baseptr(l2m), 0);

	/* Out of use and unmapped, a former table may go. */
	EXPECT_EQ(unpin(cm), 0);
	EXPECT_EQ(unpin(pm), 0);
	EXPECT_EQ(mmu_update1(l2e_maddr(l2m, FREE_SLOT), 0), 0);
	EXPECT_EQ(update_va(copy, 0, XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(update_va(p, 0, XENO_UVMF_INVLPG), 0);
	list[0] = cm, list[1] = pm;
	EXPECT_EQ(reservation_op(DEC, list, 2, XENO_DOMID_SELF), 2);
	EXPECT_EQ(cur_reservation(), nr - 3);
	EXPECT_EQ(decrease1(tm), -XENO_EBUSY);			/* still mapped read-only */
	EXPECT_EQ(d[0], 0xd0d0);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
