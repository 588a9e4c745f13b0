/* SPDX-License-Identifier: MIT */
/*
 * The virtio split ring, driver side (virtio_ring.h).
 *
 * Ownership: a descriptor is ours while it is on the free list, the
 * device's from the moment its chain's head is published through
 * avail->idx until the head comes back in a used entry.  The avail ring
 * and avail->idx are written only here; the used ring and used->idx only by
 * the device.  Both indices run freely modulo 2^16 and a slot is idx &
 * (num - 1): num is a power of two, so the slots stay in step across the
 * wrap.
 *
 * Barriers.  The device is QEMU's device model, another host thread that
 * reads and writes this memory while we run.  x86 keeps stores in order
 * with stores and loads with loads, so publishing (entries, then the index
 * that covers them) and collecting (the index, then the entries) need only
 * the compiler held back: barrier().  A store followed by a load of what the
 * device writes can pass through the CPU's store buffer in the other order,
 * so every such pair has a full barrier, mb() (a locked add).
 */
#include <errno.h>
#include <panic.h>
#include <virtio_ring.h>
#include <x86.h>

#define VRING_AVAIL_WORDS	3	/* flags, idx, used_event */
#define VRING_USED_WORDS	3	/* flags, idx, avail_event */

/* The device reads and writes these fields behind the compiler's back. */
static inline uint16_t ring_read16(const uint16_t *p)
{
	return *(const volatile uint16_t *)p;
}

static inline void ring_write16(uint16_t *p, uint16_t v)
{
	*(volatile uint16_t *)p = v;
}

static uint32_t used_offset(unsigned int num)
{
	return ALIGN_UP(num * (uint32_t)sizeof(struct vring_desc) +
			(VRING_AVAIL_WORDS + num) * (uint32_t)sizeof(uint16_t), VIRTQ_ALIGN);
}

uint32_t virtq_ring_bytes(unsigned int num)
{
	return ALIGN_UP(used_offset(num) + VRING_USED_WORDS * (uint32_t)sizeof(uint16_t) +
			num * (uint32_t)sizeof(struct vring_used_elem), VIRTQ_ALIGN);
}

uint32_t virtq_token_bytes(unsigned int num)
{
	return num * (uint32_t)sizeof(void *);
}

int virtq_init(struct virtq *vq, unsigned int index, unsigned int num, void *ring,
	       void **tokens)
{
	if (!num || num > VIRTQ_MAX_SIZE || (num & (num - 1)) ||
	    (uintptr_t)ring % VIRTQ_ALIGN)
		return -EINVAL;
	vq->num = num;
	vq->index = index;
	vq->desc = ring;
	vq->avail = (struct vring_avail *)((char *)ring + num * sizeof(struct vring_desc));
	vq->used = (struct vring_used *)((char *)ring + used_offset(num));
	vq->token = tokens;
	for (unsigned int i = 0; i + 1 < num; i++)
		vq->desc[i].next = (uint16_t)(i + 1);
	vq->free_head = 0;
	vq->num_free = num;
	vq->avail_idx = vq->last_used = vq->used_seen = 0;
	vq->added = 0;
	return 0;
}

int virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned int n, void *token)
{
	uint16_t head = vq->free_head, i = head;

	if (!n || !token)
		return -EINVAL;
	if (n > vq->num_free)
		return -ENOSPC;
	for (unsigned int k = 0; k < n; k++) {
		struct vring_desc *d = &vq->desc[i];

		d->addr = bufs[k].maddr;
		d->len = bufs[k].len;
		d->flags = (bufs[k].device_writes ? VRING_DESC_F_WRITE : 0) |
			   (k + 1 < n ? VRING_DESC_F_NEXT : 0);
		i = d->next;		/* the free list's link is the chain's */
	}
	vq->free_head = i;
	vq->num_free -= n;
	vq->token[head] = token;
	vq->avail->ring[vq->avail_idx & (vq->num - 1)] = head;
	barrier();	/* the device sees the chain and its slot before the index */
	ring_write16(&vq->avail->idx, ++vq->avail_idx);
	vq->added++;
	return 0;
}

bool virtq_kick_prepare(struct virtq *vq)
{
	bool kick;

	/*
	 * avail->idx must be out of the store buffer before we read
	 * used->flags: the device clears NO_NOTIFY and then looks at
	 * avail->idx, so with both reordered neither side would see the
	 * other's store and the chain would wait for the next kick.
	 */
	mb();
	kick = vq->added && !(ring_read16(&vq->used->flags) & VRING_USED_F_NO_NOTIFY);
	vq->added = 0;
	return kick;
}

/* Put the chain at 'head' back on the free list. */
static void free_chain(struct virtq *vq, uint16_t head)
{
	uint16_t i = head;
	unsigned int n = 1;

	while (vq->desc[i].flags & VRING_DESC_F_NEXT) {
		i = vq->desc[i].next;
		BUG_ON(++n > vq->num);
	}
	vq->desc[i].next = vq->free_head;
	vq->free_head = head;
	vq->num_free += n;
}

/* Has the device added used entries we have not collected? */
static bool used_pending(struct virtq *vq)
{
	if (vq->last_used != vq->used_seen)
		return true;
	/*
	 * Our stores before this point (interrupts re-enabled in
	 * avail->flags, a chain published) reach the device before we read
	 * its index: read early, a stale index could hide an entry whose
	 * interrupt the device then decided not to send.
	 */
	mb();
	vq->used_seen = ring_read16(&vq->used->idx);
	return vq->last_used != vq->used_seen;
}

void *virtq_get_used(struct virtq *vq, uint32_t *len)
{
	const struct vring_used_elem *e;
	uint32_t id;
	void *token;

	if (!used_pending(vq))
		return NULL;
	barrier();	/* the entry is read after the index that covers it */
	e = &vq->used->ring[vq->last_used & (vq->num - 1)];
	id = e->id;
	if (len)
		*len = e->len;
	if (id >= vq->num || !vq->token[id])
		panic("virtq %u: the device returned descriptor %u, not in flight", vq->index, id);
	vq->last_used++;
	token = vq->token[id];
	vq->token[id] = NULL;
	free_chain(vq, (uint16_t)id);
	return token;
}

void virtq_disable_cb(struct virtq *vq)
{
	ring_write16(&vq->avail->flags, VRING_AVAIL_F_NO_INTERRUPT);
}

bool virtq_enable_cb(struct virtq *vq)
{
	ring_write16(&vq->avail->flags, 0);
	return used_pending(vq);	/* its mb() orders the store above */
}
