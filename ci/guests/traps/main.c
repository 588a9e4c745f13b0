/* SPDX-License-Identifier: MIT */
/*
 * traps: every exception class a guest can raise is bounced to its handler
 * with the frame the hardware itself would have pushed.
 *
 * A paravirtualized kernel's trap handlers are the native ones, so the
 * bounce frame must be exact: EIP (at the faulting instruction for faults,
 * after it for traps), CS, EFLAGS (with IF standing for the event mask, and
 * the saved mask in bits 16-23 of the CS slot), the error code, SS:ESP of
 * ring 3 when the trap came from user mode, and CR2 in vcpu_info for page
 * faults.  The frame must sit at the right place: right below the
 * interrupted ESP for a ring-1 trap, at the top of the stack_switch stack
 * for a ring-3 one.  Every case runs from ring 1 and ring 3, with events
 * masked and unmasked; #NM is checked through fpu_taskswitch (the virtual
 * CR0.TS), and x87 and SIMD errors (#MF, #XM) are bounced too.
 */
#include <guest.h>

const char test_title[] = "traps: exception bounce frames from ring 1 and ring 3";

#define KSTACK_SIZE	8192
#define EFLAGS_RF	0x10000u
#define EFLAGS_IF	0x200u

static uint8_t kstack[KSTACK_SIZE] __attribute__((aligned(16)));

/*
 * The last bounce the hooks saw.  Volatile: the compiler cannot know that
 * an asm statement may trap into record().
 */
static struct gregs last;
static volatile uint32_t last_frame, last_cr2, hits;
static volatile uint8_t mask_in_handler;

static bool record(struct gregs *r)
{
	memcpy(&last, r, sizeof(last));
	last_frame = (uint32_t)&r->eip;
	last_cr2 = vcpu->cr2;
	mask_in_handler = vcpu->evtchn_upcall_mask;
	hits++;
	return false;	/* the library's exception-table fix-up resumes */
}

/* #NM: the guest set its virtual TS; clear it and run the instruction again. */
static bool nm_handler(struct gregs *r)
{
	record(r);
	HYPERCALL1(fpu_taskswitch, 0);
	return true;
}

/* #MF / #XM: clear the error state and run the instruction again. */
static bool fpu_error_handler(struct gregs *r)
{
	uint32_t mxcsr = 0x1f80;

	record(r);
	if (r->vector == 16)
		asm volatile("fnclex");
	else
		asm volatile("ldmxcsr %0" : : "m"(mxcsr));
	return true;
}

/*
 * A snippet raises one exception at label 1 and resumes at label 2 (through
 * the exception table when it faults).  Just before label 1 it leaves the
 * instruction's address in ECX, EFLAGS in ESI and ESP in EDX, so the frame
 * can be compared with the truth.  EDI carries the argument.  The snippets
 * touch no global data, so they run in ring 3 too.
 */
#define SNAP	"lea 1f, %%ecx\n\tpushf\n\tpop %%esi\n\tmov %%esp, %%edx\n"
#define SNIPPET(name, setup, insn, fix, post)					\
	static uint32_t name(uint32_t arg)					\
	{									\
		uint32_t ex = 0;						\
		asm volatile(setup SNAP "1: " insn "\n2:\n" post		\
			     ASM_EXTABLE(fix, 2b)				\
			     : "+a"(ex), "+D"(arg) : : "ebx", "ecx", "edx", "esi",	\
			     "memory", "cc");					\
		return ex;							\
	}

SNIPPET(sn_div0, "xor %%ebx, %%ebx\n\t", "div %%ebx", 1b, "")
SNIPPET(sn_int3, "", "int3", 2b, "")
SNIPPET(sn_into, "mov $0x7fffffff, %%ebx\n\tadd %%ebx, %%ebx\n\t", "into", 2b, "")
SNIPPET(sn_bound, "push $1\n\tpush $0\n\t", "bound %%edi, (%%esp)", 1b, "add $8, %%esp\n")
SNIPPET(sn_ud2, "", "ud2", 1b, "")
SNIPPET(sn_load_fs, "", "mov %%edi, %%fs", 1b, "")
SNIPPET(sn_hlt, "", "hlt", 1b, "")
SNIPPET(sn_read, "", "mov (%%edi), %%ebx", 1b, "")
SNIPPET(sn_write, "", "movl $0, (%%edi)", 1b, "")
SNIPPET(sn_fpu, "", "fld1", 1b, "fstp %%st(0)\n")
SNIPPET(sn_mf, "fninit\n\tpush $0x37b\n\tfldcw (%%esp)\n\tmovl $0, (%%esp)\n\tfld1\n\t"
	"fdivs (%%esp)\n\tpop %%ebx\n\t",
	"fwait", 1b, "fninit\n")
