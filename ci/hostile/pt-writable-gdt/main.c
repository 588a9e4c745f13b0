/* SPDX-License-Identifier: MIT */
/*
 * pt-writable-gdt: install a frame as a GDT frame with set_gdt, then ask for
 * a writable mapping of it every way (update_va_mapping, mmu_update,
 * multicall, the page-table assist), use it as a page table, install frames
 * that are mapped writable (alone, or after a good frame), and a frame with
 * one bad descriptor after good ones that validation would rewrite.
 *
 * Rule (abi.md 5.1, 5.2, 5.6, 8): a GDT frame is never mapped writable and
 * never becomes a page table (-EBUSY); set_gdt refuses a frame mapped
 * writable (-EBUSY) or holding a bad descriptor (-EINVAL), all or nothing:
 * the old GDT stays and neither the refused frame nor the frames before it
 * in the table are modified.
 * Why it matters: a writable GDT lets a guest write a ring-0 code segment or
 * a call gate and run its own code in ring 0.
 */
#include <pt.h>
#include <descriptor.h>

const char test_title[] = "pt-writable-gdt: a writable mapping of a GDT frame";

#define FLAT_SEL	SEL(1, 1)		/* GDT entry 1, RPL 1 */
#define FLAT_DATA_LO	0x0000ffffu
#define FLAT_DATA_HI	0x00cfb200u		/* present, DPL 1, data RW, 4 GiB (cut) */

static void attack(void)
{
	uint32_t *g = alloc_page(), gm = virt_to_mfn(g), *w = alloc_page();
	uint32_t frames[2] = { gm, virt_to_mfn(w) };
	uint32_t sel_ma = (gm << PAGE_SHIFT) + (FLAT_SEL & ~7u);

	g[2] = FLAT_DATA_LO;
	g[3] = FLAT_DATA_HI;
	w[0] = 0x600d;
	/* A frame mapped writable cannot become a GDT frame. */
	EXPECT_EQ(set_gdt1(gm, 512), -XENO_EBUSY);
	EXPECT_EQ(set_rw(g, false), 0);
	EXPECT_EQ(set_gdt1(gm, 512), 0);
	EXPECT_EQ(fs_read_check(FLAT_SEL, w), 0);

	/* Every way of writing it. */
	expect_pte_refused("GDT frame", mkpte(gm, PTE_RW_FLAGS), -XENO_EBUSY);
	EXPECT_EQ(set_rw(g, true), -XENO_EBUSY);
	EXPECT_EQ(*pte_of((uint32_t)g) & PTE_RW, 0);
	/* Nor may it be a page table. */
	expect_l2e_refused("GDT frame as an L1", mkpte(gm, L2E_FLAGS), -XENO_EBUSY);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, gm), -XENO_EBUSY);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L2_TABLE, gm), -XENO_EBUSY);
	EXPECT_EQ(new_baseptr(gm), -XENO_EBUSY);

	/* A new GDT with a writable frame: refused, all or nothing, old GDT kept. */
	EXPECT_EQ(set_gdt1(virt_to_mfn(w), 512), -XENO_EBUSY);
	EXPECT_EQ(HYPERCALL2(set_gdt, frames, 1024), -XENO_EBUSY);
	frames[0] = frames[1], frames[1] = gm;
	EXPECT_EQ(HYPERCALL2(set_gdt, frames, 1024), -XENO_EBUSY);
	EXPECT_EQ(set_gdt1(start_info->shared_info_mfn, 512), -XENO_EBUSY);
	EXPECT_EQ(fs_read_check(FLAT_SEL, w), 0);
	/* update_descriptor is the way to change it, and it still works. */
	EXPECT_EQ(HYPERCALL3(update_descriptor, sel_ma, 0, 0), 0);
	EXPECT_EQ(EXINFO_VEC(fs_read_check(FLAT_SEL, w)), 13);
	EXPECT_EQ(HYPERCALL3(update_descriptor, sel_ma, FLAT_DATA_LO, FLAT_DATA_HI), 0);
	EXPECT_EQ(fs_read_check(FLAT_SEL, w), 0);

	/* A frame with one descriptor refused: -EINVAL, and not even the good
	 * descriptors before it are rewritten (limits cut, accessed bit). */
	{
		uint32_t *bad = alloc_page();

		bad[2] = FLAT_DATA_LO, bad[3] = FLAT_DATA_HI;	/* limit to be cut */
		bad[5] = 0x00409a00u;				/* present DPL 0 code */
		EXPECT_EQ(set_rw(bad, false), 0);
		EXPECT_EQ(set_gdt1(virt_to_mfn(bad), 512), -XENO_EINVAL);
		EXPECT_EQ(bad[2], FLAT_DATA_LO);
		EXPECT_EQ(bad[3], FLAT_DATA_HI);
		EXPECT_EQ(fs_read_check(FLAT_SEL, w), 0);		/* the old GDT stays */

		/* Nor the frames before a refused one in a two-frame table. */
		uint32_t *good = alloc_page(), two[2] = { virt_to_mfn(good), virt_to_mfn(bad) };

		good[2] = FLAT_DATA_LO, good[3] = FLAT_DATA_HI;
		EXPECT_EQ(set_rw(good, false), 0);
		EXPECT_EQ(HYPERCALL2(set_gdt, two, 1024), -XENO_EINVAL);
		EXPECT_EQ(good[2], FLAT_DATA_LO);
		EXPECT_EQ(good[3], FLAT_DATA_HI);
		two[1] = virt_to_mfn(w);			/* mapped writable */
		EXPECT_EQ(HYPERCALL2(set_gdt, two, 1024), -XENO_EBUSY);
		EXPECT_EQ(good[3], FLAT_DATA_HI);
		EXPECT_EQ(fs_read_check(FLAT_SEL, w), 0);
	}

	/* Given up, it is an ordinary page again (no type count was left behind). */
	EXPECT_EQ(HYPERCALL2(set_gdt, 0, 0), 0);
	EXPECT_EQ(set_rw(g, true), 0);
	g[0] = 1;
	EXPECT_EQ(EXINFO_VEC(fs_read_check(FLAT_SEL, w)), 13);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
