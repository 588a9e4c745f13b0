/* SPDX-License-Identifier: MIT */
/*
 * dom0-op-pointers: Domain0's op and the buffers it names point where they
 * must not (the op in the hypervisor, unmapped, straddling, read-only;
 * READCONSOLE into every bad buffer, sizes of 0 and 4 GiB, offsets beyond the
 * log; CREATEDOMAIN's command line and image); wrong versions, unknown
 * commands and keys.
 *
 * Rule (abi.md 6.19): -EFAULT for the op and buffers (nothing written),
 * -EACCES for the version, -ENOSYS for the command, -EINVAL for keys; a
 * refused build (-EFAULT, -E2BIG, -ENOEXEC) leaves nothing behind.
 * Why it matters: Domain0 is trusted but its kernel can have bugs: a bad
 * pointer from it must cost an error, not hypervisor memory.
 */
#include <seg.h>

const char test_title[] = "dom0-op-pointers: Domain0's op and buffers pointing where they must not";

static long raw(uint32_t va)
{
	return HYPERCALL1(dom0_op, va);
}

static void attack(void)
{
	struct badptr bad[BADPTR_MAX];
	struct xeno_dom0_op o;
	unsigned int n;
	static char line[64];

	zoo_init();
	/* The op itself. */
	n = bad_inputs(sizeof(o), bad);
	for (unsigned int i = 0; i < n; i++)
		CHECK(raw(bad[i].va) == -XENO_EFAULT, "dom0_op at %s", bad[i].what);
	{
		struct xeno_dom0_op *ro = (void *)zoo.ro;	/* reads cmd 0xa5a5a5a5 */

		EXPECT_EQ(raw((uint32_t)ro), -XENO_EACCES);
		CHECK(!zoo_changed(), "read-only op written: %s", zoo_changed());
	}
	{
		struct xeno_dom0_op *ro = alloc_page();

		ro->cmd = XENO_DOM0_PHYSINFO;
		ro->interface_version = XENO_INTERFACE_VERSION;
		page_set_ro(ro, true);
		EXPECT_EQ(raw((uint32_t)ro), -XENO_EFAULT);	/* done, not written back */
		EXPECT_EQ(ro->u.physinfo.total_pages, 0);
	}
	/* Versions and commands. */
	{
		static const uint32_t versions[] = { 0, 0x00010001, 0x00020000, 0xffffffff };
		/* 0, and past the last command (MACHINE_EXIT, 12) */
		static const uint32_t cmds[] = { 0, 13, 14, 0x100, 0x80000001, 0xffffffff };

		for (unsigned int i = 0; i < ARRAY_SIZE(versions); i++) {
			memset(&o, 0, sizeof(o));
			o.cmd = XENO_DOM0_PHYSINFO;
			o.interface_version = versions[i];
			EXPECT_EQ(raw((uint32_t)&o), -XENO_EACCES);
		}
		for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
			memset(&o, 0, sizeof(o));
			o.cmd = cmds[i];
			EXPECT_EQ(dom0_op(&o), -XENO_ENOSYS);
		}
		for (uint32_t key = 0; key < 0x200; key += 0x41) {
			if (key == 'A')
				continue;
			memset(&o, 0, sizeof(o));
			o.cmd = XENO_DOM0_DEBUGKEY;
			o.u.debugkey.key = key;
			EXPECT_EQ(dom0_op(&o), -XENO_EINVAL);
		}
		o.u.debugkey.key = 0xffffffff;
		EXPECT_EQ(dom0_op(&o), -XENO_EINVAL);
	}
	/* READCONSOLE. */
	n = bad_outputs(64, bad);
	for (unsigned int i = 0; i < n; i++) {
		memset(&o, 0, sizeof(o));
		o.cmd = XENO_DOM0_READCONSOLE;
		o.u.readconsole = (struct xeno_dom0_readconsole){ bad[i].va, 64, 0 };
		CHECK(dom0_op(&o) == -XENO_EFAULT, "READCONSOLE into %s", bad[i].what);
		CHECK(!zoo_changed(), "READCONSOLE into %s: %s", bad[i].what, zoo_changed());
		zoo_refill();
	}
	memset(&o, 0, sizeof(o));
	o.cmd = XENO_DOM0_READCONSOLE;
	o.u.readconsole = (struct xeno_dom0_readconsole){ (uint32_t)line, 0, 0 };
	EXPECT_EQ(dom0_op(&o), 0);
	EXPECT_EQ(o.u.readconsole.size, 0);
	{
		/* 4 GiB asked, offsets beyond and behind the log: at most 256 bytes. */
		static const uint32_t pos[] = { 0xfffffff0, 0x7ffffff0, 0 };
		uint8_t *big = alloc_page();

		for (unsigned int i = 0; i < ARRAY_SIZE(pos); i++) {
			memset(big, 0x5a, PAGE_SIZE);
			o.u.readconsole = (struct xeno_dom0_readconsole){ (uint32_t)big, 0xffffffff,
									  pos[i] };
			EXPECT_EQ(dom0_op(&o), 0);
			CHECK(o.u.readconsole.size <= 256 && big[256] == 0x5a,
			      "READCONSOLE from %#x copied %u bytes", pos[i], o.u.readconsole.size);
		}
	}
	/* CREATEDOMAIN: nothing is left behind by a refused build. */
	{
		struct xeno_dom0_createdomain c = { start_info->mod_start, start_info->mod_len, 0, 0,
						    0, 1024, 0, 0 };
		struct xeno_dom0_getdomaininfo info;

		n = bad_inputs(1023, bad);
		for (unsigned int i = 0; i < n; i++) {
			memset(&o, 0, sizeof(o));
			o.cmd = XENO_DOM0_CREATEDOMAIN;
			o.u.createdomain = c;
			o.u.createdomain.cmdline_va = bad[i].va;
			CHECK(dom0_op(&o) == -XENO_EFAULT, "command line at %s", bad[i].what);
		}
		memset(&o, 0, sizeof(o));
		o.cmd = XENO_DOM0_CREATEDOMAIN;
		o.u.createdomain = c;
		o.u.createdomain.kernel_len = 64u << 20 | 1;
		EXPECT_EQ(dom0_op(&o), -XENO_E2BIG);
		o.u.createdomain = c;
		o.u.createdomain.initrd_va = c.kernel_va;
		o.u.createdomain.initrd_len = 0xffffffff;
		EXPECT_EQ(dom0_op(&o), -XENO_E2BIG);
		o.u.createdomain = c;
		o.u.createdomain.kernel_va = XENO_HYPERVISOR_VIRT_START + 0x500000;
		EXPECT_EQ(dom0_op(&o), -XENO_ENOEXEC);
		o.u.createdomain = c;
		o.u.createdomain.kernel_va = 0xFFFFF000;
		o.u.createdomain.kernel_len = 0x2000;
		EXPECT_EQ(dom0_op(&o), -XENO_ENOEXEC);
		EXPECT_EQ(domain_info(2, &info), -XENO_ESRCH);
	}
}

const struct hostile hostile = { .where = IN_DOM0, .attack = attack };
