/* SPDX-License-Identifier: MIT */
/*
 * The network back end (vif.c), the switch (netsw.c) and the rules
 * (vfr.c) on the host: three VIFs of two domains on real ring pages, a
 * fake uplink NIC that holds what it is given, and frames in a fake machine
 * memory.  The TX checks (table-driven), delivery between VIFs at every
 * size and alignment, the RX frame checks, broadcast, the uplink (zero copy
 * of the rest, the frame held until the NIC is done), anti-spoofing, a
 * rule, frames from the NIC, credit, a full NIC, lying rings, batches.
 */
#include <domain.h>
#include <errno.h>
#include <hypercall.h>
#include <mm.h>
#include <mm_types.h>
#include <stdlib.h>
#include <string.h>
#include <vif.h>

#include "harness.h"

#define NFRAMES		64
#define DOM_A		1	/* VIF A = (1, 0) */
#define DOM_B		2	/* VIF B = (2, 0), VIF C = (2, 1) */
#define OTHER		3
#define SHARED_MFN	63	/* "shared with the domain" */
#define L1_MFN		40	/* a page table of A's and B's */
#define TX_SLOTS	XENO_NETIF_TX_RING_SLOTS
#define RX_SLOTS	XENO_NETIF_RX_RING_SLOTS

/* ---- the hypervisor around vif.c, faked ---- */
static struct page_info frames[NFRAMES];
static uint8_t mem[NFRAMES][PAGE_SIZE] __attribute__((aligned(4096)));	/* machine memory */
struct page_info *frame_table = frames;
mfn_t max_mfn = NFRAMES;
uint32_t hypercall_work;
static struct domain dom_a, dom_b;
static int notified, service_asked, crashed, drained, maps;
static uint64_t now_ns;
static struct timer *armed;

uint64_t time_now(void) { return now_ns; }
void timer_arm(struct timer *t, uint64_t deadline) { t->deadline = deadline; armed = t; }
void timer_cancel(struct timer *t) { t->deadline = 0; if (armed == t) armed = NULL; }

int vdev_add(struct domain *d, struct vdev *v)
{
	for (unsigned int i = 0; i < DOMAIN_MAX_VDEVS; i++) {
		if (!d->vdev[i]) {
			d->vdev[i] = v;
			v->domain = d;
			v->slot = (uint8_t)i;
			return 0;
		}
	}
	return -ENOSPC;
}
struct vdev *vdev_find(struct domain *d, uint16_t t, uint16_t h)
{
	for (unsigned int i = 0; i < DOMAIN_MAX_VDEVS; i++)
		if (d->vdev[i] && !d->vdev[i]->removed && d->vdev[i]->type == t &&
		    d->vdev[i]->handle == h)
			return d->vdev[i];
	return NULL;
}
static void free_vdev(struct vdev *v)
{
	v->domain->vdev[v->slot] = NULL;
	v->ops->destroy(v);
}
int vdev_remove(struct vdev *v)
{
	if (v->ops->busy(v))
		return -EBUSY;
	free_vdev(v);
	return 0;
}
bool vdev_is_shared_frame(const struct domain *d, uint32_t mfn) { (void)d; return mfn == SHARED_MFN; }
bool vdev_domain_busy(const struct domain *d)
{
	for (unsigned int i = 0; i < DOMAIN_MAX_VDEVS; i++)
		if (d->vdev[i] && d->vdev[i]->ops->busy(d->vdev[i]))
			return true;
	return false;
}
void vdev_notify(struct vdev *v) { (void)v; notified++; }
void vdev_want_service(struct vdev *v) { (void)v; service_asked++; }
void domain_io_drained(struct domain *d) { (void)d; drained++; }
void domain_crash(struct domain *d, const char *fmt, ...) { (void)d; (void)fmt; crashed++; }
void *alloc_xenheap_page(void)
{
	void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);

	return p ? memset(p, 0, PAGE_SIZE) : NULL;
}
void free_xenheap_page(void *va) { free(va); }
void *map_domain_page(mfn_t mfn) { maps++; return mem[mfn]; }
void unmap_domain_page(const void *va) { (void)va; maps--; }

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

