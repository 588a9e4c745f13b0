/* SPDX-License-Identifier: MIT */
/* Page-table helpers for test guests (through the real hypercalls). */
#include "guest.h"

static uint32_t next_free_pfn;

uint32_t *l2_table(void)
{
	return (uint32_t *)start_info->pt_base;
}

/* Our own frames are all mapped at virt_base, tables read-only. */
static void *mfn_to_virt(uint32_t mfn)
{
	return pfn_to_virt(m2p[mfn]);
}

uint32_t *pte_of(uint32_t va)
{
	uint32_t e = l2_table()[va >> 22];

	if (!(e & PTE_P))
		return NULL;
	return (uint32_t *)mfn_to_virt(e >> PAGE_SHIFT) + ((va >> PAGE_SHIFT) & 1023);
}

/* A fresh page after the bootstrap region (never the shared_info page). */
void *alloc_page(void)
{
	void *p;

	if (!next_free_pfn)
		next_free_pfn = start_info->first_free_pfn;
	if (next_free_pfn >= start_info->nr_pages - 1) {
		xtf_error("out of test memory");
		xtf_exit();
	}
	p = pfn_to_virt(next_free_pfn++);
	memset(p, 0, PAGE_SIZE);
	return p;
}

long update_va(const void *va, uint32_t pte, uint32_t flags)
{
	return HYPERCALL3(update_va_mapping, va, pte, flags);
}

long page_set_ro(const void *p, bool ro)
{
	uint32_t *pte = pte_of((uint32_t)p);

	if (!pte)
		return -XENO_EINVAL;
	return update_va(p, ro ? *pte & ~PTE_RW : *pte | PTE_RW, XENO_UVMF_INVLPG);
}

long mmu_update1(uint32_t ptr, uint32_t val)
{
	struct xeno_mmu_update u = { ptr, val };

	return HYPERCALL4(mmu_update, &u, 1, NULL, XENO_DOMID_SELF);
}

long mmuext1(uint32_t cmd, uint32_t arg1, uint32_t arg2)
{
	struct xeno_mmuext_op op = { cmd, arg1, arg2 };

	return HYPERCALL4(mmuext_op, &op, 1, NULL, XENO_DOMID_SELF);
}
