/* SPDX-License-Identifier: MIT */
/*
 * mmu: page-table updates through update_va_mapping and mmu_update, TLB
 * flushes, the M2P table, and the updates the hypervisor must refuse.
 *
 * With direct paging the guest's page tables are the real ones, so each
 * accepted update must change the real entry (visible through the table's
 * read-only mapping) and the translation (a read through the VA returns the
 * newly mapped frame's contents, a write lands in that frame), but only
 * after the TLB entry is flushed, which the UVMF flags and mmuext ops do.
 * A batch stops at its first bad entry and reports how many were done.
 * Every refusal is an isolation property and must leave the entry as it
 * was: a writable mapping of a page table (-EBUSY), global or PSE/PAT bits
 * (-EINVAL), a frame the domain does not own (-EPERM), the hypervisor's L2
 * slots 1008-1023 (-EPERM), a non-table frame as a table (-EINVAL).
 * MMU_MACHPHYS_UPDATE must show in the read-only M2P at 0xFC000000, which
 * the guest can read but not write.
 */
#include <guest.h>

const char test_title[] = "mmu: update_va_mapping, mmu_update, TLB flushes, M2P";

#define HYP_MFN		0x100u		/* the hypervisor image starts at 1 MiB */

static uint32_t *page_a, *page_b, *window;
static uint32_t mfn_a, mfn_b;

/* Read through VA 'window' and say which page it showed. */
static char which(void)
{
	uint32_t v = *(volatile uint32_t *)window;

	return v == 0xAAAAAAAA ? 'A' : v == 0xBBBBBBBB ? 'B' : '?';
}

static void fill(uint32_t *p, uint32_t v)
{
	for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
		p[i] = v;
}

