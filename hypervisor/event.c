/* SPDX-License-Identifier: MIT */
/*
 * Event channels.  Each domain has NR_EVTCHN ports; port 0 is never used.
 * A port is FREE, UNBOUND (offered to one remote domain), INTERDOMAIN
 * (connected to a remote port, and the remote port to it), VIRQ (raised by
 * the hypervisor) or DEVICE (a virtual device's: a send kicks its back end,
 * which raises the port in turn; vdev.c).  Connections are symmetric: closing one end leaves the
 * other UNBOUND, offered back to the closer's domain.
 *
 * Pending state lives in shared_info: setting a port pending sets its bit;
 * if that bit was clear and the port is unmasked, the word's selector bit and
 * evtchn_upcall_pending are set and a blocked vCPU wakes.  The guest clears
 * upcall_pending, then the selector, then the port bits.
 */
#include <console.h>
#include <domain.h>
#include <errno.h>
#include <event.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <public/event_channel.h>
#include <sched.h>
#include <vdev.h>

#define PORTS_PER_WORK	16	/* ports scanned per unit of work (hypercall.h) */

static bool test_and_set(uint32_t *words, unsigned int bit)
{
	bool was = words[bit / 32] & (1u << (bit % 32));

	words[bit / 32] |= 1u << (bit % 32);
	return was;
}

static bool test(const uint32_t *words, unsigned int bit)
{
	return words[bit / 32] & (1u << (bit % 32));
}

/* Tell the vCPU that a pending, unmasked port needs its attention. */
static void raise_upcall(struct domain *d, unsigned int port)
{
	struct xeno_vcpu_info *vi = d->vcpu.info;

	vi->evtchn_pending_sel |= 1u << (port / 32);
	vi->evtchn_upcall_pending = 1;
	vcpu_wake(&d->vcpu);
}

void evtchn_set_pending(struct domain *d, unsigned int port)
{
	struct xeno_shared_info *s = d->shared_info;

	if (d->shutdown != SHUTDOWN_NONE || d->dying)
		return;
	if (test_and_set(s->evtchn_pending, port))
		return;		/* already pending: one edge is enough */
	if (!test(s->evtchn_mask, port))
		raise_upcall(d, port);
}

void send_guest_virq(struct domain *d, unsigned int virq)
{
	unsigned int port;

	if (!d || virq >= XENO_NR_VIRQS)
		return;
	port = d->virq_port[virq];
	if (port)
		evtchn_set_pending(d, port);
}

/* The lowest free port; counted work: one unit per PORTS_PER_WORK looked at. */
static int alloc_port(struct domain *d)
{
	unsigned int p;

	for (p = 1; p < NR_EVTCHN && d->evtchn[p].state != ECS_FREE; p++)
		;
	hypercall_count_work(p / PORTS_PER_WORK);
	return p < NR_EVTCHN ? (int)p : -ENOSPC;
}

int evtchn_alloc_device_port(struct domain *d, unsigned int slot)
{
	int port = alloc_port(d);

	if (port < 0)
		return port;
	d->evtchn[port] = (struct evtchn){ ECS_DEVICE, 0, d->id, (uint16_t)slot, 0 };
	return port;
}

static bool port_valid(const struct domain *d, uint32_t port)
{
	return port > 0 && port < NR_EVTCHN && d->evtchn[port].state != ECS_FREE;
}

unsigned int evtchn_ports_in_use(const struct domain *d)
{
	unsigned int n = 0;

	for (unsigned int p = 1; p < NR_EVTCHN; p++)
		n += d->evtchn[p].state != ECS_FREE;
	return n;
}

static struct domain *resolve(const struct domain *self, uint32_t domid)
{
	if (domid == XENO_DOMID_SELF || domid == self->id)
		return (struct domain *)self;
	return domain_find(domid);
}

static long bind_virq(struct domain *d, struct xeno_evtchn_bind_virq *op)
{
	int port;

	if (op->virq >= XENO_NR_VIRQS)
		return -EINVAL;
	if (d->virq_port[op->virq])
		return -EEXIST;
	port = alloc_port(d);
	if (port < 0)
		return port;
	d->evtchn[port].state = ECS_VIRQ;
	d->evtchn[port].virq = (uint8_t)op->virq;
	d->virq_port[op->virq] = (uint16_t)port;
	op->port = (uint32_t)port;
	return 0;
}

