/* SPDX-License-Identifier: MIT */
/*
 * blk: the block path end to end, as Domain0 on a 1 MiB RAM disk: probe and
 * connect VBD 0 (the whole disk), write patterns with every segment shape
 * and read them back, a full ring in flight, flush, the checks on bad
 * requests, a VBD of three extents of the disk in odd order (the data must
 * land where they map), a read-only VBD, reconnection, and the counters.
 */
#include <guest.h>

const char test_title[] = "blk: VBDs over the block ring";

#include <public/io/blkif.h>
#include <public/vdev.h>

#define DISK_SECTORS	2048		/* the 1 MiB disk of test.conf */
#define NPAGES		40
#define MS		1000000ull

struct front {
	struct xeno_ring_front ring;
	struct xeno_blkif_sring *s;
	uint32_t port;
	uint16_t handle;
};

static uint8_t *buf[NPAGES];
static volatile unsigned int kicks_back;

static void on_event(unsigned int port)
{
	(void)port;
	kicks_back++;
}

static long vdev(uint32_t cmd, void *arg)
{
	return HYPERCALL2(vdev_op, cmd, arg);
}

static long dom0_vbd(uint32_t cmd, uint16_t handle, uint32_t flags, uint32_t pdisk,
		     uint64_t start, uint64_t sectors, struct xeno_dom0_vbd *out)
{
	struct xeno_dom0_op op = { .cmd = cmd };
	long rc;

	op.u.vbd.domid = 0, op.u.vbd.handle = handle, op.u.vbd.flags = flags;
	op.u.vbd.pdisk = pdisk, op.u.vbd.start = start, op.u.vbd.sectors = sectors;
	rc = dom0_op(&op);
	if (out)
		*out = op.u.vbd;
	return rc;
}

static bool connect(struct front *f, uint16_t handle, void *va)
{
	struct xeno_vdev_connect c = { XENO_VDEV_BLK, handle, 0, { 0, 0 } };

	if (vdev(XENO_VDEV_CONNECT, &c))
		return false;
	if (update_va(va, (c.ring_mfn[0] << PAGE_SHIFT) | PTE_P | PTE_RW, XENO_UVMF_INVLPG))
		return false;
	f->s = va;
	f->port = c.port;
	f->handle = handle;
	xeno_ring_front_init(&f->ring, va, XENO_BLKIF_RING_SLOTS);
	bind_port(c.port, on_event);
	return true;
}

/* Queue one request: op on 'sector' over the given segments. */
static void queue(struct front *f, uint8_t op, uint64_t sector, uint64_t id, unsigned int nseg,
		  const struct xeno_blkif_segment *seg)
{
	struct xeno_blkif_request *rq = &f->s->slot[f->ring.req_prod_pvt++ &
						    (XENO_BLKIF_RING_SLOTS - 1)].req;

	memset(rq, 0, sizeof(*rq));
	rq->op = op, rq->nr_segments = (uint8_t)nseg, rq->id = id, rq->sector = sector;
	memcpy(rq->seg, seg, nseg * sizeof(*seg));
}

static void kick(struct front *f)
{
	struct xeno_evtchn_port send = { f->port };

	if (xeno_ring_push_requests(&f->ring))
		evtchn_op(XENO_EVTCHNOP_send, &send);
}

/* Wait for n responses; their statuses go to st[] by id (ids 0..n-1 here). */
static bool collect(struct front *f, unsigned int n, int16_t *st)
{
	uint64_t end = now_ns() + 5000 * MS;

	while (n) {
		while (xeno_ring_unconsumed_responses(&f->ring) && n) {
			const struct xeno_blkif_response *r =
				&f->s->slot[f->ring.rsp_cons++ & (XENO_BLKIF_RING_SLOTS - 1)].rsp;

			if (r->id < 64)
				st[r->id] = r->status;
			n--;
		}
		if (!n)
			break;
		if (xeno_ring_final_check_responses(&f->ring))
			continue;
		if (now_ns() > end)
			return false;
		sleep_ns(MS / 4);
	}
	return true;
}

/* One request, waited for: its status. */
static int16_t one(struct front *f, uint8_t op, uint64_t sector, unsigned int nseg,
		   const struct xeno_blkif_segment *seg)
{
	int16_t st[64] = { 99 };

	queue(f, op, sector, 0, nseg, seg);
	kick(f);
	if (!collect(f, 1, st))
		return 100;
	return st[0];
}

