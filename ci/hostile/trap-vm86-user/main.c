/* SPDX-License-Identifier: MIT */
/*
 * trap-vm86-user: ring 3 executes iret with EFLAGS.VM set, to a code
 * segment of 0xF000 (a hole), of 0x0001 (which reads as "ring 1") and of a
 * page that holds "jmp ." (so it is still there at the next timer tick).
 *
 * Rule (abi.md 4.2): a trap or interrupt taken in virtual-8086 mode is the
 * guest's: it reaches the guest kernel as a #GP from ring 3 (the frame's CS
 * the flat ring-3 one, VM clear), as the faulting iret would on a real CPU,
 * which ignores VM outside ring 0.  QEMU's software CPU does not ignore it.
 * Why it matters: the hypervisor took the ring from CS & 3 of a frame whose
 * CS was a real-mode segment: 0xF000 made it "ring 0", a hypervisor fault,
 * and the machine panicked; 0x0001 made it a ring-1 trap, bounced to a
 * garbage kernel stack, and Domain0 was crashed.  Any user program could
 * stop the machine (a stress tool found it).
 */
#include <pt.h>
#include <seg.h>

const char test_title[] = "trap-vm86-user: a ring-3 iret into virtual-8086 mode";

#define F_IF		0x00000200u
#define F_VM		0x00020000u
#define LOW_VA		0x00010000u	/* below 1 MiB: reachable in vm86 mode */
#define LOW_CS		(LOW_VA >> 4)

extern char ring3_exit[], vm86_page[], vm86_loop[];

/* Ring 3: iret with the frame at arg (EIP CS EFLAGS ESP SS ES DS FS GS). */
asm(".text\n.globl vm86_iret\nvm86_iret:\n mov 4(%esp), %esp\n iret\n");
uint32_t vm86_iret(uint32_t frame);

/* A page of its own, with "jmp ." at its start, to map at LOW_VA. */
asm(".section .data\n.balign 4096\n.globl vm86_page, vm86_loop\nvm86_page:\n"
    "vm86_loop: jmp vm86_loop\n.balign 4096\n.text\n");

static volatile uint32_t gp_count, gp_cs, gp_flags, other_traps;

static bool on_gp(struct gregs *r)
{
	if ((r->cs & 3) != 3)
		return false;
	gp_count++;
	gp_cs = r->cs & 0xffff, gp_flags = r->eflags;
	r->eip = (uint32_t)ring3_exit;		/* back to run_in_ring3() */
	r->cs = XENO_FLAT_RING1_CS | (r->cs & 0xffff0000);
	return true;
}

static bool on_other(struct gregs *r)
{
	if ((r->cs & 3) != 3)
		return false;
	other_traps++;
	r->eip = (uint32_t)ring3_exit;
	r->cs = XENO_FLAT_RING1_CS | (r->cs & 0xffff0000);
	return true;
}

/* Map vm86_page at LOW_VA, user-accessible, through a new L1 in slot 0. */
static bool map_low_page(void)
{
	uint32_t *l1 = alloc_table(), l1_mfn = virt_to_mfn(l1);

	if (l2_table()[0] & PTE_P)
		return true;		/* someone mapped it already: use as is */
	if (pin(XENO_MMUEXT_PIN_L1_TABLE, l1_mfn) ||
	    mmu_update1(l1e_maddr(l1_mfn, LOW_VA >> PAGE_SHIFT),
			mkpte(virt_to_mfn(vm86_page), PTE_P | PTE_US)) ||
	    mmu_update1(l2e_maddr(cur_l2_mfn(), 0), mkpte(l1_mfn, PTE_P | PTE_RW | PTE_US)))
		return false;
	return *(volatile uint8_t *)LOW_VA == 0xeb;
}

static void vm86_case(const char *what, uint32_t cs, uint32_t ip)
{
	static uint32_t frame[9] __attribute__((aligned(16)));

	frame[0] = ip, frame[1] = cs, frame[2] = F_VM | F_IF | 0x2;
	frame[3] = 0x0ff0, frame[4] = cs;		/* SP, SS */
	frame[5] = frame[6] = frame[7] = frame[8] = cs;	/* ES DS FS GS */
	gp_count = other_traps = 0;
	run_in_ring3(vm86_iret, (uint32_t)frame);
	printf("%s: %u #GP from ring 3 (CS %04x, EFLAGS %08x), %u other traps\n", what,
	       gp_count, gp_cs, gp_flags, other_traps);
	CHECK(gp_count == 1 && other_traps == 0, "%s: %u #GP and %u other traps, expected one #GP",
	      what, gp_count, other_traps);
	CHECK(gp_cs == XENO_FLAT_RING3_CS && !(gp_flags & F_VM), "%s: the #GP frame has CS %04x "
	      "and EFLAGS %08x, expected the flat ring-3 CS and no VM", what, gp_cs, gp_flags);
}

static void attack(void)
{
	user_image();
	set_trap_hook(13, on_gp);
	for (unsigned int v = 0; v < 20; v++)
		if (v != 13 && v != 2 && v != 8)
			set_trap_hook(v, on_other);
	vm86_case("CS F000 (a hole)", 0xf000, 0x0000);
	vm86_case("CS 0001 (reads as ring 1)", 0x0001, 0xfff0);
	if (!map_low_page()) {
		xtf_error("cannot map a user page at %#x", LOW_VA);
		return;
	}
	vm86_case("CS at a user page with jmp . (runs until the next interrupt)", LOW_CS,
		  (uint32_t)(vm86_loop - vm86_page));
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
