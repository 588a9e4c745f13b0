/* SPDX-License-Identifier: MIT */
/*
 * seg-read-hypervisor: read, write and jump into the hypervisor's memory
 * above 0xFC400000 from ring 1 through the flat selectors.
 *
 * Rule (DESIGN.md 2, abi.md 1.2): the hypervisor's pages are supervisor
 * pages, which ring 1 may touch as far as paging is concerned; only the
 * ring-1 segment limits (0xFC3FFFFF) keep a guest kernel out.  Each access
 * must fault (#GP from the limit).  Why it matters: this is the only thing
 * between a guest kernel and all of the hypervisor's memory.  QEMU's TCG
 * does not check segment limits, so this runs for real under Bochs only.
 */
#include <hostile.h>

const char test_title[] = "seg-read-hypervisor: ring-1 accesses above the segment limit";

static void attack(void)
{
	static const uint32_t targets[] = {
		XENO_HYPERVISOR_VIRT_START + 0x400000,		/* direct map, phys 0 */
		XENO_HYPERVISOR_VIRT_START + 0x500000 + 0x1000,	/* hypervisor image */
		0xFFFFF000,					/* top page */
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(targets); i++) {
		uint32_t ex = probe_read(targets[i]);

		CHECK(EXINFO_VEC(ex) == 13 && ex, "read of %08x: exinfo %08x", targets[i], ex);
		ex = probe_write(targets[i], 0xdeadbeef);
		CHECK(EXINFO_VEC(ex) == 13 && ex, "write of %08x: exinfo %08x", targets[i], ex);
		ex = probe_exec(targets[i]);
		CHECK(EXINFO_VEC(ex) == 13 && ex, "jump to %08x: exinfo %08x", targets[i], ex);
	}
	/* The last byte below the ceiling is still reachable: the M2P. */
	CHECK(!probe_read(XENO_HYPERVISOR_VIRT_START + 0x3ffffc), "the M2P's last word faults");
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.flags = H_SEGLIMITS,
	.attack = attack,
};
