/* SPDX-License-Identifier: MIT */
/*
 * net: the network path between two domains through the hypervisor's
 * switch, no NIC needed.  Domain0 gives itself and a peer domain (built from
 * this image, command line "peer") a VIF each; they exchange checksummed
 * frames of every size from 14 to 1514 bytes, sent from every alignment,
 * both ways (Domain0 asks, the peer echoes; then the peer asks).  Also:
 * broadcast, a firewall-router rule that drops one UDP port (and its hit
 * count), credit limiting, the counters, and the control ops' refusals.
 * Domain0 prints the round-trip time and the one-way rate it measured.
 */
#include <net.h>

const char test_title[] = "net: VIF to VIF through the hypervisor's switch";

#define MS		1000000ull
#define IP_D0		0x0a000001u	/* 10.0.0.1 */
#define IP_PEER		0x0a000002u	/* 10.0.0.2 */
#define ETHERTYPE_TEST	0x88b5		/* IEEE local experimental */
#define OFF_KIND	14		/* test frames: kind, seq, checksum, data */
#define OFF_SEQ		15
#define OFF_SUM		17
#define OFF_DATA	21
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define BLAST_ACK_EVERY	16
#define BLAST_WINDOW	48		/* unacknowledged frames (the peer posts 64) */
#define PORT_BLOCKED	9999
#define PORT_OPEN	9998

enum kind { K_ECHO_REQ = 1, K_ECHO_REP, K_START, K_DONE, K_BLAST, K_BLAST_END, K_BLAST_ACK,
	    K_EXIT, K_BLAST_DONE };

static const unsigned int sizes[] = { 14, 15, 16, 20, 21, 22, 42, 59, 60, 61, 63, 64, 65, 127,
				      128, 129, 200, 511, 512, 1000, 1499, 1500, 1513, 1514 };
static struct netfront nf;
static uint8_t frame[1600], got[1600];

