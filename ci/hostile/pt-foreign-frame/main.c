/* SPDX-License-Identifier: MIT */
/*
 * pt-foreign-frame: page-table entries naming frames the attacker does not
 * own: the bystander's canary frame, a frame of the hypervisor image, a
 * frame past the end of RAM; read-only and writable; through
 * update_va_mapping and mmu_update.
 *
 * Rule (abi.md 5.1): a domain's page tables may name only frames it owns
 * (-EPERM), and a refused update changes nothing.  Why it matters: one such
 * entry and a guest reads or writes any memory of the machine, another
 * domain's or the hypervisor's.
 */
#include <hostile.h>

const char test_title[] = "pt-foreign-frame: mapping frames we do not own";

static void attack(void)
{
	const uint32_t targets[] = { foreign_mfn(), hypervisor_mfn(), max_machine_frame() + 1,
				     0xfffff };
	const uint32_t flags[] = { PTE_P, PTE_P | PTE_RW, PTE_P | PTE_RW | PTE_US };
	uint32_t va = spare_va(), old = *pte_of(va);

	CHECK(targets[0] && targets[0] != virt_to_mfn((void *)va), "no victim frame");
	for (unsigned int t = 0; t < ARRAY_SIZE(targets); t++) {
		for (unsigned int f = 0; f < ARRAY_SIZE(flags); f++) {
			uint32_t pte = targets[t] << PAGE_SHIFT | flags[f];

			EXPECT_EQ(update_va((void *)va, pte, XENO_UVMF_INVLPG), -XENO_EPERM);
			EXPECT_EQ(mmu_update1(mmu_ptr(pte_maddr(va), XENO_MMU_NORMAL_PT_UPDATE), pte),
				  -XENO_EPERM);
			EXPECT_EQ(*pte_of(va), old);
		}
	}
	*(volatile uint32_t *)va = 1;	/* still our own page, still writable */
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
