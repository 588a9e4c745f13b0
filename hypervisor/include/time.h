/* SPDX-License-Identifier: MIT */
/* Time: the TSC-based system clock, the one-shot timer, the wall clock. */
#ifndef XENO_TIME_H
#define XENO_TIME_H

#include <types.h>

struct vcpu;

/*
 * A one-shot hypervisor timer: fn(t) runs from timers_run() (the exit
 * path, interrupts off) once system time reaches the deadline.  The owner
 * keeps the struct; arming an armed timer moves it.
 */
struct timer {
	uint64_t deadline;		/* system time ns; 0 = not armed */
	void (*fn)(struct timer *t);
	struct timer *next;		/* time.c's list */
};

void timer_arm(struct timer *t, uint64_t deadline);
void timer_cancel(struct timer *t);	/* harmless if not armed */

void time_init(void);
uint64_t time_now(void);		/* ns since boot */
uint32_t tsc_khz(void);
void time_interrupt(void);		/* IRQ 0 */
void timers_run(void);
void timer_set_sched(uint64_t deadline);	/* 0 cancels */
void time_update_vcpu(struct vcpu *v);	/* refresh its pvclock record */
void time_init_domain_wallclock(struct vcpu *v);
void idle_wait(void);

/* Scale arithmetic, pure (host-tested). */
void time_compute_scale(uint64_t tsc_hz, uint32_t *mul, int8_t *shift);
uint64_t time_scale_delta(uint64_t delta, uint32_t mul, int8_t shift);
uint32_t pit_ticks(uint64_t delta_ns);
uint64_t rtc_to_epoch(unsigned int year, unsigned int mon, unsigned int day,
		      unsigned int hour, unsigned int min, unsigned int sec);

#endif