static uint32_t fnv(const uint8_t *p, unsigned int n)
{
	uint32_t h = 2166136261u;

	for (unsigned int i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* A test frame of 'size' bytes from us to dst: kind, seq, checksummed data. */
static void make(uint8_t *f, const uint8_t *dst, unsigned int size, uint8_t kind, uint16_t seq)
{
	memcpy(f, dst, ETH_ALEN);
	memcpy(f + ETH_ALEN, nf.mac, ETH_ALEN);
	net_put16(f + 12, ETHERTYPE_TEST);
	for (unsigned int i = OFF_KIND; i < size; i++)
		f[i] = (uint8_t)(seq * 31 + i * 7);
	if (size > OFF_KIND)
		f[OFF_KIND] = kind;
	if (size >= OFF_DATA) {
		net_put16(f + OFF_SEQ, seq);
		net_put32(f + OFF_SUM, fnv(f + OFF_DATA, size - OFF_DATA));
	}
}

static bool intact(const uint8_t *f, unsigned int len)
{
	return len < OFF_DATA || net_be16(f + 12) != ETHERTYPE_TEST ||
	       net_be32(f + OFF_SUM) == fnv(f + OFF_DATA, len - OFF_DATA);
}

static int kind_of(const uint8_t *f, int len)
{
	return len > OFF_KIND && net_be16(f + 12) == ETHERTYPE_TEST ? f[OFF_KIND] : 0;
}

/*
 * Send f back where it came from (a request becomes a reply; IPv4 swaps
 * its addresses, which leaves the header checksum as it was): the
 * anti-spoofing check lets us send only from our own addresses.
 */
static void echo(uint8_t *f, int len)
{
	uint8_t ip[4];

	memcpy(f, f + ETH_ALEN, ETH_ALEN);
	memcpy(f + ETH_ALEN, nf.mac, ETH_ALEN);
	if (len >= ETH_HLEN + IP_HLEN && net_be16(f + 12) == ETHERTYPE_IPV4) {
		memcpy(ip, f + ETH_HLEN + 12, 4);
		memcpy(f + ETH_HLEN + 12, f + ETH_HLEN + 16, 4);
		memcpy(f + ETH_HLEN + 16, ip, 4);
	}
	if (kind_of(f, len) == K_ECHO_REQ)
		f[OFF_KIND] = K_ECHO_REP;
	net_send(&nf, f, (unsigned int)len);
}

/* The next test frame (skipping none), or its negative status / 0 on timeout. */
static int recv(uint8_t *buf, uint64_t timeout)
{
	return net_recv(&nf, buf, 1600, timeout);
}

/*
 * One round trip: a request of 'size' sent from 'offset' must come back
 * whole, as a reply, with the same bytes.  Returns false (and says why).
 */
static bool round_trip(const uint8_t *peer, unsigned int size, unsigned int offset, uint16_t seq)
{
	int id, len;

	make(frame, peer, size, K_ECHO_REQ, seq);
	id = net_send_at(&nf, frame, size, offset);
	if (id < 0 || net_tx_wait(&nf, id, 1000 * MS) != XENO_NETIF_RSP_OKAY) {
		xtf_failure("size %u offset %u: send failed", size, offset);
		return false;
	}
	len = recv(got, 1000 * MS);
	if (len != (int)size) {
		xtf_failure("size %u offset %u: got %d back", size, offset, len);
		return false;
	}
	if (size > OFF_KIND)
		frame[OFF_KIND] = K_ECHO_REP;
	if (memcmp(got + 2 * ETH_ALEN, frame + 2 * ETH_ALEN, size - 2 * ETH_ALEN) ||
	    memcmp(got, nf.mac, ETH_ALEN) || memcmp(got + ETH_ALEN, peer, ETH_ALEN)) {
		xtf_failure("size %u offset %u: the echo differs", size, offset);
		return false;
	}
	return true;
}

/* ---- the peer ---- */

static unsigned int peer_errors;

/* Our turn to ask: every size and offset, echoed by Domain0. */
static void peer_client(const uint8_t *d0)
{
	uint16_t seq = 0;

	for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++)
		for (unsigned int off = 0; off < 4; off++)
			if (!round_trip(d0, sizes[s], off * 1001 % (PAGE_SIZE - sizes[s] + 1), seq++))
				peer_errors++;
	make(frame, d0, 64, K_DONE, seq);
	net_send(&nf, frame, 64);
	printf("peer: %u round trips as the client\n", seq);
}

static void peer_ack(const uint8_t *d0, uint8_t kind, unsigned int count)
{
	make(frame, d0, 64, kind, (uint16_t)count);
	net_send(&nf, frame, 64);
}

static void peer(void)
{
	static uint8_t in[1600];
	unsigned int blast = 0;

	if (net_connect(&nf, 0)) {
		xtf_error("peer: cannot connect VIF 0");
		return;
	}
	printf("peer: connected, mac %02x:%02x:%02x:%02x:%02x:%02x\n", nf.mac[0], nf.mac[1],
	       nf.mac[2], nf.mac[3], nf.mac[4], nf.mac[5]);
	for (;;) {
		int len = recv(in, 20000 * MS);

		if (len <= 0) {
			xtf_failure("peer: nothing received for 20 s (%d)", len);
			return;
		}
		if (!intact(in, (unsigned int)len))
			peer_errors++;
		switch (kind_of(in, len)) {
		case K_START:
			peer_client(in + ETH_ALEN);
			break;
		case K_BLAST:
			if (++blast % BLAST_ACK_EVERY == 0)
				peer_ack(in + ETH_ALEN, K_BLAST_ACK, blast);
			break;
		case K_BLAST_END:
			peer_ack(in + ETH_ALEN, K_BLAST_DONE, blast);
			blast = 0;
			break;
		case K_EXIT:
			CHECK(peer_errors == 0, "peer: %u bad frames or round trips", peer_errors);
			return;
		default:
			echo(in, len);
		}
	}
}

/* ---- Domain0 ---- */

static uint8_t peer_mac[ETH_ALEN];

static long vif(uint32_t cmd, uint16_t dom, const uint8_t *mac, uint32_t ip,
		struct xeno_dom0_vif *info)
{
	return net_vif_op(cmd, dom, 0, mac, ip, info);
}

/* Creation, info and the refusals of the control ops. */
static void control(uint32_t peer_id)
{
	static const uint8_t multicast[ETH_ALEN] = { 0x03, 0, 0, 0, 0, 1 };
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_VIF_CREATE };
	struct xeno_dom0_vif info;

	EXPECT_EQ(vif(XENO_DOM0_VIF_CREATE, 0, NULL, IP_D0, NULL), 0);
	EXPECT_EQ(vif(XENO_DOM0_VIF_CREATE, 0, NULL, IP_D0, NULL), -XENO_EEXIST);
	EXPECT_EQ(net_vif_op(XENO_DOM0_VIF_CREATE, 0, 1, multicast, 0, NULL), -XENO_EINVAL);
	EXPECT_EQ(net_vif_op(XENO_DOM0_VIF_CREATE, 42, 0, NULL, 0, NULL), -XENO_ESRCH);
	op.u.vif.domid = (uint16_t)peer_id, op.u.vif.flags = 0x80;
	EXPECT_EQ(dom0_op(&op), -XENO_EINVAL);
	EXPECT_EQ(vif(XENO_DOM0_VIF_CREATE, (uint16_t)peer_id, NULL, IP_PEER, NULL), 0);
	EXPECT_EQ(vif(XENO_DOM0_VIF_INFO, (uint16_t)peer_id, NULL, 0, &info), 0);
	CHECK(info.mac[0] == 0x02 && info.mac[1] == 0x58 && info.mac[3] == peer_id &&
	      info.ip == IP_PEER && info.mtu == 1500 && !(info.flags & XENO_VIF_F_TRUSTED),
	      "peer's VIF: mac %02x:%02x:..:%02x ip %#x mtu %u flags %#x", info.mac[0],
	      info.mac[1], info.mac[3], info.ip, info.mtu, info.flags);
	memcpy(peer_mac, info.mac, ETH_ALEN);
	EXPECT_EQ(net_vif_op(XENO_DOM0_VIF_INFO, (uint16_t)peer_id, 7, NULL, 0, NULL),
		  -XENO_ENODEV);
	EXPECT_EQ(vif(XENO_DOM0_VIF_CREATE, (uint16_t)peer_id, peer_mac, 0, NULL), -XENO_EEXIST);
	EXPECT_EQ(vif(XENO_DOM0_VIF_SETIP, (uint16_t)peer_id, NULL, 0x0a0000ff, NULL), 0);
	EXPECT_EQ(vif(XENO_DOM0_VIF_INFO, (uint16_t)peer_id, NULL, 0, &info), 0);
	EXPECT_EQ(info.ip, 0x0a0000ff);
	EXPECT_EQ(vif(XENO_DOM0_VIF_SETIP, (uint16_t)peer_id, NULL, IP_PEER, NULL), 0);
	EXPECT_EQ(net_vif_op(XENO_DOM0_VIF_SETIP, (uint16_t)peer_id, 7, NULL, 0, NULL),
		  -XENO_ENODEV);
	op.cmd = XENO_DOM0_VIF_SETCREDIT;
	op.u.vif = (struct xeno_dom0_vif){ .domid = (uint16_t)peer_id, .credit_bytes = 1000 };
	EXPECT_EQ(dom0_op(&op), -XENO_EINVAL);		/* bytes without a period */
}

