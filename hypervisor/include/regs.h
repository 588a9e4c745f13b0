/* SPDX-License-Identifier: MIT */
/*
 * The register frame every trap, interrupt and hypercall builds on the
 * hypervisor stack (x86/entry.S pushes it; keep the two in step through
 * asm-offsets.h).  esp and ss are only there when the CPU came from ring 1
 * or 3; for a ring-0 trap the interrupted stack pointer is &regs->esp.
 */
#ifndef XENO_REGS_H
#define XENO_REGS_H

#include <types.h>

struct cpu_regs {
	uint32_t ebx, ecx, edx, esi, edi, ebp, eax;
	uint32_t ds, es, fs, gs;	/* low 16 bits valid */
	uint32_t vector;
	uint32_t error_code;		/* 0 when the vector has none */
	uint32_t eip, cs, eflags;	/* pushed by the CPU */
	uint32_t esp, ss;		/* pushed by the CPU on a ring change */
};

#define EFLAGS_CF	0x00000001u
#define EFLAGS_FIXED	0x00000002u	/* always 1 */
#define EFLAGS_TF	0x00000100u
#define EFLAGS_IF	0x00000200u
#define EFLAGS_DF	0x00000400u
#define EFLAGS_IOPL	0x00003000u
#define EFLAGS_NT	0x00004000u
#define EFLAGS_RF	0x00010000u
#define EFLAGS_VM	0x00020000u
#define EFLAGS_AC	0x00040000u
#define EFLAGS_VIF	0x00080000u
#define EFLAGS_VIP	0x00100000u
#define EFLAGS_ID	0x00200000u

/*
 * The ring a frame came from.  Virtual-8086 mode is ring 3 whatever its CS
 * (a real-mode segment) says; entry.S turns such frames into ring-3 ones
 * before anything else reads them, this is the belt to those braces.
 */
static inline unsigned int regs_ring(const struct cpu_regs *r)
{
	return (r->eflags & EFLAGS_VM) ? 3 : r->cs & 3;
}

/* The stack pointer at the moment of the trap. */
static inline uint32_t regs_sp(const struct cpu_regs *r)
{
	return regs_ring(r) ? r->esp : (uint32_t)(uintptr_t)&r->esp;
}

#endif