/* ---- a fake uplink NIC: holds every tx until nic_complete() ---- */
#define NIC_MAX 64
static struct {
	struct pnic nic;
	bool full;
	unsigned int n;
	struct pnic_tx *tx[NIC_MAX];
	uint8_t data[NIC_MAX][XENO_NETIF_MAX_FRAME];	/* head as copied + rest at send */
} fake;

static int fake_send(struct pnic *nic, struct pnic_tx *tx)
{
	(void)nic;
	if (fake.full)
		return -EBUSY;
	if (pnic_check_tx(tx))
		return -EINVAL;
	memcpy(fake.data[fake.n], tx->head, tx->head_len);
	fake.tx[fake.n++] = tx;
	return 0;
}
static bool fake_has_room(struct pnic *nic) { (void)nic; return !fake.full; }
static const struct pnic_ops fake_ops = { .send = fake_send, .has_room = fake_has_room };

/* The device reads the rest now (DMA) and says it is done. */
static void nic_complete(unsigned int i, int status)
{
	struct pnic_tx *tx = fake.tx[i];

	memcpy(fake.data[i] + tx->head_len, mem[tx->rest_maddr >> PAGE_SHIFT] +
	       (tx->rest_maddr & ~PAGE_MASK), tx->rest_len);
	fake.tx[i] = NULL;
	tx->done(tx, status);
}

/* ---- front ends ---- */
struct front {
	struct vdev *dev;
	struct xeno_ring_front tx, rx;
	struct xeno_netif_tx_sring *ts;
	struct xeno_netif_rx_sring *rs;
};
static uint8_t ring_pages[3][2][PAGE_SIZE] __attribute__((aligned(4096)));
static struct front A, B, C;

static void connect(struct front *f, struct domain *d, uint16_t handle, unsigned int pages)
{
	f->dev = vdev_find(d, XENO_VDEV_NET, handle);
	f->dev->ring[0] = f->ts = (void *)ring_pages[pages][0];
	f->dev->ring[1] = f->rs = (void *)ring_pages[pages][1];
	memset(ring_pages[pages], 0, sizeof(ring_pages[pages]));
	xeno_ring_front_init(&f->tx, f->ts, TX_SLOTS);
	xeno_ring_front_init(&f->rx, f->rs, RX_SLOTS);
	f->dev->ops->connect(f->dev);
	f->dev->connected = true;
}

static struct vif *vif_of(const struct front *f)
{
	return (struct vif *)f->dev;
}

static void queue_tx(struct front *f, uint16_t id, uint32_t mfn, unsigned int offset,
		     unsigned int size)
{
	struct xeno_netif_tx_request *rq = &f->ts->slot[f->tx.req_prod_pvt++ & (TX_SLOTS - 1)].req;

	*rq = (struct xeno_netif_tx_request){ mfn, (uint16_t)offset, (uint16_t)size, id, 0 };
	xeno_ring_push_requests(&f->tx);
}

static void post_rx(struct front *f, uint16_t id, uint32_t mfn)
{
	struct xeno_netif_rx_request *rq = &f->rs->slot[f->rx.req_prod_pvt++ & (RX_SLOTS - 1)].req;

	*rq = (struct xeno_netif_rx_request){ id, 0, mfn };
	xeno_ring_push_requests(&f->rx);
}

static void kick(struct front *f)
{
	f->dev->ops->service(f->dev);
}

/* The next TX status (99: none); its id in *id. */
static int next_tx(struct front *f, uint16_t *id)
{
	struct xeno_netif_tx_response *r;

	if (!xeno_ring_unconsumed_responses(&f->tx))
		return 99;
	r = &f->ts->slot[f->tx.rsp_cons++ & (TX_SLOTS - 1)].rsp;
	*id = r->id;
	return r->status;
}

static bool next_rx(struct front *f, struct xeno_netif_rx_response *out)
{
	if (!xeno_ring_unconsumed_responses(&f->rx))
		return false;
	*out = f->rs->slot[f->rx.rsp_cons++ & (RX_SLOTS - 1)].rsp;
	CHECK(out->_pad0 == 0, "RX response padding is not zero");
	return true;
}

