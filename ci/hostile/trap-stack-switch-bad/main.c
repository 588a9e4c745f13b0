/* SPDX-License-Identifier: MIT */
/*
 * trap-stack-switch-bad: name kernel stacks with the hypervisor's data
 * selector, ring-3, code, TSS, LDT and null selectors, guest descriptors that
 * are not present, not flat, read-only or of DPL 2 or 3, and stack pointers
 * above 0xFC000000, then trap from ring 3.
 *
 * Rule (abi.md 4.8, 6.3): -EINVAL and the old stack stays: SS must be a flat,
 * writable DPL-1 data segment and esp <= 0xFC000000.
 * Why it matters: every trap frame from ring 3 is written at that SS:ESP: a
 * ring-0 stack selector or a hypervisor ESP would let ring 3 write the
 * hypervisor's memory; an unusable one kills the guest at its next trap.
 */
#include <seg.h>

const char test_title[] = "trap-stack-switch-bad: ring-0, ring-3 and hypervisor kernel stacks";

static uint8_t kstack[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static volatile uint32_t frame_at;

static bool on_int3(struct gregs *r)
{
	frame_at = (uint32_t)&r->eip;
	return true;
}

/* Where a trap from ring 3 writes its frame (the top of the kernel stack - 20). */
static uint32_t ring3_frame(void)
{
	frame_at = 0;
	run_in_ring3(ring3_int3, 0);
	return frame_at + 20;
}

static void attack(void)
{
	static const uint32_t bad_ss[] = {
		0, 1, 3, HYP_DS, HYP_DS | 1, HYP_DS | 3, HYP_CS | 1, HYP_TSS | 1, HYP_LDT | 1,
		HYP_DF_TSS | 1, XENO_FLAT_RING1_DS & ~3u, XENO_FLAT_RING1_DS | 2,
		XENO_FLAT_RING1_DS | 3, XENO_FLAT_RING3_DS, (XENO_FLAT_RING3_DS & ~3u) | 1,
		XENO_FLAT_RING1_CS, 0xE001, 0xEFF9, XENO_FLAT_RING1_DS | 0x10000, 0xFFFFE021,
		SEL(1, 0), SEL(1, 3), SEL(2, 1), SEL(3, 1), SEL(4, 1), SEL(5, 1), SEL(6, 1), SEL(7, 1),
		SEL(100, 1),
		SEL(1000, 1), LDT_SEL(0, 1), LDT_SEL(1, 1) };
	static const uint32_t bad_esp[] = { 0xFC000001, 0xFC000004, 0xFC400000, 0xFF000000,
					    0xFFFFFFFF };
	struct desc *gdt = dtab_page();
	uint32_t top = (uint32_t)kstack + sizeof(kstack), ldt_sel = LDT_SEL(0, 1);
	struct desc *ldt = dtab_page();

	gdt[1] = mkdesc(0, 0xfffff, T_DATA_RW, 1, SEG32);		/* good */
	gdt[2] = mkdesc(0, 0xfffff, T_CODE_RX, 1, SEG32);		/* code */
	gdt[3] = mkdesc(0x1000, 0xfffff, T_DATA_RW, 1, SEG32);	/* base 0x1000 */
	gdt[4] = mkdesc(0, 0xfffff, T_DATA_RW, 1, SEG32);
	gdt[4].hi &= ~D_P;					/* not present */
	gdt[5] = mkdesc(0, 0xfffff, T_DATA_RW, 3, SEG32);		/* DPL 3 */
	gdt[6] = mkdesc(0, 0xfffff, T_DATA_RO, 1, SEG32);		/* read-only */
	gdt[7] = mkdesc(0, 0xfffff, T_DATA_RW, 2, SEG32);		/* DPL 2 */
	ldt[0] = mkdesc(0x2000, 0xfffff, T_DATA_RW, 1, SEG32);	/* not flat */
	CHECK(gdt_load(gdt, 8) == 0 && ldt_load(ldt, 1) == 0, "cannot install a GDT and LDT");
	set_trap_hook(3, on_int3);
	EXPECT_EQ(HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, top), 0);
	EXPECT_EQ(ring3_frame(), top);

	for (unsigned int i = 0; i < ARRAY_SIZE(bad_ss); i++) {
		CHECK(HYPERCALL2(stack_switch, bad_ss[i], top - 64) == -XENO_EINVAL,
		      "stack_switch to SS %#x accepted", bad_ss[i]);
		HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, top);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_esp); i++)
		CHECK(HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, bad_esp[i]) == -XENO_EINVAL,
		      "stack_switch to ESP %#x accepted", bad_esp[i]);
	EXPECT_EQ(ring3_frame(), top);

	/* A guest flat ring-1 data selector is fine; 0xFC000000 itself is the top. */
	EXPECT_EQ(HYPERCALL2(stack_switch, SEL(1, 1), top - 32), 0);
	EXPECT_EQ(ring3_frame(), top - 32);
	EXPECT_EQ(HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, XENO_HYPERVISOR_VIRT_START), 0);
	EXPECT_EQ(HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, top), 0);
	EXPECT_EQ(ring3_frame(), top);
	EXPECT_EQ(HYPERCALL2(stack_switch, ldt_sel, top), -XENO_EINVAL);
	set_trap_hook(3, NULL);
	EXPECT_EQ(ldt_unload(ldt), 0);
	EXPECT_EQ(gdt_unload(gdt), 0);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
