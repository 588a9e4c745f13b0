/* SPDX-License-Identifier: MIT */
/*
 * Struct offsets for the assembly files.  Compiled to assembly only; the
 * build turns each "->NAME value" marker into a #define in asm-offsets.h.
 */
#include <regs.h>

#define DEFINE(sym, val)	asm volatile("\n->" #sym " %0" : : "i"(val))
#define OFFSET(sym, str, mem)	DEFINE(sym, __builtin_offsetof(struct str, mem))

void asm_offsets(void);
void asm_offsets(void)
{
	OFFSET(REGS_ebx, cpu_regs, ebx);
	OFFSET(REGS_eax, cpu_regs, eax);
	OFFSET(REGS_ds, cpu_regs, ds);
	OFFSET(REGS_es, cpu_regs, es);
	OFFSET(REGS_fs, cpu_regs, fs);
	OFFSET(REGS_gs, cpu_regs, gs);
	OFFSET(REGS_vector, cpu_regs, vector);
	OFFSET(REGS_error_code, cpu_regs, error_code);
	OFFSET(REGS_eip, cpu_regs, eip);
	OFFSET(REGS_cs, cpu_regs, cs);
	OFFSET(REGS_eflags, cpu_regs, eflags);
	OFFSET(REGS_esp, cpu_regs, esp);
	DEFINE(REGS_SIZE, sizeof(struct cpu_regs));
	DEFINE(ASM_EFLAGS_VM, EFLAGS_VM);
}
