/* SPDX-License-Identifier: MIT */
/*
 * trap-priv-insns: every privileged instruction (cli, sti, hlt, mov CRn and
 * DR7, lgdt, lidt, ltr, lldt, lmsw, clts, invlpg, invd, wbinvd, rdpmc, rdmsr,
 * wrmsr of the SYSENTER MSRs then sysenter, string I/O, port I/O to the reset,
 * power-off and interrupt-controller ports) and popf raising IOPL, from ring 1
 * and ring 3.
 *
 * Rule (abi.md 1.1, 4.2): #GP(0) in the guest, except from ring 1 rdmsr (reads
 * 0), wrmsr and wbinvd (ignored) and in/out (no device answers: in reads all
 * ones, out is dropped); IOPL stays 0 and IF 1.
 * Why it matters: any one executed for real hands the guest the machine: its
 * page tables, descriptor tables, caches, interrupt controller, power.
 */
#include <seg.h>

const char test_title[] = "trap-priv-insns: privileged instructions and port I/O";

#define GP0	EXINFO(13, 0)
#define UD	EXINFO(6, 0)

static uint8_t gdtr_buf[8];

/* The instruction 'text' with ECX, EDX, ESI, EDI preset; exinfo. */
#define INSN(name, text, c0, d0, s0, di0)					\
	static uint32_t i_##name(uint32_t arg)					\
	{									\
		uint32_t ex = 0, c = (c0), d = (d0), s = (s0), di = (di0);	\
		(void)arg;							\
		asm volatile("1: " text "\n2:\n" ASM_EXTABLE(1b, 2b)		\
			     : "+a"(ex), "+c"(c), "+d"(d), "+S"(s), "+D"(di)	\
			     : : "memory", "cc");				\
		return ex;							\
	}
#define BUF	((uint32_t)gdtr_buf)
INSN(cli, "cli", 0, 0, 0, 0)
INSN(sti, "sti", 0, 0, 0, 0)
INSN(hlt, "hlt", 0, 0, 0, 0)
INSN(rd_cr0, "mov %%cr0, %%ecx", 0, 0, 0, 0)
INSN(rd_cr2, "mov %%cr2, %%ecx", 0, 0, 0, 0)
INSN(rd_cr3, "mov %%cr3, %%ecx", 0, 0, 0, 0)
INSN(rd_cr4, "mov %%cr4, %%ecx", 0, 0, 0, 0)
INSN(wr_cr0, "mov %%ecx, %%cr0", 0, 0, 0, 0)
INSN(wr_cr3, "mov %%ecx, %%cr3", 0, 0, 0, 0)
INSN(wr_cr4, "mov %%ecx, %%cr4", 0, 0, 0, 0)
INSN(rd_dr7, "mov %%dr7, %%ecx", 0, 0, 0, 0)
INSN(wr_dr7, "mov %%ecx, %%dr7", 0x3ff, 0, 0, 0)
INSN(lgdt, "lgdt (%%ecx)", BUF, 0, 0, 0)
INSN(lidt, "lidt (%%ecx)", BUF, 0, 0, 0)
INSN(ltr, "ltr %%cx", 0xE038, 0, 0, 0)
INSN(lldt, "lldt %%cx", 0, 0, 0, 0)
INSN(lmsw, "lmsw %%cx", 0, 0, 0, 0)
INSN(clts, "clts", 0, 0, 0, 0)
INSN(invlpg, "invlpg (%%ecx)", 0x400000, 0, 0, 0)
INSN(invd, "invd", 0, 0, 0, 0)
INSN(rdpmc, "rdpmc", 0, 0, 0, 0)
INSN(insb, "insb", 0, 0x60, 0, BUF)
INSN(outsb, "outsb", 0, 0x80, BUF, 0)
INSN(sysenter, "sysenter", 0, 0, 0, 0)
/* Emulated from ring 1 (no fault). */
INSN(wbinvd, "wbinvd", 0, 0, 0, 0)
INSN(wrmsr_cs, "wrmsr", 0x174, 0, 0, 0)

