/* SPDX-License-Identifier: MIT */
/*
 * callbacks: stack_switch, set_callbacks and the failsafe callback.
 *
 * stack_switch names the ring-1 stack that traps from ring 3 land on, and
 * set_callbacks the event and failsafe entry points; each must take effect
 * at once and refuse selectors or addresses a guest may not use (ring 0,
 * ring 3, the hypervisor's area).  A kernel stack segment with a base must
 * be refused or honoured (the frame at SS:ESP), never half of each.
 * The failsafe callback is how a guest survives bad segment state on the way
 * out of the hypervisor: a data selector whose descriptor went away (made
 * not-present here with update_descriptor while FS holds it) or a return
 * frame the CPU refuses (an iret to ring 3 with a code selector for SS).
 * The guest's handler must get a frame it can repair and resume from: the
 * interrupted CS:EIP (and SS:ESP from ring 3), the four data selectors as
 * they were, and every general register intact, as after any other
 * hypercall.
 */
#include <guest.h>

const char test_title[] = "callbacks: stack_switch, set_callbacks, failsafe";

#define KSTACK_SIZE	4096
#define DESC_P		0x8000u
#define FLAT_DATA_DPL1	0x00cfb200u	/* hi word: G, D/B, limit 19:16, P, DPL 1, S, RW data */
#define FLAT_LO		0x0000ffffu
#define GDT_SEL_DATA	(0x08 | 1)	/* entry 1 of our GDT, RPL 1 */
#define PAT_ESI		0x44444444u
#define PAT_EDI		0x55555555u
#define PAT_EBP		0x66666666u

extern char trap_stubs[], event_entry[], failsafe_entry[], hypercall_page[];
static uint8_t kstack_a[KSTACK_SIZE] __attribute__((aligned(16)));
static uint8_t kstack_b[KSTACK_SIZE] __attribute__((aligned(16)));

/* ---- stack_switch ---- */

static volatile uint32_t frame_at;

static bool on_int40(struct gregs *r)
{
	frame_at = (uint32_t)&r->eip;
	return true;
}

static uint32_t user_int40(uint32_t arg)
{
	(void)arg;
	asm volatile("int $0x40" : : : "memory");
	return 0;
}

static void test_stack_switch(void)
{
	struct xeno_trap_info t[2] = {
		{ 0x40, XENO_TI_MASK_EVENTS | 3, XENO_FLAT_RING1_CS, (uint32_t)trap_stubs + 0x40 * 16 },
		{ 0, 0, 0, 0 } };
	uint8_t *tops[2] = { kstack_a + KSTACK_SIZE, kstack_b + KSTACK_SIZE };

	EXPECT_EQ(HYPERCALL2(stack_switch, 0xE010, tops[0]), -XENO_EINVAL);	/* ring 0 */
	EXPECT_EQ(HYPERCALL2(stack_switch, XENO_FLAT_RING3_DS, tops[0]), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL2(stack_switch, XENO_FLAT_RING1_CS, tops[0]), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, 0xFC001000), -XENO_EINVAL);
	CHECK(HYPERCALL1(set_trap_table, t) == 0, "set_trap_table");
	set_trap_hook(0x40, on_int40);
	for (unsigned int i = 0; i < 4; i++) {
		CHECK(HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, tops[i & 1]) == 0,
		      "stack_switch");
		frame_at = 0;
		run_in_ring3(user_int40, 0);
		CHECK(frame_at + 20 == (uint32_t)tops[i & 1],
		      "ring-3 trap frame at %08x, expected at the top of stack %c (%p)", frame_at,
		      'A' + (i & 1), tops[i & 1]);
	}
}

/*
 * A kernel stack segment with a base: stack_switch must refuse it, or
 * frames must land at SS:ESP (base + ESP), where the handler finds them.
 */
