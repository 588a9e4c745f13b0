/* SPDX-License-Identifier: MIT */
/*
 * net-destroy-in-flight: in one multicall, hand the physical NIC 16
 * full-size packets (the NIC reads them straight from our frame) and get
 * ourselves killed by an impossible index on our other VIF's ring, so that
 * we die, and Domain0 destroys us, with the packets still at the NIC.
 *
 * Rule (abi.md 10.3 "TX", 6.19): a frame the NIC reads stays referenced
 * until the NIC is done; a domain destroyed meanwhile is DYING until then;
 * every frame comes back afterwards (the supervisor's leak checks).
 * Why it matters: frames freed while a device still reads them would be
 * handed to the next domain and sent out on the wire: its data, leaked.
 */
#include <vifs.h>

const char test_title[] = "net-destroy-in-flight: killed with packets at the NIC";

static const uint8_t elsewhere[ETH_ALEN] = { 0x02, 0x99, 0, 0, 0, 1 };
static uint32_t attacker_id;

static struct xeno_multicall_entry calls[2];

static void attack(void)
{
	struct xeno_evtchn_port to_nic, to_die;
	struct netfront out, in;

	if (!vifs_connect(&out, &in, NET_RX_BUFS))
		return;
	vifs_frame(out.txbuf[0], elsewhere, out.mac, 1514);
	for (unsigned int i = 0; i < 16; i++)
		net_queue_tx(&out, (uint16_t)i, virt_to_mfn(out.txbuf[0]), 0, 1514);
	xeno_ring_push_requests(&out.tx);
	in.ts->hdr.req_prod = in.tx.req_prod_pvt + XENO_NETIF_TX_RING_SLOTS + 1;
	to_nic.port = out.port;
	to_die.port = in.port;
	calls[0] = (struct xeno_multicall_entry){ __HYPERVISOR_event_channel_op, 0,
						  { XENO_EVTCHNOP_send, (uint32_t)&to_nic } };
	calls[1] = (struct xeno_multicall_entry){ __HYPERVISOR_event_channel_op, 0,
						  { XENO_EVTCHNOP_send, (uint32_t)&to_die } };
	HYPERCALL2(multicall, calls, 2);
}

static void prepare(uint32_t attacker, uint32_t bystander)
{
	attacker_id = attacker;
	vifs_prepare(attacker, bystander);
}

/* The destruction waited for the NIC (300 ms late): it must be over now. */
static void after(void)
{
	struct xeno_dom0_getdomaininfo info;
	uint64_t end = now_ns() + 2000 * MS;

	while (!domain_info(attacker_id, &info) && now_ns() < end)
		sleep_ns(MS);
	CHECK(domain_info(attacker_id, &info) == -XENO_ESRCH, "the attacker is still there");
	CHECK(console_log_find(0, "I/O in flight; destroyed when it completes", NULL, 0),
	      "the NIC was done before the destruction: nothing tested (test.conf: user-slow?)");
	vifs_after();
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.crash = "network TX ring 1: request index",
	.attack = attack,
	.prepare = prepare,
	.after = after,
};
