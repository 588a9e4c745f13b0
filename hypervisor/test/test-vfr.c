/* SPDX-License-Identifier: MIT */
/*
 * The virtual firewall-router (vfr.c) on the host: parsing of well-formed,
 * short and malformed frames (Ethernet, IPv4 with options and fragments,
 * ARP), the anti-spoofing check, each field of a rule alone, rule order and
 * hit counts, rule validation, and the table's insert and delete.
 */
#include <errno.h>
#include <string.h>
#include <vfr.h>

#include "harness.h"

uint32_t hypercall_work;

static const uint8_t MAC_A[6] = { 0x02, 0x58, 0, 1, 0, 0 };
static const uint8_t MAC_B[6] = { 0x02, 0x58, 0, 2, 0, 0 };
static const uint8_t MAC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
#define IP_A	0x0a000001u	/* 10.0.0.1 */
#define IP_B	0x0a000002u
#define IP_C	0xc0a80105u	/* 192.168.1.5 */

static const struct vfr_endpoint EP_A = { 1, 0 }, EP_A1 = { 1, 1 }, EP_B = { 2, 0 };
static const struct vfr_endpoint EP_PHYS = { XENO_VFR_PHYS, 0 };

/* ---- building frames ---- */
static uint8_t frame[1600];

static void put16(uint8_t *p, unsigned int v)
{
	p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16), put16(p + 2, v & 0xffff);
}

static void eth(const uint8_t *dst, const uint8_t *src, unsigned int type)
{
	memset(frame, 0, sizeof(frame));
	memcpy(frame, dst, 6);
	memcpy(frame + 6, src, 6);
	put16(frame + 12, type);
}

/*
 * IPv4 from src to dst with 'opts' bytes of options, protocol proto,
 * 'payload' bytes after the header, fragment offset 'frag' (8-byte units).
 * Returns the frame's length.
 */
static unsigned int ipv4(uint32_t src, uint32_t dst, unsigned int proto, unsigned int opts,
			 unsigned int payload, unsigned int frag)
{
	uint8_t *ip = frame + 14;
	unsigned int hlen = 20 + opts;

	eth(MAC_B, MAC_A, 0x0800);
	ip[0] = (uint8_t)(0x40 | hlen / 4);
	put16(ip + 2, hlen + payload);
	put16(ip + 6, frag);
	ip[8] = 64;
	ip[9] = (uint8_t)proto;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	memset(ip + 20, 1, opts);	/* NOPs */
	return 14 + hlen + payload;
}

/* TCP or UDP ports right after an IPv4 header of hlen bytes. */
static void ports(unsigned int hlen, unsigned int sport, unsigned int dport)
{
	put16(frame + 14 + hlen, sport);
	put16(frame + 14 + hlen + 2, dport);
}

static unsigned int arp(unsigned int op, const uint8_t *sha, uint32_t spa, uint32_t tpa)
{
	uint8_t *a = frame + 14;

	eth(MAC_BCAST, MAC_A, 0x0806);
	put16(a, 1), put16(a + 2, 0x0800);
	a[4] = 6, a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, sha, 6);
	put32(a + 14, spa);
	put32(a + 24, tpa);
	return 14 + 28;
}

static enum vfr_kind parse(unsigned int len, struct vfr_pkt *p)
{
	return vfr_parse(frame, len < VFR_HEADER_BYTES ? len : VFR_HEADER_BYTES, len, p);
}

/* ---- parsing ---- */

