/* SPDX-License-Identifier: MIT */
/*
 * softint: software interrupts ("int n", int3, into) honour the DPL the
 * guest gave each vector in its trap table.
 *
 * The hypervisor owns the IDT, so every gate but int3/into and the hypercall
 * gate is DPL 0: a guest's "int n" arrives as #GP(n << 3 | 2) and the
 * hypervisor must emulate it exactly as the guest's virtual IDT says.  A
 * vector registered with DPL d may be raised from rings <= d and arrives as
 * vector n, with EIP after the instruction and no error code; from an outer
 * ring (or unregistered) the guest sees the #GP the CPU would raise.  This is
 * what keeps user space from calling kernel-only vectors, e.g. a fake page
 * fault, or a system-call entry the kernel did not open.  The vectors of the
 * PIC's interrupts (0x20-0x2f) and of the hypercall gate must not be
 * reachable as anything but the guest's own vectors or a #GP.  int3 and
 * into use real DPL-3 gates and always arrive (docs/abi.md 4.2).
 */
#include <guest.h>

const char test_title[] = "softint: int n / int3 / into against the virtual IDT's DPL";

#define GP_SOFTINT(n)	(((n) << 3) | 2)	/* #GP error code of a refused "int n" */

extern char trap_stubs[];

static volatile uint32_t hits, last_vector, last_eip, last_ecx, last_ec, last_cs;

static bool record(struct gregs *r)
{
	last_vector = r->vector;
	last_eip = r->eip;
	last_ecx = r->ecx;
	last_ec = r->error_code;
	last_cs = r->cs;
	hits++;
	/* Emulated software interrupts return after the int; #GP is fixed up. */
	return r->vector >= 32;
}

/* ECX = the address of the instruction at label 1 (see traps/main.c). */
#define SNIPPET(name, setup, insn)						\
	static uint32_t name(uint32_t arg)					\
	{									\
		uint32_t ex = 0;						\
		asm volatile(setup "lea 1f, %%ecx\n1: " insn "\n2:\n"		\
			     ASM_EXTABLE(1b, 2b) ASM_EXTABLE(2b, 2b)		\
			     : "+a"(ex), "+D"(arg) : : "ebx", "ecx", "edx", "esi",	\
			     "memory", "cc");					\
		return ex;							\
	}

SNIPPET(sn_int40, "", "int $0x40")
SNIPPET(sn_int41, "", "int $0x41")
SNIPPET(sn_int42, "", "int $0x42")
SNIPPET(sn_int43, "", "int $0x43")
SNIPPET(sn_int20, "", "int $0x20")
SNIPPET(sn_int3, "", "int3")
SNIPPET(sn_int_3, "", ".byte 0xcd, 0x03	/* int $3 (gas would emit int3) */")
SNIPPET(sn_into, "mov $0x7fffffff, %%ebx\n\tadd %%ebx, %%ebx\n\t", "into")
SNIPPET(sn_int82, "mov $15, %%eax\n\txor %%ebx, %%ebx\n\t", "int $0x82")

static void set_vector(uint8_t vector, uint8_t dpl)
{
	struct xeno_trap_info t[2] = {
		{ vector, (uint8_t)(XENO_TI_MASK_EVENTS | dpl), XENO_FLAT_RING1_CS,
		  (uint32_t)trap_stubs + vector * 16 },
		{ 0, 0, 0, 0 } };

	if (HYPERCALL1(set_trap_table, t))
		xtf_error("set_trap_table for vector %#x", vector);
}

/*
 * Run fn in 'ring'; it must arrive as 'vector' (an emulated software
 * interrupt, EIP after the 'len'-byte instruction) or, when vector is 13,
 * as #GP with 'ec' at the instruction.
 */
