/* SPDX-License-Identifier: MIT */
/*
 * evt-foreign-ports: bind every port of the bystander and of Domain0 (the
 * bystander's channel to Domain0 included), allocate or query ports in their
 * tables, name domains that do not exist, send on our port with the number of
 * theirs.
 *
 * Rule (abi.md 6.13): bind_interdomain needs an unbound port offered to the
 * caller (-EINVAL, -ESRCH for no such domain); a domU allocates and queries
 * only its own ports (-EPERM).
 * Why it matters: binding a channel not offered to us would let a guest take
 * over another domain's device or control channel, eavesdrop on it or flood
 * it.
 */
#include <seg.h>

const char test_title[] = "evt-foreign-ports: other domains' ports and tables";

static void attack(void)
{
	static const uint32_t nobody[] = { 9, 63, 64, 1000, XENO_DOMID_SELF - 1, 0xfffe, 0xffff };
	uint32_t by = hostile_arg("bystander", 0), their = hostile_arg("port", 0);
	const uint32_t others[] = { by, 0 };
	unsigned int used = ports_in_use();
	struct xeno_evtchn_alloc_unbound u;
	long p;

	CHECK(by && their, "no bystander (%u) or its port (%u)", by, their);
	for (unsigned int d = 0; d < ARRAY_SIZE(others); d++) {
		for (uint32_t port = 0; port <= XENO_NR_EVENT_CHANNELS; port++) {
			struct xeno_evtchn_bind_interdomain b = { (uint16_t)others[d], 0, port, 0 };

			EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_bind_interdomain, &b), -XENO_EINVAL);
		}
		EXPECT_EQ(port_status(others[d], their), -XENO_EPERM);
		u = (struct xeno_evtchn_alloc_unbound){ (uint16_t)others[d], XENO_DOMID_SELF, 0 };
		EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_alloc_unbound, &u), -XENO_EPERM);
		EXPECT_EQ(u.port, 0);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(nobody); i++) {
		struct xeno_evtchn_bind_interdomain b = { (uint16_t)nobody[i], 0, their, 0 };

		EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_bind_interdomain, &b), -XENO_ESRCH);
		EXPECT_EQ(port_status(nobody[i], their), -XENO_ESRCH);
		u = (struct xeno_evtchn_alloc_unbound){ XENO_DOMID_SELF, (uint16_t)nobody[i], 0 };
		EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_alloc_unbound, &u), -XENO_ESRCH);
		u = (struct xeno_evtchn_alloc_unbound){ (uint16_t)nobody[i], XENO_DOMID_SELF, 0 };
		EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_alloc_unbound, &u), -XENO_ESRCH);
	}
	/* Their port number is no port of ours. */
	if (port_status(XENO_DOMID_SELF, their) == XENO_EVTCHNSTAT_closed) {
		EXPECT_EQ(port_op(XENO_EVTCHNOP_send, their), -XENO_EINVAL);
		EXPECT_EQ(port_op(XENO_EVTCHNOP_close, their), -XENO_EINVAL);
	}
	EXPECT_EQ(ports_in_use(), used);
	/* Offering the bystander a port is allowed; sending on it reaches nobody. */
	p = port_alloc(by);
	CHECK(p > 0, "alloc_unbound offered to the bystander: %ld", p);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_send, p), 0);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, p), 0);
	EXPECT_EQ(ports_in_use(), used);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
