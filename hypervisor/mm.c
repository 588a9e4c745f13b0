/* SPDX-License-Identifier: MIT */
/*
 * Direct paging: guests own their page tables, which hold machine frames,
 * and change them only through the hypercalls here, which validate first and
 * commit second.
 *
 * The rules (struct page_info in mm.h, type bits in mm_types.h):
 *  - A frame's count is its number of general references: one for every
 *    present page-table entry that maps it, one per pin, one for the vCPU's
 *    CR3, one per GDT/LDT use.  A domain may reference only frames it owns.
 *  - A frame has at most one type at a time, with a type count:
 *      PGT_writable  one per writable L1 entry mapping it;
 *      PGT_l1/PGT_l2 one per L2 entry (for an L1), per pin, per CR3 use;
 *      PGT_seg_desc  one per GDT/LDT use.
 *    The type can change only while the type count is zero.  So a page table
 *    or descriptor frame is never writable through any mapping, and a frame
 *    mapped writable can never become a page table until that mapping is gone.
 *  - A table is validated when its type count goes 0 -> 1: every present
 *    entry takes its references (L1: the frame, and PGT_writable if RW; L2:
 *    the L1 with PGT_l1) and illegal entries fail the whole validation.  When
 *    the count drops to 0 the references are dropped again.
 *  - Guest L2 slots 1008-1023 belong to the hypervisor: validation writes
 *    them, updates to them are refused.  No PSE or global bit in guest
 *    entries, no PAT bit in L1 entries (see L1/L2_ALLOWED_FLAGS).
 *  - An update takes the new entry's references, writes the entry, then
 *    drops the old entry's references, so no frame is briefly unreferenced.
 *  - A frame whose type count reaches 0 keeps its type, unvalidated, with
 *    PGT_need_flush: the TLB may still hold its old use (a writable mapping,
 *    or a cached page-directory entry through an old L1), so the next change
 *    to a different type flushes the TLB first.
 *  - Except that a descriptor frame keeps PGT_validated too (it holds no
 *    references to drop): its contents can change only after it has taken
 *    another type (a writable mapping) or been freed, and either clears the
 *    bit.  So a GDT or LDT loaded again is not checked again; only a frame
 *    that newly becomes a descriptor frame is.
 *  - Validation is counted work (hypercall.h): one unit per page-table entry
 *    or descriptor examined, so that long batches are preempted.
 */
#include <console.h>
#include <desc.h>
#include <domain.h>
#include <errno.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <mm_types.h>
#include <panic.h>
#include <public/xeno.h>

#define GUEST_L2_SLOTS		XENO_FIRST_HYPERVISOR_L2_SLOT	/* 1008 */
#define DESCS_PER_PAGE		(PAGE_SIZE / sizeof(struct seg_desc))
/* The only bits a guest may set in an entry (B5: no magic masks). */
#define L1_ALLOWED_FLAGS	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_PWT | \
				 _PAGE_PCD | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_AVAIL)
#define L2_ALLOWED_FLAGS	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_PWT | \
				 _PAGE_PCD | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_AVAIL)

static int validate_table(mfn_t mfn, uint32_t type, struct domain *d);
static void unvalidate_table(mfn_t mfn, uint32_t type);

/* A general reference on a frame the domain owns. */
bool get_page(mfn_t mfn, const struct domain *d)
{
	struct page_info *pg;

	if (!mfn_valid(mfn))
		return false;
	pg = mfn_to_page(mfn);
	if (pg->owner != d->id || pg->count >= PAGE_COUNT_MAX)
		return false;
	pg->count++;
	return true;
}

void put_page(mfn_t mfn)
{
	struct page_info *pg = mfn_to_page(mfn);

	BUG_ON(pg->count == 0);
	pg->count--;
}

/*
 * Does a frame whose type count is (or drops to) 0 stay validated?  Only a
 * descriptor frame does (see the rules above).
 */
