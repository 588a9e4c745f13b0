/* SPDX-License-Identifier: MIT */
/*
 * Virtual network interfaces: the network back end (abi.md 10.3).  A VIF
 * is given to a domain by Domain0; its front end talks to it over a TX and
 * an RX ring (public/io/netif.h) and one port.  The switch (netsw.c) and
 * the firewall-router (vfr.c) decide where packets go; this file moves
 * them in and out of the domain's frames.
 *
 * TX.  Every request is copied out of the ring before it is looked at, and
 * refused (ERROR) unless its size is XENO_NETIF_MIN_FRAME..MAX_FRAME and it
 * lies inside a frame the domain owns that the hypervisor does not share
 * with it.  The frame is held (a general reference) from then on, the first
 * VFR_HEADER_BYTES are copied into hypervisor memory, and everything that
 * is decided (anti-spoofing for an untrusted VIF, the route, the rules) and
 * everything that is sent out is that copy: the guest may rewrite its frame
 * at any time.  Local destinations get a copy at once; the uplink NIC reads
 * the rest of the packet from the frame itself (no copy), and the frame
 * stays held, the response waiting, until the NIC is done with it.  A
 * domain with packets at the NIC is torn down only once they are done.
 *
 * RX.  Packets are copied into the domain's posted frames when they arrive
 * (no kick is needed to post): the next RX request is copied out of the
 * ring, its frame must be the domain's, not shared with it, and take a
 * writable type reference (never a page table or descriptor frame), held
 * only for the copy.  One response per packet: {id, offset, length}, or
 * ERROR for a refused frame (the packet is dropped).  No posted frame: the
 * packet is dropped and counted.
 *
 * Rate.  A VIF with credit_bytes set may start sending no more than that
 * per credit_usec; a request over the credit waits, unconsumed, for the
 * next period (credit_timer), as one waiting for room at the NIC waits for
 * the NIC's room callback.  Neither wait re-queues the VIF by itself, so an
 * idle machine really idles.
 *
 * Work: a kick serves one batch (VIF_BATCH requests, or VIF_BATCH_WORK
 * units of work, whichever ends first) in the kicking hypercall and counts
 * it; a VIF with more is put on the service list for the exit path.
 */
#include <console.h>
#include <domain.h>
#include <errno.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <mm_types.h>
#include <page.h>
#include <panic.h>
#include <vif.h>
#include <x86.h>

#define VIF_BATCH		16	/* requests per kick or service pass */
#define VIF_BATCH_WORK		8192	/* work units per batch */
#define WORK_PER_PACKET		64	/* copy a request, check, respond */
#define WORD_BYTES		4	/* a work unit moves about a word */
#define WORD_MASK		(WORD_BYTES - 1)
#define NS_PER_US		1000ull
#define MAC_PREFIX_0		0x02	/* default MACs: locally administered, unicast */
#define MAC_PREFIX_1		0x58	/* 'X' */
#define MAC_GROUP_BIT		0x01	/* first byte: multicast or broadcast */

_Static_assert(sizeof(struct vif) <= PAGE_SIZE, "a VIF is one heap page");

static struct vif *to_vif(const struct vdev *v)
{
	return (struct vif *)v;
}

struct vfr_endpoint vif_endpoint(const struct vif *v)
{
	return (struct vfr_endpoint){ v->vdev.domain->id, v->vdev.handle };
}

/* Does the front that asked still listen? */
static bool front_listens(const struct vif *v, uint32_t generation)
{
	return v->vdev.connected && generation == v->generation && !v->vdev.domain->dying;
}

/* ---- TX responses ---- */

static void tx_respond(struct vif *v, uint16_t id, int16_t status)
{
	struct xeno_netif_tx_sring *s = v->vdev.ring[0];
	struct xeno_netif_tx_response rsp = { id, status };

	s->slot[v->tx.rsp_prod_pvt++ & (XENO_NETIF_TX_RING_SLOTS - 1)].rsp = rsp;
	if (xeno_ring_push_responses(&v->tx))
		vdev_notify(&v->vdev);
}

