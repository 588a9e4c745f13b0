/* SPDX-License-Identifier: MIT */
/*
 * Domain control, for privileged domains only (XENO_SIF_PRIVILEGED):
 * dom0_op(struct xeno_dom0_op *op).  Every op carries the interface version
 * it was built for; a mismatch gets -XENO_EACCES.  Results come back in the
 * same structure.
 */
#ifndef XENO_PUBLIC_DOM0_OPS_H
#define XENO_PUBLIC_DOM0_OPS_H

#include "xeno.h"
#include "sched.h"

#define XENO_DOM0_CREATEDOMAIN		1	/* create + build from an image in memory */
#define XENO_DOM0_DESTROYDOMAIN		2
#define XENO_DOM0_PAUSEDOMAIN		3
#define XENO_DOM0_UNPAUSEDOMAIN		4
#define XENO_DOM0_GETDOMAININFO		5
#define XENO_DOM0_SETBVT		6	/* BVT parameters of a domain */
#define XENO_DOM0_SETMEMTARGET		7	/* balloon target */
#define XENO_DOM0_READCONSOLE		8	/* hypervisor console log */
#define XENO_DOM0_DEBUGKEY		9	/* run a debug key handler */
#define XENO_DOM0_SETMAXMEM		10
#define XENO_DOM0_PHYSINFO		11	/* machine memory and CPU */
#define XENO_DOM0_MACHINE_EXIT		12	/* end the machine with a verdict (Domain0) */

#define XENO_DOMINFO_RUNNING		(1u << 0)
#define XENO_DOMINFO_BLOCKED		(1u << 1)
#define XENO_DOMINFO_PAUSED		(1u << 2)
#define XENO_DOMINFO_SHUTDOWN		(1u << 3)
#define XENO_DOMINFO_CRASHED		(1u << 4)
#define XENO_DOMINFO_PRIVILEGED		(1u << 5)

/*
 * machine_exit verdicts: the test contract's "Test result:" words.  Under
 * QEMU (isa-debug-exit at port 0xf4) the machine's exit status is 33, 35,
 * 37 or 39 for SUCCESS, FAILURE, ERROR, SKIP.
 */
#define XENO_VERDICT_SUCCESS		0
#define XENO_VERDICT_FAILURE		1
#define XENO_VERDICT_ERROR		2
#define XENO_VERDICT_SKIP		3

#ifndef __ASSEMBLY__
/*
 * createdomain: build a new, paused domain from a kernel (and optional
 * initrd) that the caller holds in its own memory.
 */
struct xeno_dom0_createdomain {
	uint32_t kernel_va, kernel_len;	/* IN: ELF image in the caller's memory */
	uint32_t initrd_va, initrd_len;	/* IN: optional */
	uint32_t cmdline_va;		/* IN: NUL-terminated, < 1024 bytes */
	uint32_t mem_kb;		/* IN: memory for the domain */
	uint32_t max_mem_kb;		/* IN: balloon ceiling (0 = mem_kb) */
	uint32_t domid;			/* OUT */
};

struct xeno_dom0_domain {
	uint32_t domid;			/* IN */
};

struct xeno_dom0_getdomaininfo {
	uint32_t domid;			/* IN: first domain >= this */
	uint32_t flags;			/* OUT: XENO_DOMINFO_* */
	uint32_t tot_pages, max_pages;	/* OUT */
	uint64_t cpu_time_ns;		/* OUT */
	uint32_t shutdown_reason;	/* OUT: XENO_SHUTDOWN_* if SHUTDOWN */
	uint32_t nr_event_channels;	/* OUT: ports in use */
	struct xeno_bvt_params bvt;	/* OUT */
	char name[16];			/* OUT: from the kernel's GUEST_OS note */
};

struct xeno_dom0_setbvt {
	uint32_t domid;
	struct xeno_bvt_params bvt;
};

struct xeno_dom0_setmem {
	uint32_t domid;
	uint32_t kb;
};

struct xeno_dom0_readconsole {
	uint32_t buffer;		/* IN: guest VA */
	uint32_t size;			/* IN: room; OUT: bytes copied */
	uint32_t pos;			/* IN/OUT: the reader's offset in the log */
};

struct xeno_dom0_debugkey {
	uint32_t key;
};

/*
 * physinfo: the machine's memory in frames.  Domain tools size new domains
 * from free_pages; tests compare snapshots to find leaked frames (a domain's
 * frames all go back to free_pages when it is destroyed) and leaked
 * hypervisor memory or temporary mappings.
 */
struct xeno_dom0_physinfo {
	uint32_t total_pages;		/* OUT: RAM frames */
	uint32_t free_pages;		/* OUT: in the allocator */
	uint32_t hypervisor_pages;	/* OUT: the hypervisor's own (image, heap, tables) */
	uint32_t mapcache_in_use;	/* OUT: temporary mappings held (0 between hypercalls) */
	uint32_t cpu_khz;		/* OUT: the TSC's rate */
	uint32_t nr_domains;		/* OUT */
};

/*
 * machine_exit: Domain0 ends the whole machine, as its poweroff would, but
 * with a verdict (a test's result) for whoever runs the machine.  Does not
 * return on success.
 */
struct xeno_dom0_machine_exit {
	uint32_t verdict;		/* IN: XENO_VERDICT_* */
};

struct xeno_dom0_op {
	uint32_t cmd;
	uint32_t interface_version;	/* XENO_INTERFACE_VERSION */
	union {
		struct xeno_dom0_createdomain createdomain;
		struct xeno_dom0_domain domain;
		struct xeno_dom0_getdomaininfo getdomaininfo;
		struct xeno_dom0_setbvt setbvt;
		struct xeno_dom0_setmem setmem;
		struct xeno_dom0_readconsole readconsole;
		struct xeno_dom0_debugkey debugkey;
		struct xeno_dom0_physinfo physinfo;
		struct xeno_dom0_machine_exit machine_exit;
		uint8_t _pad[120];
	} u;
};
XENO_ASSERT_SIZE(struct xeno_dom0_createdomain, 32);
XENO_ASSERT_SIZE(struct xeno_dom0_getdomaininfo, 72);
XENO_ASSERT_SIZE(struct xeno_dom0_setbvt, 28);
XENO_ASSERT_SIZE(struct xeno_dom0_physinfo, 24);
XENO_ASSERT_SIZE(struct xeno_dom0_machine_exit, 4);
XENO_ASSERT_SIZE(struct xeno_dom0_op, 128);
#endif

#endif