static bool keeps_validation(uint32_t t)
{
	return (t & PGT_type_mask) == PGT_seg_desc && (t & PGT_validated);
}

/* May a frame whose type_info is t take one more reference of 'type'? */
static int type_conflict(uint32_t t, uint32_t type)
{
	if (!(t & PGT_count_mask))
		return 0;	/* unused: any type */
	if ((t & PGT_type_mask) != type || (t & PGT_count_mask) == PGT_count_mask)
		return -EBUSY;
	return 0;
}

/*
 * Take a type reference.  The first one fixes the type (validating tables);
 * later ones must ask for the same type.  -EBUSY on a conflict.
 */
int get_page_type(mfn_t mfn, uint32_t type, struct domain *d)
{
	struct page_info *pg = mfn_to_page(mfn);
	uint32_t t = pg->type_info;
	int rc;

	if ((t & PGT_count_mask) == 0) {
		/*
		 * Unused: it may take a new type.  If it had another use before,
		 * the TLB (or the CPU's cache of page-directory entries) may still
		 * hold that use: flush before it can become anything else.
		 */
		if ((t & PGT_type_mask) != type) {
			if (t & PGT_need_flush)
				flush_tlb_local();
			t = type;
		}
		if (!keeps_validation(t))
			t &= ~PGT_validated;
	} else if ((rc = type_conflict(t, type))) {
		return rc;
	}
	pg->type_info = t + 1;
	if (type == PGT_writable || type == PGT_none || (t & PGT_validated))
		return 0;
	rc = validate_table(mfn, type, d);
	if (rc) {
		pg->type_info = type | PGT_need_flush;	/* count back to 0 */
		return rc;
	}
	pg->type_info |= PGT_validated;
	return 0;
}

void put_page_type(mfn_t mfn)
{
	struct page_info *pg = mfn_to_page(mfn);
	uint32_t t = pg->type_info;

	BUG_ON((t & PGT_count_mask) == 0);
	if ((t & PGT_count_mask) > 1) {
		pg->type_info = t - 1;
		return;
	}
	/* Last reference: drop what a table held; remember it had a use. */
	pg->type_info = (t & (PGT_type_mask | PGT_validated)) | PGT_need_flush;
	if (t & PGT_validated)
		unvalidate_table(mfn, t & PGT_type_mask);
	pg->type_info = (t & PGT_type_mask) | PGT_need_flush |
			(keeps_validation(t) ? PGT_validated : 0);
}

int get_page_and_type(mfn_t mfn, uint32_t type, struct domain *d)
{
	int rc;

	if (!get_page(mfn, d))
		return -EPERM;
	rc = get_page_type(mfn, type, d);
	if (rc)
		put_page(mfn);
	return rc;
}

void put_page_and_type(mfn_t mfn)
{
	put_page_type(mfn);
	put_page(mfn);
}

/* Is this (present) L1 entry one a guest may install?  Pure. */
int l1e_check(pte_t e)
{
	if (e & ~(PTE_FRAME_MASK | L1_ALLOWED_FLAGS))
		return -EINVAL;		/* global bit, or PAT (not set up) */
	return 0;
}

int l2e_check(pde_t e)
{
	if (e & ~(PTE_FRAME_MASK | L2_ALLOWED_FLAGS))
		return -EINVAL;		/* PSE (superpage) or global bit */
	return 0;
}

/* References for a new L1 entry: the frame, plus the writable type if RW. */
static int get_l1e(pte_t e, struct domain *d)
{
	mfn_t mfn = pte_mfn(e);
	int rc;

	if (!(e & _PAGE_PRESENT))
		return 0;
	rc = l1e_check(e);
	if (rc)
		return rc;
	if (!get_page(mfn, d))
		return -EPERM;
	if (e & _PAGE_RW) {
		rc = get_page_type(mfn, PGT_writable, d);
		if (rc) {
			put_page(mfn);
			return rc;
		}
	}
	return 0;
}

