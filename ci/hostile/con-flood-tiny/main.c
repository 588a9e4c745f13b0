/* SPDX-License-Identifier: MIT */
/*
 * con-flood-tiny: multicalls of 256 console_io writes of one newline each
 * (every write a line of its own, the prefix costing more than the text),
 * for as long as the control runs; the supervisor measures how long it
 * cannot run meanwhile.
 *
 * Rule (abi.md 2.4, 7.3): every console write costs work of its own besides
 * its bytes, and the prefixes a domain's lines get count against its output
 * rate, so many tiny writes are no cheaper a flood than a few large ones.
 * Why it matters: a limit on bytes alone lets a guest amplify its output,
 * and a count of bytes alone makes empty calls free.
 */
#include <con.h>

const char test_title[] = "con-flood-tiny: multicalls of one-byte console writes";

static void attack(void)
{
	console_flood("\n", 1, XENO_MULTICALL_MAX);
}

const struct hostile hostile = { .where = IN_DOMU, .flags = H_STRETCH, .attack = attack };