static long alloc_unbound(struct domain *self, struct xeno_evtchn_alloc_unbound *op)
{
	struct domain *d = resolve(self, op->dom), *rd = resolve(self, op->remote_dom);
	int port;

	if (!d || !rd)
		return -ESRCH;
	if (d != self && !self->privileged)
		return -EPERM;
	port = alloc_port(d);
	if (port < 0)
		return port;
	d->evtchn[port].state = ECS_UNBOUND;
	d->evtchn[port].remote_dom = rd->id;
	op->port = (uint32_t)port;
	return 0;
}

static long bind_interdomain(struct domain *d, struct xeno_evtchn_bind_interdomain *op)
{
	struct domain *rd = resolve(d, op->remote_dom);
	struct evtchn *rc;
	int port;

	if (!rd || rd->dying)
		return -ESRCH;
	if (!port_valid(rd, op->remote_port))
		return -EINVAL;
	rc = &rd->evtchn[op->remote_port];
	if (rc->state != ECS_UNBOUND || rc->remote_dom != d->id)
		return -EINVAL;		/* not offered to us */
	port = alloc_port(d);
	if (port < 0)
		return port;
	d->evtchn[port] = (struct evtchn){ ECS_INTERDOMAIN, 0, rd->id, (uint16_t)op->remote_port, 0 };
	*rc = (struct evtchn){ ECS_INTERDOMAIN, 0, d->id, (uint16_t)port, 0 };
	op->local_port = (uint32_t)port;
	return 0;
}

static long evtchn_send(struct domain *d, uint32_t port)
{
	const struct evtchn *c;
	struct domain *rd;

	if (!port_valid(d, port))
		return -EINVAL;
	c = &d->evtchn[port];
	switch (c->state) {
	case ECS_INTERDOMAIN:
		rd = domain_find(c->remote_dom);
		if (rd)
			evtchn_set_pending(rd, c->remote_port);
		return 0;
	case ECS_UNBOUND:
		return 0;	/* nobody listens yet: dropped */
	case ECS_DEVICE:
		vdev_kick(d, c->remote_port);
		return 0;
	}
	return -EINVAL;		/* VIRQ ports are raised by the hypervisor only */
}

static void evtchn_close_port(struct domain *d, uint32_t port)
{
	struct evtchn *c = &d->evtchn[port];
	struct domain *rd;

	if (c->state == ECS_VIRQ)
		d->virq_port[c->virq] = 0;
	if (c->state == ECS_DEVICE)
		vdev_port_closed(d, c->remote_port);
	if (c->state == ECS_INTERDOMAIN) {
		rd = domain_find(c->remote_dom);
		if (rd) {
			struct evtchn *rc = &rd->evtchn[c->remote_port];

			rc->state = ECS_UNBOUND;
			rc->remote_dom = d->id;
			rc->remote_port = 0;
		}
	}
	memset(c, 0, sizeof(*c));
	d->shared_info->evtchn_pending[port / 32] &= ~(1u << (port % 32));
}

static long evtchn_status(struct domain *self, struct xeno_evtchn_status *op)
{
	struct domain *d = resolve(self, op->dom);
	const struct evtchn *c;

	if (!d)
		return -ESRCH;
	if (d != self && !self->privileged)
		return -EPERM;
	if (op->port == 0 || op->port >= NR_EVTCHN)
		return -EINVAL;
	c = &d->evtchn[op->port];
	op->status = c->state == ECS_FREE ? XENO_EVTCHNSTAT_closed :
		     c->state == ECS_UNBOUND ? XENO_EVTCHNSTAT_unbound :
		     c->state == ECS_INTERDOMAIN ? XENO_EVTCHNSTAT_interdomain :
		     c->state == ECS_VIRQ ? XENO_EVTCHNSTAT_virq : XENO_EVTCHNSTAT_device;
	op->remote_dom = c->remote_dom;
	op->remote_port = c->remote_port;
	op->virq = c->virq;
	return 0;
}

