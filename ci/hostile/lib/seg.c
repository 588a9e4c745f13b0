/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the hostile segment, trap and hypercall-argument tests (see
 * seg.h): the zoo of bad guest pointers.
 */
#include "seg.h"

/* ---- bad pointers ---- */

struct ptr_zoo zoo;

static void fill(uint8_t *p)
{
	memset(p, ZOO_PATTERN, PAGE_SIZE);
}

void zoo_init(void)
{
	uint8_t *rw = alloc_page(), *ro = alloc_page(), *hole = alloc_page(), *gap = alloc_page();

	if (ro != rw + PAGE_SIZE || gap != hole + PAGE_SIZE) {
		xtf_error("zoo pages are not consecutive");
		return;
	}
	fill(rw), fill(ro), fill(hole);
	if (page_set_ro(ro, true) || update_va(gap, 0, XENO_UVMF_INVLPG)) {
		xtf_error("cannot set up the zoo pages");
		return;
	}
	zoo = (struct ptr_zoo){ ro, hole, rw };
}

const char *zoo_changed(void)
{
	static char why[64];
	const uint8_t *pages[3] = { zoo.rw, zoo.ro, zoo.hole };
	static const char *const names[3] = { "writable", "read-only", "before-the-hole" };

	for (unsigned int p = 0; p < 3; p++)
		for (unsigned int i = 0; i < PAGE_SIZE; i++)
			if (pages[p][i] != ZOO_PATTERN) {
				snprintf(why, sizeof(why), "%s page byte %u is %#x", names[p], i,
					 pages[p][i]);
				return why;
			}
	return NULL;
}

void zoo_refill(void)
{
	fill(zoo.rw), fill(zoo.hole);
}

unsigned int bad_inputs(uint32_t len, struct badptr *out)
{
	unsigned int n = 0;
	uint32_t half = len / 2;

	out[n++] = (struct badptr){ "the hypervisor's first byte", XENO_HYPERVISOR_VIRT_START };
	out[n++] = (struct badptr){ "the hypervisor image", 0xFC500000 };
	out[n++] = (struct badptr){ "the top page", 0xFFFFF000 };
	out[n++] = (struct badptr){ "the last byte (wraps)", 0xFFFFFFFF };
	out[n++] = (struct badptr){ "an unmapped page", 0x00001000 };
	if (half) {
		out[n++] = (struct badptr){ "straddling 0xFC000000",
					    XENO_HYPERVISOR_VIRT_START - half };
		out[n++] = (struct badptr){ "straddling an unmapped page",
					    (uint32_t)zoo.hole + PAGE_SIZE - half };
	}
	return n;
}

unsigned int bad_outputs(uint32_t len, struct badptr *out)
{
	unsigned int n = bad_inputs(len, out);

	out[n++] = (struct badptr){ "a read-only page", (uint32_t)zoo.ro };
	if (len / 2)
		out[n++] = (struct badptr){ "straddling into a read-only page",
					    (uint32_t)zoo.ro - len / 2 };
	return n;
}
