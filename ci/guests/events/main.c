/* SPDX-License-Identifier: MIT */
/*
 * events: event channels within one domain: VIRQ binding, an interdomain
 * channel looped back to ourselves, masking at the vCPU and at the port,
 * unmask re-raising, close, status, and every bad port.
 *
 * Event channels are the guest's interrupts: every device, timer and
 * inter-domain notification arrives through them, so the semantics must be
 * exact.  A send is one edge: it sets the peer's pending bit and raises
 * exactly one upcall if the port is unmasked, however many sends coalesce
 * before the guest looks.  A masked port keeps its edge pending without an
 * upcall until EVTCHNOP_unmask raises it; a vCPU with events masked gets
 * the upcall as soon as it unmasks (or blocks).  Closing one end leaves the
 * other unbound (sends dropped); bad, free and foreign ports get -errno.
 */
#include <guest.h>

const char test_title[] = "events: channels, masking, unmask, close, status";

static volatile unsigned int hits[XENO_NR_EVENT_CHANNELS];
extern volatile unsigned int events_unhandled;

static void count(unsigned int port)
{
	hits[port]++;
}

/* Count upcalls on 'port' from zero (ports are reused after a close). */
static void bind_counted(unsigned int port)
{
	hits[port] = 0;
	bind_port(port, count);
}

static long op(uint32_t cmd, void *arg)
{
	return evtchn_op(cmd, arg);
}

static long send(uint32_t port)
{
	struct xeno_evtchn_port p = { port };

	return op(XENO_EVTCHNOP_send, &p);
}

static struct xeno_evtchn_status status(uint32_t port)
{
	struct xeno_evtchn_status s = { XENO_DOMID_SELF, 0, port, 0xff, 0xff, 0xff, 0xff };

	if (op(XENO_EVTCHNOP_status, &s))
		s.status = 0xdead;
	return s;
}

static bool pending(uint32_t port)
{
	return shared_info->evtchn_pending[port / 32] & (1u << (port % 32));
}

static void set_port_mask(uint32_t port, bool masked)
{
	if (masked)
		shared_info->evtchn_mask[port / 32] |= 1u << (port % 32);
	else
		shared_info->evtchn_mask[port / 32] &= ~(1u << (port % 32));
}

/* A loopback pair: *a is the unbound end we allocated, *b the bound one. */
static void loopback(uint32_t *a, uint32_t *b)
{
	struct xeno_evtchn_alloc_unbound u = { XENO_DOMID_SELF, XENO_DOMID_SELF, 0 };
	struct xeno_evtchn_bind_interdomain bi = { XENO_DOMID_SELF, 0, 0, 0 };
	struct xeno_evtchn_status s;

	EXPECT_EQ(op(XENO_EVTCHNOP_alloc_unbound, &u), 0);
	s = status(u.port);
	CHECK(s.status == XENO_EVTCHNSTAT_unbound && s.remote_dom == start_info->domid,
	      "new port %u: status %u, remote d%u", u.port, s.status, s.remote_dom);
	bi.remote_port = u.port;
	EXPECT_EQ(op(XENO_EVTCHNOP_bind_interdomain, &bi), 0);
	*a = u.port;
	*b = bi.local_port;
	bind_counted(*a);
	bind_counted(*b);
}

static void test_virq(void)
{
	struct xeno_evtchn_bind_virq v = { XENO_VIRQ_TIMER, 0 };
	struct xeno_evtchn_status s;
	uint64_t now = now_ns();

	EXPECT_EQ(op(XENO_EVTCHNOP_bind_virq, &v), 0);
	bind_counted(v.port);
	s = status(v.port);
	CHECK(s.status == XENO_EVTCHNSTAT_virq && s.virq == XENO_VIRQ_TIMER,
	      "VIRQ port %u: status %u virq %u", v.port, s.status, s.virq);
	EXPECT_EQ(op(XENO_EVTCHNOP_bind_virq, &v), -XENO_EEXIST);
	v.virq = XENO_NR_VIRQS;
	EXPECT_EQ(op(XENO_EVTCHNOP_bind_virq, &v), -XENO_EINVAL);
	EXPECT_EQ(send(s.port), -XENO_EINVAL);		/* the hypervisor raises VIRQs */
	/* A deadline in the past fires at once: one upcall. */
	HYPERCALL2(set_timer_op, (uint32_t)now, (uint32_t)(now >> 32));
	EXPECT_EQ(hits[s.port], 1);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, s.port), 0);
	EXPECT_EQ(status(s.port).status, XENO_EVTCHNSTAT_closed);
	v.virq = XENO_VIRQ_TIMER;
	EXPECT_EQ(op(XENO_EVTCHNOP_bind_virq, &v), 0);	/* free again */
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, v.port), 0);
}

