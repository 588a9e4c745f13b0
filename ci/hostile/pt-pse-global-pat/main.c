/* SPDX-License-Identifier: MIT */
/*
 * pt-pse-global-pat: entries with the bits that change what an entry means:
 * PAT (bit 7) and G (bit 8) in L1 entries, PSE (bit 7: a 4 MiB page over our
 * own memory) and G in L2 entries; by update_va_mapping, mmu_update,
 * multicall and the page-table assist, and in tables that are then pinned.
 * Also: the allowed bits pass, and non-present entries may hold anything.
 *
 * Rule (abi.md 5.2, 6.1, 6.12): a present L1 entry with PAT or G, or a
 * present L2 entry with PSE or G, is -EINVAL and changes nothing; a table
 * holding one fails validation (-EINVAL) and stays an ordinary page.
 * Why it matters: a PSE entry maps 4 MiB of frames that were never checked
 * (other domains', the hypervisor's); a global entry survives the CR3 switch
 * into another domain; PAT changes caching behind the hypervisor's back.
 */
#include <pt.h>

const char test_title[] = "pt-pse-global-pat: PSE, G and PAT bits in page-table entries";

static void table_refused(const char *what, uint32_t cmd, unsigned int index, uint32_t e)
{
	uint32_t *t = alloc_page();

	t[index] = e;
	EXPECT_EQ(set_rw(t, false), 0);
	if (pin(cmd, virt_to_mfn(t)) != -XENO_EINVAL)
		xtf_failure("a table with %s validated", what);
	if (cmd == XENO_MMUEXT_PIN_L1_TABLE &&
	    mmu_update1(l2e_maddr(cur_l2_mfn(), FREE_SLOT), mkpte(virt_to_mfn(t), L2E_FLAGS)) !=
		    -XENO_EINVAL)
		xtf_failure("an L1 with %s was hooked into the L2", what);
	if (cmd == XENO_MMUEXT_PIN_L2_TABLE && new_baseptr(virt_to_mfn(t)) != -XENO_EINVAL)
		xtf_failure("an L2 with %s became CR3", what);
	EXPECT_EQ(set_rw(t, true), 0);		/* not left typed */
}

static void attack(void)
{
	uint32_t *page = alloc_page(), pm = virt_to_mfn(page), va = spare_va();
	/* 4 MiB of our own memory as one PSE page (frame of our first page). */
	uint32_t big = p2m[0] & ~1023u;
	const uint32_t l1_bad[] = { PTE_PAT, PTE_G, PTE_PAT | PTE_G };
	const uint32_t l2_bad[] = { PTE_PSE, PTE_G, PTE_PSE | PTE_G };
	uint32_t *l1 = alloc_table(), l1m = virt_to_mfn(l1);
	char what[64];

	*(volatile uint32_t *)va = 0x1234;
	for (unsigned int i = 0; i < ARRAY_SIZE(l1_bad); i++) {
		snprintf(what, sizeof(what), "L1 entry with bits %03x", l1_bad[i]);
		expect_pte_refused(what, mkpte(pm, PTE_RW_FLAGS | l1_bad[i]), -XENO_EINVAL);
		expect_pte_refused(what, mkpte(pm, PTE_RO_FLAGS | l1_bad[i]), -XENO_EINVAL);
		table_refused(what, XENO_MMUEXT_PIN_L1_TABLE, 17,
			      mkpte(pm, PTE_RO_FLAGS | l1_bad[i]));
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(l2_bad); i++) {
		snprintf(what, sizeof(what), "L2 entry with bits %03x", l2_bad[i]);
		expect_l2e_refused(what, mkpte(big, L2E_FLAGS | l2_bad[i]), -XENO_EINVAL);
		expect_l2e_refused(what, mkpte(l1m, L2E_FLAGS | l2_bad[i]), -XENO_EINVAL);
		table_refused(what, XENO_MMUEXT_PIN_L2_TABLE, 5, mkpte(l1m, L2E_FLAGS | l2_bad[i]));
	}
	/* A 4 MiB page over the hypervisor's own area is no better. */
	expect_l2e_refused("PSE entry for machine 0", PTE_P | PTE_RW | PTE_PSE, -XENO_EINVAL);

	/* The allowed bits pass: PWT, PCD, AVL in L1; D and AVL in L2. */
	EXPECT_EQ(update_va((void *)va, mkpte(pm, PTE_RW_FLAGS | PTE_PWT | PTE_PCD | PTE_AVAIL),
			    XENO_UVMF_INVLPG), 0);
	page[0] = 0x600d;
	EXPECT_EQ(*(volatile uint32_t *)va, 0x600d);
	EXPECT_EQ(mmu_update1(l2e_maddr(cur_l2_mfn(), FREE_SLOT),
			      mkpte(l1m, L2E_FLAGS | PTE_D | PTE_AVAIL)), 0);
	EXPECT_EQ(mmu_update1(l2e_maddr(cur_l2_mfn(), FREE_SLOT), 0), 0);
	/* Not present: never examined, kept as written. */
	EXPECT_EQ(update_va((void *)va, 0xfffff000u | PTE_PAT | PTE_G | PTE_RW, XENO_UVMF_INVLPG),
		  0);
	EXPECT_EQ(*pte_of(va), 0xfffff000u | PTE_PAT | PTE_G | PTE_RW);
	EXPECT_EQ(probe_read(va), EXINFO(14, 0));
	EXPECT_EQ(mmu_update1(l2e_maddr(cur_l2_mfn(), FREE_SLOT), 0xfffff000u | PTE_PSE | PTE_G),
		  0);
	EXPECT_EQ(l2_table()[FREE_SLOT], 0xfffff000u | PTE_PSE | PTE_G);
	EXPECT_EQ(probe_read(FREE_VA), EXINFO(14, 0));
	EXPECT_EQ(mmu_update1(l2e_maddr(cur_l2_mfn(), FREE_SLOT), 0), 0);
	EXPECT_EQ(update_va((void *)va, mkpte(pm, PTE_RW_FLAGS), XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(*(volatile uint32_t *)va, 0x600d);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
