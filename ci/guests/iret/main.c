/* SPDX-License-Identifier: MIT */
/*
 * iret: the iret hypercall returns to ring 1 or ring 3 exactly as the frame
 * says, restores the event mask from EFLAGS.IF and preserves every register.
 *
 * A ring-1 kernel cannot use a native iret to restore the virtual interrupt
 * flag (and, from an event upcall, to return to a ring-3 context with events
 * re-enabled atomically), so it jumps to the iret stub with EAX pushed on a
 * hardware-style frame.  The return must be transparent: all general
 * registers (EAX included: the stub pushed it, the hypervisor pops it), the
 * arithmetic flags and DF from the frame, CS:EIP and, for ring 3, SS:ESP;
 * IOPL and NT from the frame must be ignored (a guest kernel may not grant
 * itself I/O privilege); EFLAGS.IF = 1 unmasks events and any event already
 * pending is delivered before the first instruction at the target.
 * (An iret to a ring-0 frame crashes the domain: not testable in Domain0.)
 */
#include <guest.h>

const char test_title[] = "iret: the iret hypercall to ring 1 and ring 3";

#define EFLAGS_CF	0x001u
#define EFLAGS_FIXED	0x002u
#define EFLAGS_ZF	0x040u
#define EFLAGS_SF	0x080u
#define EFLAGS_IF	0x200u
#define EFLAGS_DF	0x400u
#define EFLAGS_IOPL	0x3000u
#define EFLAGS_NT	0x4000u
#define KSTACK_SIZE	8192
#define USTACK_SIZE	4096
#define RETURN_VECTOR	0x83

/* What the code at the iret target saw; see iret_ring1/iret_ring3 below. */
struct seen {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp, eflags, cs;
};
struct seen seen1;
uint32_t iret_saved_esp, upcalls_at_target;
static volatile unsigned int upcalls;

/*
 * uint32_t iret_ring1(uint32_t eflags): iret to label 1 in ring 1 with known
 * values in every register; record them (and ESP, EFLAGS, CS) in seen1.
 * Returns the ESP the caller had before the frame was pushed.
 */
asm(".text\n"
    ".globl iret_ring1\n"
    "iret_ring1:\n"
    "	push %ebp\n	push %ebx\n	push %esi\n	push %edi\n"
    "	mov 20(%esp), %eax\n"
    "	mov %esp, iret_saved_esp\n"
    "	push %eax\n"			/* EFLAGS */
    "	push $0xE019\n"			/* CS: XENO_FLAT_RING1_CS */
    "	push $1f\n"			/* EIP */
    "	mov $0x11111111, %ebx\n	mov $0x22222222, %ecx\n	mov $0x33333333, %edx\n"
    "	mov $0x44444444, %esi\n	mov $0x55555555, %edi\n	mov $0x66666666, %ebp\n"
    "	mov $0xdeadbeef, %eax\n"
    "	jmp hypercall_page + 17 * 32\n"	/* __HYPERVISOR_iret */
    "1:	mov %eax, seen1 + 0\n	mov %ebx, seen1 + 4\n	mov %ecx, seen1 + 8\n"
    "	mov %edx, seen1 + 12\n	mov %esi, seen1 + 16\n	mov %edi, seen1 + 20\n"
    "	mov %ebp, seen1 + 24\n	mov %esp, seen1 + 28\n"
    "	pushf\n	pop seen1 + 32\n"
    "	mov %cs, seen1 + 36\n"
    "	mov upcalls, %eax\n	mov %eax, upcalls_at_target\n"
    "	cld\n"
    "	mov iret_saved_esp, %eax\n"
    "	pop %edi\n	pop %esi\n	pop %ebx\n	pop %ebp\n"
    "	ret\n");
uint32_t iret_ring1(uint32_t eflags);

/*
 * void iret_ring3(uint32_t eflags, uint32_t user_esp): iret to ring 3 at
 * label 1, which reports EAX (the value before the stub), CS, ESP and EFLAGS
 * in EAX, ECX, EDX, ESI through "int $0x83"; the hook sends us back to
 * label 2 in ring 1.
 */
