/* SPDX-License-Identifier: MIT */
/*
 * dom0-op-self: Domain0 destroys, pauses and unpauses itself (by id 0 and
 * DOMID_SELF) and domain ids that name nobody (past the last, 0xFFFF, 0x10000
 * + the bystander's id, 0xFFFFFFFF), and destroys a domain twice.
 *
 * Rule (abi.md 6.19): those commands take another existing domain that is not
 * Domain0, else -ESRCH; ids above 0xFFFF name no domain; nothing else is
 * touched.
 * Why it matters: Domain0 pausing or destroying itself would stop the control
 * plane or free the stack it runs on; an id that wrapped would hit the wrong
 * domain.
 */
#include <seg.h>

const char test_title[] = "dom0-op-self: Domain0 destroying and pausing itself, bad ids";

static long op(uint32_t cmd, uint32_t domid)
{
	return domain_ctl(cmd, domid);
}

static uint32_t bystander_id(void)
{
	struct xeno_dom0_op o = { .cmd = XENO_DOM0_GETDOMAININFO };

	o.u.getdomaininfo.domid = 1;
	return dom0_op(&o) ? 0 : o.u.getdomaininfo.domid;
}

static void attack(void)
{
	uint32_t by = bystander_id();
	const uint32_t nobody[] = { by + 1, 63, 64, 0xfff0, XENO_DOMID_SELF, 0xffff, 0x10000,
				    0x10000 + by, 0x80000000 + by, 0xffffffff };
	struct xeno_dom0_getdomaininfo info;
	long id;

	CHECK(by > 0, "no bystander");
	for (uint32_t self = 0; self < 2; self++) {
		uint32_t me = self ? XENO_DOMID_SELF : 0;

		EXPECT_EQ(op(XENO_DOM0_DESTROYDOMAIN, me), -XENO_ESRCH);
		EXPECT_EQ(op(XENO_DOM0_PAUSEDOMAIN, me), -XENO_ESRCH);
		EXPECT_EQ(op(XENO_DOM0_UNPAUSEDOMAIN, me), -XENO_ESRCH);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(nobody); i++) {
		struct xeno_dom0_op o = { .cmd = XENO_DOM0_GETDOMAININFO };

		EXPECT_EQ(op(XENO_DOM0_DESTROYDOMAIN, nobody[i]), -XENO_ESRCH);
		EXPECT_EQ(op(XENO_DOM0_PAUSEDOMAIN, nobody[i]), -XENO_ESRCH);
		EXPECT_EQ(op(XENO_DOM0_UNPAUSEDOMAIN, nobody[i]), -XENO_ESRCH);
		o.u.getdomaininfo.domid = nobody[i];
		EXPECT_EQ(dom0_op(&o), -XENO_ESRCH);
		EXPECT_EQ(domain_set_weight(nobody[i], 10), -XENO_ESRCH);
	}
	/* We are still here, unpaused, and so is the bystander. */
	CHECK(domain_info(0, &info) == 0 && !(info.flags & (XENO_DOMINFO_PAUSED |
	      XENO_DOMINFO_SHUTDOWN)) && (info.flags & XENO_DOMINFO_RUNNING),
	      "Domain0's flags %#x", info.flags);
	CHECK(domain_info(by, &info) == 0 && !(info.flags & (XENO_DOMINFO_PAUSED |
	      XENO_DOMINFO_SHUTDOWN)), "the bystander's flags %#x", info.flags);
	/* Pausing the bystander is allowed (and undone). */
	EXPECT_EQ(op(XENO_DOM0_PAUSEDOMAIN, by), 0);
	CHECK(domain_info(by, &info) == 0 && (info.flags & XENO_DOMINFO_PAUSED), "not paused");
	EXPECT_EQ(op(XENO_DOM0_UNPAUSEDOMAIN, by), 0);
	EXPECT_EQ(op(XENO_DOM0_UNPAUSEDOMAIN, by), 0);
	/* A domain destroyed twice. */
	id = domain_create_initrd("bystander", 1024);
	CHECK(id > 0, "cannot create a domain: %ld", id);
	EXPECT_EQ(op(XENO_DOM0_DESTROYDOMAIN, (uint32_t)id), 0);
	EXPECT_EQ(op(XENO_DOM0_DESTROYDOMAIN, (uint32_t)id), -XENO_ESRCH);
	EXPECT_EQ(op(XENO_DOM0_UNPAUSEDOMAIN, (uint32_t)id), -XENO_ESRCH);
	EXPECT_EQ(domain_info((uint32_t)id, &info), -XENO_ESRCH);
}

const struct hostile hostile = { .where = IN_DOM0, .attack = attack };
