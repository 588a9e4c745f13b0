/* SPDX-License-Identifier: MIT */
/*
 * assists: the optional vm_assist helpers really work when enabled and are
 * really off when disabled: writable page tables (a guest store to its own
 * read-only PTE is decoded, validated and applied) and 4 GiB segments (a
 * ring-3 access that wraps around 4 GiB through a capped segment is made to
 * work by flipping the descriptor between expand-up and expand-down).
 *
 * The writable-page-table assist lets an unmodified set_pte() run: every
 * store form Linux emits (mov, xchg, cmpxchg, or/and, bts/btr, byte or/and)
 * must give the same entry and flags as a native store would, and an entry
 * that would break isolation must be refused with the #PF the store would
 * have raised, leaving the entry as it was.  The 4 GiB assist exists for
 * glibc's TLS (%gs:negative offsets); it can only be observed where segment
 * limits are enforced (Bochs, real CPUs), not under QEMU TCG, where that
 * part is skipped.
 */
#include <descriptor.h>

const char test_title[] = "assists: writable page tables, 4 GiB segments";

#define HYP_MFN		0x100u
#define EFLAGS_CF	0x001u
#define EFLAGS_ZF	0x040u

static uint32_t *page_a, *page_b, *window, *pte;
static uint32_t mfn_a, mfn_b;

static void flush(void)
{
	mmuext1(XENO_MMUEXT_INVLPG_LOCAL, (uint32_t)window, 0);
}

static uint32_t seen(void)
{
	flush();
	return probe_read((uint32_t)window) ? 0 : *(volatile uint32_t *)window;
}

/* A plain store to *p; exinfo if it faulted. */
static uint32_t store(uint32_t *p, uint32_t v)
{
	uint32_t ex = 0;

	asm volatile("1: movl %1, (%2)\n2:\n" ASM_EXTABLE(1b, 2b)
		     : "+a"(ex) : "r"(v), "r"(p) : "memory");
	return ex;
}

static uint32_t flags_after(uint32_t fl)
{
	return fl & (EFLAGS_CF | EFLAGS_ZF);
}

static void test_store_forms(void)
{
	uint32_t v, fl, ret;

	EXPECT_EQ(store(pte, mkpte(mfn_b, PTE_RW_FLAGS)), 0);			/* mov r32 */
	EXPECT_EQ(*pte, mkpte(mfn_b, PTE_RW_FLAGS));
	EXPECT_EQ(seen(), 0xBBBB);
	asm volatile("movl $0, (%0)" : : "r"(pte) : "memory");			/* mov imm32 */
	EXPECT_EQ(*pte, 0);
	flush();
	EXPECT_EQ(probe_read((uint32_t)window), EXINFO(14, 0));
	v = mkpte(mfn_a, PTE_RW_FLAGS);
	asm volatile("xchg %0, (%1)" : "+r"(v) : "r"(pte) : "memory");		/* xchg */
	EXPECT_EQ(v, 0);
	EXPECT_EQ(seen(), 0xAAAA);

	/* cmpxchg: success (ZF=1), then failure (ZF=0, EAX = the entry). */
	ret = mkpte(mfn_a, PTE_RW_FLAGS);
	asm volatile("lock cmpxchg %2, (%3)\n pushf\n pop %1"
		     : "+a"(ret), "=r"(fl) : "r"(mkpte(mfn_b, PTE_RW_FLAGS)), "r"(pte) : "memory");
	CHECK(*pte == mkpte(mfn_b, PTE_RW_FLAGS) && (fl & EFLAGS_ZF), "cmpxchg (match): %08x, "
	      "ZF %u", *pte, !!(fl & EFLAGS_ZF));
	ret = 0x1234;
	asm volatile("lock cmpxchg %2, (%3)\n pushf\n pop %1"
		     : "+a"(ret), "=r"(fl) : "r"(mkpte(mfn_a, PTE_RW_FLAGS)), "r"(pte) : "memory");
	CHECK(*pte == mkpte(mfn_b, PTE_RW_FLAGS) && !(fl & EFLAGS_ZF) && ret == *pte,
	      "cmpxchg (mismatch): entry %08x, ZF %u, EAX %08x", *pte, !!(fl & EFLAGS_ZF), ret);
	EXPECT_EQ(seen(), 0xBBBB);

	/* Read-only and back, by and/or in every width the assist takes. */
	asm volatile("andl %0, (%1)" : : "r"(~PTE_RW), "r"(pte) : "memory", "cc");
	EXPECT_EQ(*pte, mkpte(mfn_b, PTE_RW_FLAGS & ~PTE_RW));
	flush();
	EXPECT_EQ(probe_write((uint32_t)window, 0xBBBB), EXINFO(14, 3));
	asm volatile("orl %0, (%1)" : : "r"(PTE_RW), "r"(pte) : "memory", "cc");
	EXPECT_EQ(*pte, mkpte(mfn_b, PTE_RW_FLAGS));
	asm volatile("andl $0xfffffffd, (%0)" : : "r"(pte) : "memory", "cc");
	EXPECT_EQ(*pte & PTE_RW, 0);
	asm volatile("orl $2, (%0)" : : "r"(pte) : "memory", "cc");
	EXPECT_EQ(*pte & PTE_RW, PTE_RW);
	asm volatile("andb $0xfd, (%0)" : : "r"(pte) : "memory", "cc");
	EXPECT_EQ(*pte, mkpte(mfn_b, PTE_RW_FLAGS & ~PTE_RW));
	asm volatile("orb $2, (%0)" : : "r"(pte) : "memory", "cc");
	EXPECT_EQ(*pte, mkpte(mfn_b, PTE_RW_FLAGS));

	/* btr/bts: the old bit comes back in CF. */
	asm volatile("btrl $1, (%1)\n pushf\n pop %0" : "=r"(fl) : "r"(pte) : "memory", "cc");
	CHECK(!(*pte & PTE_RW) && flags_after(fl) & EFLAGS_CF, "btr: %08x CF %u", *pte,
	      fl & EFLAGS_CF);
	asm volatile("btsl %2, (%1)\n pushf\n pop %0" : "=r"(fl) : "r"(pte), "r"(1) : "memory",
		     "cc");
	CHECK((*pte & PTE_RW) && !(flags_after(fl) & EFLAGS_CF), "bts: %08x CF %u", *pte,
	      fl & EFLAGS_CF);
	window[1] = 0x5678;
	EXPECT_EQ(page_b[1], 0x5678);
}

