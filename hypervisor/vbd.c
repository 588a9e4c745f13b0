/* SPDX-License-Identifier: MIT */
/*
 * Virtual block devices and the block back end (abi.md 10.2).  A VBD is a
 * list of extents of physical disks (pdisk.h), read-only or read-write,
 * given to a domain by Domain0; its front end talks to it over one blkif
 * ring (public/io/blkif.h).
 *
 * Every request is copied out of the ring before it is looked at, and
 * checked whole before anything is done: 1-11 segments of whole sectors
 * inside a frame, frames the domain owns that the hypervisor does not share
 * with it, a sector range inside the VBD, no writes to a read-only VBD.
 * Each frame is held from then until the disk is done with it: a general
 * reference, and for a read (the disk writes memory) a writable type
 * reference too, so that no page table or descriptor frame is ever written
 * by the device and no held frame can change its use meanwhile.  The range
 * is split at extent boundaries into pieces, each one pdisk_io that moves
 * data straight between the disk and the frames.  The response goes out when
 * every piece is done; a domain with I/O in flight is not torn down until
 * it has drained (domain.c).
 *
 * Work: a kick runs one batch (VBD_BATCH requests) in the kicking hypercall
 * and counts it; more, or requests that wait for the disk, are served from
 * the exit path (vdev_service()).
 */
#include <console.h>
#include <domain.h>
#include <errno.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <mm_types.h>
#include <panic.h>
#include <pdisk.h>
#include <public/dom0_ops.h>
#include <public/io/blkif.h>
#include <vbd.h>
#include <vdev.h>
#include <x86.h>

#define VBD_MAX_EXTENTS		16
#define VBD_MAX_REQS		XENO_BLKIF_RING_SLOTS	/* in flight per VBD */
#define VBD_MAX_PIECES		32
#define VBD_BATCH		16	/* requests per kick or service pass */
#define WORK_PER_REQUEST	64	/* work units: copy, check, respond */
#define WORK_PER_SEGMENT	16	/* a frame held, a segment mapped */

struct vbd_extent {
	struct pdisk *disk;
	uint64_t start;			/* first sector on the disk */
	uint64_t sectors;
};

struct vbd;

/* A guest request in flight: what to answer, and which frames it holds. */
struct vbd_req {
	uint64_t id;
	uint8_t op;
	bool in_use;
	bool typed;			/* the frames hold writable type references */
	int16_t status;
	uint32_t generation;		/* the connection it came in on */
	unsigned int pieces_left;
	unsigned int nr_frames;
	uint32_t frame[XENO_BLKIF_MAX_SEGMENTS];
};

/* One pdisk_io of a request: a run of sectors on one disk. */
struct vbd_piece {
	struct pdisk_io io;		/* io.owner points back here */
	struct pdisk *disk;
	struct vbd *vbd;
	struct vbd_req *req;		/* NULL: the piece is free */
	struct vbd_piece *next_blocked;
};

struct vbd {
	struct vdev vdev;		/* first: the vdev is the VBD */
	bool readonly;
	unsigned int nr_extents;
	struct vbd_extent extent[VBD_MAX_EXTENTS];
	uint64_t sectors;		/* sum of the extents */
	struct xeno_ring_back ring;
	uint32_t generation;		/* bumped at every connect */
	unsigned int reqs_in_flight, pieces_in_flight;
	struct vbd_piece *blocked, *blocked_tail;	/* refused by a full disk, in order */
	struct vbd_stats stats;
	struct vbd_req req[VBD_MAX_REQS];
	struct vbd_piece piece[VBD_MAX_PIECES];
};

#define VBD_PAGES	((sizeof(struct vbd) + PAGE_SIZE - 1) / PAGE_SIZE)

static struct vbd *to_vbd(const struct vdev *v)
{
	return (struct vbd *)v;
}

/* ---- responses ---- */

static void respond(struct vbd *vbd, const struct vbd_req *r)
{
	struct xeno_blkif_sring *s = vbd->vdev.ring[0];
	struct xeno_blkif_response rsp;

	if (!vbd->vdev.connected || r->generation != vbd->generation || vbd->vdev.domain->dying)
		return;		/* the front that asked is gone */
	memset(&rsp, 0, sizeof(rsp));	/* no hypervisor bytes in the padding */
	rsp.id = r->id;
	rsp.op = r->op;
	rsp.status = r->status;
	s->slot[vbd->ring.rsp_prod_pvt++ & (XENO_BLKIF_RING_SLOTS - 1)].rsp = rsp;
	if (xeno_ring_push_responses(&vbd->ring))
		vdev_notify(&vbd->vdev);
}

