/* SPDX-License-Identifier: MIT */
/*
 * gdt: set_gdt and update_descriptor: a guest's own descriptor table is
 * validated, made read-only, used by the CPU, and kept out of the
 * hypervisor's reach.
 *
 * Guest segment descriptors are the last line of isolation on x86-32: a
 * descriptor with DPL 0, a system descriptor (TSS, LDT, call gate), or a
 * segment reaching above 0xFC400000 would hand the guest the hypervisor.
 * So every descriptor page must be read-only while in use, every descriptor
 * checked (refused with -EINVAL, or its limit cut so the segment ends below
 * the hypervisor, as `lsl` shows), and the accepted ones must really work:
 * data and code selectors load, ring checks apply, not-present ones fault.
 * Pages leave the descriptor type when replaced and can be written again.
 */
#include <descriptor.h>

const char test_title[] = "gdt: set_gdt, update_descriptor, limits and refusals";

/* A descriptor as mkdesc() builds it, but not present. */
static struct desc absent(struct desc d)
{
	d.hi &= ~D_P;
	return d;
}

static uint32_t user_load_ds(uint32_t sel)
{
	uint32_t ex = 0;

	asm volatile("1: mov %1, %%ds\n2:\n" ASM_EXTABLE(1b, 2b) "mov $0xE033, %1\n mov %1, %%ds\n"
		     : "+a"(ex), "+r"(sel) : : "memory");
	return ex;
}

/* A page whose one bad descriptor must make set_gdt fail, leaving it writable. */
static void refused_page(const char *what, struct desc bad)
{
	struct desc *p = alloc_page();

	p[3] = bad;
	EXPECT_EQ(set_gdt1(virt_to_mfn(p), 8), -XENO_EBUSY);		/* still writable */
	EXPECT_EQ(page_set_ro(p, true), 0);
	if (set_gdt1(virt_to_mfn(p), 8) != -XENO_EINVAL)
		xtf_failure("set_gdt accepted a page with %s", what);
	EXPECT_EQ(page_set_ro(p, false), 0);
}

/* uint32_t far_hop(sel): far jump to 'sel':label and back to the flat CS; returns CS seen. */
asm(".text\n"
    ".globl far_hop\n"
    "far_hop:\n"
    "	mov 4(%esp), %eax\n"
    "	push %eax\n	push $1f\n	lret\n"
    "1:	mov %cs, %eax\n"
    "	push $0xE019\n	push $2f\n	lret\n"
    "2:	ret\n");
uint32_t far_hop(uint32_t sel);

