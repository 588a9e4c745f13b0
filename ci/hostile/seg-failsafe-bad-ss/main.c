/* SPDX-License-Identifier: MIT */
/*
 * seg-failsafe-bad-ss: run ring 1 on a stack segment of our own GDT and make
 * its descriptor not present with update_descriptor, so the iret back faults
 * on SS and there is no stack for the failsafe frame.
 *
 * Rule (abi.md 4.2, 4.3, 6.3): killed with "kernel stack segment ... is not
 * flat".
 * Why it matters: the hypervisor must not write a frame through a stack
 * segment it has not checked, nor loop between the faulting iret and the
 * failsafe callback.
 */
#include <seg.h>

const char test_title[] = "seg-failsafe-bad-ss: the ring-1 stack segment pulled away";

static void attack(void)
{
	struct desc *gdt = dtab_page();
	struct desc np;

	gdt[1] = mkdesc(0, 0xfffff, T_DATA_RW, 1, SEG32);
	CHECK(gdt_load(gdt, 2) == 0, "cannot install a GDT");
	np = gdt[1];
	np.hi &= ~D_P;
	asm volatile("mov %0, %%ss\n int $0x82\n1: jmp 1b\n"
		     : : "r"(SEL(1, 1)), "a"(__HYPERVISOR_update_descriptor),
		       "b"(virt_to_maddr(&gdt[1])), "c"(np.lo), "d"(np.hi) : "memory");
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.crash = "kernel stack segment 0009 is not flat",
	.attack = attack,
};
