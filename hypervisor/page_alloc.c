/* SPDX-License-Identifier: MIT */
/*
 * Machine memory.  Every machine frame below max_mfn has a struct page_info
 * in the frame table.  Its owner says who may use it: DOMID_FREE (in the
 * allocator), DOMID_XEN (hypervisor: image, heap, tables, unconsumed boot
 * modules), DOMID_IO (not RAM) or a domain.  Only frames below DIRECTMAP_SIZE
 * are permanently mapped (the hypervisor heap); any frame can be reached for
 * a moment through the map cache.
 *
 * This file also builds the hypervisor's half of every address space (the
 * idle page table, L2 slots 1008-1023) after boot.S has turned paging on.
 */
#include <console.h>
#include <lib.h>
#include <mm.h>
#include <mm_types.h>
#include <panic.h>
#include <x86.h>

#define MAX_RAM_BYTES	(1024ull << 20)	/* frame table must fit in the heap */
#define LOW_MEMORY_END	0x100000u	/* BIOS area: never used */

struct page_info *frame_table;
mfn_t max_mfn;
mfn_t nr_ram_frames;
static mfn_t alloc_cursor_high;	/* domheap search start (top-down) */

pde_t idle_pg_table[L2_ENTRIES] __aligned(PAGE_SIZE);
pte_t perdomain_l1_idle[L1_ENTRIES] __aligned(PAGE_SIZE);
static pte_t m2p_ro_l1[L1_ENTRIES] __aligned(PAGE_SIZE);
static pte_t m2p_rw_l1[L1_ENTRIES] __aligned(PAGE_SIZE);
static pte_t mapcache_l1[L1_ENTRIES] __aligned(PAGE_SIZE);
/* Backs the read-only M2P beyond max_mfn: every entry reads as invalid. */
static uint32_t m2p_invalid_page[PAGE_SIZE / 4] __aligned(PAGE_SIZE);

struct region {
	uint32_t start, end;
};

/* Regions that must survive until the frame table marks them DOMID_XEN. */
static struct region reserved[BOOT_MAX_MODULES + 3];
static unsigned int nr_reserved;

static void reserve(uint32_t start, uint32_t end)
{
	reserved[nr_reserved].start = start & PAGE_MASK;
	reserved[nr_reserved].end = ALIGN_UP(end, PAGE_SIZE);
	nr_reserved++;
}

static bool overlaps_reserved(uint32_t start, uint32_t end)
{
	for (unsigned int i = 0; i < nr_reserved; i++)
		if (start < reserved[i].end && reserved[i].start < end)
			return true;
	return false;
}

/* Find 'size' bytes of RAM inside the direct map that nothing uses yet. */
static uint32_t boot_find_region(const struct boot_info *bi, uint32_t size)
{
	for (unsigned int i = 0; i < bi->nr_ranges; i++) {
		uint32_t s = (uint32_t)MAX(bi->ram[i].start, LOW_MEMORY_END);
		uint64_t e = MIN(bi->ram[i].end, DIRECTMAP_SIZE);

		for (; s + (uint64_t)size <= e; s += PAGE_SIZE)
			if (!overlaps_reserved(s, s + size))
				return s;
	}
	panic("mm: no room for the %u KiB frame table below %u MiB", size >> 10,
	      DIRECTMAP_SIZE >> 20);
}

static void set_owner(uint32_t start, uint64_t end, domid_t owner)
{
	for (mfn_t m = start >> PAGE_SHIFT; m < max_mfn && m < (end >> PAGE_SHIFT); m++)
		frame_table[m].owner = owner;
}

