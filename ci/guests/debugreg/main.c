/* SPDX-License-Identifier: MIT */
/*
 * debugreg: set_debugreg/get_debugreg and the #DB traps they give: data
 * and instruction breakpoints, single-stepping, DR6 in vcpu_info, and the
 * registers surviving a context switch.
 *
 * Debuggers in the guest (gdb's hardware watchpoints, kgdb, ptrace) need
 * the debug registers virtualized per vCPU: breakpoints may only cover
 * guest addresses, general-detect and I/O breakpoints stay the
 * hypervisor's (-EPERM), DR6 must be published before the bounce (the real
 * one is the hypervisor's to clear), and a guest's breakpoint must never
 * take the hypervisor down: the hypervisor reads guest buffers for
 * hypercalls, so a watchpoint on such a buffer must not fail the hypercall;
 * the hit is passed on as the guest's #DB on the way out (docs/abi.md 9).
 * That case runs last, as a panic there would stop the machine.
 */
#include <guest.h>

const char test_title[] = "debugreg: breakpoints, single step, DR6";

#define DR6_B0		0x0001u
#define DR6_B1		0x0002u
#define DR6_BS		0x4000u
#define DR7_L0		0x0001u
#define DR7_L1		0x0004u
#define DR7_GD		0x2000u
#define DR7_RW0(x)	((uint32_t)(x) << 16)
#define DR7_LEN0(x)	((uint32_t)(x) << 18)
#define DR7_RW1(x)	((uint32_t)(x) << 20)
#define RW_EXEC		0
#define RW_WRITE	1
#define RW_IO		2
#define RW_ACCESS	3
#define LEN_4		3
#define EFLAGS_TF	0x100u

extern char hypercall_page[];
static volatile uint32_t watched, db_hits, db_eip, db_dr6;
static volatile bool clear_tf, disarm;

static bool on_db(struct gregs *r)
{
	db_hits++;
	db_eip = r->eip;
	db_dr6 = vcpu->dr6;
	if (clear_tf)
		r->eflags &= ~EFLAGS_TF;
	if (disarm)
		HYPERCALL2(set_debugreg, 7, 0);
	return true;
}

static long setdr(uint32_t reg, uint32_t v)
{
	return HYPERCALL2(set_debugreg, reg, v);
}

static long getdr(uint32_t reg)
{
	return HYPERCALL1(get_debugreg, reg);
}

/* Store to 'watched'; returns the address right after the store. */
static uint32_t store(uint32_t v)
{
	uint32_t after;

	asm volatile("movl %1, watched\n1:\n lea 1b, %0" : "=r"(after) : "r"(v) : "memory");
	return after;
}

/* An instruction breakpoint target. */
asm(".text\n.globl bp_target\nbp_target:\n nop\n ret\n");
void bp_target(void);

static void test_refusals(void)
{
	EXPECT_EQ(setdr(0, XENO_HYPERVISOR_VIRT_START), -XENO_EPERM);
	EXPECT_EQ(setdr(3, 0xFFFFFFFC), -XENO_EPERM);
	EXPECT_EQ(setdr(7, DR7_GD), -XENO_EPERM);
	EXPECT_EQ(setdr(7, DR7_L0 | DR7_RW0(RW_IO)), -XENO_EPERM);
	EXPECT_EQ(setdr(4, 0), -XENO_EINVAL);
	EXPECT_EQ(setdr(8, 0), -XENO_EINVAL);
	EXPECT_EQ(getdr(4), -XENO_EINVAL);
	EXPECT_EQ(getdr(8), -XENO_EINVAL);
	EXPECT_EQ(getdr(7) & 0xff, 0);
}

