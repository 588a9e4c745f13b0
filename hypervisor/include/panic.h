/* SPDX-License-Identifier: MIT */
/*
 * The machine's end (panic.c): panic() for the hypervisor's own broken
 * invariants, machine_exit() and machine_reboot().  A guest's misdeeds never
 * come here: they end in domain_crash() (domain.c).
 */
#ifndef XENO_PANIC_H
#define XENO_PANIC_H

#include <types.h>

/* Under QEMU the isa-debug-exit device turns the code into QEMU's exit
 * status; elsewhere the CPU halts forever. */
enum machine_exit_code {
	EXIT_PASS = 0x10,	/* QEMU exits with (0x10 << 1) | 1 = 33 */
	EXIT_FAIL = 0x11,	/* QEMU exits with 35 */
	EXIT_ERROR = 0x12,	/* 37: a broken test (Domain0's verdict) */
	EXIT_SKIP = 0x13,	/* 39: a test that could not run */
};
void __noreturn machine_exit(enum machine_exit_code code);
void __noreturn panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void __noreturn machine_reboot(void);

#define BUG_ON(cond)							\
	do {								\
		if (unlikely(cond))					\
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)
#define ASSERT(cond)	BUG_ON(!(cond))

#endif
