/* SPDX-License-Identifier: MIT */
/* Event channels: ports, VIRQs and the upcall to the guest. */
#ifndef XENO_EVENT_H
#define XENO_EVENT_H

#include <domain.h>

void evtchn_set_pending(struct domain *d, unsigned int port);
void send_guest_virq(struct domain *d, unsigned int virq);
void evtchn_destroy(struct domain *d);
unsigned int evtchn_ports_in_use(const struct domain *d);
void evtchn_dump(const struct domain *d);
long do_event_channel_op(uint32_t cmd, uint32_t arg_va);

/* Bounce the vCPU to its event callback if an unmasked event is pending.
 * False if that failed and the domain crashed. */
bool deliver_events(struct vcpu *v, struct cpu_regs *regs);

#endif
