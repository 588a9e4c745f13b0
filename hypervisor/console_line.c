/* SPDX-License-Identifier: MIT */
/*
 * An unprivileged domain's console line and output budget: pure functions
 * (console.h), used by console.c and tested on the host.
 *
 * Invariants:
 *  - buf holds only bytes console_sanitise() lets through, never '\n': a
 *    domain cannot move the terminal's cursor, clear, recolour or rewrite
 *    a line (no CR, backspace, escape sequences or other control bytes,
 *    no bytes above 0x7e, which include the 8-bit CSI), so whatever it
 *    writes stays on a line that starts with its prefix.
 *  - A bucket never holds more than CONSOLE_CREDIT_BURST and grows by
 *    CONSOLE_CREDIT_RATE bytes per second of system time; a new domain's
 *    (time 0) starts full.  A domain that ran
 *    out stays muted until it has CONSOLE_CREDIT_RESUME again: a flood comes
 *    out as a few long runs of lines, not one line here and there, each run
 *    after the console's note of what was dropped.
 */
#include <console.h>
#include <lib.h>

#define NS_PER_SEC	1000000000ull
#define ASCII_FIRST	0x20		/* ' ' */
#define ASCII_LAST	0x7e		/* '~' */
#define REPLACEMENT	'?'

int console_sanitise(char c)
{
	unsigned char u = (unsigned char)c;

	if (c == '\n' || c == '\t' || (u >= ASCII_FIRST && u <= ASCII_LAST))
		return c;
	if (c == '\r')
		return -1;	/* "\r\n" is a line end; a lone CR would rewrite it */
	return REPLACEMENT;
}

bool console_line_add(struct console_line *l, char c, uint64_t now)
{
	int s = console_sanitise(c);

	if (s < 0)
		return false;
	if (s == '\n')
		return true;
	if (!l->len)
		l->since = now;
	l->buf[l->len++] = (char)s;
	return l->len == CONSOLE_LINE_MAX;
}

/* Top the bucket up for the time since it last was (whole bytes only). */
static void credit_refill(struct console_credit *c, uint64_t now)
{
	const uint64_t fill_ns = CONSOLE_CREDIT_BURST * NS_PER_SEC / CONSOLE_CREDIT_RATE;
	uint64_t dt, earned;

	if (!c->time) {
		c->bytes = CONSOLE_CREDIT_BURST;	/* a new domain */
		c->time = now;
		return;
	}
	if (now < c->time)
		return;		/* a clock that went back earns nothing */
	dt = now - c->time;
	if (dt >= fill_ns) {
		c->bytes = CONSOLE_CREDIT_BURST;
		c->time = now;
		return;
	}
	earned = dt * CONSOLE_CREDIT_RATE / NS_PER_SEC;	/* < 2^43: no overflow */
	c->bytes = (uint32_t)MIN((uint64_t)c->bytes + earned, (uint64_t)CONSOLE_CREDIT_BURST);
	c->time += earned * NS_PER_SEC / CONSOLE_CREDIT_RATE;	/* the fraction stays */
}

bool console_credit_take(struct console_credit *c, uint32_t n, uint64_t now)
{
	credit_refill(c, now);
	if (c->muted && c->bytes < CONSOLE_CREDIT_RESUME)
		return false;
	if (c->bytes < n) {
		c->muted = true;
		return false;
	}
	c->muted = false;
	c->bytes -= n;
	return true;
}
