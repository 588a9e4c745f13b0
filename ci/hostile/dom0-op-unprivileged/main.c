/* SPDX-License-Identifier: MIT */
/*
 * dom0-op-unprivileged: every dom0_op command from an unprivileged domain:
 * destroy, pause, change the memory or the scheduling of the bystander,
 * create a domain, read the console, run debug keys; with good and bad
 * pointers and interface versions.
 *
 * Rule (abi.md 6.19): dom0_op is for privileged domains only (-EPERM,
 * checked before anything is read).  Why it matters: these commands control
 * every domain's life, memory and CPU.
 */
#include <hostile.h>

const char test_title[] = "dom0-op-unprivileged: control operations from a domU";

static void attack(void)
{
	uint32_t by = hostile_arg("bystander", 0);
	struct xeno_dom0_op op;

	CHECK(by, "no bystander id");
	for (uint32_t cmd = 0; cmd <= 16; cmd++) {
		memset(&op, 0, sizeof(op));
		op.cmd = cmd;
		op.u.domain.domid = by;
		EXPECT_EQ(dom0_op(&op), -XENO_EPERM);
		op.interface_version = 0;
		EXPECT_EQ(HYPERCALL1(dom0_op, &op), -XENO_EPERM);
		EXPECT_EQ(HYPERCALL1(dom0_op, XENO_HYPERVISOR_VIRT_START), -XENO_EPERM);
		EXPECT_EQ(HYPERCALL1(dom0_op, 0), -XENO_EPERM);
	}
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