#define BASE		0x2000u			/* the stack segment's base */
#define BASED_SS	(0x08 | 1)		/* entry 1 of the GDT below, RPL 1 */
uint32_t based_frame[5];
void based_entry(void);
extern char ring3_exit[];
/* Copy the frame through SS, back to the flat SS, and out as run_in_ring3 would. */
asm(".text\n"
    ".globl based_entry\n"
    "based_entry:\n"
    "	mov %ss:0(%esp), %eax\n	mov %eax, based_frame\n"
    "	mov %ss:4(%esp), %eax\n	mov %eax, based_frame + 4\n"
    "	mov %ss:8(%esp), %eax\n	mov %eax, based_frame + 8\n"
    "	mov %ss:12(%esp), %eax\n	mov %eax, based_frame + 12\n"
    "	mov %ss:16(%esp), %eax\n	mov %eax, based_frame + 16\n"
    "	mov $0xE021, %eax\n	mov %eax, %ss\n"
    "	xor %eax, %eax\n"
    "	jmp ring3_exit\n");

static uint32_t user_marked_int40(uint32_t arg)
{
	(void)arg;
	asm volatile("mov $0x5ca1ab1e, %%edx\n int $0x40" : : : "edx", "memory");
	return 0;
}

static void test_based_stack(void)
{
	static uint8_t kstack[3 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
	uint32_t *gdt = alloc_page(), frame = virt_to_mfn(gdt);
	struct xeno_trap_info t[2] = {
		{ 0x40, XENO_TI_MASK_EVENTS | 3, XENO_FLAT_RING1_CS, (uint32_t)based_entry },
		{ 0, 0, 0, 0 } };
	uint32_t top = (uint32_t)kstack + sizeof(kstack);
	const uint32_t *linear;
	long rc;

	gdt[2] = 0xffff | (BASE << 16);				/* base 0x2000, 4 GiB */
	gdt[3] = 0x00cfb200 | (BASE >> 16 & 0xff) | (BASE & 0xff000000);
	if (page_set_ro(gdt, true) || HYPERCALL2(set_gdt, &frame, 2)) {
		xtf_error("cannot set up a GDT");
		return;
	}
	rc = HYPERCALL2(stack_switch, BASED_SS, top - BASE);
	if (rc == -XENO_EINVAL) {
		printf("stack_switch refuses a stack segment with a base: fine\n");
		goto out;
	}
	CHECK(rc == 0, "stack_switch with a based SS: %ld", rc);
	memset(kstack, 0, sizeof(kstack));
	CHECK(HYPERCALL1(set_trap_table, t) == 0, "set_trap_table");
	memset(based_frame, 0, sizeof(based_frame));
	run_in_ring3(user_marked_int40, 0);
	/* Where a base-ignoring hypervisor would have put it (for the message). */
	linear = (const uint32_t *)(top - BASE - 20);
	CHECK((based_frame[1] & 0xffff) == XENO_FLAT_RING3_CS &&
	      (based_frame[4] & 0xffff) == XENO_FLAT_RING3_DS,
	      "stack_switch took SS %04x (base %#x): the frame at SS:ESP reads CS %08x SS %08x; "
	      "at the linear address ESP there is CS %08x SS %08x", BASED_SS, BASE,
	      based_frame[1], based_frame[4], linear[1], linear[4]);
out:
	HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, kstack_a + KSTACK_SIZE);
	t[0].address = (uint32_t)trap_stubs + 0x40 * 16;
	HYPERCALL1(set_trap_table, t);
	HYPERCALL2(set_gdt, &frame, 0);
	page_set_ro(gdt, false);
}

/* ---- set_callbacks: the event entry ---- */