static bool wait_connected(uint32_t peer_id)
{
	struct xeno_dom0_vif info;
	uint64_t end = now_ns() + 5000 * MS;

	while (now_ns() < end) {
		if (!vif(XENO_DOM0_VIF_INFO, (uint16_t)peer_id, NULL, 0, &info) &&
		    (info.flags & XENO_VIF_F_CONNECTED))
			return true;
		sleep_ns(MS);
	}
	return false;
}

/* Every size from every alignment (offset 0, 1, 2, 3 and the end of the page). */
static void ask_all(void)
{
	uint16_t seq = 0;

	for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (unsigned int o = 0; o < 5; o++) {
			unsigned int off = o < 4 ? o : PAGE_SIZE - sizes[s];

			if (!round_trip(peer_mac, sizes[s], off, seq++))
				return;
		}
	}
	printf("net: %u round trips as the client\n", seq);
}

/* Broadcast reaches the peer, which answers us directly. */
static void broadcast(void)
{
	int len;

	make(frame, net_broadcast, 100, K_ECHO_REQ, 1);
	net_send(&nf, frame, 100);
	len = recv(got, 1000 * MS);
	CHECK(len == 100 && kind_of(got, len) == K_ECHO_REP && !memcmp(got + ETH_ALEN, peer_mac, 6),
	      "broadcast: no answer from the peer (%d)", len);
}

