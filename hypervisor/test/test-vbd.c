/* SPDX-License-Identifier: MIT */
/*
 * The block back end (vbd.c) on the host: requests go into a real ring
 * page, the back end serves them against fake disks that record what they
 * were asked, and the test checks the checks, the split at extent
 * boundaries, the frames held and let go, a full disk, and a lying ring.
 */
#include <domain.h>
#include <errno.h>
#include <hypercall.h>
#include <mm.h>
#include <mm_types.h>
#include <pdisk.h>
#include <public/io/blkif.h>
#include <stdlib.h>
#include <string.h>
#include <vbd.h>
#include <vdev.h>

#include "harness.h"

#define NFRAMES		64
#define DOM		1
#define OTHER		2

/* ---- the hypervisor around vbd.c, faked ---- */
static struct page_info frames[NFRAMES];
struct page_info *frame_table = frames;
mfn_t max_mfn = NFRAMES;
struct domain *domain_list;
uint32_t hypercall_work;
static struct domain dom;
static struct vdev *dev;		/* the one device vdev_add() took */
static int notified, service_asked, crashed, drained;

int vdev_add(struct domain *d, struct vdev *v) { v->domain = d; dev = v; return 0; }
struct vdev *vdev_find(struct domain *d, uint16_t t, uint16_t h)
{
	(void)d;
	return dev && dev->type == t && dev->handle == h ? dev : NULL;
}
int vdev_remove(struct vdev *v) { (void)v; return 0; }
bool vdev_is_shared_frame(const struct domain *d, uint32_t mfn) { (void)d; return mfn == 63; }
bool vdev_domain_busy(const struct domain *d) { (void)d; return false; }
void vdev_notify(struct vdev *v) { (void)v; notified++; }
void vdev_want_service(struct vdev *v) { (void)v; service_asked++; }
void domain_io_drained(struct domain *d) { (void)d; drained++; }
void domain_crash(struct domain *d, const char *fmt, ...) { (void)d; (void)fmt; crashed++; }
void *alloc_xenheap_pages(unsigned int n)	/* zeroed, as the real one */
{
	void *p = aligned_alloc(PAGE_SIZE, n * PAGE_SIZE);

	return p ? memset(p, 0, n * PAGE_SIZE) : NULL;
}
void free_xenheap_pages(void *va, unsigned int n) { (void)n; free(va); }

bool get_page(mfn_t mfn, const struct domain *d)
{
	if (mfn >= NFRAMES || frames[mfn].owner != d->id)
		return false;
	frames[mfn].count++;
	return true;
}
void put_page(mfn_t mfn) { frames[mfn].count--; }
int get_page_and_type(mfn_t mfn, uint32_t type, struct domain *d)
{
	if (!get_page(mfn, d))
		return -EPERM;
	if ((frames[mfn].type_info & PGT_count_mask) &&
	    (frames[mfn].type_info & PGT_type_mask) != type) {
		put_page(mfn);
		return -EBUSY;
	}
	frames[mfn].type_info = type | ((frames[mfn].type_info & PGT_count_mask) + 1);
	return 0;
}
void put_page_and_type(mfn_t mfn)
{
	frames[mfn].type_info--;
	put_page(mfn);
}

/* ---- fake disks: record every io; complete at once or hold them ---- */
#define MAX_IOS 64
struct fake {
	struct pdisk disk;
	bool hold;			/* keep ios until release_all() */
	unsigned int busy_after;	/* -EBUSY once this many are held */
	unsigned int n;
	struct pdisk_io *io[MAX_IOS];
	struct pdisk_io copy[MAX_IOS];
};
static struct fake disk_a, disk_b;

static int fake_submit(struct pdisk *d, struct pdisk_io *io)
{
	struct fake *f = (struct fake *)d;
	unsigned int held = 0;

	for (unsigned int i = 0; i < f->n; i++)
		held += f->io[i] != NULL;
	if (f->busy_after && held >= f->busy_after)
		return -EBUSY;
	if (pdisk_check_io(d, io))
		return -EINVAL;
	f->copy[f->n] = *io;
	f->io[f->n++] = f->hold ? io : NULL;
	if (!f->hold)
		io->done(io, 0);
	return 0;
}

static const struct pdisk_ops fake_ops = { .submit = fake_submit };

