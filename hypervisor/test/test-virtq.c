/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of the virtio split ring (virtio_ring.c) against a fake
 * device written from the spec's side: ring layout and sizes, chains as the
 * device walks them, the descriptor free list under out-of-order
 * completion, indices wrapping at 2^16, notification and interrupt
 * suppression, and a device that returns a chain it never had.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <virtio_ring.h>

#include "harness.h"

#define RING_MAX_BYTES	(3 * 4096)
#define NUM_MAX		256

static uint8_t ring[RING_MAX_BYTES] __attribute__((aligned(4096)));
static void *tokens[NUM_MAX];
static int owners[NUM_MAX];		/* tokens point here */

/* The fake device: where it is in the avail ring. */
static uint16_t dev_last_avail;

static void setup(struct virtq *vq, unsigned int num, uint16_t start)
{
	memset(ring, 0, sizeof(ring));
	memset(tokens, 0, sizeof(tokens));
	CHECK_EQ(virtq_init(vq, 0, num, ring, tokens), 0, "init");
	vq->avail_idx = vq->last_used = vq->used_seen = start;
	vq->avail->idx = vq->used->idx = start;
	dev_last_avail = start;
}

/* Device: take the next available chain into out[]; its head, or -1. */
static int dev_pop(struct virtq *vq, struct vring_desc *out, unsigned int *n)
{
	uint16_t head, i;

	if (dev_last_avail == vq->avail->idx)
		return -1;
	head = i = vq->avail->ring[dev_last_avail++ % vq->num];
	*n = 0;
	for (;;) {
		out[(*n)++] = vq->desc[i];
		if (!(vq->desc[i].flags & VRING_DESC_F_NEXT) || *n > vq->num)
			break;
		i = vq->desc[i].next;
	}
	return head;
}

static void dev_push(struct virtq *vq, uint32_t head, uint32_t len)
{
	struct vring_used_elem *e = &vq->used->ring[vq->used->idx % vq->num];

	e->id = head;
	e->len = len;
	vq->used->idx++;
}

/* Walk the free list: all distinct, as many as num_free says. */
static bool free_list_sound(const struct virtq *vq)
{
	static bool seen[NUM_MAX];
	uint16_t i = vq->free_head;

	memset(seen, 0, sizeof(seen));
	for (unsigned int n = 0; n < vq->num_free; n++) {
		if (i >= vq->num || seen[i] || tokens[i])
			return false;
		seen[i] = true;
		i = vq->desc[i].next;
	}
	return true;
}

static void test_layout(void)
{
	struct virtq vq;

	CHECK_EQ(virtq_ring_bytes(256), 3 * 4096, "vring_size(256) = 10246 -> 3 pages");
	CHECK_EQ(virtq_ring_bytes(128), 2 * 4096, "vring_size(128) = 5126 -> 2 pages");
	CHECK_EQ(virtq_ring_bytes(8), 2 * 4096, "small rings: used ring on its own page");
	CHECK_EQ(virtq_token_bytes(256), 256 * sizeof(void *), "tokens");
	setup(&vq, 256, 0);
	CHECK_EQ((uint8_t *)vq.avail - ring, 4096, "avail after 256 descriptors");
	CHECK_EQ((uint8_t *)vq.used - ring, 8192, "used on the next page boundary");
	CHECK_EQ(vq.num_free, 256, "all free");
	CHECK(free_list_sound(&vq), "free list");
	CHECK_EQ(virtq_init(&vq, 0, 0, ring, tokens), -EINVAL, "size 0");
	CHECK_EQ(virtq_init(&vq, 0, 96, ring, tokens), -EINVAL, "not a power of two");
	CHECK_EQ(virtq_init(&vq, 0, 65536, ring, tokens), -EINVAL, "too big");
	CHECK_EQ(virtq_init(&vq, 0, 8, ring + 64, tokens), -EINVAL, "misaligned ring");
}

/* A block request's shape: header (R), data (W), status (W). */
static int add_request(struct virtq *vq, uint32_t base, int *owner)
{
	const struct virtq_buf bufs[] = {
		{ base, 16, false }, { base + 0x1000, 4096, true }, { base + 0x2000, 1, true },
	};

	return virtq_add(vq, bufs, 3, owner);
}

static void test_chains(void)
{
	struct vring_desc got[8];
	struct virtq vq;
	unsigned int n;
	uint32_t len;
	int h1, h2;

	setup(&vq, 8, 0);
	CHECK_EQ(virtq_add(&vq, NULL, 0, &owners[0]), -EINVAL, "empty chain");
	CHECK_EQ(add_request(&vq, 0x100000, NULL), -EINVAL, "no token");
	CHECK_EQ(add_request(&vq, 0x100000, &owners[1]), 0, "first");
	CHECK_EQ(add_request(&vq, 0x200000, &owners[2]), 0, "second");
	CHECK_EQ(add_request(&vq, 0x300000, &owners[3]), -ENOSPC, "3 needed, 2 free");
	CHECK_EQ(vq.num_free, 2, "six in flight");
	CHECK_EQ(vq.avail->idx, 2, "two published");

	h1 = dev_pop(&vq, got, &n);
	CHECK_EQ(n, 3, "the device walks three descriptors");
	CHECK_EQ(got[0].addr, 0x100000, "header address");
	CHECK_EQ(got[0].flags, VRING_DESC_F_NEXT, "header: read, more follows");
	CHECK_EQ(got[1].len, 4096, "data length");
	CHECK_EQ(got[1].flags, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, "data: written");
	CHECK_EQ(got[2].addr, 0x102000, "status address");
	CHECK_EQ(got[2].flags, VRING_DESC_F_WRITE, "status: written, last");
	h2 = dev_pop(&vq, got, &n);
	CHECK_EQ(got[0].addr, 0x200000, "second chain");
	CHECK(h1 != h2, "distinct heads");

	CHECK(virtq_get_used(&vq, &len) == NULL, "nothing used yet");
	dev_push(&vq, (uint32_t)h2, 4097);		/* out of order */
	dev_push(&vq, (uint32_t)h1, 1);
	CHECK(virtq_get_used(&vq, &len) == &owners[2], "second done first");
	CHECK_EQ(len, 4097, "its length");
	CHECK_EQ(vq.num_free, 5, "its three back");
	CHECK(virtq_get_used(&vq, &len) == &owners[1], "then the first");
	CHECK(virtq_get_used(&vq, &len) == NULL, "then nothing");
	CHECK_EQ(vq.num_free, 8, "all back");
	CHECK(free_list_sound(&vq), "free list after out-of-order completion");
}

