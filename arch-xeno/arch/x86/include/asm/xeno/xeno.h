/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux on Xeno: what the rest of the kernel needs to know.
 *
 * Pseudo-physical frames (pfn, what Linux calls physical memory) and machine
 * frames (mfn, what page tables hold) differ: the builder gives us scattered
 * machine memory.  The P2M array (ours, from start_info) maps pfn -> mfn; the
 * hypervisor's read-only M2P table maps mfn -> pfn.  Page-table entries hold
 * machine frames; pte_val()/__pte() translate.
 */
#ifndef _ASM_X86_XENO_XENO_H
#define _ASM_X86_XENO_XENO_H

#include <linux/interrupt.h>
#include <linux/types.h>
#include <asm/page.h>
#include <asm/pgtable_types.h>
#include <xeno/public/xeno.h>

#ifdef CONFIG_XENO

extern struct xeno_start_info *xeno_start_info;
extern unsigned long *xeno_p2m;
extern unsigned long xeno_nr_pages;

/*
 * shared_info is mapped over this page-aligned kernel page at boot, so its
 * address (and that of the vCPU's event mask) is a link-time constant.
 */
extern struct xeno_shared_info xeno_shared_info;
#define xeno_vcpu		(&xeno_shared_info.vcpu_info[0])

#define XENO_M2P		((const unsigned long *)XENO_MACH2PHYS_VIRT_START)
#define XENO_INVALID_MFN	(~0UL)

static inline unsigned long pfn_to_mfn(unsigned long pfn)
{
	return pfn < xeno_nr_pages ? xeno_p2m[pfn] : XENO_INVALID_MFN;
}

static inline unsigned long mfn_to_pfn(unsigned long mfn)
{
	return mfn < XENO_MACH2PHYS_NR_ENTRIES ? XENO_M2P[mfn] : XENO_INVALID_PFN;
}

static inline unsigned long virt_to_mfn(const void *va)
{
	return pfn_to_mfn(__pa(va) >> PAGE_SHIFT);
}

static inline unsigned long virt_to_machine(const void *va)
{
	return (virt_to_mfn(va) << PAGE_SHIFT) | ((unsigned long)va & ~PAGE_MASK);
}

static inline bool xeno_is_initial_domain(void)
{
	return xeno_start_info->flags & XENO_SIF_INITDOMAIN;
}

asmlinkage void xeno_start_kernel(void);
void xeno_early_console_init(void);
void xeno_time_early_init(void);
void xeno_failsafe_callback(void);
void xeno_upcall_entry(void);
int xeno_bind_virq_to_irq(unsigned int virq);
int xeno_bind_virq_to_irqhandler(unsigned int virq, irq_handler_t handler,
				 unsigned long flags, const char *name, void *dev);
int xeno_bind_port_to_irqhandler(unsigned int port, irq_handler_t handler,
				 unsigned long flags, const char *name, void *dev);
void xeno_unbind_irqhandler(int irq, void *dev);
void *xeno_map_machine_page(unsigned long mfn);
void xeno_unmap_machine_page(void *va);
void xeno_force_event_delivery(void);
void xeno_evtchn_do_upcall(void);
void xeno_init_irq(void);
void xeno_time_init(void);
void xeno_mm_init(void);
void xeno_setup_memory_map(void);
void xeno_make_page_readonly(void *va);
void xeno_make_page_writable(void *va);
pte_t *xeno_lookup_pte(unsigned long va);
void __init xeno_adopt_boot_page_tables(void);
int xeno_console_early_write(const char *s, unsigned int len);

#endif /* CONFIG_XENO */
#endif /* _ASM_X86_XENO_XENO_H */
