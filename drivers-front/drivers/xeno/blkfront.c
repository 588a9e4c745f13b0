// SPDX-License-Identifier: GPL-2.0
/*
 * xeno-blkfront: the block front end.  Each VBD the hypervisor gives this
 * domain (vdev_op PROBE) becomes a disk /dev/xvdX over one blkif ring
 * (xeno/public/io/blkif.h): a request carries up to 11 segments, each a run
 * of 512-byte sectors inside one page, named by machine frame, so the data
 * moves by DMA between the disk and the page-cache pages themselves.
 *
 * One blk-mq hardware queue per disk; a ring slot per request in flight
 * (its id is the slot's tag), at most XENO_BLKIF_RING_SLOTS.  The queue
 * stops when the ring is full and starts again from the interrupt.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/interrupt.h>
#include <linux/major.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <asm/xeno/hypercall.h>
#include <asm/xeno/xeno.h>
#include <xeno/public/event_channel.h>
#include <xeno/public/io/blkif.h>
#include <xeno/public/vdev.h>

#define XBD_MINORS		16	/* partitions per disk */
#define XBD_MAX_DISKS		8
#define XBD_SLOTS		XENO_BLKIF_RING_SLOTS

struct xbd {
	struct gendisk *disk;
	struct blk_mq_tag_set tag_set;
	u16 handle;
	bool readonly;
	u64 sectors;
	struct xeno_ring_front ring;
	struct xeno_blkif_sring *sring;		/* the hypervisor's page, mapped */
	unsigned int port;
	int irq;
	spinlock_t lock;			/* the ring, the slots */
	struct request *slot[XBD_SLOTS];	/* in flight, by request id */
};

static int xbd_major;
static struct xbd *xbds[XBD_MAX_DISKS];
static unsigned int nr_xbds;

static u8 blkif_op(struct request *rq)
{
	switch (req_op(rq)) {
	case REQ_OP_READ:
		return XENO_BLKIF_OP_READ;
	case REQ_OP_WRITE:
		return XENO_BLKIF_OP_WRITE;
	case REQ_OP_FLUSH:
		return XENO_BLKIF_OP_FLUSH;
	default:
		return 0xff;
	}
}

/* Fill ring request 'r' from 'rq': segments from the single-page bvecs. */
static void xbd_fill(struct xeno_blkif_request *r, struct request *rq, unsigned int id)
{
	struct req_iterator iter;
	struct bio_vec bv;
	unsigned int n = 0;

	memset(r, 0, sizeof(*r));
	r->op = blkif_op(rq);
	r->id = id;
	r->sector = blk_rq_pos(rq);
	if (r->op == XENO_BLKIF_OP_FLUSH)
		return;
	rq_for_each_segment(bv, rq, iter) {
		struct xeno_blkif_segment *s = &r->seg[n++];

		s->mfn = pfn_to_mfn(page_to_pfn(bv.bv_page));
		s->first_sect = bv.bv_offset >> SECTOR_SHIFT;
		s->last_sect = (bv.bv_offset + bv.bv_len - 1) >> SECTOR_SHIFT;
	}
	r->nr_segments = n;
}

static int xbd_free_slot(const struct xbd *x)
{
	for (int i = 0; i < XBD_SLOTS; i++)
		if (!x->slot[i])
			return i;
	return -1;
}

static blk_status_t xbd_queue_rq(struct blk_mq_hw_ctx *hctx, const struct blk_mq_queue_data *bd)
{
	struct xbd *x = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	unsigned long flags;
	int id, notify;

	if (blkif_op(rq) == 0xff)
		return BLK_STS_NOTSUPP;
	spin_lock_irqsave(&x->lock, flags);
	id = xbd_free_slot(x);
	if (id < 0 || !xeno_ring_free_requests(&x->ring)) {
		blk_mq_stop_hw_queue(hctx);
		spin_unlock_irqrestore(&x->lock, flags);
		return BLK_STS_DEV_RESOURCE;
	}
	blk_mq_start_request(rq);
	x->slot[id] = rq;
	xbd_fill(&x->sring->slot[x->ring.req_prod_pvt++ & (XBD_SLOTS - 1)].req, rq, id);
	notify = xeno_ring_push_requests(&x->ring);
	spin_unlock_irqrestore(&x->lock, flags);
	if (notify) {
		struct xeno_evtchn_port send = { x->port };

		HYPERVISOR_event_channel_op(XENO_EVTCHNOP_send, &send);
	}
	return BLK_STS_OK;
}

