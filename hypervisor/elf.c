/* SPDX-License-Identifier: MIT */
/*
 * Check an ELF32 i386 executable before anything is loaded from it.  The
 * image is untrusted: every offset, size and address is checked for overflow
 * and range, segments may not overlap, and everything must sit below the
 * caller's virtual limit (the hypervisor's area).  Nothing here allocates or
 * writes outside *info.
 */
#include <elf.h>
#include <errno.h>
#include <lib.h>
#include <page.h>
#include <public/elfnote.h>

#define ELF_MAX_PHDRS	64
#define NOTE_ALIGN(x)	ALIGN_UP((x), 4u)

int elf_read_buffer(const struct elf_source *src, uint32_t off, void *buf, uint32_t len)
{
	if (off > src->size || len > src->size - off)
		return -EFAULT;
	memcpy(buf, (const uint8_t *)src->ctx + off, len);
	return 0;
}

/* a + b without wrapping past 2^32. */
static bool add_overflows(uint32_t a, uint32_t b)
{
	return a + b < a;
}

static int check_header(const struct elf_source *src, struct elf32_ehdr *eh, const char **why)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };

	if (src->size < sizeof(*eh) || src->read(src, 0, eh, sizeof(*eh))) {
		*why = "image is shorter than an ELF header";
		return -ENOEXEC;
	}
	if (memcmp(eh->e_ident, magic, sizeof(magic))) {
		*why = "not an ELF file (bad magic)";
		return -ENOEXEC;
	}
	if (eh->e_ident[4] != ELFCLASS32 || eh->e_ident[5] != ELFDATA2LSB ||
	    eh->e_machine != EM_386) {
		*why = "not a 32-bit little-endian i386 ELF";
		return -ENOEXEC;
	}
	if (eh->e_type != ET_EXEC || eh->e_version != EV_CURRENT) {
		*why = "not an ELF executable (ET_EXEC, version 1)";
		return -ENOEXEC;
	}
	if (eh->e_phentsize != sizeof(struct elf32_phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > ELF_MAX_PHDRS) {
		*why = "bad program header table (entry size or count)";
		return -ENOEXEC;
	}
	if (eh->e_phoff > src->size ||
	    eh->e_phnum * sizeof(struct elf32_phdr) > src->size - eh->e_phoff) {
		*why = "program header table lies outside the image";
		return -ENOEXEC;
	}
	return 0;
}

static int add_segment(const struct elf_source *src, const struct elf32_phdr *ph,
		       uint32_t virt_limit, struct elf_info *info, const char **why)
{
	struct elf_segment *s;

	if (ph->p_memsz == 0)
		return 0;
	if (info->nr_segments == ELF_MAX_SEGMENTS) {
		*why = "too many loadable segments";
		return -ENOEXEC;
	}
	if (ph->p_filesz > ph->p_memsz) {
		*why = "a segment's file size exceeds its memory size";
		return -ENOEXEC;
	}
	if (add_overflows(ph->p_offset, ph->p_filesz) || ph->p_offset + ph->p_filesz > src->size) {
		*why = "a segment's contents lie outside the image (truncated file?)";
		return -ENOEXEC;
	}
	if (add_overflows(ph->p_vaddr, ph->p_memsz) || ph->p_vaddr + ph->p_memsz > virt_limit) {
		*why = "a segment reaches into the hypervisor's address range";
		return -ENOEXEC;
	}
	for (unsigned int i = 0; i < info->nr_segments; i++) {
		const struct elf_segment *o = &info->seg[i];

		if (ph->p_vaddr < o->vaddr + o->memsz && o->vaddr < ph->p_vaddr + ph->p_memsz) {
			*why = "two loadable segments overlap";
			return -ENOEXEC;
		}
	}
	s = &info->seg[info->nr_segments++];
	s->offset = ph->p_offset;
	s->vaddr = ph->p_vaddr;
	s->filesz = ph->p_filesz;
	s->memsz = ph->p_memsz;
	s->flags = ph->p_flags;
	return 0;
}

static uint32_t note_u32(const uint8_t *desc, uint32_t descsz)
{
	uint32_t v = 0;

	if (descsz >= 4)
		memcpy(&v, desc, 4);
	return v;
}

