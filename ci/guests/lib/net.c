/* SPDX-License-Identifier: MIT */
/*
 * A tiny network front end for test guests (net.h).  TX page i carries
 * request id i and is busy while tx_status[i] is NET_STATUS_NONE; RX page i
 * is posted with id i and posted again as soon as its packet is read.
 */
#include "net.h"

const uint8_t net_broadcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct netfront *fronts[4];

static void on_event(unsigned int port)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(fronts); i++)
		if (fronts[i] && fronts[i]->port == port)
			fronts[i]->events++;
}

static long vdev(uint32_t cmd, void *arg)
{
	return HYPERCALL2(vdev_op, cmd, arg);
}

/* Our MAC from PROBE. */
static long find_mac(struct netfront *f)
{
	struct xeno_vdev_info info[8];
	struct xeno_vdev_probe p = { (uint32_t)info, 8, 0, 0 };
	long rc = vdev(XENO_VDEV_PROBE, &p);

	if (rc)
		return rc;
	for (unsigned int i = 0; i < p.count && i < 8; i++) {
		if (info[i].type == XENO_VDEV_NET && info[i].handle == f->handle) {
			memcpy(f->mac, info[i].mac, ETH_ALEN);
			return 0;
		}
	}
	return -XENO_ENODEV;
}

static long map_rings(struct netfront *f, const struct xeno_vdev_connect *c)
{
	void *tx = alloc_page(), *rx = alloc_page();
	long rc = update_va(tx, (c->ring_mfn[0] << PAGE_SHIFT) | PTE_P | PTE_RW, XENO_UVMF_INVLPG);

	if (!rc)
		rc = update_va(rx, (c->ring_mfn[1] << PAGE_SHIFT) | PTE_P | PTE_RW, XENO_UVMF_INVLPG);
	if (rc)
		return rc;
	f->ts = tx;
	f->rs = rx;
	xeno_ring_front_init(&f->tx, tx, XENO_NETIF_TX_RING_SLOTS);
	xeno_ring_front_init(&f->rx, rx, XENO_NETIF_RX_RING_SLOTS);
	return 0;
}

long net_connect_posting(struct netfront *f, uint16_t handle, unsigned int rx_posted)
{
	struct xeno_vdev_connect c = { XENO_VDEV_NET, handle, 0, { 0, 0 } };
	long rc;

	memset(f, 0, sizeof(*f));
	f->handle = handle;
	rc = find_mac(f);
	if (!rc)
		rc = vdev(XENO_VDEV_CONNECT, &c);
	if (!rc)
		rc = map_rings(f, &c);
	if (rc)
		return rc;
	f->port = c.port;
	for (unsigned int i = 0; i < ARRAY_SIZE(fronts); i++) {
		if (!fronts[i]) {
			fronts[i] = f;
			break;
		}
	}
	bind_port(c.port, on_event);
	for (unsigned int i = 0; i < NET_TX_BUFS; i++) {
		f->txbuf[i] = alloc_page();
		f->tx_status[i] = XENO_NETIF_RSP_OKAY;
	}
	for (unsigned int i = 0; i < NET_RX_BUFS; i++) {
		f->rxbuf[i] = alloc_page();
		if (i < rx_posted)
			net_queue_rx(f, (uint16_t)i, virt_to_mfn(f->rxbuf[i]));
	}
	xeno_ring_push_requests(&f->rx);
	return 0;
}

long net_connect(struct netfront *f, uint16_t handle)
{
	return net_connect_posting(f, handle, NET_RX_BUFS);
}

/* ---- the raw rings ---- */

void net_queue_tx(struct netfront *f, uint16_t id, uint32_t mfn, unsigned int offset,
		  unsigned int size)
{
	struct xeno_netif_tx_request *rq =
		&f->ts->slot[f->tx.req_prod_pvt++ & (XENO_NETIF_TX_RING_SLOTS - 1)].req;

	*rq = (struct xeno_netif_tx_request){ mfn, (uint16_t)offset, (uint16_t)size, id, 0 };
}

void net_queue_rx(struct netfront *f, uint16_t id, uint32_t mfn)
{
	struct xeno_netif_rx_request *rq =
		&f->rs->slot[f->rx.req_prod_pvt++ & (XENO_NETIF_RX_RING_SLOTS - 1)].req;

	*rq = (struct xeno_netif_rx_request){ id, 0, mfn };
}

