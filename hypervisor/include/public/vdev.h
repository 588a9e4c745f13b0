/* SPDX-License-Identifier: MIT */
/*
 * vdev_op: how a guest finds its virtual devices and connects to them.
 * There is no device bus and no store: Domain0 gives a domain virtual block
 * devices (VBDs) and virtual network interfaces (VIFs) with dom0_op, and
 * the domain asks for them here.  A connected device is one or two
 * descriptor rings (io/ring.h, io/blkif.h, io/netif.h) in pages the
 * hypervisor shares with the domain, and one event channel port, both ways:
 * the guest sends on it to kick the back end, the back end raises it when
 * responses are waiting.
 *
 *   vdev_op(XENO_VDEV_PROBE, struct xeno_vdev_probe *)
 *   vdev_op(XENO_VDEV_CONNECT, struct xeno_vdev_connect *)
 *   vdev_op(XENO_VDEV_DISCONNECT, struct xeno_vdev_connect *)
 */
#ifndef XENO_PUBLIC_VDEV_H
#define XENO_PUBLIC_VDEV_H

#include "xeno.h"

#define XENO_VDEV_PROBE			0
#define XENO_VDEV_CONNECT		1
#define XENO_VDEV_DISCONNECT		2

/* Device types. */
#define XENO_VDEV_BLK			1	/* a VBD: io/blkif.h, one ring */
#define XENO_VDEV_NET			2	/* a VIF: io/netif.h, a TX and an RX ring */

/* xeno_vdev_info.flags */
#define XENO_VDEV_F_READONLY		(1u << 0)	/* blk: writes are refused */
#define XENO_VDEV_F_CONNECTED		(1u << 1)	/* a front end is connected */

#ifndef __ASSEMBLY__
/* One device of the calling domain. */
struct xeno_vdev_info {
	uint16_t type;		/* XENO_VDEV_* */
	uint16_t handle;	/* the device's number among those of its type */
	uint32_t flags;		/* XENO_VDEV_F_* */
	uint64_t sectors;	/* blk: capacity in 512-byte sectors */
	uint8_t mac[6];		/* net: the interface's MAC address */
	uint16_t mtu;		/* net: the largest frame payload (1500) */
	uint32_t _pad0[2];
};
XENO_ASSERT_SIZE(struct xeno_vdev_info, 32);

/* PROBE: the calling domain's devices, blk first, by handle. */
struct xeno_vdev_probe {
	uint32_t infos;		/* IN: guest address of struct xeno_vdev_info[max] */
	uint32_t max;		/* IN: entries there (0: just count) */
	uint32_t count;		/* OUT: devices the domain has (may be > max) */
	uint32_t _pad0;
};
XENO_ASSERT_SIZE(struct xeno_vdev_probe, 16);

/*
 * CONNECT: the rings and the port of device (type, handle).  The ring pages
 * belong to the hypervisor and are shared with the domain for its lifetime:
 * the guest maps them writable by machine frame number (update_va_mapping)
 * and initialises them (xeno_ring_front_init); a second CONNECT, after a
 * DISCONNECT or without one, hands out the same pages and port and starts
 * the back end's cursors afresh.  DISCONNECT takes the same struct (the OUT
 * fields are ignored): the back end stops reading the rings; requests in
 * flight complete, their responses are dropped.
 */
struct xeno_vdev_connect {
	uint16_t type;		/* IN: XENO_VDEV_* */
	uint16_t handle;	/* IN */
	uint32_t port;		/* OUT: the event channel, both ways */
	uint32_t ring_mfn[2];	/* OUT: blk: [0]; net: [0] TX, [1] RX */
};
XENO_ASSERT_SIZE(struct xeno_vdev_connect, 16);
#endif

#endif
