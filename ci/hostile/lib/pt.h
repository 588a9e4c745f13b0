/* SPDX-License-Identifier: MIT */
/*
 * Building blocks for the page-table, memory and domain-builder attacks
 * (pt-*, mem-*, build-*): entries, pins, reservations, the writable
 * page-table assist, reports from the attacker to the supervisor, and
 * hand-made ELF images for DOM0_CREATEDOMAIN.
 */
#ifndef HOSTILE_PT_H
#define HOSTILE_PT_H

#include <hostile.h>

/* PTE bits and flag sets, FREE_SLOT and mkpte(): in guest.h. */
#define HV_SLOT		XENO_FIRST_HYPERVISOR_L2_SLOT		/* 1008 */

/* ---- our own frames and tables ---- */

uint32_t cur_l2_mfn(void);			/* the L2 in CR3 (the bootstrap one) */
uint32_t l2e_maddr(uint32_t l2, unsigned int slot);	/* machine address of an L2 entry */
uint32_t l1e_maddr(uint32_t l1, unsigned int index);
void *mfn_va(uint32_t mfn);			/* our frame through the 1:1 map */
long set_rw(const void *va, bool rw);		/* our mapping of va: writable or not */
uint32_t *alloc_table(void);			/* a zeroed page, mapped read-only */
uint32_t *copy_l2(void);			/* the current L2's guest slots, read-only */

long pin(uint32_t cmd, uint32_t mfn);		/* XENO_MMUEXT_PIN_L1_TABLE or _L2_ */
long unpin(uint32_t mfn);
long new_baseptr(uint32_t mfn);
long set_gdt1(uint32_t mfn, uint32_t entries);	/* in descriptor.c, declared in */
long set_ldt(uint32_t va, uint32_t entries);	/* descriptor.h too */
long machphys(uint32_t mfn, uint32_t pfn);	/* MMU_MACHPHYS_UPDATE */
long flush_tlb(void);

/* memory_op for ourselves (XENO_DOMID_SELF unless domid says otherwise). */
long reservation_op(uint32_t cmd, uint32_t *mfns, uint32_t n, uint32_t domid);
long decrease1(uint32_t mfn);
uint32_t cur_reservation(void);

/*
 * The writable page-table assist: on or off, and one store to a page-table
 * entry through its read-only mapping (exinfo 0 if it was emulated, else
 * the #PF the guest got).
 */
void wpt_assist(bool on);
uint32_t wpt_store(uint32_t *entry, uint32_t val);

/*
 * Is this own frame free of types and of writable mappings?  Maps it
 * writable on a scratch VA and pins it as an L1, and undoes both; so the
 * frame must hold zeros or valid L1 entries.
 */
bool frame_untyped(uint32_t mfn);

/*
 * Every way of writing pte into the L1 entry of a spare VA (update_va_mapping,
 * mmu_update, both in a multicall, the writable page-table assist) must fail
 * with want (the assist's refusal: the #PF is bounced), and the entry must
 * keep its old value.  Same for l2e in the free slot of the current L2.
 */
void expect_pte_refused(const char *what, uint32_t pte, long want);
void expect_l2e_refused(const char *what, uint32_t l2e, long want);

/* ---- multicall ---- */
struct mc {
	struct xeno_multicall_entry e[32];
	unsigned int n;
};
void mc_add(struct mc *m, uint32_t op, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);
long mc_run(struct mc *m);			/* entries run; results in m->e[i].result */

/* ---- attacker -> supervisor ---- */
/* Print "hostile-report: key=value" (attacker); find the last one (supervisor). */
void attacker_report(const char *key, uint32_t val);
uint32_t attacker_reported(const char *key, uint32_t def);

/* ---- ELF images for the builder (Domain0) ---- */
struct x_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct x_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};
struct x_note {
	uint32_t namesz, descsz, type;
	char name[8];			/* "Xeno" and padding */
	uint32_t desc[2];
};

#define X_PT_LOAD	1
#define X_PT_NOTE	4
#define X_PF_X		1
#define X_PF_W		2
#define X_PF_R		4

/*
 * The good image every build- test starts from, in an 8 KiB buffer:
 *   0x000 ELF header, program headers from 0x034 (room for IMG_MAX_PHDRS)
 *   0x800 PT_NOTE: Xeno notes VIRT_BASE 0x400000, GUEST_OS, INTERFACE
 *   0x1000 one page of code (jmp .), loaded R+X at 0x400000, 8 KiB of memory
 * phdr 0 is the PT_LOAD, phdr 1 the PT_NOTE.
 */
#define IMG_SIZE	0x2000u
#define IMG_VADDR	0x400000u
#define IMG_NOTES	0x800u
#define IMG_MAX_PHDRS	((IMG_NOTES - sizeof(struct x_ehdr)) / sizeof(struct x_phdr))
#define IMG_NR_NOTES	3
#define BUILD_KB	1024		/* memory of the domains built from it */

struct img {
	uint8_t *buf;			/* IMG_SIZE bytes, page aligned */
	uint32_t len;			/* what is passed as kernel_len */
	struct x_ehdr *eh;
	struct x_phdr *ph;		/* = buf + eh->phoff as built */
	struct x_note *note;		/* the IMG_NR_NOTES notes */
};
void img_reset(struct img *im);		/* the good image again */

/*
 * One DOM0_CREATEDOMAIN with a hostile input: it must return want (a
 * -errno), print "cannot build: <reason>" with reason in it, and leave no
 * domain and no frame behind.  want = 0: it must build (then it is
 * destroyed again).  c->domid is ignored.
 */
void build_expect(const char *what, struct xeno_dom0_createdomain c, long want,
		  const char *reason);
/* The same for an image: kernel = im->buf, im->len; BUILD_KB of memory. */
void build_img(const char *what, const struct img *im, long want, const char *reason);

#endif
