/* SPDX-License-Identifier: MIT */
/*
 * trap-table-bad: register trap handlers and callbacks with ring-0, ring-3,
 * TSS, LDT and null selectors, selectors above 0xFFFF, handler addresses in
 * the hypervisor and bad flags, for ordinary vectors, for 0x82 and for the int
 * $0x80 gate, one bad entry after good ones.
 *
 * Rule (abi.md 4.1, 6.0, 6.4): -EINVAL, and no entry of the table is
 * installed.
 * Why it matters: a handler entered with the hypervisor's code selector would
 * run guest code in ring 0; one at a hypervisor address would run hypervisor
 * code with guest registers.
 */
#include <seg.h>

const char test_title[] = "trap-table-bad: ring-0, ring-3 and hypervisor trap handlers";

extern char trap_stubs[], event_entry[], failsafe_entry[];

static const uint32_t bad_cs[] = {
	0, 1, 3, HYP_CS, HYP_CS | 1, HYP_CS | 3, HYP_DS | 1, HYP_TSS | 1, HYP_LDT | 1,
	HYP_DF_TSS | 1, XENO_FLAT_RING1_CS & ~3u, XENO_FLAT_RING1_CS | 2, XENO_FLAT_RING3_CS,
	(XENO_FLAT_RING3_CS & ~3u) | 1, XENO_FLAT_RING1_DS, XENO_FLAT_RING3_DS, 0xE001,
	0xE051, 0xEFF9, 0xFFF9, XENO_FLAT_RING1_CS | 0x10000, 0x8000E019, 0xFFFFE019,
	SEL(1, 0), SEL(1, 3), LDT_SEL(1, 0), LDT_SEL(1, 3) };
static const uint32_t bad_eip[] = { 0xFC000000, 0xFC3FFFF0, 0xFC400000, 0xFC500000,
				    0xFF000000, 0xFFFFFFFF };
static const uint8_t vectors[] = { 0, 3, 6, 13, 14, 0x20, 0x80, 0x82, 0x90, 0xff };

/* int $0x90: #GP unless someone installed a handler for it. */
static uint32_t int90(uint32_t unused)
{
	uint32_t ex = 0;

	(void)unused;
	asm volatile("1: int $0x90\n2:\n" ASM_EXTABLE(1b, 2b) : "+a"(ex) : : "memory");
	return ex;
}

static uint32_t int80(uint32_t unused)
{
	uint32_t ex = 0;

	(void)unused;
	asm volatile("1: int $0x80\n2:\n" ASM_EXTABLE(1b, 2b) : "+a"(ex) : : "memory");
	return ex;
}

static void check_unchanged(const char *what)
{
	uint32_t want90 = EXINFO(13, 0x90 << 3 | 2), want80 = EXINFO(13, 0x80 << 3 | 2);

	CHECK(int90(0) == want90 && run_in_ring3(int90, 0) == want90,
	      "%s: int $0x90 no longer takes #GP", what);
	CHECK(run_in_ring3(int80, 0) == want80, "%s: int $0x80 from ring 3 no longer takes #GP",
	      what);
}

static void attack(void)
{
	uint32_t good_eip = (uint32_t)trap_stubs + 0x90 * 16, cs1 = XENO_FLAT_RING1_CS;
	struct xeno_trap_info t[4];

	check_unchanged("at start");
	for (unsigned int v = 0; v < ARRAY_SIZE(vectors); v++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(bad_cs); i++) {
			t[0] = (struct xeno_trap_info){ 0x90, 3, cs1, good_eip };
			t[1] = (struct xeno_trap_info){ vectors[v], 3, (uint16_t)bad_cs[i], good_eip };
			t[2] = (struct xeno_trap_info){ 0, 0, 0, 0 };
			/* cs is 16 bits in the table: wider ones go through set_callbacks. */
			if (bad_cs[i] <= 0xffff) {
				CHECK(HYPERCALL1(set_trap_table, t) == -XENO_EINVAL,
				      "vector %#x with cs %#x accepted", vectors[v], bad_cs[i]);
				CHECK(HYPERCALL1(set_trap_table, &t[1]) == -XENO_EINVAL,
				      "vector %#x with cs %#x accepted", vectors[v], bad_cs[i]);
			}
		}
		for (unsigned int i = 0; i < ARRAY_SIZE(bad_eip); i++) {
			t[1] = (struct xeno_trap_info){ vectors[v], 3, cs1, bad_eip[i] };
			CHECK(HYPERCALL1(set_trap_table, t) == -XENO_EINVAL,
			      "vector %#x at %#x accepted", vectors[v], bad_eip[i]);
		}
		for (uint32_t f = 8; f < 256; f <<= 1) {
			t[1] = (struct xeno_trap_info){ vectors[v], (uint8_t)(f | 3), cs1, good_eip };
			CHECK(HYPERCALL1(set_trap_table, t) == -XENO_EINVAL,
			      "vector %#x with flags %#x accepted", vectors[v], f | 3);
		}
	}
	check_unchanged("after set_trap_table");

	for (unsigned int i = 0; i < ARRAY_SIZE(bad_cs); i++) {
		EXPECT_EQ(HYPERCALL4(set_callbacks, bad_cs[i], event_entry, cs1, failsafe_entry),
			  -XENO_EINVAL);
		EXPECT_EQ(HYPERCALL4(set_callbacks, cs1, event_entry, bad_cs[i], failsafe_entry),
			  -XENO_EINVAL);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_eip); i++) {
		EXPECT_EQ(HYPERCALL4(set_callbacks, cs1, bad_eip[i], cs1, failsafe_entry),
			  -XENO_EINVAL);
		EXPECT_EQ(HYPERCALL4(set_callbacks, cs1, event_entry, cs1, bad_eip[i]),
			  -XENO_EINVAL);
	}
	/* The old callbacks still work: an event arrives through event_entry. */
	{
		unsigned int before = trap_counts[VEC_EVENT];
		long p = evtchn_loopback(NULL);

		CHECK(p > 0, "loopback");
		local_irq_enable();
		port_op(XENO_EVTCHNOP_send, (uint32_t)p);
		local_irq_disable();
		CHECK(trap_counts[VEC_EVENT] == before + 1, "the event callback did not run");
	}
	check_unchanged("at the end");
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
