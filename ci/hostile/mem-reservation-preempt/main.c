/* SPDX-License-Identifier: MIT */
/*
 * mem-reservation-preempt: give back and take again a thousand frames in
 * single memory_op calls (each new frame is cleared, so the calls are long
 * and are preempted and continued many times), with a foreign frame at the
 * end of the list that must stop the give-back exactly there.
 *
 * Rule (abi.md 2.4, 5.7): a continued reservation change does each extent
 * exactly once and returns the number done in the whole call (or the error
 * of the first extent if none was done); the extent list is filled in
 * completely; frames given back are gone and new ones are zeroed.
 * Why it matters: a continuation that repeats or skips an extent would
 * free a frame twice or lose one, corrupting the frame allocator.
 */
#include <pt.h>

const char test_title[] = "mem-reservation-preempt: long reservation changes continue exactly";

#define N	1024

static uint32_t mfns[N + 1];
static struct xeno_mmu_update unmap[N];

static void attack(void)
{
	uint32_t before = cur_reservation(), first = start_info->nr_pages - 2 - N;

	CHECK(first > start_info->first_free_pfn + 16, "not enough memory for the test");
	for (uint32_t i = 0; i < N; i++) {
		uint32_t va = (uint32_t)pfn_to_virt(first + i);

		mfns[i] = pfn_to_mfn(first + i);
		unmap[i] = (struct xeno_mmu_update){ pte_maddr(va), 0 };
	}
	mfns[N] = foreign_mfn();
	EXPECT_EQ(HYPERCALL4(mmu_update, unmap, N, NULL, XENO_DOMID_SELF), 0);
	flush_tlb();

	/* Give back N frames; the foreign one after them stops the call. */
	EXPECT_EQ(reservation_op(XENO_MEMOP_decrease_reservation, mfns, N + 1, XENO_DOMID_SELF),
		  N);
	EXPECT_EQ(cur_reservation(), before - N);
	EXPECT_EQ(decrease1(mfns[0]), -XENO_EPERM);		/* gone */
	EXPECT_EQ(decrease1(mfns[N - 1]), -XENO_EPERM);

	/* Take N frames again: every extent filled, each frame ours, fresh. */
	memset(mfns, 0, sizeof(mfns));
	EXPECT_EQ(reservation_op(XENO_MEMOP_increase_reservation, mfns, N, XENO_DOMID_SELF), N);
	EXPECT_EQ(cur_reservation(), before);
	for (uint32_t i = 0; i < N; i++) {
		CHECK(mfns[i] != 0, "extent %u not filled in", i);
		CHECK(m2p[mfns[i]] == XENO_INVALID_PFN, "extent %u: frame %#x has M2P %#x", i,
		      mfns[i], m2p[mfns[i]]);
		for (uint32_t j = 0; j < i; j += 97)
			CHECK(mfns[j] != mfns[i], "frame %#x handed out twice", mfns[i]);
	}
	/* Nothing left over: one more extent is past max_pages. */
	EXPECT_EQ(reservation_op(XENO_MEMOP_increase_reservation, mfns, 1, XENO_DOMID_SELF), 0);
	/* A continued command word we never got from the hypervisor is still checked. */
	EXPECT_EQ(HYPERCALL2(memory_op, XENO_BATCH_CONTINUED | 7, mfns), -XENO_ENOSYS);
}

const struct hostile hostile = { .where = IN_DOMU, .mem_kb = 8192, .attack = attack };
