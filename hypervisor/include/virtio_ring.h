/* SPDX-License-Identifier: MIT */
/*
 * The virtio split ring (virtio_ring.c), driver side: the layout a legacy
 * device reads (virtio 1.0 "legacy interface", QEMU's default for
 * disable-modern=on) and the driver's bookkeeping around it.  Pure: no port
 * I/O and no allocation, so the host unit tests drive it directly; the
 * transport (virtio.c) gives it memory and does the notifying.
 */
#ifndef XENO_VIRTIO_RING_H
#define XENO_VIRTIO_RING_H

#include <types.h>

#define VIRTQ_ALIGN		4096	/* legacy: the used ring starts on a page */
#define VIRTQ_MAX_SIZE		32768	/* the largest queue the spec allows */

/* Descriptor flags. */
#define VRING_DESC_F_NEXT	1	/* the chain goes on at 'next' */
#define VRING_DESC_F_WRITE	2	/* the device writes the buffer */
/* avail->flags: the driver needs no interrupt for used buffers. */
#define VRING_AVAIL_F_NO_INTERRUPT	1
/* used->flags: the device needs no notification of new buffers. */
#define VRING_USED_F_NO_NOTIFY	1

/* Shared with the device; all little-endian (x86: as is). */
struct vring_desc {
	uint64_t addr;		/* machine address of the buffer */
	uint32_t len;		/* bytes */
	uint16_t flags;		/* VRING_DESC_F_* */
	uint16_t next;		/* the chain's next descriptor, with F_NEXT */
};
_Static_assert(sizeof(struct vring_desc) == 16, "vring_desc");

struct vring_avail {		/* driver writes, device reads */
	uint16_t flags;		/* VRING_AVAIL_F_* */
	uint16_t idx;		/* free-running: next slot the driver fills */
	uint16_t ring[];	/* chain heads, at idx % num */
};

struct vring_used_elem {
	uint32_t id;		/* head of a chain the device is done with */
	uint32_t len;		/* bytes it wrote into the chain */
};
_Static_assert(sizeof(struct vring_used_elem) == 8, "vring_used_elem");

struct vring_used {		/* device writes, driver reads */
	uint16_t flags;		/* VRING_USED_F_* */
	uint16_t idx;		/* free-running: next slot the device fills */
	struct vring_used_elem ring[];
};

/* One buffer of a chain, as a driver hands it to virtq_add(). */
struct virtq_buf {
	uint32_t maddr;		/* machine address */
	uint32_t len;		/* bytes, > 0 */
	bool device_writes;	/* the device fills it (read data, a status) */
};

/*
 * One queue.  The free descriptors form a list through desc[].next from
 * free_head (num_free of them).  A chain in flight is never on that list;
 * token[head] is its owner's and is non-NULL exactly while it is in flight.
 * avail_idx and last_used are free-running 16-bit copies: avail_idx is what
 * avail->idx says (only we write it), last_used is the next used entry to
 * collect (used->idx - last_used entries are waiting).
 */
struct virtq {
	unsigned int num;		/* entries, a power of two */
	unsigned int index;		/* the queue's number on its device */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	void **token;			/* [num], by chain head */
	uint16_t free_head;
	unsigned int num_free;
	uint16_t avail_idx;
	uint16_t last_used;
	uint16_t used_seen;		/* used->idx when last read */
	unsigned int added;		/* chains since the last kick */
	void (*callback)(struct virtq *vq);	/* the driver's, on an interrupt */
	void *priv;				/* the driver's */
};

/* Bytes of ring memory (page aligned) and of the token array for num. */
uint32_t virtq_ring_bytes(unsigned int num);
uint32_t virtq_token_bytes(unsigned int num);

/*
 * Lay the ring out in 'ring' (virtq_ring_bytes(num), VIRTQ_ALIGN-aligned,
 * zeroed) and 'tokens' (virtq_token_bytes(num), zeroed); every descriptor
 * starts free.  -EINVAL unless num is a power of two within the limits.
 */
int virtq_init(struct virtq *vq, unsigned int index, unsigned int num, void *ring,
	       void **tokens);

/*
 * Post a chain of n buffers with 'token' (non-NULL) as its owner's: 0, or
 * -ENOSPC if fewer than n descriptors are free, -EINVAL for n == 0.  The
 * device may see it at once; virtq_kick_prepare() says whether to notify.
 */
int virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned int n, void *token);
/* After adds: must the device be notified?  (It may have asked not to be.) */
bool virtq_kick_prepare(struct virtq *vq);
/* The token of the next chain the device is done with, or NULL. */
void *virtq_get_used(struct virtq *vq, uint32_t *len);
/*
 * Interrupt suppression: off while polling; on again returns true if used
 * entries are already waiting (collect them: no interrupt will say so).
 */
void virtq_disable_cb(struct virtq *vq);
bool virtq_enable_cb(struct virtq *vq);

static inline unsigned int virtq_num_free(const struct virtq *vq)
{
	return vq->num_free;
}

#endif