/* Take the request at req_cons (checked and decided) and answer it now. */
static void tx_finish(struct vif *v, uint16_t id, int16_t status)
{
	v->tx.req_cons++;
	tx_respond(v, id, status);
}

/* ---- credit ---- */

/*
 * May a packet of 'size' bytes start now?  A period's credit comes whole at
 * its start; a packet larger than a whole period's credit may go when the
 * credit is whole, or it never could.  If not, the credit timer will call.
 */
static bool credit_available(struct vif *v, unsigned int size)
{
	uint64_t now;

	if (!v->credit_bytes)
		return true;
	now = time_now();
	if (now >= v->credit_refill) {
		v->credit_left = v->credit_bytes;
		v->credit_refill = now + v->credit_usec * NS_PER_US;
	}
	if (size <= v->credit_left || v->credit_left == v->credit_bytes)
		return true;
	timer_arm(&v->credit_timer, v->credit_refill);
	return false;
}

static void credit_take(struct vif *v, unsigned int size)
{
	if (v->credit_bytes)
		v->credit_left -= MIN(size, v->credit_left);
}

static void credit_refilled(struct timer *t)
{
	struct vif *v = (struct vif *)((char *)t - offsetof(struct vif, credit_timer));

	vdev_want_service(&v->vdev);
}

/* ---- the uplink: the NIC reads the rest from the sender's frame ---- */

/* A free slot and room at the NIC?  If not, the NIC's room callback calls. */
static bool uplink_ready(struct vif *v)
{
	struct pnic *nic = netsw_uplink();

	if (v->uplink_in_flight < VIF_UPLINK_SLOTS && nic->ops->has_room(nic))
		return true;
	v->wants_uplink = true;
	return false;
}

static struct vif_uplink_tx *uplink_slot(struct vif *v)
{
	for (unsigned int i = 0; i < VIF_UPLINK_SLOTS; i++)
		if (!v->uplink[i].in_use)
			return &v->uplink[i];
	return NULL;
}

/* The NIC is done with a packet: let its frame go, answer, wake waiters. */
static void uplink_done(struct pnic_tx *tx, int status)
{
	struct vif_uplink_tx *u = tx->owner;
	struct vif *v = u->vif;
	struct domain *d = v->vdev.domain;

	put_page(u->mfn);
	u->in_use = false;
	v->uplink_in_flight--;
	if (front_listens(v, u->generation))
		tx_respond(v, u->id, status ? XENO_NETIF_RSP_DROPPED : XENO_NETIF_RSP_OKAY);
	if (v->wants_uplink) {
		v->wants_uplink = false;
		vdev_want_service(&v->vdev);
	}
	if (d->dying && !vdev_domain_busy(d))
		domain_io_drained(d);
}

/* Hand the packet to the NIC, which keeps the frame's reference: true if taken. */
static bool uplink_send(struct vif *v, const struct xeno_netif_tx_request *rq,
			const struct net_pkt *p)
{
	struct pnic *nic = netsw_uplink();
	struct vif_uplink_tx *u = uplink_slot(v);

	BUG_ON(!u);		/* uplink_ready() saw one */
	u->tx = (struct pnic_tx){ p->head, p->head_len, p->rest_maddr, p->len - p->head_len,
				  uplink_done, u };
	if (nic->ops->send(nic, &u->tx))
		return false;
	u->vif = v;
	u->mfn = rq->mfn;
	u->id = rq->id;
	u->generation = v->generation;
	u->in_use = true;
	v->uplink_in_flight++;
	return true;
}

/* ---- TX ---- */

