/* SPDX-License-Identifier: MIT */
/*
 * seg-failsafe-loop: register a failsafe callback whose code selector is a
 * not-present GDT entry, then leave GS loaded with an entry made not present,
 * so that both the way out and the way into the callback fault.
 *
 * Rule (abi.md 4.3, 8): killed with "bad segment or return frame on the way
 * out".
 * Why it matters: otherwise the hypervisor would bounce between the fault and
 * the callback forever with interrupts off, hanging the machine.
 */
#include <seg.h>

const char test_title[] = "seg-failsafe-loop: a failsafe callback that cannot be entered";

extern char event_entry[];

static void attack(void)
{
	struct desc *gdt = dtab_page();
	struct desc np;

	gdt[1] = mkdesc(0, 0xfffff, T_DATA_RW, 1, SEG32);
	gdt[2] = mkdesc(0, 0xfffff, T_CODE_RX, 1, SEG32);
	gdt[2].hi &= ~D_P;
	CHECK(gdt_load(gdt, 3) == 0, "cannot install a GDT");
	CHECK(HYPERCALL4(set_callbacks, XENO_FLAT_RING1_CS, event_entry, SEL(2, 1), 0x401000) == 0,
	      "set_callbacks with a not-present CS refused");
	np = gdt[1];
	np.hi &= ~D_P;
	asm volatile("mov %0, %%gs" : : "r"(SEL(1, 1)));
	desc_set(gdt, 1, np);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.crash = "bad segment or return frame on the way out (CS 0011",
	.attack = attack,
};