/* The peer's turn to ask: answer until it is done. */
static void serve(void)
{
	unsigned int served = 0;

	make(frame, peer_mac, 64, K_START, 0);
	net_send(&nf, frame, 64);
	for (;;) {
		int len = recv(got, 5000 * MS);

		if (len <= 0) {
			xtf_failure("the peer stopped asking after %u (%d)", served, len);
			return;
		}
		CHECK(intact(got, (unsigned int)len), "a bad frame from the peer");
		if (kind_of(got, len) == K_DONE)
			break;
		echo(got, len);
		served++;
	}
	printf("net: served %u round trips\n", served);
}

static struct xeno_vfr_rule udp_rule(uint32_t peer_id, uint16_t port)
{
	struct xeno_vfr_rule r;

	memset(&r, 0, sizeof(r));
	r.src_dom = 0, r.src_handle = XENO_VFR_ANY;
	r.dst_dom = (uint16_t)peer_id, r.dst_handle = 0;
	r.proto = XENO_VFR_PROTO_UDP, r.action = XENO_VFR_DROP;
	r.src_port_hi = 0xffff;
	r.dst_port_lo = r.dst_port_hi = port;
	return r;
}

/* A UDP datagram to the peer's port; does an echo come back? */
static int udp_to(uint16_t port)
{
	uint8_t data[32] = "rule test";
	unsigned int len = net_build_udp(frame, peer_mac, nf.mac, IP_D0, IP_PEER, 4000, port,
					 data, sizeof(data));
	int id = net_send(&nf, frame, len), st = net_tx_wait(&nf, id, 1000 * MS);

	if (st != XENO_NETIF_RSP_OKAY)
		return st;
	return recv(got, 300 * MS) == (int)len ? 1 : 0;
}

static void rules(uint32_t peer_id)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_VFR_ADD };

	op.u.vfr.index = 0;
	op.u.vfr.rule = udp_rule(peer_id, PORT_BLOCKED);
	EXPECT_EQ(dom0_op(&op), 0);
	EXPECT_EQ(op.u.vfr.count, 1);
	op.u.vfr.rule.action = 7;
	EXPECT_EQ(dom0_op(&op), -XENO_EINVAL);
	EXPECT_EQ(udp_to(PORT_BLOCKED), XENO_NETIF_RSP_DROPPED);
	EXPECT_EQ(udp_to(PORT_OPEN), 1);
	op.cmd = XENO_DOM0_VFR_GET;
	op.u.vfr.index = 0;
	EXPECT_EQ(dom0_op(&op), 0);
	CHECK(op.u.vfr.rule.hits == 1 && op.u.vfr.rule.dst_port_lo == PORT_BLOCKED,
	      "rule 0: %u hits, port %u", (uint32_t)op.u.vfr.rule.hits, op.u.vfr.rule.dst_port_lo);
	op.u.vfr.index = 1;
	EXPECT_EQ(dom0_op(&op), -XENO_ENOENT);
	op.cmd = XENO_DOM0_VFR_DEL;
	op.u.vfr.index = 0;
	EXPECT_EQ(dom0_op(&op), 0);
	EXPECT_EQ(op.u.vfr.count, 0);
	EXPECT_EQ(udp_to(PORT_BLOCKED), 1);
}