static struct xeno_blkif_segment seg_of(const void *page, unsigned int first, unsigned int last)
{
	struct xeno_blkif_segment s = { virt_to_mfn(page), (uint8_t)first, (uint8_t)last, 0 };

	return s;
}

static void fill(unsigned int page, uint32_t seed)
{
	for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
		((uint32_t *)buf[page])[i] = seed * 0x9E3779B1u + i;
}

/* Write pages [0, n) with every shape, read into [20, 20 + n), compare. */
static void shapes(struct front *f)
{
	struct xeno_blkif_segment w[11], r[11];
	int16_t st;

	for (unsigned int i = 0; i < 11; i++) {
		fill(i, 100 + i);
		w[i] = seg_of(buf[i], 0, 7);
		r[i] = seg_of(buf[20 + i], 0, 7);
		memset(buf[20 + i], 0, PAGE_SIZE);
	}
	st = one(f, XENO_BLKIF_OP_WRITE, 64, 11, w);
	EXPECT_EQ(st, XENO_BLKIF_RSP_OKAY);
	st = one(f, XENO_BLKIF_OP_READ, 64, 11, r);
	EXPECT_EQ(st, XENO_BLKIF_RSP_OKAY);
	for (unsigned int i = 0; i < 11; i++)
		CHECK(!memcmp(buf[i], buf[20 + i], PAGE_SIZE), "11 segments: page %u differs", i);
	/* Partial frames: sectors 2-5 of one page, then 7 of the next. */
	w[0] = seg_of(buf[0], 2, 5), w[1] = seg_of(buf[1], 7, 7);
	r[0] = seg_of(buf[30], 0, 4);
	memset(buf[30], 0, PAGE_SIZE);
	EXPECT_EQ(one(f, XENO_BLKIF_OP_WRITE, 1000, 2, w), XENO_BLKIF_RSP_OKAY);
	EXPECT_EQ(one(f, XENO_BLKIF_OP_READ, 1000, 1, r), XENO_BLKIF_RSP_OKAY);
	CHECK(!memcmp(buf[30], buf[0] + 2 * 512, 4 * 512) &&
	      !memcmp(buf[30] + 4 * 512, buf[1] + 7 * 512, 512), "partial segments differ");
}

/* A full ring in flight, each request its own sector and id. */
static void full_ring(struct front *f)
{
	int16_t st[64];

	for (unsigned int i = 0; i < XENO_BLKIF_RING_SLOTS; i++) {
		struct xeno_blkif_segment s = seg_of(buf[i % 11], i % 8, i % 8);

		st[i] = 99;
		queue(f, XENO_BLKIF_OP_WRITE, 1500 + i, i, 1, &s);
	}
	CHECK(xeno_ring_free_requests(&f->ring) == 0, "the ring should be full");
	kick(f);
	CHECK(collect(f, XENO_BLKIF_RING_SLOTS, st), "a full ring was not answered");
	for (unsigned int i = 0; i < XENO_BLKIF_RING_SLOTS; i++)
		CHECK(st[i] == XENO_BLKIF_RSP_OKAY, "request %u of a full ring: %d", i, st[i]);
	EXPECT_EQ(one(f, XENO_BLKIF_OP_FLUSH, 0, 0, NULL), XENO_BLKIF_RSP_OKAY);
}

