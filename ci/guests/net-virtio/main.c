/* SPDX-License-Identifier: MIT */
/*
 * net-virtio: the physical NIC both ways, on QEMU's legacy virtio-net with
 * its user network (restrict=on: nothing leaves the emulator; it answers
 * DHCP, ARP and ping for 10.0.2.x).  Domain0 has VIF 0 bridged to the NIC
 * with the NIC's MAC: it gets a DHCP offer, resolves the gateway with ARP
 * and pings it with every frame size; a domU with a VIF of its own (its own
 * MAC, through the switch's uplink) gets its own offer.  Domain0 prints
 * the round-trip time to the gateway and the rate it can send at.
 */
#include <net.h>

const char test_title[] = "net-virtio: DHCP, ARP and ping through the virtio-net NIC";

#define MS		1000000ull
#define GATEWAY		0x0a000202u	/* 10.0.2.2, QEMU's user network */
#define DHCP_LEN	300		/* a BOOTP message with its options */
#define DHCP_XID	0x58454e4fu
#define DHCP_MAGIC	0x63825363u
#define DHCP_OPT_TYPE	53
#define DHCP_DISCOVER	1
#define DHCP_OFFER	2
#define BOOTP_REQUEST	1
#define BOOTP_REPLY	2
#define OFF_YIADDR	16
#define OFF_CHADDR	28
#define OFF_MAGIC	236
#define OFF_OPTIONS	240
#define ICMP_ECHO_REPLY	0

static struct netfront nf;
static uint8_t frame[1600], got[1600];
static uint8_t gateway_mac[ETH_ALEN];

/* DHCPDISCOVER from 0.0.0.0:68 to everyone:67. */
static unsigned int dhcp_discover(uint8_t *f)
{
	uint8_t msg[DHCP_LEN];

	memset(msg, 0, sizeof(msg));
	msg[0] = BOOTP_REQUEST, msg[1] = 1, msg[2] = ETH_ALEN;
	net_put32(msg + 4, DHCP_XID);
	net_put16(msg + 10, 0x8000);		/* answer by broadcast */
	memcpy(msg + OFF_CHADDR, nf.mac, ETH_ALEN);
	net_put32(msg + OFF_MAGIC, DHCP_MAGIC);
	msg[OFF_OPTIONS] = DHCP_OPT_TYPE, msg[OFF_OPTIONS + 1] = 1;
	msg[OFF_OPTIONS + 2] = DHCP_DISCOVER;
	msg[OFF_OPTIONS + 3] = 255;		/* end */
	return net_build_udp(f, net_broadcast, nf.mac, 0, 0xffffffffu, 68, 67, msg, sizeof(msg));
}

/* Is this our DHCPOFFER?  Then the address offered. */
static uint32_t dhcp_offer(const uint8_t *f, int len)
{
	const uint8_t *m = f + UDP_PAYLOAD_OFF;

	if (len < UDP_PAYLOAD_OFF + OFF_OPTIONS + 3 || net_be16(f + 12) != ETHERTYPE_IPV4 ||
	    f[ETH_HLEN + 9] != IPPROTO_UDP || net_be16(f + ETH_HLEN + IP_HLEN + 2) != 68)
		return 0;
	if (m[0] != BOOTP_REPLY || net_be32(m + 4) != DHCP_XID ||
	    memcmp(m + OFF_CHADDR, nf.mac, ETH_ALEN) || net_be32(m + OFF_MAGIC) != DHCP_MAGIC)
		return 0;
	for (unsigned int i = OFF_OPTIONS; i + 2 < (unsigned int)len - UDP_PAYLOAD_OFF &&
	     m[i] != 255; i += m[i] ? 2u + m[i + 1] : 1u)
		if (m[i] == DHCP_OPT_TYPE)
			return m[i + 2] == DHCP_OFFER ? net_be32(m + OFF_YIADDR) : 0;
	return 0;
}

/* Ask by DHCP until an offer comes (3 tries): the address, or 0. */
static uint32_t dhcp(void)
{
	for (unsigned int try = 0; try < 3; try++) {
		uint64_t end = now_ns() + 1000 * MS;

		net_send(&nf, frame, dhcp_discover(frame));
		while (now_ns() < end) {
			int len = net_recv(&nf, got, sizeof(got), end - now_ns());
			uint32_t ip = len > 0 ? dhcp_offer(got, len) : 0;

			if (ip)
				return ip;
		}
	}
	return 0;
}

/* The gateway's MAC by ARP, asked from 'ip'. */
static bool arp_gateway(uint32_t ip)
{
	static const uint8_t zero[ETH_ALEN];
	uint64_t end = now_ns() + 2000 * MS;

	net_send(&nf, frame, net_build_arp(frame, net_broadcast, nf.mac, 1, nf.mac, ip, zero,
					   GATEWAY));
	while (now_ns() < end) {
		int len = net_recv(&nf, got, sizeof(got), end - now_ns());

		if (len >= ARP_FRAME_LEN && net_be16(got + 12) == ETHERTYPE_ARP &&
		    net_be16(got + ETH_HLEN + 6) == 2 && net_be32(got + ETH_HLEN + 14) == GATEWAY) {
			memcpy(gateway_mac, got + ETH_HLEN + 8, ETH_ALEN);
			return true;
		}
	}
	return false;
}

