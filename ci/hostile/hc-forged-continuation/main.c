/* SPDX-License-Identifier: MIT */
/*
 * hc-forged-continuation: make up the continuation words that only the
 * hypervisor should write (abi.md 2.4): mmu_update and mmuext_op counts with
 * XENO_BATCH_CONTINUED and a "done" part we never did, over the bystander's
 * page table; done + left past the batch limit or nothing left; a continued
 * multicall; continued memory_op commands starting past the extent list, at
 * its middle, over the bystander's frame, and for the bystander's domain.
 *
 * Rule (abi.md 2.4, 5.7, 6.1, 6.10, 6.11): a continuation is checked like
 * any call: a malformed split is -E2BIG, every element from the one it names
 * is read and validated again (a foreign frame is refused, a foreign domain
 * is -ESRCH), nothing before it is touched; only the counts the guest itself
 * reads back (done, the return value) include its made-up part.
 * Why it matters: if the hypervisor trusted a continuation to have been
 * validated already, any guest could skip validation by forging one.
 */
#include <pt.h>

const char test_title[] = "hc-forged-continuation: made-up continuations of long batches";

#define CONT(done, left)	(XENO_BATCH_CONTINUED | (done) << 16 | (left))
#define MEMOP_CONT(cmd, start)	((cmd) | XENO_BATCH_CONTINUED | (start) << XENO_MEMOP_EXTENT_SHIFT)

static void batches(void)
{
	uint32_t l1 = hostile_arg("victim_l1", 0);
	struct xeno_mmu_update u = { mmu_ptr(l1 << PAGE_SHIFT, XENO_MMU_NORMAL_PT_UPDATE), 0 };
	struct xeno_mmuext_op o = { XENO_MMUEXT_UNPIN_TABLE, l1, 0 };
	struct xeno_multicall_entry mc = { __HYPERVISOR_xeno_version, 7, { 0 } };
	uint32_t done = 77;

	CHECK(l1 != 0, "the bystander did not report its L1");
	/* "100 done already": the one left is still the bystander's table. */
	EXPECT_EQ(HYPERCALL4(mmu_update, &u, CONT(100, 1), &done, XENO_DOMID_SELF), -XENO_EPERM);
	EXPECT_EQ(done, 100);	/* ours to be misled by: nothing was applied */
	EXPECT_EQ(HYPERCALL4(mmuext_op, &o, CONT(7, 1), NULL, XENO_DOMID_SELF), -XENO_EPERM);
	/* Malformed splits: nothing left, or past the batch limit. */
	done = 77;
	EXPECT_EQ(HYPERCALL4(mmu_update, &u, CONT(3, 0), &done, XENO_DOMID_SELF), -XENO_E2BIG);
	EXPECT_EQ(HYPERCALL4(mmu_update, &u, CONT(4000, 97), &done, XENO_DOMID_SELF),
		  -XENO_E2BIG);
	EXPECT_EQ(HYPERCALL4(mmuext_op, &o, CONT(0x7fff, 0xffff), &done, XENO_DOMID_SELF),
		  -XENO_E2BIG);
	EXPECT_EQ(done, 77);
	/* A multicall: the entry runs once; only its return value is misled. */
	EXPECT_EQ(HYPERCALL2(multicall, &mc, CONT(5, 1)), 6);
	EXPECT_EQ(mc.result, XENO_INTERFACE_VERSION);
	EXPECT_EQ(HYPERCALL2(multicall, &mc, CONT(250, 7)), -XENO_E2BIG);
}

static void reservations(void)
{
	uint32_t first = start_info->nr_pages - 3, before = cur_reservation(), mine[2];
	struct xeno_mmu_update unmap[2];
	struct xeno_memory_reservation r;

	for (uint32_t i = 0; i < 2; i++) {
		mine[i] = pfn_to_mfn(first + i);
		unmap[i] = (struct xeno_mmu_update){ pte_maddr((uint32_t)pfn_to_virt(first + i)), 0 };
	}
	EXPECT_EQ(HYPERCALL4(mmu_update, unmap, 2, NULL, XENO_DOMID_SELF), 0);
	flush_tlb();

	r = (struct xeno_memory_reservation){ (uint32_t)mine, 2, XENO_DOMID_SELF, 0 };
	/* Starting past the list, or for another domain. */
	EXPECT_EQ(HYPERCALL2(memory_op, MEMOP_CONT(XENO_MEMOP_decrease_reservation, 3), &r),
		  -XENO_E2BIG);
	r.domid = hostile_arg("bystander", 0);
	EXPECT_EQ(HYPERCALL2(memory_op, MEMOP_CONT(XENO_MEMOP_decrease_reservation, 1), &r),
		  -XENO_ESRCH);
	EXPECT_EQ(HYPERCALL2(memory_op, MEMOP_CONT(XENO_MEMOP_increase_reservation, 0), &r),
		  -XENO_ESRCH);
	/*
	 * Starting at the bystander's frame: it stays the bystander's.  The call
	 * stops there and, like any continued call, returns the extents done in
	 * the whole call: the 1 we made up.
	 */
	{
		uint32_t theirs[2] = { mine[0], foreign_mfn() };

		r = (struct xeno_memory_reservation){ (uint32_t)theirs, 2, XENO_DOMID_SELF, 0 };
		EXPECT_EQ(HYPERCALL2(memory_op,
				     MEMOP_CONT(XENO_MEMOP_decrease_reservation, 1), &r), 1);
		EXPECT_EQ(cur_reservation(), before);
		EXPECT_EQ(decrease1(foreign_mfn()), -XENO_EPERM);
	}
	/* Starting at the middle: only the second frame goes; the count says 2. */
	r = (struct xeno_memory_reservation){ (uint32_t)mine, 2, XENO_DOMID_SELF, 0 };
	EXPECT_EQ(HYPERCALL2(memory_op, MEMOP_CONT(XENO_MEMOP_decrease_reservation, 1), &r), 2);
	EXPECT_EQ(cur_reservation(), before - 1);
	EXPECT_EQ(decrease1(mine[1]), -XENO_EPERM);	/* gone */
	EXPECT_EQ(decrease1(mine[0]), 1);		/* was still ours */
	EXPECT_EQ(cur_reservation(), before - 2);
}

static void attack(void)
{
	batches();
	reservations();
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
