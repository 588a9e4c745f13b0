/* SPDX-License-Identifier: MIT */
/*
 * pagetable: building page tables from free pages: pin and unpin L1 and L2
 * tables, hook a new L1 into the L2, and switch to a whole new L2 with
 * NEW_BASEPTR and back.
 *
 * This is what a guest kernel does for every process it creates: write a
 * fresh table while it is an ordinary writable page, take away its
 * writable mapping, have it validated (pin), and use it.  Validation must
 * accept exactly the tables that keep the guest inside its own memory and
 * refuse the rest (a global or foreign entry, a table still writable, a
 * table that maps itself writable), type rules must hold across pins, hooks
 * and NEW_BASEPTR (a table in use stays read-only; once unused it may be
 * written again and is validated afresh), and a new address space must be
 * complete: the hypervisor's slots filled in, the guest's own mappings
 * working, and its private mappings invisible from the old one.
 */
#include <guest.h>

const char test_title[] = "pagetable: pin/unpin, new L1s, NEW_BASEPTR to a copied L2";

#define HYP_MFN		0x100u

static uint32_t *data_a, *data_b, *l1;
static uint32_t l1_mfn;

/* A new L1 for FREE_VA: entry 0 maps A writable, entry 1 maps B read-only. */
static void test_new_l1(void)
{
	uint32_t l2_ma = virt_to_maddr(l2_table()) + FREE_SLOT * 4;

	l1[0] = mkpte(virt_to_mfn(data_a), PTE_RW_FLAGS);
	l1[1] = mkpte(virt_to_mfn(data_b), PTE_P | PTE_A);
	/* Still writable: it cannot become a page table. */
	EXPECT_EQ(mmuext1(XENO_MMUEXT_PIN_L1_TABLE, l1_mfn, 0), -XENO_EBUSY);
	EXPECT_EQ(mmu_update1(l2_ma, mkpte(l1_mfn, L2E_FLAGS)), -XENO_EBUSY);
	EXPECT_EQ(page_set_ro(l1, true), 0);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_PIN_L1_TABLE, l1_mfn, 0), 0);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_PIN_L1_TABLE, l1_mfn, 0), -XENO_EBUSY);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_PIN_L2_TABLE, l1_mfn, 0), -XENO_EBUSY);
	EXPECT_EQ(page_set_ro(l1, false), -XENO_EBUSY);
	/* Hook it in: FREE_VA now shows page A (writable) and page B. */
	EXPECT_EQ(mmu_update1(l2_ma, mkpte(l1_mfn, L2E_FLAGS)), 0);
	EXPECT_EQ(*(volatile uint32_t *)FREE_VA, 0xAAAAAAAA);
	EXPECT_EQ(*(volatile uint32_t *)(FREE_VA + PAGE_SIZE), 0xBBBBBBBB);
	*(volatile uint32_t *)(FREE_VA + 8) = 0x600d;
	EXPECT_EQ(data_a[2], 0x600d);
	EXPECT_EQ(probe_write(FREE_VA + PAGE_SIZE, 1), EXINFO(14, 3));
	EXPECT_EQ(probe_read(FREE_VA + 2 * PAGE_SIZE), EXINFO(14, 0));
	/* Unpinned but still hooked: it stays a table. */
	EXPECT_EQ(mmuext1(XENO_MMUEXT_UNPIN_TABLE, l1_mfn, 0), 0);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_UNPIN_TABLE, l1_mfn, 0), -XENO_EINVAL);
	EXPECT_EQ(page_set_ro(l1, false), -XENO_EBUSY);
	EXPECT_EQ(*(volatile uint32_t *)FREE_VA, 0xAAAAAAAA);
	/* Unhooked: an ordinary page again, to be written and re-validated. */
	EXPECT_EQ(mmu_update1(l2_ma, 0), 0);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
	EXPECT_EQ(probe_read(FREE_VA), EXINFO(14, 0));
	EXPECT_EQ(page_set_ro(l1, false), 0);
	l1[0] = mkpte(virt_to_mfn(data_b), PTE_P | PTE_A);
	EXPECT_EQ(page_set_ro(l1, true), 0);
	EXPECT_EQ(mmu_update1(l2_ma, mkpte(l1_mfn, L2E_FLAGS)), 0);
	EXPECT_EQ(*(volatile uint32_t *)FREE_VA, 0xBBBBBBBB);
	EXPECT_EQ(mmu_update1(l2_ma, 0), 0);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
}

/* Tables with one bad entry fail validation and stay ordinary pages. */
static void test_bad_l1(const char *what, uint32_t entry, long expected)
{
	uint32_t *t = alloc_page(), mfn = virt_to_mfn(t);

	t[5] = entry;
	EXPECT_EQ(page_set_ro(t, true), 0);
	if (mmuext1(XENO_MMUEXT_PIN_L1_TABLE, mfn, 0) != expected)
		xtf_failure("an L1 with %s: pin did not return %ld", what, expected);
	EXPECT_EQ(page_set_ro(t, false), 0);	/* no table type stuck to it */
	t[5] = 0;
}