/* Send n blast frames of 'size' (flow-controlled by the peer's acks): ns taken. */
static uint64_t blast(unsigned int n, unsigned int size)
{
	uint64_t start = now_ns();
	unsigned int acked = 0;

	for (unsigned int i = 0; i < n; i++) {
		while (i - acked >= BLAST_WINDOW) {
			int len = recv(got, 2000 * MS);

			if (len <= 0 || kind_of(got, len) != K_BLAST_ACK) {
				xtf_failure("blast: no ack after %u of %u (%d)", i, n, len);
				return 0;
			}
			acked = net_be16(got + OFF_SEQ);
		}
		make(frame, peer_mac, size, K_BLAST, (uint16_t)i);
		net_send(&nf, frame, size);
	}
	make(frame, peer_mac, 64, K_BLAST_END, 0);
	net_send(&nf, frame, 64);
	for (;;) {
		int len = recv(got, 2000 * MS);

		if (len <= 0) {
			xtf_failure("blast: no final ack");
			return 0;
		}
		if (kind_of(got, len) == K_BLAST_DONE) {
			CHECK(net_be16(got + OFF_SEQ) == n % 65536, "blast: %u of %u arrived",
			      net_be16(got + OFF_SEQ), n);
			break;
		}
		CHECK(kind_of(got, len) == K_BLAST_ACK, "blast: not an ack");
	}
	return now_ns() - start;
}

/* 30 kB per 10 ms: 90 kB needs two more periods after the first. */
static void credit(void)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_VIF_SETCREDIT };
	uint64_t ns;

	op.u.vif.domid = 0, op.u.vif.handle = 0;
	op.u.vif.credit_bytes = 30000, op.u.vif.credit_usec = 10000;
	EXPECT_EQ(dom0_op(&op), 0);
	ns = blast(90, 1000);
	printf("net: 90 kB at 30 kB per 10 ms took %u ms\n", (uint32_t)(ns / MS));
	CHECK(ns >= 19 * MS, "credit: 90 kB went in %u us", (uint32_t)(ns / 1000));
	op.u.vif.credit_bytes = 0;
	EXPECT_EQ(dom0_op(&op), 0);
}

/*
 * The hypervisor's own share: the time of one kick that sends 16 queued
 * 1514-byte frames into the peer's posted frames (best of 20 rounds).  The
 * peer is paused meanwhile, or the event would let it run (and read them)
 * before the kick returns.
 */
static void measure_kick(uint32_t peer_id)
{
	struct xeno_evtchn_port send = { nf.port };
	uint64_t best = ~0ull;
	int len;

	for (unsigned int round = 0; round < 20; round++) {
		uint64_t t0;

		for (unsigned int i = 0; i < BLAST_ACK_EVERY; i++) {
			net_tx_wait(&nf, (int)i, 1000 * MS);
			make(nf.txbuf[i], peer_mac, 1514, K_BLAST, (uint16_t)i);
			nf.tx_status[i] = NET_STATUS_NONE;
			net_queue_tx(&nf, (uint16_t)i, virt_to_mfn(nf.txbuf[i]), 0, 1514);
		}
		xeno_ring_push_requests(&nf.tx);
		domain_ctl(XENO_DOM0_PAUSEDOMAIN, peer_id);
		t0 = now_ns();
		evtchn_op(XENO_EVTCHNOP_send, &send);
		best = MIN(best, now_ns() - t0);
		domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, peer_id);
		len = recv(got, 2000 * MS);
		CHECK(kind_of(got, len) == K_BLAST_ACK && net_be16(got + OFF_SEQ) == (round + 1) * 16,
		      "kick round %u: no ack (%d, kind %d, seq %u)", round, len, kind_of(got, len),
		      net_be16(got + OFF_SEQ));
	}
	make(frame, peer_mac, 64, K_BLAST_END, 0);
	net_send(&nf, frame, 64);
	len = recv(got, 2000 * MS);
	CHECK(kind_of(got, len) == K_BLAST_DONE, "kick rounds: not finished");
	printf("net: a kick of 16 frames of 1514 bytes into the peer: %u ns a frame\n",
	       (uint32_t)(best / BLAST_ACK_EVERY));
}

