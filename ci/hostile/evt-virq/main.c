/* SPDX-License-Identifier: MIT */
/*
 * evt-virq: bind VIRQ numbers from 8 up to 0xFFFFFFFF, bind a VIRQ twice, send
 * on VIRQ ports, bind Domain0's VIRQs from a domU and wait for them.
 *
 * Rule (abi.md 4.7, 6.13): bind_virq takes virq < 8 (-EINVAL), one port per
 * VIRQ (-EEXIST); VIRQ ports cannot be sent on (-EINVAL); Domain0's VIRQs
 * never fire for a domU.
 * Why it matters: the VIRQ number indexes the domain's VIRQ table; a domU
 * receiving VIRQ_DOM_EXC would learn of other domains' crashes.
 */
#include <seg.h>

const char test_title[] = "evt-virq: VIRQ numbers out of range, twice, and Domain0's";

static volatile unsigned int hits[XENO_NR_VIRQS];
static int ports[XENO_NR_VIRQS];

static void on_virq(unsigned int port)
{
	for (unsigned int v = 0; v < XENO_NR_VIRQS; v++)
		if (ports[v] == (int)port)
			hits[v]++;
}

static void attack(void)
{
	static const uint32_t bad[] = { XENO_NR_VIRQS, 9, 16, 255, 256, 0x10000, 0x80000000,
					0xffffffff };
	unsigned int used;

	sleep_ns(1000000);	/* the library binds VIRQ_TIMER for itself */
	used = ports_in_use();
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(bind_virq(bad[i], on_virq), -XENO_EINVAL);
	EXPECT_EQ(ports_in_use(), used);
	EXPECT_EQ(bind_virq(XENO_VIRQ_TIMER, on_virq), -XENO_EEXIST);
	for (unsigned int v = 1; v < XENO_NR_VIRQS; v++) {
		ports[v] = bind_virq(v, on_virq);
		CHECK(ports[v] > 0, "bind_virq(%u): %d", v, ports[v]);
		EXPECT_EQ(bind_virq(v, on_virq), -XENO_EEXIST);
		EXPECT_EQ(port_op(XENO_EVTCHNOP_send, (uint32_t)ports[v]), -XENO_EINVAL);
		EXPECT_EQ(port_status(XENO_DOMID_SELF, (uint32_t)ports[v]), XENO_EVTCHNSTAT_virq);
	}
	EXPECT_EQ(ports_in_use(), used + XENO_NR_VIRQS - 1);
	/* Closed, a VIRQ may be bound again (to the lowest free port). */
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, (uint32_t)ports[XENO_VIRQ_DEBUG]), 0);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, (uint32_t)ports[XENO_VIRQ_DEBUG]), -XENO_EINVAL);
	EXPECT_EQ(bind_virq(XENO_VIRQ_DEBUG, on_virq), ports[XENO_VIRQ_DEBUG]);
	/* Domain0's VIRQs stay silent here while we sleep on the timer. */
	sleep_ns(20 * 1000000ull);
	for (unsigned int v = 1; v < XENO_NR_VIRQS; v++)
		CHECK(!hits[v], "VIRQ %u fired %u times in a domU", v, hits[v]);
}

const struct hostile hostile = { .where = IN_DOMU, .attack = attack };
