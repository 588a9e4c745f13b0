/* SPDX-License-Identifier: MIT */
/*
 * trap-iret-flags: iret hypercall frames asking for EFLAGS.VM, IOPL 3, NT and
 * TF, to ring 1 and ring 3, with IF 0 and 1; and the proof of concept
 * build/poc/iret (EAX on the frame must come back).
 *
 * Rule (abi.md 4.5, 6.16): IOPL, VM and NT are cleared and IF forced on, the
 * event mask becomes !IF, TF is the guest's own single step, EAX is the value
 * the stub pushed.
 * Why it matters: the hypervisor's own iret would enter virtual-8086 mode with
 * a frame it never built, grant IOPL 3, or task-switch on the next iret; a
 * clobbered EAX (the defect this was, fixed) corrupts every return.
 */
#include <seg.h>

const char test_title[] = "trap-iret-flags: VM, IOPL, NT, TF and IF in an iret frame";

#define F_TF	0x00000100u
#define F_IF	0x00000200u
#define F_IOPL	0x00003000u
#define F_NT	0x00004000u
#define F_VM	0x00020000u
#define RET_VECTOR	0x83

uint32_t saved_esp, seen_eax, seen_cs, seen_flags;

/* uint32_t iret1(eflags): iret hypercall to ring 1 at label 1 with EAX = 0x12345678. */
asm(".text\n.globl iret1\niret1:\n"
    " push %ebx\n mov 8(%esp), %ecx\n mov %esp, saved_esp\n"
    " push %ecx\n push $0xE019\n push $1f\n"
    " mov $0x12345678, %eax\n jmp hypercall_page + 17 * 32\n"
    "1: mov %eax, seen_eax\n mov %cs, %eax\n mov %eax, seen_cs\n"
    " pushf\n pop seen_flags\n"
    " mov saved_esp, %esp\n pop %ebx\n ret\n");
uint32_t iret1(uint32_t eflags);

/*
 * iret3(eflags, esp): iret hypercall to ring 3 at label 1, which reports
 * EAX, CS and EFLAGS in EAX, ECX, EDX through int $0x83; the hook brings us
 * back to label 2 in ring 1.
 */
asm(".text\n.globl iret3, iret3_back\niret3:\n"
    " push %ebp\n push %ebx\n push %esi\n push %edi\n"
    " mov 20(%esp), %ecx\n mov 24(%esp), %edx\n mov %esp, saved_esp\n"
    " push $0xE033\n push %edx\n push %ecx\n push $0xE02B\n push $1f\n"
    " mov $0xcafef00d, %eax\n jmp hypercall_page + 17 * 32\n"
    "1: mov $0xE033, %ecx\n mov %ecx, %ds\n mov %ecx, %es\n"	/* nulled by the iret */
    " mov %cs, %ecx\n pushf\n pop %edx\n int $0x83\n"
    "iret3_back:\n"
    " mov saved_esp, %esp\n mov $0xE021, %ecx\n mov %ecx, %ds\n mov %ecx, %es\n"
    " pop %edi\n pop %esi\n pop %ebx\n pop %ebp\n ret\n");
void iret3(uint32_t eflags, uint32_t esp);
extern char iret3_back[], trap_stubs[];

static bool on_return(struct gregs *r)
{
	seen_eax = r->eax, seen_cs = r->ecx, seen_flags = r->edx;
	r->eip = (uint32_t)iret3_back;
	r->cs = XENO_FLAT_RING1_CS | (r->cs & 0xffff0000);
	return true;
}

static volatile unsigned int steps;

static bool on_debug(struct gregs *r)
{
	steps++;
	r->eflags &= ~F_TF;
	return true;
}

static uint32_t expected(uint32_t f)
{
	return (f & ~(F_IOPL | F_NT | F_VM | F_TF)) | F_IF;
}

static void attack(void)
{
	static const uint32_t flags[] = { 0x2, 0x202, F_VM | 0x202, F_VM | F_IOPL | F_NT | 0x2,
					  F_IOPL | 0x202, F_NT | 0x202, F_VM | F_IOPL | F_NT | 0x2d7 };
	struct xeno_trap_info t[2] = {
		{ RET_VECTOR, XENO_TI_MASK_EVENTS | 3, XENO_FLAT_RING1_CS,
		  (uint32_t)trap_stubs + RET_VECTOR * 16 }, { 0, 0, 0, 0 } };
	uint32_t *ustack = alloc_page();

	user_image();
	CHECK(make_user(ustack, PAGE_SIZE) == 0 && HYPERCALL1(set_trap_table, t) == 0,
	      "cannot set up ring 3");
	set_trap_hook(RET_VECTOR, on_return);
	for (unsigned int i = 0; i < ARRAY_SIZE(flags); i++) {
		uint32_t f = flags[i];

		iret1(f);
		CHECK(seen_eax == 0x12345678, "iret to ring 1 with %08x: EAX %08x, pushed 12345678",
		      f, seen_eax);
		CHECK((seen_cs & 0xffff) == XENO_FLAT_RING1_CS && (seen_flags & ~0x10000u) ==
		      (expected(f) & ~0x10000u), "iret to ring 1 with EFLAGS %08x: CS %04x, "
		      "EFLAGS %08x, expected %08x", f, seen_cs, seen_flags, expected(f));
		CHECK(vcpu->evtchn_upcall_mask == !(f & F_IF), "iret to ring 1 with IF=%u: mask %u",
		      !!(f & F_IF), vcpu->evtchn_upcall_mask);
		vcpu->evtchn_upcall_mask = 1;
		seen_eax = seen_cs = seen_flags = 0;
		iret3(f, (uint32_t)ustack + PAGE_SIZE - 16);
		CHECK(seen_eax == 0xcafef00d && (seen_cs & 0xffff) == XENO_FLAT_RING3_CS &&
		      (seen_flags & ~0x10000u) == (expected(f) & ~0x10000u), "iret to ring 3 with "
		      "EFLAGS %08x: EAX %08x CS %04x EFLAGS %08x, expected EFLAGS %08x", f,
		      seen_eax, seen_cs, seen_flags, expected(f));
		vcpu->evtchn_upcall_mask = 1;
		/* IOPL really is 0: cli still faults in both rings. */
		CHECK(probe_exec((uint32_t)"\xfa\xc3") == EXINFO(13, 0), "cli after iret with %08x",
		      f);
	}
	/* TF is the guest's: a single step after the return, delivered to it. */
	set_trap_hook(1, on_debug);
	iret1(F_TF | 0x202);
	CHECK(steps == 1 && seen_eax == 0x12345678, "iret with TF: %u single steps", steps);
	vcpu->evtchn_upcall_mask = 1;
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