/* One ping of 'payload' bytes: true if the reply came back intact. */
static bool ping(uint32_t ip, uint16_t seq, unsigned int payload)
{
	unsigned int n = net_build_ping(frame, gateway_mac, nf.mac, ip, GATEWAY, 0x58, seq, payload);
	uint64_t end = now_ns() + 1000 * MS;

	net_send(&nf, frame, n);
	while (now_ns() < end) {
		int len = net_recv(&nf, got, sizeof(got), end - now_ns());
		const uint8_t *icmp = got + ETH_HLEN + IP_HLEN;

		if (len < (int)n || net_be16(got + 12) != ETHERTYPE_IPV4 ||
		    got[ETH_HLEN + 9] != IPPROTO_ICMP || icmp[0] != ICMP_ECHO_REPLY ||
		    net_be16(icmp + 6) != seq)
			continue;
		return !memcmp(icmp + 8, frame + ETH_HLEN + IP_HLEN + 8, payload) &&
		       net_ip_checksum(icmp, 8 + payload) == 0;
	}
	return false;
}

/* ---- the domU ---- */

static void domu(void)
{
	uint32_t ip;

	if (net_connect(&nf, 0)) {
		xtf_error("domU: cannot connect VIF 0");
		return;
	}
	ip = dhcp();
	CHECK(ip, "domU: no DHCP offer through the uplink");
	printf("domU: offered %u.%u.%u.%u\n", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff,
	       ip & 0xff);
	CHECK(arp_gateway(ip), "domU: no ARP reply from the gateway");
	CHECK(ping(ip, 1, 100), "domU: no reply to a ping");
}

/* ---- Domain0 ---- */

static void nic_info(struct xeno_dom0_pnicinfo *p)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_PNICINFO };

	op.u.pnicinfo.index = 0;
	EXPECT_EQ(dom0_op(&op), 0);
	*p = op.u.pnicinfo;
	op.u.pnicinfo.index = 1;
	EXPECT_EQ(dom0_op(&op), -XENO_ENXIO);
}

/* Send n UDP frames of 1514 bytes to the gateway's discard port: ns taken. */
static uint64_t blast(uint32_t ip, unsigned int n)
{
	static uint8_t data[1472];
	uint64_t start = now_ns();
	unsigned int len = net_build_udp(frame, gateway_mac, nf.mac, ip, GATEWAY, 9, 9, data,
					 sizeof(data));
	int last = -1;

	for (unsigned int i = 0; i < n; i++)
		last = net_send(&nf, frame, len);
	if (last < 0 || net_tx_wait(&nf, last, 2000 * MS) != XENO_NETIF_RSP_OKAY)
		xtf_failure("blast: a send failed");
	return now_ns() - start;
}

/*
 * A burst: 48 pings of 1514-byte frames sent back to back, then every reply
 * collected (the NIC delivers them faster than one interrupt's batch).
 */
static void burst(uint32_t ip)
{
	static bool seen[48];
	unsigned int replies = 0;
	uint64_t end;

	memset(seen, 0, sizeof(seen));
	for (unsigned int i = 0; i < 48; i++)
		net_send(&nf, frame, net_build_ping(frame, gateway_mac, nf.mac, ip, GATEWAY, 0x59,
						    (uint16_t)(3000 + i), 1472));
	for (end = now_ns() + 3000 * MS; replies < 48 && now_ns() < end;) {
		int len = net_recv(&nf, got, sizeof(got), end - now_ns());
		const uint8_t *icmp = got + ETH_HLEN + IP_HLEN;
		unsigned int seq = net_be16(icmp + 6) - 3000u;

		if (len == 1514 && icmp[0] == ICMP_ECHO_REPLY && seq < 48 && !seen[seq] &&
		    net_ip_checksum(icmp, 8 + 1472) == 0) {
			seen[seq] = true;
			replies++;
		}
	}
	CHECK(replies == 48, "a burst of 48 pings: %u good replies", replies);
}

/*
 * The hypervisor's own share: the time of one kick that hands 16 queued
 * 1514-byte frames to the NIC (best of 20 rounds; the NIC reads them
 * after the kick returns).
 */
