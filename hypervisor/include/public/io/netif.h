/* SPDX-License-Identifier: MIT */
/*
 * The network rings of a virtual interface (VIF): one for packets the
 * guest sends (TX), one for buffers it posts to receive into (RX).  Frames
 * are Ethernet frames without the FCS, at most XENO_NETIF_MAX_FRAME bytes,
 * each inside one guest frame (no page crossing).  The hypervisor's virtual
 * firewall-router decides where each packet goes (abi.md 10.4).
 *
 * TX: the guest posts {mfn, offset, size, id}; the hypervisor copies the
 * headers, filters, and sends the packet or drops it; the response gives
 * the id back with a status, once the frame is no longer needed (for the
 * physical network: once the NIC has read it).  Responses may come in
 * another order than the requests.  RX: the guest posts empty frames {mfn,
 * id}; each packet for the VIF is copied into the next one, whole, and the
 * response says where (an offset of at most XENO_NETIF_RX_MAX_OFFSET) and
 * how long, or why not.  One response per packet, in arrival order.
 */
#ifndef XENO_PUBLIC_IO_NETIF_H
#define XENO_PUBLIC_IO_NETIF_H

#include "ring.h"

#define XENO_NETIF_MIN_FRAME		14	/* an Ethernet header */
#define XENO_NETIF_MAX_FRAME		1514	/* header + 1500 bytes */
#define XENO_NETIF_MTU			1500
#define XENO_NETIF_RX_MAX_OFFSET	3	/* the hypervisor aligns copies with it */

/* TX response status; RX response status is the length, or one of these. */
#define XENO_NETIF_RSP_OKAY		0
#define XENO_NETIF_RSP_ERROR		(-1)	/* the request was refused: abi.md 10.3 */
#define XENO_NETIF_RSP_DROPPED		(-2)	/* the firewall-router or a full queue */

#ifndef __ASSEMBLY__
struct xeno_netif_tx_request {
	uint32_t mfn;		/* frame of the sending domain holding the packet */
	uint16_t offset;	/* where in it the packet starts */
	uint16_t size;		/* bytes: XENO_NETIF_MIN_FRAME..MAX_FRAME, within the frame */
	uint16_t id;		/* the front's tag, echoed */
	uint16_t _pad0;
};
XENO_ASSERT_SIZE(struct xeno_netif_tx_request, 12);

struct xeno_netif_tx_response {
	uint16_t id;
	int16_t status;		/* XENO_NETIF_RSP_* */
};
XENO_ASSERT_SIZE(struct xeno_netif_tx_response, 4);

union xeno_netif_tx_slot {
	struct xeno_netif_tx_request req;
	struct xeno_netif_tx_response rsp;
};

struct xeno_netif_rx_request {
	uint16_t id;		/* the front's tag, echoed */
	uint16_t _pad0;
	uint32_t mfn;		/* an empty frame of the receiving domain */
};
XENO_ASSERT_SIZE(struct xeno_netif_rx_request, 8);

struct xeno_netif_rx_response {
	uint16_t id;
	uint16_t offset;	/* where in the frame the packet starts */
	int16_t status;		/* > 0: its length; else XENO_NETIF_RSP_* */
	uint16_t _pad0;
};
XENO_ASSERT_SIZE(struct xeno_netif_rx_response, 8);

union xeno_netif_rx_slot {
	struct xeno_netif_rx_request req;
	struct xeno_netif_rx_response rsp;
};

#define XENO_NETIF_TX_RING_SLOTS XENO_RING_SLOTS(sizeof(union xeno_netif_tx_slot))	/* 256 */
#define XENO_NETIF_RX_RING_SLOTS XENO_RING_SLOTS(sizeof(union xeno_netif_rx_slot))	/* 256 */

struct xeno_netif_tx_sring {
	struct xeno_ring_header hdr;
	union xeno_netif_tx_slot slot[XENO_NETIF_TX_RING_SLOTS];
};
struct xeno_netif_rx_sring {
	struct xeno_ring_header hdr;
	union xeno_netif_rx_slot slot[XENO_NETIF_RX_RING_SLOTS];
};
_Static_assert(sizeof(struct xeno_netif_tx_sring) <= XENO_RING_PAGE_SIZE, "TX ring fits");
_Static_assert(sizeof(struct xeno_netif_rx_sring) <= XENO_RING_PAGE_SIZE, "RX ring fits");
#endif

#endif