static void put_l1e(pte_t e)
{
	if (!(e & _PAGE_PRESENT))
		return;
	if (e & _PAGE_RW)
		put_page_type(pte_mfn(e));
	put_page(pte_mfn(e));
}

static int get_l2e(pde_t e, struct domain *d)
{
	int rc;

	if (!(e & _PAGE_PRESENT))
		return 0;
	rc = l2e_check(e);
	if (rc)
		return rc;
	return get_page_and_type(pte_mfn(e), PGT_l1, d);
}

static void put_l2e(pde_t e)
{
	if (e & _PAGE_PRESENT)
		put_page_and_type(pte_mfn(e));
}

/* The hypervisor's entries for slots 1008-1023 of a domain's L2. */
void l2_init_hypervisor_slots(pde_t *l2, const struct domain *d)
{
	for (unsigned int i = GUEST_L2_SLOTS; i < L2_ENTRIES; i++)
		l2[i] = idle_pg_table[i];
	l2[L2_INDEX(PERDOMAIN_VIRT_START)] = mk_pte(virt_to_mfn(d->perdomain_l1),
						    _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED);
	l2[L2_INDEX(LINEAR_PT_VIRT_START)] = 0;
}

static int validate_l1(mfn_t mfn, struct domain *d)
{
	pte_t *l1 = map_domain_page(mfn);
	unsigned int i;
	int rc = 0;

	hypercall_count_work(L1_ENTRIES);
	for (i = 0; i < L1_ENTRIES; i++) {
		rc = get_l1e(l1[i], d);
		if (rc)
			break;
	}
	if (rc) {
		gprintk("mm: d%u: L1 %05x entry %u (%08x) refused: %d\n", d->id, mfn, i, l1[i], rc);
		while (i--)
			put_l1e(l1[i]);
	}
	unmap_domain_page(l1);
	return rc;
}

static int validate_l2(mfn_t mfn, struct domain *d)
{
	pde_t *l2 = map_domain_page(mfn);
	unsigned int i;
	int rc = 0;

	hypercall_count_work(GUEST_L2_SLOTS);
	for (i = 0; i < GUEST_L2_SLOTS; i++) {
		rc = get_l2e(l2[i], d);
		if (rc)
			break;
	}
	if (rc) {
		gprintk("mm: d%u: L2 %05x entry %u (%08x) refused: %d\n", d->id, mfn, i, l2[i], rc);
		while (i--)
			put_l2e(l2[i]);
	} else {
		l2_init_hypervisor_slots(l2, d);
	}
	unmap_domain_page(l2);
	return rc;
}

/*
 * Would every one of a descriptor page's 512 entries pass?  Reads only: a
 * page is fixed up (by validate_seg_desc) only once the whole of it passed.
 */
static int check_seg_desc_page(mfn_t mfn, const struct domain *d)
{
	struct seg_desc *gdt = map_domain_page(mfn), copy;
	int rc = 0;

	hypercall_count_work(DESCS_PER_PAGE);
	for (unsigned int i = 0; i < DESCS_PER_PAGE && !rc; i++) {
		copy = gdt[i];
		rc = check_descriptor(&copy);
		if (rc)
			gprintk("mm: d%u: descriptor page %05x entry %u (%08x:%08x) refused\n",
				d->id, mfn, i, gdt[i].hi, gdt[i].lo);
	}
	unmap_domain_page(gdt);
	return rc;
}

static int validate_seg_desc(mfn_t mfn, struct domain *d)
{
	struct seg_desc *gdt;
	int rc = check_seg_desc_page(mfn, d);

	if (rc)
		return rc;
	hypercall_count_work(DESCS_PER_PAGE);
	gdt = map_domain_page(mfn);
	for (unsigned int i = 0; i < DESCS_PER_PAGE; i++)
		check_descriptor(&gdt[i]);	/* passes again: same result */
	unmap_domain_page(gdt);
	return 0;
}