static void test_loopback(void)
{
	uint32_t a, b, c;
	struct xeno_evtchn_status s;

	loopback(&a, &b);
	s = status(a);
	CHECK(s.status == XENO_EVTCHNSTAT_interdomain && s.remote_port == b, "port %u: %u -> %u",
	      a, s.status, s.remote_port);
	s = status(b);
	CHECK(s.status == XENO_EVTCHNSTAT_interdomain && s.remote_port == a, "port %u: %u -> %u",
	      b, s.status, s.remote_port);

	/* One send, one upcall, on the other end. */
	EXPECT_EQ(send(a), 0);
	CHECK(hits[b] == 1 && hits[a] == 0, "send on %u: %u upcalls on %u, %u on %u", a, hits[b],
	      b, hits[a], a);
	EXPECT_EQ(send(b), 0);
	CHECK(hits[a] == 1 && hits[b] == 1, "send on %u: %u upcalls", b, hits[a]);
	CHECK(!pending(a) && !pending(b), "pending bits left after the upcalls");

	/* Events masked: edges coalesce, one upcall when unmasked. */
	local_irq_disable();
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(send(a), 0);
	CHECK(pending(b) && vcpu->evtchn_upcall_pending && hits[b] == 1,
	      "masked send: pending %u, upcall_pending %u, upcalls %u", pending(b),
	      vcpu->evtchn_upcall_pending, hits[b]);
	local_irq_enable();
	EXPECT_EQ(hits[b], 2);

	/* Port masked: pending without an upcall until the unmask hypercall. */
	set_port_mask(b, true);
	EXPECT_EQ(send(a), 0);
	CHECK(pending(b) && !vcpu->evtchn_upcall_pending && hits[b] == 2,
	      "masked port: pending %u, upcall_pending %u, upcalls %u", pending(b),
	      vcpu->evtchn_upcall_pending, hits[b]);
	HYPERCALL2(xeno_version, 0, 0);			/* any hypercall: still nothing */
	EXPECT_EQ(hits[b], 2);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_unmask, b), 0);
	CHECK(hits[b] == 3 && !pending(b), "unmask did not re-raise the edge (%u upcalls)",
	      hits[b]);
	CHECK(!(shared_info->evtchn_mask[b / 32] & (1u << (b % 32))), "still masked");

	/* Closing one end leaves the other unbound; sends are dropped. */
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, b), 0);
	s = status(a);
	CHECK(s.status == XENO_EVTCHNSTAT_unbound && s.remote_dom == start_info->domid,
	      "after close, port %u: status %u remote d%u", a, s.status, s.remote_dom);
	EXPECT_EQ(status(b).status, XENO_EVTCHNSTAT_closed);
	EXPECT_EQ(send(a), 0);
	EXPECT_EQ(send(b), -XENO_EINVAL);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, b), -XENO_EINVAL);
	CHECK(hits[a] == 1 && hits[b] == 3 && !pending(b), "a send reached a closed port");

	/* The unbound end can be bound again. */
	{
		struct xeno_evtchn_bind_interdomain bi = { XENO_DOMID_SELF, 0, a, 0 };

		EXPECT_EQ(op(XENO_EVTCHNOP_bind_interdomain, &bi), 0);
		c = bi.local_port;
		EXPECT_EQ(op(XENO_EVTCHNOP_bind_interdomain, &bi), -XENO_EINVAL);	/* taken */
	}
	bind_counted(c);
	EXPECT_EQ(send(a), 0);
	EXPECT_EQ(hits[c], 1);
	/* Closing a port with an edge pending clears it. */
	local_irq_disable();
	EXPECT_EQ(send(a), 0);
	CHECK(pending(c), "no edge pending");
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, c), 0);
	CHECK(!pending(c), "closed port %u still pending", c);
	vcpu->evtchn_upcall_pending = 0;
	local_irq_enable();
	EXPECT_EQ(hits[c], 1);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, a), 0);
}