static void test_update_va(void)
{
	uint32_t *pte = pte_of((uint32_t)window), orig = *pte;

	CHECK(which() == 'A', "window starts on page A");
	EXPECT_EQ(update_va(window, mkpte(mfn_b, PTE_RW_FLAGS), XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(*pte, mkpte(mfn_b, PTE_RW_FLAGS));
	CHECK(which() == 'B', "after update_va_mapping + INVLPG the window shows %c, not B",
	      which());
	window[7] = 0x12345678;
	CHECK(page_b[7] == 0x12345678, "a write through the new mapping missed page B");
	page_b[7] = 0xBBBBBBBB;
	EXPECT_EQ(update_va(window, orig, XENO_UVMF_INVLPG), 0);
	CHECK(which() == 'A', "back on page A");

	/* UVMF_NONE: the old translation may live on until a flush. */
	EXPECT_EQ(update_va(window, mkpte(mfn_b, PTE_RW_FLAGS), XENO_UVMF_NONE), 0);
	printf("after UVMF_NONE the window shows %c (the stale A is allowed)\n", which());
	EXPECT_EQ(mmuext1(XENO_MMUEXT_INVLPG_LOCAL, (uint32_t)window, 0), 0);
	CHECK(which() == 'B', "INVLPG_LOCAL did not flush the stale translation");
	EXPECT_EQ(update_va(window, orig, XENO_UVMF_NONE), 0);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
	CHECK(which() == 'A', "TLB_FLUSH_LOCAL did not flush the stale translation");
	EXPECT_EQ(update_va(window, mkpte(mfn_b, PTE_RW_FLAGS), XENO_UVMF_TLB_FLUSH), 0);
	CHECK(which() == 'B', "UVMF_TLB_FLUSH did not flush the stale translation");

	/* Unmapped: the VA faults, and the frame is still whole behind it. */
	EXPECT_EQ(update_va(window, 0, XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(probe_read((uint32_t)window), EXINFO(14, 0));
	EXPECT_EQ(update_va(window, orig, XENO_UVMF_INVLPG), 0);
	CHECK(which() == 'A', "page A after remapping");
	/* Read-only mapping: ring 1 writes fault (CR0.WP). */
	EXPECT_EQ(update_va(window, orig & ~PTE_RW, XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(probe_write((uint32_t)window, 1), EXINFO(14, 3));
	EXPECT_EQ(update_va(window, orig, XENO_UVMF_INVLPG), 0);

	EXPECT_EQ(update_va((void *)XENO_HYPERVISOR_VIRT_START, orig, 0), -XENO_EINVAL);
	EXPECT_EQ(update_va((void *)0x1000, orig, 0), -XENO_EINVAL);	/* no L1 there */
	EXPECT_EQ(update_va(window, orig, 4), -XENO_EINVAL);		/* unknown flag */
	EXPECT_EQ(*pte, orig);
}

static void test_mmu_update(void)
{
	uint32_t *pte = pte_of((uint32_t)window), orig = *pte, ma = virt_to_maddr(pte), done;
	struct xeno_mmu_update batch[3] = {
		{ ma, mkpte(mfn_b, PTE_RW_FLAGS) },
		{ ma, mkpte(mfn_b, PTE_RW_FLAGS | PTE_G) },	/* refused */
		{ ma, orig },					/* never reached */
	};

	EXPECT_EQ(mmu_update1(ma | XENO_MMU_NORMAL_PT_UPDATE, mkpte(mfn_b, PTE_RW_FLAGS)), 0);
	EXPECT_EQ(*pte, mkpte(mfn_b, PTE_RW_FLAGS));
	mmuext1(XENO_MMUEXT_INVLPG_LOCAL, (uint32_t)window, 0);
	CHECK(which() == 'B', "mmu_update by machine address: window shows %c", which());
	EXPECT_EQ(mmu_update1(ma, orig), 0);
	mmuext1(XENO_MMUEXT_INVLPG_LOCAL, (uint32_t)window, 0);
	CHECK(which() == 'A', "mmu_update back to A");

	done = 99;
	EXPECT_EQ(HYPERCALL4(mmu_update, batch, 3, &done, XENO_DOMID_SELF), -XENO_EINVAL);
	EXPECT_EQ(done, 1);
	EXPECT_EQ(*pte, mkpte(mfn_b, PTE_RW_FLAGS));	/* first applied, third not */
	EXPECT_EQ(mmu_update1(ma, orig), 0);
	EXPECT_EQ(HYPERCALL4(mmu_update, batch, 0, &done, XENO_DOMID_SELF), 0);
	EXPECT_EQ(done, 0);
	EXPECT_EQ(HYPERCALL4(mmu_update, batch, 1, NULL, 5), -XENO_EPERM);	/* foreign */
	EXPECT_EQ(HYPERCALL4(mmu_update, batch, XENO_MMU_MAX_BATCH + 1, NULL, XENO_DOMID_SELF),
		  -XENO_E2BIG);
	EXPECT_EQ(HYPERCALL4(mmu_update, 0xFC000000, 1, NULL, XENO_DOMID_SELF), -XENO_EFAULT);
	EXPECT_EQ(*pte, orig);
}

/* Each refusal leaves the entry as it was. */
static void test_refusals(void)
{
	uint32_t *pte = pte_of((uint32_t)window), orig = *pte, ma = virt_to_maddr(pte);
	uint32_t l1_mfn = virt_to_mfn(pte), l2_mfn = virt_to_mfn(l2_table());
	uint32_t l2_ma = virt_to_maddr(l2_table()), data_ma = virt_to_maddr(page_a);
	uint32_t io_mfn = 0xA0;		/* VGA memory: not RAM */

	EXPECT_EQ(update_va(window, mkpte(l1_mfn, PTE_RW_FLAGS), XENO_UVMF_INVLPG), -XENO_EBUSY);
	EXPECT_EQ(update_va(window, mkpte(l2_mfn, PTE_RW_FLAGS), XENO_UVMF_INVLPG), -XENO_EBUSY);
	EXPECT_EQ(mmu_update1(ma, mkpte(l1_mfn, PTE_RW_FLAGS)), -XENO_EBUSY);
	EXPECT_EQ(*pte, orig);
	/* Read-only is fine, and reads the table. */
	EXPECT_EQ(update_va(window, mkpte(l1_mfn, PTE_P | PTE_A), XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(window[((uint32_t)window >> PAGE_SHIFT) & 1023], mkpte(l1_mfn, PTE_P | PTE_A));
	EXPECT_EQ(update_va(window, orig, XENO_UVMF_INVLPG), 0);

	EXPECT_EQ(update_va(window, orig | PTE_G, XENO_UVMF_INVLPG), -XENO_EINVAL);
	EXPECT_EQ(update_va(window, orig | PTE_PAT, XENO_UVMF_INVLPG), -XENO_EINVAL);
	EXPECT_EQ(mmu_update1(l2_ma + FREE_SLOT * 4, mkpte(mfn_a, PTE_P | PTE_PSE)),
		  -XENO_EINVAL);
	EXPECT_EQ(mmu_update1(l2_ma + FREE_SLOT * 4, mkpte(l1_mfn, PTE_P | PTE_G)),
		  -XENO_EINVAL);
	EXPECT_EQ(update_va(window, mkpte(HYP_MFN, PTE_P), XENO_UVMF_INVLPG), -XENO_EPERM);
	EXPECT_EQ(update_va(window, mkpte(io_mfn, PTE_P), XENO_UVMF_INVLPG), -XENO_EPERM);
	EXPECT_EQ(update_va(window, mkpte(0xFFFFF, PTE_P), XENO_UVMF_INVLPG), -XENO_EPERM);
	EXPECT_EQ(mmu_update1(l2_ma + FREE_SLOT * 4, mkpte(HYP_MFN, PTE_P)), -XENO_EPERM);
	/* The hypervisor's slots, and the hypervisor's own frames as tables. */
	EXPECT_EQ(mmu_update1(l2_ma + XENO_FIRST_HYPERVISOR_L2_SLOT * 4, 0), -XENO_EPERM);
	EXPECT_EQ(mmu_update1(l2_ma + 1023 * 4, mkpte(l1_mfn, PTE_P)), -XENO_EPERM);
	EXPECT_EQ(mmu_update1(HYP_MFN << PAGE_SHIFT, 0), -XENO_EPERM);
	/* A data page is not a page table. */
	EXPECT_EQ(mmu_update1(data_ma, 0), -XENO_EINVAL);
	EXPECT_EQ(page_a[0], 0xAAAAAAAA);
	EXPECT_EQ(mmu_update1(ma | 3, 0), -XENO_EINVAL);		/* unknown command */
	EXPECT_EQ(*pte, orig);
	EXPECT_EQ(l2_table()[FREE_SLOT], 0);
	EXPECT_EQ(l2_table()[XENO_FIRST_HYPERVISOR_L2_SLOT] & PTE_P, PTE_P);
	CHECK(which() == 'A', "window moved");
}

static void test_m2p(void)
{
	uint32_t pfn_a = virt_to_pfn(page_a), spare = start_info->nr_pages - 2;

	for (uint32_t pfn = 0; pfn < start_info->nr_pages; pfn++)
		if (m2p[p2m[pfn]] != pfn) {
			xtf_failure("M2P[%05x] = %x, expected pfn %x", p2m[pfn], m2p[p2m[pfn]], pfn);
			break;
		}
	EXPECT_EQ(mmu_update1((mfn_a << PAGE_SHIFT) | XENO_MMU_MACHPHYS_UPDATE, spare), 0);
	EXPECT_EQ(m2p[mfn_a], spare);
	EXPECT_EQ(mmu_update1((mfn_a << PAGE_SHIFT) | XENO_MMU_MACHPHYS_UPDATE,
			      XENO_INVALID_PFN), 0);
	EXPECT_EQ(m2p[mfn_a], XENO_INVALID_PFN);
	EXPECT_EQ(mmu_update1((mfn_a << PAGE_SHIFT) | XENO_MMU_MACHPHYS_UPDATE,
			      start_info->nr_pages + 100), -XENO_EINVAL);
	EXPECT_EQ(mmu_update1((HYP_MFN << PAGE_SHIFT) | XENO_MMU_MACHPHYS_UPDATE, 1),
		  -XENO_EPERM);
	EXPECT_EQ(mmu_update1((mfn_a << PAGE_SHIFT) | XENO_MMU_MACHPHYS_UPDATE, pfn_a), 0);
	EXPECT_EQ(m2p[mfn_a], pfn_a);
	/* Frames that are not ours, or not RAM at all, read as invalid. */
	EXPECT_EQ(m2p[HYP_MFN], XENO_INVALID_PFN);
	EXPECT_EQ(m2p[XENO_MACH2PHYS_NR_ENTRIES - 1], XENO_INVALID_PFN);
	/* Readable, never writable. */
	EXPECT_EQ(probe_write((uint32_t)&m2p[mfn_a], 0), EXINFO(14, 3));
	EXPECT_EQ(m2p[mfn_a], pfn_a);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_INVLPG_LOCAL, XENO_HYPERVISOR_VIRT_START, 0), -XENO_EINVAL);
	EXPECT_EQ(mmuext1(99, 0, 0), -XENO_ENOSYS);
}

void test_main(void)
{
	page_a = alloc_page();
	page_b = alloc_page();
	window = alloc_page();
	fill(page_a, 0xAAAAAAAA);
	fill(page_b, 0xBBBBBBBB);
	mfn_a = virt_to_mfn(page_a);
	mfn_b = virt_to_mfn(page_b);
	/* The window starts as a second mapping of page A. */
	if (update_va(window, mkpte(mfn_a, PTE_RW_FLAGS), XENO_UVMF_INVLPG)) {
		xtf_error("cannot map the window");
		return;
	}
	test_update_va();
	test_mmu_update();
	test_refusals();
	test_m2p();
	xtf_success(NULL);
}