int vif_check_tx_request(const struct xeno_netif_tx_request *rq)
{
	if (rq->size < XENO_NETIF_MIN_FRAME || rq->size > XENO_NETIF_MAX_FRAME)
		return -EINVAL;
	if ((uint32_t)rq->offset + rq->size > PAGE_SIZE)
		return -EINVAL;
	return 0;
}

/* The sender's own frame, not one the hypervisor shares with it: referenced. */
static bool hold_tx_frame(struct vif *v, uint32_t mfn)
{
	struct domain *d = v->vdev.domain;

	return !vdev_is_shared_frame(d, mfn) && get_page(mfn, d);
}

/*
 * Copy the packet's headers out of the held frame into buf (VFR_HEADER_BYTES
 * + WORD_MASK bytes, word-aligned), at the frame's own alignment so that
 * later copies move whole words, and describe the packet.
 */
static void read_head(struct vif *v, const struct xeno_netif_tx_request *rq, uint8_t *buf,
		      struct net_pkt *p)
{
	const uint8_t *frame = map_domain_page(rq->mfn);
	uint8_t *head = buf + (rq->offset & WORD_MASK);

	p->head_len = MIN((unsigned int)rq->size, VFR_HEADER_BYTES);
	memcpy(head, frame + rq->offset, p->head_len);
	unmap_domain_page(frame);
	p->head = head;
	p->len = rq->size;
	p->rest_maddr = (rq->mfn << PAGE_SHIFT) + rq->offset + p->head_len;
	p->src = vif_endpoint(v);
	vfr_parse(p->head, p->head_len, p->len, &p->facts);
	hypercall_count_work(WORK_PER_PACKET + p->head_len / WORD_BYTES);
}

/* Deliver a checked packet everywhere it may go, and answer (now or later). */
static void tx_forward(struct vif *v, const struct xeno_netif_tx_request *rq,
		       const struct net_pkt *p, const struct netsw_route *r)
{
	unsigned int n;

	v->tx.req_cons++;
	credit_take(v, rq->size);
	n = netsw_deliver_local(p, v, r);
	if (r->uplink && netsw_uplink_accepts(p) && uplink_send(v, rq, p)) {
		v->stats.tx_packets++;
		v->stats.tx_bytes += rq->size;
		return;		/* the frame is the NIC's now; uplink_done() answers */
	}
	put_page(rq->mfn);
	if (n) {
		v->stats.tx_packets++;
		v->stats.tx_bytes += rq->size;
	} else {
		v->stats.tx_dropped++;
	}
	tx_respond(v, rq->id, n ? XENO_NETIF_RSP_OKAY : XENO_NETIF_RSP_DROPPED);
}

/*
 * One request, copied out of the ring: false if it must wait (for credit or
 * the NIC) and was not taken; true if it was taken, and answered or handed
 * to the NIC.
 */
static bool tx_one(struct vif *v, const struct xeno_netif_tx_request *rq)
{
	uint8_t buf[VFR_HEADER_BYTES + WORD_MASK] __aligned(WORD_BYTES);
	struct netsw_route route;
	struct net_pkt p;
	bool shaped = !vif_check_tx_request(rq);

	if (shaped && !credit_available(v, rq->size))
		return false;
	if (!shaped || !hold_tx_frame(v, rq->mfn)) {
		v->stats.tx_refused++;
		tx_finish(v, rq->id, XENO_NETIF_RSP_ERROR);
		return true;
	}
	read_head(v, rq, buf, &p);
	if (!v->trusted && !vfr_source_ok(&p.facts, v->mac, v->ip)) {
		put_page(rq->mfn);
		credit_take(v, rq->size);
		v->stats.tx_spoofed++;
		tx_finish(v, rq->id, XENO_NETIF_RSP_DROPPED);
		return true;
	}
	netsw_route(&p, v, &route);
	if (route.uplink && !uplink_ready(v)) {
		put_page(rq->mfn);
		return false;
	}
	tx_forward(v, rq, &p, &route);
	return true;
}

