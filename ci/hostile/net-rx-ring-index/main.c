/* SPDX-License-Identifier: MIT */
/*
 * net-rx-ring-index: publish an RX producer index of 0x80000000 on one VIF
 * (half the index space ahead) and send it a packet from the other.
 *
 * Rule (abi.md 10.3 "Trust"): the back end looks at the RX ring only when
 * a packet arrives; an impossible producer index then crashes the domain
 * ("network RX ring N: request index ... is impossible") and nothing is
 * written anywhere.
 * Why it matters: RX requests name frames the hypervisor writes into; a
 * stale or made-up slot is an arbitrary write target.
 */
#include <vifs.h>

const char test_title[] = "net-rx-ring-index: an RX producer index beyond the ring";

static uint8_t frame[64];

static void attack(void)
{
	struct netfront out, in;

	if (!vifs_connect(&out, &in, NET_RX_BUFS))
		return;
	in.rs->hdr.req_prod = 0x80000000u;
	net_send(&out, frame, vifs_frame(frame, in.mac, out.mac, sizeof(frame)));
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.crash = "network RX ring 1: request index",
	.attack = attack,
	.prepare = vifs_prepare,
	.after = vifs_after,
};
