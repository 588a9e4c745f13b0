/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page tables of a Xeno guest.  Entries in memory hold machine frames;
 * pte_val()/__pte() (and pgd_val()/__pgd(), which pmd folds into) translate
 * present entries to and from pseudo-physical frames.  Not-present entries
 * (swap, PROT_NONE) stay untranslated, so the round trip is exact.  Tables
 * are read-only: every store goes through the hypervisor (mm.c).
 */
#ifndef _ASM_X86_XENO_PGTABLE_H
#define _ASM_X86_XENO_PGTABLE_H

#include <xeno/public/xeno.h>

extern unsigned long *xeno_p2m;
extern unsigned long xeno_nr_pages;

void xeno_set_pte(pte_t *ptep, pte_t pte);
void xeno_set_pmd(pmd_t *pmdp, pmd_t pmd);
pte_t xeno_ptep_get_and_clear(pte_t *ptep);
void xeno_ptep_set_wrprotect(pte_t *ptep);

/* Lazy MMU mode batches page-table stores into one hypercall (mmu.c). */
void xeno_enter_lazy_mmu(void);
void xeno_leave_lazy_mmu(void);
void xeno_flush_lazy_mmu(void);
#define __HAVE_ARCH_ENTER_LAZY_MMU_MODE
#define arch_enter_lazy_mmu_mode()	xeno_enter_lazy_mmu()
#define arch_leave_lazy_mmu_mode()	xeno_leave_lazy_mmu()
#define arch_flush_lazy_mmu_mode()	xeno_flush_lazy_mmu()

static __always_inline unsigned long xeno_pfn_to_mfn(unsigned long pfn)
{
	return pfn < xeno_nr_pages ? xeno_p2m[pfn] : ~0UL;
}

static __always_inline unsigned long xeno_mfn_to_pfn(unsigned long mfn)
{
	return mfn < XENO_MACH2PHYS_NR_ENTRIES ?
		((const unsigned long *)XENO_MACH2PHYS_VIRT_START)[mfn] : ~0UL;
}

/* machine -> pseudo-physical, for present entries */
static __always_inline unsigned long xeno_to_pseudo(unsigned long v)
{
	if (!(v & _PAGE_PRESENT))
		return v;
	return (xeno_mfn_to_pfn(v >> PAGE_SHIFT) << PAGE_SHIFT) | (v & ~PTE_PFN_MASK);
}

/* pseudo-physical -> machine, for present entries */
static __always_inline unsigned long xeno_to_machine(unsigned long v)
{
	if (!(v & _PAGE_PRESENT))
		return v;
	return (xeno_pfn_to_mfn(v >> PAGE_SHIFT) << PAGE_SHIFT) | (v & ~PTE_PFN_MASK);
}

static __always_inline pteval_t xeno_pte_val(pte_t pte)
{
	return xeno_to_pseudo(pte.pte);
}

static __always_inline pte_t xeno_make_pte(pteval_t v)
{
	return (pte_t) { .pte = xeno_to_machine(v) };
}

static __always_inline pgdval_t xeno_pgd_val(pgd_t pgd)
{
	return xeno_to_pseudo(pgd.pgd);
}

static __always_inline pgd_t xeno_make_pgd(pgdval_t v)
{
	return (pgd_t) { xeno_to_machine(v) };
}

#define set_pte(ptep, pte)		xeno_set_pte(ptep, pte)
#define set_pte_atomic(ptep, pte)	xeno_set_pte(ptep, pte)
#define set_pmd(pmdp, pmd)		xeno_set_pmd(pmdp, pmd)
#define pte_clear(mm, addr, ptep)	xeno_set_pte(ptep, native_make_pte(0))
#define pmd_clear(pmdp)			xeno_set_pmd(pmdp, native_make_pmd(0))

#define pgd_val(x)	xeno_pgd_val(x)
#define __pgd(x)	xeno_make_pgd(x)
#define pte_val(x)	xeno_pte_val(x)
#define __pte(x)	xeno_make_pte(x)

#define arch_end_context_switch(prev)	do {} while (0)

#endif /* _ASM_X86_XENO_PGTABLE_H */