/* Clear the mask; an edge that arrived while masked is raised now. */
static long evtchn_unmask(struct domain *d, uint32_t port)
{
	struct xeno_shared_info *s = d->shared_info;

	if (port == 0 || port >= NR_EVTCHN)
		return -EINVAL;
	s->evtchn_mask[port / 32] &= ~(1u << (port % 32));
	if (test(s->evtchn_pending, port))
		raise_upcall(d, port);
	return 0;
}

/* The device is going: its port closes without telling it (vdev.c). */
void evtchn_free_device_port(struct domain *d, unsigned int port)
{
	memset(&d->evtchn[port], 0, sizeof(d->evtchn[port]));
	d->shared_info->evtchn_pending[port / 32] &= ~(1u << (port % 32));
}

/*
 * A dying domain's ports close (its peers' become unbound, offered to it);
 * then every port still offered to it is offered back to its own domain:
 * domain ids are reused, and the next domain with this id must not inherit
 * channels meant for this one.
 */
void evtchn_destroy(struct domain *d)
{
	for (unsigned int p = 1; p < NR_EVTCHN; p++)
		if (d->evtchn[p].state != ECS_FREE)
			evtchn_close_port(d, p);
	for (struct domain *o = domain_list; o; o = o->next) {
		if (o == d)
			continue;
		for (unsigned int p = 1; p < NR_EVTCHN; p++)
			if (o->evtchn[p].state == ECS_UNBOUND && o->evtchn[p].remote_dom == d->id)
				o->evtchn[p].remote_dom = o->id;
	}
}

void evtchn_dump(const struct domain *d)
{
	static const char *const names[] = { "free", "unbound", "interdomain", "virq", "device" };

	for (unsigned int p = 1; p < NR_EVTCHN; p++) {
		const struct evtchn *c = &d->evtchn[p];

		if (c->state == ECS_FREE)
			continue;
		printk("  d%u port %u: %s remote d%u:%u virq %u pending %u masked %u\n", d->id, p,
		       names[c->state], c->remote_dom, c->remote_port, c->virq,
		       test(d->shared_info->evtchn_pending, p), test(d->shared_info->evtchn_mask, p));
	}
}

/* Copy the argument in, run the op, copy results out. */
long do_event_channel_op(uint32_t cmd, uint32_t arg_va)
{
	struct domain *d = current->domain;
	union {
		struct xeno_evtchn_bind_virq virq;
		struct xeno_evtchn_alloc_unbound unbound;
		struct xeno_evtchn_bind_interdomain inter;
		struct xeno_evtchn_port port;
		struct xeno_evtchn_status status;
	} a;
	static const uint8_t sizes[] = {
		[XENO_EVTCHNOP_bind_virq] = sizeof(a.virq),
		[XENO_EVTCHNOP_bind_interdomain] = sizeof(a.inter),
		[XENO_EVTCHNOP_alloc_unbound] = sizeof(a.unbound),
		[XENO_EVTCHNOP_send] = sizeof(a.port),
		[XENO_EVTCHNOP_close] = sizeof(a.port),
		[XENO_EVTCHNOP_status] = sizeof(a.status),
		[XENO_EVTCHNOP_unmask] = sizeof(a.port),
	};
	long rc;

	if (cmd >= ARRAY_SIZE(sizes))
		return -ENOSYS;
	if (copy_from_guest(&a, arg_va, sizes[cmd]))
		return -EFAULT;
	switch (cmd) {
	case XENO_EVTCHNOP_bind_virq:
		rc = bind_virq(d, &a.virq);
		break;
	case XENO_EVTCHNOP_bind_interdomain:
		rc = bind_interdomain(d, &a.inter);
		break;
	case XENO_EVTCHNOP_alloc_unbound:
		rc = alloc_unbound(d, &a.unbound);
		break;
	case XENO_EVTCHNOP_send:
		return evtchn_send(d, a.port.port);
	case XENO_EVTCHNOP_close:
		if (!port_valid(d, a.port.port))
			return -EINVAL;
		evtchn_close_port(d, a.port.port);
		return 0;
	case XENO_EVTCHNOP_status:
		rc = evtchn_status(d, &a.status);
		break;
	default:
		return evtchn_unmask(d, a.port.port);
	}
	if (!rc && copy_to_guest(arg_va, &a, sizes[cmd]))
		return -EFAULT;
	return rc;
}
