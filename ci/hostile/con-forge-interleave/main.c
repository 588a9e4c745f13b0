/* SPDX-License-Identifier: MIT */
/*
 * con-forge-interleave: print lines without our "(dN) " prefix by leaving a
 * line open and making the hypervisor print in between (a refused pin, so
 * the console's idea of who owns the line goes stale): open-line writes
 * followed by a hypervisor message and "Test result: SUCCESS", the same in
 * one multicall with "(xeno) machine exit: pass", a line left open past the
 * console's timeout.  The supervisor reads every byte of the log while we
 * run (H_CONSOLE).
 *
 * Rule (abi.md 7.3): every byte an unprivileged domain writes ends up on a
 * line that starts with its "(dN) ", whatever the interleaving with the
 * hypervisor's and Domain0's output; an open line is completed, not
 * abandoned, and a line of another writer is ended before ours starts.
 * Why it matters: the serial console is what people and the test judge
 * trust; a domain that can print "(xeno) machine exit: pass" or "Test
 * result: SUCCESS" at the start of a line can impersonate the hypervisor
 * and Domain0 and make a failed run look passed.
 */
#include <con.h>

const char test_title[] = "con-forge-interleave: unprefixed lines through interleaved output";

static const char *const lines[] = {
	"a FORGED-1 Test result: SUCCESS FORGED-1b",
	"b FORGED-2 (xeno) machine exit: pass FORGED-2b",
	"c FORGED-3",
	"Test result: SUCCESS FORGED-3b",
	NULL,
};

static struct xeno_multicall_entry mc[3];

static void attack(void)
{
	static const char open2[] = "b FORGED-2 ", rest2[] = "(xeno) machine exit: pass FORGED-2b\n";

	EXPECT_EQ(con_write("a FORGED-1 "), 11);
	EXPECT_EQ(provoke_printk(), -XENO_EINVAL);
	EXPECT_EQ(con_write("Test result: SUCCESS FORGED-1b\n"), 31);

	provoke_printk();	/* sets provoke_op up */
	mc[0] = (struct xeno_multicall_entry){ __HYPERVISOR_console_io, -1,
		{ XENO_CONSOLEIO_WRITE, sizeof(open2) - 1, (uint32_t)open2 } };
	mc[1] = (struct xeno_multicall_entry){ __HYPERVISOR_mmuext_op, -1,
		{ (uint32_t)&provoke_op, 1, 0, XENO_DOMID_SELF } };
	mc[2] = (struct xeno_multicall_entry){ __HYPERVISOR_console_io, -1,
		{ XENO_CONSOLEIO_WRITE, sizeof(rest2) - 1, (uint32_t)rest2 } };
	EXPECT_EQ(HYPERCALL2(multicall, mc, 3), 3);
	EXPECT_EQ(mc[1].result, -XENO_EINVAL);

	/* Open past the console's timeout: printed alone, the rest on a new line. */
	con_write("c FORGED-3");
	sleep_ns(300000000ull);
	provoke_printk();
	con_write("Test result: SUCCESS FORGED-3b\n");
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.flags = H_CONSOLE,
	.attack = attack,
	.lines = lines,
};
