/* SPDX-License-Identifier: MIT */
/*
 * trap-iret-unreadable: the iret hypercall (int $0x82, EAX = 17) with ESP just
 * below 0xFC000000, so the frame runs into the hypervisor's area.
 *
 * Rule (abi.md 4.5, 8): killed with "bad iret frame at ESP".
 * Why it matters: the hypervisor must neither read the frame from its own
 * memory nor fault on it unfixed.
 */
#include <hostile.h>

const char test_title[] = "trap-iret-unreadable: an iret frame across 0xFC000000";

static void attack(void)
{
	asm volatile("mov $0xFBFFFFF8, %%esp\n int $0x82\n1: jmp 1b\n"
		     : : "a"(__HYPERVISOR_iret) : "memory");
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.crash = "bad iret frame at fbfffff8",
	.attack = attack,
};
