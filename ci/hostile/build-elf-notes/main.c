/* SPDX-License-Identifier: MIT */
/*
 * build-elf-notes: DOM0_CREATEDOMAIN with kernels whose notes are wrong or
 * hostile: no PT_NOTE, no note named "Xeno" (or a name of the wrong length),
 * a Xeno descriptor over 64 bytes, name or descriptor sizes past the limits
 * or past the segment, a note segment outside the file, another interface
 * major version, a virtual base that is not page aligned or lies above the
 * image, a hypercall page outside the image or not aligned, a virtual base so
 * low that memory reaches the hypervisor.
 *
 * Rule (abi.md 3.1, 3.2, 6.19): a kernel must carry a Xeno note (descriptor
 * <= 64 bytes); implausible notes (name > 256, descriptor > 4096 bytes, or
 * running past the segment) and bad VIRT_BASE, HYPERCALL_PAGE or INTERFACE
 * values are -ENOEXEC, memory that would reach 0xFC000000 is -ENOMEM; each
 * with "cannot build: REASON", nothing left behind.
 * Why it matters: note sizes steer reads of the image, and VIRT_BASE and
 * HYPERCALL_PAGE say where the builder writes: unchecked, they put the
 * domain's memory or the hypercall stubs over the hypervisor.
 */
#include <pt.h>

const char test_title[] = "build-elf-notes: kernels with missing or hostile notes";

static struct img im;

static void attack(void)
{
	const long E = -XENO_ENOEXEC;
	struct x_phdr *note;
	const char *no_note = "not built for Xeno";

	img_reset(&im);
	build_img("the good image", &im, 0, NULL);
	img_reset(&im), im.eh->phnum = 1;
	build_img("no PT_NOTE", &im, E, no_note);
	img_reset(&im);
	for (unsigned int i = 0; i < IMG_NR_NOTES; i++)
		im.note[i].name[0] = 'x';
	build_img("notes named xeno", &im, E, no_note);
	img_reset(&im);
	for (unsigned int i = 0; i < IMG_NR_NOTES; i++)
		im.note[i].namesz = 8;			/* "Xeno" and three more NULs */
	build_img("notes with an 8-byte name", &im, E, no_note);
	img_reset(&im);
	im.note[0].descsz = 72;				/* over 64: ignored */
	im.ph[1].filesz = im.ph[1].memsz = 12 + 8 + 72;
	build_img("one Xeno note, of 72 bytes", &im, E, no_note);

	img_reset(&im), im.note[0].namesz = 257;
	build_img("n_namesz 257", &im, E, "implausibly large");
	img_reset(&im), im.note[0].descsz = 4097;
	build_img("n_descsz 4097", &im, E, "implausibly large");
	img_reset(&im), im.note[0].descsz = 0xfffffff8u;
	build_img("n_descsz near 4 GiB", &im, E, "implausibly large");
	img_reset(&im), im.note[2].descsz = 64;
	build_img("a note past its segment", &im, E, "runs past its segment");
	note = &im.ph[1];
	img_reset(&im), note->offset = IMG_SIZE - 8;
	build_img("a note segment past the file", &im, E, "note segment lies outside the image");
	img_reset(&im), note->offset = 0xffffff00u;
	build_img("a note segment offset that wraps", &im, E, "note segment lies outside");

	img_reset(&im), im.note[2].desc[0] = 0x00020000;
	build_img("interface major 2", &im, E, "another major version");
	img_reset(&im), im.note[0].desc[0] = IMG_VADDR + 0x800;
	build_img("virt_base not page aligned", &im, E, "virtual base is not page aligned");
	img_reset(&im), im.note[0].desc[0] = IMG_VADDR + 0x1000;
	build_img("virt_base above the image", &im, E, "lies above the image");
	img_reset(&im), im.note[0].desc[0] = 0xfffff000u;
	build_img("virt_base at the top of memory", &im, E, "lies above the image");

	img_reset(&im), im.note[1].type = 4, im.note[1].desc[0] = 0x10000000;
	build_img("hypercall page outside the image", &im, E, "hypercall page note");
	img_reset(&im), im.note[1].type = 4, im.note[1].desc[0] = 0xfc500000u;
	build_img("hypercall page in the hypervisor", &im, E, "hypercall page note");
	img_reset(&im), im.note[1].type = 4, im.note[1].desc[0] = IMG_VADDR + 0x10;
	build_img("hypercall page not aligned", &im, E, "hypercall page note");
	img_reset(&im), im.note[1].type = 4, im.note[1].desc[0] = IMG_VADDR + 0x1000;
	build_img("hypercall page in the bss", &im, 0, NULL);

	/* The image high up, the virtual base so low that memory would not fit. */
	img_reset(&im);
	im.ph[0].vaddr = im.ph[0].paddr = im.eh->entry = 0xfbff0000u;
	im.note[0].desc[0] = 0xfbc00000u;
	build_img("memory up to 0xFC000000", &im, -XENO_ENOMEM, "not enough memory");
	im.note[0].desc[0] = 0xfbf80000u;
	build_img("memory past 0xFC000000", &im, -XENO_ENOMEM, "does not fit below the hypervisor");
	img_reset(&im);
	build_img("the good image again", &im, 0, NULL);
}

const struct hostile hostile = { .where = IN_DOM0, .attack = attack };
