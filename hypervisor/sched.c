/* SPDX-License-Identifier: MIT */
/*
 * Borrowed Virtual Time scheduling (Duda & Cheriton, SOSP 1999), as the
 * Xen paper used it.  Each runnable vCPU has an actual virtual time (avt)
 * that grows by mcu_advance for every ns it runs, so CPU shares are in the
 * ratio of the inverse mcu_advance values.  The scheduler runs the vCPU with
 * the lowest effective virtual time (evt = avt, minus warp while a
 * latency-sensitive vCPU borrows), and lets it run until its evt passes the
 * next one's by the context-switch allowance.  A vCPU that wakes from
 * sleeping starts no earlier than the scheduler's virtual time (the lowest
 * avt), so sleeping earns no credit.
 *
 * The run queue holds every runnable, unpaused vCPU, including the running
 * one; "current" is NULL while the CPU idles.
 */
#include <domain.h>
#include <errno.h>
#include <event.h>
#include <hypercall.h>
#include <lib.h>
#include <panic.h>
#include <sched.h>
#include <time.h>
#include <traps.h>
#include <x86.h>

bool need_resched;
static struct vcpu *runq;

/* Pure BVT arithmetic -------------------------------------------------- */

static void bvt_set_evt(struct bvt *b)
{
	b->evt = b->warped && b->avt > b->warp ? b->avt - b->warp : (b->warped ? 0 : b->avt);
}

void bvt_charge(struct bvt *b, uint64_t ran_ns)
{
	b->avt += ran_ns * b->mcu_advance;
	bvt_set_evt(b);
}

/* Wake-up: no credit for sleeping; start a warp if allowed. */
void bvt_wake(struct bvt *b, uint64_t svt, uint64_t now)
{
	if (b->avt < svt)
		b->avt = svt;
	if (b->warp_enabled && now >= b->unwarp_until) {
		b->warped = true;
		b->warp_start = now;
	}
	bvt_set_evt(b);
}

/* End a warp that has lasted warp_limit; it may not warp again for unwarp_req. */
void bvt_update_warp(struct bvt *b, uint64_t now)
{
	if (b->warped && b->warp_limit_ns && now - b->warp_start >= b->warp_limit_ns) {
		b->warped = false;
		b->unwarp_until = now + b->unwarp_req_ns;
	}
	bvt_set_evt(b);
}

/* How long cur may run before next's turn: until cur's evt passes next's by
 * the context-switch allowance (in cur's own virtual-time units). */
uint64_t bvt_slice_ns(const struct bvt *cur, const struct bvt *next)
{
	uint64_t allow = BVT_CTX_ALLOW_NS * cur->mcu_advance;
	uint64_t limit = next->evt + allow;

	if (cur->evt >= limit)
		return 0;
	return (limit - cur->evt) / cur->mcu_advance;
}

/* Run queue ----------------------------------------------------------- */

void sched_init_vcpu(struct vcpu *v)
{
	memset(&v->bvt, 0, sizeof(v->bvt));
	v->bvt.mcu_advance = BVT_DEFAULT_MCU_ADVANCE;
}

static bool on_runq(const struct vcpu *v)
{
	for (const struct vcpu *p = runq; p; p = p->next_runnable)
		if (p == v)
			return true;
	return false;
}

/* The scheduler's virtual time: the lowest avt among runnable vCPUs. */
static uint64_t svt(void)
{
	uint64_t m = UINT64_MAX;

	for (const struct vcpu *p = runq; p; p = p->next_runnable)
		m = MIN(m, p->bvt.avt);
	return m == UINT64_MAX ? 0 : m;
}

void sched_add(struct vcpu *v)
{
	if (v->paused || v->state != VCPU_RUNNABLE || on_runq(v))
		return;
	bvt_wake(&v->bvt, svt(), time_now());
	v->next_runnable = runq;
	runq = v;
	need_resched = true;
}

void sched_remove(struct vcpu *v)
{
	for (struct vcpu **p = &runq; *p; p = &(*p)->next_runnable) {
		if (*p == v) {
			*p = v->next_runnable;
			break;
		}
	}
	v->next_runnable = NULL;
	if (v == current)
		need_resched = true;
}

void vcpu_wake(struct vcpu *v)
{
	if (v->state != VCPU_BLOCKED)
		return;
	v->state = VCPU_RUNNABLE;
	sched_add(v);
}