static void frame_table_init(struct boot_info *bi)
{
	uint64_t top = bi->ram[bi->nr_ranges - 1].end;
	uint32_t ft_bytes, ft_start;

	if (top > MAX_RAM_BYTES) {
		printk("mm: using the first %llu MiB of %llu MiB RAM\n",
		       MAX_RAM_BYTES >> 20, top >> 20);
		top = MAX_RAM_BYTES;
	}
	max_mfn = (mfn_t)(top >> PAGE_SHIFT);
	ft_bytes = ALIGN_UP(max_mfn * (uint32_t)sizeof(struct page_info), PAGE_SIZE);
	ft_start = boot_find_region(bi, ft_bytes);
	reserve(ft_start, ft_start + ft_bytes);
	frame_table = __va(ft_start);

	memset(frame_table, 0, ft_bytes);
	set_owner(0, top, DOMID_IO);
	for (unsigned int i = 0; i < bi->nr_ranges; i++)
		set_owner((uint32_t)bi->ram[i].start, MIN(bi->ram[i].end, top), DOMID_FREE);
	for (unsigned int i = 0; i < nr_reserved; i++)
		set_owner(reserved[i].start, reserved[i].end, DOMID_XEN);
	for (mfn_t m = 0; m < max_mfn; m++)
		nr_ram_frames += frame_table[m].owner != DOMID_IO;
}

/* n contiguous free frames in the direct map, for the hypervisor's use. */
void *alloc_xenheap_pages(unsigned int n)
{
	mfn_t end = MIN(max_mfn, DIRECTMAP_FRAMES), run = 0;

	for (mfn_t m = LOW_MEMORY_END >> PAGE_SHIFT; m < end; m++) {
		run = frame_table[m].owner == DOMID_FREE ? run + 1 : 0;
		if (run == n) {
			mfn_t first = m + 1 - n;

			for (mfn_t i = first; i <= m; i++) {
				memset(&frame_table[i], 0, sizeof(frame_table[i]));
				frame_table[i].owner = DOMID_XEN;
			}
			return memset(__va(first << PAGE_SHIFT), 0, n * PAGE_SIZE);
		}
	}
	return NULL;
}

void *alloc_xenheap_page(void)
{
	return alloc_xenheap_pages(1);
}

void free_xenheap_pages(void *va, unsigned int n)
{
	for (mfn_t m = __pa(va) >> PAGE_SHIFT; n--; m++) {
		struct page_info *pg = mfn_to_page(m);

		BUG_ON(pg->owner != DOMID_XEN || pg->count);
		pg->owner = DOMID_FREE;
	}
}

void free_xenheap_page(void *va)
{
	free_xenheap_pages(va, 1);
}

/*
 * Domain memory comes from the top of RAM down, so the heap keeps the direct
 * map and consecutive allocations give decreasing (non-contiguous) frames.
 */
mfn_t alloc_domheap_page(domid_t owner)
{
	for (mfn_t n = 0; n < max_mfn; n++) {
		mfn_t m = (alloc_cursor_high + max_mfn - n) % max_mfn;
		struct page_info *pg = &frame_table[m];

		if (pg->owner == DOMID_FREE && m >= (LOW_MEMORY_END >> PAGE_SHIFT)) {
			memset(pg, 0, sizeof(*pg));
			pg->owner = owner;
			alloc_cursor_high = m ? m - 1 : max_mfn - 1;
			return m;
		}
	}
	return INVALID_MFN;
}

void free_domheap_page(mfn_t mfn)
{
	struct page_info *pg = mfn_to_page(mfn);

	ASSERT(pg->count == 0 && (pg->type_info & PGT_count_mask) == 0);
	memset(pg, 0, sizeof(*pg));
	pg->owner = DOMID_FREE;
	m2p_set(mfn, XENO_INVALID_PFN);
}

unsigned long free_frames(void)
{
	unsigned long n = 0;

	for (mfn_t m = 0; m < max_mfn; m++)
		n += frame_table[m].owner == DOMID_FREE;
	return n;
}

/* Boot modules stay DOMID_XEN until the builder has copied them out. */
void release_module_frames(uint32_t start, uint32_t end)
{
	for (mfn_t m = start >> PAGE_SHIFT; m < ALIGN_UP(end, PAGE_SIZE) >> PAGE_SHIFT; m++)
		if (mfn_valid(m) && frame_table[m].owner == DOMID_XEN)
			frame_table[m].owner = DOMID_FREE;
}

