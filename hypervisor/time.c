/* SPDX-License-Identifier: MIT */
/*
 * Time.  System time is ns since boot, from the TSC calibrated against the
 * PIT at boot; guests get it in pvclock form in vcpu_info (refreshed when a
 * vCPU is scheduled in) and the wall clock (CMOS RTC at boot) in
 * shared_info.  The PIT in one-shot mode is the hypervisor's only timer: it
 * is programmed for the earliest of the scheduler's slice end, every
 * vCPU's set_timer_op deadline and every armed hypervisor timer (struct
 * timer: the console's partial-line timeout, a VIF's credit refill)
 * (tickless).
 */
#include <console.h>
#include <domain.h>
#include <event.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <sched.h>
#include <time.h>
#include <x86.h>

#define PIT_HZ			1193182u
#define PIT_CH0			0x40
#define PIT_CH2			0x42
#define PIT_CMD			0x43
#define PIT_CMD_CH0_ONESHOT	0x30	/* channel 0, lo/hi byte, mode 0 */
#define PIT_CMD_CH2_ONESHOT	0xb0	/* channel 2, lo/hi byte, mode 0 */
#define PIT_MAX_COUNT		0xffffu
#define PORT_SYS_CTRL		0x61
#define SYS_CTRL_GATE2		0x01
#define SYS_CTRL_SPEAKER	0x02
#define SYS_CTRL_OUT2		0x20
#define CALIBRATE_HZ		40	/* countdowns of 1/40 s and 1/400 s ... */
#define CALIBRATE_PAIRS		5	/* ... five times over */
#define CMOS_INDEX		0x70
#define CMOS_DATA		0x71
#define NS_PER_SEC		1000000000ull

static uint64_t tsc_at_boot, tsc_hz;
static uint32_t scale_mul;
static int8_t scale_shift;
static uint64_t sched_deadline;
static uint64_t programmed;		/* deadline the PIT is set for, 0 = none */
/*
 * Must timers_run() look at the clock?  Only after a deadline changed or the
 * PIT fired: otherwise the PIT is armed for the earliest deadline and its
 * interrupt will come.  (Reading the TSC on every exit to a guest costs
 * more than the rest of a null hypercall's C path under QEMU's emulation.)
 */
static bool timers_dirty = true;
static uint64_t wallclock_sec_at_boot;
static struct timer *timer_list;	/* armed hypervisor timers, unordered */

/* Choose mul and shift with ns = ((delta << shift) * mul) >> 32. */
void time_compute_scale(uint64_t hz, uint32_t *mul, int8_t *shift)
{
	uint64_t t = hz;
	int s = 0;

	while (t > 2 * NS_PER_SEC) {
		t >>= 1;
		s--;
	}
	while (t <= NS_PER_SEC) {
		t <<= 1;
		s++;
	}
	*mul = (uint32_t)((NS_PER_SEC << 32) / t);
	*shift = (int8_t)s;
}

uint64_t time_scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
	delta = shift >= 0 ? delta << shift : delta >> -shift;
	return (delta >> 32) * mul + (((delta & 0xffffffffu) * mul) >> 32);
}

uint64_t time_now(void)
{
	return time_scale_delta(rdtsc() - tsc_at_boot, scale_mul, scale_shift);
}

uint32_t tsc_khz(void)
{
	return (uint32_t)(tsc_hz / 1000);
}

/* TSC ticks while PIT channel 2 counts 'latch' PIT ticks down. */
static uint64_t tsc_ticks_during(uint32_t latch)
{
	uint64_t t0, t1;

	outb(PORT_SYS_CTRL, (inb(PORT_SYS_CTRL) & ~SYS_CTRL_SPEAKER) | SYS_CTRL_GATE2);
	outb(PIT_CMD, PIT_CMD_CH2_ONESHOT);
	outb(PIT_CH2, latch & 0xff);
	outb(PIT_CH2, latch >> 8);
	t0 = rdtsc();
	while (!(inb(PORT_SYS_CTRL) & SYS_CTRL_OUT2))
		cpu_relax();
	t1 = rdtsc();
	return t1 - t0;
}