static void test_refused(void)
{
	uint32_t before = *pte, *l2 = l2_table();

	EXPECT_EQ(store(pte, mkpte(HYP_MFN, PTE_P)), EXINFO(14, 3));
	EXPECT_EQ(store(pte, mkpte(mfn_a, PTE_RW_FLAGS | PTE_G)), EXINFO(14, 3));
	EXPECT_EQ(store(pte, mkpte(virt_to_mfn(l2), PTE_RW_FLAGS)), EXINFO(14, 3));
	EXPECT_EQ(store((uint32_t *)((uint8_t *)pte + 2), 0), EXINFO(14, 3));	/* misaligned */
	EXPECT_EQ(*pte, before);
	/* L2 entries too: a guest slot works, a hypervisor slot does not. */
	EXPECT_EQ(store(&l2[FREE_SLOT], l2[(uint32_t)window >> 22]), 0);
	EXPECT_EQ(*(volatile uint32_t *)(FREE_VA | ((uint32_t)window & 0x3fffff)),
		  0xBBBB);
	EXPECT_EQ(store(&l2[FREE_SLOT], 0), 0);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
	EXPECT_EQ(store(&l2[XENO_FIRST_HYPERVISOR_L2_SLOT], 0), EXINFO(14, 3));
	CHECK(l2[XENO_FIRST_HYPERVISOR_L2_SLOT] & PTE_P, "hypervisor slot changed");
}

/* ---- 4 GiB segments ---- */

#define T_DOWN		0x4u		/* the expand-down bit of a data type */
#define GS_SEL		SEL(1, 3)	/* GDT entry 1, RPL 3 */

/* Ring 3: load GS_SEL into GS and read %gs:offset (exinfo if it faulted). */
static uint32_t user_gs_read(uint32_t offset)
{
	uint32_t ex = 0, v = 0, sel = GS_SEL;

	asm volatile("mov %3, %%gs\n1: mov %%gs:(%2), %1\n2:\n" ASM_EXTABLE(1b, 2b)
		     : "+a"(ex), "=&r"(v) : "r"(offset), "r"(sel) : "memory");
	asm volatile("mov %0, %%gs" : : "r"(0));
	return ex ? ex : v;
}

