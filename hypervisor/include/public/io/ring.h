/* SPDX-License-Identifier: MIT */
/*
 * Descriptor rings: the one shared-memory protocol of every Xeno device
 * (block, network).  A ring is one 4 KiB page: a 64-byte header, then a
 * power-of-two array of slots, each holding a request (written by the
 * front end, the guest) or, later, its response (written by the back end,
 * the hypervisor).  The rules are Xen 3's io/ring.h, under our names:
 *
 *   Indices are free-running 32-bit counters; a slot is index & (size - 1).
 *   Only the front initialises the header (xeno_ring_front_init()).
 *   The front may have at most size requests outstanding (not yet answered).
 *   Each side keeps its own cursor (req_prod_pvt, rsp_cons for the front;
 *   rsp_prod_pvt, req_cons for the back) and publishes the producer index
 *   after the slots it covers are written (a write barrier in between).
 *   A side notifies its peer only if the new producer range (old, new]
 *   covers the peer's event index: the peer asked to be woken there.
 *   A side about to sleep sets its event index to cons + 1 and looks once
 *   more (a full barrier in between), or a wake-up sent meanwhile is lost.
 *   The back end copies each request out of the ring before it looks at
 *   it: the guest may change the slot at any time.
 *
 * The helpers below do exactly that; both ends use them (STYLE E5).
 */
#ifndef XENO_PUBLIC_IO_RING_H
#define XENO_PUBLIC_IO_RING_H

#include "../xeno.h"

/*
 * Barriers.  On x86 stores are not reordered with stores nor loads with
 * loads, so the write and read barriers only stop the compiler; a store
 * followed by a load of another location can be, hence the locked add for
 * the full barrier (the peer may be a device model on another host CPU).
 * An includer may bring its own (Linux: virt_mb() and friends).
 */
#ifndef xeno_mb
#define xeno_mb()	__asm__ __volatile__("lock; addl $0, 0(%%esp)" : : : "memory", "cc")
#define xeno_wmb()	__asm__ __volatile__("" : : : "memory")
#define xeno_rmb()	__asm__ __volatile__("" : : : "memory")
#endif

#define XENO_RING_PAGE_SIZE	4096
#define XENO_RING_HEADER_SIZE	64

/* The shared header.  Every field is a free-running index. */
struct xeno_ring_header {
	uint32_t req_prod;	/* front writes: requests [0, req_prod) exist */
	uint32_t req_event;	/* back writes: notify when req_prod passes it */
	uint32_t rsp_prod;	/* back writes: responses [0, rsp_prod) exist */
	uint32_t rsp_event;	/* front writes: notify when rsp_prod passes it */
	uint8_t _pad[48];
};
XENO_ASSERT_SIZE(struct xeno_ring_header, XENO_RING_HEADER_SIZE);

/*
 * Slots in a ring page of slot_size-byte slots: the largest power of two
 * that fits after the header.  (A constant expression, for array sizes.)
 */
#define XENO_RING_SLOTS(slot_size)					\
	((XENO_RING_PAGE_SIZE - XENO_RING_HEADER_SIZE) / (slot_size) >= 256 ? 256 :	\
	 (XENO_RING_PAGE_SIZE - XENO_RING_HEADER_SIZE) / (slot_size) >= 128 ? 128 :	\
	 (XENO_RING_PAGE_SIZE - XENO_RING_HEADER_SIZE) / (slot_size) >= 64 ? 64 :	\
	 (XENO_RING_PAGE_SIZE - XENO_RING_HEADER_SIZE) / (slot_size) >= 32 ? 32 :	\
	 (XENO_RING_PAGE_SIZE - XENO_RING_HEADER_SIZE) / (slot_size) >= 16 ? 16 : 8)

/* Did the producer move across the peer's event index: old < event <= new? */
static inline int xeno_ring_need_notify(uint32_t old_prod, uint32_t new_prod, uint32_t event)
{
	return (uint32_t)(new_prod - event) < (uint32_t)(new_prod - old_prod);
}

/* ---- the front end (the guest) ---- */