/*
 * The TSC's rate from two countdowns of different lengths: the fixed cost
 * of starting and noticing a countdown (large under emulation, where it
 * once made the clock run 0.15% slow) cancels in the difference.  The
 * median of a few such pairs shrugs off a host that preempts an emulator.
 */
static uint64_t calibrate_tsc(void)
{
	uint32_t short_latch = PIT_HZ / CALIBRATE_HZ / 10, long_latch = PIT_HZ / CALIBRATE_HZ;
	uint64_t rate[CALIBRATE_PAIRS];

	for (unsigned int i = 0; i < CALIBRATE_PAIRS; i++) {
		uint64_t a = tsc_ticks_during(short_latch), b = tsc_ticks_during(long_latch);

		rate[i] = b > a ? (b - a) * PIT_HZ / (long_latch - short_latch) : 0;
		for (unsigned int j = i; j > 0 && rate[j] < rate[j - 1]; j--) {
			uint64_t t = rate[j];

			rate[j] = rate[j - 1];
			rate[j - 1] = t;
		}
	}
	return rate[CALIBRATE_PAIRS / 2];
}

static unsigned int cmos_read(unsigned int reg)
{
	outb(CMOS_INDEX, (uint8_t)reg);
	return inb(CMOS_DATA);
}

/* Days since 1970-01-01 by the civil-from-days algorithm's inverse. */
uint64_t rtc_to_epoch(unsigned int year, unsigned int mon, unsigned int day,
		      unsigned int hour, unsigned int min, unsigned int sec)
{
	unsigned int y = year - (mon <= 2), era = y / 400, yoe = y - era * 400;
	unsigned int doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	unsigned int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	uint64_t days = (uint64_t)era * 146097 + doe - 719468;

	return days * 86400 + hour * 3600 + min * 60 + sec;
}

static unsigned int bcd(unsigned int v, bool binary)
{
	return binary ? v : (v & 0xf) + (v >> 4) * 10;
}

static uint64_t read_rtc(void)
{
	unsigned int sec, min, hour, day, mon, year, b;

	while (cmos_read(0x0a) & 0x80)	/* update in progress */
		cpu_relax();
	sec = cmos_read(0x00), min = cmos_read(0x02), hour = cmos_read(0x04);
	day = cmos_read(0x07), mon = cmos_read(0x08), year = cmos_read(0x09);
	b = cmos_read(0x0b);
	year = bcd(year, b & 4) + 2000;
	return rtc_to_epoch(year, bcd(mon, b & 4), bcd(day, b & 4), bcd(hour & 0x7f, b & 4),
			    bcd(min, b & 4), bcd(sec, b & 4));
}

void time_init(void)
{
	tsc_hz = calibrate_tsc();
	tsc_at_boot = rdtsc();
	time_compute_scale(tsc_hz, &scale_mul, &scale_shift);
	wallclock_sec_at_boot = read_rtc();
	printk("time: TSC %llu.%03llu MHz, wall clock %llu s since 1970\n", tsc_hz / 1000000,
	       tsc_hz / 1000 % 1000, wallclock_sec_at_boot);
}

/* Publish the pvclock record: odd version while the fields change. */
void time_update_vcpu(struct vcpu *v)
{
	struct xeno_vcpu_time_info *t = &v->info->time;

	t->version++;
	barrier();	/* the guest must see the odd version before new fields */
	t->tsc_timestamp = rdtsc();
	t->system_time = time_scale_delta(t->tsc_timestamp - tsc_at_boot, scale_mul, scale_shift);
	t->tsc_to_system_mul = scale_mul;
	t->tsc_shift = scale_shift;
	barrier();	/* ...and the new fields before the even version */
	t->version++;
}

void time_init_domain_wallclock(struct vcpu *v)
{
	struct xeno_shared_info *s = v->domain->shared_info;

	s->wc_version++;
	barrier();	/* seqlock, as for time_update_vcpu */
	s->wc_sec = (uint32_t)wallclock_sec_at_boot;
	s->wc_nsec = 0;
	barrier();
	s->wc_version++;
}

