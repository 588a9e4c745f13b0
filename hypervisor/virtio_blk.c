/* SPDX-License-Identifier: MIT */
/*
 * virtio-blk (legacy PCI) as a physical disk (pdisk.h): one disk per
 * device, one request queue.
 *
 * A request is one chain: [header, device reads][the io's segments, at
 * their machine addresses (the device writes them for a read)][status
 * byte, device writes].  Header and status live in a per-request slot in
 * hypervisor memory; the data moves straight between the disk and the
 * submitter's frames.  A slot is free (on free_reqs, io == NULL) or in
 * flight (its chain is on the ring, io set) and the chain's token is the
 * slot.  done() runs for every io taken, exactly once: from the interrupt
 * handler, or before submit() returns for a flush the device does not
 * need.  After an -EBUSY, pdisk_room() follows once the queue can take a
 * request of PDISK_MAX_SEGS segments again.
 *
 * Without VIRTIO_BLK_F_FLUSH, QEMU runs the disk write-through (it turns
 * its write cache off when a legacy driver does not accept the feature),
 * so a flush has nothing to wait for.
 */
#include <console.h>
#include <errno.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <page.h>
#include <panic.h>
#include <pci.h>
#include <pdisk.h>
#include <virtio.h>

/* Feature bits. */
#define VIRTIO_BLK_F_SIZE_MAX	1	/* config size_max: largest segment */
#define VIRTIO_BLK_F_SEG_MAX	2	/* config seg_max: data segments */
#define VIRTIO_BLK_F_RO		5	/* read-only disk */
#define VIRTIO_BLK_F_FLUSH	9	/* VIRTIO_BLK_T_FLUSH (legacy: "WCE") */
#define VBLK_FEATURES		(1u << VIRTIO_BLK_F_SIZE_MAX | 1u << VIRTIO_BLK_F_SEG_MAX | \
				 1u << VIRTIO_BLK_F_RO | 1u << VIRTIO_BLK_F_FLUSH)

/* Device configuration offsets. */
#define VBLK_CFG_CAPACITY	0	/* 64: 512-byte sectors */
#define VBLK_CFG_SIZE_MAX	8	/* 32 */
#define VBLK_CFG_SEG_MAX	12	/* 32 */

#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4
#define VIRTIO_BLK_S_OK		0
#define VBLK_STATUS_UNSET	0xff	/* what the device never writes */

#define VBLK_QUEUE		0
#define VBLK_CHAIN_MAX		(PDISK_MAX_SEGS + 2)	/* header and status */
/*
 * Work counted for a submit (hypercall_count_work() units, about a word
 * touched each): four words per descriptor, and a notify, which traps to
 * the device model, as much as a quarter of an L1 table validated.
 */
#define VBLK_WORK_PER_DESC	4
#define VBLK_WORK_KICK		256

struct virtio_blk_outhdr {
	uint32_t type;		/* VIRTIO_BLK_T_* */
	uint32_t ioprio;	/* 0 */
	uint64_t sector;	/* 512-byte units; 0 for a flush */
};
_Static_assert(sizeof(struct virtio_blk_outhdr) == 16, "virtio_blk_outhdr");

/* One request in flight; the device reads hdr and writes status (DMA). */
struct vblk_req {
	struct virtio_blk_outhdr hdr;
	uint8_t status;
	struct pdisk_io *io;		/* NULL while free */
	struct vblk_req *next_free;
};

struct vblk {
	struct pdisk disk;
	struct virtio_dev vdev;
	struct virtq vq;
	struct vblk_req *reqs;		/* nr_reqs slots, heap pages */
	unsigned int nr_reqs, req_pages;
	struct vblk_req *free_reqs;
	bool want_room;			/* an -EBUSY since the last pdisk_room() */
	unsigned long errors;		/* requests the device failed */
};

static struct vblk vblks[PDISK_MAX_DISKS];
static unsigned int nr_vblks;

static bool has_room(const struct vblk *vb, unsigned int descs)
{
	return vb->free_reqs && virtq_num_free(&vb->vq) >= descs;
}

static uint32_t req_type(enum pdisk_op op)
{
	return op == PDISK_READ ? VIRTIO_BLK_T_IN :
	       op == PDISK_WRITE ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_FLUSH;
}

/* The chain for io in slot r, into bufs; its length. */
static unsigned int build_chain(struct vblk_req *r, const struct pdisk_io *io,
				struct virtq_buf *bufs)
{
	unsigned int n = 0;

	r->hdr.type = req_type(io->op);
	r->hdr.ioprio = 0;
	r->hdr.sector = io->op == PDISK_FLUSH ? 0 : io->sector;
	r->status = VBLK_STATUS_UNSET;
	bufs[n++] = (struct virtq_buf){ __pa(&r->hdr), sizeof(r->hdr), false };
	for (unsigned int i = 0; i < io->nr_segs; i++)
		bufs[n++] = (struct virtq_buf){ io->seg[i].maddr, io->seg[i].len,
						io->op == PDISK_READ };
	bufs[n++] = (struct virtq_buf){ __pa(&r->status), sizeof(r->status), true };
	return n;
}