static const uint8_t MAC_UNKNOWN[6] = { 0x02, 0x99, 0, 0, 0, 1 };
static const uint8_t MAC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/*
 * A frame of 'size' bytes at mem[mfn] + off: Ethernet dst, src (the
 * sender's MAC), IPv4 UDP from 'ip' when it fits, then a pattern.
 */
static void make_frame(uint32_t mfn, unsigned int off, unsigned int size, const uint8_t *dst,
		       const uint8_t *src, uint32_t ip, uint8_t seed)
{
	uint8_t *f = mem[mfn] + off;

	for (unsigned int i = 0; i < size; i++)
		f[i] = (uint8_t)(seed + i * 7);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	if (size < 42) {
		f[12] = 0x88, f[13] = 0xb5;		/* local experimental ethertype */
		return;
	}
	f[12] = 0x08, f[13] = 0x00;
	f[14] = 0x45, f[15] = 0;
	f[16] = (uint8_t)((size - 14) >> 8), f[17] = (uint8_t)(size - 14);
	f[20] = f[21] = 0;				/* not a fragment */
	f[23] = 17;					/* UDP */
	f[26] = (uint8_t)(ip >> 24), f[27] = (uint8_t)(ip >> 16);
	f[28] = (uint8_t)(ip >> 8), f[29] = (uint8_t)ip;
	f[34] = 0x30, f[35] = 0x39;			/* port 12345 */
	f[36] = 0x00, f[37] = 0x35;			/* to port 53 */
}

/* References the back end holds, but the page table's own type count. */
static unsigned int held_frames(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < NFRAMES; i++)
		n += frames[i].count + (frames[i].type_info & PGT_count_mask);
	return n - (frames[L1_MFN].type_info & PGT_count_mask);
}

static void destroy_all(struct domain *d)
{
	for (unsigned int i = 0; i < DOMAIN_MAX_VDEVS; i++)
		if (d->vdev[i])
			free_vdev(d->vdev[i]);
}

/* Fresh VIFs A, B, C, connected; frames 0-19 A's, 20-39 B's, 50-59 OTHER's. */
static void setup(void)
{
	static const uint8_t zero[6];

	destroy_all(&dom_a);
	destroy_all(&dom_b);
	while (vfr_count())
		vfr_del(0);
	memset(frames, 0, sizeof(frames));
	for (unsigned int i = 0; i < NFRAMES; i++)
		frames[i].owner = i < 20 || i == L1_MFN ? DOM_A : i < 40 ? DOM_B :
				  i >= 50 && i < 60 ? OTHER : DOM_A;
	frames[L1_MFN].type_info = PGT_l1 | PGT_validated | 1;
	CHECK_EQ(vif_create(&dom_a, 0, zero, 0, 0), 0, "create A");
	CHECK_EQ(vif_create(&dom_b, 0, zero, 0, 0), 0, "create B");
	CHECK_EQ(vif_create(&dom_b, 1, zero, 0, 0), 0, "create C");
	connect(&A, &dom_a, 0, 0);
	connect(&B, &dom_b, 0, 1);
	connect(&C, &dom_b, 1, 2);
	memset(fake.tx, 0, sizeof(fake.tx));
	fake.n = 0;
	fake.full = false;
	notified = service_asked = crashed = drained = 0;
	now_ns = 1000000;
	armed = NULL;
}

/* ---- the tests ---- */

static void test_check_tx(void)
{
	static const struct { const char *what; unsigned int offset, size; int rc; } t[] = {
		{ "size 0", 0, 0, -EINVAL }, { "size 13", 0, 13, -EINVAL },
		{ "size 14", 0, 14, 0 }, { "size 1514", 0, 1514, 0 },
		{ "size 1515", 0, 1515, -EINVAL }, { "size 65535", 0, 65535, -EINVAL },
		{ "ends at the frame's end", 4096 - 1514, 1514, 0 },
		{ "crosses into the next frame", 4096 - 1513, 1514, -EINVAL },
		{ "offset 4095", 4095, 14, -EINVAL }, { "offset 65535", 65535, 14, -EINVAL },
	};

	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct xeno_netif_tx_request rq = { 1, (uint16_t)t[i].offset, (uint16_t)t[i].size,
						    0, 0 };

		CHECK_EQ(vif_check_tx_request(&rq), t[i].rc, t[i].what);
	}
}

