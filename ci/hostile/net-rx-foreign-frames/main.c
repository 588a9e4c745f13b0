/* SPDX-License-Identifier: MIT */
/*
 * net-rx-foreign-frames: post RX frames that are not ours (the bystander's
 * canary page, its L1 and L2 tables, the hypervisor's image, frames past
 * the end of RAM) and send packets to that VIF, then post a good frame.
 *
 * Rule (abi.md 10.3 "RX"): a posted frame must be the receiver's own plain
 * memory; otherwise its response is RSP_ERROR, nothing is written and the
 * packet is dropped.  The bystander's canaries and tables stay intact
 * (it checks them), and the good frame gets its packet.
 * Why it matters: an RX frame is a write target chosen by the guest: the
 * one place where a back end writes memory the guest names.
 */
#include <vifs.h>

const char test_title[] = "net-rx-foreign-frames: RX into frames that are not ours";

static uint8_t frame[1514];

static void attack(void)
{
	struct xeno_netif_rx_response rsp;
	struct netfront out, in;
	const uint32_t bad[] = { foreign_mfn(), hostile_arg("victim_l1", 0),
				 hostile_arg("victim_l2", 0), hypervisor_mfn(),
				 max_machine_frame() + 16, 0xffffffffu };

	if (!vifs_connect(&out, &in, 0))
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
		net_queue_rx(&in, (uint16_t)i, bad[i]);
	xeno_ring_push_requests(&in.rx);
	vifs_frame(frame, in.mac, out.mac, sizeof(frame));
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(net_tx_wait(&out, net_send(&out, frame, sizeof(frame)), 1000 * MS),
			  XENO_NETIF_RSP_DROPPED);
		CHECK(net_next_rx_rsp(&in, &rsp, 1000 * MS) && rsp.id == i &&
		      rsp.status == XENO_NETIF_RSP_ERROR, "frame %#x: status %d", bad[i], rsp.status);
	}
	net_queue_rx(&in, 99, virt_to_mfn(in.rxbuf[0]));
	xeno_ring_push_requests(&in.rx);
	EXPECT_EQ(net_tx_wait(&out, net_send(&out, frame, sizeof(frame)), 1000 * MS),
		  XENO_NETIF_RSP_OKAY);
	CHECK(net_next_rx_rsp(&in, &rsp, 1000 * MS) && rsp.id == 99 && rsp.status == sizeof(frame),
	      "the good frame: status %d", rsp.status);
	CHECK(!memcmp(in.rxbuf[0] + rsp.offset, frame, sizeof(frame)), "the good frame differs");
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.attack = attack,
	.prepare = vifs_prepare,
	.after = vifs_after,
};