void vcpu_block(struct vcpu *v)
{
	v->state = VCPU_BLOCKED;
	sched_remove(v);
}

int sched_set_bvt(struct vcpu *v, const struct xeno_bvt_params *p)
{
	if (p->mcu_advance == 0 || p->mcu_advance > BVT_MAX_MCU_ADVANCE || p->warp_enabled > 1)
		return -EINVAL;
	v->bvt.mcu_advance = p->mcu_advance;
	v->bvt.warp_enabled = p->warp_enabled;
	v->bvt.warp = p->warp;
	v->bvt.warp_limit_ns = p->warp_limit_ns;
	v->bvt.unwarp_req_ns = p->unwarp_req_ns;
	if (!p->warp_enabled)
		v->bvt.warped = false;
	bvt_set_evt(&v->bvt);
	need_resched = true;
	return 0;
}

void sched_get_bvt(const struct vcpu *v, struct xeno_bvt_params *p)
{
	memset(p, 0, sizeof(*p));
	p->mcu_advance = v->bvt.mcu_advance;
	p->warp_enabled = v->bvt.warp_enabled;
	p->warp = v->bvt.warp;
	p->warp_limit_ns = v->bvt.warp_limit_ns;
	p->unwarp_req_ns = v->bvt.unwarp_req_ns;
}

/* Account the running vCPU's time since it was scheduled in. */
static void charge_current(uint64_t now)
{
	struct vcpu *v = current;

	if (!v)
		return;
	v->cpu_time += now - v->bvt.last_run;
	bvt_charge(&v->bvt, now - v->bvt.last_run);
	bvt_update_warp(&v->bvt, now);
	v->bvt.last_run = now;
}

/* The runnable vCPU with the lowest evt, and the runner-up. */
static struct vcpu *pick(struct vcpu **second)
{
	struct vcpu *best = NULL;

	*second = NULL;
	for (struct vcpu *p = runq; p; p = p->next_runnable) {
		if (!best || p->bvt.evt < best->bvt.evt) {
			*second = best;
			best = p;
		} else if (!*second || p->bvt.evt < (*second)->bvt.evt) {
			*second = p;
		}
	}
	return best;
}

void schedule(void)
{
	uint64_t now = time_now();
	struct vcpu *next, *second;

	need_resched = false;
	charge_current(now);
	next = pick(&second);
	if (next && second)
		timer_set_sched(now + MAX(bvt_slice_ns(&next->bvt, &second->bvt), 100000ull));
	else
		timer_set_sched(0);
	if (next != current)
		context_switch(current, next);
	if (next)
		next->bvt.last_run = now;
}

long do_sched_op(uint32_t cmd, uint32_t arg)
{
	struct vcpu *v = current;

	switch (cmd) {
	case XENO_SCHEDOP_yield:
		need_resched = true;
		return 0;
	case XENO_SCHEDOP_block:
		/* Unmask, then check: an event that is already pending wins. */
		v->info->evtchn_upcall_mask = 0;
		if (!v->info->evtchn_upcall_pending)
			vcpu_block(v);
		return 0;
	case XENO_SCHEDOP_shutdown:
		if (arg > XENO_SHUTDOWN_crash)
			return -EINVAL;
		domain_shutdown(v->domain, (enum shutdown_reason)arg);
		return 0;
	}
	return -ENOSYS;
}

/*
 * The way back to a guest, after every trap, interrupt and hypercall: run
 * expired timers, reschedule if asked, idle while nothing can run, and
 * deliver pending events to the vCPU about to run.  The hypervisor's one
 * rule of execution (docs/tour.md) is checked here, on every way out: one
 * CPU, interrupts off, so nothing else runs until the iret.
 */
void exit_to_guest(struct cpu_regs *regs)
{
	ASSERT(!(read_eflags() & EFLAGS_IF));
	for (;;) {
		timers_run();
		if (vdev_service_pending())
			vdev_service();
		domain_reap();
		if (need_resched || !current || current->state != VCPU_RUNNABLE ||
		    current->paused) {
			schedule();
			timers_run();	/* arm the PIT for the new slice's end */
		}
		if (!current) {
			if (!vdev_service_pending())
				idle_wait();	/* else: serve the devices first */
			continue;
		}
		if (deliver_events(current, regs))
			break;
		/* Delivery failed: the domain crashed; pick again. */
	}
	espfix_prepare(regs);
}
