/* SPDX-License-Identifier: MIT */
/*
 * trap-softint: int n at vectors that are not the guest's (0x80 before any
 * handler, 0x82 from ring 3, the IRQ vectors 0x20-0x2F, NMI, double fault,
 * machine check) from ring 1 and ring 3, then with handlers of too low a DPL,
 * of DPL 3, and the direct int $0x80 gate.
 *
 * Rule (abi.md 2.1, 4.4): a #GP with error code (n << 3) | 2 in the guest, or
 * the guest's handler for n if its DPL admits the ring; int $0x82 from ring 3
 * is never a hypercall.
 * Why it matters: a guest that could raise the hypervisor's IRQ vectors would
 * run its interrupt handlers at will; a hypercall from ring 3 lets user code
 * act as the kernel.
 */
#include <seg.h>

const char test_title[] = "trap-softint: int n at vectors that belong to the hypervisor";

extern char trap_stubs[];
static volatile uint32_t got_vector, got_cs, got_eax;

static bool on_soft(struct gregs *r)
{
	got_vector = r->vector;
	got_cs = r->cs;
	got_eax = r->eax;
	return true;
}

/* int n for n from a table; exinfo, or 0x1000 | n if handler n ran. */
#define INT_FN(n)							\
	static uint32_t int_##n(uint32_t unused)			\
	{								\
		uint32_t ex = 0;					\
		(void)unused;						\
		asm volatile("1: int $" #n "\n2:\n" ASM_EXTABLE(1b, 2b)	\
			     : "+a"(ex) : : "memory");			\
		return ex;						\
	}
INT_FN(0x80) INT_FN(0x82) INT_FN(0x20) INT_FN(0x21) INT_FN(0x28) INT_FN(0x2f)
INT_FN(0x02) INT_FN(0x08) INT_FN(0x12) INT_FN(0x30) INT_FN(0xff)

/* int $0x82 with EAX = xeno_version: a hypercall would return 0x10000 in EAX. */
static uint32_t int82_version(uint32_t unused)
{
	uint32_t ex = __HYPERVISOR_xeno_version, b = XENO_VERSION_VERSION;

	(void)unused;
	asm volatile("1: int $0x82\n2:\n" ASM_EXTABLE(1b, 2b) : "+a"(ex), "+b"(b) : : "memory");
	return ex;
}

struct soft {
	uint32_t n;
	uint32_t (*fn)(uint32_t);
};
static const struct soft softs[] = {
	{ 0x80, int_0x80 }, { 0x82, int_0x82 }, { 0x20, int_0x20 }, { 0x21, int_0x21 },
	{ 0x28, int_0x28 }, { 0x2f, int_0x2f }, { 0x02, int_0x02 }, { 0x08, int_0x08 },
	{ 0x12, int_0x12 }, { 0x30, int_0x30 }, { 0xff, int_0xff } };

static uint32_t gp(uint32_t n)
{
	return EXINFO(13, n << 3 | 2);
}

static void expect_gp(const char *when)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(softs); i++) {
		uint32_t n = softs[i].n, r3 = run_in_ring3(softs[i].fn, 0);

		CHECK(r3 == gp(n), "%s: int $%#x from ring 3: exinfo %08x, expected #GP %#x", when,
		      n, r3, n << 3 | 2);
		if (n == 0x82)
			continue;	/* from ring 1 that is a hypercall */
		CHECK(softs[i].fn(0) == gp(n), "%s: int $%#x from ring 1: exinfo %08x", when, n,
		      softs[i].fn(0));
	}
}

static void attack(void)
{
	uint32_t cs1 = XENO_FLAT_RING1_CS;
	struct xeno_trap_info t[8];

	/* Nothing registered above 31: every one is a #GP. */
	expect_gp("no handlers");

	/*
	 * Handlers with DPL 1: ring 1 gets them, ring 3 still #GPs.  (Not for
	 * vector 8: an int $8 brings no error code, which the library's stub
	 * for the double fault expects.)
	 */
	for (unsigned int i = 0; i < ARRAY_SIZE(softs); i++) {
		uint32_t n = softs[i].n;

		if (n == 8)
			continue;
		t[0] = (struct xeno_trap_info){ (uint8_t)n, 1, cs1, (uint32_t)trap_stubs + n * 16 };
		t[1] = (struct xeno_trap_info){ 0, 0, 0, 0 };
		CHECK(HYPERCALL1(set_trap_table, t) == 0, "set_trap_table(%#x)", n);
		set_trap_hook(n, on_soft);
		CHECK(run_in_ring3(softs[i].fn, 0) == gp(n), "int $%#x reached a DPL-1 handler "
		      "from ring 3", n);
		if (n != 0x82) {
			got_vector = 0;
			CHECK(softs[i].fn(0) == 0 && got_vector == n,
			      "int $%#x from ring 1 with a DPL-1 handler: vector %#x", n, got_vector);
		}
	}
	/* DPL 3: ring 3 gets them; int $0x82 from ring 3 is the guest's, not a hypercall. */
	for (unsigned int i = 0; i < ARRAY_SIZE(softs); i++) {
		uint32_t n = softs[i].n;

		if (n == 8)
			continue;
		t[0] = (struct xeno_trap_info){ (uint8_t)n, XENO_TI_MASK_EVENTS | 3, cs1,
						(uint32_t)trap_stubs + n * 16 };
		CHECK(HYPERCALL1(set_trap_table, t) == 0, "set_trap_table(%#x)", n);
		got_vector = 0;
		CHECK(run_in_ring3(softs[i].fn, 0) == 0 && got_vector == n && (got_cs & 3) == 3,
		      "int $%#x from ring 3 with a DPL-3 handler: vector %#x cs %#x", n,
		      got_vector, got_cs);
	}
	got_vector = 0;
	{
		uint32_t eax = run_in_ring3(int82_version, 0);

		CHECK(got_vector == 0x82 && got_eax == __HYPERVISOR_xeno_version &&
		      eax == __HYPERVISOR_xeno_version, "int $0x82 from ring 3 with EAX = %u: "
		      "vector %#x, EAX %#x in the handler, %#x after", __HYPERVISOR_xeno_version,
		      got_vector, got_eax, eax);
	}
	/* The direct gate: DPL 3, events not masked; entered from ring 3 by the CPU. */
	t[0] = (struct xeno_trap_info){ 0x80, 3, cs1, (uint32_t)trap_stubs + 0x80 * 16 };
	CHECK(HYPERCALL1(set_trap_table, t) == 0, "set_trap_table(0x80, direct)");
	got_vector = 0;
	CHECK(run_in_ring3(int_0x80, 0) == 0 && got_vector == 0x80 && (got_cs & 0xffff) ==
	      XENO_FLAT_RING3_CS, "direct int $0x80: vector %#x cs %#x", got_vector, got_cs);
	/* Cleared: back to #GP everywhere (the library's 0-31 and 0x81 go back in). */
	CHECK(HYPERCALL1(set_trap_table, 0) == 0, "set_trap_table(0)");
	CHECK(HYPERCALL1(set_trap_table, default_traps) == 0, "set_trap_table(library)");
	for (unsigned int i = 0; i < ARRAY_SIZE(softs); i++)
		set_trap_hook(softs[i].n, NULL);
	expect_gp("handlers cleared");
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