asm(".text\n"
    ".globl iret_ring3, iret_ring3_back\n"
    "iret_ring3:\n"
    "	push %ebp\n	push %ebx\n	push %esi\n	push %edi\n"
    "	mov 20(%esp), %eax\n	mov 24(%esp), %ecx\n"
    "	mov %esp, iret_saved_esp\n"
    "	push $0xE033\n"			/* SS: XENO_FLAT_RING3_DS */
    "	push %ecx\n"			/* ESP */
    "	push %eax\n"			/* EFLAGS */
    "	push $0xE02B\n"			/* CS: XENO_FLAT_RING3_CS */
    "	push $1f\n"			/* EIP */
    "	mov $0xcafef00d, %eax\n"
    "	jmp hypercall_page + 17 * 32\n"
    "1:	mov $0xE033, %ebx\n	mov %ebx, %ds\n	mov %ebx, %es\n"	/* ring 3 */
    "	mov %cs, %ecx\n	mov %esp, %edx\n	pushf\n	pop %esi\n"
    "	int $0x83\n"
    "iret_ring3_back:\n"		/* ring 1 again */
    "	mov iret_saved_esp, %esp\n"
    "	mov $0xE021, %ecx\n	mov %ecx, %ds\n	mov %ecx, %es\n"
    "	pop %edi\n	pop %esi\n	pop %ebx\n	pop %ebp\n"
    "	ret\n");
void iret_ring3(uint32_t eflags, uint32_t user_esp);
extern char iret_ring3_back[];

static volatile uint32_t r3_eax, r3_cs, r3_esp, r3_eflags, r3_mask_saved, r3_hits;

static bool on_return(struct gregs *r)
{
	r3_eax = r->eax, r3_cs = r->ecx, r3_esp = r->edx, r3_eflags = r->esi;
	r3_mask_saved = r->cs >> 16;
	r3_hits++;
	CHECK(r->esp == r->edx && (r->ss & 0xffff) == XENO_FLAT_RING3_DS,
	      "ring-3 frame SS:ESP %04x:%08x", r->ss & 0xffff, r->esp);
	r->eip = (uint32_t)iret_ring3_back;
	r->cs = XENO_FLAT_RING1_CS | (r->cs & 0xffff0000);
	return true;
}

static void on_event(unsigned int port)
{
	(void)port;
	upcalls++;
}

static void check_ring1(uint32_t eflags, const char *what)
{
	uint32_t want = (eflags & ~(EFLAGS_IOPL | EFLAGS_NT)) | EFLAGS_IF;
	uint32_t esp = iret_ring1(eflags);

	CHECK(seen1.eax == 0xdeadbeef, "%s: EAX %08x after iret, expected deadbeef", what,
	      seen1.eax);
	CHECK(seen1.ebx == 0x11111111 && seen1.ecx == 0x22222222 && seen1.edx == 0x33333333 &&
	      seen1.esi == 0x44444444 && seen1.edi == 0x55555555 && seen1.ebp == 0x66666666,
	      "%s: registers changed: %08x %08x %08x %08x %08x %08x", what, seen1.ebx, seen1.ecx,
	      seen1.edx, seen1.esi, seen1.edi, seen1.ebp);
	CHECK(seen1.esp == esp, "%s: ESP %08x after iret, expected %08x", what, seen1.esp, esp);
	CHECK((seen1.cs & 0xffff) == XENO_FLAT_RING1_CS, "%s: CS %04x", what, seen1.cs);
	CHECK(seen1.eflags == want, "%s: EFLAGS %08x, expected %08x", what, seen1.eflags, want);
	CHECK(vcpu->evtchn_upcall_mask == !(eflags & EFLAGS_IF),
	      "%s: event mask %u after iret with IF=%u", what, vcpu->evtchn_upcall_mask,
	      !!(eflags & EFLAGS_IF));
}

