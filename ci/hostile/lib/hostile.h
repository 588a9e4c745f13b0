/* SPDX-License-Identifier: MIT */
/*
 * The hostile-guest suite (XTF's model, milestone 3): each test is one image
 * that plays three roles, chosen by its command line.
 *
 *   (empty)     Domain0, the supervisor: starts a bystander, runs the attack
 *               (in itself, or in an unprivileged attacker domain), then
 *               proves the hypervisor and the bystander are healthy and
 *               that every frame came back.
 *   bystander   an innocent domU: keeps canary pages and its page tables,
 *               checks them all the time, and answers Domain0's pings.
 *   attack ...  the attacker domU: runs hostile.attack().
 *   control ... (H_STRETCH) a benign domU that only burns CPU, for a
 *               control measurement on the same machine.
 *
 * Verdict SUCCESS only if the attack was refused or contained (the rule the
 * test names held), the attacker ended the expected way, the bystander
 * answered with its canaries intact, and no frame, hypervisor page or
 * temporary mapping leaked.
 */
#ifndef GUEST_HOSTILE_H
#define GUEST_HOSTILE_H

#include <guest.h>

enum hostile_where {
	IN_DOMU,	/* an unprivileged attacker domain (the usual threat) */
	IN_DOM0,	/* Domain0 itself: for dom0_op and the domain builder */
};

#define H_SEGLIMITS	(1u << 0)	/* needs enforced segment limits: SKIP on QEMU */
#define H_LIVENESS	(1u << 1)	/* others must run during the attacker's hostile_busy() */
#define H_STRETCH	(1u << 2)	/* Domain0's longest wait while the attacker runs is bounded */
#define H_CONSOLE	(1u << 3)	/* every console line the attacker causes is checked */

struct hostile {
	enum hostile_where where;
	/*
	 * NULL: the attack is refused and the attacker survives; its own
	 * checks decide (CHECK, EXPECT_EQ, xtf_failure).  Otherwise the
	 * hypervisor must kill the attacker and say why: its console line
	 * "*** domain N crashed: ..." must contain this text.
	 */
	const char *crash;
	unsigned int flags;
	uint32_t mem_kb;	/* the attacker's memory; 0 = 4 MiB */
	void (*attack)(void);
	/*
	 * Optional, IN_DOMU: run by the supervisor once the attacker is
	 * destroyed, before the leak checks (e.g. to check what the attacker
	 * left behind; see attacker_report() in pt.h).
	 */
	void (*after)(void);
	/*
	 * Optional, IN_DOMU: run by the supervisor once the attacker is built
	 * and before it first runs (e.g. to give it devices; see vifs.h).
	 */
	void (*prepare)(uint32_t attacker, uint32_t bystander);
	/*
	 * Optional: run by the bystander every time it wakes (every ~2 ms):
	 * a victim's work for attacks that spy on another domain (fpu-*).
	 */
	void (*bystander_tick)(void);
	/* H_CONSOLE: lines (NULL-terminated) the attacker's output must become. */
	const char *const *lines;
};

/* Provided by each test, with test_title (the rule attacked). */
extern const struct hostile hostile;

/*
 * "key=value" words of the attacker's command line (Domain0's own, for
 * IN_DOM0 tests), then what the bystander told the supervisor:
 *   victim      a machine frame of the bystander's canary pages
 *   victim_l1   the bystander's L1 table that maps it
 *   victim_l2   the bystander's L2 (page directory)
 *   bystander   its domain id (attacker only)
 * Domain0's own command line is passed on to the attacker, so test.conf's
 * CMDLINE (or make fuzz's SEED and ITER) reach the attack.
 */
uint32_t hostile_arg(const char *key, uint32_t def);
/*
 * Attacker, with H_LIVENESS: hostile_busy(true) just before a long
 * hypercall, hostile_busy(false) after it.  The supervisor pings the
 * bystander in between and needs answers: proof that the hypervisor let
 * other domains run while the attacker's hypercall was in progress.
 */
void hostile_busy(bool on);
/*
 * H_STRETCH: the supervisor first runs a control domain (a CPU hog making
 * cheap hypercalls for "control_ms", default 1500), then the attacker, and
 * each time measures the longest stretch between two of its own wake-ups
 * (it sleeps 1 ms at a time).  The verdict is FAILURE if the attacker's
 * stretch is above STRETCH_FACTOR x the control's + STRETCH_SLACK_MS (a
 * hypercall held the CPU far longer than a scheduler slice) in each of
 * STRETCH_TRIES control-and-attack pairs (a busy host preempts QEMU now and
 * then, which looks the same, but not every time).  The attacker
 * should keep attacking for about as long as the control runs; it can ask
 * how long that is, and whether its time is up.
 */
#define STRETCH_FACTOR		2
#define STRETCH_SLACK_MS	50
#define STRETCH_TRIES		3
uint32_t hostile_run_ms(void);			/* how long to keep attacking */
bool hostile_time_up(void);			/* since the attack began */
/*
 * H_CONSOLE: while the attacker runs, the supervisor reads every byte of the
 * console log and checks each line: it must start with the hypervisor's
 * "(xeno) " or a domain's "(dN) ", hold no control byte but tabs, and a
 * line holding FORGE_MARK (which the attacker puts in everything it writes)
 * must start with the attacker's own "(dN) ".  Each of hostile.lines must
 * have appeared, whole, after the attacker's prefix.
 */
#define FORGE_MARK	"FORGED"
/* Supervisor: the domain id of the last attacker it started (0: none yet). */
uint32_t hostile_attacker(void);
/* True when ring-1 segment limits are enforced (Bochs, real CPUs). */
bool segment_limits_enforced(void);

/* ---- building blocks for attacks ---- */

/* A machine frame that is not ours: the bystander's canary frame. */
uint32_t foreign_mfn(void);
uint32_t hypervisor_mfn(void);	/* a frame of the hypervisor image */
uint32_t max_machine_frame(void);	/* one past the highest frame the M2P covers */

/* mmu_update's ptr word for a PTE at machine address ma, kind XENO_MMU_*. */
static inline uint32_t mmu_ptr(uint32_t ma, uint32_t kind) { return ma | kind; }
/* The machine address of va's L1 entry. */
uint32_t pte_maddr(uint32_t va);
/* A spare page-aligned virtual address with an L1 entry we may set. */
uint32_t spare_va(void);

#endif