struct xeno_ring_front {
	struct xeno_ring_header *sring;
	uint32_t size;			/* slots, a power of two */
	uint32_t req_prod_pvt;		/* next request slot to fill */
	uint32_t rsp_cons;		/* next response to read */
};

/* Set up a fresh ring page (zeroed by the caller or not: it is reset). */
static inline void xeno_ring_front_init(struct xeno_ring_front *f, void *page, uint32_t size)
{
	f->sring = (struct xeno_ring_header *)page;
	f->size = size;
	f->req_prod_pvt = f->rsp_cons = 0;
	f->sring->req_prod = f->sring->rsp_prod = 0;
	f->sring->req_event = f->sring->rsp_event = 1;
}

/* Requests the front may still queue without overrunning unanswered ones. */
static inline uint32_t xeno_ring_free_requests(const struct xeno_ring_front *f)
{
	return f->size - (f->req_prod_pvt - f->rsp_cons);
}

/* Publish the requests filled so far; nonzero if the back end must be kicked. */
static inline int xeno_ring_push_requests(struct xeno_ring_front *f)
{
	uint32_t old = f->sring->req_prod, new_prod = f->req_prod_pvt;

	xeno_wmb();		/* back sees the requests before the index */
	f->sring->req_prod = new_prod;
	xeno_mb();		/* the index is out before we read req_event */
	return xeno_ring_need_notify(old, new_prod, f->sring->req_event);
}

/* Responses published and not yet consumed. */
static inline uint32_t xeno_ring_unconsumed_responses(const struct xeno_ring_front *f)
{
	return f->sring->rsp_prod - f->rsp_cons;
}

/*
 * Before sleeping: ask to be notified at the next response, then look
 * again.  Nonzero if responses are (still or now) waiting.
 */
static inline int xeno_ring_final_check_responses(struct xeno_ring_front *f)
{
	if (xeno_ring_unconsumed_responses(f))
		return 1;
	f->sring->rsp_event = f->rsp_cons + 1;
	xeno_mb();		/* the event index is out before the re-check */
	return xeno_ring_unconsumed_responses(f) != 0;
}

/* ---- the back end (the hypervisor) ---- */

struct xeno_ring_back {
	struct xeno_ring_header *sring;
	uint32_t size;
	uint32_t rsp_prod_pvt;		/* next response slot to fill */
	uint32_t req_cons;		/* next request to read */
};

static inline void xeno_ring_back_init(struct xeno_ring_back *b, void *page, uint32_t size)
{
	b->sring = (struct xeno_ring_header *)page;
	b->size = size;
	b->rsp_prod_pvt = b->req_cons = 0;
}

/*
 * Requests waiting, as far as the back end can trust the front: never more
 * than the ring holds beyond the responses it has produced.  Returns -1 if
 * the front published an impossible index (a lying or broken guest).
 */
static inline int64_t xeno_ring_unconsumed_requests(const struct xeno_ring_back *b)
{
	uint32_t prod = b->sring->req_prod;

	xeno_rmb();		/* read the slots only after the index */
	if ((uint32_t)(prod - b->rsp_prod_pvt) > b->size ||
	    (uint32_t)(prod - b->req_cons) > b->size)
		return -1;
	return (int64_t)(uint32_t)(prod - b->req_cons);
}

/* Publish the responses filled so far; nonzero if the front must be notified. */
static inline int xeno_ring_push_responses(struct xeno_ring_back *b)
{
	uint32_t old = b->sring->rsp_prod, new_prod = b->rsp_prod_pvt;

	xeno_wmb();		/* front sees the responses before the index */
	b->sring->rsp_prod = new_prod;
	xeno_mb();		/* the index is out before we read rsp_event */
	return xeno_ring_need_notify(old, new_prod, b->sring->rsp_event);
}

/*
 * Before going idle: ask to be kicked at the next request, then look again.
 * Nonzero if requests are (still or now) waiting.
 */
static inline int xeno_ring_final_check_requests(struct xeno_ring_back *b)
{
	if (b->sring->req_prod != b->req_cons)
		return 1;
	b->sring->req_event = b->req_cons + 1;
	xeno_mb();		/* the event index is out before the re-check */
	return b->sring->req_prod != b->req_cons;
}

#endif
