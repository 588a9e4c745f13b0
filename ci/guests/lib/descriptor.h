/* SPDX-License-Identifier: MIT */
/*
 * Segment descriptors for test guests: building them, installing a page of
 * them as the GDT or the LDT (read-only first, as the hypervisor demands),
 * lsl/lar, and probes that load a selector or use it and report the fault.
 * Not included by guest.h: a test that works with descriptors includes it.
 */
#ifndef GUEST_DESCRIPTOR_H
#define GUEST_DESCRIPTOR_H

#include "guest.h"

/* ---- descriptors ---- */

#define D_P		0x00008000u	/* present */
#define D_S		0x00001000u	/* code/data (not system) */
#define D_DB		0x00400000u	/* 32-bit */
#define D_G		0x00800000u	/* 4 KiB granular */
#define D_DPL(n)	((uint32_t)(n) << 13)
#define D_TYPE(hi)	(((hi) >> 8) & 0xf)
#define T_ACCESSED	0x1u
#define T_DATA_RO	0x0u
#define T_DATA_RW	0x2u
#define T_DATA_DOWN	0x6u		/* read/write, expand-down */
#define T_CODE_RX	0xAu
#define T_CODE_CONF	0xEu		/* readable, conforming */
#define SYS_TSS16	0x1u
#define SYS_LDT		0x2u
#define SYS_CALL16	0x4u
#define SYS_TASK	0x5u
#define SYS_INT16	0x6u
#define SYS_TRAP16	0x7u
#define SYS_TSS		0x9u
#define SYS_TSS_BUSY	0xBu
#define SYS_CALL	0xCu
#define SYS_INT		0xEu
#define SYS_TRAP	0xFu
#define SEG32		(D_G | D_DB | D_S)	/* 32-bit, 4 KiB granular */
#define BYTES32		(D_DB | D_S)		/* 32-bit, byte granular */
#define BYTES16		D_S			/* 16-bit, byte granular */
#define SEL(i, rpl)	(((uint32_t)(i) << 3) | (rpl))
#define LDT_SEL(i, rpl)	(((uint32_t)(i) << 3) | 4 | (rpl))
#define SEG_END		XENO_GUEST_SEGMENT_END	/* 0xFC400000 */
#define HYP_CS		0xE008u		/* the hypervisor's own selectors */
#define HYP_DS		0xE010u
#define HYP_TSS		0xE038u
#define HYP_LDT		0xE040u
#define HYP_DF_TSS	0xE048u

struct desc {
	uint32_t lo, hi;
};

/* A present code/data descriptor (flags: D_S, D_DB, D_G as wanted). */
static inline struct desc mkdesc(uint32_t base, uint32_t limit20, uint32_t type,
				 unsigned int dpl, uint32_t flags)
{
	struct desc d;

	d.lo = (limit20 & 0xffff) | (base << 16);
	d.hi = ((base >> 16) & 0xff) | (base & 0xff000000) | (limit20 & 0xf0000) | (type << 8) |
	       D_DPL(dpl) | D_P | flags;
	return d;
}

/* A present gate (call, task, interrupt, trap) to sel:off. */
static inline struct desc mkgate(uint32_t sel, uint32_t off, uint32_t type, unsigned int dpl)
{
	struct desc d;

	d.lo = (off & 0xffff) | (sel << 16);
	d.hi = (off & 0xffff0000) | (type << 8) | D_DPL(dpl) | D_P;
	return d;
}

static inline uint32_t desc_base(struct desc d)
{
	return (d.lo >> 16) | ((d.hi & 0xff) << 16) | (d.hi & 0xff000000);
}

static inline uint32_t desc_limit(struct desc d)	/* effective (byte) limit */
{
	uint32_t l = (d.lo & 0xffff) | (d.hi & 0xf0000);

	return (d.hi & D_G) ? (l << 12) | 0xfff : l;
}

/* The bare hypercalls: set_gdt with one frame, MMUEXT_SET_LDT at va. */
long set_gdt1(uint32_t mfn, uint32_t entries);
long set_ldt(uint32_t va, uint32_t entries);
/* A zeroed page to fill with descriptors, then install: */
struct desc *dtab_page(void);
/* n consecutive pages whose every descriptor is d, mapped read-only
 * (ready to be GDT or LDT frames). */
struct desc *dtab_fill(unsigned int n, struct desc d);
/* ... as GDT frame 0 (entries 0..ents-1): read-only, then set_gdt. */
long gdt_load(struct desc *page, uint32_t ents);
/* ... as the LDT: read-only, then MMUEXT_SET_LDT. */
long ldt_load(struct desc *page, uint32_t ents);
/* Drop the GDT (set_gdt 0) or the LDT (SET_LDT 0) and make the page writable. */
long gdt_unload(struct desc *page);
long ldt_unload(struct desc *page);
/* update_descriptor of entry idx of an installed page. */
long desc_set(struct desc *page, unsigned int idx, struct desc d);

/* lsl / lar: the limit (access rights) of sel, or ~0 if refused (ZF clear). */
uint32_t lsl(uint32_t sel);
uint32_t lar(uint32_t sel);

/* ---- probes: exinfo (guest.h) of the access, 0 if it worked ---- */
/* Callable from ring 1 and from ring 3 (run through ring3_call2). */
enum sreg { SR_DS, SR_ES, SR_FS, SR_GS, SR_SS };
/* Load sel into a segment register and put the flat one back (FS, GS: 0). */
uint32_t sreg_load(uint32_t which, uint32_t sel);
/* Load FS with sel and read (write) 4 bytes at FS:off; FS is 0 afterwards. */
uint32_t fs_read(uint32_t sel, uint32_t off);
uint32_t fs_write(uint32_t sel, uint32_t off);
/* The word fs_read last read in ring 1 (ring 3 cannot write globals). */
extern uint32_t fs_read_value;
/* fs_read of the word at p (ring 1): 0 if it read *p, 1 if another value, or exinfo. */
uint32_t fs_read_check(uint32_t sel, const uint32_t *p);
/* Far call (jump) to sel:off; a target that works must be far_ret_here. */
uint32_t far_call(uint32_t sel, uint32_t off);
uint32_t far_jmp(uint32_t sel, uint32_t off);
extern char far_ret_here[];	/* "lret" */
extern char far_jmp_back[];	/* far_jmp's target: jumps back with the flat CS */

/* The current ring (CS & 3). */
static inline uint32_t cur_ring(void)
{
	uint32_t cs;

	asm volatile("mov %%cs, %0" : "=r"(cs));
	return cs & 3;
}

#endif
