/* SPDX-License-Identifier: MIT */
/*
 * trap-espfix-fault: run ring 1 on a code segment of our own GDT and a
 * 16-bit stack segment, and pull the code segment away (not present) with
 * update_descriptor, so that the hypervisor's iret back, the one from its
 * based espfix stack, faults.
 *
 * Rule (abi.md 4.5, 4.3): the fault goes the failsafe way like any faulting
 * return; here the failsafe frame has no flat stack to go on, so the domain
 * is killed for it, and only the domain.
 * Why it matters: the fault arrives on the based espfix stack segment; a
 * hypervisor that ran on from there with its flat pointers would scribble
 * over memory at the wrong address, or panic.
 */
#include <seg.h>

const char test_title[] = "trap-espfix-fault: the return from the espfix stack faults";

#define PATTERN_ESP	0xabcd0f00u

static void attack(void)
{
	struct desc *gdt = dtab_page();
	uint8_t *stack = alloc_page();
	struct desc np;

	gdt[1] = mkdesc(0, 0xfffff, T_CODE_RX | T_ACCESSED, 1, SEG32);
	gdt[2] = mkdesc((uint32_t)stack, 0xffff, T_DATA_RW | T_ACCESSED, 1, BYTES16);
	CHECK(gdt_load(gdt, 3) == 0, "cannot install a GDT");
	np = gdt[1];
	np.hi &= ~D_P;
	local_irq_disable();
	/* Onto CS = GDT 1 (same addresses), then SS = GDT 2, then the hypercall. */
	asm volatile("ljmp %[cs], $1f\n1: mov %[ss], %%ss\n mov %[esp], %%esp\n int $0x82\n"
		     "2: jmp 2b\n"
		     : : [cs] "i"(SEL(1, 1)), [ss] "r"(SEL(2, 1)), [esp] "i"(PATTERN_ESP),
		       "a"(__HYPERVISOR_update_descriptor), "b"(virt_to_maddr(&gdt[1])),
		       "c"(np.lo), "d"(np.hi) : "memory");
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.crash = "kernel stack segment 0011 is not flat",
	.attack = attack,
};
