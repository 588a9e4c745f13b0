/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of the descriptor-ring protocol (public/io/ring.h): the
 * notify rule, index wrap-around at 2^32, full and empty rings, a lying
 * producer index, and the lost-wake-up window of the final checks.
 */
#include <public/io/ring.h>
#include <string.h>

#include "harness.h"

#define SLOTS	32u

static uint8_t page[XENO_RING_PAGE_SIZE] __attribute__((aligned(4096)));

static void test_slot_counts(void)
{
	CHECK_EQ(XENO_RING_SLOTS(8), 256, "8-byte slots");
	CHECK_EQ(XENO_RING_SLOTS(12), 256, "12-byte slots");
	CHECK_EQ(XENO_RING_SLOTS(16), 128, "16-byte slots (252 fit)");
	CHECK_EQ(XENO_RING_SLOTS(108), 32, "108-byte slots (37 fit)");
	CHECK_EQ(XENO_RING_SLOTS(120), 32, "120-byte slots (33 fit)");
	CHECK_EQ(XENO_RING_SLOTS(128), 16, "128-byte slots (31 fit)");
}

/* The notify rule: old < event <= new, in modular arithmetic. */
static void test_need_notify(void)
{
	static const struct { uint32_t old, new_prod, event; int want; } t[] = {
		{ 10, 12, 10, 0 },	/* event at old: already passed */
		{ 10, 12, 11, 1 },	/* old + 1 */
		{ 10, 12, 12, 1 },	/* new */
		{ 10, 12, 13, 0 },	/* new + 1: not yet */
		{ 10, 10, 10, 0 },	/* nothing pushed */
		{ 10, 10, 11, 0 },
		{ 0xfffffffe, 2, 0xffffffff, 1 },	/* across the wrap */
		{ 0xfffffffe, 2, 0, 1 },
		{ 0xfffffffe, 2, 2, 1 },
		{ 0xfffffffe, 2, 3, 0 },
		{ 0xfffffffe, 2, 0xfffffffe, 0 },
		{ 5, 6, 5 + 0x80000000u, 0 },		/* an event far away */
	};

	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK(xeno_ring_need_notify(t[i].old, t[i].new_prod, t[i].event) == t[i].want,
		      "old %#x new %#x event %#x: want %d", t[i].old, t[i].new_prod, t[i].event,
		      t[i].want);
}

/* A front and a back on one page, started at index 'start'. */
static void pair_at(struct xeno_ring_front *f, struct xeno_ring_back *b, uint32_t start)
{
	memset(page, 0xcc, sizeof(page));
	xeno_ring_front_init(f, page, SLOTS);
	xeno_ring_back_init(b, page, SLOTS);
	f->req_prod_pvt = f->rsp_cons = start;
	b->rsp_prod_pvt = b->req_cons = start;
	f->sring->req_prod = f->sring->rsp_prod = start;
	f->sring->req_event = f->sring->rsp_event = start + 1;
}

/* Requests and responses flow, full and empty, across 2^32. */
static void test_wrap(void)
{
	static const uint32_t starts[] = { 0, 0xfffffff0u, 0xffffffffu - SLOTS / 2, 0x7ffffff8u };

	for (unsigned int s = 0; s < sizeof(starts) / sizeof(starts[0]); s++) {
		struct xeno_ring_front f;
		struct xeno_ring_back b;
		uint32_t done = 0;

		pair_at(&f, &b, starts[s]);
		for (unsigned int round = 0; round < 3; round++) {
			CHECK_EQ(xeno_ring_free_requests(&f), SLOTS, "empty ring: all slots free");
			f.req_prod_pvt += SLOTS;	/* fill it */
			CHECK_EQ(xeno_ring_free_requests(&f), 0, "full ring: none free");
			xeno_ring_push_requests(&f);
			CHECK_EQ(xeno_ring_unconsumed_requests(&b), SLOTS, "back sees a full ring");
			b.req_cons += SLOTS;
			b.rsp_prod_pvt += SLOTS;
			xeno_ring_push_responses(&b);
			CHECK_EQ(xeno_ring_unconsumed_responses(&f), SLOTS, "front sees responses");
			f.rsp_cons += SLOTS;
			done += SLOTS;
		}
		CHECK_EQ(f.rsp_cons - starts[s], done, "indices moved by what was done");
	}
}

