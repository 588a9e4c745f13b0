/* SPDX-License-Identifier: MIT */
/*
 * A tiny network front end for test guests (net.c): connect a VIF, send
 * frames from pages of our own, receive into posted pages, and build the
 * Ethernet, ARP, IPv4, UDP and ICMP headers the tests speak.  The raw ring
 * helpers let hostile tests post whatever they like.
 */
#ifndef GUEST_NET_H
#define GUEST_NET_H

#include <guest.h>
#include <public/io/netif.h>
#include <public/vdev.h>

#define NET_TX_BUFS		32	/* pages we send from, by request id */
#define NET_RX_BUFS		64	/* pages posted to receive into, by id */
#define NET_STATUS_NONE		0x7fff	/* no response yet */
#define ETH_ALEN		6
#define ETH_HLEN		14
#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_ARP		0x0806
#define IPPROTO_ICMP		1
#define IPPROTO_UDP		17
#define IP_HLEN			20
#define UDP_HLEN		8
#define ARP_FRAME_LEN		(ETH_HLEN + 28)
#define UDP_PAYLOAD_OFF		(ETH_HLEN + IP_HLEN + UDP_HLEN)	/* 42 */

struct netfront {
	uint16_t handle;
	uint8_t mac[ETH_ALEN];
	uint32_t port;
	struct xeno_ring_front tx, rx;
	struct xeno_netif_tx_sring *ts;
	struct xeno_netif_rx_sring *rs;
	uint8_t *txbuf[NET_TX_BUFS];
	int16_t tx_status[NET_TX_BUFS];		/* by id; NET_STATUS_NONE while in flight */
	uint8_t *rxbuf[NET_RX_BUFS];
	volatile unsigned int events;		/* the port fired */
};

/* Probe VIF 'handle', connect it, post every RX page: 0 or -errno. */
long net_connect(struct netfront *f, uint16_t handle);
/* As above, but post only 'rx_posted' RX pages (0..NET_RX_BUFS). */
long net_connect_posting(struct netfront *f, uint16_t handle, unsigned int rx_posted);

/* Send a frame from our TX page (at offset; waits for a free page): its id, or -1. */
int net_send_at(struct netfront *f, const void *frame, unsigned int len, unsigned int offset);
int net_send(struct netfront *f, const void *frame, unsigned int len);
/* Wait until TX request 'id' is answered: its status, or NET_STATUS_NONE on timeout. */
int net_tx_wait(struct netfront *f, int id, uint64_t timeout_ns);
/* Collect TX responses now; true if any came. */
bool net_tx_poll(struct netfront *f);
/*
 * The next received frame copied into buf (up to max bytes): its length,
 * a negative XENO_NETIF_RSP_* for a refused buffer, or 0 on timeout.  The
 * page is posted again.
 */
int net_recv(struct netfront *f, void *buf, unsigned int max, uint64_t timeout_ns);

/* Raw ring access (hostile tests): queue, publish and kick; read responses. */
void net_queue_tx(struct netfront *f, uint16_t id, uint32_t mfn, unsigned int offset,
		  unsigned int size);
void net_queue_rx(struct netfront *f, uint16_t id, uint32_t mfn);
void net_kick(struct netfront *f);
bool net_next_tx_rsp(struct netfront *f, struct xeno_netif_tx_response *rsp, uint64_t timeout_ns);
bool net_next_rx_rsp(struct netfront *f, struct xeno_netif_rx_response *rsp, uint64_t timeout_ns);

/* Domain0: VIF control (0 or -errno; info may be NULL). */
long net_vif_op(uint32_t cmd, uint16_t domid, uint16_t handle, const uint8_t *mac, uint32_t ip,
		struct xeno_dom0_vif *info);

/* Frames. */
uint16_t net_ip_checksum(const void *data, unsigned int len);
/* Ethernet + IPv4 + UDP with 'payload' bytes (copied from data): the frame's length. */
unsigned int net_build_udp(uint8_t *frame, const uint8_t *dst_mac, const uint8_t *src_mac,
			   uint32_t src_ip, uint32_t dst_ip, uint16_t sport, uint16_t dport,
			   const void *data, unsigned int payload);
/* Ethernet + ARP (op 1 request, 2 reply): ARP_FRAME_LEN. */
unsigned int net_build_arp(uint8_t *frame, const uint8_t *dst_mac, const uint8_t *src_mac,
			   uint16_t op, const uint8_t *sha, uint32_t spa, const uint8_t *tha,
			   uint32_t tpa);
/* Ethernet + IPv4 + ICMP echo request with 'payload' bytes of pattern. */
unsigned int net_build_ping(uint8_t *frame, const uint8_t *dst_mac, const uint8_t *src_mac,
			    uint32_t src_ip, uint32_t dst_ip, uint16_t id, uint16_t seq,
			    unsigned int payload);
uint16_t net_be16(const uint8_t *p);
uint32_t net_be32(const uint8_t *p);
void net_put16(uint8_t *p, uint16_t v);
void net_put32(uint8_t *p, uint32_t v);
extern const uint8_t net_broadcast[ETH_ALEN];

#endif
