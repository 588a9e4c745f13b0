/* SPDX-License-Identifier: MIT */
/*
 * pt-type-confusion: make one frame two kinds of table, or a table and data
 * at once: an L1 in use (bootstrap, pinned) pinned or loaded as an L2; an L2
 * in use pinned as an L1; a pinned table pinned again; a page mapped writable
 * pinned or loaded as CR3; read-only data that is no valid table loaded as
 * CR3; the shared_info frame as a table; and a frame that was an L1, then an
 * L2, then asked to be an L1 again.
 *
 * Rule (abi.md 5.1, 5.2, 5.4, 6.18): a frame has one type at a time; while
 * its type count is not 0 any other use is -EBUSY, and a frame mapped
 * writable is no table (-EBUSY).  Out of use, a frame takes a new type only
 * by passing that type's validation in full (else its error, e.g. -EPERM).
 * Why it matters: an L1 read as an L2 (or back) makes the guest's data or
 * PTEs into page-directory entries that were never checked as such: a mapping
 * of anything.
 */
#include <pt.h>

const char test_title[] = "pt-type-confusion: one frame as two kinds of table";

#define L1	XENO_MMUEXT_PIN_L1_TABLE
#define L2	XENO_MMUEXT_PIN_L2_TABLE

static void attack(void)
{
	uint32_t l2m = cur_l2_mfn(), boot_l1 = l2_table()[1] >> PAGE_SHIFT;
	uint32_t *t = alloc_table(), tm = virt_to_mfn(t), *copy = copy_l2(), cm = virt_to_mfn(copy);
	uint32_t *w = alloc_page(), wm = virt_to_mfn(w), *d = alloc_page(), dm = virt_to_mfn(d);
	uint32_t si = start_info->shared_info_mfn;

	CHECK(boot_l1 && (l2_table()[1] & PTE_P), "no bootstrap L1 in slot 1");
	/* L1s as L2s. */
	EXPECT_EQ(pin(L2, boot_l1), -XENO_EBUSY);
	EXPECT_EQ(new_baseptr(boot_l1), -XENO_EBUSY);
	EXPECT_EQ(pin(L1, tm), 0);
	EXPECT_EQ(pin(L1, tm), -XENO_EBUSY);			/* already pinned */
	EXPECT_EQ(pin(L2, tm), -XENO_EBUSY);
	EXPECT_EQ(new_baseptr(tm), -XENO_EBUSY);
	/* L2s as L1s. */
	EXPECT_EQ(pin(L1, l2m), -XENO_EBUSY);
	EXPECT_EQ(pin(L2, l2m), -XENO_EBUSY);			/* pinned by the builder */
	EXPECT_EQ(pin(L2, cm), 0);
	EXPECT_EQ(pin(L1, cm), -XENO_EBUSY);
	expect_l2e_refused("a pinned L2 as an L1", mkpte(cm, L2E_FLAGS), -XENO_EBUSY);
	/* Writable pages as tables. */
	EXPECT_EQ(pin(L1, wm), -XENO_EBUSY);
	EXPECT_EQ(pin(L2, wm), -XENO_EBUSY);
	EXPECT_EQ(new_baseptr(wm), -XENO_EBUSY);
	expect_l2e_refused("a writable page as an L1", mkpte(wm, L2E_FLAGS), -XENO_EBUSY);
	EXPECT_EQ(pin(L1, si), -XENO_EBUSY);
	EXPECT_EQ(pin(L2, si), -XENO_EBUSY);
	EXPECT_EQ(new_baseptr(si), -XENO_EBUSY);
	expect_l2e_refused("shared_info as an L1", mkpte(si, L2E_FLAGS), -XENO_EBUSY);
	/* Data that is not a valid L2 as CR3: refused by validation, CR3 kept. */
	for (unsigned int i = 0; i < 16; i++)
		w[i] = 0xdead0000u | PTE_P | PTE_RW | PTE_A;
	EXPECT_EQ(set_rw(w, false), 0);
	EXPECT_EQ(new_baseptr(wm), -XENO_EPERM);
	EXPECT_EQ(pin(L1, wm), -XENO_EPERM);
	EXPECT_EQ(set_rw(w, true), 0);
	memset(w, 0, 64);
	/* Unpinning what is not pinned. */
	EXPECT_EQ(unpin(wm), -XENO_EINVAL);
	EXPECT_EQ(unpin(boot_l1), -XENO_EINVAL);
	EXPECT_EQ(pin(L2, cm), -XENO_EBUSY);
	EXPECT_EQ(unpin(cm), 0);
	EXPECT_EQ(unpin(cm), -XENO_EINVAL);
	EXPECT_EQ(unpin(tm), 0);

	/*
	 * An L1 out of use, whose entry maps d read-only: as an L2 that entry
	 * makes d an L1 (it is all zeros, so it validates), after which d cannot
	 * be mapped writable.  With d writable it does not validate at all.
	 */
	EXPECT_EQ(set_rw(t, true), 0);
	t[5] = mkpte(dm, PTE_RO_FLAGS);
	EXPECT_EQ(set_rw(t, false), 0);
	EXPECT_EQ(pin(L2, tm), -XENO_EBUSY);			/* d is mapped writable */
	EXPECT_EQ(set_rw(d, false), 0);
	EXPECT_EQ(pin(L1, tm), 0);
	EXPECT_EQ(pin(L2, tm), -XENO_EBUSY);
	EXPECT_EQ(unpin(tm), 0);
	EXPECT_EQ(pin(L2, tm), 0);
	EXPECT_EQ(set_rw(d, true), -XENO_EBUSY);		/* d is an L1 now */
	EXPECT_EQ(pin(L1, tm), -XENO_EBUSY);
	EXPECT_EQ(t[HV_SLOT], l2_table()[HV_SLOT]);		/* validated as an L2 */
	EXPECT_EQ(unpin(tm), 0);
	/* ... and back: its hypervisor slots now name hypervisor frames. */
	EXPECT_EQ(pin(L1, tm), -XENO_EPERM);
	CHECK(frame_untyped(dm), "d kept a type");
	EXPECT_EQ(set_rw(d, true), 0);
	EXPECT_EQ(set_rw(t, true), 0);
	memset(t, 0, PAGE_SIZE);
	EXPECT_EQ(set_rw(t, false), 0);
	EXPECT_EQ(pin(L1, tm), 0);
	EXPECT_EQ(unpin(tm), 0);

	/* Nothing stuck: every frame is an ordinary page again. */
	CHECK(frame_untyped(tm), "the L1/L2 frame kept a type");
	EXPECT_EQ(set_rw(copy, true), 0);
	w[0] = d[0] = 1;
	EXPECT_EQ(w[0] + d[0], 2);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