/* The back end refuses producer indices no honest front could publish. */
static void test_lying_front(void)
{
	struct xeno_ring_front f;
	struct xeno_ring_back b;

	pair_at(&f, &b, 0xfffffff8u);
	f.sring->req_prod = 0xfffffff8u + SLOTS + 1;	/* one more than fits */
	CHECK(xeno_ring_unconsumed_requests(&b) < 0, "size + 1 outstanding is refused");
	f.sring->req_prod = 0xfffffff8u - 1;		/* behind what was consumed */
	CHECK(xeno_ring_unconsumed_requests(&b) < 0, "an index going back is refused");
	f.sring->req_prod = 0xfffffff8u + SLOTS;
	CHECK_EQ(xeno_ring_unconsumed_requests(&b), SLOTS, "exactly full is fine");
	b.req_cons += 4;		/* consumed but not answered: still outstanding */
	f.sring->req_prod = 0xfffffff8u + SLOTS + 2;
	CHECK(xeno_ring_unconsumed_requests(&b) < 0, "unanswered requests count as outstanding");
}

/*
 * The lost wake-up: the back end finds the ring empty and goes idle while
 * the front pushes.  Whatever the interleaving, either the back end's final
 * check sees the request or the front's push tells it to notify.
 */
static void test_final_check_window(void)
{
	for (unsigned int when = 0; when < 3; when++) {
		struct xeno_ring_front f;
		struct xeno_ring_back b;
		int notify = 0, more;

		pair_at(&f, &b, 0xfffffffeu);
		b.sring->req_event = 0xfffffffeu + 100;	/* back asked not to be kicked */
		f.req_prod_pvt++;
		if (when == 0)
			notify = xeno_ring_push_requests(&f);	/* before the final check */
		more = xeno_ring_final_check_requests(&b);
		if (when == 1)
			notify = xeno_ring_push_requests(&f);	/* after it */
		if (when == 2) {	/* between setting the event and looking again */
			b.sring->req_event = b.req_cons + 1;
			notify = xeno_ring_push_requests(&f);
			more = b.sring->req_prod != b.req_cons;
		}
		CHECK(more || notify, "interleaving %u: the request is neither seen nor notified",
		      when);
	}
	for (unsigned int when = 0; when < 2; when++) {
		struct xeno_ring_front f;
		struct xeno_ring_back b;
		int notify = 0, more;

		pair_at(&f, &b, 5);
		f.sring->rsp_event = 1000;
		b.rsp_prod_pvt++;
		if (when == 0)
			notify = xeno_ring_push_responses(&b);
		more = xeno_ring_final_check_responses(&f);
		if (when == 1)
			notify = xeno_ring_push_responses(&b);
		CHECK(more || notify, "response interleaving %u: lost", when);
	}
}

/* Batching: with the event index far ahead, pushes do not notify. */
static void test_holdoff(void)
{
	struct xeno_ring_front f;
	struct xeno_ring_back b;
	unsigned int kicks = 0;

	pair_at(&f, &b, 0xfffffff0u);
	b.sring->req_event = 0xfffffff0u + 8;		/* wake me at the 8th request */
	for (unsigned int i = 0; i < 12; i++) {
		f.req_prod_pvt++;
		kicks += xeno_ring_push_requests(&f);
	}
	CHECK_EQ(kicks, 1, "exactly one kick, when the 8th request went out");
}

int main(void)
{
	test_slot_counts();
	test_need_notify();
	test_wrap();
	test_lying_front();
	test_final_check_window();
	test_holdoff();
	return test_report("ring");
}
