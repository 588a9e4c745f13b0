/* SPDX-License-Identifier: MIT */
/*
 * pt-stale-tlb: keep a stale writable TLB entry for a frame (drop the mapping
 * with UVMF_NONE, or unhook the L1 behind it, without flushing), then turn
 * the frame into something that must not be writable: an L1 (by pin), a GDT
 * frame, an LDT frame, a free frame (decrease_reservation), and write through
 * the stale address.
 *
 * Rule (abi.md 5.1, 5.3): the guest flushes for its own mappings, but the
 * hypervisor flushes whenever safety needs it: before a frame that had a use
 * takes a different type, and after decrease_reservation frees frames.  The
 * write must fault and the frame must be unchanged.
 * Why it matters: a stale writable TLB entry for a validated page table, a
 * descriptor page or a frame handed to another domain is exactly the access
 * the type system exists to forbid.
 */
#include <pt.h>

const char test_title[] = "pt-stale-tlb: stale writable TLB entries across type changes";

static uint32_t va;
static unsigned int stale_seen;

/* Map mfn writable at va (its only writable mapping), write through it, then
 * drop the mapping (to read-only, or none) without a flush. */
static void leave_stale(uint32_t mfn, uint32_t then)
{
	EXPECT_EQ(update_va((void *)va, mkpte(mfn, PTE_RW_FLAGS), XENO_UVMF_INVLPG), 0);
	*(volatile uint32_t *)va = 0x1230;		/* bit 0 clear: a valid L1 entry */
	EXPECT_EQ(update_va((void *)va, then, XENO_UVMF_NONE), 0);
	if (probe_write(va, 0x4560) == 0)
		stale_seen++;				/* the CPU kept the old entry */
}

static void expect_no_write(const char *what, uint32_t addr, uint32_t ec, const uint32_t *frame)
{
	uint32_t before = frame ? frame[0] : 0, ex = probe_write(addr, 0xbad0);

	if (ex != EXINFO(14, ec))
		xtf_failure("%s: the write through the stale address: %08x, not a #PF", what,
			    ex);
	if (frame && frame[0] != before)
		xtf_failure("%s: the frame was written: %08x", what, frame[0]);
}

static void attack(void)
{
	uint32_t *p = alloc_page(), *g = alloc_page(), *l = alloc_page(), *q = alloc_page();
	uint32_t *d = alloc_page(), *t = alloc_table(), tm = virt_to_mfn(t);
	uint32_t qm = virt_to_mfn(q), pages;

	va = spare_va();
	EXPECT_EQ(set_rw(p, false), 0);
	EXPECT_EQ(set_rw(g, false), 0);
	EXPECT_EQ(set_rw(l, false), 0);
	EXPECT_EQ(set_rw(d, false), 0);

	/* A page table. */
	leave_stale(virt_to_mfn(p), mkpte(virt_to_mfn(p), PTE_RO_FLAGS));
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, virt_to_mfn(p)), 0);
	expect_no_write("L1", va, 3, p);
	EXPECT_EQ(unpin(virt_to_mfn(p)), 0);

	/* A GDT frame. */
	leave_stale(virt_to_mfn(g), mkpte(virt_to_mfn(g), PTE_RO_FLAGS));
	EXPECT_EQ(set_gdt1(virt_to_mfn(g), 512), 0);
	expect_no_write("GDT frame", va, 3, g);
	EXPECT_EQ(set_gdt1(0, 0), 0);

	/* An LDT frame. */
	leave_stale(virt_to_mfn(l), mkpte(virt_to_mfn(l), PTE_RO_FLAGS));
	EXPECT_EQ(set_ldt((uint32_t)l, 512), 0);
	expect_no_write("LDT frame", va, 3, l);
	EXPECT_EQ(set_ldt(0, 0), 0);

	/* The L1 behind the mapping unhooked, the page then pinned as a table. */
	EXPECT_EQ(mmu_update1(l2e_maddr(cur_l2_mfn(), FREE_SLOT), mkpte(tm, L2E_FLAGS)), 0);
	EXPECT_EQ(mmu_update1(l1e_maddr(tm, 0), mkpte(virt_to_mfn(d), PTE_RW_FLAGS)), 0);
	*(volatile uint32_t *)FREE_VA = 0x1230;
	EXPECT_EQ(mmu_update1(l2e_maddr(cur_l2_mfn(), FREE_SLOT), 0), 0);
	if (probe_write(FREE_VA, 0x4560) == 0)
		stale_seen++;
	EXPECT_EQ(pin(XENO_MMUEXT_PIN_L1_TABLE, virt_to_mfn(d)), 0);
	expect_no_write("L1 behind an unhooked L1", FREE_VA, 2, d);
	EXPECT_EQ(unpin(virt_to_mfn(d)), 0);

	/* A frame given back: no mapping of ours may reach it afterwards. */
	pages = cur_reservation();
	EXPECT_EQ(update_va(q, 0, XENO_UVMF_INVLPG), 0);
	leave_stale(qm, 0);
	EXPECT_EQ(decrease1(qm), 1);
	EXPECT_EQ(cur_reservation(), pages - 1);
	expect_no_write("freed frame", va, 2, NULL);
	EXPECT_EQ(update_va((void *)va, mkpte(qm, PTE_RO_FLAGS), XENO_UVMF_INVLPG), -XENO_EPERM);

	printf("stale TLB entries seen before the type changes: %u of 5\n", stale_seen);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
