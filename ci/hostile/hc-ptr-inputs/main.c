/* SPDX-License-Identifier: MIT */
/*
 * hc-ptr-inputs: give every pointer-taking hypercall an argument it cannot
 * read: in the hypervisor, at the top of memory, unmapped, straddling
 * 0xFC000000 or an unmapped page (and SET_LDT, INVLPG and update_va_mapping
 * addresses in the hypervisor).
 *
 * Rule (abi.md 2.1, 6): -EFAULT (dom0_op from a domU: -EPERM first; addresses
 * a call maps rather than reads: -EINVAL), and nothing changes: no handler,
 * GDT, port, frame or mapping.
 * Why it matters: a hypercall reading through a guest pointer into the
 * hypervisor would leak or act on its memory; one faulting there unfixed would
 * panic the machine.
 */
#include <seg.h>

const char test_title[] = "hc-ptr-inputs: arguments the hypervisor cannot read";

static long reservation(void)
{
	uint32_t self = XENO_DOMID_SELF;

	return HYPERCALL2(memory_op, XENO_MEMOP_current_reservation, &self);
}

/* int $0x90 from ring 1: #GP unless a handler for 0x90 was installed. */
static uint32_t int90(void)
{
	uint32_t ex = 0;

	asm volatile("1: int $0x90\n2:\n" ASM_EXTABLE(1b, 2b) : "+a"(ex) : : "memory");
	return ex;
}

#define FOR_BAD(len, body)						\
	do {								\
		struct badptr _bad[BADPTR_MAX];				\
		unsigned int _n = bad_inputs(len, _bad);		\
		for (unsigned int _i = 0; _i < _n; _i++) {		\
			uint32_t p = _bad[_i].va;			\
			const char *what = _bad[_i].what;		\
			(void)what;					\
			body;						\
		}							\
	} while (0)

#define EXPECT_RC(call, want, what)					\
	do {								\
		long _rc = (call);					\
		CHECK(_rc == (want), "%s with %s: %ld, expected %ld", #call, what, _rc,	\
		      (long)(want));					\
	} while (0)

static void attack(void)
{
	static const uint32_t evt_sizes[] = { 8, 12, 8, 4, 4, 24, 4 };	/* by cmd */
	struct desc *gdt = dtab_page();
	uint32_t ports, pages, gdt_limit;
	struct xeno_memory_reservation r = { 0, 1, XENO_DOMID_SELF, 0 };
	void *spare = alloc_page();

	zoo_init();
	/* Something to lose: a GDT with a selector in use, our ports, our pages. */
	gdt[1] = mkdesc(0, 0xfff, T_DATA_RW, 1, BYTES32);
	CHECK(gdt_load(gdt, 2) == 0, "cannot install a GDT");
	gdt_limit = lsl(SEL(1, 1));
	ports = ports_in_use();
	pages = reservation();
	EXPECT_EQ(int90(), EXINFO(13, 0x90 << 3 | 2));

	FOR_BAD(8, EXPECT_RC(HYPERCALL1(set_trap_table, p), -XENO_EFAULT, what));
	FOR_BAD(8, EXPECT_RC(HYPERCALL4(mmu_update, p, 1, 0, XENO_DOMID_SELF), -XENO_EFAULT, what));
	FOR_BAD(4, EXPECT_RC(HYPERCALL2(set_gdt, p, 512), -XENO_EFAULT, what));
	FOR_BAD(56, EXPECT_RC(HYPERCALL2(set_gdt, p, 7168), -XENO_EFAULT, what));
	FOR_BAD(32, EXPECT_RC(HYPERCALL2(multicall, p, 1), -XENO_EFAULT, what));
	FOR_BAD(12, EXPECT_RC(HYPERCALL4(mmuext_op, p, 1, 0, XENO_DOMID_SELF), -XENO_EFAULT,
			      what));
	FOR_BAD(16, EXPECT_RC(HYPERCALL2(memory_op, XENO_MEMOP_increase_reservation, p),
			      -XENO_EFAULT, what));
	FOR_BAD(16, EXPECT_RC(HYPERCALL2(memory_op, XENO_MEMOP_decrease_reservation, p),
			      -XENO_EFAULT, what));
	FOR_BAD(4, EXPECT_RC(HYPERCALL2(memory_op, XENO_MEMOP_current_reservation, p),
			     -XENO_EFAULT, what));
	FOR_BAD(4, EXPECT_RC(HYPERCALL2(memory_op, XENO_MEMOP_maximum_reservation, p),
			     -XENO_EFAULT, what));
	FOR_BAD(8, EXPECT_RC(HYPERCALL2(memory_op, XENO_MEMOP_memory_map, p), -XENO_EFAULT, what));
	/* decrease_reservation reads the extent list: nothing freed. */
	FOR_BAD(4, ({ r.extent_start = p;
		      EXPECT_RC(HYPERCALL2(memory_op, XENO_MEMOP_decrease_reservation, &r),
				-XENO_EFAULT, what); }));
	for (uint32_t cmd = 0; cmd < ARRAY_SIZE(evt_sizes); cmd++)
		FOR_BAD(evt_sizes[cmd], EXPECT_RC(evtchn_op(cmd, (void *)p), -XENO_EFAULT, what));
	FOR_BAD(16, EXPECT_RC(HYPERCALL3(console_io, XENO_CONSOLEIO_WRITE, 16, p), -XENO_EFAULT,
			      what));
	/* Domain0's call: refused for a domU before the pointer is looked at. */
	FOR_BAD(128, EXPECT_RC(HYPERCALL1(dom0_op, p), -XENO_EPERM, what));

	/* Addresses a call maps (not reads): -EINVAL in the hypervisor, -EFAULT unmapped. */
	EXPECT_EQ(mmuext1(XENO_MMUEXT_SET_LDT, XENO_HYPERVISOR_VIRT_START, 1), -XENO_EINVAL);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_SET_LDT, 0xFFFFF000, 512), -XENO_EINVAL);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_SET_LDT, XENO_HYPERVISOR_VIRT_START - PAGE_SIZE, 1024),
		  -XENO_EINVAL);				/* reaches 0xFC000000 */
	EXPECT_EQ(mmuext1(XENO_MMUEXT_SET_LDT, 0x1000, 1), -XENO_EFAULT);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_SET_LDT, (uint32_t)zoo.hole, 1024), -XENO_EFAULT);
	EXPECT_EQ(mmuext1(XENO_MMUEXT_INVLPG_LOCAL, XENO_HYPERVISOR_VIRT_START, 0), -XENO_EINVAL);
	EXPECT_EQ(update_va((void *)XENO_HYPERVISOR_VIRT_START, 0, 0), -XENO_EINVAL);
	EXPECT_EQ(update_va((void *)0xFC500000, 0, XENO_UVMF_INVLPG), -XENO_EINVAL);
	EXPECT_EQ(update_va((void *)0xFFFFF000, 0, XENO_UVMF_TLB_FLUSH), -XENO_EINVAL);

	/* Nothing changed. */
	EXPECT_EQ(int90(), EXINFO(13, 0x90 << 3 | 2));
	EXPECT_EQ(lsl(SEL(1, 1)), gdt_limit);
	EXPECT_EQ(ports_in_use(), ports);
	EXPECT_EQ(reservation(), pages);
	CHECK(!zoo_changed(), "a zoo page changed: %s", zoo_changed());
	*(volatile uint32_t *)spare = 1;	/* still ours, still mapped */
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
