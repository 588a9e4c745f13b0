/* SPDX-License-Identifier: MIT */
/*
 * dom0-op-memory: SETMEMTARGET, SETMAXMEM and SETBVT at their extremes on the
 * bystander and on Domain0 (targets past max_pages, maxima below the
 * reservation, of 0 and of 4 TiB, weights 0, 1001 and 0xFFFFFFFF, unbounded
 * warps), then Domain0 grows into a raised maximum and gives the frames back.
 *
 * Rule (abi.md 6.19, 7.1): kb/4 <= max_pages, kb/4 >= tot_pages, mcu_advance
 * 1-1000, warp_enabled 0 or 1, else -EINVAL and nothing changes; accepted
 * values take effect exactly and no frame is lost.
 * Why it matters: a maximum below the reservation or a weight of 0 (a divisor
 * in the scheduler) would break accounting or scheduling for every domain.
 */
#include <seg.h>

const char test_title[] = "dom0-op-memory: memory targets, maxima and weights at their limits";

static long setmem(uint32_t cmd, uint32_t domid, uint32_t kb)
{
	struct xeno_dom0_op o = { .cmd = cmd };

	o.u.setmem.domid = domid;
	o.u.setmem.kb = kb;
	return dom0_op(&o);
}

static long setbvt(uint32_t domid, struct xeno_bvt_params p)
{
	struct xeno_dom0_op o = { .cmd = XENO_DOM0_SETBVT };

	o.u.setbvt.domid = domid;
	o.u.setbvt.bvt = p;
	return dom0_op(&o);
}

static struct xeno_dom0_getdomaininfo info(uint32_t domid)
{
	struct xeno_dom0_getdomaininfo i;

	memset(&i, 0, sizeof(i));
	if (domain_info(domid, &i))
		xtf_error("no domain %u", domid);
	return i;
}

static void limits(uint32_t d)
{
	struct xeno_dom0_getdomaininfo i = info(d);
	uint32_t maxp = i.max_pages, tot = i.tot_pages;
	static const struct xeno_bvt_params bad[] = {
		{ 0, 0, 0, 0, 0, 0 }, { 1001, 0, 0, 0, 0, 0 }, { 0xffffffff, 0, 0, 0, 0, 0 },
		{ 10, 2, 0, 0, 0, 0 }, { 10, 0xffffffff, 0, 0, 0, 0 } };
	const struct xeno_bvt_params extreme = { 1000, 1, 0xffffffff, 0, 0xffffffff, 0 };

	EXPECT_EQ(setmem(XENO_DOM0_SETMEMTARGET, d, (maxp + 1) * 4), -XENO_EINVAL);
	EXPECT_EQ(setmem(XENO_DOM0_SETMEMTARGET, d, 0xffffffff), -XENO_EINVAL);
	EXPECT_EQ(setmem(XENO_DOM0_SETMEMTARGET, d, maxp * 4 + 3), 0);	/* kb/4 = max */
	EXPECT_EQ(setmem(XENO_DOM0_SETMEMTARGET, d, 0), 0);
	EXPECT_EQ(setmem(XENO_DOM0_SETMAXMEM, d, 0), -XENO_EINVAL);
	EXPECT_EQ(setmem(XENO_DOM0_SETMAXMEM, d, tot * 4 - 1), -XENO_EINVAL);
	EXPECT_EQ(info(d).max_pages, maxp);
	EXPECT_EQ(setmem(XENO_DOM0_SETMAXMEM, d, 0xffffffff), 0);
	EXPECT_EQ(info(d).max_pages, 0x3fffffff);
	EXPECT_EQ(setmem(XENO_DOM0_SETMEMTARGET, d, 0xffffffff), 0);
	EXPECT_EQ(setmem(XENO_DOM0_SETMAXMEM, d, maxp * 4), 0);
	EXPECT_EQ(info(d).max_pages, maxp);
	EXPECT_EQ(info(d).tot_pages, tot);

	for (unsigned int b = 0; b < ARRAY_SIZE(bad); b++)
		EXPECT_EQ(setbvt(d, bad[b]), -XENO_EINVAL);
	EXPECT_EQ(info(d).bvt.mcu_advance, i.bvt.mcu_advance);
	EXPECT_EQ(setbvt(d, extreme), 0);
	EXPECT_EQ(info(d).bvt.warp, 0xffffffff);
	sleep_ns(5 * 1000000ull);	/* schedule a little with it */
	EXPECT_EQ(setbvt(d, i.bvt), 0);
	EXPECT_EQ(info(d).bvt.mcu_advance, i.bvt.mcu_advance);
}

/* Domain0 raises its own maximum, takes frames, gives them back. */
static void grow(void)
{
	static uint32_t mfns[64];
	struct xeno_memory_reservation r = { (uint32_t)mfns, 64, XENO_DOMID_SELF, 0 };
	struct xeno_dom0_getdomaininfo i = info(0);
	long got;

	EXPECT_EQ(HYPERCALL2(memory_op, XENO_MEMOP_increase_reservation, &r), 0);	/* at max */
	EXPECT_EQ(setmem(XENO_DOM0_SETMAXMEM, 0, (i.max_pages + 64) * 4), 0);
	got = HYPERCALL2(memory_op, XENO_MEMOP_increase_reservation, &r);
	EXPECT_EQ(got, 64);
	EXPECT_EQ(info(0).tot_pages, i.tot_pages + 64);
	EXPECT_EQ(setmem(XENO_DOM0_SETMAXMEM, 0, i.max_pages * 4), -XENO_EINVAL);
	r.nr_extents = (uint32_t)got;
	EXPECT_EQ(HYPERCALL2(memory_op, XENO_MEMOP_decrease_reservation, &r), got);
	EXPECT_EQ(setmem(XENO_DOM0_SETMAXMEM, 0, i.max_pages * 4), 0);
	EXPECT_EQ(info(0).tot_pages, i.tot_pages);
}

static void attack(void)
{
	struct xeno_dom0_getdomaininfo by;
	struct xeno_dom0_op o = { .cmd = XENO_DOM0_GETDOMAININFO };

	o.u.getdomaininfo.domid = 1;
	CHECK(dom0_op(&o) == 0, "no bystander");
	by = o.u.getdomaininfo;
	limits(by.domid);
	limits(0);
	grow();
	EXPECT_EQ(info(by.domid).tot_pages, by.tot_pages);
}

const struct hostile hostile = { .where = IN_DOM0, .attack = attack };
