/* SPDX-License-Identifier: MIT */
/*
 * BVT arithmetic (sched.c) and the time scaling and RTC conversion
 * (time.c), on the host.  The scheduler's policy is simulated with the same
 * functions the hypervisor uses: run the lowest effective virtual time until
 * its slice ends, charge it, repeat.
 */
#include <sched.h>
#include <string.h>
#include <time.h>

#include "harness.h"

/* sched.c and time.c are linked whole; their hardware neighbours are stubbed. */
struct vcpu *current;
struct domain *domain_list;
bool deliver_events(struct vcpu *v, struct cpu_regs *r) { (void)v; (void)r; return true; }
void espfix_prepare(const struct cpu_regs *r) { (void)r; }
bool vdev_service_pending(void) { return false; }
void vdev_service(void) {}
void domain_reap(void) {}
void context_switch(struct vcpu *p, struct vcpu *n) { (void)p; current = n; }
void domain_shutdown(struct domain *d, enum shutdown_reason why) { (void)d; (void)why; }
void send_guest_virq(struct domain *d, unsigned int virq) { (void)d; (void)virq; }
void flush_tlb_local(void) {}
mfn_t virt_to_mfn(const void *va) { (void)va; return 0; }
pde_t idle_pg_table[1024];

static void init(struct bvt *b, uint32_t mcu)
{
	memset(b, 0, sizeof(*b));
	b->mcu_advance = mcu;
}

/* Two always-runnable vCPUs; returns run time of a over run time of b. */
static double share(uint32_t mcu_a, uint32_t mcu_b, uint64_t total_ns)
{
	struct bvt a, b;
	uint64_t ran_a = 0, ran_b = 0;

	init(&a, mcu_a);
	init(&b, mcu_b);
	while (ran_a + ran_b < total_ns) {
		bool pick_a = a.evt <= b.evt;
		struct bvt *cur = pick_a ? &a : &b, *other = pick_a ? &b : &a;
		uint64_t slice = bvt_slice_ns(cur, other);

		if (slice < 100000)
			slice = 100000;		/* the scheduler's minimum slice */
		bvt_charge(cur, slice);
		*(pick_a ? &ran_a : &ran_b) += slice;
	}
	return (double)ran_a / (double)ran_b;
}

static void test_shares(void)
{
	double r = share(10, 10, 10000000000ull);

	CHECK(r > 0.95 && r < 1.05, "equal weights share equally: %.3f", r);
	r = share(10, 20, 10000000000ull);
	CHECK(r > 1.9 && r < 2.1, "mcu_advance 10 vs 20 runs 2:1: %.3f", r);
	r = share(10, 40, 10000000000ull);
	CHECK(r > 3.8 && r < 4.2, "mcu_advance 10 vs 40 runs 4:1: %.3f", r);
}

static void test_slice_and_wake(void)
{
	struct bvt a, b;

	init(&a, 10);
	init(&b, 10);
	CHECK_EQ(bvt_slice_ns(&a, &b), BVT_CTX_ALLOW_NS, "equal times: one allowance");
	bvt_charge(&a, 1000000);
	CHECK_EQ(a.avt, 10000000, "avt grows by mcu_advance per ns");
	CHECK_EQ(bvt_slice_ns(&a, &b), BVT_CTX_ALLOW_NS - 1000000, "allowance shrinks");
	bvt_charge(&a, BVT_CTX_ALLOW_NS);
	CHECK_EQ(bvt_slice_ns(&a, &b), 0, "past the allowance: switch now");

	/* A sleeper wakes at the scheduler's virtual time, not below it. */
	init(&b, 10);
	bvt_wake(&b, 5000, 0);
	CHECK_EQ(b.avt, 5000, "no credit for sleeping");
	bvt_wake(&b, 100, 0);
	CHECK_EQ(b.avt, 5000, "no debit either");
}

static void test_warp(void)
{
	struct bvt w;

	init(&w, 10);
	w.avt = 1000000;
	w.warp_enabled = true;
	w.warp = 600000;
	w.warp_limit_ns = 2000;
	w.unwarp_req_ns = 10000;
	bvt_wake(&w, 0, 100);
	CHECK(w.warped, "a warp-enabled vCPU warps on wake");
	CHECK_EQ(w.evt, 400000, "evt = avt - warp");
	bvt_update_warp(&w, 1000);
	CHECK(w.warped, "still within the warp limit");
	bvt_update_warp(&w, 2100);
	CHECK(!w.warped, "warp ends at its limit");
	CHECK_EQ(w.evt, w.avt, "evt back to avt");
	CHECK_EQ(w.unwarp_until, 12100, "no new warp for unwarp_req");
	bvt_wake(&w, 0, 5000);
	CHECK(!w.warped, "not before unwarp_req has passed");
	bvt_wake(&w, 0, 12100);
	CHECK(w.warped, "then again");
}

static void test_time_scale(void)
{
	static const uint64_t rates[] = { 200000000ull, 1000000000ull, 2600000000ull, 3999999999ull,
					  123456789ull };

	for (unsigned int i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		uint32_t mul;
		int8_t shift;
		uint64_t ns;

		time_compute_scale(rates[i], &mul, &shift);
		ns = time_scale_delta(rates[i], mul, shift);	/* one second of ticks */
		CHECK(ns > 999999000ull && ns < 1000001000ull, "%llu Hz: 1 s of ticks = %llu ns",
		      (unsigned long long)rates[i], (unsigned long long)ns);
		ns = time_scale_delta(rates[i] * 3600, mul, shift);	/* an hour */
		CHECK(ns > 3599996400000ull && ns < 3600003600000ull,
		      "%llu Hz: an hour is 3600 s within 1 ppm (%llu ns)",
		      (unsigned long long)rates[i], (unsigned long long)ns);
	}
	CHECK_EQ(rtc_to_epoch(1970, 1, 1, 0, 0, 0), 0, "epoch");
	CHECK_EQ(rtc_to_epoch(2000, 3, 1, 0, 0, 0), 951868800, "2000-03-01 (leap year)");
	CHECK_EQ(rtc_to_epoch(2026, 11, 24, 13, 33, 33), 1795527213, "2026-11-24 13:33:33");
	CHECK_EQ(rtc_to_epoch(2100, 3, 1, 0, 0, 0), 4107542400ull, "2100 is not a leap year");
}

/* The one-shot count: 1 ns to 1 tick, capped at the 16-bit counter, no wrap. */
static void test_pit_ticks(void)
{
	static const struct { uint64_t ns; uint32_t ticks; } cases[] = {
		{ 0, 1 }, { 1, 1 }, { 1000000, 1194 }, { 54000000, 64432 },
		{ 55000000, 0xffff }, { 3600ull * 1000000000, 0xffff },
		{ 5 * 3600ull * 1000000000, 0xffff },	/* wrapped before: 2^64 / PIT_HZ ns */
		{ UINT64_MAX, 0xffff },
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_EQ(pit_ticks(cases[i].ns), cases[i].ticks, "PIT ticks");
}

int main(void)
{
	test_shares();
	test_slice_and_wake();
	test_warp();
	test_time_scale();
	test_pit_ticks();
	return test_report("sched");
}