static void test_parse(void)
{
	struct vfr_pkt p;
	unsigned int len;

	eth(MAC_B, MAC_A, 0x86dd);
	for (unsigned int n = 0; n < 14; n++)
		CHECK_EQ(parse(n, &p), VFR_MALFORMED, "shorter than an Ethernet header");
	CHECK_EQ(parse(14, &p), VFR_OTHER, "a bare IPv6 Ethernet header");
	CHECK(!memcmp(p.src_mac, MAC_A, 6) && !memcmp(p.dst_mac, MAC_B, 6) &&
	      p.ethertype == 0x86dd, "Ethernet fields");

	len = ipv4(IP_A, IP_B, 1, 0, 0, 0);
	CHECK_EQ(len, 34, "a bare IPv4 header");
	CHECK_EQ(parse(34, &p), VFR_IPV4, "34 bytes of IPv4");
	CHECK(p.src_ip == IP_A && p.dst_ip == IP_B && p.ip_proto == 1 && !p.has_ports, "ICMP facts");
	for (unsigned int n = 14; n < 34; n++)
		CHECK_EQ(parse(n, &p), VFR_MALFORMED, "IPv4 cut short (< 34 bytes)");
	CHECK_EQ(parse(60, &p), VFR_IPV4, "Ethernet padding after the datagram");

	/* IP options: the ports follow the options. */
	len = ipv4(IP_A, IP_B, 6, 40, 20, 0);
	ports(60, 1234, 80);
	CHECK_EQ(parse(len, &p), VFR_IPV4, "TCP after 40 bytes of options");
	CHECK(p.has_ports && p.src_port == 1234 && p.dst_port == 80, "ports after options: %u %u",
	      p.src_port, p.dst_port);
	CHECK_EQ(vfr_parse(frame, 14 + 60 + 3, len, &p), VFR_MALFORMED, "ports not in the copy");

	len = ipv4(IP_A, IP_B, 17, 0, 8, 0);
	ports(20, 68, 67);
	CHECK_EQ(parse(len, &p), VFR_IPV4, "UDP");
	CHECK(p.has_ports && p.src_port == 68 && p.dst_port == 67, "UDP ports");

	static const struct { const char *what; unsigned int b0, total; } bad[] = {
		{ "version 6", 0x65, 28 }, { "IHL 4", 0x44, 28 }, { "IHL 0", 0x40, 28 },
		{ "total < header", 0x45, 19 }, { "total past the frame", 0x45, 29 },
		{ "IHL 15 past the frame", 0x4f, 28 },
	};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ipv4(IP_A, IP_B, 1, 0, 8, 0);
		frame[14] = (uint8_t)bad[i].b0;
		put16(frame + 16, bad[i].total);
		CHECK_EQ(parse(42, &p), VFR_MALFORMED, bad[i].what);
	}

	/* Fragments: a first TCP fragment must hold the ports; later ones have none. */
	len = ipv4(IP_A, IP_B, 6, 0, 3, 0x2000);	/* MF, offset 0, 3 bytes */
	CHECK_EQ(parse(len, &p), VFR_MALFORMED, "tiny first fragment hides the ports");
	len = ipv4(IP_A, IP_B, 6, 0, 3, 0x0001);	/* offset 8 bytes */
	CHECK_EQ(parse(len, &p), VFR_IPV4, "a later fragment");
	CHECK(!p.has_ports, "a later fragment has no ports");

	/* ARP */
	len = arp(1, MAC_A, IP_A, IP_B);
	CHECK_EQ(parse(len, &p), VFR_ARP, "ARP request");
	CHECK(p.arp_op == 1 && p.src_ip == IP_A && p.dst_ip == IP_B && !memcmp(p.arp_sha, MAC_A, 6),
	      "ARP facts");
	CHECK_EQ(parse(len - 1, &p), VFR_MALFORMED, "ARP cut short");
	frame[14 + 1] = 6;
	CHECK_EQ(parse(len, &p), VFR_MALFORMED, "ARP for another hardware type");
	arp(3, MAC_A, IP_A, IP_B);
	CHECK_EQ(parse(len, &p), VFR_MALFORMED, "ARP op 3");
	arp(2, MAC_A, IP_A, IP_B);
	frame[14 + 5] = 16;
	CHECK_EQ(parse(len, &p), VFR_MALFORMED, "ARP with 16-byte protocol addresses");
}

/* ---- anti-spoofing ---- */

