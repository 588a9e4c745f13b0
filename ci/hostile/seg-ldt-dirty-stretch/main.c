/* SPDX-License-Identifier: MIT */
/*
 * seg-ldt-dirty-stretch: multicalls that load two maximal LDTs (8192
 * descriptors, 16 frames each, every descriptor present and in need of a
 * fix-up) in turn, and map the frames of the one not in use writable and
 * read-only again in between, so that every load checks and fixes all 16
 * frames anew, for as long as the control runs; the supervisor measures how
 * long it cannot run meanwhile.
 *
 * Rule (abi.md 2.4, 5.6): a descriptor frame is checked whenever it becomes
 * a descriptor frame again after a writable mapping, and those checks are
 * counted work, so the multicall is preempted once the budget is spent;
 * one SET_LDT costs at most the validation of its 16 frames.  Domain0's
 * longest wait for the CPU stays near the control's.
 * Why it matters: a hypervisor that saves work by remembering validated
 * frames must still count the work when an attacker defeats the memory.
 */
#include <pt.h>
#include <seg.h>

const char test_title[] = "seg-ldt-dirty-stretch: SET_LDT of rewritten maximal LDTs is preempted";

#define LDT_ENTS	8192
#define LDT_PAGES	(LDT_ENTS * 8 / PAGE_SIZE)
#define ROUNDS		(XENO_MULTICALL_MAX / 3)	/* load, writable, read-only */

static struct xeno_multicall_entry mc[3 * ROUNDS];
static struct xeno_mmu_update rw[2][LDT_PAGES], ro[2][LDT_PAGES];
static struct xeno_mmuext_op load[2];

static void attack(void)
{
	struct desc flat = mkdesc(0, 0xfffff, T_DATA_RW, 3, SEG32);	/* limit to cut */
	struct desc *ldt[2] = { dtab_fill(LDT_PAGES, flat), dtab_fill(LDT_PAGES, flat) };
	unsigned int calls = 0;

	for (unsigned int t = 0; t < 2; t++) {
		load[t] = (struct xeno_mmuext_op){ XENO_MMUEXT_SET_LDT, (uint32_t)ldt[t], LDT_ENTS };
		for (unsigned int i = 0; i < LDT_PAGES; i++) {
			uint32_t va = (uint32_t)(ldt[t] + i * 512), pte = *pte_of(va);

			rw[t][i] = (struct xeno_mmu_update){ pte_maddr(va), pte | PTE_RW };
			ro[t][i] = (struct xeno_mmu_update){ pte_maddr(va), pte & ~PTE_RW };
		}
	}
	/* Load t, then dirty the other one (out of use now), then load it... */
	for (unsigned int r = 0, t = 0; r < ROUNDS; r++, t ^= 1) {
		mc[3 * r] = (struct xeno_multicall_entry){ __HYPERVISOR_mmuext_op, -1,
			{ (uint32_t)&load[t], 1, 0, XENO_DOMID_SELF } };
		mc[3 * r + 1] = (struct xeno_multicall_entry){ __HYPERVISOR_mmu_update, -1,
			{ (uint32_t)rw[t ^ 1], LDT_PAGES, 0, XENO_DOMID_SELF } };
		mc[3 * r + 2] = (struct xeno_multicall_entry){ __HYPERVISOR_mmu_update, -1,
			{ (uint32_t)ro[t ^ 1], LDT_PAGES, 0, XENO_DOMID_SELF } };
	}
	do {
		EXPECT_EQ(HYPERCALL2(multicall, mc, 3 * ROUNDS), 3 * ROUNDS);
		for (unsigned int i = 0; i < 3 * ROUNDS; i++)
			EXPECT_EQ(mc[i].result, 0);
		calls++;
	} while (!hostile_time_up());
	printf("%u multicalls of %u loads of a rewritten LDT\n", calls, ROUNDS);
	CHECK(lsl(LDT_SEL(LDT_ENTS - 1, 3)) == SEG_END - 1, "LDT entry %u: limit %#x",
	      LDT_ENTS - 1, lsl(LDT_SEL(LDT_ENTS - 1, 3)));
	EXPECT_EQ(set_ldt(0, 0), 0);
	for (unsigned int t = 0; t < 2; t++)
		for (unsigned int i = 0; i < LDT_PAGES; i++)
			EXPECT_EQ(page_set_ro(ldt[t] + i * 512, false), 0);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.flags = H_STRETCH,
	.mem_kb = 8192,
	.attack = attack,
};
