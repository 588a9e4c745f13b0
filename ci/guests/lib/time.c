/* SPDX-License-Identifier: MIT */
/* pvclock time and sleeping, for test guests. */
#include "guest.h"

uint64_t rdtsc(void)
{
	uint64_t t;

	asm volatile("rdtsc" : "=A"(t));
	return t;
}

/* Read the pvclock record under its seqlock (odd version = being updated). */
uint64_t now_ns(void)
{
	const volatile struct xeno_vcpu_time_info *t = &vcpu->time;
	uint32_t version, mul;
	uint64_t stamp, base, delta;
	int8_t shift;

	do {
		version = t->version;
		barrier();
		stamp = t->tsc_timestamp;
		base = t->system_time;
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
		delta = rdtsc() - stamp;
		barrier();
	} while ((version & 1) || version != t->version);
	delta = shift >= 0 ? delta << shift : delta >> -shift;
	return base + (delta >> 32) * mul + (((delta & 0xffffffffu) * mul) >> 32);
}

static volatile bool timer_fired;
static int timer_port;

static void on_timer(unsigned int port)
{
	(void)port;
	timer_fired = true;
}

/*
 * Block (sched_op block, which unmasks events) until the timer set for
 * 'deadline' fires or, if events is given, *events moves off 'seen'.
 */
static bool block_until(uint64_t deadline, const volatile unsigned int *events,
			unsigned int seen)
{
	bool moved = false;

	if (!timer_port)
		timer_port = bind_virq(XENO_VIRQ_TIMER, on_timer);
	timer_fired = false;
	HYPERCALL2(set_timer_op, (uint32_t)deadline, (uint32_t)(deadline >> 32));
	while (!timer_fired) {
		local_irq_disable();
		moved = events && *events != seen;
		if (timer_fired || moved)
			break;
		HYPERCALL2(sched_op, XENO_SCHEDOP_block, 0);
	}
	local_irq_enable();
	return moved || (events && *events != seen);
}

void sleep_ns(uint64_t ns)
{
	block_until(now_ns() + ns, NULL, 0);
}

bool wait_for_event(const volatile unsigned int *events, unsigned int seen, uint64_t deadline)
{
	if (*events != seen)
		return true;
	return block_until(deadline, events, seen);
}
