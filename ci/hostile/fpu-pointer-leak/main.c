/* SPDX-License-Identifier: MIT */
/*
 * fpu-pointer-leak: the bystander keeps loading x87 values from a table at
 * a secret index; the attacker, which never runs an x87 instruction that
 * sets them, reads the FPU's last instruction and operand pointers (FIP,
 * FDP, FOP) through fxsave each time it gets the FPU back.
 *
 * Rule (abi.md 4.8): nothing of another domain's FPU state shows through,
 * the last-instruction pointers included, whatever the CPU's fxrstor does
 * with them.
 * Why it matters: AMD's fxsave/fxrstor skip FIP, FDP and FOP unless an
 * exception is pending (CVE-2006-1056), and QEMU's do the same; a lazy FPU
 * switch that relies on fxrstor then hands the next domain the previous
 * one's pointers, and the data pointer of a table lookup gives away the
 * index: a key byte, say.
 */
#include <seg.h>

const char test_title[] = "fpu-pointer-leak: x87 FIP, FDP and FOP across domains";

#define FX_FOP		6	/* uint16_t */
#define FX_FIP		8	/* uint32_t */
#define FX_FDP		16	/* uint32_t */
#define ENV_FIP		3	/* fnstenv's 32-bit image, in words */
#define ENV_FCS_FOP	4
#define ENV_FDP		5
#define SECRET		5
#define ROUNDS		400

static double table[16];
extern char victim_load[];

/* The victim's x87 load from table[SECRET]: FDP = &table[5], FIP = victim_load. */
static void victim(void)
{
	asm volatile("victim_load: fldl (%0)\n fstp %%st(0)\n"
		     : : "r"(&table[SECRET]) : "memory");
}

static bool is_victims(uint32_t fip, uint32_t fdp)
{
	return (fdp >= (uint32_t)table && fdp < (uint32_t)table + sizeof(table)) ||
	       fip == (uint32_t)victim_load;
}

/* The pointers as fxsave (first) or fnstenv (second) shows them. */
static void read_pointers(bool env, uint32_t *fip, uint32_t *fdp, uint32_t *fop)
{
	static uint8_t area[512] __attribute__((aligned(16)));
	uint32_t *e = (uint32_t *)area;

	if (env) {
		asm volatile("fnstenv (%0)" : : "r"(area) : "memory");	/* #NM: ours again */
		*fip = e[ENV_FIP], *fdp = e[ENV_FDP], *fop = e[ENV_FCS_FOP] >> 16;
	} else {
		asm volatile("fxsave (%0)" : : "r"(area) : "memory");
		*fip = *(uint32_t *)(area + FX_FIP), *fdp = *(uint32_t *)(area + FX_FDP);
		*fop = *(uint16_t *)(area + FX_FOP);
	}
}

static void attack(void)
{
	unsigned int leaks = 0, zero = 0;
	uint32_t fip, fdp, fop;

	for (unsigned int i = 0; i < ROUNDS; i++) {
		bool env = i & 1;

		sleep_ns(1000000);	/* the bystander runs, and owns the FPU */
		read_pointers(env, &fip, &fdp, &fop);
		if (is_victims(fip, fdp) && !leaks++)
			printf("leak (%s): FIP %08x FDP %08x FOP %04x (the victim's table is at "
			       "%08x, its load at %08x)\n", env ? "fnstenv" : "fxsave", fip, fdp, fop,
			       (uint32_t)table, (uint32_t)victim_load);
		zero += !fip && !fdp;
	}
	printf("%u rounds: %u showed the other domain's x87 pointers, %u showed none\n",
	       ROUNDS, leaks, zero);
	CHECK(leaks == 0, "the bystander's x87 pointers reached the attacker %u times of %u",
	      leaks, ROUNDS);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack, .bystander_tick = victim };
