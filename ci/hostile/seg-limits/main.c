/* SPDX-License-Identifier: MIT */
/*
 * seg-limits: touch 0xFC400000 and up (direct map, hypervisor image, M2P, map
 * cache, GDT, top page) from ring 1 and ring 3 by mov, near and far jumps and
 * calls, string and stack instructions, accesses straddling the limit or
 * wrapping at 4 GiB, through the flat selectors and our own descriptors based
 * just below the ceiling.
 *
 * Rule (abi.md 1.2, 5.6; DESIGN.md 2): every guest segment ends at 0xFC3FFFFF:
 * each access is a #GP(0) (#SS(0) through SS) in the guest, before paging is
 * consulted.
 * Why it matters: the hypervisor's pages are supervisor pages that ring 1
 * could otherwise read and write; only the limit keeps a guest kernel out
 * (QEMU's TCG does not check limits: this runs under Bochs).
 */
#include <seg.h>

const char test_title[] = "seg-limits: every access to 0xFC400000 and up, rings 1 and 3";

#define GP	EXINFO(13, 0)
#define SS	EXINFO(12, 0)

static const uint32_t targets[] = { 0xFC400000, 0xFC500000, 0xFC510000, 0xFE400000,
				    0xFE800000, 0xFEC00000, 0xFF000000, 0xFF010000, 0xFFFFF000,
				    0xFFFFFFFC, 0xFC3FFFFD, 0xFC3FFFFE, 0xFC3FFFFF };