void test_main(void)
{
	struct desc *gdt = alloc_page(), *gdt2 = alloc_page();
	uint32_t *buf = alloc_page();
	const uint32_t ents = 10, data = virt_to_maddr(gdt);
	uint32_t mfns[2];

	gdt[1] = mkdesc(0, 0xfffff, T_DATA_RW, 1, SEG32);			/* flat, cut */
	gdt[2] = mkdesc(0, 0xfffff, T_CODE_RX, 1, SEG32);			/* flat code */
	gdt[3] = mkdesc(0x1000, 0xfffff, T_DATA_RW, 3, SEG32);			/* ring 3 */
	gdt[4] = mkdesc(SEG_END - 0x1000, 0xffff, T_DATA_RW, 1, BYTES32);	/* bytes */
	gdt[5] = mkdesc(0x10000000, 0, T_DATA_DOWN, 1, SEG32);			/* expand-down */
	gdt[6] = absent(mkdesc(0x12345678, 0xfffff, T_DATA_RW, 1, SEG32));	/* not present */
	gdt[7] = mkdesc((uint32_t)buf, 0xfff, T_DATA_RW, 1, BYTES32);		/* small */
	gdt[8] = mkdesc(0, 0xfffff, T_DATA_RW, 1, SEG32);
	gdt[9] = absent(mkdesc(0x12345678, 0xfffff, SYS_CALL, 0, 0));		/* not present */

	EXPECT_EQ(set_gdt1(virt_to_mfn(gdt), ents), -XENO_EBUSY);
	EXPECT_EQ(page_set_ro(gdt, true), 0);
	EXPECT_EQ(HYPERCALL2(set_gdt, mfns, XENO_FIRST_RESERVED_GDT_ENTRY + 1), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL2(set_gdt, 0xFC000000, ents), -XENO_EFAULT);
	EXPECT_EQ(set_gdt1(virt_to_mfn(gdt), ents), 0);
	/* In use: never writable again. */
	EXPECT_EQ(page_set_ro(gdt, false), -XENO_EBUSY);

	/* Limits as the CPU sees them: nothing reaches 0xFC400000. */
	EXPECT_EQ(lsl(XENO_FLAT_RING1_DS), SEG_END - 1);
	EXPECT_EQ(lsl(SEL(1, 1)), SEG_END - 1);
	EXPECT_EQ(lsl(SEL(2, 1)), SEG_END - 1);
	EXPECT_EQ(lsl(SEL(3, 3)), SEG_END - 0x1000 - 1);
	EXPECT_EQ(lsl(SEL(4, 1)), 0xfff);
	EXPECT_EQ(lsl(SEL(5, 1)), 0xefffffff);	/* offsets above it wrap below the base */
	EXPECT_EQ(lsl(SEL(7, 1)), 0xfff);
	CHECK(gdt[1].hi & (T_ACCESSED << 8), "the accessed bit was not preset");
	/* Not present: harmless whatever it says, kept as it was. */
	EXPECT_EQ(gdt[9].hi, absent(mkdesc(0x12345678, 0xfffff, SYS_CALL, 0, 0)).hi);

	/* They work: loads, accesses, a far jump, ring checks, not-present. */
	EXPECT_EQ(sreg_load(SR_FS, SEL(1, 1)), 0);
	buf[5] = 0xfeedf00d;
	EXPECT_EQ(fs_read(SEL(7, 1), 20), 0);
	EXPECT_EQ(fs_read_value, 0xfeedf00d);
	EXPECT_EQ(sreg_load(SR_FS, SEL(3, 3)), 0);
	EXPECT_EQ(far_hop(SEL(2, 1)) & 0xffff, SEL(2, 1));
	/* #NP; a gate as data; a null descriptor; a frame not supplied */
	EXPECT_EQ(sreg_load(SR_FS, SEL(6, 1)), EXINFO(11, SEL(6, 0)));
	EXPECT_EQ(sreg_load(SR_FS, SEL(9, 1)), EXINFO(13, SEL(9, 0)));
	EXPECT_EQ(sreg_load(SR_FS, SEL(100, 1)), EXINFO(13, SEL(100, 0)));
	EXPECT_EQ(sreg_load(SR_FS, SEL(600, 1)), EXINFO(13, SEL(600, 0)));
	EXPECT_EQ(run_in_ring3(user_load_ds, SEL(3, 3)), 0);
	EXPECT_EQ(run_in_ring3(user_load_ds, SEL(1, 3)), EXINFO(13, SEL(1, 0)));

	/* update_descriptor: checked like set_gdt, applied at once. */
	EXPECT_EQ(HYPERCALL3(update_descriptor, data + 8 * 8, gdt[7].lo, gdt[7].hi), 0);
	EXPECT_EQ(lsl(SEL(8, 1)), 0xfff);
	{
		struct desc big = mkdesc(0x00800000, 0xfffff, T_DATA_RW, 1, SEG32);

		EXPECT_EQ(HYPERCALL3(update_descriptor, data + 8 * 8, big.lo, big.hi), 0);
		EXPECT_EQ(lsl(SEL(8, 1)), SEG_END - 0x00800000 - 1);
	}
	{
		struct desc ring0 = mkdesc(0, 0xfffff, T_DATA_RW, 0, SEG32);
		struct desc gate = mkdesc(0, 0, SYS_CALL, 3, 0);
		struct desc tss = mkdesc(0, 0x67, SYS_TSS, 1, 0);
		struct desc high = mkdesc(SEG_END, 0xff, T_DATA_RW, 1, D_S);
		struct desc down0 = mkdesc(0, 0, T_DATA_DOWN, 1, SEG32);
		struct desc before = gdt[8];

		EXPECT_EQ(HYPERCALL3(update_descriptor, data + 8 * 8, ring0.lo, ring0.hi),
			  -XENO_EINVAL);
		EXPECT_EQ(HYPERCALL3(update_descriptor, data + 8 * 8, gate.lo, gate.hi), -XENO_EINVAL);
		EXPECT_EQ(HYPERCALL3(update_descriptor, data + 8 * 8, tss.lo, tss.hi), -XENO_EINVAL);
		EXPECT_EQ(HYPERCALL3(update_descriptor, data + 8 * 8, high.lo, high.hi), -XENO_EINVAL);
		EXPECT_EQ(HYPERCALL3(update_descriptor, data + 8 * 8, down0.lo, down0.hi),
			  -XENO_EINVAL);
		EXPECT_EQ(HYPERCALL3(update_descriptor, data + 8 * 8 + 4, gdt[1].lo, gdt[1].hi),
			  -XENO_EINVAL);
		EXPECT_EQ(HYPERCALL3(update_descriptor, virt_to_maddr(buf), gdt[1].lo, gdt[1].hi),
			  -XENO_EINVAL);				/* not a descriptor page */
		EXPECT_EQ(HYPERCALL3(update_descriptor, 0x100000, gdt[1].lo, gdt[1].hi),
			  -XENO_EPERM);					/* the hypervisor's */
		CHECK(gdt[8].lo == before.lo && gdt[8].hi == before.hi, "a refused update changed "
		      "the descriptor to %08x:%08x", gdt[8].hi, gdt[8].lo);
		EXPECT_EQ(buf[0], 0);
	}

	/* Pages with one bad descriptor are refused whole. */
	refused_page("a ring-0 data segment", mkdesc(0, 0xfffff, T_DATA_RW, 0, SEG32));
	refused_page("a ring-0 code segment", mkdesc(0, 0xfffff, T_CODE_RX, 0, SEG32));
	refused_page("a call gate", mkdesc(0x1000, 0xE008, SYS_CALL, 3, 0));
	refused_page("a TSS", mkdesc(0x1000, 0x67, SYS_TSS, 1, 0));
	refused_page("an LDT descriptor", mkdesc(0x1000, 0xfff, SYS_LDT, 1, 0));
	refused_page("a base in the hypervisor", mkdesc(SEG_END, 0xff, T_DATA_RW, 1, D_S));
	refused_page("an expand-down segment at base 0",
		     mkdesc(0, 0, T_DATA_DOWN, 1, SEG32));

	/* Replaced: the old page is an ordinary page again. */
	gdt2[1] = mkdesc(0, 0xfffff, T_DATA_RW, 1, SEG32);
	EXPECT_EQ(page_set_ro(gdt2, true), 0);
	mfns[0] = virt_to_mfn(gdt2);
	EXPECT_EQ(HYPERCALL2(set_gdt, mfns, 2), 0);
	EXPECT_EQ(page_set_ro(gdt, false), 0);
	EXPECT_EQ(lsl(SEL(1, 1)), SEG_END - 1);
	EXPECT_EQ(HYPERCALL2(set_gdt, mfns, 0), 0);
	EXPECT_EQ(page_set_ro(gdt2, false), 0);
	EXPECT_EQ(sreg_load(SR_FS, SEL(1, 1)), EXINFO(13, SEL(1, 0)));
	xtf_success(NULL);
}
