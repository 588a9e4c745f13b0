/* SPDX-License-Identifier: MIT */
/*
 * Event channels: event_channel_op(uint32_t cmd, void *arg).
 *
 * A port is a bit in shared_info.evtchn_pending.  Sending on a port sets the
 * peer's pending bit; if the port is not masked and was not already pending,
 * the word's bit in vcpu_info.evtchn_pending_sel and evtchn_upcall_pending
 * are set, and unless evtchn_upcall_mask is set the vCPU is sent to its event
 * callback (with the mask set).  An edge that arrives while the port is
 * masked stays pending; EVTCHNOP_unmask re-raises it.
 */
#ifndef XENO_PUBLIC_EVENT_CHANNEL_H
#define XENO_PUBLIC_EVENT_CHANNEL_H

#include "xeno.h"

/* Virtual interrupts the hypervisor raises, bound with EVTCHNOP_bind_virq. */
#define XENO_VIRQ_TIMER		0	/* set_timer_op deadline passed */
#define XENO_VIRQ_CONSOLE	1	/* console input (Domain0) */
#define XENO_VIRQ_DEBUG		2	/* debug key pressed */
#define XENO_VIRQ_BALLOON	3	/* balloon target changed */
#define XENO_VIRQ_DOM_EXC	4	/* Domain0: a domain crashed or shut down */
#define XENO_NR_VIRQS		8

#define XENO_EVTCHNOP_bind_virq		0
#define XENO_EVTCHNOP_bind_interdomain	1
#define XENO_EVTCHNOP_alloc_unbound	2
#define XENO_EVTCHNOP_send		3
#define XENO_EVTCHNOP_close		4
#define XENO_EVTCHNOP_status		5
#define XENO_EVTCHNOP_unmask		6


#ifndef __ASSEMBLY__
/* bind_virq: IN virq; OUT port. */
struct xeno_evtchn_bind_virq {
	uint32_t virq;
	uint32_t port;
};
XENO_ASSERT_SIZE(struct xeno_evtchn_bind_virq, 8);

/* alloc_unbound: a port in 'dom' (SELF, or any domain for Domain0) that
 * 'remote_dom' may later bind to.  OUT port. */
struct xeno_evtchn_alloc_unbound {
	uint16_t dom, remote_dom;
	uint32_t port;
};
XENO_ASSERT_SIZE(struct xeno_evtchn_alloc_unbound, 8);

/* bind_interdomain: connect a new local port to remote_port of remote_dom,
 * which must be unbound and offered to us.  OUT local_port. */
struct xeno_evtchn_bind_interdomain {
	uint16_t remote_dom, _pad;
	uint32_t remote_port;
	uint32_t local_port;
};
XENO_ASSERT_SIZE(struct xeno_evtchn_bind_interdomain, 12);

/* send, close, unmask: IN port. */
struct xeno_evtchn_port {
	uint32_t port;
};
XENO_ASSERT_SIZE(struct xeno_evtchn_port, 4);

#define XENO_EVTCHNSTAT_closed		0
#define XENO_EVTCHNSTAT_unbound		1
#define XENO_EVTCHNSTAT_interdomain	2
#define XENO_EVTCHNSTAT_virq		3
#define XENO_EVTCHNSTAT_device		4	/* a virtual device's (vdev.h) */

/* status: IN dom (SELF or, for Domain0, any), port; OUT the rest. */
struct xeno_evtchn_status {
	uint16_t dom, _pad;
	uint32_t port;
	uint32_t status;		/* XENO_EVTCHNSTAT_* */
	uint32_t remote_dom;		/* unbound: who may bind; interdomain: peer */
	uint32_t remote_port;		/* interdomain: the peer's port */
	uint32_t virq;			/* virq: which */
};
XENO_ASSERT_SIZE(struct xeno_evtchn_status, 24);
#endif

#endif
