/* SPDX-License-Identifier: MIT */
/*
 * net-tx-ring-index: publish a TX producer index 257 requests ahead of the
 * back end (more than the 256-slot ring could hold) and kick.
 *
 * Rule (abi.md 10.3 "Trust"): an impossible producer index crashes the
 * domain ("network TX ring N: request index ... is impossible"); the back
 * end reads no slot for it.
 * Why it matters: a back end that believed the index would take stale or
 * overwritten slots as requests, or loop over four billion of them with
 * interrupts off.
 */
#include <vifs.h>

const char test_title[] = "net-tx-ring-index: a TX producer index beyond the ring";

static void attack(void)
{
	struct netfront out, in;
	struct xeno_evtchn_port send;

	if (!vifs_connect(&out, &in, NET_RX_BUFS))
		return;
	out.ts->hdr.req_prod = out.tx.req_prod_pvt + XENO_NETIF_TX_RING_SLOTS + 1;
	send.port = out.port;
	evtchn_op(XENO_EVTCHNOP_send, &send);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.crash = "network TX ring 0: request index",
	.attack = attack,
	.prepare = vifs_prepare,
	.after = vifs_after,
};
