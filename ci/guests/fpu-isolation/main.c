/* SPDX-License-Identifier: MIT */
/*
 * fpu-isolation: a vCPU's first FPU use must find a clean FPU, never the
 * registers of the domain that used it last, even when that domain has
 * been destroyed meanwhile.
 *
 * With lazy switching, the hardware registers still hold the previous
 * owner's values when another vCPU first touches the FPU.  A vCPU that has
 * never used the FPU must get a fully clean state (FNINIT control and
 * status words, default MXCSR, and zeroed x87 and XMM registers), or one
 * domain reads another's data (keys, say) through fxsave.  And when the
 * owner is destroyed, the hypervisor must forget it as the owner: else the
 * next #NM saves into freed memory, or a new domain whose vCPU lands at the
 * same address is taken for the owner and given the dead domain's state.
 * Domain0 checks its own first use after a partner filled the FPU; a fresh
 * partner checks its first use after its predecessor was destroyed while
 * owning the FPU.
 */
#include <guest.h>

const char test_title[] = "fpu-isolation: no FPU state crosses domains";

#define MS		1000000ull
#define KB		4096

/* A partner that loads its FPU pattern and sleeps; wait until it sleeps. */
static long fill_and_sleep(const char *cmd)
{
	long id = domain_create_initrd(cmd, KB);
	struct xeno_dom0_getdomaininfo i;
	uint64_t end = now_ns() + 5000 * MS;

	if (id <= 0)
		return id;
	domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, (uint32_t)id);
	do {
		sleep_ns(MS);
		if (domain_info((uint32_t)id, &i))
			return -1;
	} while (!(i.flags & XENO_DOMINFO_BLOCKED) && now_ns() < end);
	return (i.flags & XENO_DOMINFO_BLOCKED) ? id : -1;
}

void test_main(void)
{
	uint32_t log;
	const char *why;
	long a, b, c;

	if (!need_partner_image())
		return;
	/* Domain0 has not touched the FPU yet; the partner owns it next. */
	a = fill_and_sleep("fpu-secret 7");
	if (a <= 0) {
		xtf_error("the first partner did not get going");
		return;
	}
	why = fpu_check_clean();
	CHECK(!why, "Domain0's first FPU use after another domain's: %s", why);

	/* The owner dies while owning the FPU; a new domain starts. */
	b = fill_and_sleep("fpu-secret 9");
	if (b <= 0) {
		xtf_error("the second partner did not get going");
		return;
	}
	EXPECT_EQ(domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)b), 0);
	c = domain_start_initrd("fpu-fresh", KB, &log);
	if (c <= 0) {
		xtf_error("cannot create the third partner (%ld)", c);
		return;
	}
	CHECK(domain_finish((uint32_t)c, log, 5000 * MS, "the fresh partner") == 0,
	      "a new domain's first FPU use after the owner was destroyed did not find a clean "
	      "FPU (see its line)");
	EXPECT_EQ(domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)a), 0);
	xtf_success(NULL);
}
