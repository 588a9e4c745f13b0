/* SPDX-License-Identifier: MIT */
/*
 * The domain builder.  It checks the kernel image (elf.c), lays out the
 * start-of-day address space described in public/xeno.h, gives the domain
 * frames in a deliberately scattered order (so a guest that confuses
 * pseudo-physical and machine addresses fails at once), loads the image and
 * initrd, writes the P2M list, M2P entries, start_info and the bootstrap page
 * tables, and validates and pins those tables through the same code every
 * guest update goes through.  A bad image gets -errno and a reason, and no
 * domain state is left half-built.
 */
#include <console.h>
#include <domain_build.h>
#include <errno.h>
#include <lib.h>
#include <mm.h>
#include <mm_types.h>
#include <panic.h>
#include <public/xeno.h>

#define FOUR_MB			(4u << 20)
#define BOOT_STACK_PAGES	2
#define MIN_SLACK_PAGES		128	/* 512 KiB the guest can use at once */
#define HYPERCALL_IRET_PUSH	0x50	/* push %eax */
#define OP_MOV_EAX_IMM		0xb8
#define OP_INT			0xcd
#define OP_RET			0xc3
#define OP_INT3			0xcc

static uint32_t page_up(uint32_t x)
{
	return ALIGN_UP(x, PAGE_SIZE);
}

/* Compute the layout, refusing anything that does not fit.  Pure. */
int build_layout(const struct elf_info *ei, uint32_t initrd_len, uint32_t nr_pages,
		 struct build_layout *l, const char **why)
{
	uint32_t room = XENO_HYPERVISOR_VIRT_START, nr_l1;

	memset(l, 0, sizeof(*l));
	if (!ei->has_xeno_note) {
		*why = "the kernel has no Xeno ELF note: not built for Xeno";
		return -ENOEXEC;
	}
	if (ei->note_interface && (ei->note_interface >> 16) != (XENO_INTERFACE_VERSION >> 16)) {
		*why = "the kernel was built for another major version of the Xeno interface";
		return -ENOEXEC;
	}
	l->virt_base = ei->note_virt_base;
	if ((l->virt_base & ~PAGE_MASK) || l->virt_base > ei->virt_start) {
		*why = "the kernel's virtual base is not page aligned or lies above the image";
		return -ENOEXEC;
	}
	if (nr_pages > (room - l->virt_base) / PAGE_SIZE) {
		*why = "the domain's memory does not fit below the hypervisor at this virtual base";
		return -ENOMEM;
	}
	l->nr_pages = nr_pages;
	l->map_end = l->virt_base + nr_pages * PAGE_SIZE;
	l->kernel_start = ei->virt_start;
	l->kernel_end = ei->virt_end;
	l->initrd_start = l->kernel_end;
	l->initrd_end = l->initrd_start + page_up(initrd_len);
	if (initrd_len > room || l->initrd_end < l->initrd_start) {
		*why = "the initrd is too large";
		return -ENOMEM;
	}
	l->p2m_start = l->initrd_end;
	l->p2m_end = l->p2m_start + page_up(nr_pages * 4);
	l->start_info = l->p2m_end;
	nr_l1 = L2_INDEX(l->map_end - 1) - L2_INDEX(l->virt_base) + 1;
	l->pt_start = l->start_info + PAGE_SIZE;
	l->nr_pt_frames = 1 + nr_l1;
	l->stack_start = l->pt_start + l->nr_pt_frames * PAGE_SIZE;
	l->stack_end = l->stack_start + BOOT_STACK_PAGES * PAGE_SIZE;
	l->boot_end = l->stack_end;
	if (l->boot_end < l->p2m_start || l->boot_end + MIN_SLACK_PAGES * PAGE_SIZE > l->map_end ||
	    l->boot_end > l->map_end) {
		*why = "not enough memory for the kernel, initrd and bootstrap structures";
		return -ENOMEM;
	}
	return 0;
}

/* A deterministic shuffle, so pseudo-physical order says nothing of machine order. */
static void scatter(mfn_t *p2m, uint32_t n, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t j, t;

		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		j = x % (i + 1);
		t = p2m[i], p2m[i] = p2m[j], p2m[j] = t;
	}
}

/* Guest virtual address -> machine frame, during the build. */
static mfn_t va_mfn(const struct build_layout *l, const mfn_t *p2m, uint32_t va)
{
	return p2m[(va - l->virt_base) >> PAGE_SHIFT];
}

