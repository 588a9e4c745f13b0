/* SPDX-License-Identifier: MIT */
/*
 * The console layer (console.c): one serial line and one log ring that the
 * hypervisor, Domain0 and every other domain share.  It alone decides where
 * lines start, so that every byte an unprivileged domain writes ends up on a
 * line that begins with its "(dN) " prefix, and it alone decides when bytes
 * reach the UART, so that no domain's output makes the hypervisor wait.
 * The line buffer, the sanitising and the output budget of a domain are
 * pure functions (console_line.c, host-tested).
 * Debug keys (keyhandler.c) arrive through it too.
 */
#ifndef XENO_CONSOLE_H
#define XENO_CONSOLE_H

#include <types.h>

void console_init(void);
void console_flush(void);
size_t console_read_log(char *buf, size_t size, size_t *pos);
void console_init_input(void);
size_t console_input_read(char *buf, size_t size);
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);

/* keyhandler.c: run debug key 'key'; false if the key means nothing. */
bool debug_key(unsigned int key);

#define CONSOLE_LINE_MAX	128	/* a longer line is printed in pieces */
#define CONSOLE_CREDIT_BURST	8192	/* bytes a quiet domain may print at once */
#define CONSOLE_CREDIT_RATE	4096	/* bytes per second it may print after that */
#define CONSOLE_CREDIT_RESUME	(CONSOLE_CREDIT_BURST / 4)	/* credit a muted one needs */

/* A token bucket of console bytes (console_line.c). */
struct console_credit {
	uint32_t bytes;			/* what may be printed now */
	uint64_t time;			/* system time (ns) last topped up; 0 = new */
	bool muted;			/* ran out; prints again at CREDIT_RESUME */
};

/*
 * An unprivileged domain's console state, in its struct domain: written and
 * read by console.c only (Domain0's output is not buffered).  Its own lines
 * and the hypervisor's messages about it (gprintk) have a bucket each, so
 * that a guest provoking messages does not silence itself, nor the reverse.
 */
struct console_line {
	char buf[CONSOLE_LINE_MAX];	/* its line so far, sanitised, no '\n' */
	uint32_t len;			/* bytes in buf */
	uint64_t since;			/* system time (ns) buf[0] came: the timeout */
	struct console_credit own;	/* for its lines */
	struct console_credit msgs;	/* for gprintk messages about it */
	uint32_t dropped;		/* bytes it wrote, dropped */
	uint32_t unreported;		/* ... of which the console has not said so yet */
	uint32_t suppressed;		/* hypervisor messages about it dropped */
};

/* ---- pure (console_line.c) ---- */

/* What a domain's byte becomes on the console: itself, '?', or -1 (none). */
int console_sanitise(char c);
/*
 * Add a byte a domain wrote (now = system time) to its line, sanitised.
 * True when the line is ready to print: a newline ended it (the newline is
 * not stored) or it is full.  The caller prints buf[0..len) and sets len 0.
 */
bool console_line_add(struct console_line *l, char c, uint64_t now);
/*
 * Take n bytes of output credit at time now; false (nothing taken) if it
 * is short, or muted (it ran short before and has not recovered).
 */
bool console_credit_take(struct console_credit *c, uint32_t n, uint64_t now);

/* ---- console.c ---- */

struct domain;
/* console_io WRITE: Domain0's bytes as they are, others' line by line. */
void console_guest_write(struct domain *d, const char *s, size_t n);
/*
 * Print d's partial line now (it crashed, shut down or is being destroyed),
 * and say how much of its output was dropped if the console has not yet.
 */
void console_domain_flush(struct domain *d);
/*
 * printk for messages a guest can cause at will (a refused page table, a
 * refused write): charged to the current unprivileged domain's output
 * budget, and dropped (counted) when it is spent.
 */
void gprintk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