static void release_frames(struct vbd_req *r)
{
	for (unsigned int i = 0; i < r->nr_frames; i++) {
		if (r->typed)
			put_page_and_type(r->frame[i]);
		else
			put_page(r->frame[i]);
	}
	r->nr_frames = 0;
}

static void finish(struct vbd *vbd, struct vbd_req *r)
{
	struct domain *d = vbd->vdev.domain;

	release_frames(r);
	respond(vbd, r);
	r->in_use = false;
	vbd->reqs_in_flight--;
	if (vbd->vdev.connected)
		vdev_want_service(&vbd->vdev);	/* requests may wait for this slot */
	if (d->dying && !vdev_domain_busy(d))
		domain_io_drained(d);
}

/* A piece is done: from the disk's interrupt, or inside its submit(). */
static void piece_done(struct pdisk_io *io, int status)
{
	struct vbd_piece *p = io->owner;
	struct vbd *vbd = p->vbd;
	struct vbd_req *r = p->req;

	if (status) {
		r->status = XENO_BLKIF_RSP_ERROR;
		vbd->stats.errors++;
	}
	p->req = NULL;
	vbd->pieces_in_flight--;
	if (--r->pieces_left == 0)
		finish(vbd, r);
}

/* ---- checking a request ---- */

static struct vbd_req *alloc_req(struct vbd *vbd)
{
	for (unsigned int i = 0; i < VBD_MAX_REQS; i++) {
		if (!vbd->req[i].in_use) {
			memset(&vbd->req[i], 0, sizeof(vbd->req[i]));
			vbd->req[i].in_use = true;
			vbd->reqs_in_flight++;
			return &vbd->req[i];
		}
	}
	return NULL;
}

/* Total sectors of the segments, or 0 if a segment is malformed. */
static uint64_t segment_sectors(const struct xeno_blkif_request *rq)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < rq->nr_segments; i++) {
		const struct xeno_blkif_segment *s = &rq->seg[i];

		if (s->first_sect > s->last_sect || s->last_sect >= XENO_BLKIF_SECTORS_PER_FRAME)
			return 0;
		n += s->last_sect - s->first_sect + 1u;
	}
	return n;
}

/* Everything about a read or write but its frames: 0 or -EINVAL. */
int vbd_check_request(bool readonly, uint64_t vbd_sectors, const struct xeno_blkif_request *rq)
{
	uint64_t n;

	if (rq->op != XENO_BLKIF_OP_READ && rq->op != XENO_BLKIF_OP_WRITE)
		return -EINVAL;
	if (rq->nr_segments == 0 || rq->nr_segments > XENO_BLKIF_MAX_SEGMENTS)
		return -EINVAL;
	if (rq->op == XENO_BLKIF_OP_WRITE && readonly)
		return -EINVAL;
	n = segment_sectors(rq);
	if (!n || rq->sector >= vbd_sectors || n > vbd_sectors - rq->sector)
		return -EINVAL;
	return 0;
}

/*
 * Hold every frame of the request, for the device: the domain's own, not a
 * page the hypervisor shares with it, and for a read plain writable memory.
 * All or nothing.
 */
static int hold_frames(struct vbd *vbd, const struct xeno_blkif_request *rq, struct vbd_req *r)
{
	struct domain *d = vbd->vdev.domain;

	r->typed = rq->op == XENO_BLKIF_OP_READ;
	for (unsigned int i = 0; i < rq->nr_segments; i++) {
		uint32_t mfn = rq->seg[i].mfn;
		int rc;

		if (vdev_is_shared_frame(d, mfn))
			rc = -EPERM;
		else if (r->typed)
			rc = get_page_and_type(mfn, PGT_writable, d);
		else
			rc = get_page(mfn, d) ? 0 : -EPERM;
		if (rc) {
			release_frames(r);
			return rc;
		}
		r->frame[r->nr_frames++] = mfn;
	}
	return 0;
}

/* ---- splitting into pieces ---- */

/* The extent holding VBD sector s, and s's offset in it. */
static const struct vbd_extent *find_extent(const struct vbd *vbd, uint64_t s, uint64_t *off)
{
	for (unsigned int i = 0; i < vbd->nr_extents; i++) {
		if (s < vbd->extent[i].sectors) {
			*off = s;
			return &vbd->extent[i];
		}
		s -= vbd->extent[i].sectors;
	}
	return NULL;
}

