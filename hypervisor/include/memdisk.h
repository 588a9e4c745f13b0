/* SPDX-License-Identifier: MIT */
/* RAM disks from multiboot modules (memdisk.c). */
#ifndef XENO_MEMDISK_H
#define XENO_MEMDISK_H

#include <boot.h>

bool memdisk_is_module(const struct boot_module *mod);
void memdisk_add(const struct boot_module *mod);

#endif
