// SPDX-License-Identifier: GPL-2.0
/*
 * Time on Xeno.  The hypervisor publishes system time in pvclock format in
 * vcpu_info and the wall clock in shared_info, so Linux's pvclock code does
 * the reading.  The clock event is one-shot: set_timer_op arms a deadline in
 * system time, and VIRQ_TIMER fires when it passes.
 */
#include <linux/clockchips.h>
#include <linux/clocksource.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/sched_clock.h>
#include <asm/paravirt.h>
#include <asm/pvclock.h>
#include <asm/time.h>
#include <asm/x86_init.h>
#include <asm/xeno/hypercall.h>
#include <asm/xeno/xeno.h>
#include <xeno/public/event_channel.h>

#define XENO_CLOCK_RATING	400	/* above the TSC's */
#define XENO_MIN_DELTA_NS	1000

static struct pvclock_vcpu_time_info *vcpu_time(void)
{
	return (struct pvclock_vcpu_time_info *)&xeno_vcpu->time;
}

static u64 xeno_clocksource_read(void)
{
	u64 ret;

	preempt_disable_notrace();
	ret = pvclock_clocksource_read(vcpu_time());
	preempt_enable_notrace();
	return ret;
}

static u64 xeno_clocksource_get_cycles(struct clocksource *cs)
{
	return xeno_clocksource_read();
}

static u64 sched_clock_base;

static u64 xeno_sched_clock(void)
{
	return pvclock_clocksource_read(vcpu_time()) - sched_clock_base;
}

static struct clocksource xeno_clocksource = {
	.name	= "xeno",
	.rating	= XENO_CLOCK_RATING,
	.read	= xeno_clocksource_get_cycles,
	.mask	= CLOCKSOURCE_MASK(64),
	.flags	= CLOCK_SOURCE_IS_CONTINUOUS,
};

static unsigned long xeno_tsc_khz(void)
{
	return pvclock_tsc_khz(vcpu_time());
}

static void xeno_get_wallclock(struct timespec64 *now)
{
	pvclock_read_wallclock((struct pvclock_wall_clock *)&xeno_shared_info.wc_version,
			       vcpu_time(), now);
}

static int xeno_set_wallclock(const struct timespec64 *now)
{
	return -ENODEV;		/* the hypervisor owns the RTC */
}

static int xeno_timer_set_next_event(unsigned long delta, struct clock_event_device *evt)
{
	return HYPERVISOR_set_timer_op(xeno_clocksource_read() + delta) ? -ETIME : 0;
}

static int xeno_timer_shutdown(struct clock_event_device *evt)
{
	HYPERVISOR_set_timer_op(0);
	return 0;
}

static struct clock_event_device xeno_clockevent = {
	.name			= "xeno",
	.features		= CLOCK_EVT_FEAT_ONESHOT,
	.max_delta_ns		= 0xffffffff,
	.max_delta_ticks	= 0xffffffff,
	.min_delta_ns		= XENO_MIN_DELTA_NS,
	.min_delta_ticks	= XENO_MIN_DELTA_NS,
	.mult			= 1,
	.shift			= 0,
	.rating			= XENO_CLOCK_RATING,
	.set_next_event		= xeno_timer_set_next_event,
	.set_state_shutdown	= xeno_timer_shutdown,
	.set_state_oneshot	= xeno_timer_shutdown,
};

static irqreturn_t xeno_timer_interrupt(int irq, void *dev_id)
{
	struct clock_event_device *evt = dev_id;

	if (evt->event_handler)
		evt->event_handler(evt);
	return IRQ_HANDLED;
}

void __init xeno_time_init(void)
{
	int irq;

	clocksource_register_hz(&xeno_clocksource, NSEC_PER_SEC);
	irq = xeno_bind_virq_to_irqhandler(XENO_VIRQ_TIMER, xeno_timer_interrupt,
					   IRQF_TIMER | IRQF_NOBALANCING, "timer",
					   &xeno_clockevent);
	if (irq < 0)
		panic("Xeno: cannot bind the timer: %d", irq);
	xeno_clockevent.irq = irq;
	xeno_clockevent.cpumask = cpumask_of(0);
	clockevents_register_device(&xeno_clockevent);
}

/* Hooks that must be in place before tsc_init() and timekeeping start. */
void __init xeno_time_early_init(void)
{
	sched_clock_base = pvclock_clocksource_read(vcpu_time());
	paravirt_set_sched_clock(xeno_sched_clock);
	x86_platform.calibrate_tsc = xeno_tsc_khz;
	x86_platform.calibrate_cpu = xeno_tsc_khz;
	x86_platform.get_wallclock = xeno_get_wallclock;
	x86_platform.set_wallclock = xeno_set_wallclock;
}