/* Requests the back end must refuse (and survive). */
static void refused(struct front *f)
{
	static const struct { const char *what; unsigned int first, last, nseg; uint64_t sector; } t[] = {
		{ "no segment", 0, 7, 0, 0 }, { "12 segments", 0, 7, 12, 0 },
		{ "first > last", 5, 4, 1, 0 }, { "last sector 8", 0, 8, 1, 0 },
		{ "past the end", 0, 7, 1, DISK_SECTORS - 7 }, { "far past", 0, 0, 1, ~0ull },
	};
	struct xeno_blkif_segment s[12];
	uint32_t l1 = l2_table()[start_info->virt_base >> 22] >> PAGE_SHIFT;

	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++) {
		for (unsigned int j = 0; j < 12; j++)
			s[j] = seg_of(buf[j], t[i].first, t[i].last);
		CHECK(one(f, XENO_BLKIF_OP_READ, t[i].sector, t[i].nseg, s) == XENO_BLKIF_RSP_EINVAL,
		      "%s: not refused", t[i].what);
	}
	s[0] = seg_of(buf[0], 0, 7);
	s[0].mfn = l1;			/* our own page table: never a read target */
	EXPECT_EQ(one(f, XENO_BLKIF_OP_READ, 0, 1, s), XENO_BLKIF_RSP_EINVAL);
	s[0].mfn = start_info->shared_info_mfn;
	EXPECT_EQ(one(f, XENO_BLKIF_OP_READ, 0, 1, s), XENO_BLKIF_RSP_EINVAL);
	s[0].mfn = 0x101;		/* the hypervisor's image */
	EXPECT_EQ(one(f, XENO_BLKIF_OP_WRITE, 0, 1, s), XENO_BLKIF_RSP_EINVAL);
	s[0] = seg_of(buf[0], 0, 7);
	queue(f, 77, 0, 0, 1, s);
	kick(f);
	{
		int16_t st[64] = { 99 };

		CHECK(collect(f, 1, st) && st[0] == XENO_BLKIF_RSP_EOPNOTSUPP, "op 77: %d", st[0]);
	}
}

/*
 * VBD 2: disk sectors [300, 310), [100, 104), [500, 520) in that order.
 * One write of 3 pages (24 sectors) from VBD sector 4 covers the end of the
 * first extent, all of the second and the start of the third.
 */
static void extents(struct front *whole, void *va)
{
	struct front f;
	struct xeno_blkif_segment w[3], r[3];
	struct xeno_dom0_vbd info;

	EXPECT_EQ(dom0_vbd(XENO_DOM0_VBD_CREATE, 2, 0, 0, 0, 0, NULL), 0);
	EXPECT_EQ(dom0_vbd(XENO_DOM0_VBD_GROW, 2, 0, 0, 300, 10, NULL), 0);
	EXPECT_EQ(dom0_vbd(XENO_DOM0_VBD_GROW, 2, 0, 0, 100, 4, NULL), 0);
	EXPECT_EQ(dom0_vbd(XENO_DOM0_VBD_GROW, 2, 0, 0, 500, 20, NULL), 0);
	EXPECT_EQ(dom0_vbd(XENO_DOM0_VBD_GROW, 2, 0, 0, DISK_SECTORS - 1, 2, NULL), -XENO_EINVAL);
	EXPECT_EQ(dom0_vbd(XENO_DOM0_VBD_GROW, 2, 0, 7, 0, 1, NULL), -XENO_ENXIO);
	CHECK(connect(&f, 2, va), "cannot connect VBD 2");
	for (unsigned int i = 0; i < 3; i++) {
		fill(i, 900 + i);
		w[i] = seg_of(buf[i], 0, 7);
	}
	EXPECT_EQ(one(&f, XENO_BLKIF_OP_WRITE, 4, 3, w), XENO_BLKIF_RSP_OKAY);
	EXPECT_EQ(one(&f, XENO_BLKIF_OP_WRITE, 30, 1, w), XENO_BLKIF_RSP_EINVAL);	/* 34 sectors */
	/* Through the whole disk: 6 sectors at 304, 4 at 100, 14 at 500. */
	for (unsigned int i = 0; i < 3; i++)
		memset(buf[20 + i], 0, PAGE_SIZE);
	r[0] = seg_of(buf[20], 0, 5), r[1] = seg_of(buf[21], 0, 3), r[2] = seg_of(buf[22], 0, 7);
	EXPECT_EQ(one(whole, XENO_BLKIF_OP_READ, 304, 1, &r[0]), XENO_BLKIF_RSP_OKAY);
	EXPECT_EQ(one(whole, XENO_BLKIF_OP_READ, 100, 1, &r[1]), XENO_BLKIF_RSP_OKAY);
	EXPECT_EQ(one(whole, XENO_BLKIF_OP_READ, 500, 1, &r[2]), XENO_BLKIF_RSP_OKAY);
	CHECK(!memcmp(buf[20], buf[0], 6 * 512), "extent 1 holds the wrong data");
	CHECK(!memcmp(buf[21], buf[0] + 6 * 512, 2 * 512) && !memcmp(buf[21] + 1024, buf[1], 1024),
	      "extent 2 holds the wrong data");
	CHECK(!memcmp(buf[22], buf[1] + 2 * 512, 6 * 512) && !memcmp(buf[22] + 3072, buf[2], 1024),
	      "extent 3 holds the wrong data");
	EXPECT_EQ(dom0_vbd(XENO_DOM0_VBD_INFO, 2, 0, 0, 0, 0, &info), 0);
	CHECK(info.nr_extents == 3 && info.sectors == 34 && info.writes == 1 &&
	      info.sectors_written == 24 && info.refused == 1 && (info.flags & XENO_VBD_F_CONNECTED),
	      "VBD 2 info: %u extents, %u sectors, %u writes, %u written, %u refused, flags %#x",
	      info.nr_extents, (uint32_t)info.sectors, (uint32_t)info.writes,
	      (uint32_t)info.sectors_written, info.refused, info.flags);
	EXPECT_EQ(dom0_vbd(XENO_DOM0_VBD_DESTROY, 2, 0, 0, 0, 0, NULL), 0);
	EXPECT_EQ(dom0_vbd(XENO_DOM0_VBD_INFO, 2, 0, 0, 0, 0, NULL), -XENO_ENODEV);
}