static void test_bad_ports(void)
{
	struct xeno_evtchn_alloc_unbound u = { XENO_DOMID_SELF, 7, 0 };
	struct xeno_evtchn_bind_interdomain bi = { 7, 0, 1, 0 };
	struct xeno_evtchn_status s = { XENO_DOMID_SELF, 0, 0, 0, 0, 0, 0 };
	struct xeno_dom0_getdomaininfo info;
	uint32_t ports[XENO_NR_EVENT_CHANNELS], n = 0;
	long rc;

	EXPECT_EQ(send(0), -XENO_EINVAL);
	EXPECT_EQ(send(XENO_NR_EVENT_CHANNELS), -XENO_EINVAL);
	EXPECT_EQ(send(0xFFFFFFFF), -XENO_EINVAL);
	EXPECT_EQ(send(500), -XENO_EINVAL);			/* free */
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, 0), -XENO_EINVAL);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_close, 500), -XENO_EINVAL);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_unmask, 0), -XENO_EINVAL);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_unmask, XENO_NR_EVENT_CHANNELS), -XENO_EINVAL);
	EXPECT_EQ(op(XENO_EVTCHNOP_status, &s), -XENO_EINVAL);
	s.port = XENO_NR_EVENT_CHANNELS;
	EXPECT_EQ(op(XENO_EVTCHNOP_status, &s), -XENO_EINVAL);
	s.port = 500;
	EXPECT_EQ(op(XENO_EVTCHNOP_status, &s), 0);
	EXPECT_EQ(s.status, XENO_EVTCHNSTAT_closed);
	s.dom = 9;
	EXPECT_EQ(op(XENO_EVTCHNOP_status, &s), -XENO_ESRCH);
	EXPECT_EQ(op(XENO_EVTCHNOP_alloc_unbound, &u), -XENO_ESRCH);	/* no domain 7 */
	EXPECT_EQ(op(XENO_EVTCHNOP_bind_interdomain, &bi), -XENO_ESRCH);
	bi.remote_dom = XENO_DOMID_SELF;
	bi.remote_port = 500;
	EXPECT_EQ(op(XENO_EVTCHNOP_bind_interdomain, &bi), -XENO_EINVAL);	/* not offered */
	EXPECT_EQ(op(99, &s), -XENO_ENOSYS);
	EXPECT_EQ(op(XENO_EVTCHNOP_send, (void *)XENO_HYPERVISOR_VIRT_START), -XENO_EFAULT);

	/* Every port can be used; then there are none left. */
	u.remote_dom = XENO_DOMID_SELF;
	while ((rc = op(XENO_EVTCHNOP_alloc_unbound, &u)) == 0 && n < ARRAY_SIZE(ports))
		ports[n++] = u.port;
	EXPECT_EQ(rc, -XENO_ENOSPC);
	EXPECT_EQ(n, XENO_NR_EVENT_CHANNELS - 1);		/* port 0 is never used */
	if (domain_info(start_info->domid, &info) == 0)
		EXPECT_EQ(info.nr_event_channels, n);
	while (n)
		EXPECT_EQ(port_op(XENO_EVTCHNOP_close, ports[--n]), 0);
	if (domain_info(start_info->domid, &info) == 0)
		EXPECT_EQ(info.nr_event_channels, 0);
}

void test_main(void)
{
	local_irq_enable();
	test_virq();
	test_loopback();
	test_bad_ports();
	EXPECT_EQ(events_unhandled, 0);
	xtf_success(NULL);
}
