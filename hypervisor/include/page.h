/* SPDX-License-Identifier: MIT */
/* x86 two-level (non-PAE) page-table entries. */
#ifndef XENO_PAGE_H
#define XENO_PAGE_H

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1u << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define _PAGE_PRESENT	0x001u
#define _PAGE_RW	0x002u
#define _PAGE_USER	0x004u
#define _PAGE_PWT	0x008u
#define _PAGE_PCD	0x010u
#define _PAGE_ACCESSED	0x020u
#define _PAGE_DIRTY	0x040u
#define _PAGE_PSE	0x080u	/* in an L2 entry: 4 MiB page */
#define _PAGE_PAT	0x080u	/* in an L1 entry */
#define _PAGE_GLOBAL	0x100u
#define _PAGE_AVAIL	0xe00u	/* ignored by the CPU, free for the guest */
#define PTE_FRAME_MASK	0xfffff000u
#define PTE_FLAGS_MASK	0x00000fffu

#define L1_ENTRIES	1024
#define L2_ENTRIES	1024
#define L1_INDEX(va)	(((va) >> 12) & 0x3ffu)
#define L2_INDEX(va)	((va) >> 22)

#define CR0_PE		0x00000001u
#define CR0_MP		0x00000002u
#define CR0_EM		0x00000004u
#define CR0_TS		0x00000008u
#define CR0_NE		0x00000020u
#define CR0_WP		0x00010000u
#define CR0_NW		0x20000000u
#define CR0_CD		0x40000000u
#define CR0_PG		0x80000000u
#define CR4_PSE		0x00000010u
#define CR4_PGE		0x00000080u
#define CR4_OSFXSR	0x00000200u
#define CR4_OSXMMEXCPT	0x00000400u

#ifndef __ASSEMBLY__
#include <types.h>

typedef uint32_t pte_t;		/* L1 entry */
typedef uint32_t pde_t;		/* L2 entry */

static inline mfn_t pte_mfn(pte_t e)
{
	return e >> PAGE_SHIFT;
}

static inline pte_t mk_pte(mfn_t mfn, uint32_t flags)
{
	return (mfn << PAGE_SHIFT) | flags;
}
#endif

#endif
