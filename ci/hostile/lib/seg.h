/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the hostile segment, trap and hypercall-argument tests:
 * descriptors, the guest's own descriptor tables and probes through a
 * selector (the test-guest library's descriptor.h, included here; its
 * event-channel port helpers are in guest.h), and guest pointers of every
 * bad kind.
 */
#ifndef HOSTILE_SEG_H
#define HOSTILE_SEG_H

#include "hostile.h"
#include <descriptor.h>

/* ---- bad guest pointers ---- */

/*
 * Pages for bad pointers, set up once: 'ro' is mapped read-only; the page
 * after 'hole' is not mapped; the page after 'rw' is 'ro'.  Each is filled
 * with ZOO_PATTERN, so a test can tell whether the hypervisor wrote there.
 */
struct ptr_zoo {
	uint8_t *ro, *hole, *rw;
};
#define ZOO_PATTERN	0xA5
extern struct ptr_zoo zoo;
void zoo_init(void);
/* NULL if every zoo page still holds the pattern, else where it does not. */
const char *zoo_changed(void);
void zoo_refill(void);		/* the writable pages get the pattern again */

struct badptr {
	const char *what;
	uint32_t va;
};
/*
 * Addresses at which no hypercall may read 'len' bytes: into the
 * hypervisor, the top of memory, unmapped, straddling 0xFC000000,
 * straddling an unmapped page.  Returns how many (at most BADPTR_MAX).
 */
#define BADPTR_MAX	12
unsigned int bad_inputs(uint32_t len, struct badptr *out);
/* The same plus, for buffers the hypervisor writes: read-only, and
 * straddling from a writable into a read-only page. */
unsigned int bad_outputs(uint32_t len, struct badptr *out);

#endif