/*
 * Would get_page_and_type(mfn, PGT_seg_desc, d) succeed?  The same answer,
 * without its side effect: validation fixes descriptors up in place, and a
 * GDT or LDT refused for a later frame must leave the earlier ones as they
 * were (desc.c checks every frame first).
 */
int check_seg_desc_frame(mfn_t mfn, struct domain *d)
{
	uint32_t t;
	int rc;

	if (!get_page(mfn, d))
		return -EPERM;
	t = mfn_to_page(mfn)->type_info;
	rc = type_conflict(t, PGT_seg_desc);
	if (!rc && !(t & PGT_count_mask) && !keeps_validation(t))
		rc = check_seg_desc_page(mfn, d);
	put_page(mfn);
	return rc;
}

static int validate_table(mfn_t mfn, uint32_t type, struct domain *d)
{
	switch (type) {
	case PGT_l1:
		return validate_l1(mfn, d);
	case PGT_l2:
		return validate_l2(mfn, d);
	case PGT_seg_desc:
		return validate_seg_desc(mfn, d);
	}
	return -EINVAL;
}

static void unvalidate_table(mfn_t mfn, uint32_t type)
{
	uint32_t *t;

	if (type != PGT_l1 && type != PGT_l2)
		return;
	hypercall_count_work(L1_ENTRIES);
	t = map_domain_page(mfn);
	for (unsigned int i = 0; i < (type == PGT_l1 ? L1_ENTRIES : GUEST_L2_SLOTS); i++) {
		if (type == PGT_l1)
			put_l1e(t[i]);
		else
			put_l2e(t[i]);
	}
	unmap_domain_page(t);
}

/*
 * Replace one entry of a validated table: new references first, then the
 * write, then the old references.  'table' is the frame, 'index' the entry.
 */
int mm_update_entry(struct domain *d, mfn_t table, unsigned int index, uint32_t val)
{
	uint32_t type = mfn_to_page(table)->type_info, old;
	uint32_t *t;
	int rc;

	if ((type & PGT_count_mask) == 0 || !(type & PGT_validated))
		return -EINVAL;		/* not a page table in use */
	type &= PGT_type_mask;
	if (type == PGT_l1)
		rc = get_l1e(val, d);
	else if (type == PGT_l2 && index < GUEST_L2_SLOTS)
		rc = get_l2e(val, d);
	else
		return type == PGT_l2 ? -EPERM : -EINVAL;
	if (rc)
		return rc;
	t = map_domain_page(table);
	old = t[index];
	t[index] = val;
	unmap_domain_page(t);
	if (type == PGT_l1)
		put_l1e(old);
	else
		put_l2e(old);
	return 0;
}

/* One mmu_update request. */
static int mmu_update_one(struct domain *d, const struct xeno_mmu_update *req)
{
	uint32_t cmd = req->ptr & XENO_MMU_CMD_MASK, ptr = req->ptr & ~XENO_MMU_CMD_MASK;
	mfn_t mfn = ptr >> PAGE_SHIFT;
	int rc;

	if (!get_page(mfn, d))
		return -EPERM;
	switch (cmd) {
	case XENO_MMU_NORMAL_PT_UPDATE:
		rc = mm_update_entry(d, mfn, (ptr & ~PAGE_MASK) / sizeof(pte_t), req->val);
		break;
	case XENO_MMU_MACHPHYS_UPDATE:
		rc = req->val < d->max_pages || req->val == XENO_INVALID_PFN ? 0 : -EINVAL;
		if (!rc)
			m2p_set(mfn, req->val);
		break;
	default:
		rc = -EINVAL;
	}
	put_page(mfn);
	return rc;
}

/*
 * The loop of mmu_update and mmuext_op: elements of 'size' bytes at 'list',
 * each run by one(); stop at the first error; preempted between elements
 * once the call's work budget is spent (hypercall.h), continuing with the
 * rest.  'done' (if not 0) gets the number applied in the whole call.
 */
typedef int (*batch_one_fn)(struct domain *d, const void *elem);

