/* SPDX-License-Identifier: MIT */
/*
 * The console (console.c): COM1 polled, an in-memory log ring for Domain0
 * to read, and printk.  Debug keys (keyhandler.c) arrive through it.
 */
#ifndef XENO_CONSOLE_H
#define XENO_CONSOLE_H

#include <types.h>

void console_init(void);
void console_write(const char *s, size_t len);
void console_flush(void);
size_t console_read_log(char *buf, size_t size, size_t *pos);
void console_init_input(void);
size_t console_input_read(char *buf, size_t size);
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);

/* keyhandler.c: run debug key 'key'; false if the key means nothing. */
bool debug_key(unsigned int key);

#endif
