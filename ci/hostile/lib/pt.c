/* SPDX-License-Identifier: MIT */
/*
 * Building blocks for the page-table, memory and builder attacks (pt.h).
 * Everything goes through the real hypercalls; nothing here checks a
 * result the caller should check itself.
 */
#include "pt.h"

/* ---- our own frames and tables ---- */

uint32_t cur_l2_mfn(void)
{
	return virt_to_mfn(l2_table());
}

uint32_t l2e_maddr(uint32_t l2, unsigned int slot)
{
	return (l2 << PAGE_SHIFT) + slot * 4;
}

uint32_t l1e_maddr(uint32_t l1, unsigned int index)
{
	return (l1 << PAGE_SHIFT) + index * 4;
}

void *mfn_va(uint32_t mfn)
{
	return pfn_to_virt(m2p[mfn]);
}

long set_rw(const void *va, bool rw)
{
	return page_set_ro(va, !rw);
}

uint32_t *alloc_table(void)
{
	uint32_t *t = alloc_page();

	if (set_rw(t, false))
		xtf_error("cannot map a fresh page read-only");
	return t;
}

uint32_t *copy_l2(void)
{
	uint32_t *t = alloc_page();

	memcpy(t, l2_table(), HV_SLOT * 4);
	if (set_rw(t, false))
		xtf_error("cannot map the L2 copy read-only");
	return t;
}

long pin(uint32_t cmd, uint32_t mfn)
{
	return mmuext1(cmd, mfn, 0);
}

long unpin(uint32_t mfn)
{
	return mmuext1(XENO_MMUEXT_UNPIN_TABLE, mfn, 0);
}

long new_baseptr(uint32_t mfn)
{
	return mmuext1(XENO_MMUEXT_NEW_BASEPTR, mfn, 0);
}

long machphys(uint32_t mfn, uint32_t pfn)
{
	return mmu_update1(mmu_ptr(mfn << PAGE_SHIFT, XENO_MMU_MACHPHYS_UPDATE), pfn);
}

long flush_tlb(void)
{
	return mmuext1(XENO_MMUEXT_TLB_FLUSH_LOCAL, 0, 0);
}

long reservation_op(uint32_t cmd, uint32_t *mfns, uint32_t n, uint32_t domid)
{
	struct xeno_memory_reservation r = { (uint32_t)mfns, n, domid, 0 };

	return HYPERCALL2(memory_op, cmd, &r);
}

long decrease1(uint32_t mfn)
{
	return reservation_op(XENO_MEMOP_decrease_reservation, &mfn, 1, XENO_DOMID_SELF);
}

uint32_t cur_reservation(void)
{
	uint32_t self = XENO_DOMID_SELF;

	return (uint32_t)HYPERCALL2(memory_op, XENO_MEMOP_current_reservation, &self);
}

void wpt_assist(bool on)
{
	if (HYPERCALL2(vm_assist, on ? XENO_VMASST_CMD_ENABLE : XENO_VMASST_CMD_DISABLE,
		       XENO_VMASST_TYPE_WRITABLE_PAGETABLES))
		xtf_error("vm_assist(writable_pagetables) failed");
}

uint32_t wpt_store(uint32_t *entry, uint32_t val)
{
	return probe_write((uint32_t)entry, val);
}

/* A page of ours whose mapping we borrow for a moment. */
static uint32_t *scratch;

static long map_scratch(uint32_t pte)
{
	if (!scratch)
		scratch = alloc_page();
	return update_va(scratch, pte, XENO_UVMF_INVLPG);
}

bool frame_untyped(uint32_t mfn)
{
	uint32_t own = virt_to_mfn(scratch ? scratch : (scratch = alloc_page()));
	bool ok = map_scratch(mkpte(mfn, PTE_RW_FLAGS)) == 0;

	if (map_scratch(mkpte(own, PTE_RW_FLAGS)))
		xtf_error("cannot restore the scratch mapping");
	if (!ok)
		return false;
	/* No writable mapping left anywhere, and a zero page validates as an L1. */
	if (pin(XENO_MMUEXT_PIN_L1_TABLE, mfn))
		return false;
	return unpin(mfn) == 0;
}

/* ---- multicall ---- */

