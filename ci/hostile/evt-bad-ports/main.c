/* SPDX-License-Identifier: MIT */
/*
 * evt-bad-ports: send, close, status, unmask and bind_interdomain on port 0,
 * on ports from 1024 up to 0xFFFFFFFF, on free ports and on ports already
 * closed.
 *
 * Rule (abi.md 6.13): -EINVAL (unmask accepts a free port below 1024; status
 * reports it closed), and no port, pending bit or mask bit changes.
 * Why it matters: the port number indexes the channel table and the pending
 * and mask bitmaps; one past the end is another domain's memory or the mask
 * words.
 */
#include <seg.h>

const char test_title[] = "evt-bad-ports: port numbers out of range, free or closed";

static const uint32_t bad[] = { 0, 1024, 1025, 2048, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
				0xfffffc00, 0xffffffff };

static void attack(void)
{
	uint32_t pending[32], mask[32];
	unsigned int used;
	long p;

	local_irq_disable();
	used = ports_in_use();
	memcpy(pending, shared_info->evtchn_pending, sizeof(pending));
	memcpy(mask, shared_info->evtchn_mask, sizeof(mask));
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		struct xeno_evtchn_bind_interdomain b = { XENO_DOMID_SELF, 0, bad[i], 0 };

		EXPECT_EQ(port_op(XENO_EVTCHNOP_send, bad[i]), -XENO_EINVAL);
		EXPECT_EQ(port_op(XENO_EVTCHNOP_close, bad[i]), -XENO_EINVAL);
		EXPECT_EQ(port_op(XENO_EVTCHNOP_unmask, bad[i]), -XENO_EINVAL);
		EXPECT_EQ(port_status(XENO_DOMID_SELF, bad[i]), -XENO_EINVAL);
		EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_bind_interdomain, &b), -XENO_EINVAL);
	}
	/* Free ports: nothing to send on or close; status says closed. */
	for (uint32_t port = 1; port < XENO_NR_EVENT_CHANNELS; port += 97) {
		struct xeno_evtchn_bind_interdomain b = { XENO_DOMID_SELF, 0, port, 0 };

		if (port_status(XENO_DOMID_SELF, port) != XENO_EVTCHNSTAT_closed)
			continue;
		EXPECT_EQ(port_op(XENO_EVTCHNOP_send, port), -XENO_EINVAL);
		EXPECT_EQ(port_op(XENO_EVTCHNOP_close, port), -XENO_EINVAL);
		EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_bind_interdomain, &b), -XENO_EINVAL);
	}
	EXPECT_EQ(port_op(XENO_EVTCHNOP_unmask, XENO_NR_EVENT_CHANNELS - 1), 0);
	CHECK(!memcmp(pending, shared_info->evtchn_pending, sizeof(pending)),
	      "a refused call set a pending bit");
	CHECK(!memcmp(mask, shared_info->evtchn_mask, sizeof(mask)),
	      "a refused call changed a mask bit");
	EXPECT_EQ(ports_in_use(), used);

	/* A closed port is gone: twice closed, never sent on. */
	p = port_alloc(XENO_DOMID_SELF);
	CHECK(p > 0, "alloc_unbound: %ld", p);
	EXPECT_EQ(port_status(XENO_DOMID_SELF, p), XENO_EVTCHNSTAT_unbound);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_send, p), 0);	/* unbound: dropped */
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, p), 0);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, p), -XENO_EINVAL);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_send, p), -XENO_EINVAL);
	EXPECT_EQ(port_status(XENO_DOMID_SELF, p), XENO_EVTCHNSTAT_closed);
	EXPECT_EQ(ports_in_use(), used);
	CHECK(!memcmp(pending, shared_info->evtchn_pending, sizeof(pending)),
	      "a pending bit appeared");
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
