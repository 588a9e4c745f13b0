/* SPDX-License-Identifier: MIT */
/*
 * mem-use-after-free: give a frame back with decrease_reservation, then use
 * it anyway: map it (also in the same multicall as the decrease), pin it,
 * hook it in as an L1, make it a GDT frame, point mmu_update's ptr at it, set
 * its M2P entry, free it again; then take new frames and look at them.
 *
 * Rule (abi.md 5.1, 5.5, 5.7): a freed frame is no longer the domain's: every
 * reference to it is -EPERM and its M2P entry reads XENO_INVALID_PFN; frames
 * from increase_reservation are zeroed and have XENO_INVALID_PFN.
 * Why it matters: a guest that kept any handle on a frame it gave back would
 * read or write whatever the frame holds for its next owner; a new frame with
 * old contents leaks another domain's data.
 */
#include <pt.h>

const char test_title[] = "mem-use-after-free: using a frame after giving it back";

#define UVA	__HYPERVISOR_update_va_mapping

static void attack(void)
{
	uint32_t *x = alloc_page(), xm = virt_to_mfn(x), xpfn = virt_to_pfn(x);
	uint32_t va = spare_va(), old = *pte_of(va), got[4], sum = 0;
	struct mc m = { .n = 0 };
	struct xeno_memory_reservation r = { (uint32_t)&xm, 1, XENO_DOMID_SELF, 0 };

	for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
		x[i] = 0xdead0000 | i;
	EXPECT_EQ(update_va(x, 0, XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(m2p[xm], xpfn);
	/* Freed and mapped again in one multicall: the free wins, the map fails. */
	mc_add(&m, __HYPERVISOR_memory_op, XENO_MEMOP_decrease_reservation, (uint32_t)&r, 0, 0);
	mc_add(&m, UVA, va, mkpte(xm, PTE_RW_FLAGS), XENO_UVMF_INVLPG, 0);
	mc_add(&m, UVA, va, mkpte(xm, PTE_RO_FLAGS), XENO_UVMF_INVLPG, 0);
	EXPECT_EQ(mc_run(&m), 3);
	EXPECT_EQ(m.e[0].result, 1);
	EXPECT_EQ(m.e[1].result, -XENO_EPERM);
	EXPECT_EQ(m.e[2].result, -XENO_EPERM);
	EXPECT_EQ(*pte_of(va), old);
	EXPECT_EQ(m2p[xm], XENO_INVALID_PFN);

	/* Every other handle. */
	expect_pte_refused("freed frame read-only", mkpte(xm, PTE_RO_FLAGS), -XENO_EPERM);
	expect_pte_refused("freed frame writable", mkpte(xm, PTE_RW_FLAGS), -XENO_EPERM);
	expect_l2e_refused("freed frame as an L1", mkpte(xm, L2E_FLAGS), -XENO_EPERM);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, xm), -XENO_EPERM);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, xm), -XENO_EPERM);
	EXPECT_EQ(new_baseptr(xm), -XENO_EPERM);
	EXPECT_EQ(set_gdt1(xm, 16), -XENO_EPERM);
	EXPECT_EQ(mmu_update1(mmu_ptr(xm << PAGE_SHIFT, XENO_MMU_NORMAL_PT_UPDATE), 0),
		  -XENO_EPERM);
	EXPECT_EQ(machphys(xm, xpfn), -XENO_EPERM);
	EXPECT_EQ(m2p[xm], XENO_INVALID_PFN);
	EXPECT_EQ(decrease1(xm), -XENO_EPERM);
	EXPECT_EQ(cur_reservation(), start_info->nr_pages - 1);

	/* New frames: ours, zeroed, M2P invalid. */
	EXPECT_EQ(reservation_op(XENO_MEMOP_increase_reservation, got, 4, XENO_DOMID_SELF), 1);
	EXPECT_EQ(m2p[got[0]], XENO_INVALID_PFN);
	EXPECT_EQ(update_va((void *)va, mkpte(got[0], PTE_RO_FLAGS), XENO_UVMF_INVLPG), 0);
	for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
		sum |= ((volatile uint32_t *)va)[i];
	EXPECT_EQ(sum, 0);
	EXPECT_EQ(machphys(got[0], xpfn), 0);
	EXPECT_EQ(update_va(x, mkpte(got[0], PTE_RW_FLAGS), XENO_UVMF_INVLPG), 0);
	x[0] = 1;
	EXPECT_EQ(*(volatile uint32_t *)va, 1);
	EXPECT_EQ(update_va((void *)va, old, XENO_UVMF_INVLPG), 0);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
