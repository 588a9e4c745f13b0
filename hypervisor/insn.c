/* SPDX-License-Identifier: MIT */
/*
 * x86-32 instruction decoding for the emulation assists.  It covers the
 * integer instructions that take a ModRM memory operand (mov, movzx/movsx,
 * the ALU group, test, xchg, cmpxchg, xadd, bit tests, inc/dec, shifts,
 * setcc, cmov) with prefixes; anything else, and 16-bit addressing, is
 * refused.  It never reads past 'avail' bytes.
 */
#include <errno.h>
#include <insn.h>
#include <lib.h>

#define PFX_LOCK	0xf0
#define PFX_REPNE	0xf2
#define PFX_REP		0xf3
#define PFX_OPSIZE	0x66
#define PFX_ADDRSIZE	0x67

struct cursor {
	const uint8_t *p;
	unsigned int avail, pos;
	bool bad;
};

static uint32_t take(struct cursor *c, unsigned int n)
{
	uint32_t v = 0;

	if (c->pos + n > c->avail || c->pos + n > INSN_MAX_LEN) {
		c->bad = true;
		return 0;
	}
	for (unsigned int i = 0; i < n; i++)
		v |= (uint32_t)c->p[c->pos + i] << (8 * i);
	c->pos += n;
	return v;
}

static uint32_t reg_value(const struct cpu_regs *r, unsigned int n)
{
	const uint32_t v[8] = { r->eax, r->ecx, r->edx, r->ebx, regs_sp(r), r->ebp, r->esi, r->edi };

	return v[n & 7];
}

/* One-byte opcodes with a ModRM byte, and their immediate size. */
static int one_byte_shape(uint8_t op, unsigned int *imm)
{
	*imm = 0;
	if (op < 0x40 && (op & 7) < 4)
		return 1;			/* ALU r/m forms */
	switch (op) {
	case 0x84: case 0x85: case 0x86: case 0x87:
	case 0x88: case 0x89: case 0x8a: case 0x8b: case 0x8f:
	case 0xd0: case 0xd1: case 0xd2: case 0xd3:
	case 0xfe: case 0xff:
		return 1;
	case 0x80: case 0x83: case 0xc0: case 0xc1: case 0xc6: case 0x6b:
		*imm = 1;
		return 1;
	case 0x81: case 0xc7: case 0x69:
		*imm = 4;
		return 1;
	case 0xf6: case 0xf7:
		return 1;			/* immediate depends on reg (below) */
	}
	return 0;
}

static int two_byte_shape(uint8_t op, unsigned int *imm)
{
	*imm = 0;
	if ((op >= 0x40 && op <= 0x4f) || (op >= 0x90 && op <= 0x9f))
		return 1;			/* cmovcc, setcc */
	switch (op) {
	case 0xa3: case 0xab: case 0xaf: case 0xb0: case 0xb1: case 0xb3:
	case 0xb6: case 0xb7: case 0xbb: case 0xbe: case 0xbf: case 0xc0: case 0xc1:
		return 1;
	case 0xba:
		*imm = 1;
		return 1;
	}
	return 0;
}

/* Bytes touched through the r/m operand. */
static uint8_t operand_size(const struct insn *in)
{
	uint8_t op = in->opcode, full = in->opsize16 ? 2 : 4;

	if (in->two_byte) {
		if (op == 0xb6 || op == 0xbe || op == 0xb0 || op == 0xc0 || (op >= 0x90 && op <= 0x9f))
			return 1;
		if (op == 0xb7 || op == 0xbf)
			return 2;
		return full;
	}
	if ((op < 0x40 && !(op & 1)) || op == 0x84 || op == 0x86 || op == 0x88 || op == 0x8a ||
	    op == 0x80 || op == 0xc0 || op == 0xc6 || op == 0xd0 || op == 0xd2 || op == 0xf6 ||
	    op == 0xfe)
		return 1;
	return full;
}

