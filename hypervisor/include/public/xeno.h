/* SPDX-License-Identifier: MIT */
/*
 * Xeno public interface: the hypercall numbers and the structures a guest
 * shares with the hypervisor.  This directory is the one source of truth for
 * the ABI; the hypervisor, the Linux port, the front-end drivers and the test
 * guests all compile these files.  docs/abi.md describes every call.
 *
 * Conventions: hypercall = "int $0x82" from ring 1 (or a call into the
 * hypercall page), EAX = number, EBX ECX EDX ESI EDI = arguments, EAX =
 * result, 0 or more on success, -XENO_E* on failure.  Other registers are
 * preserved.  Pointers are guest virtual addresses in the current address
 * space.  Sizes and offsets below are fixed and asserted.
 */
#ifndef XENO_PUBLIC_XENO_H
#define XENO_PUBLIC_XENO_H

#ifndef __ASSEMBLY__
#if defined(__KERNEL__)
#include <linux/types.h>
#else
#include <stdint.h>
#endif
#define XENO_ASSERT_SIZE(type, size) \
	_Static_assert(sizeof(type) == (size), "ABI size of " #type)
#define XENO_ASSERT_OFFSET(type, field, off) \
	_Static_assert(__builtin_offsetof(type, field) == (off), "ABI offset of " #type "." #field)
#endif

/* Interface version: major in the top 16 bits.  Guests check the major. */
#define XENO_INTERFACE_VERSION		0x00010000
#define XENO_VERSION_STRING		"0.1"

/* ------------------------------------------------------------------------
 * Address space and segments
 */

/* The hypervisor owns everything from here up, in every address space. */
#define XENO_HYPERVISOR_VIRT_START	0xFC000000
/* Guest segments (ring 1 and 3) may reach up to here (exclusive)... */
#define XENO_GUEST_SEGMENT_END		0xFC400000
/* ...so the largest limit a guest descriptor can have (byte granular). */
#define XENO_GUEST_SEGMENT_LIMIT	(XENO_GUEST_SEGMENT_END - 1)
/* The read-only machine-to-physical table, one uint32_t per machine frame. */
#define XENO_MACH2PHYS_VIRT_START	XENO_HYPERVISOR_VIRT_START
#define XENO_MACH2PHYS_NR_ENTRIES	(0x00400000 / 4)
#define XENO_INVALID_PFN		0xFFFFFFFF
/* First L2 (page directory) slot a guest may not write. */
#define XENO_FIRST_HYPERVISOR_L2_SLOT	(XENO_HYPERVISOR_VIRT_START >> 22)

/*
 * Segment selectors the hypervisor provides in every GDT.  A guest may give
 * up to XENO_GDT_GUEST_FRAMES frames of its own descriptors (entries below
 * XENO_FIRST_RESERVED_GDT_ENTRY); the page after them belongs to the
 * hypervisor.  The flat selectors cover 0 .. XENO_GUEST_SEGMENT_LIMIT.
 */
#define XENO_GDT_GUEST_FRAMES		14
#define XENO_FIRST_RESERVED_GDT_ENTRY	(XENO_GDT_GUEST_FRAMES * 512)
#define XENO_FIRST_RESERVED_GDT_BYTE	(XENO_FIRST_RESERVED_GDT_ENTRY * 8)	/* 0xE000 */
#define XENO_FLAT_RING1_CS		0xE019	/* entry 7171, RPL 1 */
#define XENO_FLAT_RING1_DS		0xE021	/* entry 7172, RPL 1 */
#define XENO_FLAT_RING3_CS		0xE02B	/* entry 7173, RPL 3 */
#define XENO_FLAT_RING3_DS		0xE033	/* entry 7174, RPL 3 */

/* "This domain", wherever a hypercall takes a domain id. */
#define XENO_DOMID_SELF			0x7FF0

/* ------------------------------------------------------------------------
 * Hypercalls
 */
#define XENO_HYPERCALL_VECTOR		0x82
#define XENO_HYPERCALL_STUB_SIZE	32	/* bytes per stub in the hypercall page */

#define __HYPERVISOR_set_trap_table	0
#define __HYPERVISOR_mmu_update		1
#define __HYPERVISOR_set_gdt		2
#define __HYPERVISOR_stack_switch	3
#define __HYPERVISOR_set_callbacks	4
#define __HYPERVISOR_fpu_taskswitch	5
#define __HYPERVISOR_sched_op		6
#define __HYPERVISOR_set_timer_op	7
#define __HYPERVISOR_set_debugreg	8
#define __HYPERVISOR_get_debugreg	9
#define __HYPERVISOR_update_descriptor	10
#define __HYPERVISOR_memory_op		11
#define __HYPERVISOR_multicall		12
#define __HYPERVISOR_update_va_mapping	13
#define __HYPERVISOR_event_channel_op	14
#define __HYPERVISOR_xeno_version	15
#define __HYPERVISOR_console_io		16
#define __HYPERVISOR_iret		17
#define __HYPERVISOR_vm_assist		18
#define __HYPERVISOR_mmuext_op		19
#define __HYPERVISOR_dom0_op		20
#define __HYPERVISOR_physdev_op		21
#define __HYPERVISOR_vdev_op		22	/* vdev.h */
#define XENO_NR_HYPERCALLS		32

/* ------------------------------------------------------------------------
 * start_info: built by the domain builder; ESI points at it on entry.
 *
 * Start-of-day address space, from virt_base (the XENO_ELFNOTE_VIRT_BASE of
 * the kernel) up, every page 4 KiB aligned, pseudo-physical frame n mapped
 * at virt_base + n * 4096:
 *   the kernel image, the initrd (if any), the P2M list (mfn_list),
 *   start_info, the bootstrap page tables (pt_base: L2 then L1s, all mapped
 *   read-only), the bootstrap stack (ESP starts at its top),
 * and all of the domain's remaining memory, up to nr_pages, mapped writable.
 * Entry state: ring 1, CS = XENO_FLAT_RING1_CS, DS = ES = SS =
 * XENO_FLAT_RING1_DS, FS = GS = 0, EFLAGS.IF = 1 with events masked
 * (vcpu_info.evtchn_upcall_mask = 1), IOPL 0, CR0.WP = 1, CR0.TS = 0.
 * The shared_info frame is not mapped: map it with update_va_mapping.
 */
#define XENO_START_INFO_MAGIC		"xeno-0.1-x86_32"	/* 15 chars + NUL */
#define XENO_SIF_PRIVILEGED		(1u << 0)	/* may use dom0_op */
#define XENO_SIF_INITDOMAIN		(1u << 1)	/* is Domain0 */
#define XENO_START_INFO_CMDLINE		1024

#ifndef __ASSEMBLY__
struct xeno_start_info {
	char magic[16];			/* XENO_START_INFO_MAGIC */
	uint32_t nr_pages;		/* pseudo-physical frames 0 .. nr_pages-1 */
	uint32_t shared_info_mfn;	/* machine frame of struct xeno_shared_info */
	uint32_t flags;			/* XENO_SIF_* */
	uint32_t domid;
	uint32_t pt_base;		/* virtual address of the bootstrap L2 */
	uint32_t nr_pt_frames;		/* L2 + L1 frames, contiguous from pt_base */
	uint32_t mfn_list;		/* virtual address of the P2M: mfn_list[pfn] = mfn */
	uint32_t mod_start;		/* virtual address of the initrd, 0 if none */
	uint32_t mod_len;		/* its length in bytes */
	uint32_t virt_base;		/* virtual address of pseudo-physical frame 0 */
	uint32_t first_free_pfn;	/* first frame after the bootstrap region */
	uint32_t console_evtchn;	/* unused (console input is VIRQ_CONSOLE) */
	uint32_t _pad[4];
	char cmd_line[XENO_START_INFO_CMDLINE];	/* NUL-terminated */
};
XENO_ASSERT_SIZE(struct xeno_start_info, 1104);
XENO_ASSERT_OFFSET(struct xeno_start_info, cmd_line, 80);
#endif

/* ------------------------------------------------------------------------
 * Shared memory: shared_info (one frame per domain) with per-vCPU vcpu_info.
 */
#define XENO_MAX_VCPUS			4
#define XENO_NR_EVENT_CHANNELS		1024	/* 32 words of 32 bits */

#ifndef __ASSEMBLY__
/*
 * Time in pvclock format, written by the hypervisor, read by the guest.
 * Seqlock: version is odd while an update is in progress; read version,
 * (rmb) fields, (rmb) version again, retry if it changed or was odd.
 * now_ns = system_time + ((rdtsc() - tsc_timestamp) << tsc_shift) * mul >> 32
 * (a negative tsc_shift shifts right).  system_time counts ns since boot.
 */
struct xeno_vcpu_time_info {
	uint32_t version;
	uint32_t _pad0;
	uint64_t tsc_timestamp;		/* TSC at the last update */
	uint64_t system_time;		/* ns since hypervisor boot at that TSC */
	uint32_t tsc_to_system_mul;	/* 32.32 fixed-point ns per (shifted) tick */
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t _pad1[2];
};
XENO_ASSERT_SIZE(struct xeno_vcpu_time_info, 32);

/*
 * Per-vCPU state shared with the hypervisor.
 * evtchn_upcall_mask: written by the guest (1 = events masked, the virtual
 *   "interrupts off"); set by the hypervisor when it delivers an upcall or a
 *   trap whose handler asked for events masked.
 * evtchn_upcall_pending: set by the hypervisor when a port becomes pending;
 *   cleared by the guest before it scans evtchn_pending_sel.
 * cr2, dr6: written by the hypervisor before it bounces a page fault or
 *   debug trap; they keep that value until the next such trap, so a guest
 *   reads them before it can take another (page faults: with events masked).
 */
struct xeno_vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint8_t _pad0[2];
	uint32_t evtchn_pending_sel;	/* bit n: word n of evtchn_pending has news */
	uint32_t cr2;
	uint32_t dr6;
	uint32_t _pad1[4];
	struct xeno_vcpu_time_info time;
};
XENO_ASSERT_SIZE(struct xeno_vcpu_info, 64);
XENO_ASSERT_OFFSET(struct xeno_vcpu_info, evtchn_upcall_pending, 0);
XENO_ASSERT_OFFSET(struct xeno_vcpu_info, evtchn_upcall_mask, 1);
XENO_ASSERT_OFFSET(struct xeno_vcpu_info, time, 32);

struct xeno_shared_info {
	struct xeno_vcpu_info vcpu_info[XENO_MAX_VCPUS];
	/* Port p is pending if bit p%32 of word p/32 is set (hypervisor sets,
	 * guest clears, both atomically); masked ports raise no upcall. */
	uint32_t evtchn_pending[XENO_NR_EVENT_CHANNELS / 32];
	uint32_t evtchn_mask[XENO_NR_EVENT_CHANNELS / 32];
	/* Wall clock at system time 0, seqlock as for time (odd = updating). */
	uint32_t wc_version;
	uint32_t wc_sec;
	uint32_t wc_nsec;
	/* Balloon: the number of pages Domain0 wants this domain to hold. */
	uint32_t balloon_target_pages;
	uint32_t _pad[60];
};
XENO_ASSERT_SIZE(struct xeno_shared_info, 768);
XENO_ASSERT_OFFSET(struct xeno_shared_info, evtchn_pending, 256);
XENO_ASSERT_OFFSET(struct xeno_shared_info, wc_version, 512);
#endif

/* For assembly: byte offsets in vcpu_info (and so in shared_info, vCPU 0). */
#define XENO_VCPU_UPCALL_PENDING	0
#define XENO_VCPU_UPCALL_MASK		1

/* ------------------------------------------------------------------------
 * Traps: set_trap_table(const struct xeno_trap_info *table)
 * The table ends with an entry whose address is 0.  Each entry sets the
 * guest handler for one vector (vectors not listed keep theirs; a NULL
 * table clears all); cs must be a non-null guest selector with RPL 1 (not
 * one of the hypervisor's), address below XENO_HYPERVISOR_VIRT_START.
 */
#define XENO_TI_DPL_MASK		0x3	/* lowest ring that may "int n" it (int3, into: always) */
#define XENO_TI_MASK_EVENTS		0x4	/* mask events on entry (interrupt gate) */

#ifndef __ASSEMBLY__
struct xeno_trap_info {
	uint8_t vector;
	uint8_t flags;			/* XENO_TI_* */
	uint16_t cs;
	uint32_t address;
};
XENO_ASSERT_SIZE(struct xeno_trap_info, 8);
#endif

/*
 * A bounce: the hypervisor enters the guest handler at ring 1 on the
 * kernel stack (the current one if the trap came from ring 1, else the
 * one given by stack_switch) with a hardware-format frame:
 *   [SS, ESP if from ring 3,] EFLAGS, CS, EIP[, error code]
 * EFLAGS.IF shows the virtual interrupt flag (1 = events were unmasked);
 * bits 16-23 of the CS slot hold the saved evtchn_upcall_mask.
 * The failsafe callback frame adds DS, ES, FS, GS below EIP:
 *   [SS, ESP,] EFLAGS, CS, EIP, GS, FS, ES, DS (DS at the lowest address).
 */

/* set_callbacks(event_cs, event_eip, failsafe_cs, failsafe_eip) */

/* ------------------------------------------------------------------------
 * Memory management
 *
 * mmu_update(const struct xeno_mmu_update *req, uint32_t count,
 *            uint32_t *done, uint32_t foreign_domid)
 * The low 2 bits of ptr select the command; the rest is a machine address.
 */
#define XENO_MMU_NORMAL_PT_UPDATE	0	/* *ptr = val, validated */
#define XENO_MMU_MACHPHYS_UPDATE	1	/* M2P[ptr >> 12] = val (a pfn) */
#define XENO_MMU_CMD_MASK		3
#define XENO_MMU_MAX_BATCH		4096

#ifndef __ASSEMBLY__
struct xeno_mmu_update {
	uint32_t ptr;
	uint32_t val;
};
XENO_ASSERT_SIZE(struct xeno_mmu_update, 8);
#endif

/* update_va_mapping(uint32_t va, uint32_t new_pte, uint32_t flags) */
#define XENO_UVMF_NONE			0
#define XENO_UVMF_INVLPG		1	/* flush this VA's TLB entry */
#define XENO_UVMF_TLB_FLUSH		2	/* flush the whole (non-global) TLB */

/*
 * mmuext_op(const struct xeno_mmuext_op *ops, uint32_t count,
 *           uint32_t *done, uint32_t foreign_domid)
 */
#define XENO_MMUEXT_PIN_L1_TABLE	0	/* arg1 = mfn */
#define XENO_MMUEXT_PIN_L2_TABLE	1	/* arg1 = mfn */
#define XENO_MMUEXT_UNPIN_TABLE		2	/* arg1 = mfn */
#define XENO_MMUEXT_NEW_BASEPTR		3	/* arg1 = mfn of an L2 (validated if not pinned) */
#define XENO_MMUEXT_TLB_FLUSH_LOCAL	4
#define XENO_MMUEXT_INVLPG_LOCAL	5	/* arg1 = va */
#define XENO_MMUEXT_SET_LDT		6	/* arg1 = va (page aligned), arg2 = entries */

#ifndef __ASSEMBLY__
struct xeno_mmuext_op {
	uint32_t cmd;
	uint32_t arg1;
	uint32_t arg2;
};
XENO_ASSERT_SIZE(struct xeno_mmuext_op, 12);
#endif

/*
 * set_gdt(const uint32_t *frames, uint32_t entries): frames[] are machine
 * frames (at most XENO_GDT_GUEST_FRAMES) holding 'entries' descriptors; all
 * 512 descriptors of every frame are validated (and fixed up) and the frames
 * become descriptor pages, which may not be mapped writable.
 * update_descriptor(uint32_t maddr, uint32_t lo, uint32_t hi): one entry.
 */

/*
 * vm_assist(uint32_t cmd, uint32_t type): optional hypervisor help.
 */
#define XENO_VMASST_CMD_ENABLE		0
#define XENO_VMASST_CMD_DISABLE		1
#define XENO_VMASST_TYPE_4GB_SEGMENTS	0	/* ring-3 %ds/%es/%fs/%gs accesses that wrap past 4 GiB */
#define XENO_VMASST_TYPE_WRITABLE_PAGETABLES 1	/* emulate single PTE writes */
#define XENO_VMASST_NR_TYPES		2

/* ------------------------------------------------------------------------
 * Long batches (mmu_update, mmuext_op, multicall, memory_op's reservation
 * changes) are preempted and continued (docs/abi.md 2.4): the hypervisor
 * points EIP back at the guest's "int $0x82", with argument registers that
 * finish the rest, and lets interrupts, events and other domains run first.
 * A continued batch's count has this bit set, the entries already done in
 * bits 16-30 and the entries left in bits 0-15.  Guests never set it; a
 * count with it set and a bad done/left split gets -XENO_E2BIG.
 */
#define XENO_BATCH_CONTINUED		0x80000000u

/* ------------------------------------------------------------------------
 * multicall(struct xeno_multicall_entry *calls, uint32_t count)
 * Runs the calls in order and stores each one's result in its entry; a
 * failing call does not stop the batch.  Returns the number of entries run.
 * A nested multicall or an iret is refused (-XENO_EINVAL in its entry) and
 * ends the batch; so does a sched_op, and any call after which the vCPU
 * blocked, shut down or changed its code segment.
 */
#define XENO_MULTICALL_MAX		256

#ifndef __ASSEMBLY__
struct xeno_multicall_entry {
	uint32_t op;
	int32_t result;
	uint32_t args[6];
};
XENO_ASSERT_SIZE(struct xeno_multicall_entry, 32);
#endif

/* ------------------------------------------------------------------------
 * console_io(uint32_t cmd, uint32_t count, char *buf)
 */
#define XENO_CONSOLEIO_WRITE		0	/* returns bytes written */
#define XENO_CONSOLEIO_READ		1	/* returns bytes read (Domain0 input) */
#define XENO_CONSOLEIO_MAX		4096

/* xeno_version(uint32_t cmd, void *arg) */
#define XENO_VERSION_VERSION		0	/* returns XENO_INTERFACE_VERSION */
#define XENO_VERSION_EXTRAVERSION	1	/* arg: char[16], the release string */
#define XENO_VERSION_CAPABILITIES	2	/* arg: char[64] */

/* fpu_taskswitch(uint32_t set): set (1) or clear (0) the virtual CR0.TS. */

/* set_timer_op(uint32_t deadline_lo, uint32_t deadline_hi): system time in
 * ns; 0 cancels.  When it passes, VIRQ_TIMER fires once. */

/* set_debugreg(uint32_t reg, uint32_t value), get_debugreg(uint32_t reg) */

/* iret: jump (do not call) to the iret stub with the stack holding
 *   EAX (pushed by the stub), EIP, CS, EFLAGS[, ESP, SS]
 * EFLAGS.IF restores the event mask; IOPL and VM are ignored; CS must be of
 * ring 1 or 3. */

#endif
