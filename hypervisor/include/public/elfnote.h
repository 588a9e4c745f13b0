/* SPDX-License-Identifier: MIT */
/*
 * The ELF note a Xeno guest kernel carries (in a PT_NOTE segment, note name
 * "Xeno").  Each descriptor is a 32-bit little-endian value unless noted.
 */
#ifndef XENO_PUBLIC_ELFNOTE_H
#define XENO_PUBLIC_ELFNOTE_H

#define XENO_ELFNOTE_NAME		"Xeno"
#define XENO_ELFNOTE_GUEST_OS		1	/* string, e.g. "linux" */
#define XENO_ELFNOTE_VIRT_BASE		2	/* virtual address of pseudo-physical 0 */
#define XENO_ELFNOTE_ENTRY		3	/* virtual entry point (overrides e_entry) */
#define XENO_ELFNOTE_HYPERCALL_PAGE	4	/* virtual address of a page to fill */
#define XENO_ELFNOTE_INTERFACE		5	/* XENO_INTERFACE_VERSION built against */

#endif