void mc_add(struct mc *m, uint32_t op, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
	struct xeno_multicall_entry *e = &m->e[m->n++];

	*e = (struct xeno_multicall_entry){ op, -1, { a0, a1, a2, a3, 0, 0 } };
}

long mc_run(struct mc *m)
{
	return HYPERCALL2(multicall, m->e, m->n);
}

/* ---- attacker -> supervisor ---- */

#define REPORT	"hostile-report: "

void attacker_report(const char *key, uint32_t val)
{
	printf(REPORT "%s=%#x\n", key, val);
}

uint32_t attacker_reported(const char *key, uint32_t def)
{
	char needle[64], rest[32];
	uint32_t v = 0;

	snprintf(needle, sizeof(needle), "(d%u) " REPORT "%s=0x", hostile_attacker(), key);
	if (!console_log_line(0, needle, rest, sizeof(rest)))
		return def;
	for (const char *p = rest; *p; p++) {
		if (*p >= '0' && *p <= '9')
			v = v * 16 + (uint32_t)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			v = v * 16 + (uint32_t)(*p - 'a' + 10);
		else
			break;
	}
	return v;
}

/* ---- ELF images for the builder ---- */

static uint8_t img_buf[IMG_SIZE] __attribute__((aligned(PAGE_SIZE)));

static void set_note(struct x_note *n, uint32_t type, const void *desc)
{
	*n = (struct x_note){ 5, 8, type, "Xeno", { 0, 0 } };
	memcpy(n->desc, desc, 8);
}

void img_reset(struct img *im)
{
	static const uint8_t ident[16] = { 0x7f, 'E', 'L', 'F', 1, 1, 1 };
	const uint32_t base[2] = { IMG_VADDR, 0 }, iface[2] = { XENO_INTERFACE_VERSION, 0 };

	memset(img_buf, 0, sizeof(img_buf));
	im->buf = img_buf;
	im->len = IMG_SIZE;
	im->eh = (struct x_ehdr *)img_buf;
	im->ph = (struct x_phdr *)(img_buf + sizeof(struct x_ehdr));
	im->note = (struct x_note *)(img_buf + IMG_NOTES);
	memcpy(im->eh->ident, ident, sizeof(ident));
	im->eh->type = 2;		/* ET_EXEC */
	im->eh->machine = 3;		/* EM_386 */
	im->eh->version = 1;
	im->eh->entry = IMG_VADDR;
	im->eh->phoff = sizeof(struct x_ehdr);
	im->eh->ehsize = sizeof(struct x_ehdr);
	im->eh->phentsize = sizeof(struct x_phdr);
	im->eh->phnum = 2;
	im->ph[0] = (struct x_phdr){ X_PT_LOAD, 0x1000, IMG_VADDR, IMG_VADDR, 0x1000, 0x2000,
				     X_PF_R | X_PF_X, PAGE_SIZE };
	im->ph[1] = (struct x_phdr){ X_PT_NOTE, IMG_NOTES, 0, 0,
				     IMG_NR_NOTES * sizeof(struct x_note),
				     IMG_NR_NOTES * sizeof(struct x_note), X_PF_R, 4 };
	set_note(&im->note[0], 2, base);		/* XENO_ELFNOTE_VIRT_BASE */
	set_note(&im->note[1], 1, "hostile");		/* XENO_ELFNOTE_GUEST_OS */
	set_note(&im->note[2], 5, iface);		/* XENO_ELFNOTE_INTERFACE */
	img_buf[0x1000] = 0xeb;				/* jmp . */
	img_buf[0x1001] = 0xfe;
}

static struct xeno_dom0_physinfo pt_physinfo(void)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_PHYSINFO };

	if (dom0_op(&op))
		xtf_error("PHYSINFO failed");
	return op.u.physinfo;
}

