/* SPDX-License-Identifier: MIT */
/* ELF loader checks (elf.c) against well-formed and hostile images. */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include <public/elfnote.h>

#include "harness.h"

#define LIMIT	0xFC000000u

/* A test image: header, up to 10 program headers, a note area and a body. */
struct image {
	struct elf32_ehdr eh;
	struct elf32_phdr ph[10];
	uint8_t notes[128];
	uint8_t body[0x1000];
};

static struct image img;
static uint32_t img_size;

static void make_valid(void)
{
	memset(&img, 0, sizeof(img));
	memcpy(img.eh.e_ident, "\x7f" "ELF", 4);
	img.eh.e_ident[4] = ELFCLASS32;
	img.eh.e_ident[5] = ELFDATA2LSB;
	img.eh.e_ident[6] = 1;
	img.eh.e_type = ET_EXEC;
	img.eh.e_machine = EM_386;
	img.eh.e_version = EV_CURRENT;
	img.eh.e_entry = 0xC0100010;
	img.eh.e_phoff = offsetof(struct image, ph);
	img.eh.e_phentsize = sizeof(struct elf32_phdr);
	img.eh.e_phnum = 2;
	img.ph[0] = (struct elf32_phdr){ PT_LOAD, offsetof(struct image, body), 0xC0100000,
					 0x100000, 0x800, 0x800, PF_R | PF_X, 0x1000 };
	img.ph[1] = (struct elf32_phdr){ PT_LOAD, offsetof(struct image, body) + 0x800,
					 0xC0101000, 0x101000, 0x800, 0x3000, PF_R | PF_W, 0x1000 };
	img_size = sizeof(img);
}

static int parse(struct elf_info *info, const char **why)
{
	struct elf_source src = { img_size, elf_read_buffer, &img, 0 };

	*why = "";
	return elf_parse(&src, LIMIT, info, why);
}

static void expect_reject(const char *name)
{
	struct elf_info info;
	const char *why;
	int rc = parse(&info, &why);

	CHECK(rc == -ENOEXEC, "%s: accepted (rc %d)", name, rc);
	CHECK(why && *why, "%s: no reason given", name);
}

static void test_valid(void)
{
	struct elf_info info;
	const char *why;

	make_valid();
	CHECK_EQ(parse(&info, &why), 0, "valid image");
	CHECK_EQ(info.nr_segments, 2, "segments");
	CHECK_EQ(info.entry, 0xC0100010, "entry");
	CHECK_EQ(info.virt_start, 0xC0100000, "virt_start");
	CHECK_EQ(info.virt_end, 0xC0104000, "virt_end (page aligned)");
	CHECK(!info.has_xeno_note, "no note expected");

	/* A segment may end exactly at the limit. */
	make_valid();
	img.ph[1].p_vaddr = LIMIT - 0x3000;
	CHECK_EQ(parse(&info, &why), 0, "segment ending at the limit");
}

static void add_note(uint32_t *off, uint32_t type, const void *desc, uint32_t descsz)
{
	struct elf32_note n = { sizeof(XENO_ELFNOTE_NAME), descsz, type };

	memcpy(img.notes + *off, &n, sizeof(n));
	*off += sizeof(n);
	memcpy(img.notes + *off, XENO_ELFNOTE_NAME, sizeof(XENO_ELFNOTE_NAME));
	*off += (sizeof(XENO_ELFNOTE_NAME) + 3) & ~3u;
	memcpy(img.notes + *off, desc, descsz);
	*off += (descsz + 3) & ~3u;
}

