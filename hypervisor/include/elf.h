/* SPDX-License-Identifier: MIT */
/*
 * ELF32 i386 executables: just enough to check a guest kernel image and load
 * it.  Every check a hostile image could defeat lives in elf.c, which reads
 * the image only through an accessor, so the host tests feed it broken files.
 */
#ifndef XENO_ELF_H
#define XENO_ELF_H

#include <types.h>

#define EI_NIDENT	16
#define ELFCLASS32	1
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define EM_386		3
#define PT_LOAD		1
#define PT_NOTE		4
#define PF_X		1
#define PF_W		2
#define PF_R		4

struct elf32_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf32_phdr {
	uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
};

struct elf32_note {
	uint32_t n_namesz, n_descsz, n_type;
};

#define ELF_MAX_SEGMENTS	8

/* Where the image's bytes come from: a buffer, or machine memory. */
struct elf_source {
	uint32_t size;
	int (*read)(const struct elf_source *src, uint32_t off, void *buf, uint32_t len);
	const void *ctx;
	uint32_t base;
};

struct elf_segment {
	uint32_t offset, vaddr, filesz, memsz, flags;
};

/* What the loader learned; virtual addresses are the image's. */
struct elf_info {
	uint32_t entry;
	uint32_t virt_start, virt_end;	/* page-aligned span of all segments */
	unsigned int nr_segments;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	/* From the Xeno note, if present (0 = absent). */
	bool has_xeno_note;
	uint32_t note_virt_base, note_entry, note_hypercall_page, note_interface;
	char note_guest_os[32];
};

int elf_parse(const struct elf_source *src, uint32_t virt_limit, struct elf_info *info,
	      const char **why);
int elf_read_buffer(const struct elf_source *src, uint32_t off, void *buf, uint32_t len);

#endif