/*
 * The map cache: 1024 windows in one L1.  A window is in use from map to
 * unmap; an unmapped window may still sit in the TLB, so it is reused for
 * another frame only after the next full flush, which happens when no clean
 * window is left.  An unmapped window keeps its entry, and mapping the same
 * frame again soon (the same page table, update after update) takes the same
 * window back: no new entry and no TLB miss.  A clean window whose old entry
 * is still present is invalidated before it gets a new frame, as the CPU may
 * have loaded that entry into the TLB at any time since the flush.
 */
#define MAPCACHE_WORDS	(L1_ENTRIES / 32)
#define MAPCACHE_RECENT	64		/* frame -> its last window, by mfn % 64 */
#define MAPCACHE_FLAGS	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
static uint32_t mapcache_inuse[MAPCACHE_WORDS];
static uint32_t mapcache_garbage[MAPCACHE_WORDS];
static uint16_t mapcache_recent[MAPCACHE_RECENT];

static int mapcache_find_clean(void)
{
	for (unsigned int w = 0; w < MAPCACHE_WORDS; w++) {
		uint32_t busy = mapcache_inuse[w] | mapcache_garbage[w];

		if (busy != 0xffffffffu)
			return (int)(w * 32 + __builtin_ctz(~busy));
	}
	return -1;
}

static void *mapcache_va(unsigned int slot)
{
	return (void *)(MAPCACHE_VIRT_START + slot * PAGE_SIZE);
}

void *map_domain_page(mfn_t mfn)
{
	unsigned int recent = mfn % MAPCACHE_RECENT;
	uint32_t bit;
	pte_t old;
	int slot;

	if (mfn < DIRECTMAP_FRAMES)
		return __va(mfn << PAGE_SHIFT);
	slot = mapcache_recent[recent];
	bit = 1u << (slot % 32);
	if (mapcache_l1[slot] == mk_pte(mfn, MAPCACHE_FLAGS) && !(mapcache_inuse[slot / 32] & bit)) {
		mapcache_inuse[slot / 32] |= bit;
		mapcache_garbage[slot / 32] &= ~bit;
		return mapcache_va((unsigned int)slot);
	}
	slot = mapcache_find_clean();
	if (slot < 0) {
		memset(mapcache_garbage, 0, sizeof(mapcache_garbage));
		flush_tlb_local();
		slot = mapcache_find_clean();
		if (slot < 0)
			panic("map_domain_page: all %u windows in use (leak)", L1_ENTRIES);
	}
	mapcache_inuse[slot / 32] |= 1u << (slot % 32);
	old = mapcache_l1[slot];
	mapcache_l1[slot] = mk_pte(mfn, MAPCACHE_FLAGS);
	if (old & _PAGE_PRESENT)
		flush_tlb_one((uint32_t)mapcache_va((unsigned int)slot));
	mapcache_recent[recent] = (uint16_t)slot;
	return mapcache_va((unsigned int)slot);
}

unsigned int mapcache_in_use(void)
{
	unsigned int n = 0;

	for (unsigned int w = 0; w < MAPCACHE_WORDS; w++)
		n += (unsigned int)__builtin_popcount(mapcache_inuse[w]);
	return n;
}

void unmap_domain_page(const void *va)
{
	unsigned int slot = ((uintptr_t)va - MAPCACHE_VIRT_START) >> PAGE_SHIFT;

	if ((uintptr_t)va < MAPCACHE_VIRT_START || slot >= L1_ENTRIES)
		return;		/* a direct-map address */
	BUG_ON(!(mapcache_inuse[slot / 32] & (1u << (slot % 32))));
	mapcache_inuse[slot / 32] &= ~(1u << (slot % 32));
	mapcache_garbage[slot / 32] |= 1u << (slot % 32);
}

void flush_tlb_local(void)
{
	write_cr3(read_cr3());	/* guest and map-cache entries are never global */
}

void flush_tlb_one(uint32_t va)
{
	invlpg(va);
}

