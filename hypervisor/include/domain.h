/* SPDX-License-Identifier: MIT */
/*
 * Domains and their (single) virtual CPU.  A domain owns frames, event
 * channels and a shared_info page; its vCPU holds the guest's register state
 * whenever it is not running, and everything the hypervisor virtualises for
 * it: trap table, kernel stack, callbacks, GDT/LDT, debug registers, FPU.
 */
#ifndef XENO_DOMAIN_H
#define XENO_DOMAIN_H

#include <console.h>
#include <desc.h>
#include <page.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/xeno.h>
#include <regs.h>
#include <types.h>
#include <vdev.h>

#define MAX_DOMAINS		64
#define NR_EVTCHN		XENO_NR_EVENT_CHANNELS
#define DOMAIN_NAME_LEN		16

/* A guest's handler for one vector (from set_trap_table). */
struct guest_trap {
	uint16_t cs;		/* 0 = no handler */
	uint8_t flags;		/* XENO_TI_* */
	uint8_t _pad;
	uint32_t eip;
};

enum vcpu_state {
	VCPU_RUNNABLE,		/* on the run queue (or running) */
	VCPU_BLOCKED,		/* in sched_op block, waiting for an event */
	VCPU_DOWN,		/* paused, shut down or crashed: never runs */
};

/* BVT scheduling state, in scheduler units (see sched.c). */
struct bvt {
	uint32_t mcu_advance;	/* virtual time per ns run, inverse of weight */
	uint32_t warp;		/* virtual time subtracted while warped */
	uint32_t warp_limit_ns;
	uint32_t unwarp_req_ns;
	bool warp_enabled;
	bool warped;		/* currently borrowing */
	uint64_t avt;		/* actual virtual time */
	uint64_t evt;		/* effective virtual time (avt - warp if warped) */
	uint64_t warp_start;	/* system time when the current warp began */
	uint64_t unwarp_until;	/* no warping before this system time */
	uint64_t last_run;	/* system time it was last scheduled in */
};

struct vcpu {
	struct domain *domain;
	struct cpu_regs regs;		/* guest state while not running */
	struct xeno_vcpu_info *info;	/* in the domain's shared_info */
	enum vcpu_state state;
	bool paused;			/* by dom0_op; orthogonal to blocked */

	struct guest_trap traps[256];
	uint32_t kernel_ss, kernel_sp;	/* ring-1 stack for entries from ring 3 */
	uint32_t event_cs, event_eip;
	uint32_t failsafe_cs, failsafe_eip;
	struct seg_desc int80_gate;	/* the IDT entry installed while running */
	bool int80_direct;

	mfn_t cr3_mfn;			/* the current L2 (holds a type reference) */
	mfn_t gdt_mfns[XENO_GDT_GUEST_FRAMES];
	unsigned int gdt_frames, gdt_ents;
	uint32_t ldt_base, ldt_ents;
	mfn_t ldt_mfns[16];
	unsigned int ldt_frames;
	struct {			/* is this stack selector 16-bit? (espfix) */
		uint32_t sel, generation;	/* valid while desc_generation is */
		bool is_16bit;
	} stack16;

	uint32_t debugreg[8];
	bool pending_debug;		/* a #DB hit in ring 0 on its behalf */
	bool fpu_ts;			/* virtual CR0.TS */
	bool fpu_initialised;
	uint8_t fpu_state[512] __aligned(16);	/* fxsave area */

	uint64_t timer_deadline;	/* system time ns; 0 = none */
	uint64_t cpu_time;		/* ns run */
	struct bvt bvt;
	struct vcpu *next_runnable;	/* run queue link */
};

enum shutdown_reason {
	SHUTDOWN_NONE = -1,
	SHUTDOWN_POWEROFF = XENO_SHUTDOWN_poweroff,
	SHUTDOWN_REBOOT = XENO_SHUTDOWN_reboot,
	SHUTDOWN_CRASH = XENO_SHUTDOWN_crash,
};

enum evtchn_state {
	ECS_FREE,
	ECS_UNBOUND,		/* offered to remote_dom */
	ECS_INTERDOMAIN,	/* connected to remote_dom:remote_port */
	ECS_VIRQ,
	ECS_DEVICE,		/* a vdev's: remote_port = its slot (vdev.h) */
};

struct evtchn {
	uint8_t state;		/* enum evtchn_state */
	uint8_t virq;
	domid_t remote_dom;
	uint16_t remote_port;
	uint16_t _pad;
};

/* What a domain made the hypervisor do, for debug key 'c' (reset by it). */
struct domain_stats {
	uint32_t hypercalls[XENO_NR_HYPERCALLS];	/* also each multicall entry */
	uint32_t traps[32];		/* exceptions taken, by vector */
	uint32_t bounced[32];		/* ... of which passed to the guest */
	uint32_t upcalls;		/* event callbacks entered */
};

struct domain {
	domid_t id;
	char name[DOMAIN_NAME_LEN];
	bool privileged;		/* may use dom0_op */
	bool dying;			/* being torn down */
	enum shutdown_reason shutdown;
	uint32_t vm_assist;		/* bit per XENO_VMASST_TYPE_* */
	bool warned_4gb;		/* said once that 4gb_segments is in use */
	bool warned_vm86;		/* said once that it trapped in vm86 mode */
	unsigned long segment_flips;	/* descriptors flipped by that assist */

	uint32_t tot_pages, max_pages;
	struct xeno_shared_info *shared_info;	/* xenheap page, owned by the domain */
	pte_t *perdomain_l1;		/* GDT/LDT mappings, in L2 slot 1020 */

	struct evtchn *evtchn;		/* NR_EVTCHN entries */
	uint16_t virq_port[XENO_NR_VIRQS];
	struct vdev *vdev[DOMAIN_MAX_VDEVS];	/* VBDs and VIFs (vdev.h) */
	bool destroy_deferred;		/* destroyed while I/O was in flight */

	struct vcpu vcpu;
	struct domain_stats stats;
	struct console_line console;	/* its output line and budget (console.c) */
	struct domain *next;		/* domain list, by id */
};

extern struct domain *domain_list;
extern struct vcpu *current;		/* NULL while idle */

/* The guest frame at the top of the hypervisor stack (the running vCPU's). */
struct cpu_regs *guest_frame(void);

/* A vCPU's registers: live on the stack if it is running, else saved. */
static inline struct cpu_regs *vcpu_regs(struct vcpu *v)
{
	return v == current ? guest_frame() : &v->regs;
}

struct domain *domain_find(uint32_t id);
struct domain *domain_create(domid_t id, bool privileged);
void domain_destroy(struct domain *d);
void domain_io_drained(struct domain *d);
void domain_reap(void);
void domain_crash(struct domain *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void domain_shutdown(struct domain *d, enum shutdown_reason why);
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);
void domain_dump_all(void);

#endif
