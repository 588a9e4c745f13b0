/* SPDX-License-Identifier: MIT */
/* Multiboot v1: the header we carry and the information the loader hands us. */
#ifndef XENO_MULTIBOOT_H
#define XENO_MULTIBOOT_H

#define MB_HEADER_MAGIC		0x1BADB002
#define MB_HEADER_PAGE_ALIGN	0x00000001	/* modules on page boundaries */
#define MB_HEADER_MEMORY_INFO	0x00000002	/* we want the memory map */
#define MB_HEADER_FLAGS		(MB_HEADER_PAGE_ALIGN | MB_HEADER_MEMORY_INFO)
#define MB_BOOTLOADER_MAGIC	0x2BADB002

#define MBI_FLAG_MEM		(1u << 0)
#define MBI_FLAG_CMDLINE	(1u << 2)
#define MBI_FLAG_MODS		(1u << 3)
#define MBI_FLAG_MMAP		(1u << 6)
#define MBI_FLAG_LOADER_NAME	(1u << 9)

#define MB_MMAP_AVAILABLE	1

#ifndef __ASSEMBLY__
#include <types.h>

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;	/* KiB */
	uint32_t boot_device;
	uint32_t cmdline;		/* machine address of a C string */
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
};

struct mb_module {
	uint32_t mod_start, mod_end;	/* machine addresses, end exclusive */
	uint32_t string;		/* the module's command line */
	uint32_t reserved;
};

/* Each entry is preceded by its size (which excludes the size field). */
struct mb_mmap_entry {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __packed;
#endif

#endif
