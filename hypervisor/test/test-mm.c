/* SPDX-License-Identifier: MIT */
/*
 * Page types and references (mm.c) and descriptor checks (desc.c), on a
 * fake machine of 128 frames.  Every rule the validator enforces is tried
 * both ways, and every refused update must leave all counts as they were.
 */
#include <desc.h>
#include <domain.h>
#include <errno.h>
#include <hypercall.h>
#include <mm.h>
#include <mm_types.h>
#include <string.h>

#include "harness.h"

#define NFRAMES 128
#define DOM	1
#define OTHER	2

/* ---- the fake machine ---- */
static uint32_t fake_mem[NFRAMES][1024] __attribute__((aligned(4096)));
static struct page_info fake_frames[NFRAMES];
struct page_info *frame_table = fake_frames;
mfn_t max_mfn = NFRAMES;
pde_t idle_pg_table[L2_ENTRIES];
pte_t perdomain_l1_idle[L1_ENTRIES];
uint8_t zero_page[PAGE_SIZE];
struct seg_desc hyp_gdt_page[512];
struct tss tss;
struct vcpu *current;
static int flushes;
static struct domain dom, other;

void *map_domain_page(mfn_t mfn) { return fake_mem[mfn]; }
void unmap_domain_page(const void *va) { (void)va; }
void flush_tlb_local(void) { flushes++; }
void flush_tlb_one(uint32_t va) { (void)va; }
void write_cr3_mfn(mfn_t mfn) { (void)mfn; }
mfn_t virt_to_mfn(const void *va) { (void)va; return 127; }
void m2p_set(mfn_t mfn, pfn_t pfn) { (void)mfn; (void)pfn; }
int copy_from_guest(void *dst, uint32_t src, uint32_t len) { memcpy(dst, (void *)src, len); return 0; }
int copy_to_guest(uint32_t dst, const void *src, uint32_t len) { memcpy((void *)dst, src, len); return 0; }

/* Continuations (hypercall.c): remember the last one asked for. */
uint32_t hypercall_work;
static struct { int calls; uint32_t nr, args[5]; } cont;
void hypercall_continue(uint32_t nr, const uint32_t args[5])
{
	cont.calls++;
	cont.nr = nr;
	memcpy(cont.args, args, sizeof(cont.args));
}

static void reset(void)
{
	memset(fake_mem, 0, sizeof(fake_mem));
	memset(fake_frames, 0, sizeof(fake_frames));
	for (int i = 0; i < NFRAMES; i++)
		fake_frames[i].owner = i >= 100 ? OTHER : DOM;
	memset(&dom, 0, sizeof(dom));
	dom.id = DOM;
	dom.vcpu.domain = &dom;
	dom.vcpu.cr3_mfn = INVALID_MFN;
	dom.max_pages = 100;
	other.id = OTHER;
	current = &dom.vcpu;
	for (unsigned int i = 1008; i < 1024; i++)
		idle_pg_table[i] = 0xabc00000 | i;
	flushes = 0;
	hypercall_work = 0;	/* as at the start of every hypercall */
}

static uint32_t tcount(mfn_t m) { return fake_frames[m].type_info & PGT_count_mask; }
static uint32_t ttype(mfn_t m) { return fake_frames[m].type_info & PGT_type_mask; }
static uint32_t refs(mfn_t m) { return fake_frames[m].count; }
#define PTE(mfn, f)	(((mfn) << 12) | (f))
#define RW	(_PAGE_PRESENT | _PAGE_RW)
#define RO	(_PAGE_PRESENT)