static long run_batch(uint32_t nr, uint32_t list, uint32_t count, uint32_t done_va,
		      uint32_t foreign, uint32_t size, batch_one_fn one)
{
	struct domain *d = current->domain;
	union {
		struct xeno_mmu_update u;
		struct xeno_mmuext_op o;
	} elem;
	uint32_t before, left, i;
	int rc = 0;

	if (foreign != XENO_DOMID_SELF && foreign != d->id)
		return trace_error(-EPERM);
	if (!batch_count_split(count, XENO_MMU_MAX_BATCH, &before, &left))
		return trace_error(-E2BIG);
	for (i = 0; i < left && !rc; i++) {
		if (i && hypercall_preempt_check()) {
			uint32_t args[5] = { list + i * size, batch_count_continued(before + i, left - i),
					     done_va, foreign, 0 };

			hypercall_continue(nr, args);
			return 0;
		}
		hypercall_count_work(HYPERCALL_ELEMENT_WORK);
		rc = copy_from_guest(&elem, list + i * size, size);
		if (!rc)
			rc = one(d, &elem);
	}
	if (rc)
		i--;
	i += before;
	if (done_va && copy_to_guest(done_va, &i, sizeof(i)))
		return -EFAULT;
	return rc;
}

static int mmu_update_elem(struct domain *d, const void *elem)
{
	return mmu_update_one(d, elem);
}

long do_mmu_update(uint32_t reqs, uint32_t count, uint32_t done_va, uint32_t foreign)
{
	return run_batch(__HYPERVISOR_mmu_update, reqs, count, done_va, foreign,
			 sizeof(struct xeno_mmu_update), mmu_update_elem);
}

/* The L1 entry for va in v's address space (0 if there is no L1). */
pte_t guest_lookup_pte(const struct vcpu *v, uint32_t va)
{
	pde_t *l2, e;
	pte_t *l1, pte;

	if (va >= XENO_HYPERVISOR_VIRT_START || v->cr3_mfn == INVALID_MFN)
		return 0;
	l2 = map_domain_page(v->cr3_mfn);
	e = l2[L2_INDEX(va)];
	unmap_domain_page(l2);
	if (!(e & _PAGE_PRESENT))
		return 0;
	l1 = map_domain_page(pte_mfn(e));
	pte = l1[L1_INDEX(va)];
	unmap_domain_page(l1);
	return pte;
}

/* May ring 3 read va: present and user-accessible at both levels? */
bool guest_user_page(const struct vcpu *v, uint32_t va)
{
	pde_t *l2, e;

	if (va >= XENO_HYPERVISOR_VIRT_START || v->cr3_mfn == INVALID_MFN)
		return false;
	l2 = map_domain_page(v->cr3_mfn);
	e = l2[L2_INDEX(va)];
	unmap_domain_page(l2);
	return (e & (_PAGE_PRESENT | _PAGE_USER)) == (_PAGE_PRESENT | _PAGE_USER) &&
	       (guest_lookup_pte(v, va) & (_PAGE_PRESENT | _PAGE_USER)) ==
	       (_PAGE_PRESENT | _PAGE_USER);
}

/* The L1 frame that maps va in the current address space, or INVALID_MFN. */
static mfn_t current_l1_for(uint32_t va)
{
	pde_t *l2 = map_domain_page(current->cr3_mfn);
	pde_t e = l2[L2_INDEX(va)];

	unmap_domain_page(l2);
	if (!(e & _PAGE_PRESENT) || va >= XENO_HYPERVISOR_VIRT_START)
		return INVALID_MFN;
	return pte_mfn(e);
}

