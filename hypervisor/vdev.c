/* SPDX-License-Identifier: MIT */
/*
 * Virtual devices: the vdev_op hypercall, the ring pages and ports every
 * device type shares, and the service list (see include/vdev.h).
 *
 * Invariants: a ring page is owned by its domain and holds one general and
 * one writable type reference of the hypervisor's from the first CONNECT
 * to the domain's destruction, so it can never become a page table, be
 * given back, or be freed while the guest may still map it (mm_teardown()
 * has dropped the guest's mappings before vdev_domain_destroy() runs).  A
 * device is on the service list at most once (queued).
 */
#include <console.h>
#include <domain.h>
#include <errno.h>
#include <event.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <mm_types.h>
#include <panic.h>
#include <vdev.h>

static struct vdev *service_head, *service_tail;

int vdev_add(struct domain *d, struct vdev *v)
{
	unsigned int free = DOMAIN_MAX_VDEVS;

	if (vdev_find(d, v->type, v->handle))
		return -EEXIST;
	for (unsigned int i = 0; i < DOMAIN_MAX_VDEVS && free == DOMAIN_MAX_VDEVS; i++)
		if (!d->vdev[i])
			free = i;
	if (free == DOMAIN_MAX_VDEVS)
		return -ENOSPC;
	v->domain = d;
	v->slot = (uint8_t)free;
	d->vdev[free] = v;
	return 0;
}

struct vdev *vdev_find(struct domain *d, uint16_t type, uint16_t handle)
{
	for (unsigned int i = 0; i < DOMAIN_MAX_VDEVS; i++)
		if (d->vdev[i] && !d->vdev[i]->removed && d->vdev[i]->type == type &&
		    d->vdev[i]->handle == handle)
			return d->vdev[i];
	return NULL;
}

bool vdev_is_shared_frame(const struct domain *d, uint32_t mfn)
{
	if (mfn == virt_to_mfn(d->shared_info))
		return true;
	for (unsigned int i = 0; i < DOMAIN_MAX_VDEVS; i++)
		for (unsigned int r = 0; d->vdev[i] && r < VDEV_MAX_RINGS; r++)
			if (d->vdev[i]->ring[r] && mfn == virt_to_mfn(d->vdev[i]->ring[r]))
				return true;
	return false;
}

/* A heap page the domain may map, as shared_info is (see the top). */
static void *share_page(struct domain *d)
{
	void *p = alloc_xenheap_page();
	struct page_info *pg;

	if (!p)
		return NULL;
	pg = mfn_to_page(virt_to_mfn(p));
	pg->owner = d->id;
	pg->count = 1;
	pg->type_info = PGT_writable | 1;
	return p;
}

static void unshare_page(void *p)
{
	struct page_info *pg = mfn_to_page(virt_to_mfn(p));

	BUG_ON(pg->count != 1 || (pg->type_info & PGT_count_mask) != 1);
	pg->count = 0;
	pg->type_info = 0;
	pg->owner = DOMID_XEN;
	m2p_set(virt_to_mfn(p), XENO_INVALID_PFN);	/* the guest may have set it */
	free_xenheap_page(p);
}

/* ---- the service list ---- */

void vdev_want_service(struct vdev *v)
{
	if (v->queued)
		return;
	v->queued = true;
	v->next_service = NULL;
	if (service_tail)
		service_tail->next_service = v;
	else
		service_head = v;
	service_tail = v;
}

static void unqueue(struct vdev *v)
{
	struct vdev **p = &service_head, *prev = NULL;

	if (!v->queued)
		return;
	while (*p != v) {
		prev = *p;
		p = &(*p)->next_service;
	}
	*p = v->next_service;
	if (service_tail == v)
		service_tail = prev;
	v->queued = false;
}

/*
 * One batch for each device queued now; devices that queue themselves again
 * wait for the next pass, so every exit does bounded work.
 */
void vdev_service(void)
{
	struct vdev *v = service_head;

	service_head = service_tail = NULL;
	while (v) {
		struct vdev *next = v->next_service;

		v->queued = false;
		if (v->connected && !v->domain->dying)
			v->ops->service(v);
		v = next;
	}
}

bool vdev_service_pending(void)
{
	return service_head != NULL;
}

void vdev_notify(struct vdev *v)
{
	if (v->port)
		evtchn_set_pending(v->domain, v->port);
}

/* ---- events ---- */

void vdev_kick(struct domain *d, unsigned int slot)
{
	struct vdev *v = slot < DOMAIN_MAX_VDEVS ? d->vdev[slot] : NULL;

	if (v && v->connected)
		v->ops->service(v);	/* one batch, in the kicking hypercall */
}

static void disconnect(struct vdev *v)
{
	if (!v->connected)
		return;
	v->connected = false;
	unqueue(v);
	v->ops->disconnect(v);
}

