/* SPDX-License-Identifier: MIT */
/* The domain builder: a Xeno ELF kernel (+ initrd) into a new domain. */
#ifndef XENO_DOMAIN_BUILD_H
#define XENO_DOMAIN_BUILD_H

#include <domain.h>
#include <elf.h>

/* Where the builder puts things, as guest virtual addresses (see xeno.h). */
struct build_layout {
	uint32_t virt_base, nr_pages;
	uint32_t kernel_start, kernel_end;
	uint32_t initrd_start, initrd_end;
	uint32_t p2m_start, p2m_end;
	uint32_t start_info;
	uint32_t pt_start, nr_pt_frames;	/* L2, then the L1s */
	uint32_t stack_start, stack_end;
	uint32_t boot_end;			/* end of the bootstrap region */
	uint32_t map_end;			/* virt_base + nr_pages pages */
};

int build_layout(const struct elf_info *ei, uint32_t initrd_len, uint32_t nr_pages,
		 struct build_layout *l, const char **why);

struct build_args {
	const struct elf_source *kernel;
	const struct elf_source *initrd;	/* NULL: none */
	const char *cmdline;
	uint32_t nr_pages, max_pages;
};

int domain_build(struct domain *d, const struct build_args *a, const char **why);

#endif