static void measure_kick(uint32_t ip)
{
	static uint8_t data[1472];
	struct xeno_evtchn_port send = { nf.port };
	uint64_t best = ~0ull;
	unsigned int len = 0;

	for (unsigned int round = 0; round < 20; round++) {
		uint64_t t0;

		for (unsigned int i = 0; i < 16; i++) {
			net_tx_wait(&nf, (int)i, 1000 * MS);
			len = net_build_udp(nf.txbuf[i], gateway_mac, nf.mac, ip, GATEWAY, 9, 9, data,
					    sizeof(data));
			nf.tx_status[i] = NET_STATUS_NONE;
			net_queue_tx(&nf, (uint16_t)i, virt_to_mfn(nf.txbuf[i]), 0, len);
		}
		xeno_ring_push_requests(&nf.tx);
		t0 = now_ns();
		evtchn_op(XENO_EVTCHNOP_send, &send);
		if (now_ns() - t0 < best)
			best = now_ns() - t0;
	}
	for (unsigned int i = 0; i < 16; i++)
		CHECK(net_tx_wait(&nf, (int)i, 1000 * MS) == XENO_NETIF_RSP_OKAY, "kick: not sent");
	printf("net-virtio: a kick of 16 frames of %u bytes to the NIC: %u ns a frame\n", len,
	       (uint32_t)(best / 16));
}

static void measure(uint32_t ip)
{
	uint64_t start = now_ns(), ns;
	unsigned int n = 300;

	for (unsigned int i = 0; i < n; i++)
		if (!ping(ip, (uint16_t)(1000 + i), 56))
			return;
	ns = now_ns() - start;
	printf("net-virtio: %u pings of 98-byte frames: %u us each\n", n,
	       (uint32_t)(ns / n / 1000));
	start = now_ns();
	for (unsigned int i = 0; i < n; i++)
		if (!ping(ip, (uint16_t)(2000 + i), 1472))
			return;
	ns = now_ns() - start;
	printf("net-virtio: %u pings of 1514-byte frames: %u us each, %u kB/s each way\n", n,
	       (uint32_t)(ns / n / 1000), (uint32_t)(n * 1514ull * 1000000ull / ns));
	n = 3000;
	ns = blast(ip, n);
	printf("net-virtio: %u frames of 1514 bytes sent: %u frames/s, %u kB/s\n", n,
	       (uint32_t)(n * 1000000000ull / ns), (uint32_t)(n * 1514ull * 1000000ull / ns));
	measure_kick(ip);
}

/* Debug key 'n' shows the NIC, our VIF and the (empty) rule table. */
static void debug_key_n(void)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_DEBUGKEY };
	uint32_t log = console_log_end();

	op.u.debugkey.key = 'n';
	EXPECT_EQ(dom0_op(&op), 0);
	CHECK(console_log_find(log, "pnic 0 virtio-net0 (uplink): tx ", NULL, 0) &&
	      console_log_find(log, "  d0.0 52:54:00:12:34:56 ip 00000000 trusted connected", NULL,
			       0) &&
	      console_log_find(log, "vfr: 0 rules", NULL, 0), "debug key 'n': not as expected");
}

static void dom0(void)
{
	struct xeno_dom0_pnicinfo p0, p1;
	uint32_t log, ip;
	long id;

	nic_info(&p0);
	CHECK(p0.flags & XENO_PNIC_F_UPLINK, "NIC 0 is not the uplink");
	if (net_connect(&nf, 0)) {
		xtf_error("no VIF 0 bridged to the NIC (is there one?)");
		return;
	}
	CHECK(!memcmp(nf.mac, p0.mac, ETH_ALEN), "VIF 0 does not have the NIC's MAC");
	ip = dhcp();
	if (!ip) {
		xtf_failure("no DHCP offer from QEMU's user network");
		return;
	}
	printf("net-virtio: offered %u.%u.%u.%u\n", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff,
	       ip & 0xff);
	CHECK(arp_gateway(ip), "no ARP reply from the gateway");
	for (unsigned int s = 0; s <= 1472; s += s < 64 ? 1 : 37)
		CHECK(ping(ip, (uint16_t)s, s), "no good reply to a ping of %u bytes", s);
	CHECK(ping(ip, 1472, 1472), "no good reply to a ping of 1472 bytes");
	burst(ip);
	measure(ip);

	log = console_log_end();
	id = domain_create_initrd("domu", 4096);
	if (id <= 0) {
		xtf_error("cannot create the domU: %ld", id);
		return;
	}
	EXPECT_EQ(net_vif_op(XENO_DOM0_VIF_CREATE, (uint16_t)id, 0, NULL, 0, NULL), 0);
	domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, (uint32_t)id);
	CHECK(domain_wait_shutdown((uint32_t)id, 10000 * MS), "the domU did not finish");
	EXPECT_EQ(domain_verdict((uint32_t)id, log), 0);
	domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)id);
	nic_info(&p1);
	printf("net-virtio: NIC sent %u frames, received %u (%u dropped, %u errors)\n",
	       (uint32_t)p1.tx_packets, (uint32_t)p1.rx_packets, p1.rx_dropped, p1.rx_errors);
	CHECK(p1.tx_packets > 3000 && p1.rx_packets > 600 && p1.tx_errors == 0 && p1.rx_errors == 0,
	      "NIC counters");
	debug_key_n();
}

void test_main(void)
{
	events_unmask_all();
	local_irq_enable();
	if (!strcmp(start_info->cmd_line, "domu"))
		domu();
	else
		dom0();
}
