/* SPDX-License-Identifier: MIT */
/*
 * net-tx-foreign-frames: send packets whose bytes are in frames that are not
 * ours to send: the bystander's canary page, its L1 and L2 tables, the
 * hypervisor's image, frames past the end of RAM, and the frames the
 * hypervisor shares with us (shared_info, our own ring pages).
 *
 * Rule (abi.md 10.3 "TX"): the frame must be the sender's own and not one
 * the hypervisor shares with it; otherwise RSP_ERROR and nothing is read.
 * Our own page table may be sent (we can read it anyway): it is taken,
 * and dropped for want of a destination.
 * Why it matters: a back end that sent any frame it was named would copy
 * another domain's memory, or the hypervisor's, onto the wire.
 */
#include <vifs.h>

const char test_title[] = "net-tx-foreign-frames: TX from frames that are not ours";

static void attack(void)
{
	struct netfront out, in;
	struct {
		const char *what;
		uint32_t mfn;
	} t[] = {
		{ "the bystander's canary", foreign_mfn() },
		{ "the bystander's L1", hostile_arg("victim_l1", 0) },
		{ "the bystander's L2", hostile_arg("victim_l2", 0) },
		{ "the hypervisor's image", hypervisor_mfn() },
		{ "past the end of RAM", max_machine_frame() + 16 },
		{ "frame 0xffffffff", 0xffffffffu },
		{ "our shared_info", start_info->shared_info_mfn },
		{ "our TX ring", 0 },
		{ "our RX ring", 0 },
	};

	if (!vifs_connect(&out, &in, NET_RX_BUFS))
		return;
	t[7].mfn = vifs_ring_mfn(&out, 0);
	t[8].mfn = vifs_ring_mfn(&in, 1);
	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++)
		CHECK(vifs_tx(&out, t[i].mfn, 0, 60) == XENO_NETIF_RSP_ERROR,
		      "%s (frame %#x): not refused", t[i].what, t[i].mfn);
	EXPECT_EQ(vifs_drain(&in, 50), 0);
	/* Our own L1: ours to read; its first bytes make no MAC of this switch. */
	EXPECT_EQ(vifs_tx(&out, l2_table()[start_info->virt_base >> 22] >> PAGE_SHIFT, 0, 60),
		  XENO_NETIF_RSP_DROPPED);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.attack = attack,
	.prepare = vifs_prepare,
	.after = vifs_after,
};