long do_update_va_mapping(uint32_t va, uint32_t val, uint32_t flags)
{
	mfn_t l1 = current_l1_for(va);
	int rc;

	if (flags & ~(XENO_UVMF_INVLPG | XENO_UVMF_TLB_FLUSH))
		return -EINVAL;
	if (l1 == INVALID_MFN)
		return -EINVAL;
	rc = mm_update_entry(current->domain, l1, L1_INDEX(va), val);
	if (rc)
		return rc;
	if (flags & XENO_UVMF_TLB_FLUSH)
		flush_tlb_local();
	else if (flags & XENO_UVMF_INVLPG)
		flush_tlb_one(va);
	return 0;
}

static int pin_table(struct domain *d, mfn_t mfn, uint32_t type)
{
	int rc = get_page_and_type(mfn, type, d);

	if (rc)
		return rc;
	if (mfn_to_page(mfn)->type_info & PGT_pinned) {
		put_page_and_type(mfn);
		return -EBUSY;		/* already pinned */
	}
	mfn_to_page(mfn)->type_info |= PGT_pinned;
	return 0;
}

static int unpin_table(struct domain *d, mfn_t mfn)
{
	struct page_info *pg;

	if (!mfn_valid(mfn) || mfn_to_page(mfn)->owner != d->id)
		return -EPERM;
	pg = mfn_to_page(mfn);
	if (!(pg->type_info & PGT_pinned))
		return -EINVAL;
	pg->type_info &= ~PGT_pinned;
	put_page_and_type(mfn);
	return 0;
}

/* Switch the vCPU to a new L2, which holds a type reference while in CR3. */
int mm_new_baseptr(struct vcpu *v, mfn_t mfn)
{
	mfn_t old = v->cr3_mfn;
	int rc = get_page_and_type(mfn, PGT_l2, v->domain);

	if (rc)
		return rc;
	v->cr3_mfn = mfn;
	if (v == current)
		write_cr3_mfn(mfn);
	if (old != INVALID_MFN)
		put_page_and_type(old);
	return 0;
}

static int mmuext_one(struct domain *d, const struct xeno_mmuext_op *op)
{
	switch (op->cmd) {
	case XENO_MMUEXT_PIN_L1_TABLE:
		return pin_table(d, op->arg1, PGT_l1);
	case XENO_MMUEXT_PIN_L2_TABLE:
		return pin_table(d, op->arg1, PGT_l2);
	case XENO_MMUEXT_UNPIN_TABLE:
		return unpin_table(d, op->arg1);
	case XENO_MMUEXT_NEW_BASEPTR:
		return mm_new_baseptr(current, op->arg1);
	case XENO_MMUEXT_TLB_FLUSH_LOCAL:
		flush_tlb_local();
		return 0;
	case XENO_MMUEXT_INVLPG_LOCAL:
		if (op->arg1 >= XENO_HYPERVISOR_VIRT_START)
			return -EINVAL;
		flush_tlb_one(op->arg1);
		return 0;
	case XENO_MMUEXT_SET_LDT:
		return mm_set_ldt(current, op->arg1, op->arg2);
	}
	return -ENOSYS;
}

static int mmuext_elem(struct domain *d, const void *elem)
{
	return mmuext_one(d, elem);
}

long do_mmuext_op(uint32_t ops, uint32_t count, uint32_t done_va, uint32_t foreign)
{
	return run_batch(__HYPERVISOR_mmuext_op, ops, count, done_va, foreign,
			 sizeof(struct xeno_mmuext_op), mmuext_elem);
}

/* Drop every reference a dying domain's tables and vCPU hold, then its frames. */
void mm_teardown(struct domain *d)
{
	for (mfn_t m = 0; m < max_mfn; m++) {
		struct page_info *pg = mfn_to_page(m);

		if (pg->owner != d->id)
			continue;
		if (pg->type_info & PGT_pinned) {
			pg->type_info &= ~PGT_pinned;
			put_page_and_type(m);
		}
	}
	if (d->vcpu.cr3_mfn != INVALID_MFN) {
		put_page_and_type(d->vcpu.cr3_mfn);
		d->vcpu.cr3_mfn = INVALID_MFN;
	}
	mm_release_descriptor_tables(&d->vcpu);
}
