/* SPDX-License-Identifier: MIT */
/*
 * evt-exhaust: allocate ports until the table is full, ask for more
 * (alloc_unbound, bind_virq, bind_interdomain), free one and allocate again,
 * close them all; again with loopback pairs.
 *
 * Rule (abi.md 6.13): -ENOSPC once ports 1-1023 are used, nothing changed; a
 * freed port is the next one allocated; after closing everything the table is
 * as before.
 * Why it matters: an overflowing or half-allocated table would corrupt the
 * channel table or leak state between channels.
 */
#include <seg.h>

const char test_title[] = "evt-exhaust: running out of ports and recovering";

static uint8_t mine[XENO_NR_EVENT_CHANNELS];	/* ports we allocated */

static unsigned int fill(void)
{
	unsigned int n = 0;
	long p;

	while ((p = port_alloc(XENO_DOMID_SELF)) > 0) {
		CHECK(p < XENO_NR_EVENT_CHANNELS && !mine[p], "port %ld handed out twice", p);
		mine[p] = 1;
		n++;
	}
	EXPECT_EQ(p, -XENO_ENOSPC);
	return n;
}

static void empty(void)
{
	for (uint32_t p = 1; p < XENO_NR_EVENT_CHANNELS; p++)
		if (mine[p]) {
			EXPECT_EQ(port_op(XENO_EVTCHNOP_close, p), 0);
			mine[p] = 0;
		}
}

static void attack(void)
{
	unsigned int used = ports_in_use(), n;
	struct xeno_evtchn_bind_interdomain b = { XENO_DOMID_SELF, 0, 0, 0 };
	uint32_t victim;

	local_irq_disable();
	n = fill();
	EXPECT_EQ(n + used, XENO_NR_EVENT_CHANNELS - 1);
	EXPECT_EQ(bind_virq(XENO_VIRQ_DEBUG, NULL), -XENO_ENOSPC);
	for (victim = XENO_NR_EVENT_CHANNELS - 1; !mine[victim]; victim--)
		;
	b.remote_port = victim;
	EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_bind_interdomain, &b), -XENO_ENOSPC);
	EXPECT_EQ(port_status(XENO_DOMID_SELF, victim), XENO_EVTCHNSTAT_unbound);
	EXPECT_EQ(port_alloc(XENO_DOMID_SELF), -XENO_ENOSPC);
	/* One freed: exactly that one comes back. */
	victim = 1;
	while (!mine[victim])
		victim++;
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, victim), 0);
	EXPECT_EQ(port_alloc(XENO_DOMID_SELF), victim);
	EXPECT_EQ(port_alloc(XENO_DOMID_SELF), -XENO_ENOSPC);
	empty();
	EXPECT_EQ(ports_in_use(), used);

	/* Again with loopback pairs: each bind takes a second port. */
	for (;;) {
		long p = port_alloc(XENO_DOMID_SELF);

		if (p < 0) {
			EXPECT_EQ(p, -XENO_ENOSPC);
			break;
		}
		mine[p] = 1;
		b.remote_port = (uint32_t)p;
		if (evtchn_op(XENO_EVTCHNOP_bind_interdomain, &b)) {
			EXPECT_EQ(ports_in_use(), XENO_NR_EVENT_CHANNELS - 1);
			break;
		}
		mine[b.local_port] = 1;
		EXPECT_EQ(port_status(XENO_DOMID_SELF, b.local_port), XENO_EVTCHNSTAT_interdomain);
	}
	EXPECT_EQ(ports_in_use(), XENO_NR_EVENT_CHANNELS - 1);
	empty();
	EXPECT_EQ(ports_in_use(), used);
	/* Everything works again. */
	n = fill();
	EXPECT_EQ(n + used, XENO_NR_EVENT_CHANNELS - 1);
	empty();
	EXPECT_EQ(ports_in_use(), used);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
