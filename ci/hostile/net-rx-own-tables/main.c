/* SPDX-License-Identifier: MIT */
/*
 * net-rx-own-tables: post our own L1 and L2 page tables, our shared_info
 * and our own ring pages as RX frames, and send packets to that VIF (whose
 * first bytes, written into a page table, would map anything we like).
 *
 * Rule (abi.md 10.3 "RX"): a posted frame must take a writable type
 * reference (never a page table or descriptor frame) and not be shared with
 * us by the hypervisor; otherwise RSP_ERROR, nothing written, the packet
 * dropped.  Our tables stay byte for byte as they were.
 * Why it matters: the hypervisor writes RX frames itself, past the
 * validation that keeps guests from writing their own page tables: letting
 * a packet land in one would hand the guest any machine frame.
 */
#include <vifs.h>

const char test_title[] = "net-rx-own-tables: RX into our own page tables and shared pages";

static uint8_t frame[1514], l1_before[PAGE_SIZE], l2_before[PAGE_SIZE];

static void attack(void)
{
	struct xeno_netif_rx_response rsp;
	struct netfront out, in;
	const uint8_t *l1 = (const uint8_t *)pte_of(start_info->virt_base);
	uint32_t bad[5];

	if (!vifs_connect(&out, &in, 0))
		return;
	bad[0] = l2_table()[start_info->virt_base >> 22] >> PAGE_SHIFT;	/* our L1 */
	bad[1] = virt_to_mfn(l2_table());					/* our L2 */
	bad[2] = start_info->shared_info_mfn;
	bad[3] = vifs_ring_mfn(&in, 0);
	bad[4] = vifs_ring_mfn(&in, 1);
	memcpy(l1_before, l1, PAGE_SIZE);
	memcpy(l2_before, l2_table(), PAGE_SIZE);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
		net_queue_rx(&in, (uint16_t)i, bad[i]);
	xeno_ring_push_requests(&in.rx);
	/* A frame full of PTEs that would map frame 0 writable, everywhere. */
	for (unsigned int i = 0; i < sizeof(frame); i += 4)
		net_put32(frame + i, 0x67000000u);
	vifs_frame(frame, in.mac, out.mac, ETH_HLEN);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(net_tx_wait(&out, net_send(&out, frame, sizeof(frame)), 1000 * MS),
			  XENO_NETIF_RSP_DROPPED);
		CHECK(net_next_rx_rsp(&in, &rsp, 1000 * MS) && rsp.id == i &&
		      rsp.status == XENO_NETIF_RSP_ERROR, "frame %u (%#x): status %d", i, bad[i],
		      rsp.status);
	}
	CHECK(!memcmp(l1_before, l1, PAGE_SIZE), "our L1 changed");
	CHECK(!memcmp(l2_before, l2_table(), PAGE_SIZE), "our L2 changed");
	net_queue_rx(&in, 99, virt_to_mfn(in.rxbuf[0]));
	xeno_ring_push_requests(&in.rx);
	EXPECT_EQ(net_tx_wait(&out, net_send(&out, frame, sizeof(frame)), 1000 * MS),
		  XENO_NETIF_RSP_OKAY);
	CHECK(net_next_rx_rsp(&in, &rsp, 1000 * MS) && rsp.id == 99 && rsp.status == sizeof(frame),
	      "the good frame: status %d", rsp.status);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.attack = attack,
	.prepare = vifs_prepare,
	.after = vifs_after,
};
