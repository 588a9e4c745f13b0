/* SPDX-License-Identifier: MIT */
/*
 * pt-map-m2p: get a writable (or any second) view of the machine-to-phys
 * table: map the M2P's L1 tables and its data frames, hook the M2P's L1 into
 * our L2, update the M2P's L1 with mmu_update, write through the read-only
 * M2P mapping (also with the page-table assist on), and map every other frame
 * of the hypervisor's heap.
 *
 * Rule (abi.md 1.2, 5.1, 5.5): the M2P is read-only to guests and its frames
 * are the hypervisor's: no entry may name them (-EPERM), writes fault, and
 * only MMU_MACHPHYS_UPDATE changes it.
 * Why it matters: with a writable M2P a guest could forge any frame's entry
 * (other kernels trust it), and the M2P's tables lead to the rest of the
 * hypervisor.
 */
#include <pt.h>

const char test_title[] = "pt-map-m2p: a writable or second view of the M2P";

#define HEAP_FRAMES	(32u << 20 >> PAGE_SHIFT)	/* the direct map: 0-32 MiB */

static bool own_frame(uint32_t m)
{
	uint32_t pfn = m2p[m];

	return m == start_info->shared_info_mfn ||
	       (pfn < start_info->nr_pages && p2m[pfn] == m);
}

static void refuse_frame(const char *what, uint32_t m)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s %#x read-only", what, m);
	expect_pte_refused(buf, mkpte(m, PTE_RO_FLAGS), -XENO_EPERM);
	snprintf(buf, sizeof(buf), "%s %#x writable", what, m);
	expect_pte_refused(buf, mkpte(m, PTE_RW_FLAGS), -XENO_EPERM);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, m), -XENO_EPERM);
}

static void attack(void)
{
	uint32_t ro_l1 = l2_table()[HV_SLOT] >> PAGE_SHIFT;
	uint32_t rw_l1 = l2_table()[HV_SLOT + 9] >> PAGE_SHIFT;	/* slot 1017 */
	uint32_t *page = alloc_page(), own = virt_to_mfn(page), va = spare_va(), old;
	uint32_t m2p_va = XENO_MACH2PHYS_VIRT_START + own * 4, refused = 0, tried = 0;

	/* The M2P's own L1 tables, as data pages and as our L1. */
	refuse_frame("the read-only M2P's L1", ro_l1);
	refuse_frame("the writable M2P's L1", rw_l1);
	expect_l2e_refused("the read-only M2P's L1 in our L2", mkpte(ro_l1, L2E_FLAGS),
			   -XENO_EPERM);
	expect_l2e_refused("the writable M2P's L1 in our L2", l2_table()[HV_SLOT + 9],
			   -XENO_EPERM);
	EXPECT_EQ(mmu_update1(mmu_ptr(l1e_maddr(ro_l1, 0), XENO_MMU_NORMAL_PT_UPDATE),
			      mkpte(own, PTE_RW_FLAGS)), -XENO_EPERM);
	EXPECT_EQ(mmu_update1(mmu_ptr(l1e_maddr(rw_l1, 0), XENO_MMU_NORMAL_PT_UPDATE), 0),
		  -XENO_EPERM);

	/* Its data frames, where we can read the L1 that lists them (not past a
	 * segment limit); and, everywhere, every hypervisor heap frame. */
	if (!segment_limits_enforced()) {
		const uint32_t *l1 = (const uint32_t *)(XENO_GUEST_SEGMENT_END +
							(ro_l1 << PAGE_SHIFT));

		for (unsigned int i = 0; i < 4 && (l1[i] & PTE_P); i++)
			refuse_frame("an M2P frame", l1[i] >> PAGE_SHIFT);
		refuse_frame("the M2P's invalid page", l1[1023] >> PAGE_SHIFT);
	}
	old = *pte_of(va);
	for (uint32_t m = 0; m < HEAP_FRAMES; m++) {
		if (own_frame(m))
			continue;
		tried++;
		refused += update_va((void *)va, mkpte(m, PTE_RW_FLAGS), 0) == -XENO_EPERM;
		refused += update_va((void *)va, mkpte(m, PTE_RO_FLAGS), 0) == -XENO_EPERM;
	}
	EXPECT_EQ(refused, 2 * tried);
	EXPECT_EQ(*pte_of(va), old);
	printf("%u heap frames refused\n", tried);

	/* Writes through the read-only mapping fault, with or without the assist. */
	EXPECT_EQ(m2p[own], virt_to_pfn(page));
	EXPECT_EQ(probe_write(m2p_va, 7), EXINFO(14, 3));
	wpt_assist(true);
	EXPECT_EQ(probe_write(m2p_va, 7), EXINFO(14, 3));
	wpt_assist(false);
	EXPECT_EQ(m2p[own], virt_to_pfn(page));
	EXPECT_EQ(probe_write(XENO_MACH2PHYS_VIRT_START, 7), EXINFO(14, 3));
	/* The one legal way still works. */
	EXPECT_EQ(machphys(own, 7), 0);
	EXPECT_EQ(m2p[own], 7);
	EXPECT_EQ(machphys(own, virt_to_pfn(page)), 0);
	EXPECT_EQ(m2p[own], virt_to_pfn(page));
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