static void release_all(struct fake *f)
{
	f->hold = false;
	f->busy_after = 0;
	for (unsigned int i = 0; i < f->n; i++) {
		if (f->io[i]) {
			struct pdisk_io *io = f->io[i];

			f->io[i] = NULL;
			io->done(io, 0);
		}
	}
}

/* ---- the front end's side ---- */
static uint8_t ring_page[PAGE_SIZE] __attribute__((aligned(4096)));
static struct xeno_ring_front front;
static struct xeno_blkif_sring *sring = (struct xeno_blkif_sring *)ring_page;

static void queue(uint8_t op, uint64_t sector, uint64_t id, unsigned int nseg,
		  const struct xeno_blkif_segment *seg)
{
	struct xeno_blkif_request *rq =
		&sring->slot[front.req_prod_pvt++ & (XENO_BLKIF_RING_SLOTS - 1)].req;

	memset(rq, 0, sizeof(*rq));
	rq->op = op, rq->nr_segments = (uint8_t)nseg, rq->id = id, rq->sector = sector;
	memcpy(rq->seg, seg, nseg * sizeof(*seg));
	xeno_ring_push_requests(&front);
}

static int16_t next_status(uint64_t *id)
{
	struct xeno_blkif_response *r;

	if (!xeno_ring_unconsumed_responses(&front))
		return 99;
	r = &sring->slot[front.rsp_cons++ & (XENO_BLKIF_RING_SLOTS - 1)].rsp;
	*id = r->id;
	CHECK(r->_pad0 == 0 && r->_pad1 == 0, "response padding is not zero");
	return r->status;
}

static struct xeno_blkif_segment seg(uint32_t mfn, unsigned int first, unsigned int last)
{
	struct xeno_blkif_segment s = { mfn, (uint8_t)first, (uint8_t)last, 0 };

	return s;
}

static void kick(void)
{
	dev->ops->service(dev);
}

/* References the back end holds (frame 40's own L1 type is not one). */
static unsigned int held_frames(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < NFRAMES; i++)
		n += frames[i].count + (frames[i].type_info & PGT_count_mask);
	return n - (frames[40].type_info & PGT_count_mask);
}

/* A fresh VBD 0 of extents {disk, start, sectors}..., connected. */
static void setup(bool readonly, unsigned int n, const unsigned int (*ext)[3])
{
	memset(frames, 0, sizeof(frames));
	for (unsigned int i = 0; i < NFRAMES; i++)
		frames[i].owner = i >= 50 && i < 60 ? OTHER : DOM;
	frames[40].type_info = PGT_l1 | PGT_validated | 1;	/* a page table of ours */
	if (dev)
		dev->ops->destroy(dev);
	dev = NULL;
	CHECK_EQ(vbd_create(&dom, 0, readonly), 0, "create");
	for (unsigned int i = 0; i < n; i++)
		CHECK_EQ(vbd_grow(&dom, 0, ext[i][0], ext[i][1], ext[i][2]), 0, "grow");
	memset(ring_page, 0, sizeof(ring_page));
	xeno_ring_front_init(&front, ring_page, XENO_BLKIF_RING_SLOTS);
	dev->ring[0] = ring_page;
	dev->ops->connect(dev);
	dev->connected = true;
	disk_a.n = disk_b.n = 0;
	notified = service_asked = crashed = drained = 0;
}

static void test_check_request(void)
{
	struct xeno_blkif_request rq;
	static const struct {
		const char *what; uint8_t op, nseg, first, last; uint64_t sector; bool ro; int want;
	} t[] = {
		{ "good read", XENO_BLKIF_OP_READ, 1, 0, 7, 0, false, 0 },
		{ "good write at the end", XENO_BLKIF_OP_WRITE, 1, 0, 7, 92, false, 0 },
		{ "one sector past the end", XENO_BLKIF_OP_WRITE, 1, 0, 7, 93, false, -EINVAL },
		{ "write to read-only", XENO_BLKIF_OP_WRITE, 1, 0, 7, 0, true, -EINVAL },
		{ "read of read-only", XENO_BLKIF_OP_READ, 1, 0, 7, 0, true, 0 },
		{ "no segments", XENO_BLKIF_OP_READ, 0, 0, 7, 0, false, -EINVAL },
		{ "12 segments", XENO_BLKIF_OP_READ, 12, 0, 7, 0, false, -EINVAL },
		{ "first > last", XENO_BLKIF_OP_READ, 1, 4, 3, 0, false, -EINVAL },
		{ "last = 8", XENO_BLKIF_OP_READ, 1, 0, 8, 0, false, -EINVAL },
		{ "sector 2^64 - 1 (wraps)", XENO_BLKIF_OP_READ, 1, 0, 0, ~0ull, false, -EINVAL },
		{ "flush is not checked here", XENO_BLKIF_OP_FLUSH, 0, 0, 0, 0, false, -EINVAL },
	};

	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&rq, 0, sizeof(rq));
		rq.op = t[i].op, rq.nr_segments = t[i].nseg, rq.sector = t[i].sector;
		for (unsigned int s = 0; s < XENO_BLKIF_MAX_SEGMENTS; s++)
			rq.seg[s] = seg(1, t[i].first, t[i].last);
		CHECK_EQ(vbd_check_request(t[i].ro, 100, &rq), t[i].want, t[i].what);
	}
}