static void test_refused_tables(void)
{
	uint32_t *self = alloc_page();

	test_bad_l1("a global entry", mkpte(virt_to_mfn(data_a), PTE_P | PTE_G), -XENO_EINVAL);
	test_bad_l1("a hypervisor frame", mkpte(HYP_MFN, PTE_P), -XENO_EPERM);
	test_bad_l1("a writable mapping of the L2", mkpte(virt_to_mfn(l2_table()), PTE_RW_FLAGS),
		    -XENO_EBUSY);
	/* An L1 that maps itself writable would let the guest write its own PTEs. */
	self[3] = mkpte(virt_to_mfn(self), PTE_RW_FLAGS);
	EXPECT_EQ(page_set_ro(self, true), 0);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_PIN_L1_TABLE, virt_to_mfn(self), 0), -XENO_EBUSY);
	/* Mapping itself read-only is harmless. */
	EXPECT_EQ(page_set_ro(self, false), 0);
	self[3] = mkpte(virt_to_mfn(self), PTE_P);
	EXPECT_EQ(page_set_ro(self, true), 0);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_PIN_L1_TABLE, virt_to_mfn(self), 0), 0);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_UNPIN_TABLE, virt_to_mfn(self), 0), 0);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_PIN_L1_TABLE, HYP_MFN, 0), -XENO_EPERM);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_UNPIN_TABLE, HYP_MFN, 0), -XENO_EPERM);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_UNPIN_TABLE, virt_to_mfn(data_a), 0), -XENO_EINVAL);
}

/* A copy of the L2, pinned, switched to, used, and left again. */
static void test_new_baseptr(void)
{
	uint32_t *orig = l2_table(), *copy = alloc_page();
	uint32_t orig_mfn = virt_to_mfn(orig), copy_mfn = virt_to_mfn(copy);
	uint32_t copy_slot_ma = virt_to_maddr(copy) + FREE_SLOT * 4;
	volatile uint32_t *probe = alloc_page();

	for (unsigned int i = 0; i < XENO_FIRST_HYPERVISOR_L2_SLOT; i++)
		copy[i] = orig[i];
	/* A writable page is no L2; nor is a hypervisor frame. */
	EXPECT_EQ(mmuext1(XENO_MMUEXT_NEW_BASEPTR, copy_mfn, 0), -XENO_EBUSY);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_NEW_BASEPTR, HYP_MFN, 0), -XENO_EPERM);
	EXPECT_EQ(page_set_ro(copy, true), 0);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_PIN_L2_TABLE, copy_mfn, 0), 0);
	/* Validation filled in the hypervisor's slots. */
	for (unsigned int i = XENO_FIRST_HYPERVISOR_L2_SLOT; i < 1024; i++)
		if (copy[i] != orig[i]) {
			xtf_failure("copied L2 slot %u = %08x, the original has %08x", i, copy[i],
				    orig[i]);
			break;
		}

	EXPECT_EQ(mmuext1(XENO_MMUEXT_NEW_BASEPTR, copy_mfn, 0), 0);
	printf("running on the copied L2\n");
	*probe = 0x5eed;
	EXPECT_EQ(*probe, 0x5eed);
	EXPECT_EQ(m2p[virt_to_mfn((void *)probe)], virt_to_pfn((void *)probe));
	/* A private mapping in the new space only. */
	EXPECT_EQ(mmu_update1(copy_slot_ma, mkpte(l1_mfn, L2E_FLAGS)), 0);
	EXPECT_EQ(*(volatile uint32_t *)FREE_VA, 0xBBBBBBBB);
	/* The L2 in use cannot be unpinned into a writable page. */
	EXPECT_EQ(mmuext1(XENO_MMUEXT_UNPIN_TABLE, copy_mfn, 0), 0);
	EXPECT_EQ(page_set_ro(copy, false), -XENO_EBUSY);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_PIN_L2_TABLE, copy_mfn, 0), 0);

	EXPECT_EQ(mmuext1(XENO_MMUEXT_NEW_BASEPTR, orig_mfn, 0), 0);
	EXPECT_EQ(probe_read(FREE_VA), EXINFO(14, 0));
	EXPECT_EQ(*probe, 0x5eed);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_NEW_BASEPTR, copy_mfn, 0), 0);
	EXPECT_EQ(*(volatile uint32_t *)FREE_VA, 0xBBBBBBBB);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_NEW_BASEPTR, orig_mfn, 0), 0);

	/* Unused and unpinned: a plain page again (its L1 reference dropped). */
	EXPECT_EQ(mmuext1(XENO_MMUEXT_UNPIN_TABLE, copy_mfn, 0), 0);
	EXPECT_EQ(page_set_ro(copy, false), 0);
	EXPECT_EQ(page_set_ro(l1, false), 0);
	/* The bootstrap L2 (pinned by the builder) survives an unpin while in use. */
	EXPECT_EQ(mmuext1(XENO_MMUEXT_UNPIN_TABLE, orig_mfn, 0), 0);
	EXPECT_EQ(page_set_ro(orig, false), -XENO_EBUSY);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_PIN_L2_TABLE, orig_mfn, 0), 0);
	printf("back on the original L2\n");
}

void test_main(void)
{
	data_a = alloc_page();
	data_b = alloc_page();
	l1 = alloc_page();
	l1_mfn = virt_to_mfn(l1);
	for (unsigned int i = 0; i < 1024; i++)
		data_a[i] = 0xAAAAAAAA, data_b[i] = 0xBBBBBBBB;
	test_new_l1();
	test_refused_tables();
	test_new_baseptr();
	xtf_success(NULL);
}
