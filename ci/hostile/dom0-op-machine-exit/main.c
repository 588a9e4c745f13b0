/* SPDX-License-Identifier: MIT */
/*
 * dom0-op-machine-exit: an unprivileged domain ends the machine through
 * dom0_op MACHINE_EXIT, with every verdict and with bad ones, good and bad
 * interface versions.
 *
 * Rule (abi.md 6.19): MACHINE_EXIT is Domain0's alone; a domU gets -EPERM
 * and the machine runs on (the supervisor then judges the run, which it
 * could not if the machine had ended).
 * Why it matters: a guest that could end the machine would stop every
 * other domain, and could forge the verdict a test run reports.
 */
#include <hostile.h>

const char test_title[] = "dom0-op-machine-exit: a domU ends the machine with a verdict";

static void attack(void)
{
	const uint32_t verdicts[] = { XENO_VERDICT_SUCCESS, XENO_VERDICT_FAILURE,
				      XENO_VERDICT_ERROR, XENO_VERDICT_SKIP, 4, 0xffffffff };
	struct xeno_dom0_op op;

	for (unsigned int i = 0; i < ARRAY_SIZE(verdicts); i++) {
		memset(&op, 0, sizeof(op));
		op.cmd = XENO_DOM0_MACHINE_EXIT;
		op.u.machine_exit.verdict = verdicts[i];
		EXPECT_EQ(dom0_op(&op), -XENO_EPERM);
		op.interface_version = 0;
		EXPECT_EQ(HYPERCALL1(dom0_op, &op), -XENO_EPERM);
	}
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
