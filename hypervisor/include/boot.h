/* SPDX-License-Identifier: MIT */
/*
 * What the hypervisor keeps of the bootloader's hand-over: the usable RAM
 * ranges, the modules and the command lines, copied out of the multiboot
 * structures (which live in memory we are about to reuse).
 */
#ifndef XENO_BOOT_H
#define XENO_BOOT_H

#include <multiboot.h>
#include <types.h>

#define BOOT_MAX_RANGES		32
#define BOOT_MAX_MODULES	8
#define BOOT_CMDLINE_MAX	256

struct boot_range {
	uint64_t start, end;		/* machine addresses, end exclusive */
};

struct boot_module {
	uint32_t start, end;		/* machine addresses, end exclusive */
	char cmdline[BOOT_CMDLINE_MAX];
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	char loader[64];
	unsigned int nr_ranges;
	struct boot_range ram[BOOT_MAX_RANGES];
	unsigned int nr_modules;
	struct boot_module module[BOOT_MAX_MODULES];
};

/*
 * Reads a multiboot structure through 'map', which turns a machine address
 * and length into a pointer (or NULL if it cannot be reached).  Returns 0, or
 * a negative errno with a reason in *why.
 */
typedef const void *(*boot_map_fn)(uint32_t maddr, uint32_t len);
int boot_parse_multiboot(uint32_t magic, const struct mb_info *mbi, boot_map_fn map,
			 struct boot_info *bi, const char **why);

/* Boot options from the hypervisor's command line. */
const char *boot_option(const struct boot_info *bi, const char *name);
bool boot_value_is(const char *v, const char *want);
bool boot_option_size(const struct boot_info *bi, const char *name, uint64_t *bytes,
		      const char **why);

extern struct boot_info boot_info;

#endif