static void measure(void)
{
	uint64_t start = now_ns(), ns;
	unsigned int n = 500;

	for (unsigned int i = 0; i < n; i++)
		if (!round_trip(peer_mac, 64, 0, (uint16_t)i))
			return;
	ns = now_ns() - start;
	printf("net: %u round trips of 64 bytes: %u us each\n", n, (uint32_t)(ns / n / 1000));
	n = 2000;
	ns = blast(n, 1514);
	if (ns)
		printf("net: %u frames of 1514 bytes one way: %u frames/s, %u kB/s\n", n,
		       (uint32_t)(n * 1000000000ull / ns),
		       (uint32_t)(n * 1514ull * 1000000ull / ns));
}

static void counters(uint32_t peer_id)
{
	struct xeno_dom0_vif d0, p;

	EXPECT_EQ(vif(XENO_DOM0_VIF_INFO, 0, NULL, 0, &d0), 0);
	EXPECT_EQ(vif(XENO_DOM0_VIF_INFO, (uint16_t)peer_id, NULL, 0, &p), 0);
	printf("net: d0 tx %u rx %u, peer tx %u rx %u, drops %u/%u\n", (uint32_t)d0.tx_packets,
	       (uint32_t)d0.rx_packets, (uint32_t)p.tx_packets, (uint32_t)p.rx_packets,
	       d0.tx_dropped, p.rx_dropped);
	CHECK(d0.tx_packets > 2500 && p.rx_packets == d0.tx_packets &&
	      d0.rx_packets == p.tx_packets, "d0 sent %u, peer got %u; peer sent %u, d0 got %u",
	      (uint32_t)d0.tx_packets, (uint32_t)p.rx_packets, (uint32_t)p.tx_packets,
	      (uint32_t)d0.rx_packets);
	CHECK(d0.tx_refused == 0 && p.tx_refused == 0 && p.tx_spoofed == 0 && p.rx_errors == 0,
	      "refusals: %u %u %u %u", d0.tx_refused, p.tx_refused, p.tx_spoofed, p.rx_errors);
	CHECK((p.flags & XENO_VIF_F_CONNECTED) && (d0.flags & XENO_VIF_F_TRUSTED),
	      "flags %#x %#x", p.flags, d0.flags);
}

static void dom0(void)
{
	uint32_t log = console_log_end();
	long id = domain_create_initrd("peer", 4096);

	if (id <= 0) {
		xtf_error("cannot create the peer: %ld", id);
		return;
	}
	control((uint32_t)id);
	if (net_connect(&nf, 0)) {
		xtf_error("cannot connect our VIF");
		return;
	}
	domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, (uint32_t)id);
	if (!wait_connected((uint32_t)id)) {
		xtf_failure("the peer never connected its VIF");
		return;
	}
	ask_all();
	broadcast();
	rules((uint32_t)id);
	serve();
	credit();
	measure();
	measure_kick((uint32_t)id);
	counters((uint32_t)id);
	make(frame, peer_mac, 64, K_EXIT, 0);
	net_send(&nf, frame, 64);
	CHECK(domain_wait_shutdown((uint32_t)id, 5000 * MS), "the peer did not finish");
	EXPECT_EQ(domain_verdict((uint32_t)id, log), 0);
	EXPECT_EQ(domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)id), 0);
	EXPECT_EQ(vif(XENO_DOM0_VIF_INFO, (uint16_t)id, NULL, 0, NULL), -XENO_ESRCH);
	EXPECT_EQ(vif(XENO_DOM0_VIF_DESTROY, 0, NULL, 0, NULL), 0);
	EXPECT_EQ(vif(XENO_DOM0_VIF_INFO, 0, NULL, 0, NULL), -XENO_ENODEV);
}

void test_main(void)
{
	events_unmask_all();
	local_irq_enable();
	if (!strcmp(start_info->cmd_line, "peer"))
		peer();
	else
		dom0();
}
