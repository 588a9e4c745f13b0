/* SPDX-License-Identifier: MIT */
/*
 * Event channels for test guests: binding, ports by number (status, send,
 * close, offer), the upcall, unmask-then-check.
 */
#include "guest.h"

static evtchn_handler_t handlers[XENO_NR_EVENT_CHANNELS];
volatile unsigned int events_unhandled;

long evtchn_op(uint32_t cmd, void *arg)
{
	return HYPERCALL2(event_channel_op, cmd, arg);
}

void bind_port(unsigned int port, evtchn_handler_t h)
{
	handlers[port] = h;
}

int bind_virq(unsigned int virq, evtchn_handler_t h)
{
	struct xeno_evtchn_bind_virq op = { virq, 0 };
	long rc = evtchn_op(XENO_EVTCHNOP_bind_virq, &op);

	if (rc)
		return (int)rc;
	bind_port(op.port, h);
	return (int)op.port;
}

long port_status(uint32_t dom, uint32_t port)
{
	struct xeno_evtchn_status s = { .dom = (uint16_t)dom, .port = port };
	long rc = evtchn_op(XENO_EVTCHNOP_status, &s);

	return rc ? rc : (long)s.status;
}

unsigned int ports_in_use(void)
{
	unsigned int n = 0;

	for (uint32_t p = 1; p < XENO_NR_EVENT_CHANNELS; p++)
		n += port_status(XENO_DOMID_SELF, p) > XENO_EVTCHNSTAT_closed;
	return n;
}

long port_op(uint32_t cmd, uint32_t port)
{
	struct xeno_evtchn_port p = { port };

	return evtchn_op(cmd, &p);
}

long port_alloc(uint32_t remote)
{
	struct xeno_evtchn_alloc_unbound u = { XENO_DOMID_SELF, (uint16_t)remote, 0 };
	long rc = evtchn_op(XENO_EVTCHNOP_alloc_unbound, &u);

	return rc ? rc : (long)u.port;
}

long evtchn_loopback(evtchn_handler_t h)
{
	long offered = port_alloc(XENO_DOMID_SELF);
	struct xeno_evtchn_bind_interdomain b = { XENO_DOMID_SELF, 0, (uint32_t)offered, 0 };
	long rc;

	if (offered < 0)
		return offered;
	rc = evtchn_op(XENO_EVTCHNOP_bind_interdomain, &b);
	if (rc)
		return rc;
	bind_port(b.local_port, h);
	return offered;
}

void events_unmask_all(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(shared_info->evtchn_mask); i++)
		shared_info->evtchn_mask[i] = 0;
}

/* Atomically fetch-and-clear a word the hypervisor may also write. */
static uint32_t xchg_zero(volatile uint32_t *p)
{
	uint32_t v = 0;

	asm volatile("xchg %0, %1" : "+r"(v), "+m"(*p) : : "memory");
	return v;
}

static void clear_bit(unsigned int bit, volatile uint32_t *words)
{
	asm volatile("lock btr %1, %0" : "+m"(*words) : "r"(bit) : "memory");
}

/* The upcall: clear pending first, then scan, so nothing is missed. */
void events_dispatch(void)
{
	uint32_t sel;

	vcpu->evtchn_upcall_pending = 0;
	barrier();
	sel = xchg_zero(&vcpu->evtchn_pending_sel);
	while (sel) {
		unsigned int w = __builtin_ctz(sel);
		uint32_t bits;

		sel &= sel - 1;
		bits = shared_info->evtchn_pending[w] & ~shared_info->evtchn_mask[w];
		while (bits) {
			unsigned int port = w * 32 + __builtin_ctz(bits);

			bits &= bits - 1;
			clear_bit(port, shared_info->evtchn_pending);
			if (handlers[port])
				handlers[port](port);
			else
				events_unhandled++;
		}
	}
}

void local_irq_enable(void)
{
	vcpu->evtchn_upcall_mask = 0;
	barrier();	/* unmask, then look: an event set in between is not lost */
	if (vcpu->evtchn_upcall_pending)
		HYPERCALL2(xeno_version, XENO_VERSION_VERSION, 0);
}