volatile uint32_t ev_count, ev_eip, ev_cs, ev_eflags;
void counting_event_entry(void);
/* Note the upcall frame, then go on to the library's event entry. */
asm(".text\n"
    ".globl counting_event_entry\n"
    "counting_event_entry:\n"
    "	incl ev_count\n"
    "	push %eax\n"
    "	mov 4(%esp), %eax\n	mov %eax, ev_eip\n"
    "	mov 8(%esp), %eax\n	mov %eax, ev_cs\n"
    "	mov 12(%esp), %eax\n	mov %eax, ev_eflags\n"
    "	pop %eax\n"
    "	jmp event_entry\n");

static volatile unsigned int port_hits;

static void on_port(unsigned int port)
{
	(void)port;
	port_hits++;
}

static void test_set_callbacks(void)
{
	struct xeno_evtchn_port send;
	uint32_t cs = XENO_FLAT_RING1_CS, ret_eip;
	long port;

	EXPECT_EQ(HYPERCALL4(set_callbacks, 0xE008, event_entry, cs, failsafe_entry), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL4(set_callbacks, cs, event_entry, XENO_FLAT_RING3_CS, failsafe_entry),
		  -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL4(set_callbacks, cs, 0xFC000000, cs, failsafe_entry), -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL4(set_callbacks, cs, event_entry, cs, 0xFFFFF000), -XENO_EINVAL);
	CHECK(HYPERCALL4(set_callbacks, cs, counting_event_entry, cs, failsafe_entry) == 0,
	      "set_callbacks");
	port = evtchn_loopback(on_port);
	CHECK(port > 0, "loopback channel: %ld", port);
	send.port = (uint32_t)port;
	local_irq_enable();
	evtchn_op(XENO_EVTCHNOP_send, &send);
	local_irq_disable();
	/* The upcall interrupted the hypercall stub just after its int $0x82. */
	ret_eip = (uint32_t)hypercall_page + __HYPERVISOR_event_channel_op * 32 + 7;
	CHECK(ev_count == 1 && port_hits == 1, "the new event callback ran %u times (%u events)",
	      ev_count, port_hits);
	CHECK(ev_eip == ret_eip && (ev_cs & 0xffff) == cs && (ev_cs >> 16) == 0 &&
	      (ev_eflags & 0x200), "upcall frame %08x:%08x %08x, expected %04x:%08x with the "
	      "mask 0 and IF set", ev_cs, ev_eip, ev_eflags, cs, ret_eip);
	CHECK(HYPERCALL4(set_callbacks, cs, event_entry, cs, failsafe_entry) == 0, "set_callbacks");
	evtchn_op(XENO_EVTCHNOP_send, &send);
	local_irq_enable();
	local_irq_disable();
	CHECK(ev_count == 1 && port_hits == 2, "old callback still in use (%u, %u)", ev_count,
	      port_hits);
}

/* ---- the failsafe callback ---- */

static volatile uint32_t fs_hits;
static struct gregs fs_frame;
static uint32_t fs_segs[4];
uint32_t regs_after[7], fs_saved_esp;

void failsafe_recover(void);
static bool on_failsafe(struct gregs *r)
{
	memcpy(&fs_frame, r, sizeof(fs_frame));
	for (unsigned int i = 0; i < 4; i++)
		fs_segs[i] = failsafe_segs[i] & 0xffff;
	fs_hits++;
	if ((r->cs & 3) == 3) {		/* give up on the bad ring-3 frame */
		r->eip = (uint32_t)failsafe_recover;
		r->cs = XENO_FLAT_RING1_CS | (r->cs & 0xffff0000);
	}
	return true;
}

/*
 * uint32_t update_descriptor_regs(maddr, lo, hi): the hypercall with ESI,
 * EDI, EBP set to patterns; every register afterwards goes to regs_after
 * (EAX EBX ECX EDX ESI EDI EBP).
 */
