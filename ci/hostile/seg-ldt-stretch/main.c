/* SPDX-License-Identifier: MIT */
/*
 * seg-ldt-stretch: mmuext_op batches of 1024 MMUEXT_SET_LDT elements that
 * alternate between two maximal LDTs (8192 descriptors, 16 frames each, every
 * descriptor present and in need of a fix-up), so that every element takes
 * 16 frames out of use and validates 16 others, for as long as the control
 * runs; the supervisor measures how long it cannot run meanwhile.
 *
 * Rule (abi.md 2.4, 5.6): descriptor checks are counted work like page-table
 * entries, so a batch is preempted once the budget is spent, and one element
 * costs at most the validation of its own frames; Domain0's longest wait for
 * the CPU stays near the control's.
 * Why it matters: hypercalls run with interrupts off; each element used to
 * count as 16 units of work while validating 24576 descriptors, so one batch
 * held the only CPU for seconds.
 */
#include <pt.h>
#include <seg.h>

const char test_title[] = "seg-ldt-stretch: SET_LDT batches over maximal LDTs are preempted";

#define LDT_ENTS	8192
#define LDT_PAGES	(LDT_ENTS * 8 / PAGE_SIZE)
#define BATCH		1024

static struct xeno_mmuext_op ops[BATCH];

static void attack(void)
{
	struct desc flat = mkdesc(0, 0xfffff, T_DATA_RW, 3, SEG32);	/* limit to cut */
	struct desc *a = dtab_fill(LDT_PAGES, flat), *b = dtab_fill(LDT_PAGES, flat);
	unsigned int batches = 0;
	uint32_t done;

	for (unsigned int i = 0; i < BATCH; i++)
		ops[i] = (struct xeno_mmuext_op){ XENO_MMUEXT_SET_LDT,
						  (uint32_t)(i % 2 ? a : b), LDT_ENTS };
	do {
		done = 0;
		EXPECT_EQ(HYPERCALL4(mmuext_op, ops, BATCH, &done, XENO_DOMID_SELF), 0);
		EXPECT_EQ(done, BATCH);
		batches++;
	} while (!hostile_time_up());
	printf("%u batches of %u SET_LDT\n", batches, BATCH);
	/* The last element installed a: its limit was cut, the other LDT is free. */
	CHECK(lsl(LDT_SEL(LDT_ENTS - 1, 3)) == SEG_END - 1, "LDT entry %u: limit %#x",
	      LDT_ENTS - 1, lsl(LDT_SEL(LDT_ENTS - 1, 3)));
	EXPECT_EQ(page_set_ro(b, false), 0);
	EXPECT_EQ(set_ldt(0, 0), 0);
	for (unsigned int i = 0; i < LDT_PAGES; i++)
		EXPECT_EQ(page_set_ro(a + i * 512, false), 0);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.flags = H_STRETCH,
	.mem_kb = 8192,
	.attack = attack,
};
