/* SPDX-License-Identifier: MIT */
/*
 * hc-ptr-batches: lists whose first elements are good and whose next one
 * straddles an unmapped page: a trap table without terminator, mmu_update,
 * mmuext_op and multicall batches, a set_gdt frame list, memory_op extent
 * lists.
 *
 * Rule (abi.md 6.0-6.2, 6.10, 6.11, 6.18): set_trap_table and set_gdt are all
 * or nothing (-EFAULT, old tables stay); batches stop there with -EFAULT and
 * *done = elements done; memory_op returns the count so far, freeing a frame
 * it could not report.
 * Why it matters: a half-read list must not install half a table, lose track
 * of a frame, or act on bytes that were never the guest's.
 */
#include <seg.h>

const char test_title[] = "hc-ptr-batches: lists that run into an unmapped page";

extern char trap_stubs[];

static long reservation(void)
{
	uint32_t self = XENO_DOMID_SELF;

	return HYPERCALL2(memory_op, XENO_MEMOP_current_reservation, &self);
}

static uint32_t int_n(uint32_t unused)
{
	uint32_t ex = 0;

	(void)unused;
	asm volatile("1: int $0x90\n2:\n" ASM_EXTABLE(1b, 2b) : "+a"(ex) : : "memory");
	return ex;
}

/* The last n bytes of the page before the hole. */
static void *at_hole(uint32_t n)
{
	return zoo.hole + PAGE_SIZE - n;
}

static void trap_table(void)
{
	struct xeno_trap_info *t = at_hole(3 * sizeof(*t));

	for (unsigned int i = 0; i < 3; i++)
		t[i] = (struct xeno_trap_info){ 0x90, 3, XENO_FLAT_RING1_CS,
						(uint32_t)trap_stubs + 0x90 * 16 };
	EXPECT_EQ(HYPERCALL1(set_trap_table, t), -XENO_EFAULT);
	EXPECT_EQ(int_n(0), EXINFO(13, 0x90 << 3 | 2));
	EXPECT_EQ(run_in_ring3(int_n, 0),
		  EXINFO(13, 0x90 << 3 | 2));
}

static void mmu_batches(void)
{
	struct xeno_mmu_update *u = at_hole(sizeof(*u) + 4);
	struct xeno_mmuext_op *o = at_hole(sizeof(*o) + 4);
	uint32_t done = 99, own = virt_to_mfn(zoo.rw);

	/* A harmless first request: our own frame's M2P entry, unchanged. */
	u[0] = (struct xeno_mmu_update){ mmu_ptr(own << PAGE_SHIFT, XENO_MMU_MACHPHYS_UPDATE),
					 m2p[own] };
	EXPECT_EQ(HYPERCALL4(mmu_update, u, 2, &done, XENO_DOMID_SELF), -XENO_EFAULT);
	EXPECT_EQ(done, 1);
	EXPECT_EQ(m2p[own], virt_to_pfn(zoo.rw));
	o[0] = (struct xeno_mmuext_op){ XENO_MMUEXT_TLB_FLUSH_LOCAL, 0, 0 };
	done = 99;
	EXPECT_EQ(HYPERCALL4(mmuext_op, o, 2, &done, XENO_DOMID_SELF), -XENO_EFAULT);
	EXPECT_EQ(done, 1);
}

static void multicall(void)
{
	struct xeno_multicall_entry *e = at_hole(sizeof(*e) + 16);

	e[0] = (struct xeno_multicall_entry){ __HYPERVISOR_xeno_version, -1,
					      { XENO_VERSION_VERSION, 0, 0, 0, 0, 0 } };
	EXPECT_EQ(HYPERCALL2(multicall, e, 2), -XENO_EFAULT);
	EXPECT_EQ(e[0].result, XENO_INTERFACE_VERSION);
}

static void gdt_frames(void)
{
	struct desc *a = dtab_page(), *b = dtab_page();
	uint32_t *frames = at_hole(4);

	a[1] = mkdesc(0, 0x1234, T_DATA_RW, 1, BYTES32);
	b[1] = mkdesc(0, 0x5678, T_DATA_RW, 1, BYTES32);
	CHECK(gdt_load(a, 2) == 0, "cannot install a GDT");
	CHECK(page_set_ro(b, true) == 0, "cannot make a page read-only");
	frames[0] = virt_to_mfn(b);
	EXPECT_EQ(HYPERCALL2(set_gdt, frames, 1024), -XENO_EFAULT);
	EXPECT_EQ(lsl(SEL(1, 1)), 0x1234);
	/* b took no descriptor-page type: it can still be mapped writable. */
	EXPECT_EQ(page_set_ro(b, false), 0);
	EXPECT_EQ(page_set_ro(a, false), -XENO_EBUSY);
	EXPECT_EQ(gdt_unload(a), 0);
}

static void extents(void)
{
	void *spare = alloc_page();
	uint32_t *list = at_hole(4);
	struct xeno_memory_reservation r = { (uint32_t)list, 2, XENO_DOMID_SELF, 0 };
	long before = reservation();

	/* decrease: the first frame goes, the list then runs out. */
	CHECK(update_va(spare, 0, XENO_UVMF_INVLPG) == 0, "cannot unmap a page");
	list[0] = virt_to_mfn(spare);
	EXPECT_EQ(HYPERCALL2(memory_op, XENO_MEMOP_decrease_reservation, &r), 1);
	EXPECT_EQ(reservation(), before - 1);
	EXPECT_EQ(m2p[list[0]], XENO_INVALID_PFN);		/* freed */
	/* increase: one frame reported, the second never allocated (or freed again). */
	list[0] = 0;
	EXPECT_EQ(HYPERCALL2(memory_op, XENO_MEMOP_increase_reservation, &r), 1);
	EXPECT_EQ(reservation(), before);
	CHECK(list[0] && m2p[list[0]] == XENO_INVALID_PFN, "increase reported frame %#x", list[0]);
}

static void attack(void)
{
	zoo_init();
	trap_table();
	mmu_batches();
	multicall();
	gdt_frames();
	extents();
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