static void check_ring3(uint8_t mask_before, uint32_t eflags, uint32_t user_esp)
{
	uint32_t want = (eflags & ~(EFLAGS_IOPL | EFLAGS_NT)) | EFLAGS_IF;

	r3_hits = 0;
	vcpu->evtchn_upcall_mask = mask_before;
	barrier();
	iret_ring3(eflags, user_esp);
	vcpu->evtchn_upcall_mask = 1;
	CHECK(r3_hits == 1, "iret to ring 3: the ring-3 code did not report back");
	CHECK(r3_eax == 0xcafef00d, "iret to ring 3: EAX %08x, expected cafef00d", r3_eax);
	CHECK((r3_cs & 0xffff) == XENO_FLAT_RING3_CS, "iret to ring 3: CS %04x", r3_cs);
	CHECK(r3_esp == user_esp, "iret to ring 3: ESP %08x, expected %08x", r3_esp, user_esp);
	CHECK(r3_eflags == want, "iret to ring 3: EFLAGS %08x, expected %08x", r3_eflags, want);
	CHECK(r3_mask_saved == !(eflags & EFLAGS_IF),
	      "iret to ring 3 with IF=%u: event mask in ring 3 was %u", !!(eflags & EFLAGS_IF),
	      r3_mask_saved);
}

void test_main(void)
{
	static uint8_t kstack[KSTACK_SIZE] __attribute__((aligned(16)));
	uint8_t *ustack = alloc_page();
	extern char __text_start[], __text_end[];
	struct xeno_trap_info t[2] = {
		{ RETURN_VECTOR, XENO_TI_MASK_EVENTS | 3, XENO_FLAT_RING1_CS, 0 }, { 0, 0, 0, 0 } };
	extern char trap_stubs[];
	long port;

	/* Ring 1: the mask follows IF; flags come back, IOPL and NT do not. */
	check_ring1(EFLAGS_FIXED | EFLAGS_IF, "iret to ring 1, IF=1");
	check_ring1(EFLAGS_FIXED, "iret to ring 1, IF=0");
	check_ring1(EFLAGS_FIXED | EFLAGS_IF | EFLAGS_CF | EFLAGS_ZF | EFLAGS_SF | EFLAGS_DF,
		    "iret to ring 1 with CF ZF SF DF");
	check_ring1(EFLAGS_FIXED | EFLAGS_IF | EFLAGS_IOPL | EFLAGS_NT,
		    "iret to ring 1 with IOPL 3 and NT");
	vcpu->evtchn_upcall_mask = 1;

	/* An event pending while masked is delivered as the iret unmasks. */
	port = evtchn_loopback(on_event);
	if (port < 0)
		xtf_error("loopback channel: %ld", port);
	port_op(XENO_EVTCHNOP_send, (uint32_t)port);
	CHECK(upcalls == 0, "upcall while events were masked");
	check_ring1(EFLAGS_FIXED, "iret to ring 1, IF=0, event pending");
	CHECK(upcalls == 0 && upcalls_at_target == 0, "upcall after an iret with IF=0");
	check_ring1(EFLAGS_FIXED | EFLAGS_IF, "iret to ring 1, IF=1, event pending");
	CHECK(upcalls_at_target == 1, "the pending event was not delivered before the iret "
	      "target ran (%u upcalls there, %u later)", upcalls_at_target, upcalls);
	vcpu->evtchn_upcall_mask = 1;

	/* Ring 3. */
	t[0].address = (uint32_t)trap_stubs + RETURN_VECTOR * 16;
	if (HYPERCALL1(set_trap_table, t) ||
	    HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, kstack + KSTACK_SIZE) ||
	    make_user(ustack, PAGE_SIZE) || make_user(__text_start, __text_end - __text_start)) {
		xtf_error("setting up ring 3");
		return;
	}
	set_trap_hook(RETURN_VECTOR, on_return);
	check_ring3(1, EFLAGS_FIXED | EFLAGS_IF, (uint32_t)ustack + PAGE_SIZE - 16);
	check_ring3(0, EFLAGS_FIXED, (uint32_t)ustack + PAGE_SIZE - 32);
	check_ring3(1, EFLAGS_FIXED | EFLAGS_IF | EFLAGS_CF | EFLAGS_IOPL | EFLAGS_NT,
		    (uint32_t)ustack + PAGE_SIZE - 64);
	xtf_success(NULL);
}
