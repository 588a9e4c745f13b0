/* SPDX-License-Identifier: MIT */
/*
 * machine-exit: Domain0 ends the machine with a verdict (dom0_op
 * MACHINE_EXIT, abi.md 6.19).  Verdicts past SKIP are refused with -EINVAL
 * and the machine runs on; SUCCESS ends it at once with "machine exit:
 * pass" (QEMU status 33), after this test has printed its verdict line.
 * The other verdicts' exit codes are checked end to end by
 * ci/t-xenolinux.sh (a failing in-guest test must end QEMU with 35).
 */
#include <guest.h>

const char test_title[] = "machine-exit: Domain0 ends the machine with a verdict";

static long machine_exit(uint32_t verdict)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_MACHINE_EXIT };

	op.u.machine_exit.verdict = verdict;
	return dom0_op(&op);
}

void test_main(void)
{
	const uint32_t bad[] = { XENO_VERDICT_SKIP + 1, 0x100, 0xffffffff };
	long rc;

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		rc = machine_exit(bad[i]);
		if (rc != -XENO_EINVAL) {
			xtf_failure("verdict %#x: %ld, expected -EINVAL", bad[i], rc);
			xtf_exit();
		}
	}
	printf("Test result: SUCCESS\n");	/* the machine ends next */
	rc = machine_exit(XENO_VERDICT_SUCCESS);
	xtf_failure("MACHINE_EXIT SUCCESS returned %ld", rc);
	xtf_exit();
}