static void test_source(void)
{
	static const struct {
		const char *what; int frame; const uint8_t *src_mac; uint32_t src_ip;
		unsigned int sport, dport; uint32_t vif_ip; bool ok;
	} t[] = {
		/* frame: 0 IPv4/UDP, 1 ARP request, 2 ARP reply, 3 IPv6, 4 malformed */
		{ "own MAC and IP", 0, MAC_A, IP_A, 1, 2, IP_A, true },
		{ "another MAC", 0, MAC_B, IP_A, 1, 2, IP_A, false },
		{ "another IP", 0, MAC_A, IP_B, 1, 2, IP_A, false },
		{ "any IP when none assigned", 0, MAC_A, IP_C, 1, 2, 0, true },
		{ "DHCP client from 0.0.0.0", 0, MAC_A, 0, 68, 67, IP_A, true },
		{ "0.0.0.0 to another port", 0, MAC_A, 0, 68, 68, IP_A, false },
		{ "ARP from own address", 1, MAC_A, IP_A, 0, 0, IP_A, true },
		{ "ARP claiming another address", 2, MAC_A, IP_B, 0, 0, IP_A, false },
		{ "ARP probe from 0.0.0.0", 1, MAC_A, 0, 0, 0, IP_A, true },
		{ "ARP reply from 0.0.0.0", 2, MAC_A, 0, 0, 0, IP_A, false },
		{ "ARP with another sender MAC", 1, MAC_B, IP_A, 0, 0, IP_A, false },
		{ "IPv6 from own MAC", 3, MAC_A, 0, 0, 0, IP_A, true },
		{ "IPv6 from another MAC", 3, MAC_B, 0, 0, 0, IP_A, false },
		{ "malformed", 4, MAC_A, IP_A, 0, 0, 0, false },
	};
	struct vfr_pkt p;

	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		unsigned int len;

		switch (t[i].frame) {
		case 0:
			len = ipv4(t[i].src_ip, IP_B, 17, 0, 8, 0);
			ports(20, t[i].sport, t[i].dport);
			break;
		case 1:
		case 2:
			len = arp(t[i].frame, t[i].src_mac, t[i].src_ip, IP_B);
			memcpy(frame + 6, MAC_A, 6);	/* the Ethernet source is ours */
			break;
		case 3:
			eth(MAC_B, MAC_A, 0x86dd);
			len = 60;
			break;
		default:
			len = ipv4(IP_A, IP_B, 17, 0, 8, 0) - 10;
			break;
		}
		if (t[i].frame != 1 && t[i].frame != 2)
			memcpy(frame + 6, t[i].src_mac, 6);
		parse(len, &p);
		CHECK_EQ(vfr_source_ok(&p, MAC_A, t[i].vif_ip), t[i].ok, t[i].what);
	}
}

/* ---- matching ---- */

static struct xeno_vfr_rule any_rule(uint8_t action)
{
	struct xeno_vfr_rule r;

	memset(&r, 0, sizeof(r));
	r.src_dom = r.src_handle = r.dst_dom = r.dst_handle = XENO_VFR_ANY;
	r.src_port_hi = r.dst_port_hi = 0xffff;
	r.action = action;
	return r;
}

/*
 * Rule tables below start from ANY_RULE (matches everything) and override
 * the fields under test; a later designated initializer wins (C11 6.7.9).
 */
#pragma GCC diagnostic ignored "-Woverride-init"
#define ANY_RULE	.src_dom = XENO_VFR_ANY, .src_handle = XENO_VFR_ANY,		\
			.dst_dom = XENO_VFR_ANY, .dst_handle = XENO_VFR_ANY,		\
			.src_port_hi = 0xffff, .dst_port_hi = 0xffff, .action = XENO_VFR_DROP
#define MAC(...)	{ __VA_ARGS__ }

