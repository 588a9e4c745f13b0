// SPDX-License-Identifier: GPL-2.0
/*
 * Page tables on Xeno.  The hypervisor validates every page table, so:
 *  - a page-table page is mapped read-only and pinned (validated once, kept
 *    typed) from when it becomes a table (alloc_pte, pgd_alloc) until it is
 *    released; every store into it is an mmu_update hypercall;
 *  - entries hold machine frames (pgtable.h translates);
 *  - CR3 switches are mmuext NEW_BASEPTR; TLB flushes are mmuext ops.
 * Stores the kernel makes directly into tables (the read-modify-write
 * helpers) fault and are completed by the hypervisor's writable-page-table
 * assist.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <asm/pgalloc.h>
#include <asm/pgtable.h>
#include <asm/setup.h>
#include <asm/tlbflush.h>
#include <asm/xeno/hypercall.h>
#include <asm/xeno/xeno.h>
#include <xeno/public/errno.h>

unsigned long xeno_cr3_shadow;
static bool boot_tables_settled;	/* swapper_pg_dir pinned and in use */
static pgd_t *current_pgd;		/* the L2 in CR3, as a kernel address */

static void mmu_batch_flush(void);

static void xeno_mmuext(unsigned int cmd, unsigned long arg1)
{
	struct xeno_mmuext_op op = { .cmd = cmd, .arg1 = arg1 };

	mmu_batch_flush();	/* queued stores come first */

	if (HYPERVISOR_mmuext_op(&op, 1, NULL, XENO_DOMID_SELF))
		panic("Xeno: mmuext command %u (%#lx) failed", cmd, arg1);
}

/*
 * The L1 entry that maps a kernel address in the page tables in use now
 * (lookup_address() walks swapper_pg_dir, which is empty early at boot).
 */
pte_t *xeno_lookup_pte(unsigned long va)
{
	pgd_t *pgd = current_pgd + pgd_index(va);

	if (!(pgd->pgd & _PAGE_PRESENT))
		return NULL;
	return (pte_t *)__va(PFN_PHYS(mfn_to_pfn(pgd->pgd >> PAGE_SHIFT))) + pte_index(va);
}

static pte_t *lowmem_pte(unsigned long va)
{
	pte_t *pte = xeno_lookup_pte(va);

	if (!pte)
		panic("Xeno: no page table maps %#lx", va);
	return pte;
}

static void set_page_rw(void *va, bool writable)
{
	pte_t *ptep = lowmem_pte((unsigned long)va);
	unsigned long e = ptep->pte;

	e = writable ? e | _PAGE_RW : e & ~_PAGE_RW;
	mmu_batch_flush();
	if (e != ptep->pte &&
	    HYPERVISOR_update_va_mapping((unsigned long)va, e, XENO_UVMF_INVLPG))
		panic("Xeno: cannot make %p %s", va, writable ? "writable" : "read-only");
}

void xeno_make_page_readonly(void *va)
{
	set_page_rw(va, false);
}

void xeno_make_page_writable(void *va)
{
	set_page_rw(va, true);
}

void xeno_pin_table(unsigned int cmd, void *va)
{
	xeno_make_page_readonly(va);
	xeno_mmuext(cmd, virt_to_mfn(va));
}

void xeno_unpin_table(void *va)
{
	xeno_mmuext(XENO_MMUEXT_UNPIN_TABLE, virt_to_mfn(va));
	xeno_make_page_writable(va);
}

/*
 * One page-table store, already refused by the hypervisor with rc; finish
 * it if the refusal is one we expect.  While the kernel builds its direct
 * map at boot it asks for writable mappings of everything, page tables
 * included (they are in the memory it maps): those stay read-only, as the
 * hypervisor insists (-EBUSY).  After boot that would be a real error.  A
 * table that is not live yet (not pinned) is ordinary memory (-EINVAL).
 */
static void table_store_refused(struct xeno_mmu_update *u, int rc)
{
	unsigned long *ptr = __va(PFN_PHYS(mfn_to_pfn(u->ptr >> PAGE_SHIFT)) +
				  (u->ptr & ~PAGE_MASK & ~3UL));

	if (rc == -XENO_EBUSY && (u->val & _PAGE_RW) && system_state < SYSTEM_RUNNING) {
		u->val &= ~_PAGE_RW;
		rc = HYPERVISOR_mmu_update(u, 1, NULL, XENO_DOMID_SELF);
	}
	if (rc == -XENO_EINVAL) {
		*ptr = u->val;
		return;
	}
	if (rc)
		panic("Xeno: page-table store %08x at %p refused: %d", u->val, ptr, rc);
}

/*
 * Lazy MMU mode (fork's copy, munmap's and exit's zap, mprotect, mremap):
 * stores are queued and sent as one mmu_update per batch when the mode
 * ends, when the batch is full, or before any other page-table operation.
 * The kernel runs on one CPU (Kconfig) and never sleeps in lazy mode, so
 * one batch serves; stores from interrupts go out at once, after the queue.
 */
#define MMU_BATCH	64
static struct xeno_mmu_update mmu_batch[MMU_BATCH];
static unsigned int mmu_batched;
static bool mmu_lazy;

static void mmu_batch_flush(void)
{
	unsigned int start = 0;

	while (start < mmu_batched) {
		unsigned int done = 0;
		int rc = HYPERVISOR_mmu_update(mmu_batch + start, mmu_batched - start, &done,
					       XENO_DOMID_SELF);

		if (!rc)
			break;
		table_store_refused(&mmu_batch[start + done], rc);
		start += done + 1;
	}
	mmu_batched = 0;
}

