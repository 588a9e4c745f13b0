/* SPDX-License-Identifier: MIT */
/*
 * trap-dr7: the proof of concept build/poc/dr7 and relatives: data breakpoints
 * on buffers the hypervisor writes or reads for us (xeno_version's output at
 * its first, middle and last byte, console_io's input, an event_channel_op
 * argument) and on the kernel-stack slot of a bounce frame; breakpoints in the
 * hypervisor's area, GD, I/O breakpoints.
 *
 * Rule (abi.md 4.8, 6.8, 9): DR0-DR3 >= 0xFBFFFFFC, GD and I/O breakpoints are
 * -EPERM; a breakpoint hit while the hypervisor works for the guest is the
 * guest's: the call completes and the guest gets a #DB on the way out.
 * Why it matters: (the defect this was, fixed) a ring-0 #DB was taken as the
 * hypervisor's own: a copy aborted half-done with -EFAULT, or, on the last
 * byte, a panic any guest could trigger.
 */
#include <seg.h>

const char test_title[] = "trap-dr7: breakpoints on what the hypervisor touches for us";

#define DR7_L0		0x1u
#define DR7_GD		0x2000u
#define RW(n, x)	((uint32_t)(x) << (16 + 4 * (n)))
#define LEN(n, x)	((uint32_t)(x) << (18 + 4 * (n)))
#define RW_WRITE	1
#define RW_IO		2
#define RW_ACCESS	3

static volatile unsigned int db_hits;
static volatile uint32_t db_dr6;
static uint8_t buf[64] __attribute__((aligned(16)));

static bool on_db(struct gregs *r)
{
	(void)r;
	db_hits++;
	db_dr6 = vcpu->dr6;
	return true;
}

static long setdr(uint32_t reg, uint32_t v)
{
	return HYPERCALL2(set_debugreg, reg, v);
}

/* Arm DR0 at va (1 byte, rw) and run call; the call's result. */
#define WATCH(va, rw, call)							\
	({									\
		long _rc;							\
		db_hits = 0, db_dr6 = 0;					\
		CHECK(setdr(0, (uint32_t)(va)) == 0 &&				\
		      setdr(7, DR7_L0 | RW(0, rw) | LEN(0, 0)) == 0, "arming DR0");	\
		_rc = (call);							\
		setdr(7, 0);							\
		_rc;								\
	})

static void hit(const char *what, long rc, long want)
{
	CHECK(rc == want && db_hits == 1 && (db_dr6 & 1), "%s: %ld (expected %ld), %u #DB, "
	      "DR6 %08x", what, rc, want, db_hits, db_dr6);
}

static bool on_int3(struct gregs *r)
{
	(void)r;
	return true;
}

static void attack(void)
{
	static uint8_t kstack[PAGE_SIZE] __attribute__((aligned(16)));
	uint32_t top = (uint32_t)kstack + sizeof(kstack);
	struct xeno_evtchn_status st = { .dom = XENO_DOMID_SELF, .port = 1 };

	set_trap_hook(1, on_db);
	/* The PoC: a write breakpoint in the middle, then on the last byte. */
	memset(buf, 0, sizeof(buf));
	hit("xeno_version, breakpoint on byte 7", WATCH(buf + 7, RW_WRITE,
	    HYPERCALL2(xeno_version, XENO_VERSION_EXTRAVERSION, buf)), 0);
	CHECK(!strcmp((char *)buf, XENO_VERSION_STRING), "the copy was cut short: '%s'", buf);
	memset(buf, 0x55, sizeof(buf));
	hit("xeno_version, breakpoint on the last byte", WATCH(buf + 15, RW_WRITE,
	    HYPERCALL2(xeno_version, XENO_VERSION_EXTRAVERSION, buf)), 0);
	CHECK(!strcmp((char *)buf, XENO_VERSION_STRING) && buf[15] == 0 && buf[16] == 0x55,
	      "the copy is wrong");
	hit("capabilities, breakpoint on the first byte", WATCH(buf, RW_WRITE,
	    HYPERCALL2(xeno_version, XENO_VERSION_CAPABILITIES, buf)), 0);
	/* Reads: console_io's input, event_channel_op's argument. */
	memcpy(buf, "dr7\n", 4);
	hit("console_io, read breakpoint", WATCH(buf + 2, RW_ACCESS,
	    HYPERCALL3(console_io, XENO_CONSOLEIO_WRITE, 4, buf)), 4);
	hit("event_channel_op status, breakpoint on the argument", WATCH(&st.status, RW_ACCESS,
	    evtchn_op(XENO_EVTCHNOP_status, &st)), 0);
	/* The bounce frame of a trap from ring 3: its EIP slot. */
	set_trap_hook(3, on_int3);
	CHECK(HYPERCALL2(stack_switch, XENO_FLAT_RING1_DS, top) == 0, "stack_switch");
	db_hits = 0;
	CHECK(setdr(0, top - 20) == 0 && setdr(7, DR7_L0 | RW(0, RW_WRITE) | LEN(0, 3)) == 0,
	      "arming DR0 on the kernel stack");
	run_in_ring3(ring3_int3, 0);
	setdr(7, 0);
	CHECK(db_hits >= 1, "no #DB for the breakpoint on the bounce frame (%u)", db_hits);
	set_trap_hook(3, NULL);

	/* What may not be watched. */
	for (uint32_t reg = 0; reg < 4; reg++) {
		static const uint32_t bad[] = { 0xFBFFFFFC, 0xFBFFFFFF, 0xFC000000, 0xFC500000,
						0xFF000000, 0xFFFFFFFF };

		for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
			EXPECT_EQ(setdr(reg, bad[i]), -XENO_EPERM);
		EXPECT_EQ(setdr(reg, 0xFBFFFFFB), 0);
		EXPECT_EQ(HYPERCALL1(get_debugreg, reg), 0xFBFFFFFB);
		EXPECT_EQ(setdr(7, DR7_L0 << (2 * reg) | RW(reg, RW_IO)), -XENO_EPERM);
	}
	EXPECT_EQ(setdr(7, DR7_GD), -XENO_EPERM);
	EXPECT_EQ(setdr(7, DR7_GD | DR7_L0), -XENO_EPERM);
	EXPECT_EQ(setdr(7, 0xffffffff), -XENO_EPERM);
	EXPECT_EQ(setdr(7, 0), 0);
	EXPECT_EQ(HYPERCALL1(get_debugreg, 7), 0x400);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
