/* SPDX-License-Identifier: MIT */
/*
 * net-spoof: the switch's anti-spoofing.  Domain0 (10.0.0.1) gives a victim
 * domU (10.0.0.2) and an attacker domU (10.0.0.3) a VIF each, with those
 * addresses.  The attacker sends as the victim (its MAC, its IP, an ARP
 * reply claiming its address, an ARP naming its MAC), as Domain0 towards
 * the victim, from a made-up MAC, and a malformed IPv4 header: each must be
 * answered DROPPED and counted (VIF_INFO tx_spoofed), and neither Domain0
 * nor the victim may see any of it.  Then it sends honestly to both, which
 * must arrive.  (Domain0's VIFs are trusted and not checked.)
 */
#include <net.h>

const char test_title[] = "net-spoof: a domU cannot send as another";

#define MS		1000000ull
#define IP_D0		0x0a000001u
#define IP_VICTIM	0x0a000002u
#define IP_ATTACKER	0x0a000003u
#define ETHERTYPE_TEST	0x88b5
#define MARK_SPOOF	'S'
#define MARK_HONEST	'H'
#define MARK_REPORT	'R'
#define NR_SPOOFS	9
#define NR_HONEST	3	/* to Domain0, to the victim, an ARP request to both */

static struct netfront nf;
static uint8_t frame[1600], got[1600];
static uint8_t d0_mac[ETH_ALEN] = { 0x02, 0x58, 0, 0, 0, 0 };
static uint8_t victim_mac[ETH_ALEN] = { 0x02, 0x58, 0, 0, 0, 0 };

/* A raw test frame: one marker byte after the Ethernet header. */
static unsigned int raw(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint8_t mark)
{
	memcpy(f, dst, ETH_ALEN);
	memcpy(f + ETH_ALEN, src, ETH_ALEN);
	net_put16(f + 12, ETHERTYPE_TEST);
	memset(f + ETH_HLEN, mark, 46);
	return ETH_HLEN + 46;
}

static unsigned int udp(uint8_t *f, const uint8_t *dst, uint32_t src_ip, uint32_t dst_ip,
			uint8_t mark)
{
	uint8_t data[32];

	memset(data, mark, sizeof(data));
	return net_build_udp(f, dst, nf.mac, src_ip, dst_ip, 5000, 5001, data, sizeof(data));
}

/* Would this frame be something we must never see? */
static bool is_spoof(const uint8_t *f, int len)
{
	if (len >= ETH_HLEN + 1 && net_be16(f + 12) == ETHERTYPE_TEST)
		return f[ETH_HLEN] == MARK_SPOOF;
	if (len >= UDP_PAYLOAD_OFF + 1 && net_be16(f + 12) == ETHERTYPE_IPV4)
		return f[UDP_PAYLOAD_OFF] == MARK_SPOOF || net_be32(f + ETH_HLEN + 12) != IP_ATTACKER;
	if (len >= ARP_FRAME_LEN && net_be16(f + 12) == ETHERTYPE_ARP)
		return net_be32(f + ETH_HLEN + 14) != IP_ATTACKER ||
		       memcmp(f + ETH_HLEN + 8, f + ETH_ALEN, ETH_ALEN);
	return true;
}

/* ---- the attacker ---- */

static void send_expect(unsigned int len, int want, const char *what)
{
	int id = net_send(&nf, frame, len);
	int st = id < 0 ? -100 : net_tx_wait(&nf, id, 1000 * MS);

	CHECK(st == want, "%s: status %d, expected %d", what, st, want);
}

static void attacker(void)
{
	static const uint8_t made_up[ETH_ALEN] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t zero[ETH_ALEN];
	int drop = XENO_NETIF_RSP_DROPPED, ok = XENO_NETIF_RSP_OKAY;
	unsigned int len;

	if (net_connect(&nf, 0)) {
		xtf_error("attacker: cannot connect");
		return;
	}
	send_expect(raw(frame, d0_mac, victim_mac, MARK_SPOOF), drop, "the victim's MAC");
	send_expect(raw(frame, victim_mac, d0_mac, MARK_SPOOF), drop, "Domain0's MAC");
	send_expect(raw(frame, net_broadcast, made_up, MARK_SPOOF), drop, "a made-up MAC");
	send_expect(udp(frame, d0_mac, IP_VICTIM, IP_D0, MARK_SPOOF), drop, "the victim's IP");
	send_expect(udp(frame, victim_mac, IP_D0, IP_VICTIM, MARK_SPOOF), drop, "Domain0's IP");
	send_expect(net_build_arp(frame, net_broadcast, nf.mac, 2, nf.mac, IP_VICTIM, zero, IP_D0),
		    drop, "an ARP reply claiming the victim's address");
	send_expect(net_build_arp(frame, net_broadcast, nf.mac, 1, victim_mac, IP_ATTACKER, zero,
				  IP_D0), drop, "an ARP naming the victim's MAC");
	len = udp(frame, victim_mac, IP_ATTACKER, IP_VICTIM, MARK_SPOOF);
	frame[ETH_HLEN] = 0x4f;			/* IHL 15: past the datagram */
	send_expect(len, drop, "a malformed IPv4 header");
	send_expect(udp(frame, victim_mac, 0, IP_VICTIM, MARK_SPOOF), drop,
		    "0.0.0.0, not to the DHCP port");
	send_expect(udp(frame, d0_mac, IP_ATTACKER, IP_D0, MARK_HONEST), ok, "honest, to Domain0");
	send_expect(udp(frame, victim_mac, IP_ATTACKER, IP_VICTIM, MARK_HONEST), ok,
		    "honest, to the victim");
	send_expect(net_build_arp(frame, net_broadcast, nf.mac, 1, nf.mac, IP_ATTACKER, zero,
				  IP_D0), ok, "an honest ARP request");
}

