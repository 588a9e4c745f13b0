/* SPDX-License-Identifier: MIT */
/* Virtual block devices (vbd.c): Domain0's control and the back end's checks. */
#ifndef XENO_VBD_H
#define XENO_VBD_H

#include <public/io/blkif.h>
#include <types.h>

struct domain;

struct vbd_stats {
	uint64_t reads, writes;			/* requests */
	uint64_t sectors_read, sectors_written;
	uint32_t refused;			/* answered XENO_BLKIF_RSP_EINVAL */
	uint32_t errors;			/* pieces the disk failed */
};

struct vbd_info {
	bool readonly, connected;
	unsigned int nr_extents, in_flight;
	uint64_t sectors;
	struct vbd_stats stats;
};

/* Domain0 (dom0_ops.c): 0 or -errno. */
int vbd_create(struct domain *d, uint16_t handle, bool readonly);
int vbd_grow(struct domain *d, uint16_t handle, unsigned int disk, uint64_t start,
	     uint64_t sectors);
int vbd_destroy_handle(struct domain *d, uint16_t handle);
int vbd_get_info(struct domain *d, uint16_t handle, struct vbd_info *out);
void vbd_give_dom0_disks(struct domain *d);

/* A read or write request's shape against a VBD: 0 or -EINVAL.  Pure. */
int vbd_check_request(bool readonly, uint64_t vbd_sectors, const struct xeno_blkif_request *rq);

#endif
