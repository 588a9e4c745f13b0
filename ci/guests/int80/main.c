/* SPDX-License-Identifier: MIT */
/*
 * int80: the fast system call.  "int $0x80" registered with DPL 3 and
 * without MASK_EVENTS is a real trap gate in the IDT straight to the guest's
 * ring-1 handler; registered with MASK_EVENTS it still works, emulated
 * through the #GP the DPL-0 gate raises.
 *
 * This is the paper's fast path for system calls: user space enters the
 * guest kernel without the hypervisor in between.  The two paths are told
 * apart by the frame: the hypervisor's bounce writes the saved event mask
 * into bits 16-23 of the CS slot and shows the virtual interrupt flag in
 * EFLAGS.IF, while the CPU pushes a bare CS and the real EFLAGS (IF = 1).
 * Both frames must sit at the top of the stack_switch stack with the user's
 * SS:ESP, pass EAX in and out as a system call does, and the direct gate
 * must survive the vCPU being descheduled and run again.
 */
#include <guest.h>

const char test_title[] = "int80: direct int $0x80 trap gate and its #GP fallback";

#define KSTACK_SIZE	8192
#define EFLAGS_IF	0x200u
#define SYSCALL_IN	0x1234u
#define SYSCALL_OUT	0x5678u

extern char trap_stubs[];
static uint8_t kstack[KSTACK_SIZE] __attribute__((aligned(16)));
static volatile uint32_t hits, eip, ecx, edx, eax, cs, eflags, esp, ss, frame, mask_in;

static bool on_int80(struct gregs *r)
{
	eip = r->eip, ecx = r->ecx, edx = r->edx, eax = r->eax;
	cs = r->cs, eflags = r->eflags, esp = r->esp, ss = r->ss;
	frame = (uint32_t)&r->eip;
	mask_in = vcpu->evtchn_upcall_mask;
	hits++;
	r->eax = SYSCALL_OUT;
	/* A direct frame has no saved mask: keep ours for the library's return. */
	if (!(r->cs >> 16))
		r->cs |= (uint32_t)mask_in << 16;
	return true;
}

static volatile uint32_t gp_hits, gp_ec;

static bool on_gp(struct gregs *r)
{
	gp_hits++;
	gp_ec = r->error_code;
	return false;		/* fixed up by the exception table */
}

/* Ring 3: EAX = SYSCALL_IN, ECX = address of the int, EDX = ESP; returns EAX. */
static uint32_t user_syscall(uint32_t arg)
{
	uint32_t a = SYSCALL_IN;

	(void)arg;
	asm volatile("lea 1f, %%ecx\n\tmov %%esp, %%edx\n1: int $0x80\n2:\n" ASM_EXTABLE(1b, 2b)
		     : "+a"(a) : : "ecx", "edx", "memory");
	return a;
}

static void set_int80(uint8_t flags)
{
	struct xeno_trap_info t[2] = {
		{ 0x80, flags, XENO_FLAT_RING1_CS, (uint32_t)trap_stubs + 0x80 * 16 },
		{ 0, 0, 0, 0 } };

	if (HYPERCALL1(set_trap_table, t))
		xtf_error("set_trap_table for int $0x80, flags %#x", flags);
}

/* One system call from ring 3 with event mask 'mask'; check what arrived. */
static void syscall_once(const char *what, bool direct, uint8_t mask)
{
	uint32_t ret;

	hits = 0;
	vcpu->evtchn_upcall_mask = mask;
	barrier();
	ret = run_in_ring3(user_syscall, 0);
	vcpu->evtchn_upcall_mask = 1;
	if (hits != 1) {
		xtf_failure("%s, mask %u: the handler ran %u times", what, mask, hits);
		return;
	}
	CHECK(ret == SYSCALL_OUT, "%s: user space got EAX %#x back", what, ret);
	CHECK(eax == SYSCALL_IN, "%s: the handler got EAX %#x", what, eax);
	CHECK(eip == ecx + 2, "%s: EIP %08x, expected %08x (after the int)", what, eip, ecx + 2);
	CHECK((cs & 0xffff) == XENO_FLAT_RING3_CS, "%s: CS %04x", what, cs & 0xffff);
	CHECK(esp == edx && (ss & 0xffff) == XENO_FLAT_RING3_DS,
	      "%s: user SS:ESP %04x:%08x, expected %04x:%08x", what, ss & 0xffff, esp,
	      XENO_FLAT_RING3_DS, edx);
	CHECK(frame + 20 == (uint32_t)kstack + KSTACK_SIZE,
	      "%s: frame at %08x, not at the top of the stack_switch stack", what, frame);
	if (direct) {
		CHECK((cs >> 16) == 0 && (eflags & EFLAGS_IF),
		      "%s, mask %u: not the CPU's own frame (CS slot %08x, EFLAGS %08x): "
		      "the hypervisor was in the way", what, mask, cs, eflags);
		CHECK(mask_in == mask, "%s: the event mask changed to %u", what, mask_in);
	} else {
		CHECK((cs >> 16) == mask && !!(eflags & EFLAGS_IF) == !mask,
		      "%s, mask %u: bounce frame has CS slot %08x, EFLAGS %08x", what, mask, cs,
		      eflags);
		CHECK(mask_in == 1, "%s: events not masked in the handler", what);
	}
}

void test_main(void)
{
	set_trap_hook(0x80, on_int80);
	set_trap_hook(13, on_gp);
	if (HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, kstack + KSTACK_SIZE)) {
		xtf_error("stack_switch");
		return;
	}

	set_int80(3);
	syscall_once("direct gate", true, 1);
	syscall_once("direct gate", true, 0);
	/* Blocked and scheduled again: the gate is reinstalled for us. */
	sleep_ns(2000000);
	syscall_once("direct gate after a reschedule", true, 1);
	CHECK(gp_hits == 0, "the direct path went through #GP");

	set_int80(3 | XENO_TI_MASK_EVENTS);
	syscall_once("MASK_EVENTS (#GP emulation)", false, 1);
	syscall_once("MASK_EVENTS (#GP emulation)", false, 0);
	CHECK(gp_hits == 0, "the emulated int $0x80 reached the guest as #GP");

	/* DPL 1: user space may not use it; it gets the CPU's #GP. */
	set_int80(1);
	hits = 0;
	run_in_ring3(user_syscall, 0);
	CHECK(hits == 0 && gp_hits == 1 && gp_ec == ((0x80 << 3) | 2),
	      "int $0x80 with DPL 1 from ring 3: handler ran %u times, %u #GP (error %#x)",
	      hits, gp_hits, gp_ec);

	/* And back to the direct gate. */
	set_int80(3);
	syscall_once("direct gate again", true, 1);
	xtf_success(NULL);
}