void build_expect(const char *what, struct xeno_dom0_createdomain c, long want,
		  const char *reason)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_CREATEDOMAIN };
	struct xeno_dom0_physinfo p0 = pt_physinfo(), p1;
	uint32_t log = console_log_end();
	char rest[128];
	long rc;

	op.u.createdomain = c;
	rc = dom0_op(&op);
	if (rc == 0)
		EXPECT_EQ(domain_ctl(XENO_DOM0_DESTROYDOMAIN, op.u.createdomain.domid), 0);
	if (rc != want) {
		xtf_failure("%s: createdomain = %ld, expected %ld", what, rc, want);
	} else if (want && reason) {
		if (!console_log_find(log, ": cannot build: ", rest, sizeof(rest)))
			xtf_failure("%s: no 'cannot build' reason on the console", what);
		else if (!strstr(rest, reason))
			xtf_failure("%s: refused for '%s', expected '%s'", what, rest, reason);
		else
			printf("%s: %ld (%s)\n", what, rc, rest);
	} else {
		printf("%s: %ld%s\n", what, rc, want ? "" : " (built, destroyed)");
	}
	p1 = pt_physinfo();
	if (p1.free_pages != p0.free_pages || p1.hypervisor_pages != p0.hypervisor_pages ||
	    p1.nr_domains != p0.nr_domains || p1.mapcache_in_use)
		xtf_failure("%s: left behind: free %u -> %u, hypervisor %u -> %u, domains %u -> %u,"
			    " mapcache %u", what, p0.free_pages, p1.free_pages, p0.hypervisor_pages,
			    p1.hypervisor_pages, p0.nr_domains, p1.nr_domains, p1.mapcache_in_use);
}

void build_img(const char *what, const struct img *im, long want, const char *reason)
{
	struct xeno_dom0_createdomain c = { .kernel_va = (uint32_t)im->buf,
					    .kernel_len = im->len, .mem_kb = BUILD_KB };

	build_expect(what, c, want, reason);
}

/* ---- refusals, every way ---- */

static void expect_rc(const char *what, const char *how, long rc, long want)
{
	if (rc != want)
		xtf_failure("%s: %s = %ld, expected %ld", what, how, rc, want);
}

static void expect_entry_refused(const char *what, uint32_t *entry, uint32_t maddr,
				 uint32_t va, uint32_t val, long want)
{
	uint32_t old = *entry, ex;
	struct mc m = { .n = 0 };
	struct xeno_mmu_update u = { mmu_ptr(maddr, XENO_MMU_NORMAL_PT_UPDATE), val };

	if (va) {
		expect_rc(what, "update_va_mapping", update_va((void *)va, val, XENO_UVMF_INVLPG),
			  want);
		mc_add(&m, __HYPERVISOR_update_va_mapping, va, val, XENO_UVMF_INVLPG, 0);
	}
	expect_rc(what, "mmu_update", mmu_update1(u.ptr, u.val), want);
	mc_add(&m, __HYPERVISOR_mmu_update, (uint32_t)&u, 1, 0, XENO_DOMID_SELF);
	expect_rc(what, "multicall", mc_run(&m), m.n);
	for (unsigned int i = 0; i < m.n; i++)
		expect_rc(what, m.e[i].op == __HYPERVISOR_mmu_update ? "multicall: mmu_update"
			  : "multicall: update_va_mapping", m.e[i].result, want);
	wpt_assist(true);
	ex = wpt_store(entry, val);
	wpt_assist(false);
	if (ex != EXINFO(14, 3))
		xtf_failure("%s: the page-table assist: exinfo %08x, expected a #PF (%08x)", what,
			    ex, EXINFO(14, 3));
	if (*entry != old)
		xtf_failure("%s: the entry changed from %08x to %08x", what, old, *entry);
}

void expect_pte_refused(const char *what, uint32_t pte, long want)
{
	static uint32_t va;

	if (!va)
		va = spare_va();
	expect_entry_refused(what, pte_of(va), pte_maddr(va), va, pte, want);
	if (probe_write(va, 0x5a5a5a5a) || *(volatile uint32_t *)va != 0x5a5a5a5a)
		xtf_failure("%s: the spare page no longer works", what);
}

void expect_l2e_refused(const char *what, uint32_t l2e, long want)
{
	expect_entry_refused(what, &l2_table()[FREE_SLOT], l2e_maddr(cur_l2_mfn(), FREE_SLOT), 0,
			     l2e, want);
	if (probe_read(FREE_VA) != EXINFO(14, 0))
		xtf_failure("%s: something is mapped at %08x", what, FREE_VA);
}
