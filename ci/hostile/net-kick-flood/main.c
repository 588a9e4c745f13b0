/* SPDX-License-Identifier: MIT */
/*
 * net-kick-flood: for over a second, keep the TX ring full of 1514-byte
 * packets for our other VIF and kick it in multicalls of 256 sends each,
 * as fast as we can.
 *
 * Rule (abi.md 10.3 "Kicks and batches", 2.4): each kick serves one batch,
 * counted as the kicker's work, so a multicall of kicks is preempted like
 * any long batch; the bystander and Domain0 keep running meanwhile.
 * Why it matters: packet copies are work the sender chooses; a back end
 * that drained a ring per kick would let one domain stall the machine.
 */
#include <vifs.h>

const char test_title[] = "net-kick-flood: kicks in long multicalls";

#define FLOOD_NS	(1500 * MS)

static struct xeno_multicall_entry calls[XENO_MULTICALL_MAX];

/* Keep the ring full: answered slots are queued again. */
static void refill(struct netfront *out, uint32_t mfn)
{
	out->tx.rsp_cons = out->ts->hdr.rsp_prod;
	while (xeno_ring_free_requests(&out->tx))
		net_queue_tx(out, 0, mfn, 0, 1514);
	xeno_ring_push_requests(&out->tx);
}

static void attack(void)
{
	struct xeno_evtchn_port send;
	struct netfront out, in;
	uint64_t end;
	unsigned int rounds = 0;

	if (!vifs_connect(&out, &in, NET_RX_BUFS))
		return;
	vifs_frame(out.txbuf[0], in.mac, out.mac, 1514);
	send.port = out.port;
	for (unsigned int i = 0; i < ARRAY_SIZE(calls); i++)
		calls[i] = (struct xeno_multicall_entry){ __HYPERVISOR_event_channel_op, 0,
							  { XENO_EVTCHNOP_send, (uint32_t)&send } };
	hostile_busy(true);
	for (end = now_ns() + FLOOD_NS; now_ns() < end; rounds++) {
		refill(&out, virt_to_mfn(out.txbuf[0]));
		HYPERCALL2(multicall, calls, ARRAY_SIZE(calls));
	}
	hostile_busy(false);
	printf("attacker: %u multicalls of %u kicks\n", rounds, (unsigned int)ARRAY_SIZE(calls));
	CHECK(vifs_drain(&in, 50) > 0, "nothing arrived at our other VIF");
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.flags = H_LIVENESS,
	.attack = attack,
	.prepare = vifs_prepare,
	.after = vifs_after,
};
