/* SPDX-License-Identifier: MIT */
/* Freestanding C library subset, console output, and the panic path. */
#ifndef XENO_LIB_H
#define XENO_LIB_H

#include <types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);
unsigned long simple_strtoul(const char *s, const char **end, int base);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Console: COM1 polled, plus an in-memory log ring for Domain0 to read. */
void console_init(void);
void console_write(const char *s, size_t len);
void console_flush(void);
size_t console_read_log(char *buf, size_t size, size_t *pos);
void console_init_input(void);
size_t console_input_read(char *buf, size_t size);
bool debug_key(unsigned int key);	/* false if the key means nothing */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);

/* End the machine.  Under QEMU the isa-debug-exit device turns the code
 * into QEMU's exit status; elsewhere the CPU halts forever. */
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

/* Debug builds log where each error return came from. */
#ifdef XENO_DEBUG
#define trace_error(e)	({ int __e = (e); printk("error %d at %s:%d\n", __e, __FILE__, __LINE__); __e; })
#else
#define trace_error(e)	(e)
#endif

#endif
