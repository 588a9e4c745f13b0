/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Control registers of a Xeno guest.  Ring 1 cannot touch them: CR0 and CR4
 * are shadows (the hypervisor keeps the real ones), CR2 comes from the vCPU
 * info written before each page-fault bounce, CR3 switches go through
 * mmuext NEW_BASEPTR (mm.c).
 */
#ifndef _ASM_X86_XENO_SPECIAL_INSNS_H
#define _ASM_X86_XENO_SPECIAL_INSNS_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <xeno/public/xeno.h>

extern struct xeno_shared_info xeno_shared_info;
extern unsigned long xeno_cr0_shadow, xeno_cr4_shadow, xeno_cr3_shadow;
void xeno_write_cr3(unsigned long cr3);

static inline unsigned long read_cr0(void)
{
	return xeno_cr0_shadow;
}

static inline void write_cr0(unsigned long x)
{
	xeno_cr0_shadow = x;	/* TS stays clear: the hypervisor switches the FPU */
}

static __always_inline unsigned long read_cr2(void)
{
	return READ_ONCE(xeno_shared_info.vcpu_info[0].cr2);
}

static __always_inline void write_cr2(unsigned long x)
{
	xeno_shared_info.vcpu_info[0].cr2 = x;
}

static inline unsigned long __read_cr3(void)
{
	return xeno_cr3_shadow;
}

static inline void write_cr3(unsigned long x)
{
	xeno_write_cr3(x);
}

static inline void __write_cr4(unsigned long x)
{
	xeno_cr4_shadow = x;
}

static inline void wbinvd(void)
{
	/* Caches are coherent for us; the hypervisor owns the hardware. */
}

static inline void load_gs_index(unsigned int selector)
{
	loadsegment(gs, selector);
}

#endif /* _ASM_X86_XENO_SPECIAL_INSNS_H */
