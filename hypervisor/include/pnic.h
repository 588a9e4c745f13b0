/* SPDX-License-Identifier: MIT */
/*
 * Physical NICs: what the network switch (netsw.c) sends on and receives
 * from.  A NIC driver (virtio_net.c: QEMU's legacy virtio-net) registers
 * each NIC it finds.  The switch hands the driver a frame as a head in
 * hypervisor memory, which send() copies, and an optional rest the device
 * reads from its machine address until the driver calls tx->done() from
 * its interrupt handler; until then the tx and the rest's frame are the
 * driver's (the switch holds a reference to a guest frame for it).
 * Received frames go to the switch through pnic_receive(), from the
 * driver's interrupt handler, in a buffer that is the driver's again when
 * the call returns.
 */
#ifndef XENO_PNIC_H
#define XENO_PNIC_H

#include <types.h>

#define PNIC_MAX_NICS		4
#define PNIC_HEAD_MAX		128	/* bytes of a frame send() copies */
#define PNIC_MAC_LEN		6

struct pnic_tx {
	const void *head;		/* the frame's first head_len bytes */
	unsigned int head_len;		/* 1..PNIC_HEAD_MAX */
	uint32_t rest_maddr;		/* the next rest_len bytes, at this machine address */
	unsigned int rest_len;		/* 0: none; else inside one frame */
	void (*done)(struct pnic_tx *tx, int status);	/* 0 or -EIO */
	void *owner;			/* the sender's, for done() */
};

struct pnic;
struct pnic_ops {
	/*
	 * Start sending tx: 0 if taken (done() follows from the NIC's
	 * interrupt, never from inside send()), -EBUSY if the NIC cannot take
	 * more now (pnic_room() follows once it can), -EINVAL for a bad shape.
	 */
	int (*send)(struct pnic *nic, struct pnic_tx *tx);
	/* Would send() take one now?  If not, pnic_room() follows once it would. */
	bool (*has_room)(struct pnic *nic);
};

struct pnic_stats {
	uint64_t tx_packets, tx_bytes;	/* driver: sent (done() with 0) */
	uint64_t rx_packets, rx_bytes;	/* driver: handed to pnic_receive() */
	uint32_t tx_errors;		/* driver: done() with an error */
	uint32_t rx_errors;		/* driver: frames too short or too long */
	uint32_t rx_dropped;		/* switch: frames no VIF took */
};

struct pnic {
	char name[16];			/* "virtio-net0" */
	uint8_t mac[PNIC_MAC_LEN];
	const struct pnic_ops *ops;
	void *priv;			/* the driver's */
	unsigned int index;		/* set by pnic_register() */
	struct pnic_stats stats;
	/* The switch's, set before any frame can arrive: see the functions below. */
	void (*receive)(struct pnic *nic, const uint8_t *frame, unsigned int len);
	void (*room)(struct pnic *nic);
};

/* Drivers: add a NIC (its index is the next one); -ENOSPC when full. */
int pnic_register(struct pnic *nic);
/* Drivers: a frame arrived (len: XENO_NETIF_MIN_FRAME..MAX_FRAME). */
void pnic_receive(struct pnic *nic, const uint8_t *frame, unsigned int len);
/* Drivers: the NIC can take frames again after an -EBUSY. */
void pnic_room(struct pnic *nic);

/* The switch: NIC number i, or NULL; how many there are. */
struct pnic *pnic_get(unsigned int i);
unsigned int pnic_count(void);
/* Check a tx's shape: 0 or -EINVAL (pure; host-tested). */
int pnic_check_tx(const struct pnic_tx *tx);
/* "52:54:00:12:34:56" into buf (at least 18 bytes). */
void pnic_format_mac(char *buf, const uint8_t mac[PNIC_MAC_LEN]);

#endif