/* String instructions with ESI/EDI at va (kind 0-5). */
static uint32_t string_op(uint32_t kind, uint32_t va)
{
	static uint32_t buf[8];
	uint32_t ex = 0, c = 1, s = (uint32_t)buf, d = (uint32_t)buf;

	if (kind == 0 || kind == 2 || kind == 3)
		s = va;
	else
		d = va;
	if (kind == 0)
		asm volatile("1: movsl\n2:\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex), "+S"(s), "+D"(d) : : "memory");
	else if (kind == 1)
		asm volatile("1: movsl\n2:\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex), "+S"(s), "+D"(d) : : "memory");
	else if (kind == 2)
		asm volatile("1: lodsl\n xor %%eax, %%eax\n2:\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex), "+S"(s) : : "memory");
	else if (kind == 3)
		asm volatile("1: cmpsl\n2:\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex), "+S"(s), "+D"(d) : : "memory", "cc");
	else if (kind == 4)
		asm volatile("1: stosl\n2:\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex), "+D"(d) : : "memory");
	else
		asm volatile("1: repe scasl\n2:\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex), "+D"(d), "+c"(c) : : "memory", "cc");
	return ex;
}

/* rep movsl from 0xFC3FFFF8 into a buffer, 4 words: 2 copied, then #GP. */
static uint32_t rep_movs_to_limit(uint32_t unused, uint32_t unused2)
{
	static uint32_t buf[8];
	uint32_t ex = 0, s = 0xFC3FFFF8, d = (uint32_t)buf, c = 4;

	(void)unused, (void)unused2;
	asm volatile("cld\n1: rep movsl\n2:\n" ASM_EXTABLE(1b, 2b)
		     : "+a"(ex), "+S"(s), "+D"(d), "+c"(c) : : "memory");
	return ex == GP && c == 2 ? 0 : ex | 1;
}

/* push/pop of a memory operand at va. */
static uint32_t mem_stack_op(uint32_t pop, uint32_t va)
{
	uint32_t ex = 0;

	if (pop)
		asm volatile("push $0\n1: popl (%1)\n jmp 3f\n2: add $4, %%esp\n3:\n"
			     ASM_EXTABLE(1b, 2b) : "+a"(ex) : "r"(va) : "memory");
	else
		asm volatile("1: pushl (%1)\n add $4, %%esp\n2:\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex) : "r"(va) : "memory");
	return ex;
}

/* Ring 3 only: ESP = esp, then pop (0), push (1) or call (2); ESP restored. */
static uint32_t user_stack_op(uint32_t kind, uint32_t esp)
{
	uint32_t ex = 0;

	asm volatile("push %%ebp\n mov %%esp, %%ebp\n mov %2, %%esp\n"
		     " cmp $1, %1\n jb 1f\n je 2f\n"
		     "3: call 5f\n jmp 4f\n"
		     "1: pop %%ecx\n jmp 4f\n"
		     "2: push %%ecx\n"
		     "4: mov %%ebp, %%esp\n pop %%ebp\n jmp 6f\n"
		     "5: ret\n"
		     "6:\n"
		     ASM_EXTABLE(1b, 4b) ASM_EXTABLE(2b, 4b) ASM_EXTABLE(3b, 4b)
		     : "+a"(ex) : "r"(kind), "r"(esp) : "ecx", "memory", "cc");
	return ex;
}

static uint32_t user_probe(uint32_t kind, uint32_t va)
{
	if (kind == 0)
		return probe_read(va);
	if (kind == 1)
		return probe_write(va, 0xbad);
	if (kind == 2)
		return probe_exec(va);
	if (kind == 3)
		return far_call(XENO_FLAT_RING3_CS, va);
	return far_jmp(XENO_FLAT_RING3_CS, va);
}

static uint32_t user_string(uint32_t kind, uint32_t va)
{
	return string_op(kind, va);
}

static uint32_t user_mem_stack(uint32_t pop, uint32_t va)
{
	return mem_stack_op(pop, va);
}

static uint32_t user_seg(uint32_t sel, uint32_t off)
{
	return fs_read(sel, off);
}

/* A push through a ring-3 stack segment of ours, at offset esp. */
static uint32_t user_ss_push(uint32_t sel, uint32_t esp)
{
	uint32_t ex = 0;

	asm volatile("push %%ebp\n mov %%esp, %%ebp\n mov %%ss, %%edx\n"
		     " mov %1, %%ss\n mov %2, %%esp\n"
		     "1: push %%ecx\n"
		     "2: mov %%edx, %%ss\n mov %%ebp, %%esp\n pop %%ebp\n"
		     ASM_EXTABLE(1b, 2b)
		     : "+a"(ex) : "r"(sel), "r"(esp) : "ecx", "edx", "memory");
	return ex;
}

static void expect(const char *what, uint32_t va, uint32_t ex, uint32_t want)
{
	CHECK(ex == want, "%s at %08x: exinfo %08x, expected %08x", what, va, ex, want);
}

static void attack(void)
{
	static const char *const probes[] = { "read", "write", "jump", "far call", "far jump" };
	static const char *const strings[] = { "movs from", "movs to", "lods", "cmps", "stos",
					       "scas" };
	struct desc *gdt = dtab_page();

	user_image();
	for (unsigned int t = 0; t < ARRAY_SIZE(targets); t++) {
		uint32_t va = targets[t];

		for (uint32_t k = 0; k < ARRAY_SIZE(probes); k++) {
			char what[32];

			if (k >= 2 && va < SEG_END)
				break;	/* code there is inside the limit: the M2P's bytes */
			snprintf(what, sizeof(what), "ring 1 %s", probes[k]);
			if (k == 0)
				expect(what, va, probe_read(va), GP);
			else if (k == 1)
				expect(what, va, probe_write(va, 0xbad), GP);
			else if (k == 2)
				expect(what, va, probe_exec(va), GP);
			else if (k == 3)
				expect(what, va, far_call(XENO_FLAT_RING1_CS, va), GP);
			else
				expect(what, va, far_jmp(XENO_FLAT_RING1_CS, va), GP);
			snprintf(what, sizeof(what), "ring 3 %s", probes[k]);
			expect(what, va, ring3_call2(user_probe, k, va), GP);
		}
		for (uint32_t k = 0; k < ARRAY_SIZE(strings); k++) {
			expect(strings[k], va, string_op(k, va), GP);
			expect(strings[k], va, ring3_call2(user_string, k, va), GP);
		}
		expect("ring 1 push mem", va, mem_stack_op(0, va), GP);
		expect("ring 1 pop mem", va, mem_stack_op(1, va), GP);
		expect("ring 3 push mem", va, ring3_call2(user_mem_stack, 0, va), GP);
		expect("ring 3 pop mem", va, ring3_call2(user_mem_stack, 1, va), GP);
		if (va < 0xFC400000)
			continue;	/* straddlers: the stack cases below are for ESP there */
		expect("ring 3 pop with ESP", va, ring3_call2(user_stack_op, 0, va), SS);
		expect("ring 3 push with ESP", va + 4, ring3_call2(user_stack_op, 1, va + 4), SS);
		expect("ring 3 call with ESP", va + 4, ring3_call2(user_stack_op, 2, va + 4), SS);
	}
	expect("ring 3 push straddling", 0xFC400002,
	       ring3_call2(user_stack_op, 1, 0xFC400002), SS);
	CHECK(rep_movs_to_limit(0, 0) == 0 && ring3_call2(rep_movs_to_limit, 0, 0) == 0,
	      "rep movs up to the limit did not stop there with a #GP");
	/* Still allowed: the last word of the M2P, in both rings. */
	expect("ring 1 read of the last M2P word", 0xFC3FFFFC, probe_read(0xFC3FFFFC), 0);
	expect("ring 3 read of the last M2P word", 0xFC3FFFFC,
	       ring3_call2(user_probe, 0, 0xFC3FFFFC), 0);

	/* Our own descriptors, based just below the ceiling. */
	gdt[1] = mkdesc(SEG_END - 0x1000, 0xfffff, T_DATA_RW, 3, SEG32);	/* cut to 0xfff */
	gdt[2] = mkdesc(SEG_END - 0x10000, 0xffff, T_DATA_RW, 1, BYTES16);	/* ends at it */
	gdt[3] = mkdesc(SEG_END - 0x1000, 0xfffff, T_CODE_RX, 1, SEG32);
	gdt[4] = mkdesc(SEG_END - 0x1000, 0xfffff, T_DATA_RW, 3, SEG32);	/* a stack */
	CHECK(gdt_load(gdt, 5) == 0, "cannot install a GDT");
	expect("ring 1 via base fc3ff000", 0xFC3FFFFC, fs_read(SEL(1, 1), 0xffc), 0);
	expect("ring 1 via base fc3ff000", SEG_END, fs_read(SEL(1, 1), 0x1000), GP);
	expect("ring 1 via base fc3ff000", SEG_END + 0x1000, fs_read(SEL(1, 1), 0x2000), GP);
	expect("ring 1 via base fc3ff000, wrapping", 0, fs_read(SEL(1, 1), 0xFC001000), GP);
	expect("ring 3 via base fc3ff000", SEG_END, ring3_call2(user_seg, SEL(1, 3), 0x1000),
	       GP);
	expect("ring 3 via base fc3ff000", SEG_END - 2, ring3_call2(user_seg, SEL(1, 3), 0xffe),
	       GP);
	expect("16-bit segment ending at the ceiling", SEG_END - 2, fs_read(SEL(2, 1), 0xfffe),
	       GP);
	expect("16-bit segment ending at the ceiling", SEG_END - 4, fs_read(SEL(2, 1), 0xfffc), 0);
	expect("far call into code based at fc3ff000", SEG_END,
	       far_call(SEL(3, 1), 0x1000), GP);
	expect("far jump into code based at fc3ff000", SEG_END + 0x100000,
	       far_jmp(SEL(3, 1), 0x101000), GP);
	expect("ring 3 push on a stack based at fc3ff000", SEG_END,
	       ring3_call2(user_ss_push, SEL(4, 3), 0x1004), SS);
	EXPECT_EQ(gdt_unload(gdt), 0);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.flags = H_SEGLIMITS,
	.attack = attack,
};
