/* SPDX-License-Identifier: MIT */
/*
 * net-tx-bad-shape: TX requests of 0, 13, 1515 and 65535 bytes, and
 * requests that run past the end of their frame (offset 4000 size 200,
 * offset 4095 size 14, offset 65535), then a good one.
 *
 * Rule (abi.md 10.3 "TX"): a request must be 14..1514 bytes inside one
 * frame; anything else is answered RSP_ERROR and nothing is sent; the
 * domain keeps running and its good request goes through.
 * Why it matters: a size or offset the back end trusted would make it read
 * the next frame (someone else's) or copy 64 KiB into a 1514-byte buffer.
 */
#include <vifs.h>

const char test_title[] = "net-tx-bad-shape: packets of impossible sizes";

static void attack(void)
{
	static const struct { const char *what; unsigned int offset, size; } t[] = {
		{ "0 bytes", 0, 0 }, { "13 bytes", 0, 13 }, { "1515 bytes", 0, 1515 },
		{ "65535 bytes", 0, 65535 }, { "offset 4000, 200 bytes", 4000, 200 },
		{ "offset 4095, 14 bytes", 4095, 14 }, { "offset 65535", 65535, 14 },
		{ "offset 2583, 1514 bytes", 4096 - 1513, 1514 },
	};
	struct netfront out, in;
	uint8_t *page;
	uint32_t mfn;

	if (!vifs_connect(&out, &in, NET_RX_BUFS))
		return;
	page = out.txbuf[0];
	mfn = virt_to_mfn(page);
	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++) {
		vifs_frame(page + (t[i].offset & 0xfff), in.mac, out.mac, 14);
		CHECK(vifs_tx(&out, mfn, t[i].offset, t[i].size) == XENO_NETIF_RSP_ERROR,
		      "%s: not refused", t[i].what);
	}
	EXPECT_EQ(vifs_drain(&in, 50), 0);
	vifs_frame(page + 2582, in.mac, out.mac, 1514);
	EXPECT_EQ(vifs_tx(&out, mfn, 2582, 1514), XENO_NETIF_RSP_OKAY);
	EXPECT_EQ(vifs_drain(&in, 50), 1);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.attack = attack,
	.prepare = vifs_prepare,
	.after = vifs_after,
};