/* ModRM/SIB/displacement -> effective offset and default segment. */
static void decode_modrm(struct cursor *c, const struct cpu_regs *r, struct insn *in,
			 enum seg_reg *def)
{
	uint8_t modrm = (uint8_t)take(c, 1);
	uint32_t off = 0;

	in->mod = modrm >> 6, in->reg = (modrm >> 3) & 7, in->rm = modrm & 7;
	in->mem = in->mod != 3;
	*def = SEG_DS;
	if (!in->mem)
		return;
	if (in->rm == 4) {			/* SIB */
		uint8_t sib = (uint8_t)take(c, 1);
		unsigned int scale = sib >> 6, index = (sib >> 3) & 7, base = sib & 7;

		if (index != 4)
			off += reg_value(r, index) << scale;
		if (base == 5 && in->mod == 0) {
			off += take(c, 4);
		} else {
			off += reg_value(r, base);
			if (base == 4 || base == 5)
				*def = SEG_SS;
		}
	} else if (in->rm == 5 && in->mod == 0) {
		off = take(c, 4);		/* disp32 */
	} else {
		off = reg_value(r, in->rm);
		if (in->rm == 5)
			*def = SEG_SS;
	}
	if (in->mod == 1)
		off += (uint32_t)(int32_t)(int8_t)take(c, 1);
	else if (in->mod == 2)
		off += take(c, 4);
	in->offset = off;
}

int insn_decode(const uint8_t *bytes, unsigned int avail, const struct cpu_regs *regs,
		struct insn *in)
{
	static const enum seg_reg seg_of[] = { SEG_ES, SEG_CS, SEG_SS, SEG_DS };
	struct cursor c = { bytes, avail, 0, false };
	enum seg_reg override = SEG_NONE, def;
	unsigned int imm;
	uint8_t b;

	memset(in, 0, sizeof(*in));
	for (;;) {
		b = (uint8_t)take(&c, 1);
		if (c.bad)
			return -EINVAL;
		if (b == PFX_LOCK)
			in->lock = true;
		else if (b == PFX_REP || b == PFX_REPNE)
			in->rep = true;
		else if (b == PFX_OPSIZE)
			in->opsize16 = true;
		else if (b == PFX_ADDRSIZE)
			return -EINVAL;		/* 16-bit addressing: not supported */
		else if (b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e)
			override = seg_of[(b >> 3) & 3];
		else if (b == 0x64 || b == 0x65)
			override = b == 0x64 ? SEG_FS : SEG_GS;
		else
			break;
	}
	if (b >= 0xa0 && b <= 0xa3) {		/* mov between EAX and [moffs32] */
		in->opcode = b;
		in->mem = true;
		in->offset = take(&c, 4);
		in->seg = override != SEG_NONE ? override : SEG_DS;
		in->size = (b & 1) ? (in->opsize16 ? 2 : 4) : 1;
		in->len = (uint8_t)c.pos;
		return c.bad ? -EINVAL : 0;
	}
	if (b == 0x0f) {
		in->two_byte = true;
		b = (uint8_t)take(&c, 1);
		if (!two_byte_shape(b, &imm))
			return -EINVAL;
	} else if (!one_byte_shape(b, &imm)) {
		return -EINVAL;
	}
	in->opcode = b;
	in->has_modrm = true;
	decode_modrm(&c, regs, in, &def);
	if (!in->two_byte && (b == 0xf6 || b == 0xf7) && in->reg < 2)
		imm = b == 0xf6 ? 1 : 4;	/* test r/m, imm */
	if (imm == 4 && in->opsize16)
		imm = 2;
	if (imm == 1)
		in->imm = (uint32_t)(int32_t)(int8_t)take(&c, 1);
	else if (imm)
		in->imm = take(&c, imm);
	if (c.bad)
		return -EINVAL;
	in->seg = override != SEG_NONE ? override : def;
	in->size = operand_size(in);
	in->len = (uint8_t)c.pos;
	return 0;
}