/*
 * PIT ticks for a one-shot 'delta_ns' ahead: at least 1, at most the 16-bit
 * counter's ~55 ms.  The delta is capped before it is scaled, so deadlines
 * hours or centuries ahead do not wrap the 64-bit product.  Pure.
 */
uint32_t pit_ticks(uint64_t delta_ns)
{
	uint64_t cap = (uint64_t)PIT_MAX_COUNT * NS_PER_SEC / PIT_HZ;

	return (uint32_t)MIN(MIN(delta_ns, cap) * PIT_HZ / NS_PER_SEC + 1, PIT_MAX_COUNT);
}

/* Program the PIT for 'deadline' (or nothing). */
static void pit_program(uint64_t deadline, uint64_t now)
{
	uint32_t ticks;

	programmed = deadline;
	if (!deadline)
		return;
	ticks = pit_ticks(deadline > now ? deadline - now : 0);
	outb(PIT_CMD, PIT_CMD_CH0_ONESHOT);
	outb(PIT_CH0, ticks & 0xff);
	outb(PIT_CH0, (ticks >> 8) & 0xff);
}

void timer_set_sched(uint64_t deadline)
{
	sched_deadline = deadline;
	timers_dirty = true;
}

long do_set_timer_op(uint32_t lo, uint32_t hi)
{
	current->timer_deadline = ((uint64_t)hi << 32) | lo;
	timers_dirty = true;
	return 0;
}

void timer_arm(struct timer *t, uint64_t deadline)
{
	timer_cancel(t);
	t->deadline = deadline ? deadline : 1;
	t->next = timer_list;
	timer_list = t;
	timers_dirty = true;
}

void timer_cancel(struct timer *t)
{
	for (struct timer **p = &timer_list; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			break;
		}
	}
	t->deadline = 0;
}

/*
 * Fire the expired hypervisor timers (each is disarmed before its function
 * runs, which may arm it again for later); return the earliest deadline
 * left, or 'next' if that is earlier (0 = none).
 */
static uint64_t run_hypervisor_timers(uint64_t now, uint64_t next)
{
	struct timer **p = &timer_list;

	while (*p) {
		struct timer *t = *p;

		if (now >= t->deadline) {
			*p = t->next;
			t->deadline = 0;
			t->fn(t);
			p = &timer_list;	/* fn may have changed the list */
			continue;
		}
		if (!next || t->deadline < next)
			next = t->deadline;
		p = &t->next;
	}
	return next;
}

/* Fire expired deadlines; re-arm the PIT for the earliest remaining one. */
void timers_run(void)
{
	uint64_t now, next = sched_deadline;

	if (!timers_dirty)
		return;
	timers_dirty = false;
	now = time_now();

	if (sched_deadline && now >= sched_deadline) {
		sched_deadline = next = 0;
		need_resched = true;
	}
	for (struct domain *d = domain_list; d; d = d->next) {
		struct vcpu *v = &d->vcpu;

		if (!v->timer_deadline)
			continue;
		if (now >= v->timer_deadline) {
			v->timer_deadline = 0;
			send_guest_virq(d, XENO_VIRQ_TIMER);
			continue;
		}
		if (!next || v->timer_deadline < next)
			next = v->timer_deadline;
	}
	next = run_hypervisor_timers(now, next);
	/* Re-arm if the target moved, or the PIT's last shot fell short. */
	if (next != programmed || (programmed && now >= programmed))
		pit_program(next, now);
}

/* IRQ 0: the one-shot fired, so nothing is armed now. */
void time_interrupt(void)
{
	programmed = 0;
	timers_dirty = true;
}

/* Nothing to run: halt with interrupts on until one arrives. */
void idle_wait(void)
{
	if (read_cr3() != virt_to_mfn(idle_pg_table) << PAGE_SHIFT)
		write_cr3(virt_to_mfn(idle_pg_table) << PAGE_SHIFT);
	timers_run();
	if (need_resched)
		return;
	safe_halt();
	cli();
}
