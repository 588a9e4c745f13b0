/* SPDX-License-Identifier: MIT */
/*
 * evt-stale-offer: Domain0 offers a port to a new domain, and connects
 * another one to it, then destroys that domain and builds the next one,
 * which gets the same domain id; the new domain binds both ports.
 *
 * Rule (abi.md 6.13): a port may be bound only by the domain it was offered
 * to; when a domain is destroyed, the ports offered or connected to it
 * become offered back to their own domain, so a later domain with the same
 * id gets -EINVAL.
 * Why it matters: domain ids are reused at once (the lowest free one); a
 * new, unrelated guest could otherwise take over the control or device
 * channel Domain0 had set up for its predecessor.
 */
#include <seg.h>

const char test_title[] = "evt-stale-offer: ports offered to a domain id that was reused";

#define MS	1000000ull

/* The domUs: stage 1 binds Domain0's port and ends; stage 2 tries both. */
static void domu(void)
{
	struct xeno_evtchn_bind_interdomain b = { 0, 0, 0, 0 };

	if (hostile_arg("stage", 0) == 1) {	/* bind the first port offered to us */
		for (b.remote_port = 1; b.remote_port < XENO_NR_EVENT_CHANNELS; b.remote_port++)
			if (evtchn_op(XENO_EVTCHNOP_bind_interdomain, &b) == 0)
				return;
		xtf_failure("stage 1: no port of Domain0's is offered to us");
		return;
	}
	b.remote_port = hostile_arg("offered", 0);
	EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_bind_interdomain, &b), -XENO_EINVAL);
	b.remote_port = hostile_arg("bound", 0);
	EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_bind_interdomain, &b), -XENO_EINVAL);
}

/* Run a domU to its end: its verdict (0 SUCCESS), or -1. */
static int run(uint32_t id)
{
	uint32_t log = console_log_end();

	domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, id);
	if (!domain_wait_shutdown(id, 5000 * MS))
		return -1;
	return domain_verdict(id, log);
}

static void attack(void)
{
	char cmd[96];
	long x, y, offered, bound;
	struct xeno_evtchn_status st = { .dom = XENO_DOMID_SELF };

	if (!(start_info->flags & XENO_SIF_PRIVILEGED)) {
		domu();
		return;
	}
	/* X: two ports offered to it; it binds the first (the lower). */
	x = domain_create_initrd("attack stage=1", 1024);
	CHECK(x > 0, "cannot create X: %ld", x);
	bound = port_alloc((uint32_t)x);
	offered = port_alloc((uint32_t)x);
	CHECK(bound > 0 && offered > bound, "alloc_unbound: %ld %ld", bound, offered);
	CHECK(run((uint32_t)x) == 0, "X did not bind port %ld", bound);
	st.port = (uint32_t)bound;
	CHECK(evtchn_op(XENO_EVTCHNOP_status, &st) == 0 &&
	      st.status == XENO_EVTCHNSTAT_interdomain, "port %ld: status %u", bound, st.status);
	EXPECT_EQ(domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)x), 0);
	/* The ports are ours again, offered to nobody else. */
	st.port = (uint32_t)offered;
	CHECK(evtchn_op(XENO_EVTCHNOP_status, &st) == 0 && st.status == XENO_EVTCHNSTAT_unbound &&
	      st.remote_dom == 0, "port %ld after X died: status %u remote d%u", offered,
	      st.status, st.remote_dom);
	st.port = (uint32_t)bound;
	CHECK(evtchn_op(XENO_EVTCHNOP_status, &st) == 0 && st.status == XENO_EVTCHNSTAT_unbound &&
	      st.remote_dom == 0, "port %ld after X died: status %u remote d%u", bound,
	      st.status, st.remote_dom);
	/* Y, with X's id, tries both. */
	snprintf(cmd, sizeof(cmd), "attack stage=2 offered=%ld bound=%ld", offered, bound);
	y = domain_create_initrd(cmd, 1024);
	CHECK(y == x, "Y got id %ld, X had %ld", y, x);
	CHECK(y > 0 && run((uint32_t)y) == 0, "Y bound a port offered to its predecessor");
	EXPECT_EQ(domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)y), 0);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, (uint32_t)offered), 0);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, (uint32_t)bound), 0);
}

const struct hostile hostile = { .where = IN_DOM0, .attack = attack };
