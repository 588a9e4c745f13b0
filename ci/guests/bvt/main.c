/* SPDX-License-Identifier: MIT */
/*
 * bvt: Borrowed Virtual Time shares the CPU between runnable domains in
 * the inverse ratio of their mcu_advance, and Domain0 can change the
 * weights at run time.
 *
 * Two CPU-bound partner domains run while Domain0 sleeps; their CPU time
 * (getdomaininfo) must split in the ratio the weights ask for within 25%
 * (1:1 with equal weights, 1:2 when one advances twice as fast), together
 * they must use nearly all of the CPU, the weights must read back, and a
 * paused domain must give its share to the other.  This is the scheduler
 * property the paper's performance isolation rests on.  And the time slices
 * must be what BVT computes (with equal weights and the 5 ms context-switch
 * allowance, about 10 ms each), not stretched to whatever other timer comes
 * next: two partners time their own stretches while Domain0 sleeps long.
 */
#include <guest.h>

const char test_title[] = "bvt: CPU shares follow the BVT weights";

#define MS		1000000ull
#define KB		4096
#define TOLERANCE	25	/* percent */

static uint64_t cpu_ns(uint32_t domid)
{
	struct xeno_dom0_getdomaininfo i;

	return domain_info(domid, &i) ? 0 : i.cpu_time_ns;
}

/* Let them run for 'ms'; return their CPU time in that interval. */
static void measure(uint32_t a, uint32_t b, uint64_t ms, uint64_t *da, uint64_t *db)
{
	uint64_t a0 = cpu_ns(a), b0 = cpu_ns(b);

	sleep_ns(ms * MS);
	*da = cpu_ns(a) - a0;
	*db = cpu_ns(b) - b0;
}

/* Is b/a within TOLERANCE percent of want (a rational num/den)? */
static void check_ratio(const char *what, uint64_t a, uint64_t b, uint64_t num, uint64_t den,
			uint64_t ms)
{
	uint64_t lo = a * num * (100 - TOLERANCE) / (100 * den);
	uint64_t hi = a * num * (100 + TOLERANCE) / (100 * den);

	printf("%s: %llu ms and %llu ms of CPU in %llu ms (want 1:%llu.%02llu)\n", what, a / MS,
	       b / MS, ms, num / den, num * 100 / den % 100);
	CHECK(a > 0 && b >= lo && b <= hi, "%s: shares %llu ms : %llu ms, not 1:%llu/%llu "
	      "within %u%%", what, a / MS, b / MS, num, den, TOLERANCE);
	CHECK((a + b) / MS >= ms * 80 / 100, "%s: together only %llu ms of %llu ms", what,
	      (a + b) / MS, ms);
}

/* Two domains time their own slices (see partner: slices) for 700 ms. */
static void test_slices(void)
{
	uint32_t log = console_log_end();
	long a = domain_create_initrd("slices 700 25000", KB);
	long b = domain_create_initrd("slices 700 25000", KB);

	if (a <= 0 || b <= 0) {
		xtf_error("cannot create the partners (%ld, %ld)", a, b);
		return;
	}
	EXPECT_EQ(domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, (uint32_t)a), 0);
	EXPECT_EQ(domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, (uint32_t)b), 0);
	sleep_ns(1200 * MS);		/* one long sleep: no timer of ours in between */
	CHECK(domain_wait_shutdown((uint32_t)a, 2000 * MS) &&
	      domain_wait_shutdown((uint32_t)b, 2000 * MS), "the partners did not finish");
	CHECK(domain_verdict((uint32_t)a, log) == 0 && domain_verdict((uint32_t)b, log) == 0,
	      "time slices overran (see the partners' lines)");
	EXPECT_EQ(domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)a), 0);
	EXPECT_EQ(domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)b), 0);
}

void test_main(void)
{
	struct xeno_dom0_getdomaininfo info;
	uint64_t da, db;
	long a, b;

	if (!need_partner_image())
		return;
	test_slices();
	a = domain_create_initrd("spin", KB);
	b = domain_create_initrd("spin", KB);
	if (a <= 0 || b <= 0) {
		xtf_error("cannot create the spinners (%ld, %ld)", a, b);
		return;
	}
	EXPECT_EQ(domain_set_weight((uint32_t)a, 10), 0);
	EXPECT_EQ(domain_set_weight((uint32_t)b, 10), 0);
	EXPECT_EQ(domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, (uint32_t)a), 0);
	EXPECT_EQ(domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, (uint32_t)b), 0);
	sleep_ns(50 * MS);			/* settle */

	measure((uint32_t)a, (uint32_t)b, 600, &da, &db);
	check_ratio("equal weights", da, db, 1, 1, 600);

	EXPECT_EQ(domain_set_weight((uint32_t)a, 20), 0);	/* a advances twice as fast */
	EXPECT_EQ(domain_info((uint32_t)a, &info), 0);
	EXPECT_EQ(info.bvt.mcu_advance, 20);
	sleep_ns(50 * MS);
	measure((uint32_t)a, (uint32_t)b, 1000, &da, &db);
	check_ratio("mcu_advance 20 vs 10", da, db, 2, 1, 1000);

	EXPECT_EQ(domain_set_weight((uint32_t)a, 30), 0);
	sleep_ns(50 * MS);
	measure((uint32_t)a, (uint32_t)b, 1000, &da, &db);
	check_ratio("mcu_advance 30 vs 10", da, db, 3, 1, 1000);

	/* Paused, a gets nothing and b everything. */
	EXPECT_EQ(domain_ctl(XENO_DOM0_PAUSEDOMAIN, (uint32_t)a), 0);
	measure((uint32_t)a, (uint32_t)b, 300, &da, &db);
	CHECK(da == 0 && db / MS >= 240, "a paused: %llu ms and %llu ms of 300 ms", da / MS,
	      db / MS);

	EXPECT_EQ(domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)a), 0);
	EXPECT_EQ(domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)b), 0);
	xtf_success(NULL);
}