static void test_l1_validation(void)
{
	reset();
	fake_mem[10][0] = PTE(20, RW);
	fake_mem[10][1] = PTE(21, RO);
	fake_mem[10][2] = PTE(21, RO | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY | 0xe00);
	CHECK_EQ(get_page_and_type(10, PGT_l1, &dom), 0, "valid L1");
	CHECK_EQ(ttype(10), PGT_l1, "typed L1");
	CHECK_EQ(refs(20), 1, "RW target referenced");
	CHECK_EQ(ttype(20), PGT_writable, "RW target typed writable");
	CHECK_EQ(refs(21), 2, "RO target referenced twice");
	CHECK_EQ(tcount(21), 0, "RO target untyped");
	put_page_and_type(10);
	CHECK_EQ(refs(20) + refs(21) + tcount(20) + refs(10), 0, "all dropped on last put");

	static const struct { pte_t e; int rc; const char *what; } bad[] = {
		{ PTE(100, RO), -EPERM, "another domain's frame" },
		{ PTE(500, RO), -EPERM, "frame beyond RAM" },
		{ PTE(20, RO | _PAGE_GLOBAL), -EINVAL, "global bit" },
		{ PTE(20, RO | _PAGE_PAT), -EINVAL, "PAT bit" },
		{ PTE(10, RW), -EBUSY, "writable mapping of itself" },
	};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reset();
		fake_mem[10][0] = PTE(20, RW);
		fake_mem[10][5] = bad[i].e;
		CHECK_EQ(get_page_and_type(10, PGT_l1, &dom), bad[i].rc, bad[i].what);
		CHECK_EQ(refs(20) + tcount(20) + refs(10) + tcount(10), 0, "no reference leaked");
	}
	reset();
	fake_mem[10][7] = PTE(10, RO);
	CHECK_EQ(get_page_and_type(10, PGT_l1, &dom), 0, "read-only self mapping is fine");
}

static void test_l2_validation(void)
{
	reset();
	fake_mem[11][0] = PTE(10, RW | _PAGE_USER);
	fake_mem[10][0] = PTE(20, RW);
	fake_mem[11][1010] = 0x12345678;	/* guest junk in a hypervisor slot */
	CHECK_EQ(get_page_and_type(11, PGT_l2, &dom), 0, "valid L2");
	CHECK_EQ(ttype(10), PGT_l1, "L1 typed through the L2");
	CHECK_EQ(fake_mem[11][1010], 0xabc00000 | 1010, "hypervisor slot overwritten");
	CHECK_EQ(fake_mem[11][L2_INDEX(PERDOMAIN_VIRT_START)] >> 12, 127, "per-domain slot");
	put_page_and_type(11);
	CHECK_EQ(refs(10) + tcount(10) + refs(20), 0, "cascade on release");

	static const struct { pde_t e; int rc; const char *what; } bad[] = {
		{ PTE(10, RW | _PAGE_PSE), -EINVAL, "superpage" },
		{ PTE(10, RW | _PAGE_GLOBAL), -EINVAL, "global bit in L2" },
		{ PTE(11, RW), -EBUSY, "recursive L2 (itself as an L1)" },
		{ PTE(11, RO), -EBUSY, "read-only recursive L2" },
		{ PTE(100, RW), -EPERM, "foreign L1" },
	};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reset();
		fake_mem[11][0] = PTE(12, RW);
		fake_mem[11][3] = bad[i].e;
		CHECK_EQ(get_page_and_type(11, PGT_l2, &dom), bad[i].rc, bad[i].what);
		CHECK_EQ(refs(12) + tcount(12) + refs(11) + tcount(11), 0, "no reference leaked");
	}

	/* Type confusion: an L2 used as an L1 and back. */
	reset();
	fake_mem[11][0] = PTE(12, RW);
	CHECK_EQ(get_page_and_type(11, PGT_l2, &dom), 0, "L2");
	CHECK_EQ(get_page_and_type(12, PGT_l2, &dom), -EBUSY, "its L1 as an L2");
	CHECK_EQ(get_page_and_type(11, PGT_l1, &dom), -EBUSY, "the L2 as an L1");
}

