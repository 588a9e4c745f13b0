/* SPDX-License-Identifier: MIT */
/*
 * build-elf-entry: DOM0_CREATEDOMAIN with kernels whose entry point is not
 * code of the image: outside every segment, just below or past the segment,
 * in its bss (past the file bytes), in a segment without PF_X, in the
 * hypervisor's range; and the same through the ENTRY note, which overrides
 * e_entry.
 *
 * Rule (abi.md 3.1, 6.19): the entry point (the ENTRY note if present, else
 * e_entry) must lie in the file-backed part of a PF_X segment: else -ENOEXEC,
 * "cannot build: the entry point is not inside an executable segment",
 * nothing left behind.
 * Why it matters: a domain that starts outside its image runs zeroed or
 * unloaded memory; the check is the builder's promise that the vCPU's first
 * EIP is the kernel's own code.
 */
#include <pt.h>

const char test_title[] = "build-elf-entry: entry points outside the image's code";

static struct img im;

#define ENTRY_NOTE	3	/* XENO_ELFNOTE_ENTRY */

static void entry_case(const char *what, uint32_t entry, bool by_note, long want)
{
	img_reset(&im);
	if (by_note) {
		im.note[1].type = ENTRY_NOTE;	/* instead of GUEST_OS */
		im.note[1].desc[0] = entry;
	} else {
		im.eh->entry = entry;
	}
	build_img(what, &im, want, want ? "not inside an executable segment" : NULL);
}

static void attack(void)
{
	const long E = -XENO_ENOEXEC;

	img_reset(&im);
	build_img("the good image", &im, 0, NULL);
	for (int n = 0; n < 2; n++) {
		bool note = n == 1;

		entry_case(note ? "note: far away" : "far away", 0x10000000, note, E);
		entry_case(note ? "note: just below" : "just below", IMG_VADDR - 1, note, E);
		entry_case(note ? "note: in the bss" : "in the bss", IMG_VADDR + 0x1000, note, E);
		entry_case(note ? "note: past the end" : "past the end", IMG_VADDR + 0x2000, note,
			   E);
		entry_case(note ? "note: hypervisor" : "hypervisor", 0xfc500000u, note, E);
		entry_case(note ? "note: last file byte" : "last file byte", IMG_VADDR + 0xfff,
			   note, 0);
	}
	/* e_entry 0 with no note: address 0 is not in the image either. */
	entry_case("entry 0", 0, false, E);
	/* A bad e_entry does not matter when the note names good code. */
	img_reset(&im);
	im.eh->entry = 0xfc500000u;
	im.note[1].type = ENTRY_NOTE;
	im.note[1].desc[0] = IMG_VADDR;
	build_img("bad e_entry, good ENTRY note", &im, 0, NULL);
	/* Code in a segment that is not executable. */
	img_reset(&im);
	im.ph[0].flags = X_PF_R | X_PF_W;
	build_img("entry in a segment without PF_X", &im, E, "not inside an executable segment");
}

const struct hostile hostile = { .where = IN_DOM0, .attack = attack };
