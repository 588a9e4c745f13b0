/* SPDX-License-Identifier: MIT */
/*
 * seg-update-stretch: multicalls of 256 update_descriptor calls over every
 * entry of a maximal LDT (16 frames), each descriptor in need of a fix-up,
 * for as long as the control runs; the supervisor measures how long it
 * cannot run meanwhile.
 *
 * Rule (abi.md 2.4, 5.6, 6.9): every descriptor check is counted work and
 * every multicall entry costs work of its own, so a multicall is preempted
 * between entries once the budget is spent; Domain0's longest wait for the
 * CPU stays near the control's, and each update lands exactly once.
 * Why it matters: update_descriptor counted no work; a multicall of cheap
 * calls is the way to try whether the hypervisor counts entries at all.
 */
#include <pt.h>
#include <seg.h>

const char test_title[] = "seg-update-stretch: multicalls of update_descriptor are preempted";

#define LDT_ENTS	8192
#define LDT_PAGES	(LDT_ENTS * 8 / PAGE_SIZE)
#define CALLS		XENO_MULTICALL_MAX

static struct xeno_multicall_entry mc[CALLS];

static void attack(void)
{
	struct desc flat = mkdesc(0, 0xfffff, T_DATA_RW, 3, SEG32);
	struct desc *ldt = dtab_fill(LDT_PAGES, flat), d;
	unsigned int rounds = 0, next = 0;

	EXPECT_EQ(set_ldt((uint32_t)ldt, LDT_ENTS), 0);
	do {
		/* Entry i gets base i * 16 (fix-up: the limit is cut below the ceiling). */
		for (unsigned int i = 0; i < CALLS; i++, next = (next + 1) % LDT_ENTS) {
			d = mkdesc(next * 16, 0xfffff, T_DATA_RW, 3, SEG32);
			mc[i] = (struct xeno_multicall_entry){ __HYPERVISOR_update_descriptor, -1,
				{ virt_to_maddr(&ldt[next]), d.lo, d.hi } };
		}
		EXPECT_EQ(HYPERCALL2(multicall, mc, CALLS), CALLS);
		for (unsigned int i = 0; i < CALLS; i++)
			EXPECT_EQ(mc[i].result, 0);
		rounds++;
	} while (!hostile_time_up());
	printf("%u multicalls of %u update_descriptor\n", rounds, CALLS);
	for (unsigned int i = 0; i < LDT_ENTS && i < rounds * CALLS; i += 97)
		CHECK(desc_base(ldt[i]) == i * 16, "LDT entry %u: base %#x", i, desc_base(ldt[i]));
	EXPECT_EQ(set_ldt(0, 0), 0);
	for (unsigned int i = 0; i < LDT_PAGES; i++)
		EXPECT_EQ(page_set_ro(ldt + i * 512, false), 0);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.flags = H_STRETCH,
	.mem_kb = 8192,
	.attack = attack,
};