static void test_updates(void)
{
	reset();
	fake_mem[10][0] = PTE(20, RW);
	CHECK_EQ(get_page_and_type(10, PGT_l1, &dom), 0, "L1");
	CHECK_EQ(mm_update_entry(&dom, 10, 0, PTE(22, RW)), 0, "retarget RW");
	CHECK_EQ(refs(20) + tcount(20), 0, "old target dropped");
	CHECK_EQ(refs(22), 1, "new target taken");
	CHECK_EQ(fake_mem[10][0], PTE(22, RW), "entry written");
	CHECK_EQ(mm_update_entry(&dom, 10, 1, PTE(10, RW)), -EBUSY, "writable self via update");
	CHECK_EQ(mm_update_entry(&dom, 10, 1, PTE(100, RO)), -EPERM, "foreign via update");
	CHECK_EQ(fake_mem[10][1], 0, "refused update not written");
	CHECK_EQ(mm_update_entry(&dom, 10, 0, PTE(22, RO)), 0, "RW -> RO same frame");
	CHECK_EQ(tcount(22), 0, "writable type dropped");
	CHECK_EQ(refs(22), 1, "general reference kept");
	CHECK_EQ(mm_update_entry(&dom, 10, 0, 0), 0, "clear");
	CHECK_EQ(refs(22), 0, "cleared entry dropped its reference");
	CHECK_EQ(mm_update_entry(&dom, 30, 0, 0), -EINVAL, "update of a non-table");

	reset();
	fake_mem[11][0] = PTE(10, RW);
	CHECK_EQ(get_page_and_type(11, PGT_l2, &dom), 0, "L2");
	CHECK_EQ(mm_update_entry(&dom, 11, 1008, PTE(12, RW)), -EPERM, "hypervisor slot 1008");
	CHECK_EQ(mm_update_entry(&dom, 11, 1023, 0), -EPERM, "hypervisor slot 1023");
	CHECK_EQ(mm_update_entry(&dom, 11, 1007, PTE(12, RW)), 0, "last guest slot");
	CHECK_EQ(ttype(12), PGT_l1, "new L1 validated");
	CHECK_EQ(mm_update_entry(&dom, 11, 5, PTE(11, RW)), -EBUSY, "recursive via update");
}

static void test_writable_vs_table(void)
{
	reset();
	/* Frame 30 mapped writable by L1 10: it cannot become a table. */
	fake_mem[10][0] = PTE(30, RW);
	CHECK_EQ(get_page_and_type(10, PGT_l1, &dom), 0, "L1");
	CHECK_EQ(get_page_and_type(30, PGT_l1, &dom), -EBUSY, "writably mapped frame as L1");
	CHECK_EQ(get_page_and_type(30, PGT_seg_desc, &dom), -EBUSY, "writably mapped as GDT");
	/* Drop the writable mapping: now it may, after a TLB flush. */
	CHECK_EQ(mm_update_entry(&dom, 10, 0, PTE(30, RO)), 0, "make it read-only");
	flushes = 0;
	CHECK_EQ(get_page_and_type(30, PGT_l1, &dom), 0, "now an L1");
	CHECK(flushes == 1, "stale writable TLB entries flushed (%d flushes)", flushes);
	/* And a table can't be mapped writable while it is one. */
	CHECK_EQ(mm_update_entry(&dom, 10, 1, PTE(30, RW)), -EBUSY, "table mapped writable");
	put_page_and_type(30);
	flushes = 0;
	CHECK_EQ(mm_update_entry(&dom, 10, 1, PTE(30, RW)), 0, "after release it may be");
	CHECK(flushes == 1, "an ex-table becoming writable flushes cached walks (%d)", flushes);
	flushes = 0;
	CHECK_EQ(mm_update_entry(&dom, 10, 2, PTE(30, RW)), 0, "a second writable mapping");
	CHECK(flushes == 0, "no flush for more of the same type (%d)", flushes);
}

static struct xeno_mmuext_op ext_op;
static uint32_t done;

static long ext(uint32_t cmd, uint32_t arg)
{
	ext_op = (struct xeno_mmuext_op){ cmd, arg, 0 };
	return do_mmuext_op((uint32_t)&ext_op, 1, (uint32_t)&done, XENO_DOMID_SELF);
}

