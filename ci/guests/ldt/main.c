/* SPDX-License-Identifier: MIT */
/*
 * ldt: mmuext SET_LDT: a guest's local descriptor table, validated like its
 * GDT, installed for the CPU, and kept across context switches.
 *
 * Linux uses the LDT for per-process segments (modify_ldt, Wine, old
 * threading libraries), so a guest kernel must be able to install one per
 * process.  The frames must become read-only descriptor pages (refused while
 * writable, released when the LDT changes), every descriptor checked as for
 * the GDT, and the LDT limit must be exactly the number of entries given:
 * selectors beyond it fault.  The LDT must be reloaded when the vCPU is
 * scheduled again, and an LDT that spans two pages must work too.
 */
#include <descriptor.h>

const char test_title[] = "ldt: SET_LDT, LDT selectors, limits and refusals";

/* Ring 3: load 'sel' into DS and read offset 8 through it (EAX = exinfo or the word). */
static uint32_t user_read_via(uint32_t sel)
{
	uint32_t ex = 0, v = 0;

	asm volatile("1: mov %2, %%ds\n mov 8, %1\n2:\n" ASM_EXTABLE(1b, 2b)
		     "mov $0xE033, %2\n mov %2, %%ds\n"
		     : "+a"(ex), "+r"(v), "+r"(sel) : : "memory");
	return ex ? ex : v;
}

void test_main(void)
{
	struct desc *ldt = alloc_page(), *bad = alloc_page();
	uint32_t *buf = alloc_page(), *user_buf = alloc_page();
	struct desc *two = alloc_page(), *two_b = alloc_page();

	buf[2] = 0x1dd0;
	user_buf[2] = 0x3ee0;
	make_user(user_buf, PAGE_SIZE);
	ldt[0] = mkdesc(0, 0xfffff, T_DATA_RW, 1, SEG32);
	ldt[1] = mkdesc((uint32_t)user_buf, 0, T_DATA_RW, 3, SEG32);
	ldt[2] = mkdesc((uint32_t)buf, 0xfff, T_DATA_RW, 1, D_DB | D_S);
	bad[1] = mkdesc(0, 0xfffff, T_DATA_RW, 0, SEG32);		/* DPL 0 */

	EXPECT_EQ(set_ldt((uint32_t)ldt, 3), -XENO_EBUSY);		/* still writable */
	EXPECT_EQ(page_set_ro(ldt, true), 0);
	EXPECT_EQ(set_ldt((uint32_t)ldt + 8, 3), -XENO_EINVAL);		/* not page aligned */
	EXPECT_EQ(set_ldt((uint32_t)ldt, 8193), -XENO_EINVAL);
	EXPECT_EQ(set_ldt(XENO_HYPERVISOR_VIRT_START, 3), -XENO_EINVAL);
	EXPECT_EQ(set_ldt(0x1000, 3), -XENO_EFAULT);			/* not mapped */
	EXPECT_EQ(page_set_ro(bad, true), 0);
	EXPECT_EQ(set_ldt((uint32_t)bad, 4), -XENO_EINVAL);
	EXPECT_EQ(page_set_ro(bad, false), 0);

	EXPECT_EQ(set_ldt((uint32_t)ldt, 3), 0);
	EXPECT_EQ(page_set_ro(ldt, false), -XENO_EBUSY);
	EXPECT_EQ(lsl(LDT_SEL(0, 1)), XENO_GUEST_SEGMENT_LIMIT);
	EXPECT_EQ(lsl(LDT_SEL(2, 1)), 0xfff);
	EXPECT_EQ(fs_read(LDT_SEL(2, 1), 8), 0);
	EXPECT_EQ(fs_read_value, 0x1dd0);
	EXPECT_EQ(sreg_load(SR_FS, LDT_SEL(3, 1)), EXINFO(13, LDT_SEL(3, 0)));	/* past the limit */
	EXPECT_EQ(run_in_ring3(user_read_via, LDT_SEL(1, 3)), 0x3ee0);
	EXPECT_EQ(run_in_ring3(user_read_via, LDT_SEL(0, 3)), EXINFO(13, LDT_SEL(0, 0)));

	/* Descheduled and back: the LDT is loaded again. */
	sleep_ns(1000000);
	EXPECT_EQ(fs_read(LDT_SEL(2, 1), 8), 0);
	EXPECT_EQ(fs_read_value, 0x1dd0);

	/* update_descriptor works on LDT frames as on GDT frames. */
	{
		struct desc d = mkdesc((uint32_t)buf, 0x7ff, T_DATA_RW, 1, D_DB | D_S);
		struct desc r0 = mkdesc(0, 0xfffff, T_DATA_RW, 0, SEG32);

		EXPECT_EQ(HYPERCALL3(update_descriptor, virt_to_maddr(&ldt[2]), d.lo, d.hi), 0);
		EXPECT_EQ(lsl(LDT_SEL(2, 1)), 0x7ff);
		EXPECT_EQ(HYPERCALL3(update_descriptor, virt_to_maddr(&ldt[2]), r0.lo, r0.hi),
			  -XENO_EINVAL);
		EXPECT_EQ(lsl(LDT_SEL(2, 1)), 0x7ff);
	}

	/* Two pages (virtually contiguous: the next two free pages are). */
	CHECK((uint8_t *)two_b == (uint8_t *)two + PAGE_SIZE, "two LDT pages not contiguous");
	two_b[520 - 512] = mkdesc((uint32_t)buf, 0xfff, T_DATA_RW, 1, D_DB | D_S);
	EXPECT_EQ(page_set_ro(two, true), 0);
	EXPECT_EQ(page_set_ro(two_b, true), 0);
	EXPECT_EQ(set_ldt((uint32_t)two, 600), 0);
	EXPECT_EQ(page_set_ro(ldt, false), 0);	/* the old LDT's page is released */
	EXPECT_EQ(lsl(LDT_SEL(520, 1)), 0xfff);
	EXPECT_EQ(fs_read(LDT_SEL(520, 1), 8), 0);
	EXPECT_EQ(fs_read_value, 0x1dd0);
	EXPECT_EQ(sreg_load(SR_FS, LDT_SEL(600, 1)), EXINFO(13, LDT_SEL(600, 0)));

	/* No LDT. */
	EXPECT_EQ(set_ldt(0, 0), 0);
	EXPECT_EQ(page_set_ro(two, false), 0);
	EXPECT_EQ(page_set_ro(two_b, false), 0);
	EXPECT_EQ(sreg_load(SR_FS, LDT_SEL(0, 1)), EXINFO(13, LDT_SEL(0, 0)));
	xtf_success(NULL);
}
