/* SPDX-License-Identifier: MIT */
/*
 * The switch: where a packet goes (abi.md 10.3).  Its ports are the VIFs
 * of every domain and one uplink, the first physical NIC (pnic 0), which
 * Domain0's VIF 0 shares its MAC with (the paper: Domain0 has the real
 * interface).  No learning: a VIF's MAC is fixed by Domain0, everything
 * else is out there.
 *
 *   destination MAC          from a VIF                 from the uplink
 *   a VIF's (not its own)    that VIF                   that VIF
 *   its own                  dropped (no hairpin)       -
 *   broadcast, multicast     every other VIF + uplink   every VIF
 *   unknown unicast          the uplink                 dropped
 *
 * Then the firewall-router decides per destination (vfr.c), and each VIF
 * that accepts gets its own copy (vif_deliver()).  Removed VIFs (Domain0
 * took them away; their rings wait for the domain's end) are no ports.
 *
 * Invariant: every VIF that exists is on vif_list exactly once, from its
 * creation to its destruction.
 */
#include <console.h>
#include <domain.h>
#include <lib.h>
#include <vif.h>

static struct vif *vif_list;
static struct pnic *uplink;

struct pnic *netsw_uplink(void)
{
	return uplink;
}

void netsw_add(struct vif *v)
{
	v->next = vif_list;
	vif_list = v;
}

void netsw_remove(struct vif *v)
{
	for (struct vif **p = &vif_list; *p; p = &(*p)->next) {
		if (*p == v) {
			*p = v->next;
			return;
		}
	}
}

static bool is_port(const struct vif *v)
{
	return !v->vdev.removed;
}

struct vif *netsw_find_mac(const uint8_t mac[ETH_ALEN])
{
	for (struct vif *v = vif_list; v; v = v->next)
		if (is_port(v) && !memcmp(v->mac, mac, ETH_ALEN))
			return v;
	return NULL;
}

static bool is_group(const uint8_t mac[ETH_ALEN])
{
	return mac[0] & 1;
}

void netsw_route(const struct net_pkt *p, const struct vif *from, struct netsw_route *r)
{
	memset(r, 0, sizeof(*r));
	if (is_group(p->facts.dst_mac)) {
		r->flood = true;
		r->uplink = from && uplink;
		return;
	}
	r->vif = netsw_find_mac(p->facts.dst_mac);
	if (r->vif == from)
		r->vif = NULL;			/* to itself: nowhere */
	else if (!r->vif)
		r->uplink = from && uplink;
}

static bool accepts(const struct net_pkt *p, const struct vif *to)
{
	return vfr_decide(&p->facts, p->src, vif_endpoint(to)) == XENO_VFR_ACCEPT;
}

unsigned int netsw_deliver_local(const struct net_pkt *p, const struct vif *from,
				 const struct netsw_route *r)
{
	unsigned int n = 0;

	if (r->vif)
		return accepts(p, r->vif) && !vif_deliver(r->vif, p);
	if (!r->flood)
		return 0;
	for (struct vif *v = vif_list; v; v = v->next)
		if (v != from && is_port(v) && accepts(p, v) && !vif_deliver(v, p))
			n++;
	return n;
}

bool netsw_uplink_accepts(const struct net_pkt *p)
{
	struct vfr_endpoint phys = { XENO_VFR_PHYS, (uint16_t)uplink->index };

	return vfr_decide(&p->facts, p->src, phys) == XENO_VFR_ACCEPT;
}

/* A frame from the physical network (the NIC's interrupt). */
static void netsw_receive(struct pnic *nic, const uint8_t *frame, unsigned int len)
{
	struct net_pkt p = { frame, len, 0, len, { 0 }, { XENO_VFR_PHYS, (uint16_t)nic->index } };
	struct netsw_route r;

	vfr_parse(frame, len, len, &p.facts);
	netsw_route(&p, NULL, &r);
	if (!netsw_deliver_local(&p, NULL, &r))
		nic->stats.rx_dropped++;
}

/* The NIC can take packets again: every VIF that waited for it tries. */
static void netsw_room(struct pnic *nic)
{
	(void)nic;
	for (struct vif *v = vif_list; v; v = v->next) {
		if (v->wants_uplink) {
			v->wants_uplink = false;
			vdev_want_service(&v->vdev);
		}
	}
}

void netsw_init(void)
{
	uplink = pnic_get(0);
	if (!uplink)
		return;
	uplink->receive = netsw_receive;
	uplink->room = netsw_room;
	printk("netsw: uplink %s\n", uplink->name);
}

/* ---- debug key 'n' ---- */

static void dump_vif(const struct vif *v)
{
	const struct vif_stats *s = &v->stats;
	char mac[18];

	pnic_format_mac(mac, v->mac);
	printk("  d%u.%u %s ip %08x%s%s%s credit %u/%u us; in flight %u\n", v->vdev.domain->id,
	       v->vdev.handle, mac, v->ip, v->trusted ? " trusted" : "",
	       v->vdev.connected ? " connected" : "", v->vdev.removed ? " removed" : "",
	       v->credit_bytes, v->credit_usec, v->uplink_in_flight);
	printk("    tx %llu packets %llu bytes, %u refused, %u spoofed, %u dropped; "
	       "rx %llu packets %llu bytes, %u dropped, %u errors\n", s->tx_packets, s->tx_bytes,
	       s->tx_refused, s->tx_spoofed, s->tx_dropped, s->rx_packets, s->rx_bytes,
	       s->rx_dropped, s->rx_errors);
}

void netsw_dump(void)
{
	for (unsigned int i = 0; i < pnic_count(); i++) {
		const struct pnic *nic = pnic_get(i);
		const struct pnic_stats *s = &nic->stats;

		printk("pnic %u %s%s: tx %llu packets %llu bytes, %u errors; rx %llu packets "
		       "%llu bytes, %u errors, %u dropped\n", i, nic->name,
		       nic == uplink ? " (uplink)" : "", s->tx_packets, s->tx_bytes, s->tx_errors,
		       s->rx_packets, s->rx_bytes, s->rx_errors, s->rx_dropped);
	}
	printk("VIFs:\n");
	for (const struct vif *v = vif_list; v; v = v->next)
		dump_vif(v);
	vfr_dump();
}
