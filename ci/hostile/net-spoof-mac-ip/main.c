/* SPDX-License-Identifier: MIT */
/*
 * net-spoof-mac-ip: from a VIF that Domain0 gave the address 10.0.0.3,
 * send as someone else: the bystander's MAC and address, our other VIF's
 * MAC, a made-up MAC, ARP replies claiming the bystander's address or
 * naming its MAC, a broadcast under its MAC, 0.0.0.0 outside DHCP, and an
 * IPv4 header whose length runs past the packet.
 *
 * Rule (abi.md 10.4 "Anti-spoofing"): an untrusted VIF's packets must come
 * from its own MAC (and ARP sender) and its assigned address, and be
 * well-formed; each is answered RSP_DROPPED, and nothing reaches our other
 * VIF or the bystander's VIF (its counters stay zero).  An honest packet
 * still goes through.
 * Why it matters: a domain that can send as another can poison ARP caches
 * and take over or eavesdrop on its neighbours' traffic.
 */
#include <vifs.h>

const char test_title[] = "net-spoof-mac-ip: sending as another MAC or IP";

static uint8_t frame[128];

static int send(struct netfront *out, unsigned int len)
{
	return net_tx_wait(out, net_send(out, frame, len), 1000 * MS);
}

static unsigned int udp(struct netfront *out, const uint8_t *dst, const uint8_t *src,
			uint32_t src_ip)
{
	unsigned int len = net_build_udp(frame, dst, out->mac, src_ip, 0x0a000009u, 1000, 2000,
					 NULL, 20);

	memcpy(frame + ETH_ALEN, src, ETH_ALEN);
	return len;
}

static void attack(void)
{
	static const uint8_t made_up[ETH_ALEN] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t zero[ETH_ALEN];
	struct netfront out, in;
	const uint8_t *me;
	unsigned int len;

	if (!vifs_connect(&out, &in, NET_RX_BUFS))
		return;
	me = out.mac;
	EXPECT_EQ(send(&out, udp(&out, in.mac, victim_mac, ATTACKER_IP)), XENO_NETIF_RSP_DROPPED);
	EXPECT_EQ(send(&out, udp(&out, in.mac, in.mac, ATTACKER_IP)), XENO_NETIF_RSP_DROPPED);
	EXPECT_EQ(send(&out, udp(&out, in.mac, made_up, ATTACKER_IP)), XENO_NETIF_RSP_DROPPED);
	EXPECT_EQ(send(&out, udp(&out, in.mac, me, VICTIM_IP)), XENO_NETIF_RSP_DROPPED);
	EXPECT_EQ(send(&out, udp(&out, net_broadcast, victim_mac, VICTIM_IP)),
		  XENO_NETIF_RSP_DROPPED);
	EXPECT_EQ(send(&out, udp(&out, in.mac, me, 0)), XENO_NETIF_RSP_DROPPED);
	EXPECT_EQ(send(&out, net_build_arp(frame, net_broadcast, me, 2, me, VICTIM_IP, zero,
					   VICTIM_IP)), XENO_NETIF_RSP_DROPPED);
	EXPECT_EQ(send(&out, net_build_arp(frame, net_broadcast, me, 2, victim_mac, ATTACKER_IP,
					   zero, VICTIM_IP)), XENO_NETIF_RSP_DROPPED);
	len = udp(&out, in.mac, me, ATTACKER_IP);
	net_put16(frame + ETH_HLEN + 2, 1000);		/* total length past the frame */
	EXPECT_EQ(send(&out, len), XENO_NETIF_RSP_DROPPED);
	EXPECT_EQ(vifs_drain(&in, 50), 0);
	EXPECT_EQ(send(&out, udp(&out, in.mac, me, ATTACKER_IP)), XENO_NETIF_RSP_OKAY);
	EXPECT_EQ(vifs_drain(&in, 50), 1);
}

const struct hostile hostile = {
	.where = IN_DOMU,
	.attack = attack,
	.prepare = vifs_prepare,
	.after = vifs_after,
};