/* Copy the next request out of the ring (the guest may change the slot). */
static void copy_tx_request(struct vif *v, struct xeno_netif_tx_request *rq)
{
	struct xeno_netif_tx_sring *s = v->vdev.ring[0];
	const volatile struct xeno_netif_tx_request *slot =
		&s->slot[v->tx.req_cons & (XENO_NETIF_TX_RING_SLOTS - 1)].req;

	memcpy(rq, (const void *)slot, sizeof(*rq));
	barrier();		/* every later look is at the copy */
}

/* Requests waiting, or -1 after crashing a domain that published a lie. */
static int64_t tx_waiting(struct vif *v)
{
	int64_t waiting = xeno_ring_unconsumed_requests(&v->tx);

	if (waiting < 0)
		domain_crash(v->vdev.domain, "network TX ring %u: request index %u is impossible "
			     "(consumed %u, answered %u)", v->vdev.handle, v->tx.sring->req_prod,
			     v->tx.req_cons, v->tx.rsp_prod_pvt);
	return waiting;
}

/* One batch of TX requests (see the top: batches, waits). */
static void vif_service(struct vdev *dev)
{
	struct vif *v = to_vif(dev);
	uint32_t work_start = hypercall_work;
	unsigned int done = 0;

	while (done < VIF_BATCH && hypercall_work - work_start < VIF_BATCH_WORK) {
		struct xeno_netif_tx_request rq;
		int64_t waiting = tx_waiting(v);

		if (waiting < 0)
			return;
		if (!waiting) {
			if (!xeno_ring_final_check_requests(&v->tx))
				return;
			continue;
		}
		copy_tx_request(v, &rq);
		if (!tx_one(v, &rq))
			return;		/* the credit timer or the NIC calls back */
		done++;
	}
	vdev_want_service(dev);		/* perhaps more: the exit path goes on */
}

/* ---- RX ---- */

static void rx_respond(struct vif *v, uint16_t id, unsigned int offset, int16_t status)
{
	struct xeno_netif_rx_sring *s = v->vdev.ring[1];
	struct xeno_netif_rx_response rsp;

	memset(&rsp, 0, sizeof(rsp));	/* no hypervisor bytes in the padding */
	rsp.id = id;
	rsp.offset = (uint16_t)offset;
	rsp.status = status;
	s->slot[v->rx.rsp_prod_pvt++ & (XENO_NETIF_RX_RING_SLOTS - 1)].rsp = rsp;
	if (xeno_ring_push_responses(&v->rx))
		vdev_notify(&v->vdev);
}

/* The next posted RX request, copied out of the ring, or false if none. */
static bool take_rx_request(struct vif *v, struct xeno_netif_rx_request *rq)
{
	struct xeno_netif_rx_sring *s = v->vdev.ring[1];
	int64_t waiting = xeno_ring_unconsumed_requests(&v->rx);

	if (waiting < 0) {
		domain_crash(v->vdev.domain, "network RX ring %u: request index %u is impossible "
			     "(consumed %u, answered %u)", v->vdev.handle, v->rx.sring->req_prod,
			     v->rx.req_cons, v->rx.rsp_prod_pvt);
		return false;
	}
	if (!waiting)
		return false;
	memcpy(rq, (const void *)&s->slot[v->rx.req_cons++ & (XENO_NETIF_RX_RING_SLOTS - 1)].req,
	       sizeof(*rq));
	barrier();		/* every later look is at the copy */
	return true;
}

/* Copy p into frame mfn at 'offset' (head first, then the rest from its frame). */
static void copy_packet(uint32_t mfn, unsigned int offset, const struct net_pkt *p)
{
	uint8_t *dst = map_domain_page(mfn);

	memcpy(dst + offset, p->head, p->head_len);
	if (p->len > p->head_len) {
		const uint8_t *src = map_domain_page(p->rest_maddr >> PAGE_SHIFT);

		memcpy(dst + offset + p->head_len, src + (p->rest_maddr & ~PAGE_MASK),
		       p->len - p->head_len);
		unmap_domain_page(src);
	}
	unmap_domain_page(dst);
}

