/* SPDX-License-Identifier: MIT */
/*
 * Scheduling: sched_op(uint32_t cmd, uint32_t arg) for the calling domain,
 * and the Borrowed Virtual Time parameters Domain0 sets with dom0_op.
 */
#ifndef XENO_PUBLIC_SCHED_H
#define XENO_PUBLIC_SCHED_H

#include "xeno.h"

#define XENO_SCHEDOP_yield		0	/* let others run */
#define XENO_SCHEDOP_block		1	/* unmask events and sleep until one is pending */
#define XENO_SCHEDOP_shutdown		2	/* arg = XENO_SHUTDOWN_*; does not return */

#define XENO_SHUTDOWN_poweroff		0
#define XENO_SHUTDOWN_reboot		1
#define XENO_SHUTDOWN_crash		2

#ifndef __ASSEMBLY__
/*
 * Borrowed Virtual Time (Duda & Cheriton, SOSP 1999).  Each domain's actual
 * virtual time advances by mcu_advance per minimum charging unit it runs
 * (so CPU share is proportional to 1/mcu_advance); a warping domain is
 * scheduled as if its virtual time were warp lower, for at most warp_limit
 * ns at a time, then not again for unwarp_req ns.  A warp starts when the
 * domain wakes; warp_limit is measured in system (wall-clock) time.
 */
struct xeno_bvt_params {
	uint32_t mcu_advance;		/* 1 .. 1000; weight is its inverse */
	uint32_t warp_enabled;		/* 0 or 1 */
	uint32_t warp;			/* virtual-time units */
	uint32_t warp_limit_ns;		/* 0 = unlimited */
	uint32_t unwarp_req_ns;
	uint32_t _pad;
};
XENO_ASSERT_SIZE(struct xeno_bvt_params, 24);
#endif

#endif
