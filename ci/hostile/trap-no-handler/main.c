/* SPDX-License-Identifier: MIT */
/*
 * trap-no-handler: clear the whole trap table with set_trap_table(NULL), then
 * execute ud2.
 *
 * Rule (abi.md 4.1, 4.2, 8): killed with "unhandled invalid opcode (vector 6,
 * ...)".
 * Why it matters: the hypervisor must neither bounce to a stale or null
 * handler nor loop on the fault.
 */
#include <hostile.h>

const char test_title[] = "trap-no-handler: an exception with no handler";

static void attack(void)
{
	CHECK(HYPERCALL1(set_trap_table, 0) == 0, "set_trap_table(NULL)");
	asm volatile("ud2");
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.crash = "unhandled invalid opcode (vector 6, error 0000) at e019:",
	.attack = attack,
};
