/* SPDX-License-Identifier: MIT */
/*
 * seg-failsafe-stale: leave selectors loaded whose descriptors go away (GS
 * from a removed GDT, FS from a removed LDT, DS turned execute-only, a ring-3
 * FS made not present, CS made not present under running code), then enter and
 * leave the hypervisor.
 *
 * Rule (abi.md 4.3, 5.6): the reload on the way out faults into the guest's
 * failsafe callback, which gets the bad selector in its frame and runs on.
 * Why it matters: the hypervisor's own segment reload and iret fault here;
 * unless fixed up into the failsafe callback, any guest could panic the
 * machine.
 */
#include <seg.h>

const char test_title[] = "seg-failsafe-stale: selectors whose descriptors went away";

#define EVERYTHING	mkdesc(0, 0xfffff, T_DATA_RW, 1, SEG32)

static struct desc *gdt;
static volatile uint32_t seen_cs, fixups;

static unsigned int failsafes(void)
{
	return trap_counts[VEC_FAILSAFE];
}

static void check_failsafe(const char *what, unsigned int before, unsigned int slot,
			   uint32_t sel)
{
	CHECK(failsafes() == before + 1 && (failsafe_segs[slot] & 0xffff) == sel,
	      "%s: %u failsafe callbacks, frame DS ES FS GS %04x %04x %04x %04x", what,
	      failsafes() - before, failsafe_segs[0] & 0xffff, failsafe_segs[1] & 0xffff,
	      failsafe_segs[2] & 0xffff, failsafe_segs[3] & 0xffff);
}

static struct desc not_present(struct desc d)
{
	d.hi &= ~D_P;
	return d;
}

/*
 * Ring 3: FS = sel, int3 (the hook pulls its descriptor: the failsafe
 * callback runs inside the hook, at the hypercall's return, and reloads the
 * ring-1 data selectors, which the return to ring 3 then nulls), DS and ES
 * again, int $0x90, FS.
 */
static volatile bool pull_fs;

static bool on_int3(struct gregs *r)
{
	(void)r;
	if (pull_fs)
		CHECK(desc_set(gdt, 4, not_present(gdt[4])) == 0, "update_descriptor");
	return true;
}

static uint32_t user_stale_fs(uint32_t sel, uint32_t unused)
{
	uint32_t fs, ex = 0;

	(void)unused;
	asm volatile("mov %1, %%fs\n int3\n mov %2, %%ds\n mov %2, %%es\n"
		     "1: int $0x90\n2:\n" ASM_EXTABLE(1b, 2b)
		     : "+a"(ex) : "r"(sel), "r"(XENO_FLAT_RING3_DS) : "memory");
	asm volatile("mov %%fs, %0" : "=r"(fs));
	return ex == EXINFO(13, 0x90 << 3 | 2) ? fs : 0xdead;
}

/* Code run through CS = SEL(6, 1): pull CS's own descriptor, come back. */
uint32_t cs_maddr, cs_lo, cs_hi;
void cs_victim(void);
asm(".text\n.globl cs_victim\ncs_victim:\n"
    " push %ebx\n"
    " mov $10, %eax\n mov cs_maddr, %ebx\n mov cs_lo, %ecx\n mov cs_hi, %edx\n int $0x82\n"
    " pop %ebx\n"
    " mov %cs, %eax\n mov %eax, seen_cs\n xor %eax, %eax\n"
    " jmp far_jmp_back\n");

static bool on_failsafe(struct gregs *r)
{
	if ((r->cs & 0xffff) == SEL(6, 1)) {	/* same base: carry on with the flat CS */
		r->cs = XENO_FLAT_RING1_CS | (r->cs & 0xffff0000);
		fixups++;
	}
	return false;	/* and the library's usual handling */
}

static void attack(void)
{
	struct desc *ldt = dtab_page();
	unsigned int n;
	uint32_t v;

	gdt = dtab_page();
	for (unsigned int i = 1; i < 4; i++)
		gdt[i] = EVERYTHING;
	gdt[4] = mkdesc(0, 0xfffff, T_DATA_RW, 3, SEG32);
	gdt[6] = mkdesc(0, 0xfffff, T_CODE_RX, 1, SEG32);
	ldt[0] = EVERYTHING;
	CHECK(gdt_load(gdt, 8) == 0 && ldt_load(ldt, 1) == 0, "cannot install a GDT and LDT");
	local_irq_disable();

	/* GS from a GDT that goes away. */
	n = failsafes();
	asm volatile("mov %0, %%gs" : : "r"(SEL(1, 1)));
	EXPECT_EQ(HYPERCALL2(set_gdt, &v, 0), 0);
	check_failsafe("GDT removed under GS", n, 3, SEL(1, 1));
	asm volatile("mov %%gs, %0" : "=r"(v));
	EXPECT_EQ(v & 0xffff, 0);
	CHECK(gdt_load(gdt, 8) == 0, "cannot reinstall the GDT");

	/* FS from an LDT that goes away. */
	n = failsafes();
	asm volatile("mov %0, %%fs" : : "r"(LDT_SEL(0, 1)));
	EXPECT_EQ(mmuext1(XENO_MMUEXT_SET_LDT, 0, 0), 0);
	check_failsafe("LDT removed under FS", n, 2, LDT_SEL(0, 1));

	/* DS whose entry becomes execute-only code. */
	n = failsafes();
	asm volatile("mov %0, %%ds" : : "r"(SEL(2, 1)));
	EXPECT_EQ(desc_set(gdt, 2, mkdesc(0, 0xfffff, 0x8, 1, SEG32)), 0);
	asm volatile("" : : : "memory");
	check_failsafe("DS made execute-only", n, 0, SEL(2, 1));

	/* A ring-3 FS made not present while ring 3 runs. */
	user_image();
	set_trap_hook(3, on_int3);
	pull_fs = true;
	n = failsafes();
	v = ring3_call2(user_stale_fs, SEL(4, 3), 0);
	pull_fs = false;
	EXPECT_EQ(v, 0);
	check_failsafe("ring-3 FS made not present", n, 2, SEL(4, 3));

	/* CS made not present under the running code. */
	cs_maddr = virt_to_maddr(&gdt[6]);
	cs_lo = not_present(gdt[6]).lo, cs_hi = not_present(gdt[6]).hi;
	set_trap_hook(VEC_FAILSAFE, on_failsafe);
	n = failsafes();
	EXPECT_EQ(far_jmp(SEL(6, 1), (uint32_t)cs_victim), 0);
	set_trap_hook(VEC_FAILSAFE, NULL);
	CHECK(failsafes() == n + 1 && fixups == 1 && (seen_cs & 0xffff) == XENO_FLAT_RING1_CS,
	      "CS made not present: %u failsafe callbacks, %u on CS %04x, CS after %04x",
	      failsafes() - n, fixups, SEL(6, 1), seen_cs);

	EXPECT_EQ(gdt_unload(gdt), 0);
	EXPECT_EQ(page_set_ro(ldt, false), 0);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