/*
 * Walk the request's sectors as runs that lie in one extent and one frame;
 * start a new piece where the disk or the disk sector does not continue the
 * last one, or it is full.  pieces == NULL: only count them.
 */
static unsigned int split(struct vbd *vbd, const struct xeno_blkif_request *rq,
			  struct vbd_piece **pieces)
{
	const struct pdisk *disk = NULL;
	struct pdisk_io *io = NULL;
	uint64_t s = rq->sector, next = 0;
	unsigned int count = 0, segs = PDISK_MAX_SEGS;

	for (unsigned int i = 0; i < rq->nr_segments; i++) {
		const struct xeno_blkif_segment *seg = &rq->seg[i];
		unsigned int first = seg->first_sect, left = seg->last_sect - first + 1u;

		while (left) {
			uint64_t off = 0;
			const struct vbd_extent *e = find_extent(vbd, s, &off);
			unsigned int run = (unsigned int)MIN((uint64_t)left, e->sectors - off);

			if (e->disk != disk || e->start + off != next || segs == PDISK_MAX_SEGS) {
				if (pieces) {
					io = &pieces[count]->io;
					pieces[count]->disk = e->disk;
					io->sector = e->start + off;
				}
				count++;
				segs = 0;
				disk = e->disk;
			}
			if (pieces) {
				io->seg[segs].maddr = (seg->mfn << PAGE_SHIFT) + first * PDISK_SECTOR_SIZE;
				io->seg[segs].len = run * PDISK_SECTOR_SIZE;
				io->nr_segs = segs + 1;
			}
			segs++;
			next = e->start + off + run;
			s += run, first += run, left -= run;
		}
	}
	return count;
}

static struct vbd_piece *alloc_piece(struct vbd *vbd, struct vbd_req *r, enum pdisk_op op)
{
	for (unsigned int i = 0; i < VBD_MAX_PIECES; i++) {
		struct vbd_piece *p = &vbd->piece[i];

		if (!p->req) {
			memset(&p->io, 0, sizeof(p->io));
			p->io.op = op;
			p->io.done = piece_done;
			p->io.owner = p;
			p->vbd = vbd;
			p->req = r;
			vbd->pieces_in_flight++;
			return p;
		}
	}
	return NULL;
}

static unsigned int free_pieces(const struct vbd *vbd)
{
	return VBD_MAX_PIECES - vbd->pieces_in_flight;
}

/* Give p to its disk, or queue it behind those the disks refused. */
static void submit(struct vbd *vbd, struct vbd_piece *p)
{
	int rc;

	p->next_blocked = NULL;
	if (vbd->blocked) {
		vbd->blocked_tail->next_blocked = p;
		vbd->blocked_tail = p;
		return;
	}
	rc = p->disk->ops->submit(p->disk, &p->io);
	if (rc == -EBUSY)
		vbd->blocked = vbd->blocked_tail = p;
	else if (rc)
		piece_done(&p->io, rc);
}

/* Retry what the disks refused, in order; false if still blocked. */
static bool submit_blocked(struct vbd *vbd)
{
	while (vbd->blocked) {
		struct vbd_piece *p = vbd->blocked;
		int rc = p->disk->ops->submit(p->disk, &p->io);

		if (rc == -EBUSY)
			return false;
		vbd->blocked = p->next_blocked;
		if (!vbd->blocked)
			vbd->blocked_tail = NULL;
		if (rc)
			piece_done(&p->io, rc);
	}
	return true;
}

/* A flush: one piece for each disk the VBD lies on (none: done at once). */
static void start_flush(struct vbd *vbd, struct vbd_req *r)
{
	struct vbd_piece *p[VBD_MAX_EXTENTS];
	unsigned int n = 0;

	if (!vbd->nr_extents) {
		finish(vbd, r);
		return;
	}
	for (unsigned int i = 0; i < vbd->nr_extents; i++) {
		bool seen = false;

		for (unsigned int j = 0; j < n; j++)
			seen |= p[j]->disk == vbd->extent[i].disk;
		if (!seen) {
			p[n] = alloc_piece(vbd, r, PDISK_FLUSH);
			p[n++]->disk = vbd->extent[i].disk;
		}
	}
	r->pieces_left = n;
	for (unsigned int j = 0; j < n; j++)
		submit(vbd, p[j]);
}

