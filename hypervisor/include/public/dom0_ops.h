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
/* Virtual block devices (abi.md 10.2): */
#define XENO_DOM0_PDISKINFO		16	/* physical disk n */
#define XENO_DOM0_VBD_CREATE		17	/* an empty VBD for a domain */
#define XENO_DOM0_VBD_GROW		18	/* append an extent of a physical disk */
#define XENO_DOM0_VBD_DESTROY		19
#define XENO_DOM0_VBD_INFO		20
/* Virtual network interfaces and the virtual firewall-router (abi.md 10.3, 10.4): */
#define XENO_DOM0_VIF_CREATE		24	/* a VIF for a domain */
#define XENO_DOM0_VIF_DESTROY		25
#define XENO_DOM0_VIF_INFO		26	/* its addresses, credit and counters */
#define XENO_DOM0_VIF_SETCREDIT		27	/* its transmit rate limit */
#define XENO_DOM0_VIF_SETIP		28	/* the IPv4 address it may send from */
#define XENO_DOM0_VFR_ADD		29	/* insert a rule */
#define XENO_DOM0_VFR_DEL		30
#define XENO_DOM0_VFR_GET		31	/* rule n, with its hit count */
#define XENO_DOM0_PNICINFO		32	/* physical NIC n */

#define XENO_DOMINFO_RUNNING		(1u << 0)
#define XENO_DOMINFO_BLOCKED		(1u << 1)
#define XENO_DOMINFO_PAUSED		(1u << 2)
#define XENO_DOMINFO_SHUTDOWN		(1u << 3)
#define XENO_DOMINFO_CRASHED		(1u << 4)
#define XENO_DOMINFO_PRIVILEGED		(1u << 5)
#define XENO_DOMINFO_DYING		(1u << 6)	/* destroyed, its I/O draining */

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
	uint32_t console_dropped;	/* OUT: bytes of console output dropped (7.3) */
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

/* pdiskinfo: physical disk number 'index' (0, 1, ...): -ENXIO past the last. */
#define XENO_PDISK_F_READONLY		(1u << 0)
struct xeno_dom0_pdiskinfo {
	uint32_t index;			/* IN */
	uint32_t flags;			/* OUT: XENO_PDISK_F_* */
	uint64_t sectors;		/* OUT: 512-byte sectors */
	char name[16];			/* OUT: "virtio0", "ram0" */
};

/*
 * vbd_*: a domain's VBD 'handle'.  CREATE makes it empty (flags: RO or
 * not); GROW appends sectors [start, start + sectors) of physical disk
 * 'pdisk' to its end; DESTROY takes it away (-EBUSY while requests are in
 * flight); INFO reports it.  Domain0 decides who gets which sectors.
 */
#define XENO_VBD_F_READONLY		(1u << 0)
#define XENO_VBD_F_CONNECTED		(1u << 1)	/* INFO: a front end is on it */
struct xeno_dom0_vbd {
	uint16_t domid;			/* IN */
	uint16_t handle;		/* IN */
	uint32_t flags;			/* IN (CREATE) / OUT (INFO): XENO_VBD_F_* */
	uint32_t pdisk;			/* IN (GROW) */
	uint32_t nr_extents;		/* OUT (INFO) */
	uint64_t start;			/* IN (GROW) */
	uint64_t sectors;		/* IN (GROW) / OUT (INFO): the VBD's size */
	uint64_t reads, writes;		/* OUT (INFO): requests */
	uint64_t sectors_read;		/* OUT (INFO) */
	uint64_t sectors_written;	/* OUT (INFO) */
	uint32_t refused, errors;	/* OUT (INFO): requests refused, pieces failed */
	uint32_t in_flight;		/* OUT (INFO) */
	uint32_t _pad0;
};

/*
 * vif_*: a domain's VIF 'handle' (abi.md 10.3).  CREATE makes it with a MAC
 * (all zero: 02:58:dd:dd:hh:hh from the domain id and handle) and an IPv4
 * address (0 = none yet); DESTROY takes it away (-EBUSY while the NIC holds
 * packets of it); INFO reports it; SETCREDIT limits what it may send to
 * credit_bytes per credit_usec (credit_bytes 0 = no limit); SETIP sets the
 * address its anti-spoofing check allows (0 = any).  IPv4 addresses are
 * numbers in host order: 10.0.2.15 is 0x0a00020f.
 */
#define XENO_VIF_F_TRUSTED		(1u << 0)	/* CREATE, INFO: no anti-spoofing */
#define XENO_VIF_F_CONNECTED		(1u << 1)	/* INFO: a front end is on it */
struct xeno_dom0_vif {
	uint16_t domid;			/* IN */
	uint16_t handle;		/* IN */
	uint32_t flags;			/* IN (CREATE) / OUT (INFO): XENO_VIF_F_* */
	uint8_t mac[6];			/* IN (CREATE) / OUT (INFO) */
	uint16_t mtu;			/* OUT (INFO): 1500 */
	uint32_t ip;			/* IN (CREATE, SETIP) / OUT (INFO) */
	uint32_t credit_bytes;		/* IN (SETCREDIT) / OUT (INFO) */
	uint32_t credit_usec;		/* IN (SETCREDIT) / OUT (INFO) */
	uint32_t tx_in_flight;		/* OUT (INFO): packets the NIC still holds */
	uint64_t tx_packets, tx_bytes;	/* OUT (INFO): sent on to somewhere */
	uint64_t rx_packets, rx_bytes;	/* OUT (INFO): written into posted buffers */
	uint32_t tx_refused;		/* OUT (INFO): requests answered ERROR */
	uint32_t tx_spoofed;		/* OUT (INFO): dropped by the anti-spoofing check */
	uint32_t tx_dropped;		/* OUT (INFO): accepted by no destination */
	uint32_t rx_dropped;		/* OUT (INFO): for it, but no front or no posted buffer */
	uint32_t rx_errors;		/* OUT (INFO): posted buffers refused */
	uint32_t _pad0;
};

