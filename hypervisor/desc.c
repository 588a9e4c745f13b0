/* SPDX-License-Identifier: MIT */
/*
 * Guest descriptor tables.  A guest's GDT frames (up to 14) and LDT frames
 * (up to 16) become PGT_seg_desc pages, read-only everywhere, and are mapped
 * into the per-domain slot behind the GDTR/LDTR the CPU uses.  Every
 * descriptor in them passed check_descriptor(): no ring-0 or system
 * descriptors, no call gates, nothing that reaches the hypervisor's area.
 */
#include <desc.h>
#include <domain.h>
#include <errno.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <mm_types.h>
#include <x86.h>

#define LDT_MAX_ENTRIES		8192
#define DESC_CHECK_WORK		1	/* one descriptor checked (hypercall.h) */
#define DESC_FRAME_WORK		32	/* one frame taken, dropped or (un)mapped, TLB included */
#define LDT_FIRST_SLOT		((LDT_VIRT_START - PERDOMAIN_VIRT_START) / PAGE_SIZE)

uint32_t desc_generation;

/*
 * An expand-down data segment covers offsets (limit, upper]: with a base
 * b <= the ceiling and a 32-bit upper bound that is the linear range
 * [b + limit + 1 - 4 GiB, b), below the hypervisor if limit + 1 >= 4 GiB - b.
 * Raise the limit until that holds (4 KiB granular, so rounded up: safe).
 */
static int fix_expand_down(uint32_t base, uint32_t *hi, uint32_t *limit)
{
	uint64_t span = (*hi & DESC_G) ? ((uint64_t)*limit << PAGE_SHIFT) | (PAGE_SIZE - 1) : *limit;
	uint64_t need = (1ull << 32) - base;	/* limit + 1 must reach this */

	if (!(*hi & DESC_DB))	/* 16-bit: offsets up to 0xffff, must not wrap */
		return (uint64_t)base + 0xffff < XENO_GUEST_SEGMENT_END ? 0 : -EINVAL;
	if (base == 0)
		return -EINVAL;	/* would cover the top of memory */
	if (span + 1 >= need)
		return 0;
	*hi |= DESC_G;
	*limit = (uint32_t)((need + PAGE_SIZE - 1) >> PAGE_SHIFT) - 1;
	return 0;
}

/* Cut an expand-up segment's limit so that it ends below the ceiling. */
static void fix_expand_up(uint32_t base, uint32_t *hi, uint32_t *limit)
{
	uint64_t span = (*hi & DESC_G) ? ((uint64_t)*limit << PAGE_SHIFT) | (PAGE_SIZE - 1) : *limit;
	uint64_t room = XENO_GUEST_SEGMENT_END - (uint64_t)base;	/* >= 1 */

	if (base + span < XENO_GUEST_SEGMENT_END)
		return;
	if ((*hi & DESC_G) && room >= PAGE_SIZE) {
		*limit = (uint32_t)(room >> PAGE_SHIFT) - 1;
	} else {
		*hi &= ~DESC_G;
		*limit = (uint32_t)room - 1;	/* room < 4 KiB here, or G was 0 */
	}
}

/*
 * Check one descriptor and make it safe in place: present code/data
 * descriptors must have DPL 1-3 and start below the guest segment ceiling;
 * their limit is adjusted so that no offset reaches the hypervisor, and the
 * accessed bit is set (descriptor frames are read-only, so the CPU could
 * not).  Not-present descriptors are harmless and pass unchanged.  Pure.
 */
int check_descriptor(struct seg_desc *d)
{
	uint32_t hi = d->hi, type = (hi & DESC_TYPE_MASK) >> DESC_TYPE_SHIFT;
	uint32_t base = desc_base(d), limit = desc_limit_field(d);

	if (!(hi & DESC_P))
		return 0;
	if (!(hi & DESC_S))
		return -EINVAL;		/* TSS, LDT, call/task/interrupt gates */
	if (((hi & DESC_DPL_MASK) >> DESC_DPL_SHIFT) == 0)
		return -EINVAL;		/* ring 0 belongs to the hypervisor */
	if (base >= XENO_GUEST_SEGMENT_END)
		return -EINVAL;
	if (!(type & SEG_CODE) && (type & SEG_DATA_EXPAND_DOWN)) {
		if (fix_expand_down(base, &hi, &limit))
			return -EINVAL;
	} else {
		fix_expand_up(base, &hi, &limit);
	}
	d->lo = (d->lo & 0xffff0000) | (limit & 0xffff);
	d->hi = (hi & ~0x000f0000u) | (limit & 0x000f0000) | (SEG_ACCESSED << DESC_TYPE_SHIFT);
	return 0;
}

