/* SPDX-License-Identifier: MIT */
/* Building blocks for the network attacks (vifs.h). */
#include "vifs.h"

#define ETHERTYPE_TEST	0x88b5

const uint8_t victim_mac[ETH_ALEN] = { 0x02, 0x58, 0x0b, 0x0b, 0x0b, 0x0b };
static uint32_t victim_dom;

void vifs_prepare(uint32_t attacker, uint32_t bystander)
{
	EXPECT_EQ(net_vif_op(XENO_DOM0_VIF_CREATE, (uint16_t)attacker, 0, NULL, ATTACKER_IP, NULL),
		  0);
	EXPECT_EQ(net_vif_op(XENO_DOM0_VIF_CREATE, (uint16_t)attacker, 1, NULL, 0, NULL), 0);
	EXPECT_EQ(net_vif_op(XENO_DOM0_VIF_CREATE, (uint16_t)bystander, 0, victim_mac, VICTIM_IP,
			     NULL), 0);
	victim_dom = bystander;
}

void vifs_after(void)
{
	struct xeno_dom0_vif v;

	EXPECT_EQ(net_vif_op(XENO_DOM0_VIF_INFO, (uint16_t)victim_dom, 0, NULL, 0, &v), 0);
	CHECK(v.rx_packets == 0 && v.rx_dropped == 0 && v.rx_errors == 0,
	      "the victim's VIF was sent %u frames (%u dropped)", (uint32_t)v.rx_packets,
	      v.rx_dropped);
	EXPECT_EQ(net_vif_op(XENO_DOM0_VIF_DESTROY, (uint16_t)victim_dom, 0, NULL, 0, NULL), 0);
}

bool vifs_connect(struct netfront *out, struct netfront *in, unsigned int in_posted)
{
	if (net_connect(out, 0) || net_connect_posting(in, 1, in_posted)) {
		xtf_error("cannot connect VIFs 0 and 1 (did the supervisor make them?)");
		return false;
	}
	return true;
}

unsigned int vifs_frame(uint8_t *buf, const uint8_t *dst, const uint8_t *src, unsigned int len)
{
	memcpy(buf, dst, ETH_ALEN);
	memcpy(buf + ETH_ALEN, src, ETH_ALEN);
	net_put16(buf + 12, ETHERTYPE_TEST);
	for (unsigned int i = ETH_HLEN; i < len; i++)
		buf[i] = (uint8_t)i;
	return len;
}

int vifs_tx(struct netfront *out, uint32_t mfn, unsigned int offset, unsigned int size)
{
	struct xeno_netif_tx_response rsp;
	uint16_t id = (uint16_t)(out->tx.req_prod_pvt & 0xffff);

	net_queue_tx(out, id, mfn, offset, size);
	net_kick(out);
	if (!net_next_tx_rsp(out, &rsp, 1000 * MS))
		return NET_STATUS_NONE;
	return rsp.id == id ? rsp.status : NET_STATUS_NONE;
}

unsigned int vifs_drain(struct netfront *in, unsigned int ms)
{
	static uint8_t buf[1600];
	unsigned int n = 0;

	while (net_recv(in, buf, sizeof(buf), ms * MS))
		n++;
	return n;
}

uint32_t vifs_ring_mfn(const struct netfront *f, unsigned int ring)
{
	return *pte_of((uint32_t)(ring ? (void *)f->rs : (void *)f->ts)) >> PAGE_SHIFT;
}