/* Random chains, completed in random order, across the 2^16 wrap. */
static void test_wrap_and_churn(void)
{
	static const uint16_t starts[] = { 0, 0xfff0, 0xffff, 0x7ffe };

	srand(1);
	for (unsigned int s = 0; s < ARRAY_SIZE(starts); s++) {
		struct virtq vq;
		int inflight[NUM_MAX], nin = 0, done = 0, posted = 0;
		bool whole = true, slot = true, collected = true;

		setup(&vq, 16, starts[s]);
		for (unsigned int step = 0; step < 4000; step++) {
			unsigned int n = 1 + (unsigned int)rand() % 5, k;
			struct virtq_buf bufs[5] = { { 0x1000, 512, false } };
			struct vring_desc got[16];

			for (k = 1; k < n; k++)
				bufs[k] = bufs[0];
			if (rand() % 2 && virtq_add(&vq, bufs, n, &owners[posted % NUM_MAX]) == 0) {
				int h = dev_pop(&vq, got, &k);

				whole &= h >= 0 && k == n;
				slot &= vq.avail->ring[(uint16_t)(vq.avail_idx - 1) % 16] == h;
				inflight[nin++] = h;
				posted++;
			} else if (nin) {
				int pick = rand() % nin;

				dev_push(&vq, (uint32_t)inflight[pick], 0);
				inflight[pick] = inflight[--nin];
				collected &= virtq_get_used(&vq, NULL) != NULL;
				done++;
			}
		}
		while (nin) {
			dev_push(&vq, (uint32_t)inflight[--nin], 0);
			done += virtq_get_used(&vq, NULL) != NULL;
		}
		CHECK(whole, "the device sees each chain whole");
		CHECK(slot, "slot = idx mod num across the wrap");
		CHECK(collected, "each completion collected at once");
		CHECK(posted > 1000, "enough traffic: %d chains", posted);
		CHECK_EQ(done, posted, "every chain came back once");
		CHECK_EQ(vq.num_free, 16, "every descriptor free again");
		CHECK(free_list_sound(&vq), "free list after churn");
		CHECK_EQ(vq.avail->idx, (uint16_t)(starts[s] + posted), "avail idx wrapped mod 2^16");
		CHECK_EQ(vq.last_used, (uint16_t)(starts[s] + posted), "used idx wrapped mod 2^16");
	}
}

static void test_notify_and_interrupts(void)
{
	struct virtq vq;
	int h;

	setup(&vq, 8, 0);
	CHECK(!virtq_kick_prepare(&vq), "nothing added: no kick");
	add_request(&vq, 0x1000, &owners[0]);
	CHECK(virtq_kick_prepare(&vq), "added: kick");
	CHECK(!virtq_kick_prepare(&vq), "a kick covers what was added before it");
	vq.used->flags = VRING_USED_F_NO_NOTIFY;
	add_request(&vq, 0x1000, &owners[1]);
	CHECK(!virtq_kick_prepare(&vq), "the device asked not to be notified");

	virtq_disable_cb(&vq);
	CHECK_EQ(vq.avail->flags, VRING_AVAIL_F_NO_INTERRUPT, "interrupts off");
	CHECK(!virtq_enable_cb(&vq), "on again, nothing waiting");
	CHECK_EQ(vq.avail->flags, 0, "interrupts on");
	virtq_disable_cb(&vq);
	h = vq.avail->ring[0];
	dev_push(&vq, (uint32_t)h, 0);
	CHECK(virtq_enable_cb(&vq), "on again with an entry waiting: collect it");
}

static void test_bad_device(void)
{
	struct virtq vq;

	setup(&vq, 8, 0);
	add_request(&vq, 0x1000, &owners[0]);
	dev_push(&vq, 5, 0);		/* descriptor 5 is free */
	CHECK(EXPECT_PANIC(virtq_get_used(&vq, NULL)), "a chain not in flight");
	setup(&vq, 8, 0);
	dev_push(&vq, 8, 0);		/* no such descriptor */
	CHECK(EXPECT_PANIC(virtq_get_used(&vq, NULL)), "a descriptor past the ring");
}

int main(void)
{
	test_layout();
	test_chains();
	test_wrap_and_churn();
	test_notify_and_interrupts();
	test_bad_device();
	return test_report("virtq");
}