static void test_pinning(void)
{
	reset();
	CHECK_EQ(ext(XENO_MMUEXT_PIN_L1_TABLE, 10), 0, "pin L1");
	CHECK(fake_frames[10].type_info & PGT_pinned, "pinned flag");
	CHECK_EQ(ext(XENO_MMUEXT_PIN_L1_TABLE, 10), -EBUSY, "pin twice");
	CHECK_EQ(ext(XENO_MMUEXT_PIN_L2_TABLE, 10), -EBUSY, "pin L1 as L2");
	CHECK_EQ(ext(XENO_MMUEXT_UNPIN_TABLE, 10), 0, "unpin");
	CHECK_EQ(ext(XENO_MMUEXT_UNPIN_TABLE, 10), -EINVAL, "unpin again");
	CHECK_EQ(ext(XENO_MMUEXT_UNPIN_TABLE, 100), -EPERM, "unpin a foreign frame");
	CHECK_EQ(ext(XENO_MMUEXT_PIN_L1_TABLE, 100), -EPERM, "pin a foreign frame");
	CHECK_EQ(refs(10) + tcount(10), 0, "nothing left");

	/* An L1 in use by a pinned L2 cannot lose its type by unpinning it. */
	fake_mem[11][0] = PTE(10, RW);
	CHECK_EQ(ext(XENO_MMUEXT_PIN_L1_TABLE, 10), 0, "pin L1");
	CHECK_EQ(ext(XENO_MMUEXT_PIN_L2_TABLE, 11), 0, "pin L2 using it");
	CHECK_EQ(ext(XENO_MMUEXT_UNPIN_TABLE, 10), 0, "unpin the L1");
	CHECK_EQ(ttype(10), PGT_l1, "still an L1 (the L2 holds it)");
	CHECK_EQ(mm_update_entry(&dom, 11, 1, PTE(10, RO)), 0, "second L2 entry to it");
	CHECK_EQ(tcount(10), 2, "two type references");

	/* New base pointer holds a type reference while in CR3. */
	CHECK_EQ(ext(XENO_MMUEXT_NEW_BASEPTR, 11), 0, "new baseptr");
	CHECK_EQ(dom.vcpu.cr3_mfn, 11, "cr3 recorded");
	CHECK_EQ(tcount(11), 2, "pin + CR3");
	CHECK_EQ(ext(XENO_MMUEXT_UNPIN_TABLE, 11), 0, "unpin the live L2");
	CHECK_EQ(ttype(11), PGT_l2, "live L2 keeps its type");
	CHECK_EQ(ext(XENO_MMUEXT_NEW_BASEPTR, 12), 0, "switch to a fresh (empty) L2");
	CHECK_EQ(refs(11) + tcount(11) + refs(10) + tcount(10), 0, "old tables released");
	CHECK_EQ(ext(XENO_MMUEXT_NEW_BASEPTR, 100), -EPERM, "foreign baseptr");
	CHECK_EQ(ext(XENO_MMUEXT_INVLPG_LOCAL, 0xfc000000), -EINVAL, "invlpg hypervisor");
	CHECK_EQ(ext(99, 0), -ENOSYS, "unknown command");
}

static void test_mmu_update_batch(void)
{
	struct xeno_mmu_update req[3];

	reset();
	CHECK_EQ(ext(XENO_MMUEXT_PIN_L1_TABLE, 10), 0, "pin");
	req[0] = (struct xeno_mmu_update){ (10 << 12) + 0, PTE(20, RW) };
	req[1] = (struct xeno_mmu_update){ (10 << 12) + 4, PTE(10, RW) };	/* refused */
	req[2] = (struct xeno_mmu_update){ (10 << 12) + 8, PTE(21, RW) };
	CHECK_EQ(do_mmu_update((uint32_t)req, 3, (uint32_t)&done, XENO_DOMID_SELF), -EBUSY,
		 "batch stops at the bad entry");
	CHECK_EQ(done, 1, "one done");
	CHECK_EQ(fake_mem[10][0], PTE(20, RW), "first applied");
	CHECK_EQ(fake_mem[10][2], 0, "third not applied");
	req[0] = (struct xeno_mmu_update){ (20 << 12) | XENO_MMU_MACHPHYS_UPDATE, 5 };
	CHECK_EQ(do_mmu_update((uint32_t)req, 1, 0, XENO_DOMID_SELF), 0, "M2P update");
	req[0] = (struct xeno_mmu_update){ (100 << 12) | XENO_MMU_MACHPHYS_UPDATE, 5 };
	CHECK_EQ(do_mmu_update((uint32_t)req, 1, 0, XENO_DOMID_SELF), -EPERM, "foreign M2P");
	req[0] = (struct xeno_mmu_update){ (20 << 12) | XENO_MMU_MACHPHYS_UPDATE, 5000 };
	CHECK_EQ(do_mmu_update((uint32_t)req, 1, 0, XENO_DOMID_SELF), -EINVAL, "pfn too big");
	req[0] = (struct xeno_mmu_update){ (10 << 12) | 3, 0 };
	CHECK_EQ(do_mmu_update((uint32_t)req, 1, 0, XENO_DOMID_SELF), -EINVAL, "bad command");
	CHECK_EQ(do_mmu_update((uint32_t)req, 1, 0, OTHER), -EPERM, "foreign domain");
	CHECK_EQ(do_mmu_update((uint32_t)req, 5000, 0, XENO_DOMID_SELF), -E2BIG, "huge count");
}