struct priv {
	const char *name;
	uint32_t (*fn)(uint32_t);
	uint32_t ring1;		/* exinfo expected from ring 1 */
};
static const struct priv privs[] = {
	{ "cli", i_cli, GP0 }, { "sti", i_sti, GP0 }, { "hlt", i_hlt, GP0 },
	{ "mov cr0, r", i_rd_cr0, GP0 }, { "mov cr2, r", i_rd_cr2, GP0 },
	{ "mov cr3, r", i_rd_cr3, GP0 }, { "mov cr4, r", i_rd_cr4, GP0 },
	{ "mov r, cr0", i_wr_cr0, GP0 }, { "mov r, cr3", i_wr_cr3, GP0 },
	{ "mov r, cr4", i_wr_cr4, GP0 }, { "mov dr7, r", i_rd_dr7, GP0 },
	{ "mov r, dr7", i_wr_dr7, GP0 }, { "lgdt", i_lgdt, GP0 }, { "lidt", i_lidt, GP0 },
	{ "ltr", i_ltr, GP0 }, { "lldt", i_lldt, GP0 }, { "lmsw", i_lmsw, GP0 },
	{ "clts", i_clts, GP0 }, { "invlpg", i_invlpg, GP0 }, { "invd", i_invd, GP0 },
	{ "rdpmc", i_rdpmc, GP0 }, { "insb", i_insb, GP0 }, { "outsb", i_outsb, GP0 },
	{ "wbinvd", i_wbinvd, 0 },
};

/* Port I/O from ring 1: value read (in) or 0 (out), or exinfo. */
static uint32_t in8(uint16_t port)
{
	uint32_t v = 0x12345678;

	asm volatile("1: inb %%dx, %%al\n2:\n" ASM_EXTABLE(1b, 2b) : "+a"(v) : "d"(port));
	return v;
}

static uint32_t in16(uint16_t port)
{
	uint32_t v = 0x12345678;

	asm volatile("1: inw %%dx, %%ax\n2:\n" ASM_EXTABLE(1b, 2b) : "+a"(v) : "d"(port));
	return v;
}

static uint32_t in32_imm(void)
{
	uint32_t v = 0x12345678;

	asm volatile("1: inl $0x71, %%eax\n2:\n" ASM_EXTABLE(1b, 2b) : "+a"(v));
	return v;
}

static uint32_t out8(uint16_t port, uint8_t val)
{
	uint32_t v = val;

	asm volatile("1: outb %%al, %%dx\n xor %%eax, %%eax\n2:\n" ASM_EXTABLE(1b, 2b)
		     : "+a"(v) : "d"(port) : "memory");
	return v;
}