/* Responses: complete their requests, restart a stopped queue. */
static irqreturn_t xbd_interrupt(int irq, void *dev)
{
	struct xbd *x = dev;
	unsigned long flags;
	bool more;

	spin_lock_irqsave(&x->lock, flags);
	do {
		while (xeno_ring_unconsumed_responses(&x->ring)) {
			struct xeno_blkif_response r =
				x->sring->slot[x->ring.rsp_cons++ & (XBD_SLOTS - 1)].rsp;
			struct request *rq = r.id < XBD_SLOTS ? x->slot[r.id] : NULL;

			if (!rq) {
				pr_err("xvd%c: response for no request (id %llu)\n",
				       'a' + x->handle, r.id);
				continue;
			}
			x->slot[r.id] = NULL;
			if (r.status != XENO_BLKIF_RSP_OKAY)
				pr_err_ratelimited("xvd%c: %s at sector %llu failed (%d)\n",
						   'a' + x->handle, blk_op_str(req_op(rq)),
						   blk_rq_pos(rq), r.status);
			blk_mq_end_request(rq, r.status == XENO_BLKIF_RSP_OKAY ? BLK_STS_OK :
					   r.status == XENO_BLKIF_RSP_EOPNOTSUPP ?
					   BLK_STS_NOTSUPP : BLK_STS_IOERR);
		}
		more = xeno_ring_final_check_responses(&x->ring);
	} while (more);
	spin_unlock_irqrestore(&x->lock, flags);
	blk_mq_start_stopped_hw_queues(x->disk->queue, true);
	return IRQ_HANDLED;
}

static const struct blk_mq_ops xbd_mq_ops = {
	.queue_rq	= xbd_queue_rq,
};

static const struct block_device_operations xbd_fops = {
	.owner		= THIS_MODULE,
};

/* Connect to the back end: the ring page mapped, the port bound. */
static int xbd_connect(struct xbd *x)
{
	struct xeno_vdev_connect c = { .type = XENO_VDEV_BLK, .handle = x->handle };
	int rc = HYPERVISOR_vdev_op(XENO_VDEV_CONNECT, &c);

	if (rc)
		return rc;
	x->sring = xeno_map_machine_page(c.ring_mfn[0]);
	if (!x->sring)
		return -ENOMEM;
	x->port = c.port;
	xeno_ring_front_init(&x->ring, x->sring, XBD_SLOTS);
	x->irq = xeno_bind_port_to_irqhandler(x->port, xbd_interrupt, 0, "xeno-blkfront", x);
	if (x->irq < 0) {
		rc = x->irq;
		xeno_unmap_machine_page(x->sring);
		return rc;
	}
	return 0;
}

static void xbd_disconnect(struct xbd *x)
{
	struct xeno_vdev_connect c = { .type = XENO_VDEV_BLK, .handle = x->handle };

	HYPERVISOR_vdev_op(XENO_VDEV_DISCONNECT, &c);
	xeno_unbind_irqhandler(x->irq, x);
	xeno_unmap_machine_page(x->sring);
}