static void test_teardown(void)
{
	reset();
	fake_mem[11][0] = PTE(10, RW);
	fake_mem[10][0] = PTE(20, RW);
	fake_mem[10][1] = PTE(11, RO);
	CHECK_EQ(ext(XENO_MMUEXT_PIN_L2_TABLE, 11), 0, "pin L2");
	CHECK_EQ(ext(XENO_MMUEXT_NEW_BASEPTR, 11), 0, "use it");
	CHECK_EQ(ext(XENO_MMUEXT_PIN_L1_TABLE, 30), 0, "another pinned L1");
	mm_teardown(&dom);
	for (int i = 0; i < NFRAMES; i++)
		if (refs(i) || tcount(i))
			CHECK(0, "frame %d: count %u type count %u after teardown", i, refs(i), tcount(i));
	CHECK(1, "teardown");
}

/* check_descriptor: one row per rule. */
static void test_descriptors(void)
{
	static const struct {
		uint32_t lo, hi;
		int rc;
		uint32_t want_lo, want_hi;
		const char *what;
	} cases[] = {
		/* flat 4 GiB ring-1 code: limit cut to the ceiling, accessed set */
		{ 0x0000ffff, 0x00cfba00, 0, 0x0000c3ff, 0x00cfbb00, "flat DPL1 code" },
		{ 0x0000ffff, 0x00cff200, 0, 0x0000c3ff, 0x00cff300, "flat DPL3 data" },
		{ 0x0000ffff, 0x00cf9a00, -EINVAL, 0, 0, "DPL 0 code" },
		{ 0x0000ffff, 0x00cf9200, -EINVAL, 0, 0, "DPL 0 data" },
		{ 0x00000067, 0x0000a900, -EINVAL, 0, 0, "TSS" },
		{ 0x0000ffff, 0x0000a200, -EINVAL, 0, 0, "LDT descriptor" },
		{ 0x00081000, 0x0000ec00, -EINVAL, 0, 0, "call gate, DPL 3" },
		{ 0x00081000, 0x0000e500, -EINVAL, 0, 0, "task gate" },
		{ 0x0000ffff, 0x00cfb600, -EINVAL, 0, 0, "expand-down from base 0" },
		/* expand-down at base 0xB7000000, limit 0: raised to exclude offsets that
		 * wrap past 4 GiB into the hypervisor: limit 0x48FFF pages */
		{ 0x00000000, 0xb7c0b600, 0, 0x00008fff, 0xb7c4b700, "expand-down TLS-style" },
		{ 0x0000ffff, 0xb7cfb600, 0, 0x0000ffff, 0xb7cfb700, "expand-down, already safe" },
		{ 0x00000000, 0xfc40b600, 0, 0x00003fff, 0xfcc0b700, "expand-down at the hypervisor base" },
		{ 0x80000000, 0xfc00b63f, -EINVAL, 0, 0, "16-bit expand-down over the ceiling" },
		{ 0x00000000, 0xfc30b600, 0, 0, 0xfc30b700, "16-bit expand-down below it" },
		{ 0x0000ffff, 0xfccfb240, -EINVAL, 0, 0, "base at the ceiling" },
		{ 0x0000ffff, 0xffcfb2ff, -EINVAL, 0, 0, "base at the top" },
		{ 0x0000ffff, 0x00cf3a00, 0, 0x0000ffff, 0x00cf3a00, "not present: untouched" },
		{ 0x0000ffff, 0x0040b300, 0, 0x0000ffff, 0x0040b300, "small segment unchanged" },
		/* base 0xFC3FF800, 4 KiB granular: only 2 KiB fit, so byte granular */
		{ 0xf8000000, 0xfc8fb33f, 0, 0xf80007ff, 0xfc00b33f, "2 KiB below the ceiling" },
		/* base 0x00400000 limit 0xFFFFF pages -> ceiling */
		{ 0x0000ffff, 0x00cfbb40, 0, 0x0000bfff, 0x00cfbb40, "base 4 MiB, flat" },
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct seg_desc d = { cases[i].lo, cases[i].hi };
		int rc = check_descriptor(&d);

		CHECK_EQ(rc, cases[i].rc, cases[i].what);
		if (rc != 0 || cases[i].rc != 0)
			continue;
		CHECK(d.lo == cases[i].want_lo && d.hi == cases[i].want_hi,
		      "%s: got %08x:%08x want %08x:%08x", cases[i].what, d.hi, d.lo,
		      cases[i].want_hi, cases[i].want_lo);
		if ((d.hi & DESC_P) && !(d.hi & (SEG_DATA_EXPAND_DOWN << DESC_TYPE_SHIFT))) {
			CHECK((uint64_t)desc_base(&d) + (((d.hi & DESC_G) ?
			      ((uint64_t)desc_limit_field(&d) << 12) | 0xfff : desc_limit_field(&d)))
			      < XENO_GUEST_SEGMENT_END, "%s: reaches the hypervisor", cases[i].what);
		}
	}
}