/* Requests refused whole: bad shapes, frames not the sender's to send. */
static void test_tx_refused(void)
{
	static const struct { const char *what; uint32_t mfn; unsigned int offset, size; } t[] = {
		{ "size 0", 1, 0, 0 }, { "size 13", 1, 0, 13 }, { "size 1515", 1, 0, 1515 },
		{ "size 65535", 1, 0, 65535 }, { "crossing the page", 1, 4000, 200 },
		{ "another domain's frame", 25, 0, 60 }, { "a third domain's frame", 55, 0, 60 },
		{ "a shared frame", SHARED_MFN, 0, 60 }, { "past the last frame", 1000, 0, 60 },
		{ "frame 0xffffffff", 0xffffffff, 0, 60 },
	};
	uint16_t id;

	setup();
	post_rx(&B, 1, 21);
	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (t[i].mfn < NFRAMES && t[i].size <= 4096 - t[i].offset)
			make_frame(t[i].mfn, t[i].offset, t[i].size, vif_of(&B)->mac,
				   vif_of(&A)->mac, 0, 1);
		queue_tx(&A, (uint16_t)i, t[i].mfn, t[i].offset, t[i].size);
	}
	kick(&A);
	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_ERROR, t[i].what);
		CHECK_EQ(id, i, "in order");
	}
	CHECK_EQ(vif_of(&A)->stats.tx_refused, sizeof(t) / sizeof(t[0]), "counted");
	CHECK_EQ(vif_of(&B)->stats.rx_packets, 0, "nothing delivered");
	CHECK_EQ(held_frames(), 0, "nothing held");
	CHECK_EQ(maps, 0, "no mapping left");
}

/* A to B at every size class and alignment: the bytes arrive intact. */
static void test_local(void)
{
	static const unsigned int sizes[] = { 14, 41, 42, 60, 64, 127, 128, 129, 1000, 1514 };
	static const unsigned int offsets[] = { 0, 1, 2, 3, 66 };
	struct xeno_netif_rx_response rsp;
	uint16_t id;
	unsigned int n = 0;

	setup();
	for (unsigned int s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (unsigned int o = 0; o < sizeof(offsets) / sizeof(offsets[0]); o++, n++) {
			unsigned int off = offsets[o] == 66 ? 4096 - sizes[s] : offsets[o];

			memset(mem[21], 0xee, PAGE_SIZE);
			make_frame(2, off, sizes[s], vif_of(&B)->mac, vif_of(&A)->mac, 0,
				   (uint8_t)n);
			post_rx(&B, (uint16_t)(100 + n), 21);
			queue_tx(&A, (uint16_t)n, 2, off, sizes[s]);
			kick(&A);
			CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_OKAY, "sent");
			CHECK(next_rx(&B, &rsp), "B got a response (size %u, offset %u)", sizes[s],
			      off);
			CHECK(rsp.id == 100 + n && rsp.status == (int)sizes[s] &&
			      rsp.offset == (off & 3), "rx response id %u status %d offset %u",
			      rsp.id, rsp.status, rsp.offset);
			CHECK(!memcmp(mem[21] + rsp.offset, mem[2] + off, sizes[s]),
			      "size %u from offset %u: the bytes differ", sizes[s], off);
		}
	}
	CHECK_EQ(vif_of(&A)->stats.tx_packets, n, "A's tx counter");
	CHECK_EQ(vif_of(&B)->stats.rx_packets, n, "B's rx counter");
	CHECK_EQ(vif_of(&C)->stats.rx_packets + vif_of(&C)->stats.rx_dropped, 0,
		 "C saw nothing of unicast to B");
	CHECK_EQ(held_frames(), 0, "nothing held");
	CHECK_EQ(maps, 0, "no mapping left");
	CHECK(notified > 0, "fronts notified");
}