static void start_rw(struct vbd *vbd, struct vbd_req *r, const struct xeno_blkif_request *rq,
		     unsigned int n)
{
	struct vbd_piece *p[XENO_BLKIF_MAX_SEGMENTS + VBD_MAX_EXTENTS];
	enum pdisk_op op = rq->op == XENO_BLKIF_OP_READ ? PDISK_READ : PDISK_WRITE;
	uint64_t sectors = segment_sectors(rq);

	for (unsigned int i = 0; i < n; i++)
		p[i] = alloc_piece(vbd, r, op);
	split(vbd, rq, p);
	r->pieces_left = n;
	if (op == PDISK_READ)
		vbd->stats.reads++, vbd->stats.sectors_read += sectors;
	else
		vbd->stats.writes++, vbd->stats.sectors_written += sectors;
	for (unsigned int i = 0; i < n; i++)
		submit(vbd, p[i]);
}

/* Pieces the request needs (at least 1), or 0 if it is refused anyway. */
static unsigned int pieces_needed(struct vbd *vbd, const struct xeno_blkif_request *rq)
{
	if (rq->op == XENO_BLKIF_OP_FLUSH)
		return rq->nr_segments ? 0 : MAX(vbd->nr_extents, 1u);
	if (vbd_check_request(vbd->readonly, vbd->sectors, rq))
		return 0;
	return split(vbd, rq, NULL);
}

/*
 * One request, copied out of the ring: check it whole, hold its frames,
 * start its pieces.  A refused request is answered at once.
 */
static void handle(struct vbd *vbd, struct vbd_req *r, const struct xeno_blkif_request *rq,
		   unsigned int n)
{
	r->id = rq->id;
	r->op = rq->op;
	r->generation = vbd->generation;
	if (rq->op != XENO_BLKIF_OP_READ && rq->op != XENO_BLKIF_OP_WRITE &&
	    rq->op != XENO_BLKIF_OP_FLUSH) {
		r->status = XENO_BLKIF_RSP_EOPNOTSUPP;
	} else if (!n || (rq->op != XENO_BLKIF_OP_FLUSH && hold_frames(vbd, rq, r))) {
		r->status = XENO_BLKIF_RSP_EINVAL;
		vbd->stats.refused++;
	} else {
		hypercall_count_work(rq->nr_segments * WORK_PER_SEGMENT);
		if (rq->op == XENO_BLKIF_OP_FLUSH)
			start_flush(vbd, r);
		else
			start_rw(vbd, r, rq, n);
		return;
	}
	finish(vbd, r);
}

/* Copy the next request out of the ring (the guest may change the slot). */
static void copy_request(struct vbd *vbd, struct xeno_blkif_request *rq)
{
	struct xeno_blkif_sring *s = vbd->vdev.ring[0];
	const volatile struct xeno_blkif_request *slot =
		&s->slot[vbd->ring.req_cons & (XENO_BLKIF_RING_SLOTS - 1)].req;

	memcpy(rq, (const void *)slot, sizeof(*rq));
	barrier();		/* every later look is at the copy */
}

/*
 * One batch: requests are taken while there are any, a request slot and
 * the pieces they need; the rest waits for completions or the next pass.
 */
static void vbd_service(struct vdev *v)
{
	struct vbd *vbd = to_vbd(v);
	unsigned int done = 0;

	if (!submit_blocked(vbd))
		return;		/* the disk calls pdisk_room() when it can take more */
	while (done < VBD_BATCH) {
		struct xeno_blkif_request rq;
		int64_t waiting = xeno_ring_unconsumed_requests(&vbd->ring);
		unsigned int n;
		struct vbd_req *r;

		if (waiting < 0) {
			domain_crash(v->domain, "block ring %u: request index %u is impossible "
				     "(consumed %u, answered %u)", v->handle,
				     vbd->ring.sring->req_prod, vbd->ring.req_cons,
				     vbd->ring.rsp_prod_pvt);
			return;
		}
		if (!waiting) {
			if (!xeno_ring_final_check_requests(&vbd->ring))
				return;
			continue;
		}
		copy_request(vbd, &rq);
		n = pieces_needed(vbd, &rq);
		if (n > free_pieces(vbd) || !(r = alloc_req(vbd)))
			return;		/* a completion brings us back */
		vbd->ring.req_cons++;
		hypercall_count_work(WORK_PER_REQUEST);
		handle(vbd, r, &rq, n);
		done++;
	}
	vdev_want_service(v);		/* perhaps more: the exit path goes on */
}

/* ---- the vdev side ---- */

static void vbd_info(const struct vdev *v, struct xeno_vdev_info *out)
{
	const struct vbd *vbd = to_vbd(v);

	out->sectors = vbd->sectors;
	out->flags = vbd->readonly ? XENO_VDEV_F_READONLY : 0;
}