/*
 * Descriptor frames: every check is counted work; a frame is checked when it
 * becomes a descriptor frame and not again when it is loaded again, until a
 * writable mapping has given it another type.
 */
static void test_descriptor_frames(void)
{
	const uint32_t flat_lo = 0x0000ffff, flat_hi = 0x00cff200;	/* DPL3 data, 4 GiB */
	const uint32_t per_page = PAGE_SIZE / sizeof(struct seg_desc);
	struct seg_desc *page = (struct seg_desc *)fake_mem[40];

	reset();
	for (unsigned int i = 0; i < per_page; i++)
		page[i] = (struct seg_desc){ flat_lo, flat_hi };
	CHECK_EQ(check_seg_desc_frame(40, &dom), 0, "pre-check");
	CHECK_EQ(hypercall_work, per_page, "the pre-check counts one unit a descriptor");
	CHECK_EQ(page[7].lo, flat_lo, "the pre-check changes nothing");
	CHECK_EQ(get_page_and_type(40, PGT_seg_desc, &dom), 0, "typed");
	CHECK_EQ(hypercall_work, 3 * per_page, "validation counts its check and its fix-up");
	CHECK_EQ(page[7].lo, 0x0000c3ff, "limit cut");
	put_page_and_type(40);
	CHECK_EQ(tcount(40), 0, "out of use");
	CHECK(fake_frames[40].type_info & PGT_validated, "still validated out of use");
	hypercall_work = 0;
	CHECK_EQ(check_seg_desc_frame(40, &dom), 0, "pre-check again");
	CHECK_EQ(get_page_and_type(40, PGT_seg_desc, &dom), 0, "typed again");
	CHECK_EQ(hypercall_work, 0, "loading it again checks nothing");
	CHECK_EQ(do_update_descriptor(40 << 12 | 8, flat_lo, flat_hi), 0, "update in use");
	CHECK_EQ(hypercall_work, 1, "an update counts its one descriptor");
	put_page_and_type(40);
	CHECK_EQ(do_update_descriptor(40 << 12 | 8, flat_lo, flat_hi), -EINVAL,
		 "no update while out of use, validated or not");

	/* A writable mapping ends the validation: the guest may write anything. */
	CHECK_EQ(get_page_and_type(10, PGT_l1, &dom), 0, "an L1");
	CHECK_EQ(mm_update_entry(&dom, 10, 0, PTE(40, RW)), 0, "map it writable");
	CHECK_EQ(ttype(40), PGT_writable, "writable now");
	page[9] = (struct seg_desc){ 0x0000ffff, 0x00cf9a00 };	/* DPL 0 code */
	CHECK_EQ(mm_update_entry(&dom, 10, 0, 0), 0, "unmap it");
	hypercall_work = 0;
	CHECK_EQ(check_seg_desc_frame(40, &dom), -EINVAL, "checked again, and refused");
	CHECK_EQ(get_page_and_type(40, PGT_seg_desc, &dom), -EINVAL, "not a descriptor frame");
	CHECK(hypercall_work > 0, "the checks were counted");
	page[9] = (struct seg_desc){ flat_lo, flat_hi };
	CHECK_EQ(get_page_and_type(40, PGT_seg_desc, &dom), 0, "good again");
	put_page_and_type(40);
	put_page_and_type(10);
}

