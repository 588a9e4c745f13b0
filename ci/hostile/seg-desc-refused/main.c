/* SPDX-License-Identifier: MIT */
/*
 * seg-desc-refused: install descriptors the hypervisor must refuse (DPL 0,
 * every system type, call, task, interrupt and trap gates, bases at or above
 * 0xFC400000, expand-down segments that reach it) through update_descriptor,
 * set_gdt and MMUEXT_SET_LDT, and aim update_descriptor at frames that are not
 * our descriptor pages.
 *
 * Rule (abi.md 5.6, 6.2, 6.9, 6.18): check_descriptor refuses them with
 * -EINVAL (update_descriptor: -EINVAL misaligned or not a descriptor page of
 * ours in use, -EPERM not our frame; set_gdt: -EPERM, -EBUSY for frames not
 * ours or not free to be descriptor pages) and the old tables stay as they
 * were.
 * Why it matters: one such descriptor is a way into ring 0 (a call gate or
 * DPL-0 code), a task switch, or a segment whose range covers the hypervisor.
 */
#include <seg.h>

const char test_title[] = "seg-desc-refused: DPL-0, system, gate and high descriptors";

#define NBAD	64
static struct desc bad[NBAD];
static const char *why[NBAD];
static unsigned int nbad;

static void add(const char *w, struct desc d)
{
	why[nbad] = w;
	bad[nbad++] = d;
}

static void build_bad(void)
{
	static const char *const sys_names[16] = {
		"reserved 0", "16-bit TSS", "LDT", "busy 16-bit TSS", "16-bit call gate",
		"task gate", "16-bit interrupt gate", "16-bit trap gate", "reserved 8", "TSS",
		"reserved 10", "busy TSS", "call gate", "reserved 13", "interrupt gate",
		"trap gate" };

	add("DPL-0 code", mkdesc(0, 0xfffff, T_CODE_RX, 0, SEG32));
	add("DPL-0 conforming code", mkdesc(0, 0xfffff, T_CODE_CONF, 0, SEG32));
	add("DPL-0 data", mkdesc(0, 0xfffff, T_DATA_RW, 0, SEG32));
	add("DPL-0 16-bit data", mkdesc(0, 0xffff, T_DATA_RW, 0, BYTES16));
	add("DPL-0 small data", mkdesc(0x400000, 0, T_DATA_RO, 0, BYTES32));
	for (uint32_t t = 0; t < 16; t++) {
		add(sys_names[t], mkdesc(0x400000, 0x67, t, 3, 0));
		add(sys_names[t], mkdesc(0x400000, 0x67, t, 1, 0));
	}
	add("call gate to the hypervisor's CS", mkgate(HYP_CS, 0x400000, SYS_CALL, 3));
	add("call gate to a guest selector", mkgate(SEL(1, 0), 0x400000, SYS_CALL, 3));
	add("task gate to the TSS", mkgate(HYP_TSS, 0, SYS_TASK, 3));
	add("interrupt gate", mkgate(HYP_CS, 0x400000, SYS_INT, 3));
	add("trap gate", mkgate(XENO_FLAT_RING1_CS, 0x400000, SYS_TRAP, 3));
	add("base 0xFC400000", mkdesc(SEG_END, 0, T_DATA_RW, 1, BYTES32));
	add("base 0xFC400001", mkdesc(SEG_END + 1, 0, T_DATA_RO, 3, BYTES32));
	add("base 0xFF000000 (the GDT)", mkdesc(0xFF000000, 0xfff, T_DATA_RW, 1, BYTES32));
	add("base 0xFFFFFFFF", mkdesc(0xFFFFFFFF, 0, T_CODE_RX, 3, BYTES32));
	add("code at 0xFC500000", mkdesc(0xFC500000, 0xfffff, T_CODE_RX, 1, SEG32));
	add("32-bit expand-down, base 0", mkdesc(0, 0, T_DATA_DOWN, 1, SEG32));
	add("32-bit expand-down, base 0, byte limit", mkdesc(0, 0xfffff, T_DATA_DOWN, 3, BYTES32));
	add("16-bit expand-down to 0xFC400000", mkdesc(0xFC3F0001, 0, T_DATA_DOWN, 1, BYTES16));
	add("16-bit expand-down at 0xFC3FFFFF", mkdesc(0xFC3FFFFF, 0xfff, T_DATA_DOWN, 3, D_S));
}

static bool same(struct desc a, struct desc b)
{
	return a.lo == b.lo && a.hi == b.hi;
}