asm(".text\n"
    ".globl update_descriptor_regs\n"
    "update_descriptor_regs:\n"
    "	push %ebp\n	push %ebx\n	push %esi\n	push %edi\n"
    "	mov 20(%esp), %ebx\n	mov 24(%esp), %ecx\n	mov 28(%esp), %edx\n"
    "	mov $0x44444444, %esi\n	mov $0x55555555, %edi\n	mov $0x66666666, %ebp\n"
    "	call hypercall_page + 10 * 32\n"	/* __HYPERVISOR_update_descriptor */
    "	mov %eax, regs_after\n	mov %ebx, regs_after + 4\n	mov %ecx, regs_after + 8\n"
    "	mov %edx, regs_after + 12\n	mov %esi, regs_after + 16\n	mov %edi, regs_after + 20\n"
    "	mov %ebp, regs_after + 24\n"
    "	pop %edi\n	pop %esi\n	pop %ebx\n	pop %ebp\n"
    "	ret\n");
uint32_t update_descriptor_regs(uint32_t maddr, uint32_t lo, uint32_t hi);

/*
 * void iret_bad_ss(eip, esp, ss): an iret hypercall to ring 3 with a
 * selector the CPU refuses for SS, ESI/EDI/EBP set to patterns; the
 * failsafe hook sends us to failsafe_recover.
 */
asm(".text\n"
    ".globl iret_bad_ss, failsafe_recover\n"
    "iret_bad_ss:\n"
    "	push %ebp\n	push %ebx\n	push %esi\n	push %edi\n"
    "	mov 20(%esp), %eax\n	mov 24(%esp), %ecx\n	mov 28(%esp), %edx\n"
    "	mov %esp, fs_saved_esp\n"
    "	push %edx\n	push %ecx\n	push $0x202\n	push $0xE02B\n	push %eax\n"
    "	mov $0x44444444, %esi\n	mov $0x55555555, %edi\n	mov $0x66666666, %ebp\n"
    "	mov $0x11111111, %ebx\n"
    "	mov $0x77777777, %eax\n"
    "	jmp hypercall_page + 17 * 32\n"		/* __HYPERVISOR_iret */
    "failsafe_recover:\n"
    "	mov fs_saved_esp, %esp\n"
    "	mov $0xE021, %ecx\n	mov %ecx, %ds\n	mov %ecx, %es\n"
    "	pop %edi\n	pop %esi\n	pop %ebx\n	pop %ebp\n"
    "	ret\n");
void iret_bad_ss(uint32_t eip, uint32_t esp, uint32_t ss);

static void check_gprs(const char *what, const struct gregs *r, uint32_t eax, uint32_t ebx,
		       uint32_t ecx, uint32_t edx)
{
	CHECK(r->eax == eax && r->ebx == ebx && r->ecx == ecx && r->edx == edx &&
	      r->esi == PAT_ESI && r->edi == PAT_EDI && r->ebp == PAT_EBP,
	      "%s: the failsafe callback got EAX %08x EBX %08x ECX %08x EDX %08x ESI %08x "
	      "EDI %08x EBP %08x, expected %08x %08x %08x %08x %08x %08x %08x", what, r->eax,
	      r->ebx, r->ecx, r->edx, r->esi, r->edi, r->ebp, eax, ebx, ecx, edx, PAT_ESI,
	      PAT_EDI, PAT_EBP);
}

static void check_segs(const char *what, uint32_t ds, uint32_t es, uint32_t fs, uint32_t gs)
{
	CHECK(fs_segs[0] == ds && fs_segs[1] == es && fs_segs[2] == fs && fs_segs[3] == gs,
	      "%s: failsafe frame DS ES FS GS = %04x %04x %04x %04x, expected %04x %04x %04x %04x",
	      what, fs_segs[0], fs_segs[1], fs_segs[2], fs_segs[3], ds, es, fs, gs);
}

