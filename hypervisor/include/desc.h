/* SPDX-License-Identifier: MIT */
/* Segment descriptors, gates, the TSS and the hypervisor's own selectors. */
#ifndef XENO_DESC_H
#define XENO_DESC_H

#include <public/xeno.h>

/* Hypervisor entries in the reserved GDT page (entry 7168 = selector 0xE000). */
#define HYP_CS		0xE008	/* ring 0 code */
#define HYP_DS		0xE010	/* ring 0 data */
#define HYP_TSS		0xE038
#define HYP_LDT		0xE040	/* the current domain's LDT */
#define HYP_DF_TSS	0xE048	/* double-fault task */
#define HYP_ESPFIX_SS	0xE050	/* ring 0 data, based: see espfix_prepare() */
#define BOOT_CS		0x08	/* boot.S's temporary GDT */
#define BOOT_DS		0x10

#ifndef __ASSEMBLY__
#include <page.h>
#include <types.h>

/* A segment descriptor as two words, as the CPU sees it. */
struct seg_desc {
	uint32_t lo, hi;
};

/* Fields of the high word. */
#define DESC_TYPE_SHIFT		8
#define DESC_TYPE_MASK		(0xfu << DESC_TYPE_SHIFT)
#define DESC_S			(1u << 12)	/* code/data (not system) */
#define DESC_DPL_SHIFT		13
#define DESC_DPL_MASK		(3u << DESC_DPL_SHIFT)
#define DESC_P			(1u << 15)
#define DESC_AVL		(1u << 20)
#define DESC_L			(1u << 21)
#define DESC_DB			(1u << 22)	/* 32-bit */
#define DESC_G			(1u << 23)	/* 4 KiB granularity */

/* Code/data type bits (within DESC_TYPE). */
#define SEG_ACCESSED		0x1
#define SEG_DATA_WRITABLE	0x2
#define SEG_DATA_EXPAND_DOWN	0x4
#define SEG_CODE_READABLE	0x2
#define SEG_CODE_CONFORMING	0x4
#define SEG_CODE		0x8
/* System types. */
#define SYS_TSS_AVAIL		0x9
#define SYS_TSS_BUSY		0xb
#define SYS_LDT			0x2
#define SYS_TASK_GATE		0x5
#define SYS_INTR_GATE		0xe
#define SYS_TRAP_GATE		0xf
#define SYS_CALL_GATE		0xc

static inline uint32_t desc_base(const struct seg_desc *d)
{
	return (d->lo >> 16) | ((d->hi & 0xff) << 16) | (d->hi & 0xff000000);
}

/* The raw 20-bit limit field. */
static inline uint32_t desc_limit_field(const struct seg_desc *d)
{
	return (d->lo & 0xffff) | (d->hi & 0x000f0000);
}

/* The last offset an expand-up segment admits (the limit in bytes). */
static inline uint32_t desc_byte_limit(const struct seg_desc *d)
{
	uint32_t l = desc_limit_field(d);

	return (d->hi & DESC_G) ? (l << PAGE_SHIFT) | (PAGE_SIZE - 1) : l;
}

static inline struct seg_desc make_seg_desc(uint32_t base, uint32_t limit20, uint32_t type,
					    unsigned int dpl, uint32_t flags)
{
	struct seg_desc d;

	d.lo = (limit20 & 0xffff) | (base << 16);
	d.hi = ((base >> 16) & 0xff) | (base & 0xff000000) | (limit20 & 0x000f0000) |
	       (type << DESC_TYPE_SHIFT) | (dpl << DESC_DPL_SHIFT) | DESC_P | flags;
	return d;
}

/* An interrupt, trap or task gate in the IDT. */
static inline struct seg_desc make_gate(uint16_t sel, uint32_t off, uint32_t type,
					unsigned int dpl)
{
	struct seg_desc d;

	d.lo = (off & 0xffff) | ((uint32_t)sel << 16);
	d.hi = (off & 0xffff0000) | (type << DESC_TYPE_SHIFT) | (dpl << DESC_DPL_SHIFT) | DESC_P;
	return d;
}

/* The 32-bit TSS.  ss1/esp1 are the guest kernel stack (stack_switch). */
struct tss {
	uint16_t back_link, _b;
	uint32_t esp0;
	uint16_t ss0, _s0;
	uint32_t esp1;
	uint16_t ss1, _s1;
	uint32_t esp2;
	uint16_t ss2, _s2;
	uint32_t cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint16_t es, _es, cs, _cs, ss, _ss, ds, _ds, fs, _fs, gs, _gs;
	uint16_t ldt, _ldt;
	uint16_t trace, iomap_base;
} __packed;
_Static_assert(sizeof(struct tss) == 104, "hardware TSS layout");

extern struct tss tss;
extern struct seg_desc hyp_gdt_page[512];
extern struct seg_desc idt[256];

struct vcpu;
/* Descriptor tables (desc.c). */
/* Bumped by every change to any guest descriptor: caches compare it. */
extern uint32_t desc_generation;
int check_descriptor(struct seg_desc *d);
int mm_set_ldt(struct vcpu *v, uint32_t va, uint32_t ents);
int mm_set_gdt(struct vcpu *v, const mfn_t *mfns, unsigned int ents);
void load_ldt(const struct vcpu *v);
struct seg_desc *map_guest_descriptor(const struct vcpu *v, uint32_t sel);
bool is_flat_stack_segment(const struct vcpu *v, uint32_t sel);
void mm_release_descriptor_tables(struct vcpu *v);
#endif

#endif
