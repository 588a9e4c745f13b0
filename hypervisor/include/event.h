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
int evtchn_alloc_device_port(struct domain *d, unsigned int slot);
void evtchn_free_device_port(struct domain *d, unsigned int port);

#endif