/* Copy len bytes from src (at offset off) to guest VA va; zero-fills if !src. */
static int put_bytes(const struct build_layout *l, const mfn_t *p2m, uint32_t va,
		     const struct elf_source *src, uint32_t off, uint32_t len)
{
	while (len) {
		uint32_t in = va & ~PAGE_MASK, n = MIN(len, PAGE_SIZE - in);
		uint8_t *p = map_domain_page(va_mfn(l, p2m, va));
		int rc = src ? src->read(src, off, p + in, n) : 0;

		if (!src)
			memset(p + in, 0, n);
		unmap_domain_page(p);
		if (rc)
			return rc;
		va += n, off += n, len -= n;
	}
	return 0;
}

static int put_buffer(const struct build_layout *l, const mfn_t *p2m, uint32_t va,
		      const void *buf, uint32_t len)
{
	struct elf_source src = { len, elf_read_buffer, buf, 0 };

	return put_bytes(l, p2m, va, &src, 0, len);
}

static int load_kernel(const struct build_layout *l, const mfn_t *p2m, const struct elf_info *ei,
		       const struct elf_source *kernel)
{
	for (unsigned int i = 0; i < ei->nr_segments; i++) {
		const struct elf_segment *s = &ei->seg[i];
		int rc = put_bytes(l, p2m, s->vaddr, kernel, s->offset, s->filesz);

		if (rc)
			return rc;
	}
	return 0;	/* the rest of each segment (bss) is already zero */
}

/* 32-byte stubs "mov $n,%eax; int $0x82; ret"; iret pushes EAX first. */
static void fill_hypercall_page(uint8_t *p)
{
	memset(p, OP_INT3, PAGE_SIZE);
	for (uint32_t n = 0; n < XENO_NR_HYPERCALLS; n++) {
		uint8_t *s = p + n * XENO_HYPERCALL_STUB_SIZE;

		if (n == __HYPERVISOR_iret)
			*s++ = HYPERCALL_IRET_PUSH;
		*s++ = OP_MOV_EAX_IMM;
		memcpy(s, &n, 4);
		s += 4;
		*s++ = OP_INT;
		*s++ = XENO_HYPERCALL_VECTOR;
		if (n != __HYPERVISOR_iret)
			*s = OP_RET;
	}
}

static bool is_pt_frame(const struct build_layout *l, uint32_t va)
{
	return va >= l->pt_start && va < l->pt_start + l->nr_pt_frames * PAGE_SIZE;
}

/* Bootstrap tables: all memory mapped at virt_base, the tables read-only. */
static void write_page_tables(const struct build_layout *l, const mfn_t *p2m, struct domain *d)
{
	pde_t *l2 = map_domain_page(va_mfn(l, p2m, l->pt_start));
	unsigned int first = L2_INDEX(l->virt_base);

	for (unsigned int i = 1; i < l->nr_pt_frames; i++) {
		uint32_t l1_va = l->pt_start + i * PAGE_SIZE, slot_va = (first + i - 1) * FOUR_MB;
		pte_t *l1 = map_domain_page(va_mfn(l, p2m, l1_va));

		for (unsigned int j = 0; j < L1_ENTRIES; j++) {
			uint32_t va = slot_va + j * PAGE_SIZE;

			if (va < l->virt_base || va >= l->map_end)
				continue;
			l1[j] = mk_pte(va_mfn(l, p2m, va), _PAGE_PRESENT | _PAGE_ACCESSED |
				       _PAGE_DIRTY | (is_pt_frame(l, va) ? 0 : _PAGE_RW));
		}
		unmap_domain_page(l1);
		l2[first + i - 1] = mk_pte(va_mfn(l, p2m, l1_va), _PAGE_PRESENT | _PAGE_RW |
					   _PAGE_USER | _PAGE_ACCESSED);
	}
	l2_init_hypervisor_slots(l2, d);
	unmap_domain_page(l2);
}

static void write_start_info(const struct build_layout *l, const mfn_t *p2m,
			     const struct domain *d, const struct build_args *a)
{
	struct xeno_start_info *si = map_domain_page(va_mfn(l, p2m, l->start_info));

	memset(si, 0, PAGE_SIZE);
	memcpy(si->magic, XENO_START_INFO_MAGIC, sizeof(XENO_START_INFO_MAGIC));
	si->nr_pages = l->nr_pages;
	si->shared_info_mfn = virt_to_mfn(d->shared_info);
	si->flags = d->privileged ? XENO_SIF_PRIVILEGED : 0;
	si->flags |= d->id == 0 ? XENO_SIF_INITDOMAIN : 0;
	si->domid = d->id;
	si->pt_base = l->pt_start;
	si->nr_pt_frames = l->nr_pt_frames;
	si->mfn_list = l->p2m_start;
	si->mod_start = a->initrd ? l->initrd_start : 0;
	si->mod_len = a->initrd ? a->initrd->size : 0;
	si->virt_base = l->virt_base;
	si->first_free_pfn = (l->boot_end - l->virt_base) >> PAGE_SHIFT;
	strlcpy(si->cmd_line, a->cmdline ? a->cmdline : "", sizeof(si->cmd_line));
	unmap_domain_page(si);
}

