/* SPDX-License-Identifier: MIT */
/*
 * The block ring: requests to read, write or flush a virtual block device
 * (VBD), one ring per connected VBD (vdev.h).  Sectors are 512 bytes.  The
 * data moves by DMA straight between the disk and the guest's frames, named
 * by machine frame number: a segment is the sectors first_sect..last_sect
 * (0-7) of one frame.  The hypervisor holds each frame until the device is
 * done with it, and a frame a read lands in must be plain writable memory
 * of the requesting domain (never a page table or descriptor frame).
 */
#ifndef XENO_PUBLIC_IO_BLKIF_H
#define XENO_PUBLIC_IO_BLKIF_H

#include "ring.h"

#define XENO_BLKIF_OP_READ		0
#define XENO_BLKIF_OP_WRITE		1
#define XENO_BLKIF_OP_FLUSH		2	/* no segments: written data is on the disk */

#define XENO_BLKIF_MAX_SEGMENTS		11
#define XENO_BLKIF_SECTOR_SIZE		512
#define XENO_BLKIF_SECTORS_PER_FRAME	8

/* xeno_blkif_response.status */
#define XENO_BLKIF_RSP_OKAY		0
#define XENO_BLKIF_RSP_ERROR		(-1)	/* the device failed */
#define XENO_BLKIF_RSP_EOPNOTSUPP	(-2)	/* not an operation we know */
#define XENO_BLKIF_RSP_EINVAL		(-3)	/* refused: see abi.md 10.2 */

#ifndef __ASSEMBLY__
struct xeno_blkif_segment {
	uint32_t mfn;		/* a frame of the requesting domain */
	uint8_t first_sect;	/* first 512-byte sector in the frame, 0-7 */
	uint8_t last_sect;	/* last one, first_sect-7 */
	uint16_t _pad0;
};
XENO_ASSERT_SIZE(struct xeno_blkif_segment, 8);

struct xeno_blkif_request {
	uint8_t op;		/* XENO_BLKIF_OP_* */
	uint8_t nr_segments;	/* 1-11 for read and write, 0 for flush */
	uint16_t _pad0;
	uint32_t _pad1;
	uint64_t id;		/* the front's tag, echoed in the response */
	uint64_t sector;	/* first sector on the VBD */
	struct xeno_blkif_segment seg[XENO_BLKIF_MAX_SEGMENTS];
};
XENO_ASSERT_SIZE(struct xeno_blkif_request, 112);

struct xeno_blkif_response {
	uint64_t id;		/* the request's */
	uint8_t op;		/* the request's */
	uint8_t _pad0;
	int16_t status;		/* XENO_BLKIF_RSP_* */
	uint32_t _pad1;
};
XENO_ASSERT_SIZE(struct xeno_blkif_response, 16);

union xeno_blkif_slot {
	struct xeno_blkif_request req;
	struct xeno_blkif_response rsp;
};
XENO_ASSERT_SIZE(union xeno_blkif_slot, 112);

#define XENO_BLKIF_RING_SLOTS	XENO_RING_SLOTS(sizeof(union xeno_blkif_slot))	/* 32 */

/* The ring page: header, then the slots. */
struct xeno_blkif_sring {
	struct xeno_ring_header hdr;
	union xeno_blkif_slot slot[XENO_BLKIF_RING_SLOTS];
};
_Static_assert(sizeof(struct xeno_blkif_sring) <= XENO_RING_PAGE_SIZE, "blk ring fits a page");
#endif

#endif