/* Posted frames B may not receive into: refused one by one, untouched. */
static void test_rx_frames(void)
{
	static const struct { const char *what; uint32_t mfn; } t[] = {
		{ "a frame of A's", 3 }, { "a third domain's", 55 }, { "a shared frame", SHARED_MFN },
		{ "a page table", L1_MFN }, { "past the last frame", 999 },
	};
	struct xeno_netif_rx_response rsp;
	uint8_t before[PAGE_SIZE];
	uint16_t id;

	setup();
	frames[L1_MFN].owner = DOM_B;
	memcpy(before, mem[L1_MFN], PAGE_SIZE);
	memset(mem[3], 0x11, PAGE_SIZE);
	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		post_rx(&B, (uint16_t)i, t[i].mfn);
	post_rx(&B, 9, 22);
	make_frame(4, 0, 100, vif_of(&B)->mac, vif_of(&A)->mac, 0, 7);
	for (unsigned int i = 0; i <= sizeof(t) / sizeof(t[0]); i++)
		queue_tx(&A, (uint16_t)i, 4, 0, 100);
	kick(&A);
	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CHECK(next_rx(&B, &rsp) && rsp.id == i && rsp.status == XENO_NETIF_RSP_ERROR,
		      "%s: refused (status %d)", t[i].what, rsp.status);
		CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_DROPPED, "the sender hears it was dropped");
	}
	CHECK(next_rx(&B, &rsp) && rsp.id == 9 && rsp.status == 100, "then a good frame");
	CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_OKAY, "delivered");
	CHECK(!memcmp(before, mem[L1_MFN], PAGE_SIZE), "the page table is untouched");
	CHECK(mem[3][0] == 0x11 && mem[3][4095] == 0x11, "A's frame is untouched");
	CHECK_EQ(vif_of(&B)->stats.rx_errors, 5, "counted");
	CHECK_EQ(held_frames(), 0, "nothing held");
}

/* Nothing posted: dropped and counted on both sides. */
static void test_no_buffer(void)
{
	uint16_t id;

	setup();
	make_frame(4, 0, 60, vif_of(&B)->mac, vif_of(&A)->mac, 0, 7);
	queue_tx(&A, 5, 4, 0, 60);
	kick(&A);
	CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_DROPPED, "no buffer at B");
	CHECK_EQ(vif_of(&B)->stats.rx_dropped, 1, "B counts it");
	CHECK_EQ(vif_of(&A)->stats.tx_dropped, 1, "A counts it");
	/* To its own MAC: no hairpin, nowhere to go. */
	post_rx(&A, 1, 5);
	make_frame(4, 0, 60, vif_of(&A)->mac, vif_of(&A)->mac, 0, 7);
	queue_tx(&A, 6, 4, 0, 60);
	kick(&A);
	CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_DROPPED, "to itself");
	CHECK_EQ(vif_of(&A)->stats.rx_packets, 0, "not looped back");
}

/* Broadcast: B, C and the uplink; the answer waits for the NIC. */
static void test_broadcast(void)
{
	struct xeno_netif_rx_response rsp;
	uint16_t id;

	setup();
	post_rx(&B, 1, 21);
	post_rx(&C, 2, 22);
	post_rx(&A, 3, 5);
	make_frame(6, 2, 300, MAC_BCAST, vif_of(&A)->mac, 0, 9);
	queue_tx(&A, 7, 6, 2, 300);
	kick(&A);
	CHECK(next_rx(&B, &rsp) && rsp.status == 300 && !memcmp(mem[21] + 2, mem[6] + 2, 300),
	      "B got the broadcast");
	CHECK(next_rx(&C, &rsp) && rsp.status == 300 && !memcmp(mem[22] + 2, mem[6] + 2, 300),
	      "C got the broadcast");
	CHECK(!next_rx(&A, &rsp), "not the sender");
	CHECK_EQ(fake.n, 1, "the uplink got it");
	CHECK_EQ(next_tx(&A, &id), 99, "no answer while the NIC holds it");
	CHECK_EQ(frames[6].count, 1, "the frame is held for the NIC");
	CHECK(A.dev->ops->busy(A.dev), "A is busy");
	CHECK_EQ(vif_destroy_handle(&dom_a, 0), -EBUSY, "no destroying A meanwhile");
	nic_complete(0, 0);
	CHECK(!memcmp(fake.data[0], mem[6] + 2, 300), "the NIC sent the frame");
	CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_OKAY, "answered after the NIC");
	CHECK_EQ(id, 7, "with its id");
	CHECK_EQ(held_frames(), 0, "let go");
	CHECK(!A.dev->ops->busy(A.dev), "idle");
}

