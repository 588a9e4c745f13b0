/* SPDX-License-Identifier: MIT */
/*
 * hc-unknown-ops: hypercall numbers that do not exist (21 and 23-31
 * through the hypercall page, 32 to 0xFFFFFFFF through int $0x82 and in
 * multicalls) and unknown sub-commands of every call that has them.
 *
 * Rule (abi.md 2.1, 6): -ENOSYS (out-of-range types, registers, reasons,
 * flags: -EINVAL as each call says), every register but EAX unchanged, nothing
 * done.
 * Why it matters: a dispatcher indexing a table with a guest number, or
 * falling through into another command, would jump or act where the guest
 * chose.
 */
#include <seg.h>

const char test_title[] = "hc-unknown-ops: hypercall numbers and commands that do not exist";

uint32_t ebp_after;	/* written by regs_kept's asm */

/* int $0x82 with EAX = nr and known values elsewhere; false if any changed. */
static bool regs_kept(uint32_t nr, long *rc)
{
	uint32_t b = 0x11111111, c = 0x22222222, d = 0x33333333, si = 0x44444444,
		 di = 0x55555555;
	long r = nr;

	asm volatile("push %%ebp\n mov $0x66666666, %%ebp\n int $0x82\n mov %%ebp, ebp_after\n"
		     " pop %%ebp\n"
		     : "+a"(r), "+b"(b), "+c"(c), "+d"(d), "+S"(si), "+D"(di) : : "memory");
	*rc = r;
	return b == 0x11111111 && c == 0x22222222 && d == 0x33333333 && si == 0x44444444 &&
	       di == 0x55555555 && ebp_after == 0x66666666;
}

static void numbers(void)
{
	static const uint32_t raw[] = { 21, 23, 31, 32, 33, 40, 0x80, 0x82, 255, 256, 0x1000,
					0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff };
	struct xeno_multicall_entry mc[4] = {
		{ 21, 1, { 0 } }, { 40, 1, { 0 } }, { 0xffffffff, 1, { 0 } },
		{ 0x80000011, 1, { 0 } } };		/* iret's number plus bit 31 */

	for (uint32_t nr = 21; nr < 32; nr++)
		if (nr != __HYPERVISOR_vdev_op)
			EXPECT_EQ(hypercall(nr, 1, 2, 3, 4, 5), -XENO_ENOSYS);
	for (unsigned int i = 0; i < ARRAY_SIZE(raw); i++) {
		long rc;
		bool kept = regs_kept(raw[i], &rc);

		CHECK(rc == -XENO_ENOSYS && kept, "hypercall %#x: %ld, registers %s", raw[i], rc,
		      kept ? "kept" : "changed");
	}
	EXPECT_EQ(HYPERCALL2(multicall, mc, 4), 4);
	for (unsigned int i = 0; i < 4; i++)
		EXPECT_EQ(mc[i].result, -XENO_ENOSYS);
}

static void commands(void)
{
	struct xeno_memory_reservation r = { 0, 0, XENO_DOMID_SELF, 0 };
	struct xeno_mmuext_op op = { 7, 0, 0 };
	char buf[64];
	uint32_t own = virt_to_mfn(buf) << PAGE_SHIFT, dr7 = HYPERCALL1(get_debugreg, 7);

	EXPECT_EQ(HYPERCALL2(sched_op, 3, 0), -XENO_ENOSYS);
	EXPECT_EQ(HYPERCALL2(sched_op, 0xffffffff, 0), -XENO_ENOSYS);
	EXPECT_EQ(HYPERCALL2(sched_op, XENO_SCHEDOP_shutdown, 3), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL2(sched_op, XENO_SCHEDOP_shutdown, 0xffffffff), -XENO_EINVAL);
	for (uint32_t cmd = 5; cmd < 8; cmd++)
		EXPECT_EQ(HYPERCALL2(memory_op, cmd, &r), -XENO_ENOSYS);
	EXPECT_EQ(HYPERCALL2(memory_op, 0xffffffff, &r), -XENO_ENOSYS);
	EXPECT_EQ(evtchn_op(7, buf), -XENO_ENOSYS);
	EXPECT_EQ(evtchn_op(0xffffffff, buf), -XENO_ENOSYS);
	EXPECT_EQ(HYPERCALL2(xeno_version, 3, buf), -XENO_ENOSYS);
	EXPECT_EQ(HYPERCALL2(xeno_version, 0xffffffff, buf), -XENO_ENOSYS);
	EXPECT_EQ(HYPERCALL3(console_io, 2, 4, buf), -XENO_ENOSYS);
	EXPECT_EQ(HYPERCALL3(console_io, 0xffffffff, 4, buf), -XENO_ENOSYS);
	EXPECT_EQ(HYPERCALL3(console_io, XENO_CONSOLEIO_READ, sizeof(buf), buf), -XENO_EPERM);
	EXPECT_EQ(HYPERCALL2(vdev_op, 3, buf), -XENO_ENOSYS);
	EXPECT_EQ(HYPERCALL2(vdev_op, 0xffffffff, buf), -XENO_ENOSYS);
	EXPECT_EQ(HYPERCALL2(vm_assist, 2, XENO_VMASST_TYPE_4GB_SEGMENTS), -XENO_ENOSYS);
	EXPECT_EQ(HYPERCALL2(vm_assist, XENO_VMASST_CMD_ENABLE, 2), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL2(vm_assist, 0xffffffff, 0xffffffff), -XENO_EINVAL);	/* type first */
	EXPECT_EQ(HYPERCALL4(mmuext_op, &op, 1, NULL, XENO_DOMID_SELF), -XENO_ENOSYS);
	op.cmd = 0xffffffff;
	EXPECT_EQ(HYPERCALL4(mmuext_op, &op, 1, NULL, XENO_DOMID_SELF), -XENO_ENOSYS);
	EXPECT_EQ(mmu_update1(own | 2, 0), -XENO_EINVAL);
	EXPECT_EQ(mmu_update1(own | 3, 0), -XENO_EINVAL);
	for (uint32_t reg = 4; reg < 12; reg++) {
		if (reg == 6 || reg == 7)
			continue;
		EXPECT_EQ(HYPERCALL2(set_debugreg, reg, 0), -XENO_EINVAL);
		EXPECT_EQ(HYPERCALL1(get_debugreg, reg), -XENO_EINVAL);
	}
	EXPECT_EQ(HYPERCALL2(set_debugreg, 0xffffffff, 0), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL1(get_debugreg, 0xffffffff), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL1(get_debugreg, 7), dr7);
	EXPECT_EQ(update_va(buf, *pte_of((uint32_t)buf), 4), -XENO_EINVAL);
	EXPECT_EQ(update_va(buf, *pte_of((uint32_t)buf), 0xffffffff), -XENO_EINVAL);
}

static void attack(void)
{
	numbers();
	commands();
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
