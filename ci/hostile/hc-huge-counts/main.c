/* SPDX-License-Identifier: MIT */
/*
 * hc-huge-counts: every count and size one past its limit and at 0xFFFFFFFF
 * with a valid pointer: mmu_update, mmuext_op and multicall batches,
 * console_io, memory_op extents, set_gdt and SET_LDT entries, a 257-entry trap
 * table.
 *
 * Rule (abi.md 6.0, 6.1, 6.2, 6.10, 6.11, 6.15, 6.18): -E2BIG (batches,
 * lengths) or -EINVAL (GDT, LDT entries), nothing done, *done not written.
 * Why it matters: a count multiplied into a size wraps around, and an
 * unbounded loop with interrupts off stalls every domain.
 */
#include <seg.h>

const char test_title[] = "hc-huge-counts: counts and sizes past their limits";

extern char trap_stubs[];

static void batches(void)
{
	static const uint32_t past[] = { 4097, 0x10000, 0x20000000, 0x80000000, 0xffffffff };
	struct xeno_mmu_update u[2] = { { 0, 0 }, { 0, 0 } };
	struct xeno_mmuext_op o[2] = { { XENO_MMUEXT_TLB_FLUSH_LOCAL, 0, 0 },
				       { XENO_MMUEXT_TLB_FLUSH_LOCAL, 0, 0 } };
	struct xeno_multicall_entry mc[2] = { { __HYPERVISOR_xeno_version, 7, { 0 } },
					      { __HYPERVISOR_xeno_version, 7, { 0 } } };
	char text[16] = "never printed\n";

	for (unsigned int i = 0; i < ARRAY_SIZE(past); i++) {
		uint32_t done = 77;

		EXPECT_EQ(HYPERCALL4(mmu_update, u, past[i], &done, XENO_DOMID_SELF), -XENO_E2BIG);
		EXPECT_EQ(done, 77);
		EXPECT_EQ(HYPERCALL4(mmuext_op, o, past[i], &done, XENO_DOMID_SELF), -XENO_E2BIG);
		EXPECT_EQ(done, 77);
		EXPECT_EQ(HYPERCALL2(multicall, mc, past[i]), -XENO_E2BIG);
		EXPECT_EQ(HYPERCALL3(console_io, XENO_CONSOLEIO_WRITE, past[i], text), -XENO_E2BIG);
	}
	EXPECT_EQ(HYPERCALL2(multicall, mc, XENO_MULTICALL_MAX + 1), -XENO_E2BIG);
	EXPECT_EQ(mc[0].result, 7);
	/* At the limit, a bad pointer still costs -EFAULT, not a long walk. */
	EXPECT_EQ(HYPERCALL4(mmu_update, 0x1000, XENO_MMU_MAX_BATCH, NULL, XENO_DOMID_SELF),
		  -XENO_EFAULT);
	EXPECT_EQ(HYPERCALL2(multicall, 0xFC000000, XENO_MULTICALL_MAX), -XENO_EFAULT);
}

static void extents(void)
{
	uint32_t list[4] = { 0 }, self = XENO_DOMID_SELF;
	struct xeno_memory_reservation r = { (uint32_t)list, 0, XENO_DOMID_SELF, 0 };
	static const uint32_t past[] = { 1048577, 0x40000000, 0x80000000, 0xffffffff };
	long pages = HYPERCALL2(memory_op, XENO_MEMOP_current_reservation, &self);

	for (unsigned int i = 0; i < ARRAY_SIZE(past); i++) {
		r.nr_extents = past[i];
		EXPECT_EQ(HYPERCALL2(memory_op, XENO_MEMOP_increase_reservation, &r), -XENO_E2BIG);
		EXPECT_EQ(HYPERCALL2(memory_op, XENO_MEMOP_decrease_reservation, &r), -XENO_E2BIG);
	}
	/* The maximum itself: we are at max_pages, so nothing is allocated. */
	r.nr_extents = 1048576;
	EXPECT_EQ(HYPERCALL2(memory_op, XENO_MEMOP_increase_reservation, &r), 0);
	EXPECT_EQ(HYPERCALL2(memory_op, XENO_MEMOP_current_reservation, &self), pages);
	EXPECT_EQ(list[0], 0);
}

static void tables(void)
{
	struct desc *gdt = dtab_page(), *ldt = dtab_page();
	struct xeno_trap_info *t = alloc_page();
	uint32_t mfns[16];

	gdt[1] = mkdesc(0, 0x777, T_DATA_RW, 1, BYTES32);
	ldt[0] = mkdesc(0, 0x555, T_DATA_RW, 1, BYTES32);
	CHECK(gdt_load(gdt, 2) == 0 && ldt_load(ldt, 1) == 0, "cannot install a GDT and an LDT");
	for (unsigned int i = 0; i < ARRAY_SIZE(mfns); i++)
		mfns[i] = virt_to_mfn(gdt);
	EXPECT_EQ(HYPERCALL2(set_gdt, mfns, XENO_FIRST_RESERVED_GDT_ENTRY + 1), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL2(set_gdt, mfns, 0x10000), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL2(set_gdt, mfns, 0x80000000), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL2(set_gdt, mfns, 0xffffffff), -XENO_EINVAL);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_SET_LDT, (uint32_t)ldt, 8193), -XENO_EINVAL);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_SET_LDT, (uint32_t)ldt, 0x20000000), -XENO_EINVAL);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_SET_LDT, (uint32_t)ldt, 0xffffffff), -XENO_EINVAL);
	EXPECT_EQ(lsl(SEL(1, 1)), 0x777);
	EXPECT_EQ(lsl(LDT_SEL(0, 1)), 0x555);

	/* 257 entries and no terminator: all refused, none installed. */
	for (unsigned int i = 0; i < 257; i++)
		t[i] = (struct xeno_trap_info){ (uint8_t)(0x90 + (i & 15)), 1, XENO_FLAT_RING1_CS,
						(uint32_t)trap_stubs + 0x90 * 16 };
	EXPECT_EQ(HYPERCALL1(set_trap_table, t), -XENO_E2BIG);
	{
		uint32_t ex = 0;

		asm volatile("1: int $0x91\n2:\n" ASM_EXTABLE(1b, 2b) : "+a"(ex) : : "memory");
		EXPECT_EQ(ex, EXINFO(13, 0x91 << 3 | 2));
	}
	EXPECT_EQ(ldt_unload(ldt), 0);
	EXPECT_EQ(gdt_unload(gdt), 0);
}

static void attack(void)
{
	batches();
	extents();
	tables();
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
