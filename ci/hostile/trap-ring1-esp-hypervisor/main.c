/* SPDX-License-Identifier: MIT */
/*
 * trap-ring1-esp-hypervisor: point the ring-1 ESP into the hypervisor's area
 * (0xFC000010, the read-only M2P) and push, so the fault's own frame would go
 * on that stack.
 *
 * Rule (abi.md 4.2, 8): killed with "cannot write a frame for vector 14 on the
 * kernel stack".
 * Why it matters: writing the frame at ESP would let a guest kernel write part
 * of a trap frame anywhere in the hypervisor.
 */
#include <hostile.h>

const char test_title[] = "trap-ring1-esp-hypervisor: a ring-1 stack in the hypervisor";

static void attack(void)
{
	asm volatile("mov $0xFC000010, %%esp\n push %%eax\n1: jmp 1b\n" : : : "memory");
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.crash = "cannot write a frame for vector 14 on the kernel stack e021:fc000010",
	.attack = attack,
};