SNIPPET(sn_xm, "push $0x1d80\n\tldmxcsr (%%esp)\n\tmovl $0, (%%esp)\n\tmovss (%%esp), %%xmm1\n\t"
	"movl $0x3f800000, (%%esp)\n\tmovss (%%esp), %%xmm0\n\tpop %%ebx\n\t",
	"divss %%xmm1, %%xmm0", 1b, "push $0x1f80\n\tldmxcsr (%%esp)\n\tpop %%ebx\n")

struct trap_case {
	const char *name;
	uint32_t (*fn)(uint32_t);
	uint32_t arg;
	unsigned int vector;
	bool has_ec;
	uint32_t ec;			/* expected error code */
	unsigned int eip_after;		/* 0 for a fault, the insn length for a trap */
	bool fixed_up;			/* resumed through the exception table */
	bool check_cr2;
};

static uint32_t expected_eflags(uint32_t real, uint8_t mask)
{
	return (real & ~(EFLAGS_IF | EFLAGS_RF)) | (mask ? 0 : EFLAGS_IF);
}

/* Run one case in 'ring' with the event mask 'mask' and check the frame. */
static void run_case(const struct trap_case *c, unsigned int ring, uint8_t mask,
		     uint32_t ec_ring_bits)
{
	uint32_t ex, want_cs = ring == 3 ? XENO_FLAT_RING3_CS : XENO_FLAT_RING1_CS;
	char what[64];

	snprintf(what, sizeof(what), "%s from ring %u, mask %u", c->name, ring, mask);
	hits = 0;
	memset(&last, 0, sizeof(last));
	vcpu->evtchn_upcall_mask = mask;
	barrier();
	ex = ring == 3 ? run_in_ring3(c->fn, c->arg) : c->fn(c->arg);
	vcpu->evtchn_upcall_mask = 1;
	if (hits != 1) {
		xtf_failure("%s: %u bounces, expected 1", what, hits);
		return;
	}
	if (last.vector != c->vector)
		xtf_failure("%s: vector %u, expected %u", what, last.vector, c->vector);
	if (c->fixed_up && ex != EXINFO(c->vector, c->has_ec ? c->ec | ec_ring_bits : 0))
		xtf_failure("%s: resumed with exinfo %08x", what, ex);
	if (last.eip != last.ecx + c->eip_after)
		xtf_failure("%s: EIP %08x, expected %08x", what, last.eip, last.ecx + c->eip_after);
	if ((last.cs & 0xffff) != want_cs)
		xtf_failure("%s: CS %04x, expected %04x", what, last.cs & 0xffff, want_cs);
	if ((last.cs >> 16 & 0xff) != mask)
		xtf_failure("%s: saved mask %u in the CS slot, expected %u", what,
			    last.cs >> 16 & 0xff, mask);
	if ((last.eflags & ~EFLAGS_RF) != expected_eflags(last.esi, mask))
		xtf_failure("%s: EFLAGS %08x, expected %08x", what, last.eflags,
			    expected_eflags(last.esi, mask));
	if (c->has_ec && last.error_code != (c->ec | ec_ring_bits))
		xtf_failure("%s: error code %#x, expected %#x", what, last.error_code,
			    c->ec | ec_ring_bits);
	if (c->check_cr2 && last_cr2 != c->arg)
		xtf_failure("%s: CR2 %08x, expected %08x", what, last_cr2, c->arg);
	if (mask_in_handler != 1)
		xtf_failure("%s: events not masked in a MASK_EVENTS handler", what);
	if (ring == 1 && last_frame + 12 != last.edx)
		xtf_failure("%s: frame at %08x, expected right below ESP %08x", what, last_frame,
			    last.edx);
	if (ring == 3) {
		if (last_frame + 20 != (uint32_t)kstack + KSTACK_SIZE)
			xtf_failure("%s: frame at %08x, expected at the top of the kernel stack "
				    "%08x", what, last_frame, (uint32_t)kstack + KSTACK_SIZE);
		if (last.esp != last.edx || (last.ss & 0xffff) != XENO_FLAT_RING3_DS)
			xtf_failure("%s: SS:ESP %04x:%08x, expected %04x:%08x", what,
				    last.ss & 0xffff, last.esp, XENO_FLAT_RING3_DS, last.edx);
	}
}

