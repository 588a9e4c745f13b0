/* SPDX-License-Identifier: MIT */
/*
 * time: the pvclock record, the wall clock, the one-shot timer
 * (set_timer_op -> VIRQ_TIMER) and sched_op block.
 *
 * A guest kernel's whole sense of time comes from these: its clock must
 * never go backwards (not even when the record is refreshed at a context
 * switch), the wall clock must be a real date, a timer must fire once, never
 * before its deadline and not much after (QEMU TCG is slow: +30 ms of slack),
 * a new deadline replaces the old one, deadline 0 cancels, a past deadline
 * fires at once, and a blocked vCPU must wake for it, without being charged
 * CPU time for the time it slept.  An event that is already pending must
 * make sched_op block return at once, or a wake-up is lost.
 */
#include <guest.h>

const char test_title[] = "time: pvclock, wall clock, set_timer_op, block";

#define MS		1000000ull
#define LATE_SLACK	(30 * MS)
#define JAN_2024	1704067200ull	/* seconds since 1970 */
#define JAN_2100	4102444800ull

static volatile unsigned int timer_hits;
static volatile uint64_t fired_at;
static unsigned int timer_port;

static void on_timer(unsigned int port)
{
	(void)port;
	fired_at = now_ns();
	timer_hits++;
}

static void set_timer(uint64_t deadline)
{
	EXPECT_EQ(HYPERCALL2(set_timer_op, (uint32_t)deadline, (uint32_t)(deadline >> 32)), 0);
}

/* Block until the timer fires or 'limit' ns pass (then busy-wait). */
static void wait_timer(uint64_t limit)
{
	uint64_t end = now_ns() + limit;

	while (!timer_hits && now_ns() < end) {
		local_irq_disable();
		if (timer_hits)
			break;
		HYPERCALL2(sched_op, XENO_SCHEDOP_block, 0);
	}
	local_irq_enable();
}

/* Spin with events enabled for 'ns'. */
static void spin(uint64_t ns)
{
	uint64_t end = now_ns() + ns;

	while (now_ns() < end)
		barrier();
}

static void test_pvclock(void)
{
	const volatile struct xeno_vcpu_time_info *t = &vcpu->time;
	uint64_t prev = now_ns(), cur, before, wc;
	uint32_t wc_version = shared_info->wc_version;

	CHECK(!(t->version & 1), "pvclock version %u is odd outside an update", t->version);
	CHECK(t->tsc_to_system_mul != 0, "pvclock mul is 0");
	for (unsigned int i = 0; i < 100000; i++) {
		cur = now_ns();
		if (cur < prev) {
			xtf_failure("pvclock went backwards: %llu then %llu", prev, cur);
			break;
		}
		prev = cur;
	}
	/* Across a reschedule (the record is rewritten): still forwards. */
	timer_hits = 0;
	before = now_ns();
	set_timer(before + 2 * MS);
	wait_timer(100 * MS);
	cur = now_ns();
	CHECK(cur >= before + 2 * MS, "slept from %llu to %llu: less than 2 ms", before, cur);
	CHECK(t->system_time <= cur, "the refreshed record is ahead of the clock");

	CHECK(!(wc_version & 1), "wall clock version %u is odd", wc_version);
	CHECK(shared_info->wc_nsec < 1000000000u, "wc_nsec %u", shared_info->wc_nsec);
	wc = shared_info->wc_sec + now_ns() / 1000000000u;
	CHECK(wc >= JAN_2024 && wc < JAN_2100, "wall clock %llu s since 1970 is not a plausible "
	      "date", wc);
	printf("wall clock: %llu s since 1970, system time %llu ms\n", wc, now_ns() / MS);
}