static void test_data_breakpoint(void)
{
	uint32_t after;

	EXPECT_EQ(setdr(0, (uint32_t)&watched), 0);
	EXPECT_EQ(getdr(0), (uint32_t)&watched);
	EXPECT_EQ(setdr(7, DR7_L0 | DR7_RW0(RW_WRITE) | DR7_LEN0(LEN_4)), 0);
	CHECK((getdr(7) & 0xffff00ff) == (DR7_L0 | DR7_RW0(RW_WRITE) | DR7_LEN0(LEN_4)),
	      "DR7 reads back %08lx", getdr(7));
	db_hits = 0;
	after = store(1);
	CHECK(db_hits == 1 && db_eip == after && (db_dr6 & DR6_B0),
	      "write watchpoint: %u #DB, EIP %08x (expected %08x), DR6 %08x", db_hits, db_eip,
	      after, db_dr6);
	EXPECT_EQ(watched, 1);
	(void)watched;				/* a read: no trap for a write watchpoint */
	EXPECT_EQ(db_hits, 1);

	/* Still armed after the vCPU was descheduled. */
	sleep_ns(1000000);
	EXPECT_EQ(getdr(0), (uint32_t)&watched);
	db_hits = 0;
	store(2);
	EXPECT_EQ(db_hits, 1);
	EXPECT_EQ(setdr(7, 0), 0);
	store(3);
	EXPECT_EQ(db_hits, 1);
}

static void test_instruction_breakpoint(void)
{
	EXPECT_EQ(setdr(1, (uint32_t)bp_target), 0);
	EXPECT_EQ(setdr(7, DR7_L1 | DR7_RW1(RW_EXEC)), 0);
	db_hits = 0;
	disarm = true;		/* a fault: disarm it or it fires again */
	bp_target();
	disarm = false;
	CHECK(db_hits == 1 && db_eip == (uint32_t)bp_target && (db_dr6 & DR6_B1),
	      "instruction breakpoint: %u #DB at %08x, DR6 %08x", db_hits, db_eip, db_dr6);
}

static void test_single_step(void)
{
	uint32_t next;

	db_hits = 0;
	clear_tf = true;
	asm volatile("pushf\n orl $0x100, (%%esp)\n popf\n"
		     "1: nop\n2: lea 2b, %0\n" : "=r"(next) : : "memory", "cc");
	clear_tf = false;
	CHECK(db_hits == 1 && (db_dr6 & DR6_BS), "single step: %u #DB, DR6 %08x", db_hits,
	      db_dr6);

	/* Stepping into the hypercall gate: the call works, the machine lives on. */
	db_hits = 0;
	clear_tf = true;
	asm volatile("pushf\n orl $0x100, (%%esp)\n popf\n int $0x82\n nop"
		     : "=a"(next) : "a"(__HYPERVISOR_xeno_version), "b"(XENO_VERSION_VERSION)
		     : "memory", "cc");
	clear_tf = false;
	EXPECT_EQ(next, XENO_INTERFACE_VERSION);
	CHECK(db_hits >= 1 && (db_dr6 & DR6_BS), "single step over int $0x82: %u #DB, DR6 %08x",
	      db_hits, db_dr6);
}

/* The hypervisor reads a watched buffer (at 'offset') for a hypercall. */
static void watched_console_write(unsigned int offset)
{
	static char line[] __attribute__((aligned(4))) =
		"debugreg: this line is watched while the hypervisor prints it\n";
	uint32_t ret_eip = (uint32_t)hypercall_page + __HYPERVISOR_console_io * 32 + 7;
	long rc;

	EXPECT_EQ(setdr(0, (uint32_t)&line[offset & ~3u]), 0);
	EXPECT_EQ(setdr(7, DR7_L0 | DR7_RW0(RW_ACCESS) | DR7_LEN0(LEN_4)), 0);
	db_hits = 0;
	rc = HYPERCALL3(console_io, XENO_CONSOLEIO_WRITE, sizeof(line) - 1, line);
	EXPECT_EQ(setdr(7, 0), 0);
	CHECK(rc == (long)sizeof(line) - 1, "console_io of a buffer watched at byte %u returned "
	      "%ld", offset, rc);
	/* Documented (docs/abi.md 9): the hit becomes the guest's #DB on the way out. */
	CHECK(db_hits == 1 && (db_dr6 & DR6_B0) && db_eip == ret_eip,
	      "the hypervisor's read of a buffer watched at byte %u gave %u #DB (EIP %08x, "
	      "DR6 %08x); expected one at the hypercall's return %08x with B0", offset, db_hits,
	      db_eip, db_dr6, ret_eip);
}

static void test_hypervisor_access(void)
{
	printf("now watching console_io buffers (first word, then last word)\n");
	watched_console_write(0);
	watched_console_write(60);
}

void test_main(void)
{
	set_trap_hook(1, on_db);
	test_refusals();
	test_data_breakpoint();
	test_instruction_breakpoint();
	test_single_step();
	test_hypervisor_access();
	xtf_success(NULL);
}