/* Extents a[300,+10) a[100,+4) b[500,+20): 24 sectors from VBD sector 4. */
static void test_split(void)
{
	static const unsigned int ext[][3] = { { 0, 300, 10 }, { 0, 100, 4 }, { 1, 500, 20 } };
	struct xeno_blkif_segment s[3] = { seg(1, 0, 7), seg(2, 0, 7), seg(3, 0, 7) };
	uint64_t id;

	setup(false, 3, ext);
	queue(XENO_BLKIF_OP_WRITE, 4, 42, 3, s);
	kick();
	CHECK_EQ(next_status(&id), XENO_BLKIF_RSP_OKAY, "split write");
	CHECK_EQ(id, 42, "id echoed");
	CHECK_EQ(disk_a.n, 2, "two pieces on disk a");
	CHECK_EQ(disk_b.n, 1, "one piece on disk b");
	CHECK_EQ(disk_a.copy[0].sector, 304, "piece 1 at 304");
	CHECK(disk_a.copy[0].nr_segs == 1 && disk_a.copy[0].seg[0].maddr == 0x1000 &&
	      disk_a.copy[0].seg[0].len == 6 * 512, "piece 1: sectors 0-5 of frame 1");
	CHECK_EQ(disk_a.copy[1].sector, 100, "piece 2 at 100");
	CHECK(disk_a.copy[1].nr_segs == 2 && disk_a.copy[1].seg[0].maddr == 0x1000 + 6 * 512 &&
	      disk_a.copy[1].seg[0].len == 1024 && disk_a.copy[1].seg[1].maddr == 0x2000 &&
	      disk_a.copy[1].seg[1].len == 1024, "piece 2: end of frame 1, start of frame 2");
	CHECK(disk_b.copy[0].sector == 500 && disk_b.copy[0].nr_segs == 2 &&
	      disk_b.copy[0].seg[0].maddr == 0x2000 + 1024 && disk_b.copy[0].seg[0].len == 3072 &&
	      disk_b.copy[0].seg[1].maddr == 0x3000 && disk_b.copy[0].seg[1].len == 4096,
	      "piece 3: rest of frame 2, all of frame 3");
	CHECK_EQ(held_frames(), 0, "every frame let go");
	/* A request past the VBD's 34 sectors is refused, nothing submitted. */
	queue(XENO_BLKIF_OP_READ, 30, 43, 1, s);
	kick();
	CHECK_EQ(next_status(&id), XENO_BLKIF_RSP_EINVAL, "past the VBD");
	CHECK_EQ(disk_a.n + disk_b.n, 3, "nothing more submitted");
}

/* Adjacent extents of one disk make one piece; 11 segments fill one piece. */
static void test_merge(void)
{
	static const unsigned int ext[][3] = { { 0, 0, 10 }, { 0, 10, 100 } };
	struct xeno_blkif_segment s[11];
	uint64_t id;

	setup(false, 2, ext);
	for (unsigned int i = 0; i < 11; i++)
		s[i] = seg(1 + i, 0, 7);
	queue(XENO_BLKIF_OP_READ, 2, 7, 11, s);
	kick();
	CHECK_EQ(next_status(&id), XENO_BLKIF_RSP_OKAY, "11-segment read");
	CHECK(disk_a.n == 1 && disk_a.copy[0].nr_segs == 11 && disk_a.copy[0].sector == 2,
	      "one piece of 11 segments across two adjacent extents (%u pieces)", disk_a.n);
	CHECK(notified >= 1, "the front was notified");
}