void net_kick(struct netfront *f)
{
	struct xeno_evtchn_port send = { f->port };

	xeno_ring_push_requests(&f->rx);
	if (xeno_ring_push_requests(&f->tx))
		evtchn_op(XENO_EVTCHNOP_send, &send);
}

/* Wait for a response on ring r (published, or the port firing), to the deadline. */
static bool wait_response(struct netfront *f, struct xeno_ring_front *r, uint64_t deadline)
{
	for (;;) {
		unsigned int seen = f->events;

		if (xeno_ring_final_check_responses(r))
			return true;
		if (now_ns() >= deadline || !wait_for_event(&f->events, seen, deadline))
			return xeno_ring_unconsumed_responses(r) != 0;
	}
}

bool net_next_tx_rsp(struct netfront *f, struct xeno_netif_tx_response *rsp, uint64_t timeout_ns)
{
	if (!wait_response(f, &f->tx, now_ns() + timeout_ns))
		return false;
	*rsp = f->ts->slot[f->tx.rsp_cons++ & (XENO_NETIF_TX_RING_SLOTS - 1)].rsp;
	return true;
}

bool net_next_rx_rsp(struct netfront *f, struct xeno_netif_rx_response *rsp, uint64_t timeout_ns)
{
	if (!wait_response(f, &f->rx, now_ns() + timeout_ns))
		return false;
	*rsp = f->rs->slot[f->rx.rsp_cons++ & (XENO_NETIF_RX_RING_SLOTS - 1)].rsp;
	return true;
}

/* ---- sending and receiving ---- */

bool net_tx_poll(struct netfront *f)
{
	bool any = false;

	while (xeno_ring_unconsumed_responses(&f->tx)) {
		const struct xeno_netif_tx_response *r =
			&f->ts->slot[f->tx.rsp_cons++ & (XENO_NETIF_TX_RING_SLOTS - 1)].rsp;

		if (r->id < NET_TX_BUFS)
			f->tx_status[r->id] = r->status;
		any = true;
	}
	return any;
}

static int free_tx_page(struct netfront *f)
{
	uint64_t deadline = now_ns() + 2000000000ull;

	for (;;) {
		net_tx_poll(f);
		for (unsigned int i = 0; i < NET_TX_BUFS; i++)
			if (f->tx_status[i] != NET_STATUS_NONE)
				return (int)i;
		if (!wait_response(f, &f->tx, deadline))
			return -1;
	}
}

int net_send_at(struct netfront *f, const void *frame, unsigned int len, unsigned int offset)
{
	int id = free_tx_page(f);

	if (id < 0)
		return -1;
	memcpy(f->txbuf[id] + offset, frame, len);
	f->tx_status[id] = NET_STATUS_NONE;
	net_queue_tx(f, (uint16_t)id, virt_to_mfn(f->txbuf[id]), offset, len);
	net_kick(f);
	return id;
}

int net_send(struct netfront *f, const void *frame, unsigned int len)
{
	return net_send_at(f, frame, len, 0);
}

int net_tx_wait(struct netfront *f, int id, uint64_t timeout_ns)
{
	uint64_t deadline = now_ns() + timeout_ns;

	for (;;) {
		net_tx_poll(f);
		if (f->tx_status[id] != NET_STATUS_NONE)
			return f->tx_status[id];
		if (!wait_response(f, &f->tx, deadline))
			return NET_STATUS_NONE;
	}
}

int net_recv(struct netfront *f, void *buf, unsigned int max, uint64_t timeout_ns)
{
	struct xeno_netif_rx_response rsp;
	int len;

	if (!net_next_rx_rsp(f, &rsp, timeout_ns))
		return 0;
	len = rsp.status;
	if (rsp.id >= NET_RX_BUFS)
		return XENO_NETIF_RSP_ERROR;
	if (len > 0)
		memcpy(buf, f->rxbuf[rsp.id] + rsp.offset, (unsigned int)len < max ? (unsigned int)len : max);
	net_queue_rx(f, rsp.id, virt_to_mfn(f->rxbuf[rsp.id]));
	xeno_ring_push_requests(&f->rx);
	return len;
}

/* ---- Domain0 ---- */

long net_vif_op(uint32_t cmd, uint16_t domid, uint16_t handle, const uint8_t *mac, uint32_t ip,
		struct xeno_dom0_vif *info)
{
	struct xeno_dom0_op op = { .cmd = cmd };
	long rc;