static void set_start_regs(struct vcpu *v, const struct build_layout *l, uint32_t entry)
{
	struct cpu_regs *r = &v->regs;

	memset(r, 0, sizeof(*r));
	r->eip = entry;
	r->esp = l->stack_end;
	r->esi = l->start_info;
	r->cs = XENO_FLAT_RING1_CS;
	r->ss = r->ds = r->es = XENO_FLAT_RING1_DS;
	r->eflags = EFLAGS_FIXED | EFLAGS_IF;	/* events stay masked in vcpu_info */
}

/* Give back every frame the build took, on failure. */
static void unbuild(mfn_t *p2m, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		free_domheap_page(p2m[i]);
}

static int alloc_frames(struct domain *d, mfn_t *p2m, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		void *p;

		p2m[i] = alloc_domheap_page(d->id);
		if (p2m[i] == INVALID_MFN) {
			unbuild(p2m, i);
			return -ENOMEM;
		}
		p = map_domain_page(p2m[i]);
		memset(p, 0, PAGE_SIZE);	/* no guest sees another's old data */
		unmap_domain_page(p);
	}
	return 0;
}

static int load_everything(struct domain *d, const struct build_layout *l, const mfn_t *p2m,
			   const struct elf_info *ei, const struct build_args *a)
{
	int rc = load_kernel(l, p2m, ei, a->kernel);

	if (!rc && a->initrd)
		rc = put_bytes(l, p2m, l->initrd_start, a->initrd, 0, a->initrd->size);
	if (!rc)
		rc = put_buffer(l, p2m, l->p2m_start, p2m, l->nr_pages * 4);
	if (rc)
		return rc;
	if (ei->note_hypercall_page) {
		uint32_t hp = ei->note_hypercall_page;
		uint8_t *p;

		if ((hp & ~PAGE_MASK) || hp < l->kernel_start || hp >= l->kernel_end)
			return -ENOEXEC;
		p = map_domain_page(va_mfn(l, p2m, hp));
		fill_hypercall_page(p);
		unmap_domain_page(p);
	}
	write_start_info(l, p2m, d, a);
	write_page_tables(l, p2m, d);
	for (uint32_t pfn = 0; pfn < l->nr_pages; pfn++)
		m2p_set(p2m[pfn], pfn);
	return 0;
}

int domain_build(struct domain *d, const struct build_args *a, const char **why)
{
	struct build_layout l;
	struct elf_info ei;
	mfn_t *p2m, l2;
	unsigned int p2m_pages;
	int rc;

	rc = elf_parse(a->kernel, XENO_HYPERVISOR_VIRT_START, &ei, why);
	if (!rc)
		rc = build_layout(&ei, a->initrd ? a->initrd->size : 0, a->nr_pages, &l, why);
	if (rc)
		return rc;
	p2m_pages = (l.nr_pages * sizeof(mfn_t) + PAGE_SIZE - 1) / PAGE_SIZE;
	p2m = alloc_xenheap_pages(p2m_pages);
	if (!p2m) {
		*why = "out of hypervisor heap for the P2M";
		return -ENOMEM;
	}
	rc = alloc_frames(d, p2m, l.nr_pages);
	if (rc) {
		*why = "not enough free memory for the domain";
		goto out;
	}
	scatter(p2m, l.nr_pages, d->id + 1);
	rc = load_everything(d, &l, p2m, &ei, a);
	if (rc) {
		*why = rc == -ENOEXEC ? "the hypercall page note is not a page of the image"
				      : "the image could not be read";
		goto err_free;
	}
	l2 = va_mfn(&l, p2m, l.pt_start);
	d->tot_pages = l.nr_pages;
	d->max_pages = MAX(a->max_pages, l.nr_pages);
	rc = get_page_and_type(l2, PGT_l2, d);	/* validates everything */
	if (rc) {
		*why = "the bootstrap page tables failed validation";
		goto err_free;
	}
	mfn_to_page(l2)->type_info |= PGT_pinned;
	rc = mm_new_baseptr(&d->vcpu, l2);
	BUG_ON(rc);
	set_start_regs(&d->vcpu, &l, ei.entry);
	memcpy(d->name, ei.note_guest_os, MIN(sizeof(d->name) - 1, sizeof(ei.note_guest_os)));
	printk("d%u: built '%s': %u pages at %08x-%08x, entry %08x, start_info %08x\n", d->id,
	       d->name, l.nr_pages, l.virt_base, l.map_end, ei.entry, l.start_info);
	goto out;
err_free:
	d->tot_pages = 0;
	unbuild(p2m, l.nr_pages);
out:
	free_xenheap_pages(p2m, p2m_pages);
	return rc;
}
