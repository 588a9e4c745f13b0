/* SPDX-License-Identifier: MIT */
/*
 * Segment descriptors for test guests (see descriptor.h): descriptor pages
 * as the GDT or LDT, lsl/lar, and probes through a selector.  The probes run
 * in ring 1 or in ring 3 (ring3_call2() makes the whole image
 * user-accessible, so ring-3 code may call them and use globals).
 */
#include "descriptor.h"

/* ---- descriptor tables ---- */

struct desc *dtab_page(void)
{
	return alloc_page();
}

struct desc *dtab_fill(unsigned int n, struct desc d)
{
	struct desc *first = NULL;

	for (unsigned int i = 0; i < n; i++) {
		struct desc *page = alloc_page();

		if (!first)
			first = page;
		if (page != first + i * (PAGE_SIZE / sizeof(d)))
			xtf_error("descriptor pages are not consecutive");
		for (unsigned int j = 0; j < PAGE_SIZE / sizeof(d); j++)
			page[j] = d;
		if (page_set_ro(page, true))
			xtf_error("cannot map a descriptor page read-only");
	}
	return first;
}

long set_gdt1(uint32_t mfn, uint32_t entries)
{
	return HYPERCALL2(set_gdt, &mfn, entries);
}

long set_ldt(uint32_t va, uint32_t entries)
{
	return mmuext1(XENO_MMUEXT_SET_LDT, va, entries);
}

long gdt_load(struct desc *page, uint32_t ents)
{
	long rc = page_set_ro(page, true);

	return rc ? rc : set_gdt1(virt_to_mfn(page), ents);
}

long ldt_load(struct desc *page, uint32_t ents)
{
	long rc = page_set_ro(page, true);

	return rc ? rc : set_ldt((uint32_t)page, ents);
}

long gdt_unload(struct desc *page)
{
	long rc = set_gdt1(0, 0);

	return rc ? rc : page_set_ro(page, false);
}

long ldt_unload(struct desc *page)
{
	long rc = set_ldt(0, 0);

	return rc ? rc : page_set_ro(page, false);
}

long desc_set(struct desc *page, unsigned int idx, struct desc d)
{
	return HYPERCALL3(update_descriptor, virt_to_maddr(&page[idx]), d.lo, d.hi);
}

uint32_t lsl(uint32_t sel)
{
	uint32_t limit = ~0u;

	asm volatile("lsl %1, %0" : "+r"(limit) : "r"(sel) : "cc");
	return limit;
}

uint32_t lar(uint32_t sel)
{
	uint32_t ar = ~0u;

	asm volatile("lar %1, %0" : "+r"(ar) : "r"(sel) : "cc");
	return ar;
}

/* ---- probes ---- */

uint32_t fs_read_value;

static uint32_t flat_ds(void)
{
	return cur_ring() == 3 ? XENO_FLAT_RING3_DS : XENO_FLAT_RING1_DS;
}

uint32_t sreg_load(uint32_t which, uint32_t sel)
{
	uint32_t ex = 0, flat = flat_ds();

	/* Fixed registers: the fix-up writes EAX, the restore must not use it. */
	if (which == SR_DS)
		asm volatile("1: mov %%ecx, %%ds\n2: mov %%edx, %%ds\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex) : "c"(sel), "d"(flat) : "memory");
	else if (which == SR_ES)
		asm volatile("1: mov %%ecx, %%es\n2: mov %%edx, %%es\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex) : "c"(sel), "d"(flat) : "memory");
	else if (which == SR_FS)
		asm volatile("1: mov %%ecx, %%fs\n2: mov %%edx, %%fs\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex) : "c"(sel), "d"(0) : "memory");
	else if (which == SR_GS)
		asm volatile("1: mov %%ecx, %%gs\n2: mov %%edx, %%gs\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex) : "c"(sel), "d"(0) : "memory");
	else
		asm volatile("1: mov %%ecx, %%ss\n2: mov %%edx, %%ss\n" ASM_EXTABLE(1b, 2b)
			     : "+a"(ex) : "c"(sel), "d"(flat) : "memory");
	return ex;
}

uint32_t fs_read(uint32_t sel, uint32_t off)
{
	uint32_t ex = 0, v = 0;

	asm volatile("1: mov %%ecx, %%fs\n"
		     "2: mov %%fs:(%%edx), %%esi\n"
		     "3: push $0\n pop %%fs\n"
		     ASM_EXTABLE(1b, 3b) ASM_EXTABLE(2b, 3b)
		     : "+a"(ex), "+S"(v) : "c"(sel), "d"(off) : "memory");
	fs_read_value = v;
	return ex;
}

uint32_t fs_read_check(uint32_t sel, const uint32_t *p)
{
	uint32_t ex = fs_read(sel, (uint32_t)p);

	return ex ? ex : fs_read_value != *p;
}

uint32_t fs_write(uint32_t sel, uint32_t off)
{
	uint32_t ex = 0;

	asm volatile("1: mov %%ecx, %%fs\n"
		     "2: movl $0x5eed0bad, %%fs:(%%edx)\n"
		     "3: push $0\n pop %%fs\n"
		     ASM_EXTABLE(1b, 3b) ASM_EXTABLE(2b, 3b)
		     : "+a"(ex) : "c"(sel), "d"(off) : "memory");
	return ex;
}

/*
 * far_call(sel, off): lcall through a far pointer on the stack; a fault of
 * the lcall itself comes back as exinfo.  far_jmp(sel, off): ljmp; the
 * target far_jmp_back jumps back to the caller's CS.
 */
uint32_t far_jmp_cs;
asm(".text\n"
    ".globl far_call, far_ret_here, far_jmp, far_jmp_back\n"
    "far_call:\n"
    "	mov 4(%esp), %ecx\n	mov 8(%esp), %edx\n"
    "	push %ecx\n	push %edx\n"
    "	xor %eax, %eax\n"
    "1:	lcall *(%esp)\n"
    "2:	add $8, %esp\n"
    "	ret\n"
    "far_ret_here:\n"
    "	lret\n"
    "far_jmp:\n"
    "	mov 4(%esp), %ecx\n	mov 8(%esp), %edx\n"
    "	push %ecx\n	push %edx\n"
    "	mov %cs, %ecx\n	mov %ecx, far_jmp_cs\n"
    "	xor %eax, %eax\n"
    "3:	ljmp *(%esp)\n"
    "4:	add $8, %esp\n"
    "	ret\n"
    "far_jmp_back:\n"
    "	pushl far_jmp_cs\n	push $4b\n	lret\n"
    ASM_EXTABLE(1b, 2b) ASM_EXTABLE(3b, 4b));