void xeno_enter_lazy_mmu(void)
{
	mmu_lazy = true;
}

void xeno_leave_lazy_mmu(void)
{
	mmu_batch_flush();
	mmu_lazy = false;
}

void xeno_flush_lazy_mmu(void)
{
	mmu_batch_flush();
}

static void table_store(void *ptr, unsigned long val)
{
	struct xeno_mmu_update u = {
		.ptr = virt_to_machine(ptr) | XENO_MMU_NORMAL_PT_UPDATE,
		.val = val,
	};
	int rc;

	if (mmu_lazy && !in_interrupt()) {
		mmu_batch[mmu_batched++] = u;
		if (mmu_batched == MMU_BATCH)
			mmu_batch_flush();
		return;
	}
	mmu_batch_flush();
	rc = HYPERVISOR_mmu_update(&u, 1, NULL, XENO_DOMID_SELF);
	if (rc)
		table_store_refused(&u, rc);
}

void xeno_set_pte(pte_t *ptep, pte_t pte)
{
	table_store(ptep, pte.pte);
}

/*
 * The read-modify-write helpers, as stores: native code uses xchg and
 * locked bit operations on the entry, which on a read-only table would
 * each trap to the hypervisor's writable-page-table assist.  One CPU and
 * no concurrent walker that sets Accessed or Dirty in these user entries
 * while the kernel runs, so read-then-store is exact.
 */
pte_t xeno_ptep_get_and_clear(pte_t *ptep)
{
	pte_t old = *ptep;

	table_store(ptep, 0);
	return old;
}

void xeno_ptep_set_wrprotect(pte_t *ptep)
{
	if (ptep->pte & _PAGE_RW)
		table_store(ptep, ptep->pte & ~_PAGE_RW);
}

void xeno_set_pmd(pmd_t *pmdp, pmd_t pmd)
{
	table_store(pmdp, native_pmd_val(pmd));
}

void xeno_alloc_pte(struct mm_struct *mm, unsigned long pfn)
{
	xeno_pin_table(XENO_MMUEXT_PIN_L1_TABLE, __va(PFN_PHYS(pfn)));
}

void xeno_release_pte(unsigned long pfn)
{
	xeno_unpin_table(__va(PFN_PHYS(pfn)));
}

void xeno_pgd_populated(struct mm_struct *mm, pgd_t *pgd)
{
	xeno_pin_table(XENO_MMUEXT_PIN_L2_TABLE, pgd);
}

void xeno_pgd_free(struct mm_struct *mm, pgd_t *pgd)
{
	xeno_unpin_table(pgd);
}

/*
 * The first switch to swapper_pg_dir (setup_arch) pins it and retires the
 * boot table it was cloned from, which becomes an ordinary page again.
 */
void xeno_write_cr3(unsigned long cr3)
{
	unsigned long pa = cr3 & PAGE_MASK;

	if (!boot_tables_settled && pa == __pa_symbol(swapper_pg_dir)) {
		xeno_pin_table(XENO_MMUEXT_PIN_L2_TABLE, swapper_pg_dir);
		xeno_mmuext(XENO_MMUEXT_NEW_BASEPTR, virt_to_mfn(swapper_pg_dir));
		current_pgd = swapper_pg_dir;
		xeno_unpin_table(initial_page_table);
		boot_tables_settled = true;
	} else {
		xeno_mmuext(XENO_MMUEXT_NEW_BASEPTR, pfn_to_mfn(pa >> PAGE_SHIFT));
		current_pgd = __va(pa);
	}
	xeno_cr3_shadow = cr3;
}

/*
 * Adopt the builder's page tables: copy its L2 (machine entries, all our
 * memory mapped at PAGE_OFFSET through its L1s) into initial_page_table,
 * pin that and switch to it.  The builder's L2 is then unpinned; its L1s
 * stay in use, kept typed by initial_page_table's references.
 */
void __init xeno_adopt_boot_page_tables(void)
{
	pgd_t *boot = (pgd_t *)xeno_start_info->pt_base;

	current_pgd = boot;
	memcpy(initial_page_table, boot, PAGE_SIZE);
	xeno_pin_table(XENO_MMUEXT_PIN_L2_TABLE, initial_page_table);
	xeno_mmuext(XENO_MMUEXT_NEW_BASEPTR, virt_to_mfn(initial_page_table));
	current_pgd = initial_page_table;
	xeno_mmuext(XENO_MMUEXT_UNPIN_TABLE, virt_to_mfn(boot));
	xeno_cr3_shadow = __pa_symbol(initial_page_table);
}

static void xeno_flush_tlb_user(void)
{
	xeno_mmuext(XENO_MMUEXT_TLB_FLUSH_LOCAL, 0);
}

static void xeno_flush_tlb_one_user(unsigned long addr)
{
	xeno_mmuext(XENO_MMUEXT_INVLPG_LOCAL, addr & PAGE_MASK);
}

void __init xeno_mm_init(void)
{
	pv_ops.mmu.flush_tlb_user = xeno_flush_tlb_user;
	pv_ops.mmu.flush_tlb_kernel = xeno_flush_tlb_user;	/* no global pages */
	pv_ops.mmu.flush_tlb_one_user = xeno_flush_tlb_one_user;
}