int vif_deliver(struct vif *v, const struct net_pkt *p)
{
	struct domain *d = v->vdev.domain;
	struct xeno_netif_rx_request rq;
	unsigned int offset = (uintptr_t)p->head & WORD_MASK;	/* copies go word by word */

	if (!v->vdev.connected || d->dying || !take_rx_request(v, &rq)) {
		v->stats.rx_dropped++;
		return -ENOSPC;
	}
	hypercall_count_work(WORK_PER_PACKET + p->len / WORD_BYTES);
	if (vdev_is_shared_frame(d, rq.mfn) || get_page_and_type(rq.mfn, PGT_writable, d)) {
		v->stats.rx_errors++;
		rx_respond(v, rq.id, 0, XENO_NETIF_RSP_ERROR);
		return -EPERM;
	}
	copy_packet(rq.mfn, offset, p);
	put_page_and_type(rq.mfn);
	v->stats.rx_packets++;
	v->stats.rx_bytes += p->len;
	rx_respond(v, rq.id, offset, (int16_t)p->len);
	return 0;
}

/* ---- the vdev side ---- */

static void vif_info(const struct vdev *dev, struct xeno_vdev_info *out)
{
	memcpy(out->mac, to_vif(dev)->mac, ETH_ALEN);
	out->mtu = XENO_NETIF_MTU;
}

static void vif_connect(struct vdev *dev)
{
	struct vif *v = to_vif(dev);

	xeno_ring_back_init(&v->tx, dev->ring[0], XENO_NETIF_TX_RING_SLOTS);
	xeno_ring_back_init(&v->rx, dev->ring[1], XENO_NETIF_RX_RING_SLOTS);
	v->generation++;
}

static void vif_disconnect(struct vdev *dev)
{
	(void)dev;	/* packets at the NIC complete; front_listens() drops their answers */
}

static bool vif_busy(const struct vdev *dev)
{
	return to_vif(dev)->uplink_in_flight != 0;
}

static void vif_destroy(struct vdev *dev)
{
	struct vif *v = to_vif(dev);

	timer_cancel(&v->credit_timer);
	netsw_remove(v);
	free_xenheap_page(v);
}

static const struct vdev_ops vif_ops = {
	.nr_rings = 2,
	.info = vif_info,
	.connect = vif_connect,
	.disconnect = vif_disconnect,
	.service = vif_service,
	.busy = vif_busy,
	.destroy = vif_destroy,
};

/* ---- Domain0's control ---- */

static struct vif *find_vif(struct domain *d, uint16_t handle)
{
	return (struct vif *)vdev_find(d, XENO_VDEV_NET, handle);
}

static bool mac_is_zero(const uint8_t mac[ETH_ALEN])
{
	static const uint8_t zero[ETH_ALEN];

	return !memcmp(mac, zero, ETH_ALEN);
}

/* 02:58:dd:dd:hh:hh: locally administered, from the domain and handle. */
static void default_mac(uint8_t mac[ETH_ALEN], domid_t dom, uint16_t handle)
{
	mac[0] = MAC_PREFIX_0, mac[1] = MAC_PREFIX_1;
	mac[2] = (uint8_t)(dom >> 8), mac[3] = (uint8_t)dom;
	mac[4] = (uint8_t)(handle >> 8), mac[5] = (uint8_t)handle;
}

static void announce(const struct vif *v)
{
	char mac[18];

	pnic_format_mac(mac, v->mac);
	printk("d%u: VIF %u, mac %s", v->vdev.domain->id, v->vdev.handle, mac);
	if (v->ip)
		printk(", ip %u.%u.%u.%u", v->ip >> 24, (v->ip >> 16) & 0xff, (v->ip >> 8) & 0xff,
		       v->ip & 0xff);
	printk("%s\n", v->trusted ? ", trusted" : "");
}

