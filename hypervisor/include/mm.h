/* SPDX-License-Identifier: MIT */
/* Machine memory: the frame table, frame allocation and temporary mappings. */
#ifndef XENO_MM_H
#define XENO_MM_H

#include <boot.h>
#include <memlayout.h>
#include <page.h>
#include <types.h>

/* Owners of machine frames that are not domains. */
#define DOMID_FREE	0x7FF1	/* free RAM, in the allocator */
#define DOMID_XEN	0x7FF2	/* the hypervisor's own */
#define DOMID_IO	0x7FF3	/* not RAM (holes, MMIO) */

/* One entry per machine frame; see mm.c for the reference rules. */
struct page_info {
	uint32_t count;		/* general references (mappings, pins, users) */
	uint32_t type_info;	/* PGT_* type | flags | type count */
	domid_t owner;
	uint16_t _pad;
	uint32_t _reserved;
};

extern struct page_info *frame_table;
extern mfn_t max_mfn;		/* one past the highest machine frame we track */
extern mfn_t nr_ram_frames;

static inline struct page_info *mfn_to_page(mfn_t mfn)
{
	return &frame_table[mfn];
}

static inline bool mfn_valid(mfn_t mfn)
{
	return mfn < max_mfn;
}

/* Frames reachable through the direct map (hypervisor heap). */
#define DIRECTMAP_FRAMES	(DIRECTMAP_SIZE >> PAGE_SHIFT)

void mm_init(struct boot_info *bi, unsigned long image_start, unsigned long image_end);
void mm_drop_boot_mappings(void);
void *alloc_xenheap_page(void);		/* zeroed; NULL when out of memory */
void *alloc_xenheap_pages(unsigned int n);	/* n contiguous, zeroed */
void free_xenheap_page(void *va);
void free_xenheap_pages(void *va, unsigned int n);
mfn_t alloc_domheap_page(domid_t owner);	/* INVALID_MFN when out of memory */
void free_domheap_page(mfn_t mfn);
unsigned long free_frames(void);
void release_module_frames(uint32_t start, uint32_t end);

#define INVALID_MFN	0xFFFFFFFFu

/*
 * Temporary mappings of any machine frame: map, use, unmap; never keep one
 * across a return to a guest.  Frames in the direct map cost nothing.
 */
void *map_domain_page(mfn_t mfn);
void unmap_domain_page(const void *va);
unsigned int mapcache_in_use(void);	/* windows held now */
int copy_from_machine(void *dst, uint32_t maddr, uint32_t len);

/* The idle page table: the template for the hypervisor slots of every L2. */
extern pde_t idle_pg_table[L2_ENTRIES];
extern pte_t perdomain_l1_idle[L1_ENTRIES];
extern uint8_t zero_page[PAGE_SIZE];	/* read-only stand-in for absent GDT frames */

/* TLB and CR3, so that mm.c needs no inline assembly. */
void flush_tlb_local(void);
void flush_tlb_one(uint32_t va);
void write_cr3_mfn(mfn_t mfn);
mfn_t virt_to_mfn(const void *xenheap_va);

void m2p_set(mfn_t mfn, pfn_t pfn);
pfn_t m2p_get(mfn_t mfn);

/* Page references and types (mm.c). */
struct domain;
struct vcpu;
struct seg_desc;
bool get_page(mfn_t mfn, const struct domain *d);
void put_page(mfn_t mfn);
int get_page_type(mfn_t mfn, uint32_t type, struct domain *d);
void put_page_type(mfn_t mfn);
int get_page_and_type(mfn_t mfn, uint32_t type, struct domain *d);
int check_seg_desc_frame(mfn_t mfn, struct domain *d);
void put_page_and_type(mfn_t mfn);
int l1e_check(pte_t e);
int l2e_check(pde_t e);
void l2_init_hypervisor_slots(pde_t *l2, const struct domain *d);
int mm_update_entry(struct domain *d, mfn_t table, unsigned int index, uint32_t val);
pte_t guest_lookup_pte(const struct vcpu *v, uint32_t va);
bool guest_user_page(const struct vcpu *v, uint32_t va);
int mm_new_baseptr(struct vcpu *v, mfn_t mfn);
void mm_teardown(struct domain *d);


#endif
