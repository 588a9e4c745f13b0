/* SPDX-License-Identifier: MIT */
/*
 * A small x86-32 instruction decoder: enough to find the memory operand of a
 * faulting instruction (segment, offset, size) and its length.  Used by the
 * 4gb_segments and writable_pagetables assists (emulate.c).
 */
#ifndef XENO_INSN_H
#define XENO_INSN_H

#include <regs.h>
#include <types.h>

#define INSN_MAX_LEN	15

enum seg_reg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_NONE };

struct insn {
	uint8_t len;		/* total bytes */
	bool lock, rep, opsize16;
	enum seg_reg seg;	/* segment of the memory operand */
	bool two_byte;		/* 0F xx */
	uint8_t opcode;
	bool has_modrm;
	uint8_t mod, reg, rm;
	bool mem;		/* the ModRM operand is memory */
	uint32_t offset;	/* its effective offset (before the segment base) */
	uint8_t size;		/* bytes accessed through it */
	uint32_t imm;		/* immediate, if any (sign-extended for imm8 forms) */
};

/*
 * Decode the instruction in bytes[0..avail).  Registers come from regs.
 * Returns 0, or -EINVAL for anything outside the subset (then nothing is
 * emulated and the fault goes to the guest).  Pure.
 */
int insn_decode(const uint8_t *bytes, unsigned int avail, const struct cpu_regs *regs,
		struct insn *in);

#endif