/*
 * Unknown unicast goes out by the uplink: the NIC gets the header copy the
 * decision was made on, even if the guest rewrites its frame meanwhile.
 */
static void test_uplink(void)
{
	uint16_t id;

	setup();
	make_frame(7, 0, 1514, MAC_UNKNOWN, vif_of(&A)->mac, 0, 3);
	queue_tx(&A, 8, 7, 0, 1514);
	kick(&A);
	CHECK_EQ(fake.n, 1, "to the uplink");
	memcpy(mem[7], MAC_BCAST, 6);			/* too late */
	nic_complete(0, 0);
	CHECK(!memcmp(fake.data[0], MAC_UNKNOWN, 6), "the NIC sent the checked header");
	CHECK(!memcmp(fake.data[0] + VFR_HEADER_BYTES, mem[7] + VFR_HEADER_BYTES,
		      1514 - VFR_HEADER_BYTES), "and the rest straight from the frame");
	CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_OKAY, "answered");
	/* A NIC error is a drop; a reconnected front hears nothing of old packets. */
	make_frame(7, 0, 100, MAC_UNKNOWN, vif_of(&A)->mac, 0, 3);
	queue_tx(&A, 9, 7, 0, 100);
	kick(&A);
	nic_complete(1, -EIO);
	CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_DROPPED, "the NIC failed it");
	queue_tx(&A, 10, 7, 0, 100);
	kick(&A);
	connect(&A, &dom_a, 0, 0);
	nic_complete(2, 0);
	CHECK_EQ(next_tx(&A, &id), 99, "no answer into a new connection");
	CHECK_EQ(held_frames(), 0, "let go anyway");
}

/* An untrusted VIF sends only as itself; a trusted one as anyone. */
static void test_spoof(void)
{
	static const struct { const char *what; int mac; uint32_t ip; int status; } t[] = {
		{ "own MAC and IP", 0, 0x0a000001, XENO_NETIF_RSP_OKAY },
		{ "C's MAC", 1, 0x0a000001, XENO_NETIF_RSP_DROPPED },
		{ "another IP", 0, 0x0a000002, XENO_NETIF_RSP_DROPPED },
		{ "an unknown MAC", 2, 0x0a000001, XENO_NETIF_RSP_DROPPED },
	};
	struct xeno_netif_rx_response rsp;
	uint16_t id;

	setup();
	CHECK_EQ(vif_set_ip(&dom_a, 0, 0x0a000001), 0, "set A's address");
	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const uint8_t *src = t[i].mac == 0 ? vif_of(&A)->mac :
				     t[i].mac == 1 ? vif_of(&C)->mac : MAC_UNKNOWN;

		post_rx(&B, (uint16_t)i, 21);
		make_frame(8, 0, 60, vif_of(&B)->mac, src, t[i].ip, 1);
		queue_tx(&A, (uint16_t)i, 8, 0, 60);
		kick(&A);
		CHECK_EQ(next_tx(&A, &id), t[i].status, t[i].what);
	}
	CHECK_EQ(vif_of(&A)->stats.tx_spoofed, 3, "counted");
	CHECK_EQ(vif_of(&B)->stats.rx_packets, 1, "B got only the honest one");
	while (next_rx(&B, &rsp))
		;
	/* Trusted (Domain0's VIFs are): anything goes. */
	vif_of(&A)->trusted = true;
	make_frame(8, 0, 60, vif_of(&B)->mac, MAC_UNKNOWN, 0x01020304, 1);
	queue_tx(&A, 9, 8, 0, 60);
	kick(&A);
	CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_OKAY, "trusted");
}

