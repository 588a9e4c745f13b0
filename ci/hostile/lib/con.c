/* SPDX-License-Identifier: MIT */
/* Building blocks for the console attacks (con.h). */
#include "con.h"
#include "pt.h"

#define RECOVER_NS	1000000000ull	/* the rate limit and the backlog recover by then */

static struct xeno_multicall_entry flood_mc[XENO_MULTICALL_MAX];

unsigned int console_flood(const char *buf, uint32_t len, unsigned int calls)
{
	unsigned int rounds = 0;

	for (unsigned int i = 0; i < calls; i++)
		flood_mc[i] = (struct xeno_multicall_entry){ __HYPERVISOR_console_io, -1,
			{ XENO_CONSOLEIO_WRITE, len, (uint32_t)buf } };
	do {
		EXPECT_EQ(HYPERCALL2(multicall, flood_mc, calls), calls);
		for (unsigned int i = 0; i < calls; i++)
			EXPECT_EQ(flood_mc[i].result, len);
		rounds++;
	} while (!hostile_time_up());
	console_recover();
	printf("%u multicalls of %u writes of %u bytes\n", rounds, calls, len);
	return rounds;
}

void console_recover(void)
{
	uint64_t end = now_ns() + RECOVER_NS;

	while (now_ns() < end)	/* a timer event left pending ends a sleep early */
		sleep_ns(end - now_ns());
}

struct xeno_mmuext_op provoke_op;

long provoke_printk(void)
{
	if (!provoke_op.arg1) {
		uint32_t *l1 = alloc_page();

		l1[0] = PTE_P | PTE_G;	/* refused: no global bit in guest entries */
		if (set_rw(l1, false))
			xtf_error("cannot map a page read-only");
		provoke_op = (struct xeno_mmuext_op){ XENO_MMUEXT_PIN_L1_TABLE, virt_to_mfn(l1), 0 };
	}
	return HYPERCALL4(mmuext_op, &provoke_op, 1, NULL, XENO_DOMID_SELF);
}

long con_write_n(const char *s, uint32_t n)
{
	return HYPERCALL3(console_io, XENO_CONSOLEIO_WRITE, n, s);
}

long con_write(const char *s)
{
	return con_write_n(s, strlen(s));
}