/* Point per-domain slot entries at frames (read-only) or at nothing. */
static void perdomain_map(struct vcpu *v, unsigned int slot, const mfn_t *mfns,
			  unsigned int n, unsigned int max)
{
	hypercall_count_work(max * DESC_FRAME_WORK);
	for (unsigned int i = 0; i < max; i++) {
		mfn_t m = i < n ? mfns[i] : virt_to_mfn(zero_page);

		v->domain->perdomain_l1[slot + i] = mk_pte(m, _PAGE_PRESENT | _PAGE_ACCESSED);
		if (v == current)
			flush_tlb_one(PERDOMAIN_VIRT_START + (slot + i) * PAGE_SIZE);
	}
}

static void put_frames(const mfn_t *mfns, unsigned int n)
{
	hypercall_count_work(n * DESC_FRAME_WORK);
	for (unsigned int i = 0; i < n; i++)
		put_page_and_type(mfns[i]);
}

/* Take descriptor-page references on n frames, all or none. */
static int get_frames(struct domain *d, const mfn_t *mfns, unsigned int n)
{
	hypercall_count_work(n * DESC_FRAME_WORK);
	for (unsigned int i = 0; i < n; i++) {
		int rc = check_seg_desc_frame(mfns[i], d);

		if (rc)
			return rc;
	}
	for (unsigned int i = 0; i < n; i++) {
		int rc = get_page_and_type(mfns[i], PGT_seg_desc, d);

		if (rc) {
			put_frames(mfns, i);
			return rc;
		}
	}
	return 0;
}

int mm_set_gdt(struct vcpu *v, const mfn_t *mfns, unsigned int ents)
{
	unsigned int n = (ents + 511) / 512;
	int rc;

	if (ents > XENO_FIRST_RESERVED_GDT_ENTRY)
		return -EINVAL;
	rc = get_frames(v->domain, mfns, n);
	if (rc)
		return rc;
	put_frames(v->gdt_mfns, v->gdt_frames);
	memcpy(v->gdt_mfns, mfns, n * sizeof(mfn_t));
	v->gdt_frames = n;
	v->gdt_ents = ents;
	desc_generation++;
	perdomain_map(v, 0, mfns, n, XENO_GDT_GUEST_FRAMES);
	return 0;
}

long do_set_gdt(uint32_t frames_va, uint32_t ents)
{
	mfn_t mfns[XENO_GDT_GUEST_FRAMES];

	if (ents > XENO_FIRST_RESERVED_GDT_ENTRY)
		return trace_error(-EINVAL);
	if (copy_from_guest(mfns, frames_va, (ents + 511) / 512 * sizeof(mfn_t)))
		return -EFAULT;
	return mm_set_gdt(current, mfns, ents);
}

/* Rewrite one descriptor in a frame that is in a GDT or LDT now. */
long do_update_descriptor(uint32_t maddr, uint32_t lo, uint32_t hi)
{
	struct domain *d = current->domain;
	struct seg_desc desc = { lo, hi }, *slot;
	mfn_t mfn = maddr >> PAGE_SHIFT;
	uint32_t t;
	int rc;

	hypercall_count_work(DESC_CHECK_WORK);
	if (maddr & (sizeof(desc) - 1))
		return trace_error(-EINVAL);
	if (!get_page(mfn, d))
		return trace_error(-EPERM);
	t = mfn_to_page(mfn)->type_info;
	rc = -EINVAL;
	if ((t & PGT_type_mask) == PGT_seg_desc && (t & PGT_count_mask))
		rc = check_descriptor(&desc);
	if (!rc) {
		slot = map_domain_page(mfn);
		slot[(maddr & ~PAGE_MASK) / sizeof(desc)] = desc;
		unmap_domain_page(slot);
		desc_generation++;
	}
	put_page(mfn);
	return rc;
}

