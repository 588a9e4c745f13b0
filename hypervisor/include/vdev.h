/* SPDX-License-Identifier: MIT */
/*
 * Virtual devices of a domain (vdev.c): VBDs (vbd.c) and VIFs, created by
 * Domain0, found and connected by the domain through vdev_op.  Each device
 * has one or two ring pages from the hypervisor heap, shared with the domain
 * for the domain's whole life (like shared_info), and, while connected, an
 * event channel port of state ECS_DEVICE in the domain's table: a send on
 * it is a kick, which calls the device's kick(); the back end raises it
 * with vdev_notify().
 *
 * A kick does at most one batch of work in the kicking hypercall; a device
 * with more to do (or waiting for a disk's room) is put on the service
 * list, which exit_to_guest() works off a batch per device per pass
 * (vdev_service()).  Completions arrive from disk interrupts.
 */
#ifndef XENO_VDEV_H
#define XENO_VDEV_H

#include <public/vdev.h>
#include <types.h>

#define DOMAIN_MAX_VDEVS	8	/* devices per domain, all types */
#define VDEV_MAX_RINGS		2

struct domain;
struct vdev;

struct vdev_ops {
	unsigned int nr_rings;
	void (*info)(const struct vdev *v, struct xeno_vdev_info *out);
	void (*connect)(struct vdev *v);	/* the front (re)starts: reset cursors */
	void (*disconnect)(struct vdev *v);	/* stop reading the rings */
	void (*service)(struct vdev *v);	/* one batch of ring work */
	bool (*busy)(const struct vdev *v);	/* I/O in flight (frames held) */
	void (*destroy)(struct vdev *v);	/* free it; never while busy */
};

struct vdev {
	const struct vdev_ops *ops;
	struct domain *domain;
	uint16_t type, handle;		/* as in public/vdev.h */
	uint16_t port;			/* the domain's port while connected, else 0 */
	uint8_t slot;			/* index in domain->vdev[] */
	bool connected;
	bool removed;			/* by Domain0; its rings wait for the domain's end */
	bool queued;			/* on the service list */
	void *ring[VDEV_MAX_RINGS];	/* xenheap pages, shared with the domain */
	struct vdev *next_service;
};

/* Add v (type, handle, ops set) to d: 0, -EEXIST, -ENOSPC or -ENOMEM. */
int vdev_add(struct domain *d, struct vdev *v);
/* Find d's device of that type and handle, or NULL. */
struct vdev *vdev_find(struct domain *d, uint16_t type, uint16_t handle);
/*
 * Take v away (Domain0's destroy): -EBUSY while I/O is in flight.  A device
 * whose rings were ever handed out is only hidden: the pages stay shared
 * until the domain is destroyed.
 */
int vdev_remove(struct vdev *v);
/* Is the frame one of the pages the hypervisor shares with d? */
bool vdev_is_shared_frame(const struct domain *d, uint32_t mfn);

/* Back ends: raise the device's port; ask for (more) service. */
void vdev_notify(struct vdev *v);
void vdev_want_service(struct vdev *v);
/* The exit path: a batch for each device that asked. */
void vdev_service(void);
bool vdev_service_pending(void);

/* Event channels: a send on an ECS_DEVICE port, and its close. */
void vdev_kick(struct domain *d, unsigned int slot);
void vdev_port_closed(struct domain *d, unsigned int slot);

/* Domain teardown: I/O in flight anywhere in d?  Then free every device. */
bool vdev_domain_busy(const struct domain *d);
void vdev_domain_destroy(struct domain *d);

#endif
