/* SPDX-License-Identifier: MIT */
/*
 * virtio-net (legacy PCI) as a physical NIC (pnic.h): queue 0 receives,
 * queue 1 transmits, no offloads (no checksum, segmentation, mergeable
 * buffers or control queue), so every packet is a 10-byte virtio_net_hdr of
 * zeros followed by one Ethernet frame of at most 1514 bytes; the MAC comes
 * from the device's configuration.
 *
 * Receive: the RX queue is kept full of the hypervisor's own buffers, each
 * a chain [header, device writes][1514 bytes, device writes] (without
 * VIRTIO_F_ANY_LAYOUT a legacy device wants the header in its own
 * descriptor).  The frame lands 2 bytes past a word boundary so that its
 * IP header is aligned.  The queue's interrupt hands each frame to the
 * switch and puts the buffer straight back, until VNET_RX_WORK units of
 * work are done (a broadcast is a copy for every VIF); the rest waits for
 * the next pass of the exit path (rx_later, a timer due at once), so a
 * flood from the wire cannot hold the CPU with interrupts off.
 *
 * Transmit: a frame is a chain [header][head, copied into the slot][rest,
 * read from where the sender said].  A slot is free (on free_tx) or in
 * flight (its chain on the ring, tx set); the chain's token is the slot.
 * done() runs for every tx taken, exactly once, from the interrupt handler.
 * After an -EBUSY or a has_room() of false, pnic_room() follows once a
 * slot and three descriptors are free again.
 */
#include <console.h>
#include <errno.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <page.h>
#include <panic.h>
#include <pci.h>
#include <pnic.h>
#include <public/io/netif.h>
#include <time.h>
#include <virtio.h>

#define VIRTIO_NET_F_MAC	5	/* config mac[6] is valid */
#define VNET_FEATURES		(1u << VIRTIO_NET_F_MAC)
#define VNET_CFG_MAC		0	/* config offset of mac[6] */

#define VNET_RX_QUEUE		0
#define VNET_TX_QUEUE		1
#define VNET_RX_CHAIN		2	/* header, frame */
#define VNET_TX_CHAIN		3	/* header, head, rest */
#define VNET_MAX_RX_BUFS	128
#define VNET_FRAME_ALIGN_PAD	8	/* puts the frame at 18: IP header word-aligned */
/* Work (hypercall_count_work() units, about a word each) of a send. */
#define VNET_WORK_PER_DESC	4
#define VNET_WORK_KICK		256
#define VNET_RX_WORK		16384	/* per interrupt or pass: ~37 full frames copied */

/* The legacy header without MRG_RXBUF: all zero, as we offload nothing. */
struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
};
_Static_assert(sizeof(struct virtio_net_hdr) == 10, "virtio_net_hdr");

/* A receive buffer; the device writes hdr and data (DMA). */
struct vnet_rxbuf {
	struct virtio_net_hdr hdr;
	uint8_t _pad[VNET_FRAME_ALIGN_PAD];
	uint8_t data[XENO_NETIF_MAX_FRAME];
} __aligned(2048);
_Static_assert(sizeof(struct vnet_rxbuf) == 2048, "two receive buffers a page");

/* A transmit slot; the device reads hdr and head (DMA). */
struct vnet_txslot {
	struct virtio_net_hdr hdr;
	uint8_t head[PNIC_HEAD_MAX];
	struct pnic_tx *tx;		/* NULL while free */
	struct vnet_txslot *next_free;
};

struct vnet {
	struct pnic nic;
	struct virtio_dev vdev;
	struct virtq rxq, txq;
	struct vnet_rxbuf *rxbufs;	/* nr_rx buffers, heap pages */
	unsigned int nr_rx, rx_pages;
	struct vnet_txslot *txslots;	/* nr_tx slots, heap pages */
	unsigned int nr_tx, tx_pages;
	struct vnet_txslot *free_tx;
	bool want_room;			/* an -EBUSY since the last pnic_room() */
	struct timer rx_later;		/* armed while received frames wait */
};

static struct vnet vnets[PNIC_MAX_NICS];
static unsigned int nr_vnets;

/* ---- transmit ---- */

static bool room_for_one(const struct vnet *vn)
{
	return vn->free_tx && virtq_num_free(&vn->txq) >= VNET_TX_CHAIN;
}