void write_cr3_mfn(mfn_t mfn)
{
	write_cr3(mfn << PAGE_SHIFT);
}

mfn_t virt_to_mfn(const void *va)
{
	return __pa(va) >> PAGE_SHIFT;
}

int copy_from_machine(void *dst, uint32_t maddr, uint32_t len)
{
	char *d = dst;

	while (len) {
		uint32_t off = maddr & ~PAGE_MASK, n = MIN(len, PAGE_SIZE - off);
		const char *src = map_domain_page(maddr >> PAGE_SHIFT);

		memcpy(d, src + off, n);
		unmap_domain_page(src);
		d += n, maddr += n, len -= n;
	}
	return 0;
}

/* The M2P: one uint32_t per machine frame, read-only to guests at 0xFC000000. */
static void m2p_init(void)
{
	unsigned int pages = ALIGN_UP(max_mfn, PAGE_SIZE / 4) / (PAGE_SIZE / 4);

	memset(m2p_invalid_page, 0xff, sizeof(m2p_invalid_page));
	for (unsigned int i = 0; i < L1_ENTRIES; i++) {
		void *p = i < pages ? alloc_xenheap_page() : NULL;

		if (i < pages && !p)
			panic("mm: out of heap for the M2P table");
		if (p) {
			memset(p, 0xff, PAGE_SIZE);
			m2p_rw_l1[i] = mk_pte(__pa(p) >> PAGE_SHIFT, _PAGE_PRESENT | _PAGE_RW |
					      _PAGE_ACCESSED | _PAGE_DIRTY);
		}
		m2p_ro_l1[i] = mk_pte((p ? __pa(p) : __pa(m2p_invalid_page)) >> PAGE_SHIFT,
				      _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED);
	}
}

void m2p_set(mfn_t mfn, pfn_t pfn)
{
	if (mfn_valid(mfn))
		((uint32_t *)RW_MPT_VIRT_START)[mfn] = pfn;
}

pfn_t m2p_get(mfn_t mfn)
{
	return mfn_valid(mfn) ? ((uint32_t *)RW_MPT_VIRT_START)[mfn] : XENO_INVALID_PFN;
}

/* Point one hypervisor L2 slot of the idle table at an L1 table of ours. */
static void set_slot(unsigned long va, void *l1, uint32_t flags)
{
	idle_pg_table[L2_INDEX(va)] = (pde_t)(__pa(l1) | flags);
}

static void paging_init(void)
{
	const uint32_t table = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED;

	set_slot(RO_MPT_VIRT_START, m2p_ro_l1, _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED);
	set_slot(RW_MPT_VIRT_START, m2p_rw_l1, table);
	set_slot(MAPCACHE_VIRT_START, mapcache_l1, table);
	set_slot(PERDOMAIN_VIRT_START, perdomain_l1_idle, table);
	idle_pg_table[L2_INDEX(IOREMAP_VIRT_START)] = IOREMAP_VIRT_START | _PAGE_PSE |
		_PAGE_PCD | _PAGE_PWT | table | _PAGE_DIRTY | _PAGE_GLOBAL;
	idle_pg_table[L2_INDEX(LINEAR_PT_VIRT_START)] = (pde_t)(__pa(idle_pg_table) | table);
	write_cr3(__pa(idle_pg_table));
}

/* Once the real GDT is loaded, boot.S's identity map of 0-4 MiB can go. */
void mm_drop_boot_mappings(void)
{
	idle_pg_table[0] = 0;
	write_cr3(__pa(idle_pg_table));
}

void mm_init(struct boot_info *bi, unsigned long image_start, unsigned long image_end)
{
	reserve(0, LOW_MEMORY_END);
	reserve(image_start, image_end);
	for (unsigned int i = 0; i < bi->nr_modules; i++)
		reserve(bi->module[i].start, bi->module[i].end);
	frame_table_init(bi);
	paging_init();
	m2p_init();
	alloc_cursor_high = max_mfn - 1;
}