/* One deadline 'delay' ahead: fires once, on time. */
static void one_shot(uint64_t delay)
{
	uint64_t deadline = now_ns() + delay;

	timer_hits = 0;
	set_timer(deadline);
	wait_timer(delay + 500 * MS);
	if (timer_hits != 1) {
		xtf_failure("timer %llu ms ahead: %u upcalls", delay / MS, timer_hits);
		return;
	}
	printf("timer %llu ms ahead fired %lld us after its deadline\n", delay / MS,
	       (long long)(fired_at - deadline) / 1000);
	CHECK(fired_at >= deadline, "timer %llu ms ahead fired %llu us early", delay / MS,
	      (deadline - fired_at) / 1000);
	CHECK(fired_at <= deadline + LATE_SLACK, "timer %llu ms ahead fired %llu us late",
	      delay / MS, (fired_at - deadline) / 1000);
	spin(delay / 2 + 5 * MS);
	EXPECT_EQ(timer_hits, 1);
}

static void test_timer(void)
{
	uint64_t now;

	one_shot(1 * MS);
	one_shot(10 * MS);
	one_shot(100 * MS);	/* longer than one PIT shot (55 ms) */

	/* Cancelled: nothing. */
	timer_hits = 0;
	set_timer(now_ns() + 30 * MS);
	set_timer(0);
	spin(60 * MS);
	EXPECT_EQ(timer_hits, 0);

	/* Replaced: the new deadline only. */
	now = now_ns();
	set_timer(now + 60 * MS);
	set_timer(now + 5 * MS);
	wait_timer(200 * MS);
	CHECK(timer_hits == 1 && fired_at < now + 40 * MS,
	      "replaced deadline: %u upcalls, at +%llu ms", timer_hits, (fired_at - now) / MS);
	spin(80 * MS);
	EXPECT_EQ(timer_hits, 1);

	/* In the past: at once, before set_timer_op returns to us. */
	timer_hits = 0;
	set_timer(now_ns() - 1 * MS);
	EXPECT_EQ(timer_hits, 1);
}

static long my_cpu_time(uint64_t *ns)
{
	struct xeno_dom0_getdomaininfo info;
	long rc = domain_info(start_info->domid, &info);

	*ns = info.cpu_time_ns;
	return rc;
}

static void test_block(void)
{
	struct xeno_evtchn_port send;
	long port;
	uint64_t c0, c1, c2, t0, t1;

	/* Sleeping is not running. */
	HYPERCALL2(sched_op, XENO_SCHEDOP_yield, 0);
	if (my_cpu_time(&c0))
		return;
	t0 = now_ns();
	timer_hits = 0;
	set_timer(t0 + 100 * MS);
	wait_timer(500 * MS);
	t1 = now_ns();
	my_cpu_time(&c1);
	CHECK(t1 - t0 >= 100 * MS, "block returned after %llu ms", (t1 - t0) / MS);
	CHECK(c1 - c0 < 50 * MS, "charged %llu ms of CPU for 100 ms asleep", (c1 - c0) / MS);
	spin(100 * MS);
	HYPERCALL2(sched_op, XENO_SCHEDOP_yield, 0);
	my_cpu_time(&c2);
	CHECK(c2 - c1 >= 90 * MS, "charged %llu ms of CPU for 100 ms of spinning",
	      (c2 - c1) / MS);

	/* A pending event: block returns at once and the upcall is delivered. */
	port = evtchn_loopback(on_timer);
	CHECK(port > 0, "loopback channel: %ld", port);
	send.port = (uint32_t)port;
	timer_hits = 0;
	local_irq_disable();
	evtchn_op(XENO_EVTCHNOP_send, &send);
	set_timer(now_ns() + 1000 * MS);	/* a safety net only */
	t0 = now_ns();
	HYPERCALL2(sched_op, XENO_SCHEDOP_block, 0);
	t1 = now_ns();
	set_timer(0);
	CHECK(timer_hits == 1 && t1 - t0 < 20 * MS, "block with an event pending: %u upcalls, "
	      "returned after %llu ms", timer_hits, (t1 - t0) / MS);
	CHECK(vcpu->evtchn_upcall_mask == 0, "block left events masked");
}

void test_main(void)
{
	int port = bind_virq(XENO_VIRQ_TIMER, on_timer);

	if (port < 0) {
		xtf_error("bind_virq(TIMER): %d", port);
		return;
	}
	timer_port = (unsigned int)port;
	local_irq_enable();
	test_pvclock();
	test_timer();
	test_block();
	xtf_success(NULL);
}
