/* SPDX-License-Identifier: MIT */
/*
 * hc-ptr-outputs: give every hypercall that writes guest memory an output it
 * must not write: in the hypervisor, unmapped, straddling 0xFC000000 or an
 * unmapped page, read-only, straddling into a read-only page.
 *
 * Rule (abi.md 2.1, 6): -EFAULT and not a byte written, not even the writable
 * part (event_channel_op and multicall have done their work before the result
 * is written: 6.11, 6.13).
 * Why it matters: a write through a read-only mapping would let a guest change
 * its own page tables and descriptor pages; a write above 0xFC000000 would
 * corrupt the hypervisor.
 */
#include <seg.h>

const char test_title[] = "hc-ptr-outputs: output buffers the hypervisor must not write";

#define CHECK_ZOO(call, p)							\
	do {									\
		const char *_why = zoo_changed();				\
		CHECK(!_why, "%s at %s (%08x): %s", call, (p)->what, (p)->va, _why); \
		zoo_refill();							\
	} while (0)

static long reservation(void)
{
	uint32_t self = XENO_DOMID_SELF;

	return HYPERCALL2(memory_op, XENO_MEMOP_current_reservation, &self);
}

static void simple_outputs(void)
{
	struct badptr bad[BADPTR_MAX];
	unsigned int n;

	n = bad_outputs(16, bad);
	for (unsigned int i = 0; i < n; i++) {
		EXPECT_EQ(HYPERCALL2(xeno_version, XENO_VERSION_EXTRAVERSION, bad[i].va),
			  -XENO_EFAULT);
		CHECK_ZOO("xeno_version(EXTRAVERSION)", &bad[i]);
	}
	n = bad_outputs(64, bad);
	for (unsigned int i = 0; i < n; i++) {
		EXPECT_EQ(HYPERCALL2(xeno_version, XENO_VERSION_CAPABILITIES, bad[i].va),
			  -XENO_EFAULT);
		CHECK_ZOO("xeno_version(CAPABILITIES)", &bad[i]);
	}
	n = bad_outputs(4, bad);
	for (unsigned int i = 0; i < n; i++) {
		struct xeno_mmuext_op flush = { XENO_MMUEXT_TLB_FLUSH_LOCAL, 0, 0 };

		EXPECT_EQ(HYPERCALL4(mmu_update, NULL, 0, bad[i].va, XENO_DOMID_SELF), -XENO_EFAULT);
		CHECK_ZOO("mmu_update's done", &bad[i]);
		EXPECT_EQ(HYPERCALL4(mmuext_op, &flush, 1, bad[i].va, XENO_DOMID_SELF), -XENO_EFAULT);
		CHECK_ZOO("mmuext_op's done", &bad[i]);
	}
}

/* memory_op: one free slot in the reservation, then extents it cannot write. */
static void memory_outputs(void)
{
	void *spare = alloc_page();
	uint32_t mfn = virt_to_mfn(spare);
	struct xeno_memory_reservation r = { (uint32_t)&mfn, 1, XENO_DOMID_SELF, 0 };
	struct xeno_memory_map map = { 1, 0 };
	struct badptr bad[BADPTR_MAX];
	unsigned int n;
	long before;

	if (update_va(spare, 0, XENO_UVMF_INVLPG) ||
	    HYPERCALL2(memory_op, XENO_MEMOP_decrease_reservation, &r) != 1) {
		xtf_error("cannot free a frame for the reservation tests");
		return;
	}
	before = reservation();
	n = bad_outputs(4, bad);
	for (unsigned int i = 0; i < n; i++) {
		r.extent_start = bad[i].va;
		EXPECT_EQ(HYPERCALL2(memory_op, XENO_MEMOP_increase_reservation, &r), -XENO_EFAULT);
		CHECK_ZOO("increase_reservation's extents", &bad[i]);
		EXPECT_EQ(reservation(), before);
	}
	n = bad_outputs(sizeof(struct xeno_e820_entry), bad);
	for (unsigned int i = 0; i < n; i++) {
		map.buffer = bad[i].va;
		EXPECT_EQ(HYPERCALL2(memory_op, XENO_MEMOP_memory_map, &map), -XENO_EFAULT);
		CHECK_ZOO("memory_map's buffer", &bad[i]);
		EXPECT_EQ(map.nr_entries, 1);
	}
	/* The reservation works again with a good buffer. */
	r.extent_start = (uint32_t)&mfn;
	EXPECT_EQ(HYPERCALL2(memory_op, XENO_MEMOP_increase_reservation, &r), 1);
	EXPECT_EQ(reservation(), before + 1);
}

/*
 * event_channel_op reads its argument, does the op, then writes the result
 * back: an argument that is readable but not writable gets -EFAULT with the
 * op done (abi.md 6.13); one that cannot be read changes nothing.
 */
static void event_outputs(void)
{
	static const uint32_t sizes[] = { 8, 12, 8, 4, 4, 24, 4 };	/* by cmd */
	struct xeno_evtchn_bind_virq *v = (void *)zoo.ro;
	struct badptr bad[BADPTR_MAX];
	unsigned int used = ports_in_use();
	struct xeno_evtchn_bind_virq again = { 5, 0 };

	for (uint32_t cmd = 0; cmd < ARRAY_SIZE(sizes); cmd++) {
		unsigned int n = bad_inputs(sizes[cmd], bad);

		for (unsigned int i = 0; i < n; i++) {
			EXPECT_EQ(evtchn_op(cmd, (void *)bad[i].va), -XENO_EFAULT);
			CHECK_ZOO("event_channel_op", &bad[i]);
		}
	}
	EXPECT_EQ(ports_in_use(), used);
	/* Read-only: the zoo page reads 0xA5A5A5A5 as the VIRQ: refused before any write. */
	EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_bind_virq, v), -XENO_EINVAL);
	EXPECT_EQ(ports_in_use(), used);
	/* A read-only copy of a valid argument: done, then -EFAULT. */
	{
		struct xeno_evtchn_bind_virq *ro = alloc_page();

		ro->virq = 5;
		page_set_ro(ro, true);
		EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_bind_virq, ro), -XENO_EFAULT);
		EXPECT_EQ(ro->port, 0);
		EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_bind_virq, &again), -XENO_EEXIST);
		EXPECT_EQ(ports_in_use(), used + 1);
	}
}

/* multicall: the result slot of a read-only list cannot be written. */
static void multicall_outputs(void)
{
	struct xeno_multicall_entry *e = alloc_page();

	e[0] = (struct xeno_multicall_entry){ __HYPERVISOR_xeno_version, 0x5a5a, { 0 } };
	page_set_ro(e, true);
	EXPECT_EQ(HYPERCALL2(multicall, e, 1), -XENO_EFAULT);
	EXPECT_EQ(e[0].result, 0x5a5a);
}

static void attack(void)
{
	zoo_init();
	simple_outputs();
	memory_outputs();
	event_outputs();
	multicall_outputs();
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
