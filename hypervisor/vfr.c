/* SPDX-License-Identifier: MIT */
/*
 * The virtual firewall-router (vfr.h, abi.md 10.4): packet facts, the rule
 * table, and anti-spoofing.
 *
 * Invariants: the table holds nr_rules rules in order, each accepted by
 * vfr_check_rule() when it was added; a rule's hit count travels with it.
 * The parser reads only the header copy it is given, never guest memory
 * (the guest could change a frame between the check and the send), and
 * only within hdr_len; every field it reports was inside the frame.  A
 * packet that claims to be ARP or IPv4 and is not well-formed is
 * VFR_MALFORMED, which no rule can let through: the rules could not be
 * applied to it.
 */
#include <console.h>
#include <errno.h>
#include <hypercall.h>
#include <lib.h>
#include <vfr.h>

#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_ARP		0x0806
#define ARP_LEN			28	/* for IPv4 over Ethernet */
#define ARP_HTYPE_ETHERNET	1
#define ARP_OP_REQUEST		1
#define ARP_OP_REPLY		2
#define IPV4_MIN_HLEN		20
#define IPV4_VERSION		4
#define IPV4_FRAG_OFFSET_MASK	0x1fff
#define IPPROTO_ICMP		1
#define IPPROTO_TCP		6
#define IPPROTO_UDP		17
#define DHCP_CLIENT_PORT	68
#define DHCP_SERVER_PORT	67
#define PORT_MAX		0xffff
#define WORK_PER_RULE		4	/* hypercall_count_work() units: a rule compared */

static struct xeno_vfr_rule rules[VFR_MAX_RULES];
static unsigned int nr_rules;
static unsigned long malformed_dropped;

/* ---- parsing ---- */

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ARP for IPv4 over Ethernet, at 'a' (ARP_LEN bytes present). */
static enum vfr_kind parse_arp(const uint8_t *a, struct vfr_pkt *p)
{
	p->arp_op = be16(a + 6);
	if (be16(a) != ARP_HTYPE_ETHERNET || be16(a + 2) != ETHERTYPE_IPV4 || a[4] != ETH_ALEN ||
	    a[5] != 4 || (p->arp_op != ARP_OP_REQUEST && p->arp_op != ARP_OP_REPLY))
		return VFR_MALFORMED;
	memcpy(p->arp_sha, a + 8, ETH_ALEN);
	p->src_ip = be32(a + 14);
	p->dst_ip = be32(a + 24);
	return VFR_ARP;
}

/*
 * IPv4 at 'ip', with 'room' bytes of the frame from there and 'have' of
 * them in the copy.  The header must be whole and inside the datagram, the
 * datagram inside the frame (Ethernet may pad it), and a first fragment of
 * TCP or UDP must hold both ports (RFC 1858's tiny fragments hide them).
 */
static enum vfr_kind parse_ipv4(const uint8_t *ip, unsigned int room, unsigned int have,
				struct vfr_pkt *p)
{
	unsigned int hlen, total;
	bool first;

	if (room < IPV4_MIN_HLEN || have < IPV4_MIN_HLEN || ip[0] >> 4 != IPV4_VERSION)
		return VFR_MALFORMED;
	hlen = (ip[0] & 0xf) * 4u;
	total = be16(ip + 2);
	if (hlen < IPV4_MIN_HLEN || total < hlen || total > room || hlen > have)
		return VFR_MALFORMED;
	p->ip_proto = ip[9];
	p->src_ip = be32(ip + 12);
	p->dst_ip = be32(ip + 16);
	first = (be16(ip + 6) & IPV4_FRAG_OFFSET_MASK) == 0;
	if (first && (p->ip_proto == IPPROTO_TCP || p->ip_proto == IPPROTO_UDP)) {
		if (total < hlen + L4_PORTS_LEN || have < hlen + L4_PORTS_LEN)
			return VFR_MALFORMED;
		p->has_ports = true;
		p->src_port = be16(ip + hlen);
		p->dst_port = be16(ip + hlen + 2);
	}
	return VFR_IPV4;
}

enum vfr_kind vfr_parse(const uint8_t *hdr, unsigned int hdr_len, unsigned int frame_len,
			struct vfr_pkt *p)
{
	unsigned int have = MIN(hdr_len, frame_len);

	memset(p, 0, sizeof(*p));
	if (have < ETH_HLEN) {
		p->kind = VFR_MALFORMED;
		return p->kind;
	}
	memcpy(p->dst_mac, hdr, ETH_ALEN);
	memcpy(p->src_mac, hdr + ETH_ALEN, ETH_ALEN);
	p->ethertype = be16(hdr + 2 * ETH_ALEN);
	if (p->ethertype == ETHERTYPE_ARP)
		p->kind = have >= ETH_HLEN + ARP_LEN ? parse_arp(hdr + ETH_HLEN, p) : VFR_MALFORMED;
	else if (p->ethertype == ETHERTYPE_IPV4)
		p->kind = parse_ipv4(hdr + ETH_HLEN, frame_len - ETH_HLEN, have - ETH_HLEN, p);
	else
		p->kind = VFR_OTHER;
	return p->kind;
}

