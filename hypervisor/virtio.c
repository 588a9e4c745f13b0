/* SPDX-License-Identifier: MIT */
/*
 * Legacy virtio-pci: the register block in BAR0 (I/O ports), the status
 * handshake, feature bits 0-31, queue rings given by page frame number,
 * and the interrupt status register (virtio 1.0, 4.1.4.8 "Legacy
 * Interfaces"; QEMU's virtio-*-pci with disable-modern=on, or the legacy
 * half of a transitional device).
 *
 * Invariants: the device is in DRIVER_OK only between virtio_ready() and
 * virtio_teardown(); a ring's pages belong to the device from the PFN
 * write until the reset that ends it, and are freed only after that reset.
 * MSI-X is never enabled, so the device configuration starts at offset 20
 * and every interrupt is the PCI line's, shared with other devices: the
 * ISR read tells whether it was ours, and acknowledges it.
 */
#include <errno.h>
#include <irq.h>
#include <mm.h>
#include <page.h>
#include <pci.h>
#include <virtio.h>
#include <x86.h>

/* Legacy registers: offsets in BAR0 and widths. */
#define VIRTIO_PCI_HOST_FEATURES	0	/* 32, device's offer */
#define VIRTIO_PCI_GUEST_FEATURES	4	/* 32, driver's acceptance */
#define VIRTIO_PCI_QUEUE_PFN		8	/* 32, ring >> 12; 0 = none */
#define VIRTIO_PCI_QUEUE_NUM		12	/* 16, read-only size */
#define VIRTIO_PCI_QUEUE_SEL		14	/* 16 */
#define VIRTIO_PCI_QUEUE_NOTIFY		16	/* 16, write a queue's number */
#define VIRTIO_PCI_STATUS		18	/* 8 */
#define VIRTIO_PCI_ISR			19	/* 8, reading clears it */
#define VIRTIO_PCI_CONFIG		20	/* device config (MSI-X off) */
#define VIRTIO_PCI_QUEUE_ADDR_SHIFT	12

#define VIRTIO_STATUS_ACKNOWLEDGE	0x01	/* we found the device */
#define VIRTIO_STATUS_DRIVER		0x02	/* we can drive it */
#define VIRTIO_STATUS_DRIVER_OK		0x04	/* set up; go */
#define VIRTIO_STATUS_FAILED		0x80	/* we gave up on it */
#define VIRTIO_ISR_QUEUE		0x01	/* used buffers in some queue */
#define VIRTIO_ISR_CONFIG		0x02	/* configuration changed */

static void set_status(struct virtio_dev *vd, uint8_t bits)
{
	outb(vd->io + VIRTIO_PCI_STATUS, inb(vd->io + VIRTIO_PCI_STATUS) | bits);
}

/* Writing 0 resets the device; reading back waits for it (QEMU: at once). */
static void reset(struct virtio_dev *vd)
{
	outb(vd->io + VIRTIO_PCI_STATUS, 0);
	(void)inb(vd->io + VIRTIO_PCI_STATUS);
}

int virtio_init(struct virtio_dev *vd, struct pci_dev *pdev)
{
	vd->pci = pdev;
	vd->io = pci_io_base(pdev);
	if (!vd->io || !pci_has_irq(pdev))
		return -ENODEV;
	reset(vd);
	set_status(vd, VIRTIO_STATUS_ACKNOWLEDGE);
	set_status(vd, VIRTIO_STATUS_DRIVER);
	return 0;
}

uint32_t virtio_negotiate(struct virtio_dev *vd, uint32_t wanted)
{
	vd->features = inl(vd->io + VIRTIO_PCI_HOST_FEATURES) & wanted;
	outl(vd->io + VIRTIO_PCI_GUEST_FEATURES, vd->features);
	return vd->features;
}

uint8_t virtio_config_read8(const struct virtio_dev *vd, unsigned int off)
{
	return inb(vd->io + VIRTIO_PCI_CONFIG + off);
}

uint16_t virtio_config_read16(const struct virtio_dev *vd, unsigned int off)
{
	return inw(vd->io + VIRTIO_PCI_CONFIG + off);
}