static void attack(void)
{
	struct desc *gdt = dtab_page(), *ldt = dtab_page(), *probe = dtab_page();
	struct desc good = mkdesc(0, 0x1234, T_DATA_RW, 1, BYTES32), kept_gdt, kept_ldt;
	uint32_t gdt_ma = virt_to_maddr(gdt), own = virt_to_maddr(alloc_page());
	uint32_t probe_mfn = virt_to_mfn(probe);

	build_bad();
	gdt[1] = good;
	ldt[1] = good;
	CHECK(gdt_load(gdt, 16) == 0 && ldt_load(ldt, 16) == 0, "cannot install a GDT and LDT");
	kept_gdt = gdt[1], kept_ldt = ldt[1];
	CHECK(page_set_ro(probe, true) == 0, "cannot map a page read-only");
	for (unsigned int i = 0; i < nbad; i++) {
		/* update_descriptor, in the GDT and in the LDT. */
		CHECK(desc_set(gdt, 1, bad[i]) == -XENO_EINVAL, "update_descriptor took %s", why[i]);
		CHECK(desc_set(ldt, 1, bad[i]) == -XENO_EINVAL, "update_descriptor (LDT) took %s",
		      why[i]);
		CHECK(same(gdt[1], kept_gdt) && same(ldt[1], kept_ldt), "%s changed an entry", why[i]);
		/* A whole page holding it: refused, the old tables stay. */
		CHECK(page_set_ro(probe, false) == 0, "remap");
		memset(probe, 0, PAGE_SIZE);
		probe[5] = bad[i];
		CHECK(page_set_ro(probe, true) == 0, "remap");
		CHECK(HYPERCALL2(set_gdt, &probe_mfn, 16) == -XENO_EINVAL, "set_gdt took %s", why[i]);
		CHECK(mmuext1(XENO_MMUEXT_SET_LDT, (uint32_t)probe, 16) == -XENO_EINVAL,
		      "SET_LDT took %s", why[i]);
		CHECK(same(probe[5], bad[i]), "a refused page was rewritten (%s)", why[i]);
		CHECK(lsl(SEL(1, 1)) == 0x1234 && lsl(LDT_SEL(1, 1)) == 0x1234,
		      "the old tables went away after %s", why[i]);
	}
	/* The same descriptors not present are harmless and kept as they are. */
	for (unsigned int i = 0; i < nbad; i++) {
		struct desc np = bad[i];

		np.hi &= ~D_P;
		CHECK(desc_set(gdt, 2, np) == 0 && same(gdt[2], np), "not-present %s: refused or "
		      "changed", why[i]);
		{
			uint32_t ex = sreg_load(SR_FS, SEL(2, 1));

			CHECK(ex && (EXINFO_VEC(ex) == 11 || EXINFO_VEC(ex) == 13),
			      "not-present %s loaded into FS: exinfo %08x", why[i], ex);
		}
	}
	/* update_descriptor aimed elsewhere. */
	EXPECT_EQ(HYPERCALL3(update_descriptor, gdt_ma + 8 + 4, good.lo, good.hi), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL3(update_descriptor, gdt_ma + 8 + 1, good.lo, good.hi), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL3(update_descriptor, own + 8, good.lo, good.hi), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL3(update_descriptor, start_info->shared_info_mfn << PAGE_SHIFT,
			     good.lo, good.hi), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL3(update_descriptor, foreign_mfn() << PAGE_SHIFT, good.lo, good.hi),
		  -XENO_EPERM);
	EXPECT_EQ(HYPERCALL3(update_descriptor, hostile_arg("victim_l1", 0) << PAGE_SHIFT,
			     good.lo, good.hi), -XENO_EPERM);
	EXPECT_EQ(HYPERCALL3(update_descriptor, hypervisor_mfn() << PAGE_SHIFT, good.lo, good.hi),
		  -XENO_EPERM);
	EXPECT_EQ(HYPERCALL3(update_descriptor, 0xFFFFFFF8, good.lo, good.hi), -XENO_EPERM);
	EXPECT_EQ(HYPERCALL3(update_descriptor, (max_machine_frame() + 16) << PAGE_SHIFT, good.lo,
			     good.hi), -XENO_EPERM);
	/* Frames that are not ours or not free to become descriptor pages. */
	{
		uint32_t frames[3] = { foreign_mfn(), hypervisor_mfn(), 0xfffff };

		for (unsigned int i = 0; i < 3; i++) {
			EXPECT_EQ(HYPERCALL2(set_gdt, &frames[i], 1), -XENO_EPERM);
			EXPECT_EQ(lsl(SEL(1, 1)), 0x1234);
		}
		frames[0] = virt_to_mfn(alloc_page());		/* mapped writable */
		EXPECT_EQ(HYPERCALL2(set_gdt, frames, 1), -XENO_EBUSY);
		frames[0] = virt_to_mfn(l2_table());		/* our page directory */
		EXPECT_EQ(HYPERCALL2(set_gdt, frames, 1), -XENO_EBUSY);
		EXPECT_EQ(mmuext1(XENO_MMUEXT_SET_LDT, (uint32_t)l2_table(), 1), -XENO_EBUSY);
	}
	EXPECT_EQ(lsl(SEL(1, 1)), 0x1234);
	EXPECT_EQ(ldt_unload(ldt), 0);
	EXPECT_EQ(gdt_unload(gdt), 0);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