/* ---- anti-spoofing ---- */

static bool is_dhcp_client(const struct vfr_pkt *p)
{
	return p->src_ip == 0 && p->ip_proto == IPPROTO_UDP && p->has_ports &&
	       p->src_port == DHCP_CLIENT_PORT && p->dst_port == DHCP_SERVER_PORT;
}

bool vfr_source_ok(const struct vfr_pkt *p, const uint8_t mac[ETH_ALEN], uint32_t ip)
{
	if (p->kind == VFR_MALFORMED || memcmp(p->src_mac, mac, ETH_ALEN))
		return false;
	switch (p->kind) {
	case VFR_ARP:
		return !memcmp(p->arp_sha, mac, ETH_ALEN) &&
		       (!ip || p->src_ip == ip || (p->src_ip == 0 && p->arp_op == ARP_OP_REQUEST));
	case VFR_IPV4:
		return !ip || p->src_ip == ip || is_dhcp_client(p);
	default:
		return true;
	}
}

/* ---- matching ---- */

static bool endpoint_matches(uint16_t dom, uint16_t handle, struct vfr_endpoint e)
{
	if (dom == XENO_VFR_ANY)
		return true;
	if (dom != e.dom)
		return false;
	return dom == XENO_VFR_PHYS || handle == XENO_VFR_ANY || handle == e.handle;
}

static bool proto_matches(uint8_t proto, const struct vfr_pkt *p)
{
	switch (proto) {
	case XENO_VFR_PROTO_ANY:
		return true;
	case XENO_VFR_PROTO_ARP:
		return p->kind == VFR_ARP;
	case XENO_VFR_PROTO_IP:
		return p->kind == VFR_IPV4;
	case XENO_VFR_PROTO_TCP:
		return p->kind == VFR_IPV4 && p->ip_proto == IPPROTO_TCP;
	case XENO_VFR_PROTO_UDP:
		return p->kind == VFR_IPV4 && p->ip_proto == IPPROTO_UDP;
	case XENO_VFR_PROTO_ICMP:
		return p->kind == VFR_IPV4 && p->ip_proto == IPPROTO_ICMP;
	case XENO_VFR_PROTO_OTHER:
		return p->kind == VFR_OTHER;
	}
	return false;
}

/* An address test: mask 0 is any packet; else only IPv4 and ARP have one. */
static bool ip_matches(uint32_t want, uint32_t mask, uint32_t ip, const struct vfr_pkt *p)
{
	if (!mask)
		return true;
	return (p->kind == VFR_IPV4 || p->kind == VFR_ARP) && (ip & mask) == want;
}

static bool port_matches(uint16_t lo, uint16_t hi, uint16_t port, const struct vfr_pkt *p)
{
	if (lo == 0 && hi == PORT_MAX)
		return true;
	return p->has_ports && port >= lo && port <= hi;
}

bool vfr_rule_matches(const struct xeno_vfr_rule *r, const struct vfr_pkt *p,
		      struct vfr_endpoint src, struct vfr_endpoint dst)
{
	return endpoint_matches(r->src_dom, r->src_handle, src) &&
	       endpoint_matches(r->dst_dom, r->dst_handle, dst) &&
	       (!(r->match & XENO_VFR_M_SRC_MAC) || !memcmp(r->src_mac, p->src_mac, ETH_ALEN)) &&
	       (!(r->match & XENO_VFR_M_DST_MAC) || !memcmp(r->dst_mac, p->dst_mac, ETH_ALEN)) &&
	       proto_matches(r->proto, p) &&
	       ip_matches(r->src_ip, r->src_mask, p->src_ip, p) &&
	       ip_matches(r->dst_ip, r->dst_mask, p->dst_ip, p) &&
	       port_matches(r->src_port_lo, r->src_port_hi, p->src_port, p) &&
	       port_matches(r->dst_port_lo, r->dst_port_hi, p->dst_port, p);
}

uint8_t vfr_decide(const struct vfr_pkt *p, struct vfr_endpoint src, struct vfr_endpoint dst)
{
	if (p->kind == VFR_MALFORMED) {
		malformed_dropped++;
		return XENO_VFR_DROP;
	}
	for (unsigned int i = 0; i < nr_rules; i++) {
		if (vfr_rule_matches(&rules[i], p, src, dst)) {
			hypercall_count_work((i + 1) * WORK_PER_RULE);
			rules[i].hits++;
			return rules[i].action;
		}
	}
	hypercall_count_work(nr_rules * WORK_PER_RULE);
	return XENO_VFR_ACCEPT;
}

