/* SPDX-License-Identifier: MIT */
/*
 * seg-desc-limits: install descriptors whose range would reach 0xFC400000 (4
 * GiB flat, bases just below the ceiling, conforming code, 32- and 16-bit
 * expand-down) and use them from ring 1 and ring 3: the last offset they
 * allow, and (where limits are enforced) the first past it.
 *
 * Rule (abi.md 5.6): expand-up limits are cut to end at 0xFC3FFFFF, 32-bit
 * expand-down limits raised so offsets wrap below the base, the accessed bit
 * set, the result stored back; an access past the cut limit is a #GP in the
 * guest.
 * Why it matters: a limit still covering 0xFC400000 and up would give the
 * guest every byte of the hypervisor through an ordinary mov.
 */
#include <seg.h>

const char test_title[] = "seg-desc-limits: limits cut below the hypervisor, then used";

struct cut {
	const char *what;
	struct desc in;
	uint32_t base, limit;	/* expected after the cut: base, effective limit */
	uint32_t flags;		/* D_G and D_DB expected */
};

#define DOWN	T_DATA_DOWN
static const struct cut cuts[] = {
	{ "flat 4 GiB data", { 0 }, 0, SEG_END - 1, D_G | D_DB },
	{ "flat 4 GiB code", { 0 }, 0, SEG_END - 1, D_G | D_DB },
	{ "conforming code", { 0 }, 0, SEG_END - 1, D_G | D_DB },
	{ "ring-3 data at 16 MiB", { 0 }, 0x01000000, SEG_END - 0x01000000 - 1, D_G | D_DB },
	{ "last page, 4 KiB granular", { 0 }, SEG_END - 0x1000, 0xfff, D_G | D_DB },
	{ "last 16 bytes, 4 KiB granular", { 0 }, SEG_END - 0x10, 0xf, D_DB },
	{ "last byte, byte granular", { 0 }, SEG_END - 1, 0, D_DB },
	{ "1 MiB ending at the ceiling", { 0 }, SEG_END - 0x100000, 0xfffff, D_DB },
	{ "1 MiB one byte past it", { 0 }, SEG_END - 0xfffff, 0xffffe, D_DB },
	{ "expand-down at 6 MiB", { 0 }, 0x00600000, 0xff9fffff, D_G | D_DB },
	{ "expand-down at 1 byte", { 0 }, 1, 0xffffffff, D_G | D_DB },
	{ "expand-down below the ceiling", { 0 }, SEG_END - 0x1000, 0x03c00fff, D_G | D_DB },
	{ "16-bit expand-down at the ceiling", { 0 }, SEG_END - 0x10000, 0x1000, 0 },
};

static struct desc input(unsigned int i)
{
	switch (i) {
	case 0: return mkdesc(0, 0xfffff, T_DATA_RW, 1, SEG32);
	case 1: return mkdesc(0, 0xfffff, T_CODE_RX, 1, SEG32);
	case 2: return mkdesc(0, 0xfffff, T_CODE_CONF, 1, SEG32);
	case 3: return mkdesc(0x01000000, 0xfffff, T_DATA_RW, 3, SEG32);
	case 4: return mkdesc(SEG_END - 0x1000, 0xfffff, T_DATA_RW, 1, SEG32);
	case 5: return mkdesc(SEG_END - 0x10, 0xfffff, T_DATA_RO, 3, SEG32);
	case 6: return mkdesc(SEG_END - 1, 0xfffff, T_DATA_RW, 1, BYTES32);
	case 7: return mkdesc(SEG_END - 0x100000, 0xfffff, T_DATA_RO, 1, BYTES32);
	case 8: return mkdesc(SEG_END - 0xfffff, 0xfffff, T_DATA_RW, 3, BYTES32);
	case 9: return mkdesc(0x00600000, 0, DOWN, 1, SEG32);
	case 10: return mkdesc(1, 0, DOWN, 3, BYTES32);
	case 11: return mkdesc(SEG_END - 0x1000, 0x10, DOWN, 3, BYTES32);
	default: return mkdesc(SEG_END - 0x10000, 0x1000, DOWN, 1, BYTES16);
	}
}

