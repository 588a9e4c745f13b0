/* SPDX-License-Identifier: MIT */
/*
 * crash: a domain that does what no kernel survives is stopped, and only
 * that domain: Domain0 is told (VIRQ_DOM_EXC), sees it crashed in
 * getdomaininfo, keeps running, and gets every frame back on destroy.
 *
 * Containment is the point of a hypervisor.  The crashes here are the ones
 * Domain0 cannot try on itself (its crash ends the machine): an exception
 * with no handler registered, a trap whose frame cannot be written (the
 * kernel stack points at unmapped memory), an iret hypercall to a ring-0
 * frame, a software interrupt with no handler at all, and a voluntary
 * shutdown with the crash reason.  Each must leave the hypervisor's log
 * naming the reason, and leave nothing behind.
 */
#include <guest.h>

const char test_title[] = "crash: a crashing domain is contained";

#define MS		1000000ull
#define KB		4096
#define STEP_KB		64

static volatile unsigned int dom_exc;

static void on_dom_exc(unsigned int port)
{
	(void)port;
	dom_exc++;
}

struct crash_case {
	const char *role;
	const char *log;	/* what the hypervisor must have said */
};

static void crash_one(const struct crash_case *c)
{
	struct xeno_dom0_getdomaininfo i;
	uint32_t log = console_log_end(), before = dom_exc;
	char needle[80];
	long id = domain_create_initrd(c->role, KB);

	if (id <= 0) {
		xtf_failure("%s: cannot create the domain (%ld)", c->role, id);
		return;
	}
	EXPECT_EQ(domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, (uint32_t)id), 0);
	if (!domain_wait_shutdown((uint32_t)id, 5000 * MS)) {
		xtf_failure("%s: domain %ld still running", c->role, id);
		domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)id);
		return;
	}
	EXPECT_EQ(domain_info((uint32_t)id, &i), 0);
	CHECK((i.flags & (XENO_DOMINFO_SHUTDOWN | XENO_DOMINFO_CRASHED)) ==
	      (XENO_DOMINFO_SHUTDOWN | XENO_DOMINFO_CRASHED) &&
	      i.shutdown_reason == XENO_SHUTDOWN_crash,
	      "%s: flags %#x, reason %u", c->role, i.flags, i.shutdown_reason);
	CHECK(dom_exc == before + 1, "%s: %u VIRQ_DOM_EXC", c->role, dom_exc - before);
	snprintf(needle, sizeof(needle), c->log, (unsigned int)id);
	CHECK(console_log_line(log, needle, NULL, 0), "%s: no '%s' in the log", c->role, needle);
	CHECK(domain_verdict((uint32_t)id, log) < 0, "%s: the domain went on to a verdict",
	      c->role);
	EXPECT_EQ(domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)id), 0);
	EXPECT_EQ(domain_info((uint32_t)id, &i), -XENO_ESRCH);
	printf("%s: contained\n", c->role);
}

void test_main(void)
{
	static const struct crash_case cases[] = {
		{ "crash", "(xeno) *** domain %u crashed: unhandled invalid opcode" },
		{ "crash-stack", "(xeno) *** domain %u crashed: cannot write a frame" },
		{ "crash-iret", "(xeno) *** domain %u crashed: bad iret frame" },
		{ "crash-int", "(xeno) *** domain %u crashed: unhandled general protection" },
		{ "crash-shutdown", "(xeno) domain %u shut down: crash" },
	};
	uint32_t before, after;

	if (!need_partner_image())
		return;
	if (bind_virq(XENO_VIRQ_DOM_EXC, on_dom_exc) < 0)
		xtf_error("bind VIRQ_DOM_EXC");
	local_irq_enable();
	before = domain_largest_kb(STEP_KB);
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++)
		crash_one(&cases[i]);
	after = domain_largest_kb(STEP_KB);
	CHECK(after == before, "crashed domains leaked memory: the largest domain that fits "
	      "went from %u KiB to %u KiB", before, after);
	xtf_success(NULL);
}