static void expect(const char *what, uint32_t (*fn)(uint32_t), unsigned int ring,
		   unsigned int vector, uint32_t ec, unsigned int len)
{
	uint32_t want_cs = ring == 3 ? XENO_FLAT_RING3_CS : XENO_FLAT_RING1_CS;

	hits = 0;
	last_vector = ~0u;
	if (ring == 3)
		run_in_ring3(fn, 0);
	else
		fn(0);
	if (hits != 1 || last_vector != vector) {
		xtf_failure("%s from ring %u: %u bounces, vector %d; expected vector %u%s", what,
			    ring, hits, (int)last_vector, vector,
			    vector == 13 ? " (#GP: not allowed from this ring)" : "");
		return;
	}
	if (vector == 13 && last_ec != ec)
		xtf_failure("%s from ring %u: #GP error code %#x, expected %#x", what, ring,
			    last_ec, ec);
	if (last_eip != last_ecx + (vector == 13 ? 0 : len))
		xtf_failure("%s from ring %u: EIP %08x, expected %08x", what, ring, last_eip,
			    last_ecx + (vector == 13 ? 0 : len));
	if ((last_cs & 0xffff) != want_cs)
		xtf_failure("%s from ring %u: CS %04x", what, ring, last_cs & 0xffff);
}

void test_main(void)
{
	static const unsigned int vectors[] = { 3, 4, 13, 0x20, 0x40, 0x41, 0x42, 0x43 };

	for (unsigned int i = 0; i < ARRAY_SIZE(vectors); i++)
		set_trap_hook(vectors[i], record);
	set_vector(0x40, 3);
	set_vector(0x41, 1);
	set_vector(0x42, 0);
	set_vector(0x20, 1);
	run_in_ring3(sn_int40, 0);	/* map the code for ring 3 */

	expect("int $0x40 (DPL 3)", sn_int40, 3, 0x40, 0, 2);
	expect("int $0x40 (DPL 3)", sn_int40, 1, 0x40, 0, 2);
	expect("int $0x41 (DPL 1)", sn_int41, 1, 0x41, 0, 2);
	expect("int $0x41 (DPL 1)", sn_int41, 3, 13, GP_SOFTINT(0x41), 2);
	expect("int $0x42 (DPL 0)", sn_int42, 1, 13, GP_SOFTINT(0x42), 2);
	expect("int $0x42 (DPL 0)", sn_int42, 3, 13, GP_SOFTINT(0x42), 2);
	expect("int $0x43 (not registered)", sn_int43, 1, 13, GP_SOFTINT(0x43), 2);
	expect("int $0x43 (not registered)", sn_int43, 3, 13, GP_SOFTINT(0x43), 2);
	expect("int $0x20 (a PIC vector, DPL 1)", sn_int20, 1, 0x20, 0, 2);
	expect("int $0x20 (a PIC vector, DPL 1)", sn_int20, 3, 13, GP_SOFTINT(0x20), 2);
	/* The hypercall gate is for ring 1 only: from ring 3 it is a #GP. */
	expect("int $0x82 (hypercall gate)", sn_int82, 3, 13, GP_SOFTINT(0x82), 2);

	/* The library registers int3 and into with DPL 3: allowed everywhere. */
	expect("int3 (DPL 3)", sn_int3, 3, 3, 0, 1);
	expect("int $3 (DPL 3)", sn_int_3, 3, 3, 0, 2);
	expect("into (DPL 3)", sn_into, 3, 4, 0, 1);
	/*
	 * int3 and into come through the CPU's own DPL-3 gates, and docs/abi.md
	 * (4.2) says they are bounced whatever DPL the guest gave them.  (The
	 * header's "lowest ring that may int n it" would make them #GP from
	 * ring 3 with DPL 1; Xen behaves as documented here.)
	 */
	set_vector(3, 1);
	set_vector(4, 1);
	expect("int3 (DPL 1)", sn_int3, 1, 3, 0, 1);
	expect("int3 (DPL 1)", sn_int3, 3, 3, 0, 1);
	expect("int $3 (DPL 1)", sn_int_3, 3, 3, 0, 2);
	expect("into (DPL 1)", sn_into, 3, 4, 0, 1);
	xtf_success(NULL);
}