/* ---- the victim ---- */

static void victim(void)
{
	unsigned int honest = 0, spoofed = 0;

	if (net_connect(&nf, 0)) {
		xtf_error("victim: cannot connect");
		return;
	}
	for (;;) {
		int len = net_recv(&nf, got, sizeof(got), 20000 * MS);

		if (len <= 0) {
			xtf_failure("victim: no report request (%d)", len);
			return;
		}
		if (len >= ETH_HLEN + 1 && net_be16(got + 12) == ETHERTYPE_TEST &&
		    got[ETH_HLEN] == MARK_REPORT)
			break;
		if (is_spoof(got, len))
			spoofed++;
		else
			honest++;
	}
	printf("victim: %u honest frames, %u spoofed\n", honest, spoofed);
	CHECK(spoofed == 0, "victim: %u spoofed frames reached us", spoofed);
	CHECK(honest == 2, "victim: %u honest frames, expected 2", honest);
}

/* ---- Domain0 ---- */

static long start(const char *cmd, uint32_t ip)
{
	long id = domain_create_initrd(cmd, 4096);

	if (id <= 0)
		return id;
	if (net_vif_op(XENO_DOM0_VIF_CREATE, (uint16_t)id, 0, NULL, ip, NULL))
		return -1;
	domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, (uint32_t)id);
	return id;
}

static bool connected(long id)
{
	struct xeno_dom0_vif info;
	uint64_t end = now_ns() + 5000 * MS;

	while (now_ns() < end) {
		if (!net_vif_op(XENO_DOM0_VIF_INFO, (uint16_t)id, 0, NULL, 0, &info) &&
		    (info.flags & XENO_VIF_F_CONNECTED))
			return true;
		sleep_ns(MS);
	}
	return false;
}

static void dom0(void)
{
	struct xeno_dom0_vif a, v;
	unsigned int honest = 0, spoofed = 0;
	uint32_t log = console_log_end();
	long vid, aid;
	char cmd[32];
	int len;

	EXPECT_EQ(net_vif_op(XENO_DOM0_VIF_CREATE, 0, 0, NULL, IP_D0, NULL), 0);
	if (net_connect(&nf, 0)) {
		xtf_error("cannot connect our VIF");
		return;
	}
	vid = start("victim", IP_VICTIM);
	if (vid <= 0 || !connected(vid)) {
		xtf_error("the victim did not come up (%ld)", vid);
		return;
	}
	victim_mac[3] = (uint8_t)vid;
	snprintf(cmd, sizeof(cmd), "attacker %ld", vid);
	aid = start(cmd, IP_ATTACKER);
	if (aid <= 0) {
		xtf_error("cannot start the attacker (%ld)", aid);
		return;
	}
	CHECK(domain_wait_shutdown((uint32_t)aid, 10000 * MS), "the attacker did not finish");
	EXPECT_EQ(domain_verdict((uint32_t)aid, log), 0);
	while ((len = net_recv(&nf, got, sizeof(got), 200 * MS)) > 0)
		*(is_spoof(got, len) ? &spoofed : &honest) += 1;
	CHECK(spoofed == 0, "%u spoofed frames reached Domain0", spoofed);
	CHECK(honest == 2, "Domain0 got %u honest frames, expected 2", honest);
	EXPECT_EQ(net_vif_op(XENO_DOM0_VIF_INFO, (uint16_t)aid, 0, NULL, 0, &a), 0);
	EXPECT_EQ(net_vif_op(XENO_DOM0_VIF_INFO, (uint16_t)vid, 0, NULL, 0, &v), 0);
	printf("net-spoof: attacker sent %u, %u spoofed; victim received %u\n",
	       (uint32_t)a.tx_packets, a.tx_spoofed, (uint32_t)v.rx_packets);
	EXPECT_EQ(a.tx_spoofed, NR_SPOOFS);
	EXPECT_EQ(a.tx_packets, NR_HONEST);
	EXPECT_EQ(v.rx_packets, 2);
	net_send(&nf, frame, raw(frame, victim_mac, nf.mac, MARK_REPORT));
	CHECK(domain_wait_shutdown((uint32_t)vid, 5000 * MS), "the victim did not finish");
	EXPECT_EQ(domain_verdict((uint32_t)vid, log), 0);
	domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)aid);
	domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)vid);
}

void test_main(void)
{
	const char *cmd = start_info->cmd_line;

	events_unmask_all();
	local_irq_enable();
	if (!strcmp(cmd, "victim")) {
		victim();
	} else if (!strncmp(cmd, "attacker ", 9)) {
		victim_mac[3] = (uint8_t)(cmd[9] - '0');	/* the victim's domain id */
		attacker();
	} else {
		dom0();
	}
}