static bool vnet_has_room(struct pnic *nic)
{
	struct vnet *vn = nic->priv;

	if (room_for_one(vn))
		return true;
	vn->want_room = true;
	return false;
}

static int vnet_send(struct pnic *nic, struct pnic_tx *tx)
{
	struct virtq_buf bufs[VNET_TX_CHAIN];
	struct vnet *vn = nic->priv;
	struct vnet_txslot *s;
	unsigned int n = 0;
	int rc = pnic_check_tx(tx);

	if (rc)
		return trace_error(rc);
	if (!vnet_has_room(nic))
		return -EBUSY;
	s = vn->free_tx;
	vn->free_tx = s->next_free;
	s->tx = tx;
	memcpy(s->head, tx->head, tx->head_len);
	bufs[n++] = (struct virtq_buf){ __pa(&s->hdr), sizeof(s->hdr), false };
	bufs[n++] = (struct virtq_buf){ __pa(s->head), tx->head_len, false };
	if (tx->rest_len)
		bufs[n++] = (struct virtq_buf){ tx->rest_maddr, tx->rest_len, false };
	BUG_ON(virtq_add(&vn->txq, bufs, n, s));
	virtio_kick(&vn->vdev, &vn->txq);
	hypercall_count_work(n * VNET_WORK_PER_DESC + VNET_WORK_KICK + tx->head_len / 4);
	return 0;
}

/* The TX queue's interrupt: finish every sent frame, then make room known. */
static void vnet_tx_complete(struct virtq *vq)
{
	struct vnet *vn = vq->priv;
	struct vnet_txslot *s;

	while ((s = virtq_get_used(vq, NULL))) {
		struct pnic_tx *tx = s->tx;

		vn->nic.stats.tx_packets++;
		vn->nic.stats.tx_bytes += tx->head_len + tx->rest_len;
		s->tx = NULL;
		s->next_free = vn->free_tx;
		vn->free_tx = s;
		tx->done(tx, 0);
	}
	if (vn->want_room && room_for_one(vn)) {
		vn->want_room = false;
		pnic_room(&vn->nic);
	}
}

/* ---- receive ---- */

static void post_rx(struct vnet *vn, struct vnet_rxbuf *b)
{
	struct virtq_buf bufs[VNET_RX_CHAIN] = {
		{ __pa(&b->hdr), sizeof(b->hdr), true },
		{ __pa(b->data), sizeof(b->data), true },
	};

	BUG_ON(virtq_add(&vn->rxq, bufs, VNET_RX_CHAIN, b));
}

/*
 * The RX queue's interrupt, or a later pass: frames to the switch and their
 * buffers back, one batch of work's worth; more waiting: rx_later calls.
 */
static void vnet_rx_complete(struct virtq *vq)
{
	struct vnet *vn = vq->priv;
	uint32_t len, work_start = hypercall_work;
	struct vnet_rxbuf *b;
	unsigned int posted = 0;

	while ((b = virtq_get_used(vq, &len))) {
		uint32_t frame = len >= sizeof(b->hdr) ? len - (uint32_t)sizeof(b->hdr) : 0;

		if (frame < XENO_NETIF_MIN_FRAME || frame > XENO_NETIF_MAX_FRAME) {
			vn->nic.stats.rx_errors++;
		} else {
			vn->nic.stats.rx_packets++;
			vn->nic.stats.rx_bytes += frame;
			pnic_receive(&vn->nic, b->data, frame);
		}
		post_rx(vn, b);
		posted++;
		if (hypercall_work - work_start >= VNET_RX_WORK) {
			timer_arm(&vn->rx_later, time_now() + 1);	/* the next pass */
			break;
		}
	}
	if (posted)
		virtio_kick(&vn->vdev, &vn->rxq);
}

static void vnet_rx_later(struct timer *t)
{
	struct vnet *vn = (struct vnet *)((char *)t - offsetof(struct vnet, rx_later));

	vnet_rx_complete(&vn->rxq);
}

/* ---- setup ---- */

static const struct pnic_ops vnet_ops = {
	.send = vnet_send,
	.has_room = vnet_has_room,
};

