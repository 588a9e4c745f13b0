/* SPDX-License-Identifier: MIT */
/*
 * pt-l2-hypervisor-slots: write L2 slots 1008-1023 (the hypervisor's 64 MiB)
 * of the L2 in CR3 and of a second pinned L2: with mmu_update (clearing them,
 * pointing them at our own L1, at another slot's table, at the slot's own
 * value) and through the writable page-table assist; then pin an L2 whose
 * slots 1008-1023 hold garbage; and update_va_mapping and INVLPG above
 * 0xFC000000.
 *
 * Rule (abi.md 1.2, 5.1, 5.8, 6.1): updates of L2 slots 1008-1023 are refused
 * (-EPERM; the assist bounces the #PF) and change nothing; validation
 * overwrites those slots with the hypervisor's own entries; update_va_mapping
 * above 0xFC000000 is -EINVAL.
 * Why it matters: a guest entry in those slots maps the guest's own frames
 * (or anything) over the hypervisor, or unmaps the hypervisor from under
 * itself.
 */
#include <pt.h>

const char test_title[] = "pt-l2-hypervisor-slots: writing L2 slots 1008-1023";

static void attack(void)
{
	uint32_t *l2 = l2_table(), l2m = cur_l2_mfn(), *copy = copy_l2(), cm = virt_to_mfn(copy);
	uint32_t *garbage = alloc_page(), gm = virt_to_mfn(garbage), *l1 = alloc_table();
	uint32_t want[1024], bad = 0;

	memcpy(want, l2, sizeof(want));
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, cm), 0);
	for (unsigned int s = HV_SLOT; s < 1024; s++) {
		const uint32_t vals[] = { 0, want[s], mkpte(virt_to_mfn(l1), L2E_FLAGS),
					  want[HV_SLOT + (s + 1) % 16], mkpte(gm, PTE_RW_FLAGS) };

		for (unsigned int v = 0; v < ARRAY_SIZE(vals); v++) {
			bad += mmu_update1(l2e_maddr(l2m, s), vals[v]) != -XENO_EPERM;
			bad += mmu_update1(l2e_maddr(cm, s), vals[v]) != -XENO_EPERM;
		}
		/* The assist logs each refusal: two values are enough. */
		wpt_assist(true);
		bad += wpt_store(&l2[s], vals[0]) != EXINFO(14, 3);
		bad += wpt_store(&copy[s], vals[2]) != EXINFO(14, 3);
		wpt_assist(false);
	}
	EXPECT_EQ(bad, 0);
	for (unsigned int s = HV_SLOT; s < 1024; s++) {
		if (l2[s] != want[s] || copy[s] != want[s])
			xtf_failure("slot %u: %08x (copy %08x), expected %08x", s, l2[s], copy[s],
				    want[s]);
	}
	/* A batch stops at the first: done = 1, the guest slot before it applied. */
	{
		struct xeno_mmu_update u[2] = {
			{ l2e_maddr(l2m, FREE_SLOT), mkpte(virt_to_mfn(l1), L2E_FLAGS) },
			{ l2e_maddr(l2m, HV_SLOT), 0 },
		};
		uint32_t done = 99;

		EXPECT_EQ(HYPERCALL4(mmu_update, u, 2, &done, XENO_DOMID_SELF), -XENO_EPERM);
		EXPECT_EQ(done, 1);
		EXPECT_EQ(l2[FREE_SLOT] & ~PTE_A, mkpte(virt_to_mfn(l1), L2E_FLAGS) & ~PTE_A);
		EXPECT_EQ(l2[HV_SLOT], want[HV_SLOT]);
		EXPECT_EQ(mmu_update1(l2e_maddr(l2m, FREE_SLOT), 0), 0);
	}

	/* Validation writes the hypervisor's slots over whatever is there. */
	for (unsigned int s = HV_SLOT; s < 1024; s++)
		garbage[s] = mkpte(gm, PTE_RW_FLAGS | PTE_US);
	EXPECT_EQ(set_rw(garbage, false), 0);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, gm), 0);
	for (unsigned int s = HV_SLOT; s < 1024; s++)
		if (garbage[s] != want[s])
			xtf_failure("validated L2 slot %u: %08x, expected %08x", s, garbage[s],
				    want[s]);
	EXPECT_EQ(unpin(gm), 0);

	/* Nothing maps above 0xFC000000 through update_va_mapping either. */
	EXPECT_EQ(update_va((void *)XENO_HYPERVISOR_VIRT_START, mkpte(gm, PTE_RO_FLAGS), 0),
		  -XENO_EINVAL);
	EXPECT_EQ(update_va((void *)0xFF000000, 0, 0), -XENO_EINVAL);
	EXPECT_EQ(update_va((void *)0xFFFFF000, mkpte(gm, PTE_RO_FLAGS), 0), -XENO_EINVAL);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_INVLPG_LOCAL, XENO_HYPERVISOR_VIRT_START, 0), -XENO_EINVAL);
	/* The hypervisor still works for us: the M2P reads, hypercalls return. */
	EXPECT_EQ(m2p[gm], virt_to_pfn(garbage));
	EXPECT_EQ(unpin(cm), 0);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
