/* SPDX-License-Identifier: MIT */
/*
 * Host unit-test harness: the real hypervisor sources compile against this
 * (-include harness.h).  It supplies printk and panic, and table-friendly
 * checks that count cases; main() ends with "N passed, N failed".
 */
#ifndef XENO_TEST_HARNESS_H
#define XENO_TEST_HARNESS_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>

extern int test_passed, test_failed;
extern bool test_expect_panic;
extern jmp_buf test_panic_jmp;
extern char test_panic_msg[256];

#define CHECK(cond, ...)						\
	do {								\
		if (cond) {						\
			test_passed++;					\
		} else {						\
			test_failed++;					\
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	} while (0)

#define CHECK_EQ(a, b, what)						\
	do {								\
		long long _a = (long long)(a), _b = (long long)(b);	\
		CHECK(_a == _b, "%s: got %lld (%#llx), want %lld (%#llx)", what, \
		      _a, (unsigned long long)_a, _b, (unsigned long long)_b); \
	} while (0)

/* Run 'stmt' expecting it to panic; true if it did. */
#define EXPECT_PANIC(stmt)						\
	({								\
		bool _p = false;					\
		test_expect_panic = true;				\
		if (setjmp(test_panic_jmp) == 0) {			\
			stmt;						\
		} else {						\
			_p = true;					\
		}							\
		test_expect_panic = false;				\
		_p;							\
	})

int test_report(const char *suite);

#endif
