/* SPDX-License-Identifier: MIT */
/*
 * trap-ring2: enter ring 2 with a native iret to our own DPL-2 code and stack
 * descriptors, then trap there with int3.
 *
 * Rule (abi.md 1.1, 4.2): ring 2 is unused: a trap there cannot be returned to
 * ring 1, and the domain is killed with "bad segment or return frame on the
 * way out".
 * Why it matters: a ring the hypervisor does not expect must not be a way past
 * its checks, nor take it down.
 */
#include <seg.h>

const char test_title[] = "trap-ring2: a trap in ring 2";

static void attack(void)
{
	static uint32_t stack[256];
	struct desc *gdt = dtab_page();

	gdt[1] = mkdesc(0, 0xfffff, T_CODE_RX, 2, SEG32);
	gdt[2] = mkdesc(0, 0xfffff, T_DATA_RW, 2, SEG32);
	CHECK(gdt_load(gdt, 3) == 0, "cannot install a GDT");
	user_image();
	asm volatile("push %0\n push %1\n push $0x202\n push %2\n push $1f\n iret\n"
		     "1: mov %%cs, %%eax\n int3\n2: jmp 2b\n"
		     : : "r"(SEL(2, 2)), "r"(&stack[250]), "r"(SEL(1, 2)) : "eax", "memory");
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.crash = "bad segment or return frame on the way out",
	.attack = attack,
};