	op.u.vif.domid = domid;
	op.u.vif.handle = handle;
	if (mac)
		memcpy(op.u.vif.mac, mac, ETH_ALEN);
	op.u.vif.ip = ip;
	rc = dom0_op(&op);
	if (info)
		*info = op.u.vif;
	return rc;
}

/* ---- frames ---- */

uint16_t net_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t net_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void net_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

void net_put32(uint8_t *p, uint32_t v)
{
	net_put16(p, (uint16_t)(v >> 16));
	net_put16(p + 2, (uint16_t)v);
}

uint16_t net_ip_checksum(const void *data, unsigned int len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (unsigned int i = 0; i + 1 < len; i += 2)
		sum += net_be16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void build_eth(uint8_t *frame, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(frame, dst, ETH_ALEN);
	memcpy(frame + ETH_ALEN, src, ETH_ALEN);
	net_put16(frame + 12, type);
}

/* An IPv4 header at ip for 'payload' bytes of protocol 'proto'. */
static void build_ip(uint8_t *ip, uint8_t proto, uint32_t src, uint32_t dst, unsigned int payload)
{
	memset(ip, 0, IP_HLEN);
	ip[0] = 0x45;
	net_put16(ip + 2, (uint16_t)(IP_HLEN + payload));
	ip[8] = 64;
	ip[9] = proto;
	net_put32(ip + 12, src);
	net_put32(ip + 16, dst);
	net_put16(ip + 10, net_ip_checksum(ip, IP_HLEN));
}

unsigned int net_build_udp(uint8_t *frame, const uint8_t *dst_mac, const uint8_t *src_mac,
			   uint32_t src_ip, uint32_t dst_ip, uint16_t sport, uint16_t dport,
			   const void *data, unsigned int payload)
{
	uint8_t *udp = frame + ETH_HLEN + IP_HLEN;

	build_eth(frame, dst_mac, src_mac, ETHERTYPE_IPV4);
	build_ip(frame + ETH_HLEN, IPPROTO_UDP, src_ip, dst_ip, UDP_HLEN + payload);
	net_put16(udp, sport);
	net_put16(udp + 2, dport);
	net_put16(udp + 4, (uint16_t)(UDP_HLEN + payload));
	net_put16(udp + 6, 0);			/* no checksum (IPv4 allows it) */
	if (data)
		memcpy(udp + UDP_HLEN, data, payload);
	return UDP_PAYLOAD_OFF + payload;
}

unsigned int net_build_arp(uint8_t *frame, const uint8_t *dst_mac, const uint8_t *src_mac,
			   uint16_t op, const uint8_t *sha, uint32_t spa, const uint8_t *tha,
			   uint32_t tpa)
{
	uint8_t *a = frame + ETH_HLEN;

	build_eth(frame, dst_mac, src_mac, ETHERTYPE_ARP);
	net_put16(a, 1);
	net_put16(a + 2, ETHERTYPE_IPV4);
	a[4] = ETH_ALEN, a[5] = 4;
	net_put16(a + 6, op);
	memcpy(a + 8, sha, ETH_ALEN);
	net_put32(a + 14, spa);
	memcpy(a + 18, tha, ETH_ALEN);
	net_put32(a + 24, tpa);
	return ARP_FRAME_LEN;
}

unsigned int net_build_ping(uint8_t *frame, const uint8_t *dst_mac, const uint8_t *src_mac,
			    uint32_t src_ip, uint32_t dst_ip, uint16_t id, uint16_t seq,
			    unsigned int payload)
{
	uint8_t *icmp = frame + ETH_HLEN + IP_HLEN;
	unsigned int len = 8 + payload;

	build_eth(frame, dst_mac, src_mac, ETHERTYPE_IPV4);
	build_ip(frame + ETH_HLEN, IPPROTO_ICMP, src_ip, dst_ip, len);
	icmp[0] = 8, icmp[1] = 0;		/* echo request */
	net_put16(icmp + 2, 0);
	net_put16(icmp + 4, id);
	net_put16(icmp + 6, seq);
	for (unsigned int i = 0; i < payload; i++)
		icmp[8 + i] = (uint8_t)(i + seq);
	net_put16(icmp + 2, net_ip_checksum(icmp, len));
	return ETH_HLEN + IP_HLEN + len;
}