/* Each field of a rule alone, against a TCP packet 10.0.0.1:1234 -> 10.0.0.2:80. */
static void test_fields(void)
{
	static const struct {
		const char *what; struct xeno_vfr_rule r; bool match;
	} t[] = {
		{ "the empty rule", { ANY_RULE }, true },
		{ "src = A's VIF", { ANY_RULE, .src_dom = 1, .src_handle = 0 }, true },
		{ "src = A's VIF 1", { ANY_RULE, .src_dom = 1, .src_handle = 1 }, false },
		{ "src = any VIF of A", { ANY_RULE, .src_dom = 1 }, true },
		{ "src = phys", { ANY_RULE, .src_dom = XENO_VFR_PHYS }, false },
		{ "dst = B", { ANY_RULE, .dst_dom = 2, .dst_handle = 0 }, true },
		{ "dst = phys", { ANY_RULE, .dst_dom = XENO_VFR_PHYS }, false },
		{ "src MAC A", { ANY_RULE, .match = XENO_VFR_M_SRC_MAC,
				 .src_mac = MAC(0x02, 0x58, 0, 1, 0, 0) }, true },
		{ "src MAC B", { ANY_RULE, .match = XENO_VFR_M_SRC_MAC,
				 .src_mac = MAC(0x02, 0x58, 0, 2, 0, 0) }, false },
		{ "dst MAC B", { ANY_RULE, .match = XENO_VFR_M_DST_MAC,
				 .dst_mac = MAC(0x02, 0x58, 0, 2, 0, 0) }, true },
		{ "dst MAC bcast", { ANY_RULE, .match = XENO_VFR_M_DST_MAC,
				     .dst_mac = MAC(0xff, 0xff, 0xff, 0xff, 0xff, 0xff) }, false },
		{ "proto ip", { ANY_RULE, .proto = XENO_VFR_PROTO_IP }, true },
		{ "proto tcp", { ANY_RULE, .proto = XENO_VFR_PROTO_TCP }, true },
		{ "proto udp", { ANY_RULE, .proto = XENO_VFR_PROTO_UDP }, false },
		{ "proto icmp", { ANY_RULE, .proto = XENO_VFR_PROTO_ICMP }, false },
		{ "proto arp", { ANY_RULE, .proto = XENO_VFR_PROTO_ARP }, false },
		{ "proto other", { ANY_RULE, .proto = XENO_VFR_PROTO_OTHER }, false },
		{ "src 10.0.0.1/32", { ANY_RULE, .src_ip = IP_A, .src_mask = ~0u }, true },
		{ "src 10.0.0.2/32", { ANY_RULE, .src_ip = IP_B, .src_mask = ~0u }, false },
		{ "src 10.0.0.0/8", { ANY_RULE, .src_ip = 0x0a000000, .src_mask = 0xff000000 }, true },
		{ "src 10.0.0.0/31", { ANY_RULE, .src_ip = 0x0a000000, .src_mask = 0xfffffffe }, true },
		{ "src 10.0.0.2/31", { ANY_RULE, .src_ip = IP_B, .src_mask = 0xfffffffe }, false },
		{ "dst 10.0.0.2/32", { ANY_RULE, .dst_ip = IP_B, .dst_mask = ~0u }, true },
		{ "dst 192.168.0.0/16", { ANY_RULE, .dst_ip = 0xc0a80000, .dst_mask = 0xffff0000 },
		  false },
		{ "dst port 80", { ANY_RULE, .dst_port_lo = 80, .dst_port_hi = 80 }, true },
		{ "dst port 79-80", { ANY_RULE, .dst_port_lo = 79, .dst_port_hi = 80 }, true },
		{ "dst port 80-81", { ANY_RULE, .dst_port_lo = 80, .dst_port_hi = 81 }, true },
		{ "dst port 81-65535", { ANY_RULE, .dst_port_lo = 81 }, false },
		{ "dst port 0-79", { ANY_RULE, .dst_port_hi = 79 }, false },
		{ "src port 1234", { ANY_RULE, .src_port_lo = 1234, .src_port_hi = 1234 }, true },
		{ "src port 1-1233", { ANY_RULE, .src_port_lo = 1, .src_port_hi = 1233 }, false },
		{ "src port 1235-2000", { ANY_RULE, .src_port_lo = 1235, .src_port_hi = 2000 }, false },
	};
	struct vfr_pkt p;

	ipv4(IP_A, IP_B, 6, 0, 20, 0);
	ports(20, 1234, 80);
	parse(54, &p);
	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CHECK_EQ(vfr_check_rule(&t[i].r), 0, t[i].what);
		CHECK_EQ(vfr_rule_matches(&t[i].r, &p, EP_A, EP_B), t[i].match, t[i].what);
	}
}

