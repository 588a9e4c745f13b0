/* SPDX-License-Identifier: MIT */
/*
 * The only way the hypervisor touches guest virtual memory.  Every access
 * is range-checked against the hypervisor's area and runs with a fault
 * fix-up, so a bad guest pointer costs the guest -EFAULT, never the
 * hypervisor its life.  Addresses are in the current address space.
 */
#ifndef XENO_GUEST_ACCESS_H
#define XENO_GUEST_ACCESS_H

#include <public/xeno.h>
#include <types.h>

static inline bool guest_range_ok(uint32_t va, uint32_t len)
{
	return len <= XENO_HYPERVISOR_VIRT_START && va <= XENO_HYPERVISOR_VIRT_START - len;
}

/* Return 0 or -EFAULT. */
int copy_from_guest(void *dst, uint32_t src_va, uint32_t len);
int copy_to_guest(uint32_t dst_va, const void *src, uint32_t len);
int clear_guest(uint32_t dst_va, uint32_t len);

/* Bytes a raw copy could not move (0 = all done); faults are fixed up. */
unsigned long raw_copy(void *dst, const void *src, unsigned long n);
unsigned long raw_clear(void *dst, unsigned long n);

/* Exception-table: where to resume when an instruction faults. */
struct extable_entry {
	uint32_t insn, fixup;
};
uint32_t search_extable(uint32_t eip);

#endif