/* Ring 3: read offset off through sel (FS). */
static uint32_t user_read(uint32_t sel, uint32_t off)
{
	return fs_read(sel, off);
}

static void check_cut(struct desc *gdt, unsigned int i, bool limits)
{
	const struct cut *c = &cuts[i];
	struct desc d = gdt[i + 1];
	uint32_t type = D_TYPE(input(i).hi), dpl = (d.hi >> 13) & 3, ring = dpl == 3 ? 3 : 1;
	uint32_t sel = SEL(i + 1, ring), last, ex;
	bool down = !(type & 8) && (type & 4);

	CHECK(desc_base(d) == c->base && desc_limit(d) == c->limit &&
	      (d.hi & (D_G | D_DB)) == c->flags && D_TYPE(d.hi) == (type | T_ACCESSED) &&
	      (d.hi & (D_P | D_S | D_DPL(3))) == (input(i).hi & (D_P | D_S | D_DPL(3))),
	      "%s: stored as %08x:%08x (base %08x limit %08x), expected base %08x limit %08x "
	      "flags %08x", c->what, d.hi, d.lo, desc_base(d), desc_limit(d), c->base, c->limit,
	      c->flags);
	CHECK(lsl(sel) == c->limit, "%s: lsl says %08x", c->what, lsl(sel));
	if (type & 8)
		return;		/* code: far calls in seg-limits */
	/* The last offset it allows: an expand-up segment's limit, the top of a
	 * down one (the last byte below its base, or 0xFFFF for 16 bits). */
	last = down ? ((d.hi & D_DB) ? 0xfffffffc : 0xfffc) : c->limit - 3;
	if (!down && c->limit < 3)
		last = 0;
	if (down && c->limit >= 0xfffffffc)
		last = 0;	/* an empty segment: nothing to read */
	if (last || !down) {
		ex = ring == 3 ? ring3_call2(user_read, sel, last) : fs_read(sel, last);
		CHECK(!ex || (!down && c->limit < 3), "%s: reading offset %08x (linear %08x): "
		      "exinfo %08x", c->what, last, c->base + last, ex);
	}
	if (!limits)
		return;
	/* One past it: a #GP where the CPU enforces limits. */
	if (!down) {
		ex = ring == 3 ? ring3_call2(user_read, sel, c->limit + 1) :
				 fs_read(sel, c->limit + 1);
		CHECK(ex == EXINFO(13, 0), "%s: reading offset %08x (linear %08x): exinfo %08x",
		      c->what, c->limit + 1, c->base + c->limit + 1, ex);
	} else {
		ex = ring == 3 ? ring3_call2(user_read, sel, c->limit & ~3u) :
				 fs_read(sel, c->limit & ~3u);
		CHECK(ex == EXINFO(13, 0), "%s: reading offset %08x (inside the limit): "
		      "exinfo %08x", c->what, c->limit & ~3u, ex);
	}
}

static void attack(void)
{
	struct desc *gdt = dtab_page();
	bool limits = segment_limits_enforced();
	unsigned int n = ARRAY_SIZE(cuts);

	for (unsigned int i = 0; i < n; i++)
		gdt[i + 1] = input(i);
	CHECK(gdt_load(gdt, n + 1) == 0, "set_gdt refused the page");
	for (unsigned int i = 0; i < n; i++)
		check_cut(gdt, i, limits);
	/* update_descriptor cuts the same way. */
	for (unsigned int i = 0; i < n; i++) {
		CHECK(desc_set(gdt, i + 1, mkdesc(0x1000, 0, T_DATA_RW, 1, BYTES32)) == 0 &&
		      desc_set(gdt, i + 1, input(i)) == 0, "update_descriptor refused %s",
		      cuts[i].what);
		check_cut(gdt, i, limits);
	}
	if (!limits)
		printf("segment limits are not enforced here: accesses past them not tried\n");
	EXPECT_EQ(gdt_unload(gdt), 0);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