int vif_create(struct domain *d, uint16_t handle, const uint8_t mac_in[ETH_ALEN], uint32_t ip,
	       uint32_t flags)
{
	uint8_t mac[ETH_ALEN];
	struct vif *v;
	int rc;

	if (flags & ~XENO_VIF_F_TRUSTED)
		return -EINVAL;
	memcpy(mac, mac_in, ETH_ALEN);
	if (mac_is_zero(mac))
		default_mac(mac, d->id, handle);
	if (mac[0] & MAC_GROUP_BIT)
		return -EINVAL;
	if (netsw_find_mac(mac))
		return -EEXIST;
	v = alloc_xenheap_page();
	if (!v)
		return -ENOMEM;
	v->vdev.ops = &vif_ops;
	v->vdev.type = XENO_VDEV_NET;
	v->vdev.handle = handle;
	memcpy(v->mac, mac, ETH_ALEN);
	v->trusted = d->privileged || (flags & XENO_VIF_F_TRUSTED);
	v->ip = ip;
	v->credit_timer.fn = credit_refilled;
	rc = vdev_add(d, &v->vdev);
	if (rc) {
		free_xenheap_page(v);
		return rc;
	}
	netsw_add(v);
	announce(v);
	return 0;
}

int vif_destroy_handle(struct domain *d, uint16_t handle)
{
	struct vif *v = find_vif(d, handle);

	return v ? vdev_remove(&v->vdev) : -ENODEV;
}

int vif_get_info(struct domain *d, uint16_t handle, struct xeno_dom0_vif *out)
{
	struct vif *v = find_vif(d, handle);

	if (!v)
		return -ENODEV;
	memset(out, 0, sizeof(*out));
	out->domid = d->id;
	out->handle = handle;
	out->flags = (v->trusted ? XENO_VIF_F_TRUSTED : 0) |
		     (v->vdev.connected ? XENO_VIF_F_CONNECTED : 0);
	memcpy(out->mac, v->mac, ETH_ALEN);
	out->mtu = XENO_NETIF_MTU;
	out->ip = v->ip;
	out->credit_bytes = v->credit_bytes;
	out->credit_usec = v->credit_usec;
	out->tx_in_flight = v->uplink_in_flight;
	out->tx_packets = v->stats.tx_packets, out->tx_bytes = v->stats.tx_bytes;
	out->rx_packets = v->stats.rx_packets, out->rx_bytes = v->stats.rx_bytes;
	out->tx_refused = v->stats.tx_refused, out->tx_spoofed = v->stats.tx_spoofed;
	out->tx_dropped = v->stats.tx_dropped;
	out->rx_dropped = v->stats.rx_dropped, out->rx_errors = v->stats.rx_errors;
	return 0;
}

int vif_set_credit(struct domain *d, uint16_t handle, uint32_t bytes, uint32_t usec)
{
	struct vif *v = find_vif(d, handle);

	if (!v)
		return -ENODEV;
	if (bytes && !usec)
		return -EINVAL;
	v->credit_bytes = bytes;
	v->credit_usec = usec;
	v->credit_left = bytes;
	v->credit_refill = 0;		/* a fresh period at the next packet */
	timer_cancel(&v->credit_timer);
	if (v->vdev.connected)
		vdev_want_service(&v->vdev);	/* a request may have waited for credit */
	return 0;
}

int vif_set_ip(struct domain *d, uint16_t handle, uint32_t ip)
{
	struct vif *v = find_vif(d, handle);

	if (!v)
		return -ENODEV;
	v->ip = ip;
	return 0;
}

void vif_give_dom0_uplink(struct domain *d)
{
	struct pnic *nic = netsw_uplink();

	if (nic && vif_create(d, 0, nic->mac, 0, XENO_VIF_F_TRUSTED))
		printk("d0: no VIF for %s\n", nic->name);
}