/* A rule between two VIFs, by port; its hits. */
static void test_rule(void)
{
	struct xeno_vfr_rule r, got;
	uint32_t where;
	uint16_t id;

	setup();
	memset(&r, 0, sizeof(r));
	r.src_dom = DOM_A, r.src_handle = 0, r.dst_dom = DOM_B, r.dst_handle = XENO_VFR_ANY;
	r.proto = XENO_VFR_PROTO_UDP, r.action = XENO_VFR_DROP;
	r.src_port_hi = 0xffff, r.dst_port_lo = r.dst_port_hi = 53;
	CHECK_EQ(vfr_add(0, &r, &where), 0, "add the rule");
	post_rx(&B, 1, 21);
	post_rx(&C, 2, 22);
	make_frame(9, 0, 60, vif_of(&B)->mac, vif_of(&A)->mac, 0, 1);	/* to port 53 */
	queue_tx(&A, 1, 9, 0, 60);
	make_frame(10, 0, 60, MAC_BCAST, vif_of(&A)->mac, 0, 1);
	queue_tx(&A, 2, 10, 0, 60);
	kick(&A);
	CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_DROPPED, "dropped by the rule");
	CHECK_EQ(fake.n, 1, "the broadcast still goes out");
	CHECK_EQ(vif_of(&B)->stats.rx_packets + vif_of(&C)->stats.rx_packets, 0,
		 "neither B nor C got any");
	CHECK(vfr_get(0, &got) == 0 && got.hits == 3, "hits: B, then B and C (%llu)",
	      (unsigned long long)got.hits);
	mem[9][37] = 54;					/* port 54 */
	queue_tx(&A, 3, 9, 0, 60);
	kick(&A);
	CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_OKAY, "another port passes");
	nic_complete(0, 0);
}

/* Frames from the NIC: by destination MAC, broadcast to all, unknown dropped. */
static void test_from_nic(void)
{
	uint8_t buf[1600] __attribute__((aligned(4)));
	uint8_t *frame = buf + 2;
	struct xeno_netif_rx_response rsp;

	setup();
	post_rx(&A, 1, 5);
	post_rx(&B, 2, 21);
	post_rx(&C, 3, 22);
	memcpy(frame, vif_of(&B)->mac, 6);
	memcpy(frame + 6, MAC_UNKNOWN, 6);
	frame[12] = 0x88, frame[13] = 0xb5;
	memset(frame + 14, 0x5a, 100);
	pnic_receive(&fake.nic, frame, 114);
	CHECK(next_rx(&B, &rsp) && rsp.status == 114 && rsp.offset == 2 &&
	      !memcmp(mem[21] + 2, frame, 114), "B got its frame at offset 2");
	CHECK(!next_rx(&A, &rsp) && !next_rx(&C, &rsp), "A and C did not");
	memcpy(frame, MAC_BCAST, 6);
	pnic_receive(&fake.nic, frame, 114);
	CHECK(next_rx(&A, &rsp) && next_rx(&C, &rsp) && !next_rx(&B, &rsp),
	      "broadcast: A and C (B posted one frame only, now dropped)");
	CHECK_EQ(vif_of(&B)->stats.rx_dropped, 1, "B counts its drop");
	memcpy(frame, MAC_UNKNOWN, 6);
	pnic_receive(&fake.nic, frame, 114);
	CHECK_EQ(fake.nic.stats.rx_dropped, 1, "unknown MAC: dropped at the NIC");
}