static int xbd_add_disk(struct xbd *x)
{
	struct request_queue *q;
	int rc;

	x->tag_set.ops = &xbd_mq_ops;
	x->tag_set.nr_hw_queues = 1;
	x->tag_set.queue_depth = XBD_SLOTS;
	x->tag_set.numa_node = NUMA_NO_NODE;
	x->tag_set.flags = BLK_MQ_F_SHOULD_MERGE;
	rc = blk_mq_alloc_tag_set(&x->tag_set);
	if (rc)
		return rc;
	x->disk = blk_mq_alloc_disk(&x->tag_set, x);
	if (IS_ERR(x->disk)) {
		rc = PTR_ERR(x->disk);
		goto err_tags;
	}
	q = x->disk->queue;
	blk_queue_logical_block_size(q, SECTOR_SIZE);
	blk_queue_max_segments(q, XENO_BLKIF_MAX_SEGMENTS);
	blk_queue_max_segment_size(q, PAGE_SIZE);
	blk_queue_segment_boundary(q, PAGE_SIZE - 1);
	blk_queue_max_hw_sectors(q, XENO_BLKIF_MAX_SEGMENTS * XENO_BLKIF_SECTORS_PER_FRAME);
	blk_queue_dma_alignment(q, SECTOR_SIZE - 1);
	blk_queue_write_cache(q, true, false);
	x->disk->major = xbd_major;
	x->disk->first_minor = x->handle * XBD_MINORS;
	x->disk->minors = XBD_MINORS;
	x->disk->fops = &xbd_fops;
	x->disk->private_data = x;
	snprintf(x->disk->disk_name, DISK_NAME_LEN, "xvd%c", 'a' + x->handle);
	set_capacity(x->disk, x->sectors);
	set_disk_ro(x->disk, x->readonly);
	rc = add_disk(x->disk);
	if (rc)
		goto err_disk;
	return 0;
err_disk:
	put_disk(x->disk);
err_tags:
	blk_mq_free_tag_set(&x->tag_set);
	return rc;
}

static int xbd_probe_one(const struct xeno_vdev_info *info)
{
	struct xbd *x;
	int rc;

	if (info->handle >= XBD_MAX_DISKS)
		return -ENODEV;
	x = kzalloc(sizeof(*x), GFP_KERNEL);
	if (!x)
		return -ENOMEM;
	spin_lock_init(&x->lock);
	x->handle = info->handle;
	x->readonly = info->flags & XENO_VDEV_F_READONLY;
	x->sectors = info->sectors;
	rc = xbd_connect(x);
	if (rc)
		goto err_free;
	rc = xbd_add_disk(x);
	if (rc)
		goto err_disconnect;
	pr_info("xvd%c: %llu sectors (%llu MiB)%s\n", 'a' + x->handle, x->sectors,
		x->sectors >> 11, x->readonly ? ", read-only" : "");
	xbds[nr_xbds++] = x;
	return 0;
err_disconnect:
	xbd_disconnect(x);
err_free:
	kfree(x);
	return rc;
}

static int __init xbd_init(void)
{
	struct xeno_vdev_info info[XBD_MAX_DISKS];
	struct xeno_vdev_probe p = { .infos = (u32)(unsigned long)info, .max = XBD_MAX_DISKS };
	int rc;

	if (!cpu_feature_enabled(X86_FEATURE_XENO))
		return -ENODEV;
	rc = HYPERVISOR_vdev_op(XENO_VDEV_PROBE, &p);
	if (rc)
		return rc;
	xbd_major = register_blkdev(0, "xvd");
	if (xbd_major < 0)
		return xbd_major;
	for (unsigned int i = 0; i < min_t(u32, p.count, XBD_MAX_DISKS); i++) {
		if (info[i].type != XENO_VDEV_BLK)
			continue;
		rc = xbd_probe_one(&info[i]);
		if (rc)
			pr_err("xvd%c: cannot set it up (%d)\n", 'a' + info[i].handle, rc);
	}
	return 0;
}

static void __exit xbd_exit(void)
{
	while (nr_xbds) {
		struct xbd *x = xbds[--nr_xbds];

		del_gendisk(x->disk);	/* waits for requests in flight */
		put_disk(x->disk);
		blk_mq_free_tag_set(&x->tag_set);
		xbd_disconnect(x);
		kfree(x);
	}
	unregister_blkdev(xbd_major, "xvd");
}

module_init(xbd_init);
module_exit(xbd_exit);
MODULE_DESCRIPTION("Xeno virtual block device front end");
MODULE_LICENSE("GPL");
