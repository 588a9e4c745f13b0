/* SPDX-License-Identifier: MIT */
/*
 * pt-foreign-table: reach the bystander through its page tables: map its L1
 * and L2 (read-only and writable), hook its L1 into our L2 (its mappings
 * would become ours), pin, unpin and load its tables as our CR3, write its
 * entries with mmu_update, install its frames as GDT or LDT frames, and pin
 * tables of ours that name its frames.
 *
 * Rule (abi.md 5.1, 6.1, 6.18): every entry, pin, CR3 and table update may
 * name only the caller's own frames: -EPERM, and nothing changes, neither for
 * us nor for the bystander.
 * Why it matters: one foreign table in our L2 and every page the bystander
 * maps is ours; unpinning or writing its tables would corrupt or take over
 * its address space.
 */
#include <pt.h>

const char test_title[] = "pt-foreign-table: the bystander's page tables";

static void attack(void)
{
	uint32_t victim = hostile_arg("victim", 0), vl1 = hostile_arg("victim_l1", 0);
	uint32_t vl2 = hostile_arg("victim_l2", 0), *t = alloc_page(), *w = alloc_page();
	const uint32_t frames[] = { victim, vl1, vl2 };
	const char *const names[] = { "its canary frame", "its L1", "its L2" };
	char what[80];

	CHECK(victim && vl1 && vl2, "the bystander gave no frames");
	for (unsigned int i = 0; i < ARRAY_SIZE(frames); i++) {
		uint32_t f = frames[i];

		snprintf(what, sizeof(what), "%s read-only", names[i]);
		expect_pte_refused(what, mkpte(f, PTE_RO_FLAGS), -XENO_EPERM);
		snprintf(what, sizeof(what), "%s writable", names[i]);
		expect_pte_refused(what, mkpte(f, PTE_RW_FLAGS), -XENO_EPERM);
		snprintf(what, sizeof(what), "%s as our L1", names[i]);
		expect_l2e_refused(what, mkpte(f, L2E_FLAGS), -XENO_EPERM);
		expect_l2e_refused(what, mkpte(f, PTE_P | PTE_A), -XENO_EPERM);
		EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, f), -XENO_EPERM);
		EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, f), -XENO_EPERM);
		EXPECT_EQ(unpin(f), -XENO_EPERM);
		EXPECT_EQ(new_baseptr(f), -XENO_EPERM);
		EXPECT_EQ(set_gdt1(f, 512), -XENO_EPERM);
		/* Its entries, through mmu_update's machine address. */
		EXPECT_EQ(mmu_update1(mmu_ptr(f << PAGE_SHIFT, XENO_MMU_NORMAL_PT_UPDATE), 0),
			  -XENO_EPERM);
		EXPECT_EQ(mmu_update1(mmu_ptr((f << PAGE_SHIFT) + 4 * FREE_SLOT,
					      XENO_MMU_NORMAL_PT_UPDATE),
				      mkpte(virt_to_mfn(w), PTE_RW_FLAGS)), -XENO_EPERM);
		/* Our own tables naming its frames fail validation, and stay ours. */
		t[1] = mkpte(f, PTE_RO_FLAGS);
		EXPECT_EQ(set_rw(t, false), 0);
		EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, virt_to_mfn(t)), -XENO_EPERM);
		EXPECT_EQ(set_rw(t, true), 0);
		t[1] = mkpte(f, L2E_FLAGS);
		EXPECT_EQ(set_rw(t, false), 0);
		EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, virt_to_mfn(t)), -XENO_EPERM);
		EXPECT_EQ(new_baseptr(virt_to_mfn(t)), -XENO_EPERM);
		EXPECT_EQ(set_rw(t, true), 0);
		t[1] = 0;
	}
	/* Its pages as our LDT: only through a mapping we cannot make. */
	EXPECT_EQ(update_va(w, mkpte(vl2, PTE_RO_FLAGS), XENO_UVMF_INVLPG), -XENO_EPERM);
	EXPECT_EQ(set_ldt((uint32_t)FREE_VA, 16), -XENO_EFAULT);
	w[0] = 1;
	EXPECT_EQ(w[0], 1);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