/* Credit: 3000 bytes per ms; the fourth 1000-byte packet waits for the timer. */
static void test_credit(void)
{
	uint16_t id;

	setup();
	CHECK_EQ(vif_set_credit(&dom_a, 0, 3000, 0), -EINVAL, "bytes without a period");
	CHECK_EQ(vif_set_credit(&dom_a, 0, 3000, 1000), 0, "set credit");
	for (unsigned int i = 0; i < 4; i++) {
		post_rx(&B, (uint16_t)i, 21);
		make_frame(11, 0, 1000, vif_of(&B)->mac, vif_of(&A)->mac, 0, 1);
		queue_tx(&A, (uint16_t)i, 11, 0, 1000);
	}
	kick(&A);
	for (unsigned int i = 0; i < 3; i++)
		CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_OKAY, "within the credit");
	CHECK_EQ(next_tx(&A, &id), 99, "the fourth waits");
	CHECK(armed == &vif_of(&A)->credit_timer && armed->deadline == now_ns + 1000000,
	      "the timer is set for the next period");
	CHECK_EQ(held_frames(), 0, "a waiting request holds nothing");
	now_ns += 1000000;
	armed->fn(armed);
	kick(&A);				/* as the exit path would */
	CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_OKAY, "sent in the next period");
	/* Larger than a period's credit: goes when the credit is whole. */
	CHECK_EQ(vif_set_credit(&dom_a, 0, 500, 1000), 0, "tiny credit");
	post_rx(&B, 9, 21);
	queue_tx(&A, 9, 11, 0, 1000);
	kick(&A);
	CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_OKAY, "a big packet is not starved");
}

/* A full NIC: the request waits, unconsumed and holding nothing, until room. */
static void test_nic_full(void)
{
	uint16_t id;

	setup();
	fake.full = true;
	make_frame(12, 0, 200, MAC_UNKNOWN, vif_of(&A)->mac, 0, 1);
	queue_tx(&A, 1, 12, 0, 200);
	kick(&A);
	CHECK_EQ(next_tx(&A, &id), 99, "waiting");
	CHECK_EQ(held_frames(), 0, "holding nothing");
	CHECK_EQ(A.tx.sring->req_prod - vif_of(&A)->tx.req_cons, 1, "not consumed");
	fake.full = false;
	service_asked = 0;
	pnic_room(&fake.nic);
	CHECK_EQ(service_asked, 1, "room wakes the VIF");
	kick(&A);
	CHECK_EQ(fake.n, 1, "sent");
	nic_complete(0, 0);
	CHECK_EQ(next_tx(&A, &id), XENO_NETIF_RSP_OKAY, "answered");
}

/* Producer indices no front could publish kill the domain. */
static void test_lying_rings(void)
{
	setup();
	A.ts->hdr.req_prod = TX_SLOTS + 1;
	kick(&A);
	CHECK_EQ(crashed, 1, "lying TX index: crashed");
	setup();
	B.rs->hdr.req_prod = 0x80000000u;
	make_frame(13, 0, 60, vif_of(&B)->mac, vif_of(&A)->mac, 0, 1);
	queue_tx(&A, 1, 13, 0, 60);
	kick(&A);
	CHECK_EQ(crashed, 1, "lying RX index: crashed");
	CHECK_EQ(held_frames(), 0, "nothing held");
}

/* A kick does one batch; the service list does the rest. */
static void test_batch(void)
{
	uint16_t id;
	unsigned int answered = 0;

	setup();
	make_frame(14, 0, 60, vif_of(&B)->mac, vif_of(&A)->mac, 0, 1);
	for (unsigned int i = 0; i < 40; i++) {
		post_rx(&B, (uint16_t)i, 21);
		queue_tx(&A, (uint16_t)i, 14, 0, 60);
	}
	hypercall_work = 0;
	kick(&A);
	while (next_tx(&A, &id) != 99)
		answered++;
	CHECK_EQ(answered, 16, "one batch");
	CHECK_EQ(service_asked, 1, "the rest is queued");
	CHECK(hypercall_work > 16 * 64, "work counted: %u", hypercall_work);
	kick(&A), kick(&A);
	while (next_tx(&A, &id) != 99)
		answered++;
	CHECK_EQ(answered, 40, "all of it in three batches");
}

int main(void)
{
	dom_a.id = DOM_A;
	dom_b.id = DOM_B;
	fake.nic = (struct pnic){ .name = "fake0", .mac = { 0x52, 0x54, 0, 0, 0, 1 },
				  .ops = &fake_ops };
	pnic_register(&fake.nic);
	netsw_init();
	test_check_tx();
	test_tx_refused();
	test_local();
	test_rx_frames();
	test_no_buffer();
	test_broadcast();
	test_uplink();
	test_spoof();
	test_rule();
	test_from_nic();
	test_credit();
	test_nic_full();
	test_lying_rings();
	test_batch();
	return test_report("vif");
}
