/* SPDX-License-Identifier: MIT */
/*
 * seg-hyp-selectors: load the hypervisor's GDT selectors (code, data, TSS,
 * LDT, double-fault TSS, empty entries, past the limit) into every segment
 * register, far-jump and far-call to them, ask lar and lsl, from ring 1 and
 * ring 3; load ring 1's flat selectors from ring 3.
 *
 * Rule (abi.md 1.3, 1.1): the CPU refuses them all with #GP(selector),
 * delivered to the guest; only a ring's own (or a less privileged ring's data)
 * flat selectors load.
 * Why it matters: loading the hypervisor's code selector or switching to its
 * TSS is running in ring 0.
 */
#include <seg.h>

const char test_title[] = "seg-hyp-selectors: the hypervisor's GDT entries from rings 1 and 3";

static const uint32_t hyp_sels[] = {
	HYP_CS, HYP_CS | 1, HYP_CS | 3, HYP_DS, HYP_DS | 1, HYP_DS | 3, HYP_TSS, HYP_TSS | 1,
	HYP_TSS | 3, HYP_LDT, HYP_LDT | 1, HYP_LDT | 3, HYP_DF_TSS, HYP_DF_TSS | 1,
	HYP_DF_TSS | 3, 0xE000, 0xE001, 0xE050, 0xE053, 0xE800, 0xEFF8, 0xEFFB,
	0xF000, 0xF003, 0xFFF8, 0xFFFB };

static bool refused(uint32_t ex, uint32_t sel)
{
	return ex == EXINFO(13, sel & 0xfffc);
}

static uint32_t user_sreg(uint32_t which, uint32_t sel)
{
	return sreg_load(which, sel);
}

static uint32_t user_far(uint32_t call, uint32_t sel)
{
	return call ? far_call(sel, (uint32_t)far_ret_here) : far_jmp(sel, (uint32_t)far_jmp_back);
}

static uint32_t user_lar_lsl(uint32_t sel, uint32_t unused)
{
	(void)unused;
	return lar(sel) & lsl(sel);
}

static void attack(void)
{
	static const char *const names[] = { "DS", "ES", "FS", "GS", "SS" };

	user_image();
	for (unsigned int i = 0; i < ARRAY_SIZE(hyp_sels); i++) {
		uint32_t sel = hyp_sels[i], ex;

		for (uint32_t r = SR_DS; r <= SR_SS; r++) {
			ex = sreg_load(r, sel);
			CHECK(refused(ex, sel), "ring 1 loaded %04x into %s: exinfo %08x", sel,
			      names[r], ex);
			ex = ring3_call2(user_sreg, r, sel);
			CHECK(refused(ex, sel), "ring 3 loaded %04x into %s: exinfo %08x", sel,
			      names[r], ex);
		}
		ex = far_call(sel, (uint32_t)far_ret_here);
		CHECK(refused(ex, sel), "ring 1 far call to %04x: exinfo %08x", sel, ex);
		ex = far_jmp(sel, (uint32_t)far_jmp_back);
		CHECK(refused(ex, sel), "ring 1 far jump to %04x: exinfo %08x", sel, ex);
		ex = ring3_call2(user_far, 1, sel);
		CHECK(refused(ex, sel), "ring 3 far call to %04x: exinfo %08x", sel, ex);
		ex = ring3_call2(user_far, 0, sel);
		CHECK(refused(ex, sel), "ring 3 far jump to %04x: exinfo %08x", sel, ex);
		CHECK(lar(sel) == ~0u && lsl(sel) == ~0u, "lar/lsl of %04x in ring 1: %08x %08x",
		      sel, lar(sel), lsl(sel));
		CHECK(ring3_call2(user_lar_lsl, sel, 0) == ~0u, "lar/lsl of %04x in ring 3", sel);
	}
	/* Ring 3 may not load ring 1's flat selectors, with any RPL. */
	for (uint32_t rpl = 0; rpl < 4; rpl++) {
		uint32_t ds1 = (XENO_FLAT_RING1_DS & ~3u) | rpl, cs1 = (XENO_FLAT_RING1_CS & ~3u) | rpl;

		for (uint32_t r = SR_DS; r <= SR_SS; r++)
			CHECK(refused(ring3_call2(user_sreg, r, ds1), ds1), "ring 3 loaded %04x "
			      "into %s", ds1, names[r]);
		CHECK(refused(ring3_call2(user_far, 1, cs1), cs1), "ring 3 far call to %04x", cs1);
		CHECK(refused(ring3_call2(user_far, 0, cs1), cs1), "ring 3 far jump to %04x", cs1);
	}
	/* Ring 1 may not take ring 3's stack, nor RPL 0 of its own. */
	CHECK(refused(sreg_load(SR_SS, XENO_FLAT_RING3_DS), XENO_FLAT_RING3_DS), "SS = ring 3");
	CHECK(refused(sreg_load(SR_SS, XENO_FLAT_RING1_DS & ~3u), XENO_FLAT_RING1_DS),
	      "SS with RPL 0");
	/* What works: own ring's flat selectors, and ring 1 using ring 3's data. */
	EXPECT_EQ(sreg_load(SR_DS, XENO_FLAT_RING3_DS), 0);
	EXPECT_EQ(far_jmp(XENO_FLAT_RING1_CS, (uint32_t)far_jmp_back), 0);
	EXPECT_EQ(far_call(XENO_FLAT_RING1_CS, (uint32_t)far_ret_here), 0);
	EXPECT_EQ(ring3_call2(user_far, 1, XENO_FLAT_RING3_CS), 0);
	EXPECT_EQ(lsl(XENO_FLAT_RING1_DS), SEG_END - 1);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