/* ---- the table ---- */

/* An endpoint a rule may name: ANY, PHYS (handle ANY), or a VIF or a domain's VIFs. */
static bool endpoint_valid(uint16_t dom, uint16_t handle)
{
	return (dom != XENO_VFR_ANY && dom != XENO_VFR_PHYS) || handle == XENO_VFR_ANY;
}

static bool ports_any(uint16_t lo, uint16_t hi)
{
	return lo == 0 && hi == PORT_MAX;
}

/*
 * A rule that can match something, stated one way: known fields and values,
 * addresses inside their masks, ranges the right way round, and ports only
 * for protocols that may carry them.
 */
int vfr_check_rule(const struct xeno_vfr_rule *r)
{
	bool ports = !ports_any(r->src_port_lo, r->src_port_hi) ||
		     !ports_any(r->dst_port_lo, r->dst_port_hi);

	if (!endpoint_valid(r->src_dom, r->src_handle) || !endpoint_valid(r->dst_dom, r->dst_handle))
		return -EINVAL;
	if (r->match & ~(XENO_VFR_M_SRC_MAC | XENO_VFR_M_DST_MAC))
		return -EINVAL;
	if (r->proto > XENO_VFR_PROTO_OTHER ||
	    (r->action != XENO_VFR_ACCEPT && r->action != XENO_VFR_DROP))
		return -EINVAL;
	if ((r->src_ip & ~r->src_mask) || (r->dst_ip & ~r->dst_mask))
		return -EINVAL;
	if (r->src_port_lo > r->src_port_hi || r->dst_port_lo > r->dst_port_hi)
		return -EINVAL;
	if (ports && r->proto != XENO_VFR_PROTO_ANY && r->proto != XENO_VFR_PROTO_IP &&
	    r->proto != XENO_VFR_PROTO_TCP && r->proto != XENO_VFR_PROTO_UDP)
		return -EINVAL;
	return 0;
}

int vfr_add(uint32_t index, const struct xeno_vfr_rule *r, uint32_t *where)
{
	int rc = vfr_check_rule(r);

	if (rc)
		return rc;
	if (nr_rules == VFR_MAX_RULES)
		return -ENOSPC;
	index = MIN(index, nr_rules);
	memmove(&rules[index + 1], &rules[index], (nr_rules - index) * sizeof(rules[0]));
	rules[index] = *r;
	rules[index].hits = 0;
	nr_rules++;
	*where = index;
	return 0;
}

int vfr_del(uint32_t index)
{
	if (index >= nr_rules)
		return -ENOENT;
	memmove(&rules[index], &rules[index + 1], (nr_rules - index - 1) * sizeof(rules[0]));
	nr_rules--;
	return 0;
}

int vfr_get(uint32_t index, struct xeno_vfr_rule *out)
{
	if (index >= nr_rules)
		return -ENOENT;
	*out = rules[index];
	return 0;
}

unsigned int vfr_count(void)
{
	return nr_rules;
}

/* "dom.handle", "phys" or "any" */
static void endpoint_name(char *buf, size_t size, uint16_t dom, uint16_t handle)
{
	if (dom == XENO_VFR_ANY)
		snprintf(buf, size, "any");
	else if (dom == XENO_VFR_PHYS)
		snprintf(buf, size, "phys");
	else if (handle == XENO_VFR_ANY)
		snprintf(buf, size, "d%u.*", dom);
	else
		snprintf(buf, size, "d%u.%u", dom, handle);
}

void vfr_dump(void)
{
	static const char *const protos[] = { "any", "arp", "ip", "tcp", "udp", "icmp", "other" };

	printk("vfr: %u rules (none matching: accept); %lu malformed packets dropped\n", nr_rules,
	       malformed_dropped);
	for (unsigned int i = 0; i < nr_rules; i++) {
		const struct xeno_vfr_rule *r = &rules[i];
		char src[16], dst[16];

		endpoint_name(src, sizeof(src), r->src_dom, r->src_handle);
		endpoint_name(dst, sizeof(dst), r->dst_dom, r->dst_handle);
		printk("  %3u %-6s %s -> %s %s %08x/%08x:%u-%u -> %08x/%08x:%u-%u%s%s: %llu hits\n",
		       i, r->action == XENO_VFR_ACCEPT ? "accept" : "drop", src, dst,
		       protos[r->proto], r->src_ip, r->src_mask, r->src_port_lo, r->src_port_hi,
		       r->dst_ip, r->dst_mask, r->dst_port_lo, r->dst_port_hi,
		       r->match & XENO_VFR_M_SRC_MAC ? " src-mac" : "",
		       r->match & XENO_VFR_M_DST_MAC ? " dst-mac" : "", r->hits);
	}
}
