/* SPDX-License-Identifier: MIT */
/*
 * trap-espfix: run on a 16-bit stack segment (ring 1 and ring 3) with the
 * upper half of ESP set to a pattern, then make a hypercall and take
 * interrupts, and look at ESP's upper half afterwards.
 *
 * Rule (abi.md 4.5): every return to a guest gives back ESP as the guest
 * had it, all 32 bits, whatever its stack segment.
 * Why it matters: an iret to a 16-bit stack segment loads only SP; the
 * upper half of ESP keeps what it held in the hypervisor, its stack address
 * (the "espfix" leak, CVE-2014-8133 and kin in Linux).  That tells a guest
 * where the hypervisor's stack is, and with it the layout of its memory.
 */
#include <seg.h>

const char test_title[] = "trap-espfix: ESP's upper half after a return to a 16-bit stack";

#define PATTERN_HI	0xabcd0000u
#define SP_LOW		0x0f00u		/* inside the stack page */
#define SPIN_NS		(30ull * 1000000)

uint32_t saved_esp, saved_ss;

/* uint32_t hc_on_stack16(sel, esp): xeno_version on SS=sel, ESP=esp; ESP after. */
asm(".text\n.globl hc_on_stack16\nhc_on_stack16:\n"
    " push %ebx\n push %ebp\n mov 12(%esp), %ecx\n mov 16(%esp), %edx\n"
    " mov %esp, saved_esp\n mov %ss, %eax\n mov %eax, saved_ss\n"
    " mov %ecx, %ss\n mov %edx, %esp\n"
    " mov $15, %eax\n xor %ebx, %ebx\n int $0x82\n"	/* __HYPERVISOR_xeno_version */
    " mov %esp, %edx\n mov saved_ss, %ecx\n mov %ecx, %ss\n mov saved_esp, %esp\n"
    " mov %edx, %eax\n pop %ebp\n pop %ebx\n ret\n");
uint32_t hc_on_stack16(uint32_t sel, uint32_t esp);

/*
 * uint32_t spin_on_stack16(sel, esp, tsc_ticks): spin on SS=sel, ESP=esp
 * until tsc_ticks have passed; the number of times ESP was seen changed.
 * Runs in ring 1 or ring 3 (globals are user-accessible after user_image).
 */
uint32_t spin_saved_esp, spin_saved_ss;
asm(".text\n.globl spin_on_stack16\nspin_on_stack16:\n"
    " push %ebx\n push %esi\n push %edi\n push %ebp\n"
    " mov 20(%esp), %ecx\n mov 24(%esp), %ebx\n mov 28(%esp), %ebp\n"
    " mov %esp, spin_saved_esp\n mov %ss, %eax\n mov %eax, spin_saved_ss\n"
    " rdtsc\n mov %eax, %esi\n xor %edi, %edi\n"
    " mov %ecx, %ss\n mov %ebx, %esp\n"
    "1: cmp %ebx, %esp\n je 2f\n inc %edi\n mov %ebx, %esp\n"
    "2: rdtsc\n sub %esi, %eax\n cmp %ebp, %eax\n jb 1b\n"
    " mov spin_saved_ss, %ecx\n mov %ecx, %ss\n mov spin_saved_esp, %esp\n"
    " mov %edi, %eax\n pop %ebp\n pop %edi\n pop %esi\n pop %ebx\n ret\n");
uint32_t spin_on_stack16(uint32_t sel, uint32_t esp, uint32_t ticks);

static uint32_t spin_ring3(uint32_t sel, uint32_t ticks)
{
	return spin_on_stack16(sel, PATTERN_HI | SP_LOW, ticks);
}

static uint32_t tsc_ticks(uint64_t ns)
{
	uint64_t t0 = rdtsc(), n0 = now_ns();

	while (now_ns() - n0 < 1000000)
		;
	return (uint32_t)((rdtsc() - t0) * ns / (now_ns() - n0));
}

static void attack(void)
{
	struct desc *ldt = dtab_page();
	uint8_t *stack = alloc_page();
	uint32_t base = (uint32_t)stack, esp, changed, ticks = tsc_ticks(SPIN_NS);

	user_image();
	CHECK(make_user(stack, PAGE_SIZE) == 0, "cannot make the stack page user-accessible");
	ldt[0] = mkdesc(base, 0xffff, T_DATA_RW | T_ACCESSED, 1, BYTES16);
	ldt[1] = mkdesc(base, 0xffff, T_DATA_RW | T_ACCESSED, 3, BYTES16);
	if (ldt_load(ldt, 2)) {
		xtf_error("cannot load an LDT with 16-bit stack segments");
		return;
	}
	local_irq_disable();		/* no upcall onto the odd stack */
	esp = hc_on_stack16(LDT_SEL(0, 1), PATTERN_HI | SP_LOW);
	printf("after a hypercall on a 16-bit stack: ESP %08x (was %08x)\n", esp,
	       PATTERN_HI | SP_LOW);
	CHECK(esp == (PATTERN_HI | SP_LOW), "hypercall on a 16-bit stack: ESP came back as "
	      "%08x, not %08x", esp, PATTERN_HI | SP_LOW);
	changed = spin_on_stack16(LDT_SEL(0, 1), PATTERN_HI | SP_LOW, ticks);
	CHECK(changed == 0, "ring 1 on a 16-bit stack: ESP changed %u times in 30 ms of "
	      "interrupts", changed);
	local_irq_enable();
	changed = ring3_call2(spin_ring3, LDT_SEL(1, 3), ticks);
	CHECK(changed == 0, "ring 3 on a 16-bit stack: ESP changed %u times in 30 ms of "
	      "interrupts", changed);
	printf("ring 1 and ring 3 spun 30 ms each on a 16-bit stack\n");
	CHECK(ldt_unload(ldt) == 0, "cannot drop the LDT");
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