static void vbd_connect(struct vdev *v)
{
	struct vbd *vbd = to_vbd(v);

	xeno_ring_back_init(&vbd->ring, v->ring[0], XENO_BLKIF_RING_SLOTS);
	vbd->generation++;
}

static void vbd_disconnect(struct vdev *v)
{
	(void)v;	/* requests in flight complete; respond() drops their answers */
}

static bool vbd_busy(const struct vdev *v)
{
	const struct vbd *vbd = to_vbd(v);

	return vbd->reqs_in_flight || vbd->pieces_in_flight;
}

static void vbd_destroy(struct vdev *v)
{
	free_xenheap_pages(v, VBD_PAGES);
}

static const struct vdev_ops vbd_ops = {
	.nr_rings = 1,
	.info = vbd_info,
	.connect = vbd_connect,
	.disconnect = vbd_disconnect,
	.service = vbd_service,
	.busy = vbd_busy,
	.destroy = vbd_destroy,
};

/* A disk can take requests again: every VBD with pieces it refused tries. */
static void disk_room(struct pdisk *disk)
{
	(void)disk;
	for (struct domain *d = domain_list; d; d = d->next)
		for (unsigned int i = 0; i < DOMAIN_MAX_VDEVS; i++)
			if (d->vdev[i] && d->vdev[i]->ops == &vbd_ops && to_vbd(d->vdev[i])->blocked)
				vdev_want_service(d->vdev[i]);
}

/* ---- Domain0's control ---- */

static struct vbd *find_vbd(struct domain *d, uint16_t handle)
{
	return (struct vbd *)vdev_find(d, XENO_VDEV_BLK, handle);
}

int vbd_create(struct domain *d, uint16_t handle, bool readonly)
{
	struct vbd *vbd = alloc_xenheap_pages(VBD_PAGES);
	int rc;

	if (!vbd)
		return -ENOMEM;
	vbd->vdev.ops = &vbd_ops;
	vbd->vdev.type = XENO_VDEV_BLK;
	vbd->vdev.handle = handle;
	vbd->readonly = readonly;
	rc = vdev_add(d, &vbd->vdev);
	if (rc)
		free_xenheap_pages(vbd, VBD_PAGES);
	return rc;
}

int vbd_grow(struct domain *d, uint16_t handle, unsigned int disk_index, uint64_t start,
	     uint64_t sectors)
{
	struct vbd *vbd = find_vbd(d, handle);
	struct pdisk *disk = pdisk_get(disk_index);

	if (!vbd)
		return -ENODEV;
	if (!disk)
		return -ENXIO;
	if (!sectors || start >= disk->sectors || sectors > disk->sectors - start)
		return -EINVAL;
	if (vbd->nr_extents == VBD_MAX_EXTENTS)
		return -ENOSPC;
	if (disk->readonly && !vbd->readonly)
		return -EROFS;
	disk->room = disk_room;
	vbd->extent[vbd->nr_extents++] = (struct vbd_extent){ disk, start, sectors };
	vbd->sectors += sectors;
	return 0;
}

int vbd_destroy_handle(struct domain *d, uint16_t handle)
{
	struct vbd *vbd = find_vbd(d, handle);

	return vbd ? vdev_remove(&vbd->vdev) : -ENODEV;
}

int vbd_get_info(struct domain *d, uint16_t handle, struct vbd_info *out)
{
	struct vbd *vbd = find_vbd(d, handle);

	if (!vbd)
		return -ENODEV;
	out->readonly = vbd->readonly;
	out->connected = vbd->vdev.connected;
	out->nr_extents = vbd->nr_extents;
	out->sectors = vbd->sectors;
	out->in_flight = vbd->reqs_in_flight;
	out->stats = vbd->stats;
	return 0;
}

/* Domain0 gets each physical disk whole, as VBD number = disk number. */
void vbd_give_dom0_disks(struct domain *d)
{
	for (unsigned int i = 0; i < pdisk_count(); i++) {
		struct pdisk *disk = pdisk_get(i);

		if (vbd_create(d, (uint16_t)i, disk->readonly) ||
		    vbd_grow(d, (uint16_t)i, i, 0, disk->sectors))
			printk("d0: no VBD for disk %s\n", disk->name);
		else
			printk("d0: VBD %u = %s, %llu sectors%s\n", i, disk->name, disk->sectors,
			       disk->readonly ? ", read-only" : "");
	}
}
