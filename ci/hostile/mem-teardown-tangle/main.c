/* SPDX-License-Identifier: MIT */
/*
 * mem-teardown-tangle: leave the hypervisor a knot of references to untie
 * when the domain is destroyed: pinned L1s hooked into several slots of
 * several L2s, an unpinned L1 reachable only through a pinned L2, CR3 on an
 * L2 that is not pinned while the bootstrap L2 is unpinned and out of use,
 * L1s mapping page tables, shared_info and descriptor pages read-only, a page
 * mapped writable 64 times, a GDT and an LDT; then end without undoing any of
 * it.
 *
 * Rule (abi.md 5.1, 5.4, 6.19): every reference is dropped when Domain0
 * destroys the domain, whatever the state of its tables, and every frame it
 * owned returns to the free pool (the harness's leak check; the hypervisor
 * would panic on a leftover reference).
 * Why it matters: a reference left over is a frame lost for good, or one
 * freed while something still points at it; a panic here is a guest killing
 * the machine.
 */
#include <pt.h>

const char test_title[] = "mem-teardown-tangle: destroying a domain with tangled tables";

static void attack(void)
{
	uint32_t l2m = cur_l2_mfn();
	uint32_t *a = alloc_table(), am = virt_to_mfn(a), *c = alloc_table(), cm = virt_to_mfn(c);
	uint32_t *f = alloc_table(), fm = virt_to_mfn(f), *d = alloc_page(), dm = virt_to_mfn(d);
	uint32_t *b = copy_l2(), bm = virt_to_mfn(b), *e = copy_l2(), em = virt_to_mfn(e);
	uint32_t *g = alloc_table(), gm = virt_to_mfn(g), *l = alloc_table(), lm = virt_to_mfn(l);

	EXPECT_EQ(set_rw(d, false), 0);
	/* A: pinned, in two slots of the bootstrap L2, one of B and one of E. */
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, am), 0);
	for (unsigned int i = 0; i < 64; i++)
		EXPECT_EQ(mmu_update1(l1e_maddr(am, i), mkpte(dm, PTE_RW_FLAGS)), 0);
	EXPECT_EQ(mmu_update1(l1e_maddr(am, 100), mkpte(l2m, PTE_RO_FLAGS)), 0);
	EXPECT_EQ(mmu_update1(l1e_maddr(am, 101), mkpte(start_info->shared_info_mfn,
							 PTE_RW_FLAGS)), 0);
	EXPECT_EQ(mmu_update1(l2e_maddr(l2m, FREE_SLOT), mkpte(am, L2E_FLAGS)), 0);
	EXPECT_EQ(mmu_update1(l2e_maddr(l2m, FREE_SLOT + 1), mkpte(am, L2E_FLAGS)), 0);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, bm), 0);
	EXPECT_EQ(mmu_update1(l2e_maddr(bm, FREE_SLOT), mkpte(am, L2E_FLAGS)), 0);
	/* C: not pinned, only in B; it maps B and A read-only. */
	EXPECT_EQ(mmu_update1(l2e_maddr(bm, FREE_SLOT + 2), mkpte(cm, L2E_FLAGS)), 0);
	EXPECT_EQ(mmu_update1(l1e_maddr(cm, 0), mkpte(bm, PTE_RO_FLAGS)), 0);
	EXPECT_EQ(mmu_update1(l1e_maddr(cm, 1), mkpte(am, PTE_RO_FLAGS)), 0);
	/* Descriptor tables, and F (pinned) mapping them and E read-only. */
	EXPECT_EQ(set_gdt1(gm, 512), 0);
	EXPECT_EQ(set_ldt((uint32_t)l, 512), 0);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, fm), 0);
	EXPECT_EQ(mmu_update1(l1e_maddr(fm, 0), mkpte(gm, PTE_RO_FLAGS)), 0);
	EXPECT_EQ(mmu_update1(l1e_maddr(fm, 1), mkpte(lm, PTE_RO_FLAGS)), 0);
	EXPECT_EQ(mmu_update1(l1e_maddr(fm, 2), mkpte(em, PTE_RO_FLAGS)), 0);
	/* CR3 on E (not pinned, A in it); the bootstrap L2 unpinned, out of use. */
	EXPECT_EQ(new_baseptr(em), 0);
	EXPECT_EQ(mmu_update1(l2e_maddr(em, FREE_SLOT), mkpte(am, L2E_FLAGS)), 0);
	EXPECT_EQ(unpin(l2m), 0);
	EXPECT_EQ(*(volatile uint32_t *)FREE_VA, 0);
	*(volatile uint32_t *)(FREE_VA + 8) = 0x7a;
	EXPECT_EQ(d[2], 0x7a);
	EXPECT_EQ(decrease1(l2m), -XENO_EBUSY);		/* still mapped read-only */
	printf("leaving the knot for the hypervisor to untie\n");
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
