/* SPDX-License-Identifier: MIT */
/*
 * con-forge-bytes: print lines that a terminal or a log parser would take
 * for the hypervisor's or Domain0's: a carriage return before "Test result:
 * SUCCESS", escape sequences that erase the line and move the cursor to
 * column 1, backspaces over our prefix, NUL, DEL, 8-bit CSI and other bytes
 * above 0x7e, CR-LF line ends, a line longer than the console's line buffer
 * with "Test result: SUCCESS" where it is cut, blank lines before "(xeno)
 * machine exit: pass", and all of it once more through a multicall.  The
 * supervisor reads every byte of the log while we run (H_CONSOLE).
 *
 * Rule (abi.md 7.3): an unprivileged domain's control bytes never reach
 * the console: a CR is dropped, every other byte outside printable ASCII
 * (tab excepted) becomes '?'; a line is cut into pieces of at most 128
 * bytes, each with the prefix; so each line of ours starts with "(dN) " on
 * the terminal too.
 * Why it matters: "\r" or "ESC [2K ESC [1G" rewrite what a terminal shows,
 * and a judge that strips control bytes sees a line start where we chose.
 */
#include <con.h>

const char test_title[] = "con-forge-bytes: control bytes, escapes and long lines";

#define LONG_PAD	128	/* the console's line buffer */

static const char *const lines[] = {
	"a FORGED-1Test result: SUCCESS",
	"?[2K?[1GTest result: SUCCESS FORGED-2",
	"??????Test result: SUCCESS FORGED-3",
	"??2K??? FORGED-4 ?",
	"b FORGED-5",
	"Test result: SUCCESS FORGED-6",
	"",
	"(xeno) machine exit: pass FORGED-7",
	"\tFORGED-8",
	NULL,
};

static const char text[] =
	"a FORGED-1\rTest result: SUCCESS\n"
	"\x1b[2K\x1b[1GTest result: SUCCESS FORGED-2\n"
	"\b\b\b\b\b\bTest result: SUCCESS FORGED-3\n"
	"\0\x9b" "2K\x7f\x85\xff FORGED-4 \x07\n"
	"b FORGED-5\r\n"
	"\n\n(xeno) machine exit: pass FORGED-7\n"
	"\tFORGED-8\n";
static char longline[LONG_PAD + 64];
static struct xeno_multicall_entry mc[2];

static void attack(void)
{
	uint32_t n = sizeof(text) - 1;

	memset(longline, 'x', LONG_PAD);
	memcpy(longline, "FORGED-6 ", 9);
	memcpy(longline + LONG_PAD, "Test result: SUCCESS FORGED-6\n", 30);
	EXPECT_EQ(con_write_n(text, n), n);
	EXPECT_EQ(con_write_n(longline, LONG_PAD + 30), LONG_PAD + 30);
	mc[0] = (struct xeno_multicall_entry){ __HYPERVISOR_console_io, -1,
		{ XENO_CONSOLEIO_WRITE, n, (uint32_t)text } };
	mc[1] = (struct xeno_multicall_entry){ __HYPERVISOR_console_io, -1,
		{ XENO_CONSOLEIO_WRITE, LONG_PAD + 30, (uint32_t)longline } };
	EXPECT_EQ(HYPERCALL2(multicall, mc, 2), 2);
	EXPECT_EQ(mc[0].result, n);
	EXPECT_EQ(mc[1].result, LONG_PAD + 30);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.flags = H_CONSOLE,
	.attack = attack,
	.lines = lines,
};
