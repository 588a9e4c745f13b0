/* SPDX-License-Identifier: MIT */
/*
 * Building blocks for the network attacks (net-*).  The supervisor gives
 * the attacker two VIFs, "out" (VIF 0, address ATTACKER_IP) and "in" (VIF 1),
 * so that it can both send and watch what arrives without anyone else's
 * help, and gives the bystander a VIF it never connects (the victim's
 * MAC and address): a packet that reached it would show in its counters,
 * which vifs_after() checks are zero before taking it away again.
 */
#ifndef HOSTILE_VIFS_H
#define HOSTILE_VIFS_H

#include <hostile.h>
#include <net.h>

#define ATTACKER_IP	0x0a000003u	/* 10.0.0.3, VIF 0's */
#define VICTIM_IP	0x0a000002u	/* the bystander's VIF */
#define MS		1000000ull

extern const uint8_t victim_mac[ETH_ALEN];

/* Supervisor (struct hostile's prepare and after). */
void vifs_prepare(uint32_t attacker, uint32_t bystander);
void vifs_after(void);

/*
 * Attacker: connect VIF 0 (out) and VIF 1 (in), with in_posted of in's RX
 * pages posted: false (and ERROR) if not.
 */
bool vifs_connect(struct netfront *out, struct netfront *in, unsigned int in_posted);
/* A valid test frame of len bytes from out's MAC to dst, in buf. */
unsigned int vifs_frame(uint8_t *buf, const uint8_t *dst, const uint8_t *src, unsigned int len);
/* Queue a TX request on out, kick, and wait for its answer: the status. */
int vifs_tx(struct netfront *out, uint32_t mfn, unsigned int offset, unsigned int size);
/* Frames that arrive at in within 'ms' milliseconds (each posted again). */
unsigned int vifs_drain(struct netfront *in, unsigned int ms);
/* Machine frames of our own: a ring page of f (0 TX, 1 RX). */
uint32_t vifs_ring_mfn(const struct netfront *f, unsigned int ring);

#endif
