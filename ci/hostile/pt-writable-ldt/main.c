/* SPDX-License-Identifier: MIT */
/*
 * pt-writable-ldt: install a page as the LDT with MMUEXT_SET_LDT, then ask
 * for a writable mapping of it every way, also after unmapping its virtual
 * address; use it as a page table; install an LDT whose page (or second page)
 * is mapped writable.
 *
 * Rule (abi.md 5.1, 5.6, 6.18): an LDT frame is never mapped writable nor
 * used as a page table (-EBUSY), whatever later happens to the mapping of its
 * virtual address; SET_LDT refuses writable frames (-EBUSY), all or nothing,
 * and the old LDT stays.
 * Why it matters: a writable LDT lets a guest write a ring-0 segment or a
 * call gate the CPU would honour.
 */
#include <pt.h>
#include <descriptor.h>

const char test_title[] = "pt-writable-ldt: a writable mapping of an LDT frame";

#define FLAT_SEL	LDT_SEL(1, 3)		/* LDT entry 1, RPL 3 */
#define FLAT_DATA_LO	0x0000ffffu
#define FLAT_DATA_HI	0x00cff200u		/* present, DPL 3, data RW, 4 GiB (cut) */

static void attack(void)
{
	uint32_t *l = alloc_page(), *l2nd = alloc_page(), *w = alloc_page();
	uint32_t lm = virt_to_mfn(l), l_pte;

	CHECK((uint32_t)l2nd == (uint32_t)l + PAGE_SIZE, "pages not contiguous");
	l[2] = FLAT_DATA_LO;
	l[3] = FLAT_DATA_HI;
	w[0] = 0x600d;
	EXPECT_EQ(set_ldt((uint32_t)l, 16), -XENO_EBUSY);	/* mapped writable */
	EXPECT_EQ(set_rw(l, false), 0);
	l_pte = *pte_of((uint32_t)l);
	EXPECT_EQ(set_ldt((uint32_t)l, 16), 0);
	EXPECT_EQ(fs_read_check(FLAT_SEL, w), 0);

	expect_pte_refused("LDT frame", mkpte(lm, PTE_RW_FLAGS), -XENO_EBUSY);
	EXPECT_EQ(set_rw(l, true), -XENO_EBUSY);
	expect_l2e_refused("LDT frame as an L1", mkpte(lm, L2E_FLAGS), -XENO_EBUSY);
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, lm), -XENO_EBUSY);
	EXPECT_EQ(new_baseptr(lm), -XENO_EBUSY);

	/* The LDT holds its frame, not its virtual address. */
	EXPECT_EQ(update_va(l, 0, XENO_UVMF_INVLPG), 0);
	EXPECT_EQ(probe_read((uint32_t)l), EXINFO(14, 0));
	EXPECT_EQ(fs_read_check(FLAT_SEL, w), 0);
	EXPECT_EQ(update_va(l, l_pte | PTE_RW, XENO_UVMF_INVLPG), -XENO_EBUSY);
	expect_pte_refused("unmapped LDT frame", mkpte(lm, PTE_RW_FLAGS), -XENO_EBUSY);
	EXPECT_EQ(update_va(l, l_pte, XENO_UVMF_INVLPG), 0);

	/* New LDTs with a writable page: refused, and the old one stays. */
	EXPECT_EQ(set_ldt((uint32_t)w, 16), -XENO_EBUSY);
	EXPECT_EQ(set_ldt((uint32_t)l, 1024), -XENO_EBUSY);	/* its second page is RW */
	EXPECT_EQ(fs_read_check(FLAT_SEL, w), 0);
	EXPECT_EQ(set_rw(l, true), -XENO_EBUSY);

	/* Given up, it is an ordinary page again. */
	EXPECT_EQ(set_ldt(0, 0), 0);
	EXPECT_EQ(set_rw(l, true), 0);
	l[0] = 1;
	EXPECT_EQ(EXINFO_VEC(fs_read_check(FLAT_SEL, w)), 13);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