void vdev_port_closed(struct domain *d, unsigned int slot)
{
	struct vdev *v = slot < DOMAIN_MAX_VDEVS ? d->vdev[slot] : NULL;

	if (!v)
		return;
	v->port = 0;
	disconnect(v);
}

/* ---- vdev_op ---- */

static long vdev_probe(struct domain *d, struct xeno_vdev_probe *p)
{
	uint32_t n = 0;

	for (uint16_t type = XENO_VDEV_BLK; type <= XENO_VDEV_NET; type++) {
		for (uint32_t h = 0; h <= 0xffff && n < DOMAIN_MAX_VDEVS; h++) {
			struct vdev *v = vdev_find(d, type, (uint16_t)h);
			struct xeno_vdev_info info;

			if (!v)
				continue;
			if (n < p->max) {
				memset(&info, 0, sizeof(info));
				v->ops->info(v, &info);
				info.type = v->type;
				info.handle = v->handle;
				info.flags |= v->connected ? XENO_VDEV_F_CONNECTED : 0;
				if (copy_to_guest(p->infos + n * sizeof(info), &info, sizeof(info)))
					return -EFAULT;
			}
			n++;
		}
	}
	p->count = n;
	return 0;
}

static long vdev_connect(struct domain *d, struct xeno_vdev_connect *c)
{
	struct vdev *v = vdev_find(d, c->type, c->handle);
	int port;

	if (!v)
		return -ENODEV;
	for (unsigned int r = 0; r < v->ops->nr_rings; r++)
		if (!v->ring[r] && !(v->ring[r] = share_page(d)))
			return -ENOMEM;
	if (!v->port) {
		port = evtchn_alloc_device_port(d, v->slot);
		if (port < 0)
			return port;
		v->port = (uint16_t)port;
	}
	disconnect(v);
	v->ops->connect(v);
	v->connected = true;
	c->port = v->port;
	for (unsigned int r = 0; r < VDEV_MAX_RINGS; r++)
		c->ring_mfn[r] = v->ring[r] ? virt_to_mfn(v->ring[r]) : 0;
	return 0;
}

long do_vdev_op(uint32_t cmd, uint32_t arg)
{
	struct domain *d = current->domain;
	union {
		struct xeno_vdev_probe probe;
		struct xeno_vdev_connect connect;
	} a;
	struct vdev *v;
	long rc;

	switch (cmd) {
	case XENO_VDEV_PROBE:
		if (copy_from_guest(&a.probe, arg, sizeof(a.probe)))
			return -EFAULT;
		rc = vdev_probe(d, &a.probe);
		if (!rc && copy_to_guest(arg, &a.probe, sizeof(a.probe)))
			return -EFAULT;
		return rc;
	case XENO_VDEV_CONNECT:
		if (copy_from_guest(&a.connect, arg, sizeof(a.connect)))
			return -EFAULT;
		rc = vdev_connect(d, &a.connect);
		if (!rc && copy_to_guest(arg, &a.connect, sizeof(a.connect)))
			return -EFAULT;
		return rc;
	case XENO_VDEV_DISCONNECT:
		if (copy_from_guest(&a.connect, arg, sizeof(a.connect)))
			return -EFAULT;
		v = vdev_find(d, a.connect.type, a.connect.handle);
		if (!v)
			return -ENODEV;
		disconnect(v);
		return 0;
	}
	return -ENOSYS;
}

/* ---- teardown ---- */

static void free_device(struct vdev *v)
{
	struct domain *d = v->domain;
	void *ring[VDEV_MAX_RINGS];

	disconnect(v);
	memcpy(ring, v->ring, sizeof(ring));
	d->vdev[v->slot] = NULL;
	v->ops->destroy(v);
	for (unsigned int r = 0; r < VDEV_MAX_RINGS; r++)
		if (ring[r])
			unshare_page(ring[r]);
}

int vdev_remove(struct vdev *v)
{
	if (v->ops->busy(v))
		return -EBUSY;
	disconnect(v);
	if (v->port) {
		evtchn_free_device_port(v->domain, v->port);
		v->port = 0;
	}
	if (v->ring[0] || v->ring[1]) {
		/* The guest may still map the rings: parked until the domain goes. */
		v->removed = true;
		return 0;
	}
	free_device(v);
	return 0;
}

bool vdev_domain_busy(const struct domain *d)
{
	for (unsigned int i = 0; i < DOMAIN_MAX_VDEVS; i++)
		if (d->vdev[i] && d->vdev[i]->ops->busy(d->vdev[i]))
			return true;
	return false;
}

/* After mm_teardown(): the guest maps nothing any more. */
void vdev_domain_destroy(struct domain *d)
{
	for (unsigned int i = 0; i < DOMAIN_MAX_VDEVS; i++)
		if (d->vdev[i])
			free_device(d->vdev[i]);
}
