/* SPDX-License-Identifier: MIT */
/*
 * con-flood-unbroken: multicalls of 256 console_io writes of 4 KiB each
 * with no newline anywhere, one endless line, for as long as the control
 * runs; the supervisor measures how long it cannot run meanwhile.
 *
 * Rule (abi.md 2.4, 7.3): a domain's line is buffered only up to the
 * console's line length, then printed (with its prefix) as counted, rate-
 * limited output like any other; Domain0's longest wait for the CPU stays
 * near the control's.
 * Why it matters: a line buffer that waits for a newline either grows
 * without bound or is flushed outside every limit.
 */
#include <con.h>

const char test_title[] = "con-flood-unbroken: 4 KiB console writes without a newline";

static char text[XENO_CONSOLEIO_MAX];

static void attack(void)
{
	for (unsigned int i = 0; i < sizeof(text); i++)
		text[i] = 'A' + i % 26;
	console_flood(text, sizeof(text), XENO_MULTICALL_MAX);
	printf("\n");
}

const struct hostile hostile = { .where = IN_DOMU, .flags = H_STRETCH, .attack = attack };
