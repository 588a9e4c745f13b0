/* SPDX-License-Identifier: MIT */
/*
 * memory_op: growing and shrinking a domain's reservation (the balloon).
 * A frame given back must be the domain's and completely unused (no mapping,
 * no type), so a guest cannot free a page table or a page it still maps.
 */
#include <domain.h>
#include <errno.h>
#include <guest_access.h>
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

static long increase(struct domain *d, const struct xeno_memory_reservation *r)
{
	uint32_t i;

	for (i = 0; i < r->nr_extents && d->tot_pages < d->max_pages; i++) {
		mfn_t mfn = alloc_domheap_page(d->id);
		void *p;

		if (mfn == INVALID_MFN)
			break;
		p = map_domain_page(mfn);
		memset(p, 0, PAGE_SIZE);
		unmap_domain_page(p);
		if (copy_to_guest(r->extent_start + i * sizeof(mfn), &mfn, sizeof(mfn))) {
			free_domheap_page(mfn);
			return i ? (long)i : -EFAULT;
		}
		d->tot_pages++;
	}
	return i;
}

static long decrease(struct domain *d, const struct xeno_memory_reservation *r)
{
	uint32_t i;
	long rc = 0;

	for (i = 0; i < r->nr_extents; i++) {
		struct page_info *pg;
		mfn_t mfn;

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
	if (i)
		flush_tlb_local();	/* no stale translation of a freed frame */
	return i ? (long)i : rc;
}

long do_memory_op(uint32_t cmd, uint32_t arg)
{
	struct xeno_memory_reservation r;
	struct xeno_memory_map map;
	struct xeno_e820_entry e = { 0, 0, 1, 0 };
	struct domain *d;
	uint32_t domid;

	switch (cmd) {
	case XENO_MEMOP_increase_reservation:
	case XENO_MEMOP_decrease_reservation:
		if (copy_from_guest(&r, arg, sizeof(r)))
			return -EFAULT;
		if (r.nr_extents > MEMOP_MAX_EXTENTS)
			return -E2BIG;
		d = target_domain(r.domid);
		if (!d)
			return -ESRCH;
		return cmd == XENO_MEMOP_increase_reservation ? increase(d, &r) : decrease(d, &r);
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
