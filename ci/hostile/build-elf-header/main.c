/* SPDX-License-Identifier: MIT */
/*
 * build-elf-header: DOM0_CREATEDOMAIN with kernels whose ELF header is wrong:
 * empty or truncated, bad magic, 64-bit class, big-endian, x86-64 machine, a
 * shared object, version 0, a program-header entry size other than 32, no
 * program headers, 65 of them, a program-header table past the end of the
 * file, cut short, or at an offset that wraps.
 *
 * Rule (abi.md 3.1, 6.19): the builder accepts only an ELF32 little-endian
 * i386 ET_EXEC, version 1, with 1-64 program headers of 32 bytes inside the
 * file; anything else is -ENOEXEC with "cannot build: REASON" on the console,
 * and no domain and no frame is left behind.
 * Why it matters: these fields steer every later read of the image: a builder
 * that trusted them would read (and copy into a domain) hypervisor memory
 * beyond the image, or fall over.
 */
#include <pt.h>

const char test_title[] = "build-elf-header: kernels with a broken ELF header";

static struct img im;

static void attack(void)
{
	const long E = -XENO_ENOEXEC;

	img_reset(&im);
	build_img("the good image", &im, 0, NULL);
	im.len = 0;
	build_img("an empty image", &im, E, "shorter than an ELF header");
	im.len = sizeof(struct x_ehdr) - 1;
	build_img("a truncated ELF header", &im, E, "shorter than an ELF header");
	img_reset(&im), im.eh->ident[3] = 'f';
	build_img("bad magic", &im, E, "bad magic");
	img_reset(&im), im.eh->ident[4] = 2;
	build_img("ELFCLASS64", &im, E, "not a 32-bit little-endian i386 ELF");
	img_reset(&im), im.eh->ident[5] = 2;
	build_img("big-endian", &im, E, "not a 32-bit little-endian i386 ELF");
	img_reset(&im), im.eh->machine = 62;
	build_img("EM_X86_64", &im, E, "not a 32-bit little-endian i386 ELF");
	img_reset(&im), im.eh->type = 3;
	build_img("ET_DYN", &im, E, "not an ELF executable");
	img_reset(&im), im.eh->version = 0;
	build_img("e_version 0", &im, E, "not an ELF executable");
	img_reset(&im), im.eh->phentsize = 56;
	build_img("e_phentsize 56", &im, E, "bad program header table");
	img_reset(&im), im.eh->phentsize = 0;
	build_img("e_phentsize 0", &im, E, "bad program header table");
	img_reset(&im), im.eh->phnum = 0;
	build_img("no program headers", &im, E, "bad program header table");
	img_reset(&im), im.eh->phnum = 65;
	build_img("65 program headers", &im, E, "bad program header table");
	img_reset(&im), im.eh->phnum = 0xffff;
	build_img("65535 program headers", &im, E, "bad program header table");
	img_reset(&im), im.eh->phoff = IMG_SIZE + 4;
	build_img("program headers past the end", &im, E, "outside the image");
	img_reset(&im), im.eh->phoff = IMG_SIZE - 40;
	build_img("program headers cut short", &im, E, "outside the image");
	img_reset(&im), im.len = sizeof(struct x_ehdr) + sizeof(struct x_phdr);
	build_img("the file ends after one program header", &im, E, "outside the image");
	img_reset(&im), im.eh->phoff = 0xfffffff0u;
	build_img("program header offset wraps", &im, E, "outside the image");
	img_reset(&im), im.eh->phnum = 64, im.eh->phoff = IMG_SIZE - 64 * 32 + 32;
	build_img("64 program headers, the last past the end", &im, E, "outside the image");
	img_reset(&im);
	build_img("the good image again", &im, 0, NULL);
}

const struct hostile hostile = { .where = IN_DOM0, .attack = attack };
