/* SPDX-License-Identifier: MIT */
/*
 * hello: the smallest guest.  It proves the builder's start-of-day contract
 * (start_info magic and fields, page tables, the hypercall page) and that
 * console_io and a clean shutdown work.
 */
#include <guest.h>

const char test_title[] = "hello: start of day and console";

void test_main(void)
{
	const struct xeno_start_info *si = start_info;

	printf("start_info at %p: %u pages, flags %#x, virt_base %08x, pt_base %08x (%u frames)\n",
	       (void *)si, si->nr_pages, si->flags, si->virt_base, si->pt_base, si->nr_pt_frames);
	printf("command line: '%s'\n", si->cmd_line);
	CHECK(si->virt_base == 0x00400000, "virt_base %08x", si->virt_base);
	CHECK(si->flags & XENO_SIF_INITDOMAIN, "Domain0 should have SIF_INITDOMAIN");
	CHECK(HYPERCALL2(xeno_version, XENO_VERSION_VERSION, 0) == XENO_INTERFACE_VERSION,
	      "interface version");
	CHECK(raw_hypercall(__HYPERVISOR_xeno_version, XENO_VERSION_VERSION, 0, 0, 0, 0) ==
	      XENO_INTERFACE_VERSION, "int $0x82 directly");
	CHECK(HYPERCALL0(xeno_version) == XENO_INTERFACE_VERSION, "version");
	xtf_success(NULL);
}