static uint32_t out32(uint16_t port, uint32_t val)
{
	uint32_t v = val;

	asm volatile("1: outl %%eax, %%dx\n xor %%eax, %%eax\n2:\n" ASM_EXTABLE(1b, 2b)
		     : "+a"(v) : "d"(port) : "memory");
	return v;
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo = 0x1111, hi = 0x2222;

	asm volatile("rdmsr" : "+a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* Would run in ring 0 if the SYSENTER MSRs had been written for real. */
volatile uint32_t ring0_ran;
void ring0_target(void);
asm(".text\n.globl ring0_target\nring0_target:\n"
    " movl $1, ring0_ran\n ud2\n");

static uint32_t user_sysenter(uint32_t unused)
{
	return i_sysenter(unused);
}

static uint32_t eflags_after_popf(uint32_t set)
{
	uint32_t f;

	asm volatile("pushf\n orl %1, (%%esp)\n popf\n pushf\n pop %0" : "=r"(f) : "r"(set)
		     : "cc", "memory");
	return f;
}

static uint32_t user_popf(uint32_t unused)
{
	(void)unused;
	return eflags_after_popf(0x3000);
}

static void attack(void)
{
	static const char shutdown[] = "Shutdown";
	uint32_t stack[64];

	user_image();
	for (unsigned int i = 0; i < ARRAY_SIZE(privs); i++) {
		uint32_t r1 = privs[i].fn(0), r3 = run_in_ring3(privs[i].fn, 0);

		CHECK(r1 == privs[i].ring1, "%s in ring 1: exinfo %08x, expected %08x",
		      privs[i].name, r1, privs[i].ring1);
		CHECK(r3 == GP0, "%s in ring 3: exinfo %08x, expected #GP(0)", privs[i].name, r3);
	}

	/* MSRs from ring 1: reads 0, writes ignored; ring 3: #GP. */
	EXPECT_EQ(rdmsr(0x10), 0);		/* TSC */
	EXPECT_EQ(rdmsr(0x1b), 0);		/* APIC base */
	wrmsr(0x174, XENO_FLAT_RING1_CS & ~3u);	/* SYSENTER_CS */
	wrmsr(0x175, (uint32_t)&stack[63]);	/* SYSENTER_ESP */
	wrmsr(0x176, (uint32_t)ring0_target);	/* SYSENTER_EIP */
	wrmsr(0x1b, 0);				/* the local APIC off */
	EXPECT_EQ(rdmsr(0x174), 0);
	EXPECT_EQ(rdmsr(0x176), 0);
	EXPECT_EQ(run_in_ring3(i_wrmsr_cs, 0), GP0);
	{
		uint32_t r3 = run_in_ring3(user_sysenter, 0), r1 = i_sysenter(0);

		CHECK((r3 == GP0 || r3 == UD) && (r1 == GP0 || r1 == UD) && !ring0_ran,
		      "sysenter after wrmsr: ring 3 %08x, ring 1 %08x, ring 0 code ran: %u", r3,
		      r1, ring0_ran);
	}

	/* Port input: nothing answers. */
	EXPECT_EQ(in8(0x60), 0x123456ff);
	EXPECT_EQ(in8(0x3fd), 0x123456ff);	/* COM1 line status */
	EXPECT_EQ(in16(0x1f0), 0x1234ffff);
	EXPECT_EQ(in32_imm(), 0xffffffff);
	/* Port output: the machine must not notice (reset, power off, IRQs off, PIT). */
	EXPECT_EQ(out8(0x21, 0xff), 0);		/* mask every IRQ on the PIC */
	EXPECT_EQ(out8(0xa1, 0xff), 0);
	EXPECT_EQ(out8(0x43, 0x30), 0);		/* PIT channel 0: one-shot, never loaded */
	EXPECT_EQ(out8(0x70, 0x80), 0);		/* NMI off */
	EXPECT_EQ(out8(0xf4, 0x01), 0);		/* QEMU's debug exit */
	for (unsigned int i = 0; i < sizeof(shutdown) - 1; i++)
		EXPECT_EQ(out8(0x8900, (uint8_t)shutdown[i]), 0);	/* Bochs' power off */
	EXPECT_EQ(out32(0xcf8, 0x80000000), 0);	/* PCI configuration */
	EXPECT_EQ(out8(0xcf9, 0x06), 0);	/* reset control */
	EXPECT_EQ(out8(0x64, 0xfe), 0);		/* keyboard controller reset */
	EXPECT_EQ(run_in_ring3((uint32_t (*)(uint32_t))(void *)in8, 0x60), GP0);

	/* IOPL and IF stay as they are. */
	EXPECT_EQ(eflags_after_popf(0x3000) & 0x3200, 0x200);
	EXPECT_EQ(run_in_ring3(user_popf, 0) & 0x3200, 0x200);
	EXPECT_EQ(i_cli(0), GP0);

	/* The machine still runs: timer interrupts come. */
	sleep_ns(10 * 1000000ull);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