/* Fields a packet may lack: ports on ICMP, addresses on IPv6; ARP's addresses. */
static void test_absent_fields(void)
{
	struct xeno_vfr_rule r = any_rule(XENO_VFR_DROP);
	struct vfr_pkt icmp, v6, a;

	ipv4(IP_A, IP_B, 1, 0, 8, 0);
	parse(42, &icmp);
	eth(MAC_B, MAC_A, 0x86dd);
	parse(60, &v6);
	arp(1, MAC_A, IP_A, IP_B);
	parse(42, &a);
	r.dst_port_lo = r.dst_port_hi = 80;
	CHECK(!vfr_rule_matches(&r, &icmp, EP_A, EP_B), "a port rule does not match ICMP");
	r = any_rule(XENO_VFR_DROP);
	r.dst_ip = IP_B, r.dst_mask = ~0u;
	CHECK(!vfr_rule_matches(&r, &v6, EP_A, EP_B), "an address rule does not match IPv6");
	CHECK(vfr_rule_matches(&r, &a, EP_A, EP_B), "an address rule matches ARP's target");
	r.dst_ip = IP_A;
	CHECK(!vfr_rule_matches(&r, &a, EP_A, EP_B), "... and not another address");
	r = any_rule(XENO_VFR_DROP);
	r.proto = XENO_VFR_PROTO_OTHER;
	CHECK(vfr_rule_matches(&r, &v6, EP_A, EP_B) && !vfr_rule_matches(&r, &a, EP_A, EP_B) &&
	      !vfr_rule_matches(&r, &icmp, EP_A, EP_B), "proto other: only non-IPv4, non-ARP");
	r = any_rule(XENO_VFR_DROP);
	r.src_dom = XENO_VFR_PHYS;
	CHECK(vfr_rule_matches(&r, &v6, EP_PHYS, EP_A), "from phys");
	r.src_dom = 1;
	CHECK(vfr_rule_matches(&r, &v6, EP_A1, EP_B), "any VIF of domain 1 (handle 1)");
}

/* Order: first match wins, hits counted on it alone; none: accept; malformed: drop. */
static void test_order(void)
{
	struct xeno_vfr_rule r, got;
	struct vfr_pkt tcp, udp, bad;
	uint32_t where;

	while (vfr_count())
		vfr_del(0);
	ipv4(IP_A, IP_B, 6, 0, 20, 0);
	ports(20, 1234, 22);
	parse(54, &tcp);
	ipv4(IP_A, IP_B, 17, 0, 8, 0);
	ports(20, 1234, 53);
	parse(42, &udp);
	parse(20, &bad);
	CHECK_EQ(vfr_decide(&tcp, EP_A, EP_B), XENO_VFR_ACCEPT, "empty table: accept");
	CHECK_EQ(vfr_decide(&bad, EP_A, EP_B), XENO_VFR_DROP, "malformed: drop");

	r = any_rule(XENO_VFR_DROP);			/* 0: drop tcp to port 22 */
	r.proto = XENO_VFR_PROTO_TCP, r.dst_port_lo = r.dst_port_hi = 22;
	CHECK_EQ(vfr_add(0, &r, &where), 0, "add");
	r = any_rule(XENO_VFR_ACCEPT);			/* 1: accept all IP */
	r.proto = XENO_VFR_PROTO_IP;
	CHECK_EQ(vfr_add(99, &r, &where), 0, "append");
	CHECK_EQ(where, 1, "appended at the end");
	r = any_rule(XENO_VFR_DROP);			/* 2: drop everything */
	CHECK_EQ(vfr_add(2, &r, &where), 0, "append at count");
	CHECK_EQ(vfr_decide(&tcp, EP_A, EP_B), XENO_VFR_DROP, "ssh: the first rule drops it");
	CHECK_EQ(vfr_decide(&udp, EP_A, EP_B), XENO_VFR_ACCEPT, "dns: the second accepts it");
	arp(1, MAC_A, IP_A, IP_B);
	parse(42, &bad);
	CHECK_EQ(vfr_decide(&bad, EP_A, EP_B), XENO_VFR_DROP, "arp: only the last matches");
	for (unsigned int i = 0; i < 3; i++) {
		CHECK_EQ(vfr_get(i, &got), 0, "get");
		CHECK_EQ(got.hits, 1, "each rule decided one packet");
	}
	/* A rule inserted first takes precedence; the others keep their hits. */
	r = any_rule(XENO_VFR_ACCEPT);
	r.src_dom = 1, r.src_handle = 0;
	CHECK_EQ(vfr_add(0, &r, &where), 0, "insert first");
	CHECK_EQ(where, 0, "at 0");
	CHECK_EQ(vfr_decide(&tcp, EP_A, EP_B), XENO_VFR_ACCEPT, "now accepted from A");
	CHECK_EQ(vfr_decide(&tcp, EP_B, EP_A), XENO_VFR_DROP, "still dropped from B");
	CHECK(vfr_get(1, &got) == 0 && got.hits == 2 && got.proto == XENO_VFR_PROTO_TCP,
	      "the ssh rule moved to 1 with its hits");
	CHECK_EQ(vfr_del(0), 0, "delete");
	CHECK_EQ(vfr_del(3), -ENOENT, "delete past the end");
	CHECK_EQ(vfr_get(3, &got), -ENOENT, "get past the end");
	CHECK_EQ(vfr_count(), 3, "three left");
	while (vfr_count())
		vfr_del(0);
	r = any_rule(XENO_VFR_ACCEPT);
	for (unsigned int i = 0; i < VFR_MAX_RULES; i++)
		vfr_add(i, &r, &where);
	CHECK_EQ(vfr_add(0, &r, &where), -ENOSPC, "the table is full");
	while (vfr_count())
		vfr_del(0);
}

