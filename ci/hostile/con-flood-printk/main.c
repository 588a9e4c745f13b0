/* SPDX-License-Identifier: MIT */
/*
 * con-flood-printk: make the hypervisor print for us: multicalls of 256
 * refused set_gdt calls (a frame whose first descriptor is DPL-0 code:
 * "mm: dN: descriptor page ... refused" each), for as long as the control
 * runs; the supervisor measures how long it cannot run meanwhile.
 *
 * Rule (abi.md 2.4, 7.3): hypervisor messages a guest can provoke at will
 * are charged to that guest's console budget and dropped (counted) beyond
 * it, and never make the hypervisor wait for the serial line; Domain0's
 * longest wait for the CPU stays near the control's.
 * Why it matters: a rate limit on a domain's own output is no limit if the
 * domain can make the hypervisor print for it, with interrupts off.
 */
#include <con.h>
#include <seg.h>

const char test_title[] = "con-flood-printk: floods of hypervisor messages about us";

static struct xeno_multicall_entry mc[XENO_MULTICALL_MAX];
static uint32_t frame;

static void attack(void)
{
	struct desc *page = dtab_page();
	unsigned int rounds = 0;

	page[0] = mkdesc(0, 0xfffff, T_CODE_RX, 0, SEG32);	/* refused: ring 0 */
	EXPECT_EQ(page_set_ro(page, true), 0);
	frame = virt_to_mfn(page);
	EXPECT_EQ(HYPERCALL2(set_gdt, &frame, 512), -XENO_EINVAL);
	for (unsigned int i = 0; i < XENO_MULTICALL_MAX; i++)
		mc[i] = (struct xeno_multicall_entry){ __HYPERVISOR_set_gdt, -1,
			{ (uint32_t)&frame, 512 } };
	do {
		EXPECT_EQ(HYPERCALL2(multicall, mc, XENO_MULTICALL_MAX), XENO_MULTICALL_MAX);
		for (unsigned int i = 0; i < XENO_MULTICALL_MAX; i++)
			EXPECT_EQ(mc[i].result, -XENO_EINVAL);
		rounds++;
	} while (!hostile_time_up());
	console_recover();
	printf("%u multicalls of %u refused set_gdt\n", rounds, XENO_MULTICALL_MAX);
}

const struct hostile hostile = { .where = IN_DOMU, .flags = H_STRETCH, .attack = attack };
