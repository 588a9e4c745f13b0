/* SPDX-License-Identifier: MIT */
/*
 * Memory reservation: memory_op(uint32_t cmd, void *arg).  The balloon
 * driver gives frames back (decrease) and asks for them again (increase);
 * Domain0 sets each domain's target (dom0_op) and the guest reads it from
 * shared_info.balloon_target_pages.
 */
#ifndef XENO_PUBLIC_MEMORY_H
#define XENO_PUBLIC_MEMORY_H

#include "xeno.h"

#define XENO_MEMOP_increase_reservation	0	/* arg: struct xeno_memory_reservation */
#define XENO_MEMOP_decrease_reservation	1	/* arg: struct xeno_memory_reservation */
#define XENO_MEMOP_current_reservation	2	/* arg: domid (uint32_t *); returns pages */
#define XENO_MEMOP_maximum_reservation	3	/* arg: domid (uint32_t *); returns pages */
#define XENO_MEMOP_memory_map		4	/* arg: struct xeno_memory_map */
/*
 * A continued increase/decrease_reservation (xeno.h, XENO_BATCH_CONTINUED):
 * its cmd word has XENO_BATCH_CONTINUED set and the first extent still to
 * do in bits 8-28.  Guests pass the plain command.
 */
#define XENO_MEMOP_CMD_MASK		0xffu
#define XENO_MEMOP_EXTENT_SHIFT		8

#ifndef __ASSEMBLY__
/*
 * increase: fills extent_start[0..nr_extents) with newly allocated machine
 * frames; decrease: frees the frames listed there (each must belong to the
 * target domain and be unused: no mappings, no type).  Returns how many were
 * done.
 */
struct xeno_memory_reservation {
	uint32_t extent_start;		/* guest VA of a uint32_t mfn array */
	uint32_t nr_extents;
	uint32_t domid;			/* XENO_DOMID_SELF (Domain0 may name others) */
	uint32_t _pad;
};
XENO_ASSERT_SIZE(struct xeno_memory_reservation, 16);

/* The guest's pseudo-physical memory map, in e820 form. */
struct xeno_e820_entry {
	uint64_t addr, size;
	uint32_t type;			/* 1 = RAM */
	uint32_t _pad;
};
XENO_ASSERT_SIZE(struct xeno_e820_entry, 24);

struct xeno_memory_map {
	uint32_t nr_entries;		/* IN: room in buffer; OUT: entries written */
	uint32_t buffer;		/* guest VA of struct xeno_e820_entry[] */
};
XENO_ASSERT_SIZE(struct xeno_memory_map, 8);
#endif

#endif