/* Does the CPU check segment limits?  A 1-byte segment read at offset 8. */
static bool limits_enforced(uint32_t gdt_maddr, uint32_t base)
{
	struct desc d = mkdesc(base, 0, T_DATA_RW, 3, BYTES32);

	HYPERCALL3(update_descriptor, gdt_maddr + 8, d.lo, d.hi);
	return run_in_ring3(user_gs_read, 8) == EXINFO(13, 0);
}

static void test_4gb_segments(void)
{
	uint32_t *gdt = alloc_page(), *low = alloc_page(), *high = alloc_page();
	uint32_t frame = virt_to_mfn(gdt), gdt_ma = virt_to_maddr(gdt), base = (uint32_t)high;
	struct desc flat = mkdesc(base, 0xfffff, T_DATA_RW, 3, SEG32);	/* 4 GiB from base */

	low[1023] = 0x10ad;
	high[0] = 0x4164;
	make_user(low, PAGE_SIZE);
	make_user(high, PAGE_SIZE);
	if (page_set_ro(gdt, true) || HYPERCALL2(set_gdt, &frame, 2)) {
		xtf_error("cannot set up a GDT");
		return;
	}
	if (!limits_enforced(gdt_ma, base)) {
		printf("segment limits are not enforced here (QEMU TCG): 4 GiB assist not "
		       "observable, skipped\n");
		goto out;
	}
	EXPECT_EQ(HYPERCALL3(update_descriptor, gdt_ma + 8, flat.lo, flat.hi), 0);
	EXPECT_EQ(run_in_ring3(user_gs_read, 0), 0x4164);
	/* Assist off: the wrap-around read faults as the CPU says. */
	EXPECT_EQ(HYPERCALL2(vm_assist, XENO_VMASST_CMD_DISABLE, XENO_VMASST_TYPE_4GB_SEGMENTS), 0);
	EXPECT_EQ(run_in_ring3(user_gs_read, 0xfffffffc), EXINFO(13, 0));
	/* Assist on: it works, by flipping the descriptor to expand-down... */
	EXPECT_EQ(HYPERCALL2(vm_assist, XENO_VMASST_CMD_ENABLE, XENO_VMASST_TYPE_4GB_SEGMENTS), 0);
	EXPECT_EQ(run_in_ring3(user_gs_read, 0xfffffffc), 0x10ad);
	CHECK(gdt[3] & (T_DOWN << 8), "the descriptor was not flipped to expand-down (%08x)",
	      gdt[3]);
	/* ...and back for a positive offset. */
	EXPECT_EQ(run_in_ring3(user_gs_read, 0), 0x4164);
	CHECK(!(gdt[3] & (T_DOWN << 8)), "the descriptor was not flipped back (%08x)", gdt[3]);
	/* Never into the hypervisor. */
	EXPECT_EQ(run_in_ring3(user_gs_read, XENO_GUEST_SEGMENT_END - base), EXINFO(13, 0));
out:
	HYPERCALL2(set_gdt, &frame, 0);
}

void test_main(void)
{
	page_a = alloc_page();
	page_b = alloc_page();
	window = alloc_page();
	page_a[0] = 0xAAAA;
	page_b[0] = 0xBBBB;
	mfn_a = virt_to_mfn(page_a);
	mfn_b = virt_to_mfn(page_b);
	pte = pte_of((uint32_t)window);

	/* Off (the default): a store to a PTE is a plain #PF. */
	EXPECT_EQ(store(pte, mkpte(mfn_b, PTE_RW_FLAGS)), EXINFO(14, 3));
	CHECK(*pte != mkpte(mfn_b, PTE_RW_FLAGS), "the PTE changed with the assist off");
	EXPECT_EQ(HYPERCALL2(vm_assist, XENO_VMASST_CMD_ENABLE,
			     XENO_VMASST_TYPE_WRITABLE_PAGETABLES), 0);
	test_store_forms();
	test_refused();
	EXPECT_EQ(HYPERCALL2(vm_assist, XENO_VMASST_CMD_DISABLE,
			     XENO_VMASST_TYPE_WRITABLE_PAGETABLES), 0);
	EXPECT_EQ(store(pte, mkpte(mfn_a, PTE_RW_FLAGS)), EXINFO(14, 3));
	test_4gb_segments();
	xtf_success(NULL);
}
