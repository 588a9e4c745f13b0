/* SPDX-License-Identifier: MIT */
/*
 * Building blocks for the console attacks (con-*): floods of console_io
 * writes in multicalls, for as long as the control runs (H_STRETCH).
 */
#ifndef HOSTILE_CON_H
#define HOSTILE_CON_H

#include <hostile.h>

/*
 * Write buf[0..len) with 'calls' console_io entries in one multicall, and
 * again, until hostile_time_up(); then wait for the console to print our
 * lines again (console_recover).  Returns the multicalls made.
 */
unsigned int console_flood(const char *buf, uint32_t len, unsigned int calls);
/*
 * After a flood: wait until the console prints our lines again (it drops
 * an unprivileged domain's output beyond its rate), so that our verdict
 * line reaches the supervisor.
 */
void console_recover(void);

/*
 * Make the hypervisor print a line about us (an L1 with a global-bit entry,
 * pinned: refused, "mm: dN: L1 ... refused").  The mmuext_op it uses, for
 * multicalls.  Returns the pin's result (-EINVAL expected).
 */
long provoke_printk(void);
extern struct xeno_mmuext_op provoke_op;
/* console_io WRITE of a string (strlen) or of n bytes. */
long con_write(const char *s);
long con_write_n(const char *s, uint32_t n);

#endif