static void test_check_rule(void)
{
	static const struct {
		const char *what; struct xeno_vfr_rule r; int rc;
	} t[] = {
		{ "good", { ANY_RULE }, 0 },
		{ "action 0", { ANY_RULE, .action = 0 }, -EINVAL },
		{ "action 3", { ANY_RULE, .action = 3 }, -EINVAL },
		{ "proto 7", { ANY_RULE, .proto = 7 }, -EINVAL },
		{ "unknown match bit", { ANY_RULE, .match = 4 }, -EINVAL },
		{ "address outside its mask", { ANY_RULE, .src_ip = 0x0a000001,
						.src_mask = 0xff000000 }, -EINVAL },
		{ "dst address without a mask", { ANY_RULE, .dst_ip = 1 }, -EINVAL },
		{ "src ports reversed", { ANY_RULE, .src_port_lo = 10, .src_port_hi = 9 }, -EINVAL },
		{ "dst ports reversed", { ANY_RULE, .dst_port_lo = 2, .dst_port_hi = 1 }, -EINVAL },
		{ "ports on ICMP", { ANY_RULE, .proto = XENO_VFR_PROTO_ICMP, .dst_port_hi = 80 },
		  -EINVAL },
		{ "ports on ARP", { ANY_RULE, .proto = XENO_VFR_PROTO_ARP, .src_port_lo = 5 },
		  -EINVAL },
		{ "ports on UDP", { ANY_RULE, .proto = XENO_VFR_PROTO_UDP, .src_port_lo = 5 }, 0 },
		{ "phys with a handle", { ANY_RULE, .src_dom = XENO_VFR_PHYS, .src_handle = 0 },
		  -EINVAL },
		{ "any with a handle", { ANY_RULE, .dst_handle = 3 }, -EINVAL },
		{ "a domain's VIF 3", { ANY_RULE, .dst_dom = 7, .dst_handle = 3 }, 0 },
	};

	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint32_t where;

		CHECK_EQ(vfr_check_rule(&t[i].r), t[i].rc, t[i].what);
		CHECK_EQ(vfr_add(0, &t[i].r, &where), t[i].rc, t[i].what);
		if (!t[i].rc)
			vfr_del(0);
	}
	CHECK_EQ(vfr_count(), 0, "refused rules were not added");
}

int main(void)
{
	test_parse();
	test_source();
	test_fields();
	test_absent_fields();
	test_order();
	test_check_rule();
	return test_report("vfr");
}
