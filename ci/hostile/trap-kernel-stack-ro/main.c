/* SPDX-License-Identifier: MIT */
/*
 * trap-kernel-stack-ro: register a kernel stack whose top page is mapped
 * read-only (our own page directory), then trap from ring 3.
 *
 * Rule (abi.md 2.1, 4.2, 8): the frame is written with the guest's permissions
 * (CR0.WP): killed with "cannot write a frame for vector 3 on the kernel
 * stack".
 * Why it matters: a guest's read-only pages are its page tables and descriptor
 * tables; a frame written there would forge page-table entries.
 */
#include <hostile.h>

const char test_title[] = "trap-kernel-stack-ro: a kernel stack on a read-only page";

static void attack(void)
{
	uint32_t l2 = start_info->pt_base;

	CHECK(probe_write(l2 + 0xffc, 0) != 0, "the L2 is writable");
	EXPECT_EQ(HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, l2 + PAGE_SIZE), 0);
	run_in_ring3(ring3_int3, 0);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.crash = "cannot write a frame for vector 3 on the kernel stack",
	.attack = attack,
};
