/* SPDX-License-Identifier: MIT */
/*
 * trap-iret-ring0: the iret hypercall with a frame whose CS is the
 * hypervisor's ring-0 code selector.
 *
 * Rule (abi.md 4.5, 6.16): killed with "bad iret frame at ESP".
 * Why it matters: the hypervisor's own iret would take the frame as it is and
 * run the guest's code in ring 0.
 */
#include <hostile.h>

const char test_title[] = "trap-iret-ring0: an iret frame to ring 0";

volatile uint32_t ran_in_ring0;
void ring0_target(void);
asm(".text\n.globl ring0_target\nring0_target:\n"
    " movl $1, ran_in_ring0\n1: jmp 1b\n");

static void attack(void)
{
	asm volatile("push $0x202\n push $0xE008\n push $ring0_target\n"
		     "jmp hypercall_page + 17 * 32\n" : : : "memory");
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.crash = "bad iret frame at",
	.attack = attack,
};
