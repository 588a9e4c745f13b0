/* SPDX-License-Identifier: MIT */
/*
 * Legacy virtio over PCI (virtio.c): the transport a virtio driver
 * (virtio_blk.c, and virtio-net next) builds on.  The rings themselves are
 * in virtio_ring.h.
 *
 * A driver's probe: virtio_init(), virtio_negotiate(), read its config,
 * virtio_setup_queue() for each queue, then virtio_ready(), which hooks the
 * interrupt and sets DRIVER_OK.  If a step fails, virtio_teardown() resets
 * the device and frees the rings.  After that the driver adds chains with
 * virtq_add(), calls virtio_kick(), and collects used chains with
 * virtq_get_used() from its queue callback, which runs in interrupt
 * context (do_irq).
 */
#ifndef XENO_VIRTIO_H
#define XENO_VIRTIO_H

#include <types.h>
#include <virtio_ring.h>

#define VIRTIO_PCI_VENDOR	0x1af4
/* Legacy (transitional) device ids: 0x1000 + the virtio device type - 1. */
#define VIRTIO_PCI_DEVICE_NET	0x1000
#define VIRTIO_PCI_DEVICE_BLK	0x1001
#define VIRTIO_MAX_QUEUES	4	/* per device: net needs 2 (3 with ctrl) */

struct pci_dev;

struct virtio_dev {
	struct pci_dev *pci;
	uint16_t io;				/* BAR0, the legacy registers */
	uint32_t features;			/* negotiated (bits 0-31) */
	struct virtq *queues[VIRTIO_MAX_QUEUES];	/* set up, by number */
	unsigned int queue_pages[VIRTIO_MAX_QUEUES];	/* their allocations */
	void (*config_changed)(struct virtio_dev *vd);	/* the driver's, or NULL */
	void *priv;				/* the driver's */
	unsigned long interrupts;		/* raised by this device */
};

/*
 * Reset the device and say hello (ACK, DRIVER): 0, or -ENODEV without an
 * I/O BAR or an interrupt line.
 */
int virtio_init(struct virtio_dev *vd, struct pci_dev *pdev);
/* Accept the wanted features the device offers; returns them. */
uint32_t virtio_negotiate(struct virtio_dev *vd, uint32_t wanted);

static inline bool virtio_has_feature(const struct virtio_dev *vd, unsigned int bit)
{
	return vd->features & (1u << bit);
}

/* The device-specific configuration, at byte offset 'off'. */
uint8_t virtio_config_read8(const struct virtio_dev *vd, unsigned int off);
uint16_t virtio_config_read16(const struct virtio_dev *vd, unsigned int off);
uint32_t virtio_config_read32(const struct virtio_dev *vd, unsigned int off);
uint64_t virtio_config_read64(const struct virtio_dev *vd, unsigned int off);

/*
 * Give queue 'index' a ring of the size the device fixes, in zeroed,
 * contiguous heap pages: 0, -ENOENT (no such queue), -EBUSY (it has a
 * ring), -EINVAL (a size that is no power of two), -ENOMEM.  'callback' runs when the device signals
 * used buffers; vq->priv is 'priv'.
 */
int virtio_setup_queue(struct virtio_dev *vd, unsigned int index, struct virtq *vq,
		       void (*callback)(struct virtq *vq), void *priv);
/* Hook the interrupt line and set DRIVER_OK: 0 or irq_register_pci()'s error. */
int virtio_ready(struct virtio_dev *vd);
/* Reset the device (it forgets its rings), then free them. */
void virtio_teardown(struct virtio_dev *vd);
/* Tell the device about the chains added to vq, unless it asked not to. */
void virtio_kick(struct virtio_dev *vd, struct virtq *vq);

#endif