/* FS holds a selector whose descriptor is made not-present under it. */
static void test_failsafe_segment(void)
{
	uint32_t *gdt = alloc_page(), frame, maddr, fs, want_eip;
	const char *what = "FS descriptor made not-present";

	gdt[2] = FLAT_LO;
	gdt[3] = FLAT_DATA_DPL1;
	frame = virt_to_mfn(gdt);
	maddr = virt_to_maddr(&gdt[2]);
	if (page_set_ro(gdt, true) || HYPERCALL2(set_gdt, &frame, 2)) {
		xtf_error("setting up a GDT");
		return;
	}
	asm volatile("mov %0, %%fs" : : "r"(GDT_SEL_DATA));
	fs_hits = 0;
	EXPECT_EQ(update_descriptor_regs(maddr, FLAT_LO, FLAT_DATA_DPL1 & ~DESC_P), 0);
	asm volatile("mov %%fs, %0" : "=r"(fs));
	want_eip = (uint32_t)hypercall_page + __HYPERVISOR_update_descriptor * 32 + 7;
	CHECK(fs_hits == 1, "%s: the failsafe callback ran %u times", what, fs_hits);
	if (fs_hits != 1)
		return;
	CHECK(fs_frame.eip == want_eip && (fs_frame.cs & 0xffff) == XENO_FLAT_RING1_CS,
	      "%s: failsafe frame %04x:%08x, expected %04x:%08x", what, fs_frame.cs & 0xffff,
	      fs_frame.eip, XENO_FLAT_RING1_CS, want_eip);
	check_segs(what, XENO_FLAT_RING1_DS, XENO_FLAT_RING1_DS, GDT_SEL_DATA, 0);
	check_gprs(what, &fs_frame, 0, maddr, FLAT_LO, FLAT_DATA_DPL1 & ~DESC_P);
	CHECK((fs & 0xffff) == 0, "%s: FS is %04x after the failsafe callback, expected 0", what,
	      fs);
	CHECK(regs_after[0] == 0 && regs_after[4] == PAT_ESI && regs_after[5] == PAT_EDI &&
	      regs_after[6] == PAT_EBP, "%s: registers after the hypercall: EAX %08x ESI %08x "
	      "EDI %08x EBP %08x", what, regs_after[0], regs_after[4], regs_after[5],
	      regs_after[6]);
}

/* An iret to ring 3 whose SS is a code selector: the CPU's iret faults. */
static void test_failsafe_iret(void)
{
	uint8_t *ustack = alloc_page();
	uint32_t esp = (uint32_t)ustack + PAGE_SIZE - 16;
	const char *what = "iret to ring 3 with a code selector in SS";

	make_user(ustack, PAGE_SIZE);
	fs_hits = 0;
	iret_bad_ss((uint32_t)user_int40, esp, XENO_FLAT_RING3_CS);
	CHECK(fs_hits == 1, "%s: the failsafe callback ran %u times", what, fs_hits);
	if (fs_hits != 1)
		return;
	CHECK(fs_frame.eip == (uint32_t)user_int40 && (fs_frame.cs & 0xffff) == XENO_FLAT_RING3_CS &&
	      fs_frame.esp == esp && (fs_frame.ss & 0xffff) == XENO_FLAT_RING3_CS,
	      "%s: failsafe frame CS:EIP %04x:%08x SS:ESP %04x:%08x, expected %04x:%08x %04x:%08x",
	      what, fs_frame.cs & 0xffff, fs_frame.eip, fs_frame.ss & 0xffff, fs_frame.esp,
	      XENO_FLAT_RING3_CS, (uint32_t)user_int40, XENO_FLAT_RING3_CS, esp);
	check_segs(what, XENO_FLAT_RING1_DS, XENO_FLAT_RING1_DS, 0, 0);
	check_gprs(what, &fs_frame, 0x77777777, 0x11111111, (uint32_t)esp,
		   XENO_FLAT_RING3_CS);
}

void test_main(void)
{
	set_trap_hook(VEC_FAILSAFE, on_failsafe);
	test_stack_switch();
	test_based_stack();
	test_set_callbacks();
	test_failsafe_segment();
	test_failsafe_iret();
	xtf_success(NULL);
}