/* A batch that validates many tables stops when its budget is spent and
 * continues with exactly the rest; malformed continued counts are refused. */
static void test_preemption(void)
{
	struct xeno_mmuext_op ops[40];
	uint32_t per_op = L1_ENTRIES + 16, fit = (HYPERCALL_WORK_BUDGET + per_op - 1) / per_op;

	reset();
	memset(&cont, 0, sizeof(cont));
	for (unsigned int i = 0; i < 40; i++)
		ops[i] = (struct xeno_mmuext_op){ XENO_MMUEXT_PIN_L1_TABLE, 10 + i, 0 };
	done = 999;
	hypercall_work = 0;
	CHECK_EQ(do_mmuext_op((uint32_t)ops, 40, (uint32_t)&done, XENO_DOMID_SELF), 0, "preempted");
	CHECK_EQ(cont.calls, 1, "one continuation");
	CHECK_EQ(cont.nr, __HYPERVISOR_mmuext_op, "of mmuext_op");
	CHECK_EQ(cont.args[0], (uint32_t)&ops[fit], "resumes at the first op not done");
	CHECK_EQ(cont.args[1], XENO_BATCH_CONTINUED | fit << 16 | (40 - fit), "count: done, left");
	CHECK_EQ(cont.args[2], (uint32_t)&done, "same done pointer");
	CHECK_EQ(cont.args[3], XENO_DOMID_SELF, "same foreign");
	CHECK_EQ(done, 999, "done not written yet");
	CHECK_EQ(tcount(10 + fit - 1), 1, "the last op before the stop ran");
	CHECK_EQ(tcount(10 + fit), 0, "the op after it did not");
	while (cont.args[1] & XENO_BATCH_CONTINUED) {
		uint32_t a[5];

		memcpy(a, cont.args, sizeof(a));
		cont.args[1] = 0;
		hypercall_work = 0;
		CHECK_EQ(do_mmuext_op(a[0], a[1], a[2], a[3]), 0, "continued");
	}
	CHECK_EQ(done, 40, "done counts the whole call");
	for (unsigned int i = 0; i < 40; i++)
		CHECK_EQ(tcount(10 + i), 1, "every table pinned once");
	CHECK_EQ(do_mmuext_op((uint32_t)ops, XENO_BATCH_CONTINUED, 0, XENO_DOMID_SELF), -E2BIG,
		 "continued with nothing left");
	CHECK_EQ(do_mmuext_op((uint32_t)ops, XENO_BATCH_CONTINUED | 4096 << 16 | 1, 0,
			      XENO_DOMID_SELF), -E2BIG, "continued past the batch limit");
	CHECK_EQ(do_mmu_update((uint32_t)ops, 0xffffffff, 0, XENO_DOMID_SELF), -E2BIG,
		 "all ones");
}

int main(void)
{
	test_l1_validation();
	test_l2_validation();
	test_updates();
	test_writable_vs_table();
	test_pinning();
	test_mmu_update_batch();
	test_preemption();
	test_teardown();
	test_descriptors();
	test_descriptor_frames();
	return test_report("mm");
}
