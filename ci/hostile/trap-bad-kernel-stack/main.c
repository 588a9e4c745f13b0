/* SPDX-License-Identifier: MIT */
/*
 * trap-bad-kernel-stack: register an unmapped ring-1 stack with
 * stack_switch, then trap from ring 3, so that the hypervisor cannot write
 * the bounce frame where it must (a trap from ring 3 switches to the
 * registered kernel stack, as the hardware would).
 *
 * Rule (abi.md 8): when the bounce frame cannot be written the domain is
 * killed with the reason on the console; the hypervisor neither faults on
 * the guest's stack nor loops bouncing the fault.  Why it matters: a write
 * fault inside the hypervisor's bounce path that is not fixed up would be a
 * panic any guest could trigger.
 */
#include <hostile.h>

const char test_title[] = "trap-bad-kernel-stack: a trap with an unmapped kernel stack";

static void attack(void)
{
	CHECK(probe_read(0x1000) != 0, "page 1 is mapped");
	EXPECT_EQ(HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, 0x00001000), 0);
	run_in_ring3(ring3_int3, 0);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.crash = "cannot write a frame for vector 3",
	.attack = attack,
};
