/* SPDX-License-Identifier: MIT */
/*
 * Page types and references (mm.c).  type_info packs the type, two flags
 * and the type count of a frame.
 */
#ifndef XENO_MM_TYPES_H
#define XENO_MM_TYPES_H

#define PGT_none	(0u << 29)	/* no type: usable as anything */
#define PGT_l1		(1u << 29)	/* L1 page table */
#define PGT_l2		(2u << 29)	/* L2 page table (page directory) */
#define PGT_seg_desc	(3u << 29)	/* GDT or LDT frame */
#define PGT_writable	(4u << 29)	/* mapped writable somewhere */
#define PGT_type_mask	(7u << 29)
#define PGT_pinned	(1u << 28)	/* a pin holds one type reference */
#define PGT_validated	(1u << 27)	/* contents checked for this type */
#define PGT_need_flush	(1u << 26)	/* TLB may still hold old uses of it */
#define PGT_count_mask	((1u << 26) - 1)

#define PAGE_COUNT_MAX	0x7fffffffu

#endif
