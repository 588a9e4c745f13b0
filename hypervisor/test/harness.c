/* SPDX-License-Identifier: MIT */
/* Host stand-ins for the hypervisor's console and panic path. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

int test_passed, test_failed;
bool test_expect_panic;
jmp_buf test_panic_jmp;
char test_panic_msg[256];

void printk(const char *fmt, ...);
void printk(const char *fmt, ...)
{
	va_list ap;

	if (!getenv("TEST_VERBOSE"))
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* Messages a guest can cause (console.c charges them to the guest). */
void gprintk(const char *fmt, ...);
void gprintk(const char *fmt, ...)
{
	va_list ap;

	if (!getenv("TEST_VERBOSE"))
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...) __attribute__((noreturn));
void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(test_panic_msg, sizeof(test_panic_msg), fmt, ap);
	va_end(ap);
	if (test_expect_panic)
		longjmp(test_panic_jmp, 1);
	printf("unexpected panic: %s\n", test_panic_msg);
	abort();
}

int test_report(const char *suite)
{
	printf("%s: %d passed, %d failed\n", suite, test_passed, test_failed);
	printf("%d passed, %d failed\n", test_passed, test_failed);
	return test_failed ? 1 : 0;
}