static void apply_note(struct elf_info *info, uint32_t type, const uint8_t *desc, uint32_t sz)
{
	info->has_xeno_note = true;
	switch (type) {
	case XENO_ELFNOTE_GUEST_OS:
		memcpy(info->note_guest_os, desc, MIN(sz, sizeof(info->note_guest_os) - 1));
		break;
	case XENO_ELFNOTE_VIRT_BASE:
		info->note_virt_base = note_u32(desc, sz);
		break;
	case XENO_ELFNOTE_ENTRY:
		info->note_entry = note_u32(desc, sz);
		break;
	case XENO_ELFNOTE_HYPERCALL_PAGE:
		info->note_hypercall_page = note_u32(desc, sz);
		break;
	case XENO_ELFNOTE_INTERFACE:
		info->note_interface = note_u32(desc, sz);
		break;
	}
}

/* Walk the notes of one PT_NOTE segment, keeping those named "Xeno". */
static int parse_notes(const struct elf_source *src, const struct elf32_phdr *ph,
		       struct elf_info *info, const char **why)
{
	uint8_t buf[64];
	uint32_t off = 0;

	if (add_overflows(ph->p_offset, ph->p_filesz) || ph->p_offset + ph->p_filesz > src->size) {
		*why = "a note segment lies outside the image";
		return -ENOEXEC;
	}
	while (off + sizeof(struct elf32_note) <= ph->p_filesz) {
		struct elf32_note n;
		uint32_t name_off, desc_off, next;

		if (src->read(src, ph->p_offset + off, &n, sizeof(n)))
			goto unreadable;
		name_off = off + sizeof(n);
		if (n.n_namesz > 256 || n.n_descsz > 4096) {
			*why = "a note is implausibly large";
			return -ENOEXEC;
		}
		desc_off = name_off + NOTE_ALIGN(n.n_namesz);
		next = desc_off + NOTE_ALIGN(n.n_descsz);
		if (next > ph->p_filesz) {
			*why = "a note runs past its segment";
			return -ENOEXEC;
		}
		if (n.n_namesz == sizeof(XENO_ELFNOTE_NAME) && n.n_descsz <= sizeof(buf)) {
			if (src->read(src, ph->p_offset + name_off, buf, n.n_namesz))
				goto unreadable;
			if (!memcmp(buf, XENO_ELFNOTE_NAME, n.n_namesz)) {
				memset(buf, 0, sizeof(buf));
				if (src->read(src, ph->p_offset + desc_off, buf, n.n_descsz))
					goto unreadable;
				apply_note(info, n.n_type, buf, n.n_descsz);
			}
		}
		off = next;
	}
	return 0;
unreadable:
	*why = "a note could not be read";
	return -ENOEXEC;
}

static bool entry_is_executable(const struct elf_info *info, uint32_t entry)
{
	for (unsigned int i = 0; i < info->nr_segments; i++) {
		const struct elf_segment *s = &info->seg[i];

		if ((s->flags & PF_X) && entry >= s->vaddr && entry < s->vaddr + s->filesz)
			return true;
	}
	return false;
}

int elf_parse(const struct elf_source *src, uint32_t virt_limit, struct elf_info *info,
	      const char **why)
{
	struct elf32_ehdr eh;
	int rc;

	memset(info, 0, sizeof(*info));
	rc = check_header(src, &eh, why);
	if (rc)
		return rc;
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		struct elf32_phdr ph;

		if (src->read(src, eh.e_phoff + i * sizeof(ph), &ph, sizeof(ph))) {
			*why = "a program header could not be read";
			return -ENOEXEC;
		}
		if (ph.p_type == PT_LOAD)
			rc = add_segment(src, &ph, virt_limit, info, why);
		else if (ph.p_type == PT_NOTE)
			rc = parse_notes(src, &ph, info, why);
		if (rc)
			return rc;
	}
	if (info->nr_segments == 0) {
		*why = "no loadable segments";
		return -ENOEXEC;
	}
	info->entry = info->note_entry ? info->note_entry : eh.e_entry;
	if (!entry_is_executable(info, info->entry)) {
		*why = "the entry point is not inside an executable segment";
		return -ENOEXEC;
	}
	info->virt_start = UINT32_MAX;
	for (unsigned int i = 0; i < info->nr_segments; i++) {
		info->virt_start = MIN(info->virt_start, info->seg[i].vaddr & PAGE_MASK);
		info->virt_end = MAX(info->virt_end,
				     ALIGN_UP(info->seg[i].vaddr + info->seg[i].memsz, PAGE_SIZE));
	}
	if (info->virt_end > virt_limit || info->virt_end == 0) {
		*why = "the image reaches into the hypervisor's address range";
		return -ENOEXEC;
	}
	return 0;
}
