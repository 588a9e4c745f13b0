// SPDX-License-Identifier: GPL-2.0
/*
 * What the front-end modules (drivers/xeno/) need from the architecture
 * code: a virtual address for a ring page the hypervisor shares with us
 * (a machine frame outside our pseudo-physical memory, so the kernel's own
 * page-table helpers, which translate pfn to mfn, cannot map it).  The
 * symbols behind the inline hypercall wrappers, pfn_to_mfn() and the
 * virtual interrupt flag are exported where they are defined.
 */
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <asm/xeno/hypercall.h>
#include <asm/xeno/xeno.h>

/* apply_to_page_range() only makes sure the page table exists. */
static int no_pte(pte_t *pte, unsigned long addr, void *data)
{
	return 0;
}

/* Map machine frame mfn (a page the hypervisor shares with us) writable. */
void *xeno_map_machine_page(unsigned long mfn)
{
	struct vm_struct *area = get_vm_area(PAGE_SIZE, VM_IOREMAP);
	unsigned long va;

	if (!area)
		return NULL;
	va = (unsigned long)area->addr;
	if (apply_to_page_range(&init_mm, va, PAGE_SIZE, no_pte, NULL) ||
	    HYPERVISOR_update_va_mapping(va, (mfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW |
					 _PAGE_ACCESSED | _PAGE_DIRTY, XENO_UVMF_INVLPG)) {
		free_vm_area(area);
		return NULL;
	}
	return area->addr;
}
EXPORT_SYMBOL_GPL(xeno_map_machine_page);

void xeno_unmap_machine_page(void *va)
{
	struct vm_struct *area = find_vm_area(va);

	HYPERVISOR_update_va_mapping((unsigned long)va, 0, XENO_UVMF_INVLPG);
	if (area)
		free_vm_area(area);
}
EXPORT_SYMBOL_GPL(xeno_unmap_machine_page);
