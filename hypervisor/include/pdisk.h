/* SPDX-License-Identifier: MIT */
/*
 * Physical disks: what the block back end (vbd.c) reads and writes.  A disk
 * driver (memdisk.c: a RAM disk from a multiboot module; virtio_blk.c:
 * QEMU's legacy virtio-blk) registers each disk it finds.  The back end
 * submits requests of up to PDISK_MAX_SEGS segments, each a run of whole
 * 512-byte sectors inside one machine frame; the data moves between the
 * disk and those machine addresses directly (DMA for virtio).  When the disk
 * is done, the driver calls io->done(), from its interrupt handler or
 * before submit() returns.  Until then the io and its frames are the
 * driver's: the back end holds references to the frames for it.
 */
#ifndef XENO_PDISK_H
#define XENO_PDISK_H

#include <types.h>

#define PDISK_SECTOR_SIZE	512
#define PDISK_MAX_SEGS		11
#define PDISK_MAX_DISKS		8

enum pdisk_op { PDISK_READ, PDISK_WRITE, PDISK_FLUSH };

struct pdisk_seg {
	uint32_t maddr;		/* machine address, 512-byte aligned */
	uint32_t len;		/* bytes, a multiple of 512, within the frame */
};

struct pdisk_io {
	enum pdisk_op op;
	unsigned int nr_segs;		/* 1..PDISK_MAX_SEGS; 0 for a flush */
	uint64_t sector;		/* first 512-byte sector on the disk */
	struct pdisk_seg seg[PDISK_MAX_SEGS];
	void (*done)(struct pdisk_io *io, int status);	/* 0 or -EIO */
	void *owner;			/* the submitter's, for done() */
	struct pdisk_io *next;		/* the driver's, while it holds the io */
};

struct pdisk;
struct pdisk_ops {
	/*
	 * Start io: 0 if taken (done() follows, possibly at once), -EBUSY if
	 * the disk cannot take more now (the submitter retries after
	 * pdisk_room() says so), -EINVAL if it lies outside the disk.
	 */
	int (*submit)(struct pdisk *disk, struct pdisk_io *io);
};

struct pdisk {
	char name[16];			/* "ram0", "virtio0" */
	uint64_t sectors;		/* capacity */
	bool readonly;
	const struct pdisk_ops *ops;
	void *priv;			/* the driver's */
	unsigned int index;		/* set by pdisk_register() */
	void (*room)(struct pdisk *disk);	/* the back end's: see pdisk_room() */
};

/* Drivers: add a disk (its index is the next one); -ENOSPC when full. */
int pdisk_register(struct pdisk *disk);
/* Drivers: the disk can take requests again after an -EBUSY. */
void pdisk_room(struct pdisk *disk);

/* The back end: disk number i, or NULL; how many there are. */
struct pdisk *pdisk_get(unsigned int i);
unsigned int pdisk_count(void);
/* Check an io against the disk: 0 or -EINVAL (pure; host-tested). */
int pdisk_check_io(const struct pdisk *disk, const struct pdisk_io *io);

/* Boot option pdisk_selftest[=keep|bench]: pdisk_selftest.c. */
void pdisk_selftest(const char *how);

#endif
