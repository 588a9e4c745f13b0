/* SPDX-License-Identifier: MIT */
/*
 * Virtual network interfaces (vif.c) and the switch that joins them to
 * each other and to the physical network (netsw.c).  A VIF is a vdev of
 * type XENO_VDEV_NET with a MAC, two rings (TX, RX: public/io/netif.h)
 * and one port; the switch decides where each packet goes, asks the
 * firewall-router (vfr.h) per destination, and delivers: into a posted RX
 * frame of a VIF (a copy), or to the uplink NIC (pnic.h).
 */
#ifndef XENO_VIF_H
#define XENO_VIF_H

#include <pnic.h>
#include <public/dom0_ops.h>
#include <public/io/netif.h>
#include <time.h>
#include <types.h>
#include <vdev.h>
#include <vfr.h>

#define VIF_UPLINK_SLOTS	32	/* a VIF's packets the NIC may hold at once */
_Static_assert(VFR_HEADER_BYTES <= PNIC_HEAD_MAX, "the NIC takes the whole header copy");

struct domain;

/*
 * A packet on its way through the switch: its first head_len bytes in
 * hypervisor memory (what the rules were run on: it is also what is
 * delivered, so the sender cannot change it afterwards), the rest in one
 * machine frame the sender's reference keeps.
 */
struct net_pkt {
	const uint8_t *head;
	unsigned int head_len;
	uint32_t rest_maddr;		/* where the other len - head_len bytes are */
	unsigned int len;		/* the whole frame */
	struct vfr_pkt facts;		/* vfr_parse() of head */
	struct vfr_endpoint src;	/* where it came from */
};

struct vif_stats {
	uint64_t tx_packets, tx_bytes;	/* sent on to at least one destination */
	uint64_t rx_packets, rx_bytes;	/* written into posted buffers */
	uint32_t tx_refused;		/* answered XENO_NETIF_RSP_ERROR */
	uint32_t tx_spoofed;		/* failed the anti-spoofing check */
	uint32_t tx_dropped;		/* taken by no destination */
	uint32_t rx_dropped;		/* no front connected, or no posted buffer */
	uint32_t rx_errors;		/* a posted buffer the domain may not receive into */
};

/* One of the VIF's packets the uplink NIC holds (its frame with it). */
struct vif_uplink_tx {
	struct pnic_tx tx;		/* tx.owner points back here */
	struct vif *vif;
	uint32_t mfn;			/* the sender's frame, referenced */
	uint32_t generation;		/* the connection it came in on */
	uint16_t id;			/* the request's, for the response */
	bool in_use;
};

struct vif {
	struct vdev vdev;		/* first: the vdev is the VIF */
	uint8_t mac[ETH_ALEN];
	bool trusted;			/* Domain0's, or created so: no anti-spoofing */
	bool wants_uplink;		/* a request waits for room at the NIC */
	uint32_t ip;			/* the address it may send from; 0 = any */
	struct xeno_ring_back tx, rx;
	uint32_t generation;		/* bumped at every connect */
	uint32_t credit_bytes;		/* per credit_usec; 0 = no limit */
	uint32_t credit_usec;
	uint32_t credit_left;		/* in this period */
	uint64_t credit_refill;		/* system time the next period starts */
	struct timer credit_timer;	/* armed while a request waits for credit */
	unsigned int uplink_in_flight;
	struct vif_uplink_tx uplink[VIF_UPLINK_SLOTS];
	struct vif_stats stats;
	struct vif *next;		/* the switch's list */
};

/* ---- the switch (netsw.c) ---- */

/* Where a packet goes before the rules have their say. */
struct netsw_route {
	struct vif *vif;		/* unicast to this VIF */
	bool flood;			/* broadcast or multicast: every VIF but the sender */
	bool uplink;			/* the physical network too */
};

void netsw_init(void);		/* take the first NIC as the uplink, if any */
struct pnic *netsw_uplink(void);
void netsw_add(struct vif *v);
void netsw_remove(struct vif *v);
struct vif *netsw_find_mac(const uint8_t mac[ETH_ALEN]);
/* Pure: by destination MAC; from == NULL: from the uplink. */
void netsw_route(const struct net_pkt *p, const struct vif *from, struct netsw_route *r);
/* Deliver to the route's VIFs the rules accept; returns how many took it. */
unsigned int netsw_deliver_local(const struct net_pkt *p, const struct vif *from,
				 const struct netsw_route *r);
bool netsw_uplink_accepts(const struct net_pkt *p);
void netsw_dump(void);		/* debug key 'n' */

/* ---- VIFs (vif.c) ---- */

/* Copy p into v's next posted RX frame: 0, or -errno (dropped and counted). */
int vif_deliver(struct vif *v, const struct net_pkt *p);
struct vfr_endpoint vif_endpoint(const struct vif *v);
/* A TX request's shape (size, within its frame): 0 or -EINVAL.  Pure. */
int vif_check_tx_request(const struct xeno_netif_tx_request *rq);

/* Domain0 (dom0_ops.c): 0 or -errno. */
int vif_create(struct domain *d, uint16_t handle, const uint8_t mac[ETH_ALEN], uint32_t ip,
	       uint32_t flags);
int vif_destroy_handle(struct domain *d, uint16_t handle);
int vif_get_info(struct domain *d, uint16_t handle, struct xeno_dom0_vif *out);
int vif_set_credit(struct domain *d, uint16_t handle, uint32_t bytes, uint32_t usec);
int vif_set_ip(struct domain *d, uint16_t handle, uint32_t ip);
/* At boot: Domain0's VIF 0, with the uplink NIC's MAC, if there is one. */
void vif_give_dom0_uplink(struct domain *d);

#endif
