/* SPDX-License-Identifier: MIT */
/*
 * memory_op: growing and shrinking a domain's reservation (the balloon).
 * A frame given back must be the domain's and completely unused (no mapping,
 * no type), so a guest cannot free a page table or a page it still maps.
 */
#include <domain.h>
#include <errno.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <mm_types.h>
#include <public/memory.h>

#define MEMOP_MAX_EXTENTS	(1u << 20)

static struct domain *target_domain(uint32_t domid)
{
	struct domain *self = current->domain;

	if (domid == XENO_DOMID_SELF || domid == self->id)
		return self;
	return self->privileged ? domain_find(domid) : NULL;
}

/*
 * increase and decrease work through extents [start, nr_extents) and
 * return the index reached: the extents done in the whole call (or -errno
 * if none was); when the call's work budget is spent they stop early with
 * *more set.
 */
static long increase(struct domain *d, const struct xeno_memory_reservation *r,
		     uint32_t start, bool *more)
{
	uint32_t i;

	for (i = start; i < r->nr_extents && d->tot_pages < d->max_pages; i++) {
		mfn_t mfn;
		void *p;

		if (i > start && hypercall_preempt_check()) {
			*more = true;
			break;
		}
		mfn = alloc_domheap_page(d->id);
		if (mfn == INVALID_MFN)
			break;
		p = map_domain_page(mfn);
		memset(p, 0, PAGE_SIZE);
		unmap_domain_page(p);
		hypercall_count_work(PAGE_SIZE / 4);
		if (copy_to_guest(r->extent_start + i * sizeof(mfn), &mfn, sizeof(mfn))) {
			free_domheap_page(mfn);
			return i ? (long)i : -EFAULT;
		}
		d->tot_pages++;
	}
	return i;
}

static long decrease(struct domain *d, const struct xeno_memory_reservation *r,
		     uint32_t start, bool *more)
{
	uint32_t i;
	long rc = 0;

	for (i = start; i < r->nr_extents; i++) {
		struct page_info *pg;
		mfn_t mfn;

		if (i > start && hypercall_preempt_check()) {
			*more = true;
			break;
		}
		hypercall_count_work(HYPERCALL_ELEMENT_WORK);
		if (copy_from_guest(&mfn, r->extent_start + i * sizeof(mfn), sizeof(mfn))) {
			rc = -EFAULT;
			break;
		}
		if (!mfn_valid(mfn) || mfn_to_page(mfn)->owner != d->id) {
			rc = -EPERM;
			break;
		}
		pg = mfn_to_page(mfn);
		if (pg->count || (pg->type_info & (PGT_count_mask | PGT_pinned))) {
			rc = -EBUSY;	/* still mapped, a table, or shared_info */
			break;
		}
		free_domheap_page(mfn);
		d->tot_pages--;
	}
	if (i > start)
		flush_tlb_local();	/* no stale translation of a freed frame */
	return i || !rc ? (long)i : rc;
}

/* A reservation change, continued (hypercall.h) while extents remain. */
static long change_reservation(uint32_t cmd, uint32_t start, uint32_t arg)
{
	struct xeno_memory_reservation r;
	struct domain *d;
	bool more = false;
	long rc;

	if (copy_from_guest(&r, arg, sizeof(r)))
		return -EFAULT;
	if (r.nr_extents > MEMOP_MAX_EXTENTS || start > r.nr_extents)
		return -E2BIG;
	d = target_domain(r.domid);
	if (!d)
		return -ESRCH;
	rc = cmd == XENO_MEMOP_increase_reservation ? increase(d, &r, start, &more) :
						      decrease(d, &r, start, &more);
	if (more) {
		uint32_t args[5] = { cmd | XENO_BATCH_CONTINUED |
				     (uint32_t)rc << XENO_MEMOP_EXTENT_SHIFT, arg, 0, 0, 0 };

		hypercall_continue(__HYPERVISOR_memory_op, args);
	}
	return rc;
}

long do_memory_op(uint32_t cmd, uint32_t arg)
{
	struct xeno_memory_map map;
	struct xeno_e820_entry e = { 0, 0, 1, 0 };
	struct domain *d;
	uint32_t domid;

	if (cmd & XENO_BATCH_CONTINUED) {
		uint32_t op = cmd & XENO_MEMOP_CMD_MASK;
		uint32_t start = (cmd & ~XENO_BATCH_CONTINUED) >> XENO_MEMOP_EXTENT_SHIFT;

		if (op != XENO_MEMOP_increase_reservation && op != XENO_MEMOP_decrease_reservation)
			return -ENOSYS;
		return change_reservation(op, start, arg);
	}
	switch (cmd) {
	case XENO_MEMOP_increase_reservation:
	case XENO_MEMOP_decrease_reservation:
		return change_reservation(cmd, 0, arg);
	case XENO_MEMOP_current_reservation:
	case XENO_MEMOP_maximum_reservation:
		if (copy_from_guest(&domid, arg, sizeof(domid)))
			return -EFAULT;
		d = target_domain(domid);
		if (!d)
			return -ESRCH;
		return cmd == XENO_MEMOP_current_reservation ? d->tot_pages : d->max_pages;
	case XENO_MEMOP_memory_map:
		if (copy_from_guest(&map, arg, sizeof(map)))
			return -EFAULT;
		if (map.nr_entries < 1)
			return -EINVAL;
		e.size = (uint64_t)current->domain->max_pages << PAGE_SHIFT;
		if (copy_to_guest(map.buffer, &e, sizeof(e)))
			return -EFAULT;
		map.nr_entries = 1;
		return copy_to_guest(arg, &map, sizeof(map));
	}
	return -ENOSYS;
}