static int vblk_submit(struct pdisk *disk, struct pdisk_io *io)
{
	struct virtq_buf bufs[VBLK_CHAIN_MAX];
	struct vblk *vb = disk->priv;
	struct vblk_req *r;
	unsigned int n;
	int rc = pdisk_check_io(disk, io);

	if (rc)
		return trace_error(rc);
	if (io->op == PDISK_FLUSH && !virtio_has_feature(&vb->vdev, VIRTIO_BLK_F_FLUSH)) {
		io->done(io, 0);	/* write-through: nothing to wait for */
		return 0;
	}
	if (!has_room(vb, io->nr_segs + 2)) {
		vb->want_room = true;
		return -EBUSY;
	}
	r = vb->free_reqs;
	vb->free_reqs = r->next_free;
	r->io = io;
	n = build_chain(r, io, bufs);
	BUG_ON(virtq_add(&vb->vq, bufs, n, r));
	virtio_kick(&vb->vdev, &vb->vq);
	hypercall_count_work(n * VBLK_WORK_PER_DESC + VBLK_WORK_KICK);
	return 0;
}

/* The queue's interrupt: finish every used request, then make room known. */
static void vblk_complete(struct virtq *vq)
{
	struct vblk *vb = vq->priv;
	struct vblk_req *r;

	while ((r = virtq_get_used(vq, NULL))) {
		struct pdisk_io *io = r->io;
		int status = r->status == VIRTIO_BLK_S_OK ? 0 : -EIO;

		if (status && vb->errors++ < 8)
			printk("%s: request at sector %llu failed (status %u)\n", vb->disk.name,
			       io->sector, r->status);
		r->io = NULL;
		r->next_free = vb->free_reqs;
		vb->free_reqs = r;
		io->done(io, status);
	}
	if (vb->want_room && has_room(vb, VBLK_CHAIN_MAX)) {
		vb->want_room = false;
		pdisk_room(&vb->disk);
	}
}

static const struct pdisk_ops vblk_ops = {
	.submit = vblk_submit,
};

/* Slots for the most chains that fit: two descriptors each at least. */
static int alloc_reqs(struct vblk *vb)
{
	vb->nr_reqs = vb->vq.num / 2;
	vb->req_pages = ALIGN_UP(vb->nr_reqs * (uint32_t)sizeof(struct vblk_req), PAGE_SIZE) /
			PAGE_SIZE;
	vb->reqs = alloc_xenheap_pages(vb->req_pages);
	if (!vb->reqs)
		return -ENOMEM;
	for (unsigned int i = 0; i < vb->nr_reqs; i++) {
		vb->reqs[i].next_free = vb->free_reqs;
		vb->free_reqs = &vb->reqs[i];
	}
	return 0;
}

/* What the device offers must carry our largest request. */
static int check_limits(struct vblk *vb)
{
	struct virtio_dev *vd = &vb->vdev;

	if (virtio_has_feature(vd, VIRTIO_BLK_F_SEG_MAX) &&
	    virtio_config_read32(vd, VBLK_CFG_SEG_MAX) < PDISK_MAX_SEGS)
		return -ENODEV;
	if (virtio_has_feature(vd, VIRTIO_BLK_F_SIZE_MAX) &&
	    virtio_config_read32(vd, VBLK_CFG_SIZE_MAX) < PAGE_SIZE)
		return -ENODEV;
	if (vb->vq.num < VBLK_CHAIN_MAX)
		return -ENODEV;
	return 0;
}

static void fill_disk(struct vblk *vb)
{
	struct pdisk *d = &vb->disk;

	snprintf(d->name, sizeof(d->name), "virtio%u", nr_vblks);
	d->sectors = virtio_config_read64(&vb->vdev, VBLK_CFG_CAPACITY);
	d->readonly = virtio_has_feature(&vb->vdev, VIRTIO_BLK_F_RO);
	d->ops = &vblk_ops;
	d->priv = vb;
}

int virtio_blk_probe(struct pci_dev *pdev)
{
	struct vblk *vb = &vblks[nr_vblks];
	int rc;

	if (nr_vblks == ARRAY_SIZE(vblks) || pdisk_count() == PDISK_MAX_DISKS)
		return -ENOSPC;
	memset(vb, 0, sizeof(*vb));
	rc = virtio_init(&vb->vdev, pdev);
	if (rc)
		return rc;
	virtio_negotiate(&vb->vdev, VBLK_FEATURES);
	rc = virtio_setup_queue(&vb->vdev, VBLK_QUEUE, &vb->vq, vblk_complete, vb);
	if (rc)
		goto err_teardown;
	rc = check_limits(vb);
	if (!rc)
		rc = alloc_reqs(vb);
	if (rc)
		goto err_teardown;
	fill_disk(vb);
	rc = virtio_ready(&vb->vdev);
	if (rc)
		goto err_free_reqs;
	BUG_ON(pdisk_register(&vb->disk));
	pdev->drvdata = vb;
	nr_vblks++;
	return 0;

err_free_reqs:
	free_xenheap_pages(vb->reqs, vb->req_pages);
err_teardown:
	virtio_teardown(&vb->vdev);
	return rc;
}