/* Receive buffers for half the RX queue (two descriptors each), at most 128. */
static int alloc_rx(struct vnet *vn)
{
	vn->nr_rx = MIN(vn->rxq.num / VNET_RX_CHAIN, VNET_MAX_RX_BUFS);
	vn->rx_pages = ALIGN_UP(vn->nr_rx * (uint32_t)sizeof(struct vnet_rxbuf), PAGE_SIZE) /
		       PAGE_SIZE;
	vn->rxbufs = alloc_xenheap_pages(vn->rx_pages);
	return vn->rxbufs ? 0 : -ENOMEM;
}

/* Transmit slots for the most chains that fit: three descriptors each. */
static int alloc_tx(struct vnet *vn)
{
	vn->nr_tx = vn->txq.num / VNET_TX_CHAIN;
	vn->tx_pages = ALIGN_UP(vn->nr_tx * (uint32_t)sizeof(struct vnet_txslot), PAGE_SIZE) /
		       PAGE_SIZE;
	vn->txslots = alloc_xenheap_pages(vn->tx_pages);
	if (!vn->txslots)
		return -ENOMEM;
	for (unsigned int i = 0; i < vn->nr_tx; i++) {
		vn->txslots[i].next_free = vn->free_tx;
		vn->free_tx = &vn->txslots[i];
	}
	return 0;
}

static void free_buffers(struct vnet *vn)
{
	if (vn->rxbufs)
		free_xenheap_pages(vn->rxbufs, vn->rx_pages);
	if (vn->txslots)
		free_xenheap_pages(vn->txslots, vn->tx_pages);
}

/* The device's MAC, or a locally administered one if it offers none. */
static void fill_nic(struct vnet *vn)
{
	struct pnic *nic = &vn->nic;

	snprintf(nic->name, sizeof(nic->name), "virtio-net%u", nr_vnets);
	for (unsigned int i = 0; i < PNIC_MAC_LEN; i++)
		nic->mac[i] = virtio_has_feature(&vn->vdev, VIRTIO_NET_F_MAC) ?
			      virtio_config_read8(&vn->vdev, VNET_CFG_MAC + i) : 0;
	if (!virtio_has_feature(&vn->vdev, VIRTIO_NET_F_MAC)) {
		nic->mac[0] = 0x02;		/* locally administered, unicast */
		nic->mac[5] = (uint8_t)nr_vnets;
	}
	nic->ops = &vnet_ops;
	nic->priv = vn;
	vn->rx_later.fn = vnet_rx_later;
}

static int setup_queues(struct vnet *vn)
{
	int rc = virtio_setup_queue(&vn->vdev, VNET_RX_QUEUE, &vn->rxq, vnet_rx_complete, vn);

	if (!rc)
		rc = virtio_setup_queue(&vn->vdev, VNET_TX_QUEUE, &vn->txq, vnet_tx_complete, vn);
	if (!rc && (vn->rxq.num < VNET_RX_CHAIN || vn->txq.num < VNET_TX_CHAIN))
		rc = -ENODEV;
	if (!rc)
		rc = alloc_rx(vn);
	if (!rc)
		rc = alloc_tx(vn);
	return rc;
}

int virtio_net_probe(struct pci_dev *pdev)
{
	struct vnet *vn = &vnets[nr_vnets];
	int rc;

	if (nr_vnets == ARRAY_SIZE(vnets) || pnic_count() == PNIC_MAX_NICS)
		return -ENOSPC;
	memset(vn, 0, sizeof(*vn));
	rc = virtio_init(&vn->vdev, pdev);
	if (rc)
		return rc;
	virtio_negotiate(&vn->vdev, VNET_FEATURES);
	rc = setup_queues(vn);
	if (rc)
		goto err_teardown;
	fill_nic(vn);
	for (unsigned int i = 0; i < vn->nr_rx; i++)
		post_rx(vn, &vn->rxbufs[i]);
	rc = virtio_ready(&vn->vdev);
	if (rc)
		goto err_teardown;
	virtio_kick(&vn->vdev, &vn->rxq);	/* only after DRIVER_OK */
	BUG_ON(pnic_register(&vn->nic));
	pdev->drvdata = vn;
	nr_vnets++;
	return 0;

err_teardown:
	virtio_teardown(&vn->vdev);
	free_buffers(vn);
	return rc;
}
