/* SPDX-License-Identifier: MIT */
/*
 * trap-iret-ring2: the iret hypercall with a frame whose CS is the flat ring-1
 * code selector with RPL 2, and a ring-2 stack.
 *
 * Rule (abi.md 4.5, 6.16): killed with "bad iret frame at ESP".
 * Why it matters: ring 2 is no ring the hypervisor virtualizes: its traps,
 * stacks and events all assume ring 1 or ring 3.
 */
#include <hostile.h>

const char test_title[] = "trap-iret-ring2: an iret frame to ring 2";

static void attack(void)
{
	static uint32_t stack[64];

	asm volatile("push $0xE022\n push %0\n push $0x202\n push $0xE01A\n push $1f\n"
		     "jmp hypercall_page + 17 * 32\n"
		     "1: jmp 1b\n" : : "r"(&stack[60]) : "memory");
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.crash = "bad iret frame at",
	.attack = attack,
};
