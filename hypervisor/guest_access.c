/* SPDX-License-Identifier: MIT */
/*
 * Copies to and from guest virtual memory.  The copy is one "rep movsb"
 * whose fault fix-up (see traps.c) resumes just after it, leaving in ECX the
 * bytes not copied; so a fault anywhere in the range ends the copy cleanly.
 * A copy to the guest first checks that every page of the buffer can be
 * written, so a refused output is not written at all, not even in part.
 */
#include <errno.h>
#include <guest_access.h>
#include <page.h>

extern const struct extable_entry __start_ex_table[], __stop_ex_table[];

unsigned long raw_copy(void *dst, const void *src, unsigned long n)
{
	/* "memory": the copy reads and writes memory the compiler cannot see. */
	asm volatile("1: rep movsb\n"
		     "2:\n"
		     ".pushsection .ex_table, \"a\"\n"
		     ".long 1b, 2b\n"
		     ".popsection"
		     : "+c"(n), "+D"(dst), "+S"(src) : : "memory");
	return n;
}

unsigned long raw_clear(void *dst, unsigned long n)
{
	asm volatile("1: rep stosb\n"
		     "2:\n"
		     ".pushsection .ex_table, \"a\"\n"
		     ".long 1b, 2b\n"
		     ".popsection"
		     : "+c"(n), "+D"(dst) : "a"(0) : "memory");
	return n;
}

int copy_from_guest(void *dst, uint32_t src_va, uint32_t len)
{
	if (!guest_range_ok(src_va, len))
		return -EFAULT;
	return raw_copy(dst, (const void *)src_va, len) ? -EFAULT : 0;
}

/* Can the byte at va be written?  A locked "or $0" writes it unchanged. */
static bool byte_writable(uint32_t va)
{
	uint32_t failed = 1;

	asm volatile("1: lock orb $0, (%1)\n"
		     "   xor %0, %0\n"
		     "2:\n"
		     ".pushsection .ex_table, \"a\"\n"
		     ".long 1b, 2b\n"
		     ".popsection"
		     : "+r"(failed) : "r"(va) : "memory", "cc");
	return !failed;
}

/* Every page of [va, va + len) writable?  (The range is below the hypervisor.) */
static bool range_writable(uint32_t va, uint32_t len)
{
	uint32_t last = va + len - 1;

	for (uint32_t p = va; len; p = (p | (PAGE_SIZE - 1)) + 1) {
		if (!byte_writable(p))
			return false;
		if ((p | (PAGE_SIZE - 1)) >= last)
			break;
	}
	return true;
}

int copy_to_guest(uint32_t dst_va, const void *src, uint32_t len)
{
	if (!guest_range_ok(dst_va, len) || !range_writable(dst_va, len))
		return -EFAULT;
	return raw_copy((void *)dst_va, src, len) ? -EFAULT : 0;
}

int clear_guest(uint32_t dst_va, uint32_t len)
{
	if (!guest_range_ok(dst_va, len))
		return -EFAULT;
	return raw_clear((void *)dst_va, len) ? -EFAULT : 0;
}

/* The fix-up address for a faulting instruction, or 0 if it has none. */
uint32_t search_extable(uint32_t eip)
{
	for (const struct extable_entry *e = __start_ex_table; e < __stop_ex_table; e++)
		if (e->insn == eip)
			return e->fixup;
	return 0;
}