/* Frames: foreign, shared, a page table for a read; all or nothing. */
static void test_frames(void)
{
	static const unsigned int ext[][3] = { { 0, 0, 64 } };
	struct xeno_blkif_segment s[3] = { seg(1, 0, 7), seg(2, 0, 7), seg(55, 0, 7) };
	uint64_t id;

	setup(false, 1, ext);
	queue(XENO_BLKIF_OP_READ, 0, 1, 3, s);			/* frame 55 is OTHER's */
	s[2] = seg(63, 0, 7);
	queue(XENO_BLKIF_OP_WRITE, 0, 2, 3, s);			/* 63: shared with us */
	s[2] = seg(40, 0, 7);
	queue(XENO_BLKIF_OP_READ, 0, 3, 3, s);			/* 40: our page table */
	queue(XENO_BLKIF_OP_WRITE, 0, 4, 3, s);			/* writing it out is fine */
	kick();
	for (unsigned int i = 0; i < 3; i++)
		CHECK_EQ(next_status(&id), XENO_BLKIF_RSP_EINVAL, "bad frame refused");
	CHECK_EQ(next_status(&id), XENO_BLKIF_RSP_OKAY, "a page table may be written out");
	CHECK_EQ(disk_a.n, 1, "only the last request reached the disk");
	CHECK_EQ(held_frames(), 0, "nothing held");
}

/* A disk that holds its ios: frames stay held; a full disk queues pieces. */
static void test_inflight(void)
{
	static const unsigned int ext[][3] = { { 0, 0, 64 } };
	struct xeno_blkif_segment s = seg(5, 0, 7);
	uint64_t id;

	setup(false, 1, ext);
	disk_a.hold = true;
	disk_a.busy_after = 2;
	for (unsigned int i = 0; i < 4; i++)
		queue(XENO_BLKIF_OP_READ, i * 8, 10 + i, 1, &s);
	kick();
	CHECK_EQ(disk_a.n, 2, "the disk took two");
	CHECK(dev->ops->busy(dev), "in flight: busy");
	CHECK_EQ(frames[5].count, 4, "four holds on frame 5 (two waiting)");
	CHECK_EQ(next_status(&id), 99, "no answer yet");
	release_all(&disk_a);
	kick();				/* as the exit path would, after pdisk_room() */
	CHECK_EQ(disk_a.n, 4, "the two waiting went to the disk");
	for (unsigned int i = 0; i < 4; i++) {
		CHECK_EQ(next_status(&id), XENO_BLKIF_RSP_OKAY, "answered");
		CHECK_EQ(id, 10 + i, "in order");
	}
	CHECK_EQ(held_frames(), 0, "all let go");
	CHECK(!dev->ops->busy(dev), "idle again");
}

/* A producer index no front could publish kills the domain. */
static void test_lying_ring(void)
{
	static const unsigned int ext[][3] = { { 0, 0, 64 } };

	setup(false, 1, ext);
	sring->hdr.req_prod = XENO_BLKIF_RING_SLOTS + 1;
	kick();
	CHECK_EQ(crashed, 1, "lying index: domain crashed");
	CHECK_EQ(disk_a.n, 0, "nothing submitted");
}

/* A flush goes to every disk the VBD lies on, once each. */
static void test_flush(void)
{
	static const unsigned int ext[][3] = { { 0, 0, 8 }, { 1, 0, 8 }, { 0, 8, 8 } };
	uint64_t id;

	setup(false, 3, ext);
	queue(XENO_BLKIF_OP_FLUSH, 0, 9, 0, NULL);
	kick();
	CHECK_EQ(next_status(&id), XENO_BLKIF_RSP_OKAY, "flush");
	CHECK(disk_a.n == 1 && disk_b.n == 1 && disk_a.copy[0].op == PDISK_FLUSH,
	      "one flush per disk (%u, %u)", disk_a.n, disk_b.n);
}

int main(void)
{
	dom.id = DOM;
	disk_a.disk = (struct pdisk){ .name = "a", .sectors = 1000, .ops = &fake_ops };
	disk_b.disk = (struct pdisk){ .name = "b", .sectors = 1000, .ops = &fake_ops };
	pdisk_register(&disk_a.disk);
	pdisk_register(&disk_b.disk);
	test_check_request();
	test_split();
	test_merge();
	test_frames();
	test_inflight();
	test_lying_ring();
	test_flush();
	return test_report("vbd");
}
