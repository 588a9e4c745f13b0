/* SPDX-License-Identifier: MIT */
/*
 * seg-failsafe-regs: the proof of concept build/poc/fsafe: load GS from our
 * GDT and make that entry not present with a raw update_descriptor carrying
 * known register values, so that reloading GS on the way out faults.
 *
 * Rule (abi.md 4.3): the failsafe callback gets DS, ES, FS, GS as they were
 * and every general register as the hypercall left it (EAX = its result).
 * Why it matters: (the defect this was, fixed) the frame came from a
 * half-popped stack: the callback got the hypervisor's registers and
 * selectors, leaking its stack addresses, and lost the guest's.
 */
#include <seg.h>

const char test_title[] = "seg-failsafe-regs: the failsafe callback's registers and frame";

uint32_t fs_regs[7], fs_segs[4];	/* EAX EBX ECX EDX ESI EDI EBP; DS ES FS GS */
void my_failsafe(void);
asm(".text\n.globl my_failsafe\nmy_failsafe:\n"
    " push %eax\n mov $0xE021, %eax\n mov %eax, %ds\n mov %eax, %es\n pop %eax\n"
    " mov %eax, fs_regs\n mov %ebx, fs_regs+4\n mov %ecx, fs_regs+8\n mov %edx, fs_regs+12\n"
    " mov %esi, fs_regs+16\n mov %edi, fs_regs+20\n mov %ebp, fs_regs+24\n"
    " mov 0(%esp), %eax\n mov %eax, fs_segs\n mov 4(%esp), %eax\n mov %eax, fs_segs+4\n"
    " mov 8(%esp), %eax\n mov %eax, fs_segs+8\n mov 12(%esp), %eax\n mov %eax, fs_segs+12\n"
    " add $16, %esp\n iret\n");
extern char event_entry[], failsafe_entry[];

static void attack(void)
{
	struct desc *gdt = dtab_page();
	uint32_t maddr = virt_to_maddr(&gdt[1]), cs = XENO_FLAT_RING1_CS, fs;
	struct desc np = mkdesc(0, 0xfffff, T_DATA_RW, 1, SEG32);

	np.hi &= ~D_P;
	gdt[1] = mkdesc(0, 0xfffff, T_DATA_RW, 1, SEG32);
	CHECK(gdt_load(gdt, 2) == 0, "cannot install a GDT");
	CHECK(HYPERCALL4(set_callbacks, cs, event_entry, cs, my_failsafe) == 0, "set_callbacks");
	local_irq_disable();
	asm volatile("mov %%fs, %0" : "=r"(fs));
	asm volatile("push %%ebp\n mov $0x09, %%eax\n mov %%eax, %%gs\n"
		     " mov $0xBEBE0001, %%ebp\n mov %[nr], %%eax\n int $0x82\n pop %%ebp\n"
		     : : [nr] "i"(__HYPERVISOR_update_descriptor), "b"(maddr), "c"(np.lo),
		       "d"(np.hi), "S"(0x5151u), "D"(0xD1D1u)
		     : "eax", "memory");
	CHECK(HYPERCALL4(set_callbacks, cs, event_entry, cs, failsafe_entry) == 0, "set_callbacks");
	CHECK(fs_regs[0] == 0 && fs_regs[1] == maddr && fs_regs[2] == np.lo &&
	      fs_regs[3] == np.hi && fs_regs[4] == 0x5151 && fs_regs[5] == 0xD1D1 &&
	      fs_regs[6] == 0xBEBE0001, "failsafe registers EAX %08x EBX %08x ECX %08x EDX %08x "
	      "ESI %08x EDI %08x EBP %08x, expected 0 %08x %08x %08x 5151 d1d1 bebe0001",
	      fs_regs[0], fs_regs[1], fs_regs[2], fs_regs[3], fs_regs[4], fs_regs[5], fs_regs[6],
	      maddr, np.lo, np.hi);
	CHECK((fs_segs[0] & 0xffff) == XENO_FLAT_RING1_DS &&
	      (fs_segs[1] & 0xffff) == XENO_FLAT_RING1_DS && (fs_segs[2] & 0xffff) == fs &&
	      (fs_segs[3] & 0xffff) == 9, "failsafe frame DS %08x ES %08x FS %08x GS %08x, "
	      "expected e021 e021 %04x 0009", fs_segs[0], fs_segs[1], fs_segs[2], fs_segs[3], fs);
	EXPECT_EQ(gdt_unload(gdt), 0);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
