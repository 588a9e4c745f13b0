/* SPDX-License-Identifier: MIT */
/*
 * The virtual firewall-router (vfr.c): the facts about a packet that its
 * rules look at, read from a copy of the packet's headers; the ordered rule
 * table; and the anti-spoofing check of an untrusted VIF.  Pure but for the
 * table and its hit counters; the switch (netsw.c) decides per destination.
 */
#ifndef XENO_VFR_H
#define XENO_VFR_H

#include <public/dom0_ops.h>
#include <types.h>

#define VFR_MAX_RULES		128
#define ETH_ALEN		6
#define ETH_HLEN		14
#define IPV4_MAX_HLEN		60	/* IHL 15 */
#define L4_PORTS_LEN		4	/* the TCP or UDP source and destination ports */
/*
 * The bytes of a packet the switch copies out of the sender's frame before
 * it decides anything: everything vfr_parse() reads, with IP options.
 */
#define VFR_HEADER_BYTES	128
_Static_assert(VFR_HEADER_BYTES >= ETH_HLEN + IPV4_MAX_HLEN + L4_PORTS_LEN, "headers fit");

enum vfr_kind {
	VFR_OTHER,		/* neither ARP nor IPv4 (IPv6, VLAN-tagged, ...) */
	VFR_ARP,		/* ARP for IPv4 over Ethernet */
	VFR_IPV4,
	VFR_MALFORMED,		/* says ARP or IPv4 but is not well-formed: always dropped */
};

/* A switch port: a VIF (domain, handle), or dom = XENO_VFR_PHYS. */
struct vfr_endpoint {
	uint16_t dom, handle;
};

struct vfr_pkt {
	enum vfr_kind kind;
	uint8_t dst_mac[ETH_ALEN], src_mac[ETH_ALEN];
	uint16_t ethertype;
	uint8_t ip_proto;		/* IPv4: the protocol number */
	bool has_ports;			/* TCP or UDP, not a later fragment */
	uint32_t src_ip, dst_ip;	/* IPv4: addresses; ARP: sender, target (host order) */
	uint16_t src_port, dst_port;	/* with has_ports */
	uint16_t arp_op;		/* ARP: request 1 or reply 2 */
	uint8_t arp_sha[ETH_ALEN];	/* ARP: sender hardware address */
};

/*
 * Read the facts of a frame of frame_len bytes from its first hdr_len bytes
 * (at least MIN(frame_len, VFR_HEADER_BYTES) of them).  Returns p->kind.
 */
enum vfr_kind vfr_parse(const uint8_t *hdr, unsigned int hdr_len, unsigned int frame_len,
			struct vfr_pkt *p);

/*
 * Anti-spoofing for a VIF that is not trusted: the source MAC (and for ARP
 * the sender's hardware address) is the VIF's; if the VIF has an address
 * (ip != 0), IPv4 packets and ARP come from it, except a DHCP client's
 * 0.0.0.0:68 -> :67 and an ARP probe's sender 0.0.0.0.  Malformed: false.
 */
bool vfr_source_ok(const struct vfr_pkt *p, const uint8_t mac[ETH_ALEN], uint32_t ip);

/* Does the rule match this packet going from src to dst? */
bool vfr_rule_matches(const struct xeno_vfr_rule *r, const struct vfr_pkt *p,
		      struct vfr_endpoint src, struct vfr_endpoint dst);
/*
 * The table's verdict, XENO_VFR_ACCEPT or XENO_VFR_DROP: the first
 * matching rule's action (its hit count goes up), ACCEPT if none matches,
 * DROP for a malformed packet.  Work: one unit per rule looked at, counted.
 */
uint8_t vfr_decide(const struct vfr_pkt *p, struct vfr_endpoint src, struct vfr_endpoint dst);

/* Domain0's table operations (dom0_ops.c): 0 or -errno. */
int vfr_check_rule(const struct xeno_vfr_rule *r);
int vfr_add(uint32_t index, const struct xeno_vfr_rule *r, uint32_t *where);
int vfr_del(uint32_t index);
int vfr_get(uint32_t index, struct xeno_vfr_rule *out);
unsigned int vfr_count(void);
void vfr_dump(void);

#endif
