/* SPDX-License-Identifier: MIT */
/*
 * seg-gdt-stretch: multicalls of 256 set_gdt calls that alternate between
 * two maximal GDTs (14 frames, 7168 entries, every descriptor present and in
 * need of a fix-up), so that every call checks and validates 14 frames and
 * drops 14 others, for as long as the control runs; the supervisor measures
 * how long it cannot run meanwhile.
 *
 * Rule (abi.md 2.4, 5.6, 6.2): descriptor checks are counted work, so a
 * multicall of set_gdt calls is preempted between entries once the budget is
 * spent; Domain0's longest wait for the CPU stays near the control's.
 * Why it matters: set_gdt counted no work at all, so a multicall of them
 * held the only CPU (interrupts off) for half a second.
 */
#include <pt.h>
#include <seg.h>

const char test_title[] = "seg-gdt-stretch: multicalls of maximal set_gdt are preempted";

#define GDT_FRAMES	XENO_GDT_GUEST_FRAMES		/* 14 */
#define GDT_ENTS	XENO_FIRST_RESERVED_GDT_ENTRY	/* 7168 */
#define CALLS		XENO_MULTICALL_MAX		/* 256 */

static struct xeno_multicall_entry mc[CALLS];
static uint32_t frames[2][GDT_FRAMES];

static void attack(void)
{
	struct desc flat = mkdesc(0, 0xfffff, T_CODE_RX, 3, SEG32);	/* limit to cut */
	unsigned int rounds = 0;

	for (unsigned int t = 0; t < 2; t++) {
		struct desc *gdt = dtab_fill(GDT_FRAMES, flat);

		for (unsigned int i = 0; i < GDT_FRAMES; i++)
			frames[t][i] = virt_to_mfn(gdt + i * 512);
	}
	for (unsigned int i = 0; i < CALLS; i++)
		mc[i] = (struct xeno_multicall_entry){ __HYPERVISOR_set_gdt, -1,
						       { (uint32_t)frames[i % 2], GDT_ENTS } };
	do {
		EXPECT_EQ(HYPERCALL2(multicall, mc, CALLS), CALLS);
		for (unsigned int i = 0; i < CALLS; i++)
			EXPECT_EQ(mc[i].result, 0);
		rounds++;
	} while (!hostile_time_up());
	printf("%u multicalls of %u set_gdt\n", rounds, CALLS);
	/* The last call installed frames[1]: a limit cut to the ceiling. */
	CHECK(lsl(SEL(GDT_ENTS - 1, 3)) == SEG_END - 1, "GDT entry %u: limit %#x", GDT_ENTS - 1,
	      lsl(SEL(GDT_ENTS - 1, 3)));
	EXPECT_EQ(HYPERCALL2(set_gdt, frames[0], 0), 0);
	for (unsigned int t = 0; t < 2; t++)
		for (unsigned int i = 0; i < GDT_FRAMES; i++)
			EXPECT_EQ(page_set_ro(mfn_va(frames[t][i]), false), 0);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.flags = H_STRETCH,
	.mem_kb = 8192,
	.attack = attack,
};