static bool cpu_has_sse(void)
{
	uint32_t a = 1, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d & (1u << 25);
}

/* Handlers registered without MASK_EVENTS must leave the event mask alone. */
static void check_unmasked_handler(void)
{
	struct xeno_trap_info t[2] = {
		{ 6, 0, XENO_FLAT_RING1_CS, default_traps[6].address }, { 0, 0, 0, 0 } };

	CHECK(HYPERCALL1(set_trap_table, t) == 0, "set_trap_table for #UD without MASK_EVENTS");
	hits = 0;
	vcpu->evtchn_upcall_mask = 0;
	barrier();
	sn_ud2(0);
	vcpu->evtchn_upcall_mask = 1;
	CHECK(hits == 1 && mask_in_handler == 0,
	      "#UD handler without MASK_EVENTS ran with mask %u (%u bounces)", mask_in_handler,
	      hits);
	CHECK(HYPERCALL1(set_trap_table, &default_traps[6]) == 0, "restoring #UD");
}

void test_main(void)
{
	uint32_t *kernel_page = alloc_page();
	uint32_t unmapped = 0x00000010, ro_table = (uint32_t)l2_table();
	const struct trap_case cases[] = {
		{ "#DE (div by 0)", sn_div0, 0, 0, false, 0, 0, true, false },
		{ "#BP (int3)", sn_int3, 0, 3, false, 0, 1, true, false },
		{ "#OF (into)", sn_into, 0, 4, false, 0, 1, true, false },
		{ "#BR (bound)", sn_bound, 5, 5, false, 0, 0, true, false },
		{ "#UD (ud2)", sn_ud2, 0, 6, false, 0, 0, true, false },
		{ "#GP (ring-0 selector)", sn_load_fs, 0xE010 | 1, 13, true, 0xE010, 0, true, false },
		{ "#GP (hlt)", sn_hlt, 0, 13, true, 0, 0, true, false },
		{ "#PF (read, not present)", sn_read, unmapped, 14, true, 0, 0, true, true },
		{ "#PF (write, not present)", sn_write, unmapped, 14, true, 2, 0, true, true },
		{ "#NM (virtual CR0.TS)", sn_fpu, 0, 7, false, 0, 0, false, false },
	};
	const struct trap_case pf_ro = { "#PF (write, read-only)", sn_write, ro_table, 14, true, 3,
					 0, true, true };
	const struct trap_case pf_kernel = { "#PF (read, supervisor page)", sn_read,
					     (uint32_t)kernel_page, 14, true, 1, 0, true, true };
	const struct trap_case mf = { "#MF (x87 divide by zero)", sn_mf, 0, 16, false, 0, 0,
				      false, false };
	const struct trap_case xm = { "#XM (SSE divide by zero)", sn_xm, 0, 19, false, 0, 0,
				      false, false };

	for (unsigned int v = 0; v < 20; v++)
		set_trap_hook(v, record);
	set_trap_hook(7, nm_handler);
	set_trap_hook(16, fpu_error_handler);
	set_trap_hook(19, fpu_error_handler);
	if (HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, kstack + KSTACK_SIZE)) {
		xtf_error("stack_switch");
		return;
	}
	run_in_ring3(sn_ud2, 0);	/* maps the code user-accessible (first use) */
	for (unsigned int ring = 1; ring <= 3; ring += 2) {
		for (uint8_t mask = 0; mask <= 1; mask++) {
			for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
				if (cases[i].vector == 7)
					HYPERCALL1(fpu_taskswitch, 1);
				/* The U/S bit of a page-fault error code says "user mode". */
				run_case(&cases[i], ring, mask, cases[i].vector == 14 && ring == 3
					 ? 4 : 0);
			}
			run_case(ring == 1 ? &pf_ro : &pf_kernel, ring, mask,
				 ring == 3 ? 4 : 0);
		}
	}
	run_case(&mf, 1, 1, 0);
	if (cpu_has_sse()) {
		hits = 0;
		sn_xm(0);
		if (hits)
			run_case(&xm, 1, 1, 0);
		else	/* an emulator limit, not the hypervisor's: Bochs raises it */
			printf("note: no #XM raised for an unmasked SSE error (QEMU TCG does "
			       "not raise it); #XM not checked here\n");
	}
	check_unmasked_handler();
	xtf_success(NULL);
}