/*
 * The descriptor a guest selector names in v's GDT or LDT, mapped (unmap
 * with unmap_domain_page); NULL for the null selector, the hypervisor's
 * entries, or one beyond the table.
 */
struct seg_desc *map_guest_descriptor(const struct vcpu *v, uint32_t sel)
{
	unsigned int idx = (sel & 0xffff) >> 3;
	const mfn_t *frames = (sel & 4) ? v->ldt_mfns : v->gdt_mfns;
	unsigned int ents = (sel & 4) ? v->ldt_ents : v->gdt_ents;
	struct seg_desc *page;

	if (idx >= ents || (!(sel & 4) && (idx == 0 || idx >= XENO_FIRST_RESERVED_GDT_ENTRY)))
		return NULL;
	page = map_domain_page(frames[idx / 512]);
	return &page[idx % 512];
}

/*
 * Is sel a present data segment with base 0?  The hypervisor writes
 * bounce frames at (and the iret hypercall reads from) the linear address
 * ESP, so a guest kernel stack must be flat.
 */
bool is_flat_stack_segment(const struct vcpu *v, uint32_t sel)
{
	struct seg_desc *d;
	bool flat;

	if ((sel & 0xfffc) == (XENO_FLAT_RING1_DS & 0xfffc))
		return true;
	d = map_guest_descriptor(v, sel);
	if (!d)
		return false;
	flat = (d->hi & DESC_P) && (d->hi & DESC_S) &&
	       !((d->hi >> DESC_TYPE_SHIFT) & SEG_CODE) && desc_base(d) == 0;
	unmap_domain_page(d);
	return flat;
}

/* Load the LDT descriptor for v's LDT (or none) into the hypervisor GDT. */
void load_ldt(const struct vcpu *v)
{
	struct seg_desc *slot = &hyp_gdt_page[(HYP_LDT >> 3) - XENO_FIRST_RESERVED_GDT_ENTRY];

	if (!v || !v->ldt_ents) {
		lldt(0);
		return;
	}
	*slot = make_seg_desc(LDT_VIRT_START, v->ldt_ents * 8 - 1, SYS_LDT, 0, 0);
	lldt(HYP_LDT);
}

/*
 * SET_LDT: the LDT is 'ents' descriptors at guest address va (page
 * aligned).  Its frames are looked up now and become descriptor pages.
 */
int mm_set_ldt(struct vcpu *v, uint32_t va, uint32_t ents)
{
	mfn_t mfns[LDT_MAX_FRAMES];
	unsigned int n = (ents * 8 + PAGE_SIZE - 1) / PAGE_SIZE;
	int rc;

	if (ents > LDT_MAX_ENTRIES || (va & ~PAGE_MASK) || !guest_range_ok(va, ents * 8))
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++) {
		pte_t pte = guest_lookup_pte(v, va + i * PAGE_SIZE);

		if (!(pte & _PAGE_PRESENT))
			return -EFAULT;
		mfns[i] = pte_mfn(pte);
	}
	rc = get_frames(v->domain, mfns, n);
	if (rc)
		return rc;
	put_frames(v->ldt_mfns, v->ldt_frames);
	memcpy(v->ldt_mfns, mfns, n * sizeof(mfn_t));
	v->ldt_frames = n;
	v->ldt_ents = ents;
	v->ldt_base = va;
	desc_generation++;
	perdomain_map(v, LDT_FIRST_SLOT, mfns, n, LDT_MAX_FRAMES);
	if (v == current)
		load_ldt(v);
	return 0;
}

void mm_release_descriptor_tables(struct vcpu *v)
{
	put_frames(v->gdt_mfns, v->gdt_frames);
	put_frames(v->ldt_mfns, v->ldt_frames);
	v->gdt_frames = v->gdt_ents = 0;
	v->ldt_frames = v->ldt_ents = 0;
	desc_generation++;
}