/*
 * A rule of the virtual firewall-router (abi.md 10.4).  A packet matches
 * when every field matches: endpoints (a VIF as (domain, handle), the
 * physical network, or any), MACs if asked, the protocol, IPv4 addresses
 * under their masks (for ARP: sender and target protocol addresses), and
 * TCP/UDP port ranges.  The first matching rule decides; none: ACCEPT.
 */
#define XENO_VFR_ANY			0xffff	/* *_dom, *_handle: any */
#define XENO_VFR_PHYS			0xfffe	/* *_dom: the physical network */
#define XENO_VFR_PROTO_ANY		0
#define XENO_VFR_PROTO_ARP		1
#define XENO_VFR_PROTO_IP		2	/* any IPv4 */
#define XENO_VFR_PROTO_TCP		3
#define XENO_VFR_PROTO_UDP		4
#define XENO_VFR_PROTO_ICMP		5
#define XENO_VFR_PROTO_OTHER		6	/* neither ARP nor IPv4 */
#define XENO_VFR_ACCEPT			1
#define XENO_VFR_DROP			2
#define XENO_VFR_M_SRC_MAC		(1u << 0)	/* compare src_mac */
#define XENO_VFR_M_DST_MAC		(1u << 1)	/* compare dst_mac */
struct xeno_vfr_rule {
	uint16_t src_dom, src_handle;	/* the sender: a VIF, XENO_VFR_PHYS or ANY */
	uint16_t dst_dom, dst_handle;	/* the receiver, likewise */
	uint8_t src_mac[6];		/* with XENO_VFR_M_SRC_MAC */
	uint8_t dst_mac[6];		/* with XENO_VFR_M_DST_MAC */
	uint16_t match;			/* XENO_VFR_M_* */
	uint8_t proto;			/* XENO_VFR_PROTO_* */
	uint8_t action;			/* XENO_VFR_ACCEPT or XENO_VFR_DROP */
	uint32_t src_ip, src_mask;	/* host order; mask 0 = any; ip & ~mask = 0 */
	uint32_t dst_ip, dst_mask;
	uint16_t src_port_lo, src_port_hi;	/* TCP/UDP, inclusive; 0-65535 = any */
	uint16_t dst_port_lo, dst_port_hi;
	uint64_t hits;			/* OUT (VFR_GET): packets it decided */
};

/*
 * vfr_*: ADD inserts 'rule' before rule 'index' (>= count: at the end) and
 * says where it went; DEL removes rule 'index'; GET reads it.  'count' is
 * the table's length after the op.
 */
struct xeno_dom0_vfr {
	uint32_t index;			/* IN; OUT (ADD): where the rule went */
	uint32_t count;			/* OUT */
	struct xeno_vfr_rule rule;	/* IN (ADD) / OUT (GET) */
};

/* pnicinfo: physical NIC number 'index' (0, 1, ...): -ENXIO past the last. */
#define XENO_PNIC_F_UPLINK		(1u << 0)	/* the switch's way out */
struct xeno_dom0_pnicinfo {
	uint32_t index;			/* IN */
	uint32_t flags;			/* OUT: XENO_PNIC_F_* */
	uint8_t mac[6];			/* OUT */
	uint16_t _pad0;
	char name[16];			/* OUT: "virtio-net0" */
	uint64_t tx_packets, tx_bytes;	/* OUT: handed to the device and sent */
	uint64_t rx_packets, rx_bytes;	/* OUT: received from it */
	uint32_t tx_errors;		/* OUT: refused by the device */
	uint32_t rx_errors;		/* OUT: frames too short or too long */
	uint32_t rx_dropped;		/* OUT: for no VIF (unknown MAC, a rule, no buffer) */
	uint32_t _pad1;
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
		struct xeno_dom0_pdiskinfo pdiskinfo;
		struct xeno_dom0_vbd vbd;
		struct xeno_dom0_vif vif;
		struct xeno_dom0_vfr vfr;
		struct xeno_dom0_pnicinfo pnicinfo;
		struct xeno_dom0_machine_exit machine_exit;
		uint8_t _pad[120];
	} u;
};
XENO_ASSERT_SIZE(struct xeno_dom0_createdomain, 32);
XENO_ASSERT_SIZE(struct xeno_dom0_getdomaininfo, 76);
XENO_ASSERT_SIZE(struct xeno_dom0_setbvt, 28);
XENO_ASSERT_SIZE(struct xeno_dom0_physinfo, 24);
XENO_ASSERT_SIZE(struct xeno_dom0_pdiskinfo, 32);
XENO_ASSERT_SIZE(struct xeno_dom0_vbd, 80);
XENO_ASSERT_SIZE(struct xeno_dom0_vif, 88);
XENO_ASSERT_SIZE(struct xeno_vfr_rule, 56);
XENO_ASSERT_SIZE(struct xeno_dom0_vfr, 64);
XENO_ASSERT_SIZE(struct xeno_dom0_pnicinfo, 80);
XENO_ASSERT_SIZE(struct xeno_dom0_machine_exit, 4);
XENO_ASSERT_SIZE(struct xeno_dom0_op, 128);
#endif

#endif
