/* SPDX-License-Identifier: MIT */
/*
 * build-elf-segments: DOM0_CREATEDOMAIN with kernels whose PT_LOAD segments
 * are wrong: overlapping (the same range, or into another's bss), file size
 * above memory size, file bytes past the end of the image or at an offset
 * that wraps, a giant file or memory size, a segment at or crossing
 * 0xFC000000 or wrapping past 4 GiB, nine segments, or none with memory.
 *
 * Rule (abi.md 3.1, 3.2, 6.19): 1-8 PT_LOAD segments with p_memsz > 0,
 * p_filesz <= p_memsz, file bytes inside the image, below 0xFC000000 without
 * wrapping, not overlapping: else -ENOEXEC; a layout that does not fit the
 * domain's memory: -ENOMEM; each with "cannot build: REASON" and nothing left
 * behind.  Empty segments are ignored wherever they claim to be.
 * Why it matters: the builder copies these ranges into the new domain's
 * frames: a range it did not check reads hypervisor memory into a guest, or
 * writes past the frames it allocated.
 */
#include <pt.h>

const char test_title[] = "build-elf-segments: kernels with broken loadable segments";

static struct img im;

/* A second PT_LOAD (after the note) in the good image. */
static struct x_phdr *second(uint32_t vaddr, uint32_t filesz, uint32_t memsz)
{
	struct x_phdr *p = &im.ph[im.eh->phnum++];

	*p = (struct x_phdr){ X_PT_LOAD, 0x1000, vaddr, vaddr, filesz, memsz, X_PF_R | X_PF_W,
			      PAGE_SIZE };
	return p;
}

static void attack(void)
{
	const long E = -XENO_ENOEXEC;
	struct x_phdr *p;

	img_reset(&im);
	build_img("the good image", &im, 0, NULL);
	img_reset(&im), second(IMG_VADDR, 0x1000, 0x1000);
	build_img("two segments at the same address", &im, E, "two loadable segments overlap");
	img_reset(&im), second(IMG_VADDR + 0x1fff, 0, 1);
	build_img("a segment in another's bss", &im, E, "two loadable segments overlap");
	img_reset(&im), second(IMG_VADDR - 0x1000, 0x1000, 0x1001);
	build_img("a segment running into the next", &im, E, "two loadable segments overlap");
	img_reset(&im), second(IMG_VADDR + 0x2000, 0x1000, 0x1000);
	build_img("two adjacent segments", &im, 0, NULL);

	img_reset(&im), im.ph[0].filesz = 0x2001;
	build_img("p_filesz > p_memsz", &im, E, "file size exceeds its memory size");
	img_reset(&im), im.ph[0].offset = IMG_SIZE;
	build_img("p_offset at the end of the file", &im, E, "outside the image");
	img_reset(&im), im.ph[0].offset = 0x10000000;
	build_img("p_offset far past the file", &im, E, "outside the image");
	img_reset(&im), im.ph[0].offset = 0xfffff000u;
	build_img("p_offset + p_filesz wraps", &im, E, "outside the image");
	img_reset(&im), im.ph[0].filesz = im.ph[0].memsz = 0x7fffffff;
	build_img("a giant p_filesz", &im, E, "outside the image");
	img_reset(&im), im.ph[0].memsz = 0xf0000000u;
	build_img("a giant p_memsz below the hypervisor", &im, -XENO_ENOMEM, "not enough memory");
	img_reset(&im), im.ph[0].memsz = 0xfbc00000u;
	build_img("a segment ending at 0xFC000000", &im, -XENO_ENOMEM, "not enough memory");
	img_reset(&im), im.ph[0].memsz = 0xfbc00000u + 1;
	build_img("p_memsz reaching 0xFC000000", &im, E, "hypervisor's address range");
	img_reset(&im), im.ph[0].memsz = 0xffffffffu;
	build_img("p_memsz wrapping past 4 GiB", &im, E, "hypervisor's address range");

	img_reset(&im), second(0xfc000000u, 0, 0x1000);
	build_img("a segment at 0xFC000000", &im, E, "hypervisor's address range");
	img_reset(&im), second(0xfbfff000u, 0x1000, 0x2000);
	build_img("a segment across 0xFC000000", &im, E, "hypervisor's address range");
	img_reset(&im), second(0xfffff000u, 0, 0x2000);
	build_img("a segment wrapping past 4 GiB", &im, E, "hypervisor's address range");
	img_reset(&im), second(0xfffff000u, 0, 0x1000);
	build_img("a segment ending at exactly 4 GiB", &im, E, "hypervisor's address range");
	img_reset(&im), p = second(0xfffff000u, 0, 0);
	p->offset = 0xffffffffu;
	build_img("an empty segment anywhere (ignored)", &im, 0, NULL);

	img_reset(&im);
	for (unsigned int i = 0; i < 8; i++)
		second(IMG_VADDR + 0x2000 + i * 0x1000, 0, 0x1000);
	build_img("nine loadable segments", &im, E, "too many loadable segments");
	img_reset(&im), im.ph[0].memsz = 0, im.ph[0].filesz = 0;
	build_img("no segment with memory", &im, E, "no loadable segments");
	img_reset(&im);
	build_img("the good image again", &im, 0, NULL);
}

const struct hostile hostile = { .where = IN_DOM0, .attack = attack };