static void test_notes(void)
{
	struct elf_info info;
	const char *why;
	uint32_t off = 0, base = 0xC0000000, entry = 0xC0100020, hpage = 0xC0101000;

	make_valid();
	add_note(&off, XENO_ELFNOTE_GUEST_OS, "linux", 6);
	add_note(&off, XENO_ELFNOTE_VIRT_BASE, &base, 4);
	add_note(&off, XENO_ELFNOTE_ENTRY, &entry, 4);
	add_note(&off, XENO_ELFNOTE_HYPERCALL_PAGE, &hpage, 4);
	img.eh.e_phnum = 3;
	img.ph[2] = (struct elf32_phdr){ PT_NOTE, offsetof(struct image, notes), 0, 0, off, off,
					 PF_R, 4 };
	CHECK_EQ(parse(&info, &why), 0, "image with notes");
	CHECK(info.has_xeno_note, "note found");
	CHECK(!strcmp(info.note_guest_os, "linux"), "guest os '%s'", info.note_guest_os);
	CHECK_EQ(info.note_virt_base, base, "virt base");
	CHECK_EQ(info.entry, entry, "note entry overrides e_entry");
	CHECK_EQ(info.note_hypercall_page, hpage, "hypercall page");

	img.ph[2].p_filesz = off + 0x10000;
	expect_reject("note segment past the end of the file");
	img.ph[2].p_filesz = off;
	((struct elf32_note *)img.notes)->n_namesz = 0x7fffffff;
	expect_reject("note with a giant name size");
	((struct elf32_note *)img.notes)->n_namesz = sizeof(XENO_ELFNOTE_NAME);
	((struct elf32_note *)img.notes)->n_descsz = off;
	expect_reject("note running past its segment");
}

/* Each case breaks one thing in a valid image. */
static void test_hostile(void)
{
	make_valid(); img_size = 20;
	expect_reject("truncated header");
	make_valid(); img.eh.e_ident[0] = 0;
	expect_reject("bad magic");
	make_valid(); img.eh.e_ident[4] = 2;
	expect_reject("64-bit class");
	make_valid(); img.eh.e_ident[5] = 2;
	expect_reject("big endian");
	make_valid(); img.eh.e_machine = 62;
	expect_reject("x86-64 machine");
	make_valid(); img.eh.e_type = 3;
	expect_reject("shared object");
	make_valid(); img.eh.e_phentsize = 40;
	expect_reject("wrong program header size");
	make_valid(); img.eh.e_phnum = 0;
	expect_reject("no program headers");
	make_valid(); img.eh.e_phnum = 65;
	expect_reject("too many program headers");
	make_valid(); img.eh.e_phoff = img_size + 4;
	expect_reject("program headers past the end");
	make_valid(); img.eh.e_phoff = img_size - 40;
	expect_reject("program headers straddling the end");
	make_valid(); img.eh.e_phoff = 0xFFFFFFF0u;
	expect_reject("program header offset wraps");
	make_valid(); img.ph[0].p_filesz = 0x900; img.ph[0].p_memsz = 0x800;
	expect_reject("file size above memory size");
	make_valid(); img.ph[1].p_filesz = img.ph[1].p_memsz = 0x100000;
	expect_reject("segment contents past the end (truncated)");
	make_valid(); img.ph[1].p_offset = 0xFFFFFFF0u;
	expect_reject("segment offset + size wraps");
	make_valid(); img.ph[1].p_vaddr = 0xFFFFF000u; img.ph[1].p_memsz = 0x2000;
	expect_reject("segment address + size wraps");
	make_valid(); img.ph[1].p_vaddr = LIMIT;
	expect_reject("segment in hypervisor space");
	make_valid(); img.ph[1].p_vaddr = LIMIT - 0x1000;
	expect_reject("segment straddling the hypervisor start");
	make_valid(); img.ph[1].p_vaddr = 0xC0100400;
	expect_reject("overlapping segments");
	make_valid(); img.ph[1].p_vaddr = 0xC00FF000;
	expect_reject("segment overlapping from below");
	make_valid(); img.eh.e_entry = 0xC0200000;
	expect_reject("entry outside every segment");
	make_valid(); img.eh.e_entry = 0xC0101010;
	expect_reject("entry in a non-executable segment");
	make_valid(); img.ph[0].p_type = 6; img.ph[1].p_type = 6;
	expect_reject("no loadable segments");
	make_valid();
	img.eh.e_phnum = 10;
	for (int i = 0; i < 10; i++)
		img.ph[i] = (struct elf32_phdr){ PT_LOAD, offsetof(struct image, body),
						 0x100000 + i * 0x1000, 0, 0x10, 0x10, PF_R | PF_X, 0 };
	expect_reject("too many loadable segments");
}

int main(void)
{
	test_valid();
	test_notes();
	test_hostile();
	return test_report("elf");
}