uint32_t virtio_config_read32(const struct virtio_dev *vd, unsigned int off)
{
	return inl(vd->io + VIRTIO_PCI_CONFIG + off);
}

/* Legacy config has no generation count: read until the high half holds. */
uint64_t virtio_config_read64(const struct virtio_dev *vd, unsigned int off)
{
	uint32_t hi, lo;

	do {
		hi = virtio_config_read32(vd, off + 4);
		lo = virtio_config_read32(vd, off);
	} while (hi != virtio_config_read32(vd, off + 4));
	return (uint64_t)hi << 32 | lo;
}

int virtio_setup_queue(struct virtio_dev *vd, unsigned int index, struct virtq *vq,
		       void (*callback)(struct virtq *vq), void *priv)
{
	unsigned int num, pages;
	void *ring;
	int rc;

	if (index >= VIRTIO_MAX_QUEUES)
		return -EINVAL;
	outw(vd->io + VIRTIO_PCI_QUEUE_SEL, index);
	num = inw(vd->io + VIRTIO_PCI_QUEUE_NUM);
	if (!num)
		return -ENOENT;
	if (inl(vd->io + VIRTIO_PCI_QUEUE_PFN))
		return -EBUSY;		/* someone else's ring: reset first */
	pages = (virtq_ring_bytes(num) + ALIGN_UP(virtq_token_bytes(num), PAGE_SIZE)) / PAGE_SIZE;
	ring = alloc_xenheap_pages(pages);
	if (!ring)
		return -ENOMEM;
	rc = virtq_init(vq, index, num, ring, (void **)((char *)ring + virtq_ring_bytes(num)));
	if (rc) {
		free_xenheap_pages(ring, pages);
		return rc;
	}
	vq->callback = callback;
	vq->priv = priv;
	vd->queues[index] = vq;
	vd->queue_pages[index] = pages;
	outl(vd->io + VIRTIO_PCI_QUEUE_PFN, __pa(ring) >> VIRTIO_PCI_QUEUE_ADDR_SHIFT);
	return 0;
}

/*
 * The line's handler.  Reading the ISR acknowledges it and makes the
 * device drop the line; 0 means another device on the line asked.  Used
 * buffers that arrive after the read raise the ISR (and the line) again,
 * so none is left without an interrupt.
 */
static void virtio_interrupt(unsigned int irq, void *data)
{
	struct virtio_dev *vd = data;
	uint8_t isr = inb(vd->io + VIRTIO_PCI_ISR);

	(void)irq;
	if (!isr)
		return;
	vd->interrupts++;
	if (isr & VIRTIO_ISR_QUEUE)
		for (unsigned int i = 0; i < VIRTIO_MAX_QUEUES; i++)
			if (vd->queues[i] && vd->queues[i]->callback)
				vd->queues[i]->callback(vd->queues[i]);
	if ((isr & VIRTIO_ISR_CONFIG) && vd->config_changed)
		vd->config_changed(vd);
}

int virtio_ready(struct virtio_dev *vd)
{
	int rc = irq_register_pci(vd->pci->irq_line, virtio_interrupt, vd);

	if (rc)
		return rc;
	set_status(vd, VIRTIO_STATUS_DRIVER_OK);
	return 0;
}

void virtio_teardown(struct virtio_dev *vd)
{
	set_status(vd, VIRTIO_STATUS_FAILED);
	reset(vd);
	for (unsigned int i = 0; i < VIRTIO_MAX_QUEUES; i++) {
		if (!vd->queues[i])
			continue;
		free_xenheap_pages(vd->queues[i]->desc, vd->queue_pages[i]);
		vd->queues[i] = NULL;
	}
}

void virtio_kick(struct virtio_dev *vd, struct virtq *vq)
{
	/* virtq_kick_prepare()'s mb() has put the ring out before this write. */
	if (virtq_kick_prepare(vq))
		outw(vd->io + VIRTIO_PCI_QUEUE_NOTIFY, vq->index);
}
