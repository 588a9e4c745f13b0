/* SPDX-License-Identifier: MIT */
/*
 * The table of physical NICs (pnic.h): drivers register, the network switch
 * looks them up and sets its receive and room functions.  NICs are never
 * removed while the machine runs.
 */
#include <console.h>
#include <errno.h>
#include <lib.h>
#include <page.h>
#include <pnic.h>
#include <public/io/netif.h>

static struct pnic *nics[PNIC_MAX_NICS];
static unsigned int nr_nics;

void pnic_format_mac(char *buf, const uint8_t mac[PNIC_MAC_LEN])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
}

int pnic_register(struct pnic *nic)
{
	char mac[18];

	if (nr_nics == PNIC_MAX_NICS)
		return -ENOSPC;
	nic->index = nr_nics;
	nics[nr_nics++] = nic;
	pnic_format_mac(mac, nic->mac);
	printk("pnic %u: %s, mac %s\n", nic->index, nic->name, mac);
	return 0;
}

struct pnic *pnic_get(unsigned int i)
{
	return i < nr_nics ? nics[i] : NULL;
}

unsigned int pnic_count(void)
{
	return nr_nics;
}

/* A NIC the switch does not use drops what it receives. */
void pnic_receive(struct pnic *nic, const uint8_t *frame, unsigned int len)
{
	if (nic->receive)
		nic->receive(nic, frame, len);
	else
		nic->stats.rx_dropped++;
}

void pnic_room(struct pnic *nic)
{
	if (nic->room)
		nic->room(nic);
}

/* A head, and a rest inside one frame; no more than a whole Ethernet frame. */
int pnic_check_tx(const struct pnic_tx *tx)
{
	if (!tx->head_len || tx->head_len > PNIC_HEAD_MAX || !tx->done)
		return -EINVAL;
	if (tx->head_len + tx->rest_len > XENO_NETIF_MAX_FRAME)
		return -EINVAL;
	if (tx->rest_len && (tx->rest_maddr & ~PAGE_MASK) + tx->rest_len > PAGE_SIZE)
		return -EINVAL;
	return 0;
}
