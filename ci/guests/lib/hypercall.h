/* SPDX-License-Identifier: MIT */
/*
 * Hypercall wrappers for test guests: a call into the hypercall page that
 * the builder filled (stub n at hypercall_page + n * 32), arguments in EBX,
 * ECX, EDX, ESI, EDI, result in EAX.  raw_hypercallN() uses "int $0x82"
 * directly, for tests of the gate itself.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <public/xeno.h>

extern char hypercall_page[];

/* The generic form: any number, up to five arguments, through the page. */
static inline long hypercall(unsigned int nr, uint32_t a1, uint32_t a2, uint32_t a3,
			     uint32_t a4, uint32_t a5)
{
	long r;
	register uint32_t b asm("ebx") = a1;
	register uint32_t c asm("ecx") = a2;
	register uint32_t d asm("edx") = a3;
	register uint32_t si asm("esi") = a4;
	register uint32_t di asm("edi") = a5;
	void *stub = hypercall_page + nr * XENO_HYPERCALL_STUB_SIZE;

	/* "memory": the hypervisor reads and writes guest memory behind C's back. */
	asm volatile("call *%[stub]"
		     : "=a"(r), "+r"(b), "+r"(c), "+r"(d), "+r"(si), "+r"(di)
		     : [stub] "m"(stub) : "memory");
	return r;
}

/* The same through "int $0x82", bypassing the page. */
static inline long raw_hypercall(unsigned int nr, uint32_t a1, uint32_t a2, uint32_t a3,
				 uint32_t a4, uint32_t a5)
{
	long r = nr;
	register uint32_t b asm("ebx") = a1;
	register uint32_t c asm("ecx") = a2;
	register uint32_t d asm("edx") = a3;
	register uint32_t si asm("esi") = a4;
	register uint32_t di asm("edi") = a5;

	asm volatile("int $0x82"
		     : "+a"(r), "+r"(b), "+r"(c), "+r"(d), "+r"(si), "+r"(di) : : "memory");
	return r;
}

#define HYPERCALL0(name)		hypercall(__HYPERVISOR_##name, 0, 0, 0, 0, 0)
#define HYPERCALL1(name, a)		hypercall(__HYPERVISOR_##name, (uint32_t)(a), 0, 0, 0, 0)
#define HYPERCALL2(name, a, b)		hypercall(__HYPERVISOR_##name, (uint32_t)(a), \
						  (uint32_t)(b), 0, 0, 0)
#define HYPERCALL3(name, a, b, c)	hypercall(__HYPERVISOR_##name, (uint32_t)(a), \
						  (uint32_t)(b), (uint32_t)(c), 0, 0)
#define HYPERCALL4(name, a, b, c, d)	hypercall(__HYPERVISOR_##name, (uint32_t)(a), \
						  (uint32_t)(b), (uint32_t)(c), (uint32_t)(d), 0)

#endif