static void readonly(void *va)
{
	struct front f;
	struct xeno_blkif_segment s = seg_of(buf[0], 0, 7);

	EXPECT_EQ(dom0_vbd(XENO_DOM0_VBD_CREATE, 1, XENO_VBD_F_READONLY, 0, 0, 0, NULL), 0);
	EXPECT_EQ(dom0_vbd(XENO_DOM0_VBD_CREATE, 1, 0, 0, 0, 0, NULL), -XENO_EEXIST);
	EXPECT_EQ(dom0_vbd(XENO_DOM0_VBD_GROW, 1, 0, 0, 0, 64, NULL), 0);
	CHECK(connect(&f, 1, va), "cannot connect VBD 1");
	EXPECT_EQ(one(&f, XENO_BLKIF_OP_READ, 8, 1, &s), XENO_BLKIF_RSP_OKAY);
	EXPECT_EQ(one(&f, XENO_BLKIF_OP_WRITE, 8, 1, &s), XENO_BLKIF_RSP_EINVAL);
}

static void probe(void)
{
	struct xeno_vdev_info info[4];
	struct xeno_vdev_probe p = { (uint32_t)info, 4, 0, 0 };

	EXPECT_EQ(vdev(XENO_VDEV_PROBE, &p), 0);
	CHECK(p.count == 1 && info[0].type == XENO_VDEV_BLK && info[0].handle == 0 &&
	      info[0].sectors == DISK_SECTORS && !(info[0].flags & XENO_VDEV_F_READONLY),
	      "probe: %u devices, type %u handle %u, %u sectors, flags %#x", p.count,
	      info[0].type, info[0].handle, (uint32_t)info[0].sectors, info[0].flags);
}

void test_main(void)
{
	struct front f;
	struct xeno_vdev_connect again = { XENO_VDEV_BLK, 0, 0, { 0, 0 } };
	uint8_t *ring_va[3];
	uint32_t first_mfn;

	for (unsigned int i = 0; i < NPAGES; i++)
		buf[i] = alloc_page();
	for (unsigned int i = 0; i < 3; i++)
		ring_va[i] = alloc_page();
	events_unmask_all();
	local_irq_enable();
	probe();
	if (!connect(&f, 0, ring_va[0])) {
		xtf_error("cannot connect VBD 0 (is there a RAM disk?)");
		return;
	}
	first_mfn = *pte_of((uint32_t)ring_va[0]) >> PAGE_SHIFT;
	shapes(&f);
	full_ring(&f);
	refused(&f);
	extents(&f, ring_va[1]);
	readonly(ring_va[2]);
	/* Reconnect: the same ring and port, fresh indices, and it works. */
	EXPECT_EQ(vdev(XENO_VDEV_DISCONNECT, &again), 0);
	EXPECT_EQ(vdev(XENO_VDEV_CONNECT, &again), 0);
	CHECK(again.ring_mfn[0] == first_mfn && again.port == f.port, "reconnect moved the ring");
	xeno_ring_front_init(&f.ring, f.s, XENO_BLKIF_RING_SLOTS);
	shapes(&f);
	printf("blk: %u events from the back end\n", kicks_back);
	CHECK(kicks_back > 0, "the back end never raised the port");
}
