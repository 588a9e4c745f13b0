/* SPDX-License-Identifier: MIT */
/*
 * con-flood-lines: multicalls of 256 console_io writes of 4 KiB each (64
 * lines of text), for as long as the control runs; the supervisor measures
 * how long it cannot run meanwhile.
 *
 * Rule (abi.md 2.4, 7.3): console output is counted work, and an
 * unprivileged domain's output never waits for the serial line: it is
 * buffered, rate-limited and dropped (with a count) beyond its share, so
 * Domain0's longest wait for the CPU stays near the control's.
 * Why it matters: console output went to a polled UART with interrupts off
 * and counted no work, so one multicall held the only CPU for seconds (at a
 * real 115200 baud, one 4 KiB write alone took 385 ms).
 */
#include <con.h>

const char test_title[] = "con-flood-lines: multicalls of 4 KiB console writes";

static char text[XENO_CONSOLEIO_MAX];

static void attack(void)
{
	for (unsigned int i = 0; i < sizeof(text); i++)
		text[i] = i % 64 == 63 ? '\n' : 'a' + (i / 64) % 26;
	console_flood(text, sizeof(text), XENO_MULTICALL_MAX);
}

const struct hostile hostile = { .where = IN_DOMU, .flags = H_STRETCH, .attack = attack };
