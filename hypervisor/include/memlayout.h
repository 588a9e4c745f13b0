/* SPDX-License-Identifier: MIT */
/*
 * The address-space contract.  Every address space (every domain's and the
 * idle one) holds the hypervisor in its top 64 MiB, L2 slots 1008-1023, which
 * the hypervisor owns and guests can never change.  Guest segments end at
 * GUEST_SEGMENT_LIMIT, so rings 1 and 3 can read the machine-to-physical
 * table in the first 4 MiB and nothing above it.
 *
 *  0xFC000000 +--------------------------+ slot 1008
 *             | RO M2P (guest-readable)  |
 *  0xFC400000 +--------------------------+ slots 1009-1016
 *             | direct map of machine    |  hypervisor image at 1 MiB,
 *             | memory 0-32 MiB (4M PSE) |  hypervisor heap
 *  0xFE400000 +--------------------------+ slot 1017
 *             | RW M2P                   |
 *  0xFE800000 +--------------------------+ slot 1018
 *             | map cache                |  map_domain_page() windows
 *  0xFEC00000 +--------------------------+ slot 1019
 *             | I/O window (1:1, UC)     |  LAPIC, IOAPIC
 *  0xFF000000 +--------------------------+ slot 1020
 *             | per-domain: GDT, LDT     |
 *  0xFF400000 +--------------------------+ slot 1021
 *             | linear page table        |  idle table only; empty in guests
 *  0xFF800000 +--------------------------+ slots 1022-1023 unused
 */
#ifndef XENO_MEMLAYOUT_H
#define XENO_MEMLAYOUT_H

#include <public/xeno.h>

#define SLOT_SIZE		0x00400000	/* one L2 entry maps 4 MiB */
#define SLOT_OF(va)		((va) >> 22)

#define RO_MPT_VIRT_START	XENO_HYPERVISOR_VIRT_START
#define DIRECTMAP_VIRT_START	0xFC400000
#define DIRECTMAP_SIZE		0x02000000	/* 32 MiB */
#define RW_MPT_VIRT_START	0xFE400000
#define MAPCACHE_VIRT_START	0xFE800000
#define IOREMAP_VIRT_START	0xFEC00000	/* == its machine address */
#define PERDOMAIN_VIRT_START	0xFF000000
#define LINEAR_PT_VIRT_START	0xFF400000

#define HYPERVISOR_FIRST_SLOT	SLOT_OF(XENO_HYPERVISOR_VIRT_START)	/* 1008 */

/* Where the bootloader puts the image (machine address) and where it runs. */
#define HYPERVISOR_PHYS_START	0x00100000
#define HYPERVISOR_VIRT_BASE	(DIRECTMAP_VIRT_START + HYPERVISOR_PHYS_START)

/* Inside the per-domain slot: the GDT (14 guest frames + 1 hypervisor frame) and the LDT. */
#define GDT_VIRT_START		PERDOMAIN_VIRT_START
#define GDT_GUEST_FRAMES	XENO_GDT_GUEST_FRAMES			/* 14 */
#define GDT_HYP_FRAME		GDT_GUEST_FRAMES			/* frame 14 */
#define GDT_LIMIT		((GDT_GUEST_FRAMES + 1) * 4096u - 1)
#define LDT_VIRT_START		(PERDOMAIN_VIRT_START + 0x10000)
#define LDT_MAX_FRAMES		16

#ifndef __ASSEMBLY__
/* Direct map: only for machine addresses below DIRECTMAP_SIZE. */
#define __va(ma)	((void *)((unsigned long)(ma) + DIRECTMAP_VIRT_START))
#define __pa(va)	((unsigned long)(va) - DIRECTMAP_VIRT_START)
#endif

#endif
