/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Debug registers of a Xeno guest: writes go to the hypervisor (which
 * checks them); reads come from a shadow, and DR6 from the vCPU info, where
 * the hypervisor leaves it before bouncing a debug trap.
 */
#ifndef _ASM_X86_XENO_DEBUGREG_H
#define _ASM_X86_XENO_DEBUGREG_H

#include <linux/types.h>
#include <xeno/public/xeno.h>

extern struct xeno_shared_info xeno_shared_info;
extern unsigned long xeno_debugreg[8];
void xeno_write_debugreg(int reg, unsigned long value);

static __always_inline unsigned long xeno_get_debugreg(int reg)
{
	if (reg == 6)
		return xeno_shared_info.vcpu_info[0].dr6;
	return xeno_debugreg[reg & 7];
}

static __always_inline void xeno_set_debugreg(int reg, unsigned long value)
{
	if (reg == 6) {
		xeno_shared_info.vcpu_info[0].dr6 = value;
		return;
	}
	if (xeno_debugreg[reg & 7] != value)
		xeno_write_debugreg(reg, value);
}

#define get_debugreg(var, register)	((var) = xeno_get_debugreg(register))
#define set_debugreg(value, register)	xeno_set_debugreg(register, value)

#endif /* _ASM_X86_XENO_DEBUGREG_H */
