// SPDX-License-Identifier: GPL-2.0
/*
 * Page tables on Xeno.  The hypervisor validates every page table, so:
 *  - a page-table page is mapped read-only and pinned (validated once, kept
 *    typed) from when it becomes a table (alloc_pte, pgd_alloc) until it is
 *    released; every store into it is an mmu_update hypercall;
 *  - a table is pinned once: alloc_pte also runs when mremap moves a whole
 *    table to a new directory entry (move_normal_pmd), so once struct pages
 *    exist, PG_pinned records which L1 pages we pinned;
 *  - entries hold machine frames (pgtable.h translates);
 *  - CR3 switches are mmuext NEW_BASEPTR; TLB flushes are mmuext ops.
 * A refused pin or unpin of a process's table is a kernel bug, but not one
 * worth the machine: it is reported (WARN) and the table keeps working,
 * typed by the directory entries that reference it.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <asm/pgalloc.h>
#include <asm/pgtable.h>
#include <asm/setup.h>
#include <asm/tlbflush.h>
#include <asm/x86_init.h>
#include <asm/xeno/hypercall.h>
#include <asm/xeno/xeno.h>
#include <xeno/public/errno.h>

unsigned long xeno_cr3_shadow;
static bool boot_tables_settled;	/* swapper_pg_dir pinned and in use */
static pgd_t *current_pgd;		/* the L2 in CR3, as a kernel address */
static bool pinned_flags_ready;		/* struct pages exist: PG_pinned is kept */

static void mmu_batch_flush(void);

/* One mmuext command, after the queued stores; 0 or the hypervisor's -errno. */
static int mmuext_op(unsigned int cmd, unsigned long arg1)
{
	struct xeno_mmuext_op op = { .cmd = cmd, .arg1 = arg1 };

	mmu_batch_flush();	/* queued stores come first */
	return HYPERVISOR_mmuext_op(&op, 1, NULL, XENO_DOMID_SELF);
}

/* An mmuext command the kernel cannot go on without (CR3, TLB, boot tables). */
static void xeno_mmuext(unsigned int cmd, unsigned long arg1)
{
	int rc = mmuext_op(cmd, arg1);

	if (rc)
		panic("Xeno: mmuext command %u (%#lx) failed: %d", cmd, arg1, rc);
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

/* Make a page read-only and pin it as a table: 0 or the refusal's -errno. */
static int pin_table(unsigned int cmd, void *va)
{
	xeno_make_page_readonly(va);
	return mmuext_op(cmd, virt_to_mfn(va));
}

/* Unpin a table and make its page writable again; 0 or the unpin's -errno. */
static int unpin_table(void *va)
{
	int rc = mmuext_op(XENO_MMUEXT_UNPIN_TABLE, virt_to_mfn(va));

	xeno_make_page_writable(va);
	return rc;
}

/* The boot page tables: without them there is no kernel. */
static void pin_boot_table(unsigned int cmd, void *va)
{
	int rc = pin_table(cmd, va);

	if (rc)
		panic("Xeno: cannot pin boot page table %p: %d", va, rc);
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

/*
 * A page becomes an L1 table: pin it, unless it is one already.  mremap
 * moves whole tables between 4 MiB-aligned addresses (move_normal_pmd):
 * it clears the old directory entry and populates the new one with the
 * same, still pinned, table, and the hypervisor refuses a second pin.
 */
void xeno_alloc_pte(struct mm_struct *mm, unsigned long pfn)
{
	bool track = pinned_flags_ready;
	int rc;

	if (track && TestSetPagePinned(pfn_to_page(pfn)))
		return;
	rc = pin_table(XENO_MMUEXT_PIN_L1_TABLE, __va(PFN_PHYS(pfn)));
	if (WARN(rc, "Xeno: cannot pin L1 table pfn %#lx: %d\n", pfn, rc) && track)
		ClearPagePinned(pfn_to_page(pfn));
}

/*
 * An L1 table is freed.  Tables pinned at boot, before struct pages
 * existed, carry no PG_pinned, so unpin all; only a table we know we
 * pinned may not refuse.
 */
void xeno_release_pte(unsigned long pfn)
{
	bool pinned = pinned_flags_ready && TestClearPagePinned(pfn_to_page(pfn));
	int rc = unpin_table(__va(PFN_PHYS(pfn)));

	WARN(rc && (pinned || rc != -XENO_EINVAL), "Xeno: cannot unpin L1 table pfn %#lx: %d\n",
	     pfn, rc);
}

void xeno_pgd_populated(struct mm_struct *mm, pgd_t *pgd)
{
	int rc = pin_table(XENO_MMUEXT_PIN_L2_TABLE, pgd);

	WARN(rc, "Xeno: cannot pin page directory %p: %d\n", pgd, rc);
}

void xeno_pgd_free(struct mm_struct *mm, pgd_t *pgd)
{
	int rc = unpin_table(pgd);

	WARN(rc, "Xeno: cannot unpin page directory %p: %d\n", pgd, rc);
}

/* mem_init(): struct pages are initialised, so PG_pinned can be kept. */
static void __init xeno_after_bootmem(void)
{
	pinned_flags_ready = true;
}

/*
 * The first switch to swapper_pg_dir (setup_arch) pins it and retires the
 * boot table it was cloned from, which becomes an ordinary page again.
 */
void xeno_write_cr3(unsigned long cr3)
{
	unsigned long pa = cr3 & PAGE_MASK;

	if (!boot_tables_settled && pa == __pa_symbol(swapper_pg_dir)) {
		pin_boot_table(XENO_MMUEXT_PIN_L2_TABLE, swapper_pg_dir);
		xeno_mmuext(XENO_MMUEXT_NEW_BASEPTR, virt_to_mfn(swapper_pg_dir));
		current_pgd = swapper_pg_dir;
		if (unpin_table(initial_page_table))
			panic("Xeno: cannot retire the boot page directory");
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
	pin_boot_table(XENO_MMUEXT_PIN_L2_TABLE, initial_page_table);
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
	x86_init.hyper.init_after_bootmem = xeno_after_bootmem;
}
