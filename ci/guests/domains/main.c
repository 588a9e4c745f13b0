/* SPDX-License-Identifier: MIT */
/*
 * domains: Domain0's control of other domains through dom0_op: create
 * from an image in its memory, getdomaininfo, pause/unpause, shutdown
 * notification, an interdomain event channel, destroy, and every frame
 * coming back.
 *
 * This is the mechanism all of Domain0's management tools stand on: a new
 * domain must be built paused with exactly the memory, initrd and ceiling
 * asked for, run only while unpaused (its CPU time stops while paused),
 * tell Domain0 when it shuts down (VIRQ_DOM_EXC, with the reason), talk to
 * Domain0 over an event channel, and when destroyed give back every frame
 * it had (measured as the largest domain that can still be built, before
 * and after) and vanish from getdomaininfo.  A new domain must find its
 * memory zeroed even where the previous owner of the frames filled it.  Bad
 * images, bad sizes, and Domain0 itself as a target are refused.  Debug keys
 * raise VIRQ_DEBUG and the console log reads back by offset.
 */
#include <guest.h>

const char test_title[] = "domains: create, info, pause, events, destroy, frames back";

#define MS		1000000ull
#define SMALL_KB	4096
#define STEP_KB		64

static volatile unsigned int dom_exc, from_partner;

static void on_dom_exc(unsigned int port)
{
	(void)port;
	dom_exc++;
}

static void on_partner(unsigned int port)
{
	(void)port;
	from_partner++;
}

static long create(const char *cmd, uint32_t kb)
{
	return domain_create_initrd(cmd, kb);
}

static uint32_t info_flags(uint32_t domid)
{
	struct xeno_dom0_getdomaininfo i;

	return domain_info(domid, &i) ? 0xffffffff : i.flags;
}

static uint64_t cpu_ms(uint32_t domid)
{
	struct xeno_dom0_getdomaininfo i;

	return domain_info(domid, &i) ? 0 : i.cpu_time_ns / MS;
}

static void test_refusals(void)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_CREATEDOMAIN };
	struct xeno_dom0_createdomain *c = &op.u.createdomain;
	struct xeno_dom0_setbvt *b = &op.u.setbvt;
	uint8_t *junk = alloc_page();

	*c = (struct xeno_dom0_createdomain){ (uint32_t)junk, PAGE_SIZE, 0, 0, 0, SMALL_KB, 0, 0 };
	EXPECT_EQ(dom0_op(&op), -XENO_ENOEXEC);			/* not an ELF image */
	*c = (struct xeno_dom0_createdomain){ start_info->mod_start, 65u << 20, 0, 0, 0, SMALL_KB,
					      0, 0 };
	EXPECT_EQ(dom0_op(&op), -XENO_E2BIG);
	c->kernel_len = start_info->mod_len;
	c->mem_kb = 64;
	EXPECT_EQ(dom0_op(&op), -XENO_ENOMEM);			/* too small to boot */
	c->mem_kb = SMALL_KB;
	c->cmdline_va = XENO_HYPERVISOR_VIRT_START;
	EXPECT_EQ(dom0_op(&op), -XENO_EFAULT);
	c->cmdline_va = 0;
	c->kernel_va = XENO_HYPERVISOR_VIRT_START;
	CHECK(dom0_op(&op) < 0, "created a domain from hypervisor memory");
	EXPECT_EQ(info_flags(1), 0xffffffff);			/* none left behind */

	for (uint32_t cmd = XENO_DOM0_DESTROYDOMAIN; cmd <= XENO_DOM0_UNPAUSEDOMAIN; cmd++) {
		EXPECT_EQ(domain_ctl(cmd, 0), -XENO_ESRCH);	/* not Domain0 itself */
		EXPECT_EQ(domain_ctl(cmd, 42), -XENO_ESRCH);
	}
	op.cmd = XENO_DOM0_SETBVT;
	*b = (struct xeno_dom0_setbvt){ 42, { 10, 0, 0, 0, 0, 0 } };
	EXPECT_EQ(dom0_op(&op), -XENO_ESRCH);
	*b = (struct xeno_dom0_setbvt){ 0, { 0, 0, 0, 0, 0, 0 } };
	EXPECT_EQ(dom0_op(&op), -XENO_EINVAL);
	b->bvt.mcu_advance = 1001;
	EXPECT_EQ(dom0_op(&op), -XENO_EINVAL);
	b->bvt.mcu_advance = 10;
	b->bvt.warp_enabled = 2;
	EXPECT_EQ(dom0_op(&op), -XENO_EINVAL);
	EXPECT_EQ(info_flags(0), XENO_DOMINFO_RUNNING | XENO_DOMINFO_PRIVILEGED);
}

static void test_exit_and_info(void)
{
	struct xeno_dom0_getdomaininfo i;
	uint32_t log = console_log_end();
	long id = create("exit", SMALL_KB);

	if (id <= 0) {
		xtf_failure("cannot create a domain: %ld", id);
		return;
	}
	EXPECT_EQ(domain_info((uint32_t)id, &i), 0);
	EXPECT_EQ(i.flags, XENO_DOMINFO_PAUSED);
	EXPECT_EQ(i.tot_pages, SMALL_KB / 4);
	EXPECT_EQ(i.max_pages, SMALL_KB / 4);
	EXPECT_EQ(i.cpu_time_ns, 0);
	EXPECT_EQ(i.nr_event_channels, 0);
	EXPECT_EQ(i.bvt.mcu_advance, 10);
	CHECK(!strcmp(i.name, "xeno-test"), "name '%s'", i.name);
	sleep_ns(20 * MS);
	EXPECT_EQ(cpu_ms((uint32_t)id), 0);			/* paused: never ran */

	EXPECT_EQ(domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, (uint32_t)id), 0);
	CHECK(domain_wait_shutdown((uint32_t)id, 5000 * MS), "the domain did not shut down");
	EXPECT_EQ(domain_info((uint32_t)id, &i), 0);
	CHECK((i.flags & XENO_DOMINFO_SHUTDOWN) && !(i.flags & XENO_DOMINFO_CRASHED) &&
	      i.shutdown_reason == XENO_SHUTDOWN_poweroff, "after poweroff: flags %#x reason %u",
	      i.flags, i.shutdown_reason);
	CHECK(dom_exc == 1, "%u VIRQ_DOM_EXC for one shutdown", dom_exc);
	EXPECT_EQ(domain_verdict((uint32_t)id, log), 0);
	EXPECT_EQ(domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)id), 0);
	EXPECT_EQ(info_flags((uint32_t)id), 0xffffffff);
	EXPECT_EQ(domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)id), -XENO_ESRCH);
}

/* An initrd and a balloon ceiling given at creation reach the new domain. */
static void test_initrd(void)
{
	static const char text[] = "an initrd for the partner";
	static const char cmd[] = "initrd an initrd for the partner";
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_CREATEDOMAIN };
	struct xeno_dom0_getdomaininfo i;
	uint32_t log = console_log_end(), id;

	op.u.createdomain = (struct xeno_dom0_createdomain){
		start_info->mod_start, start_info->mod_len, (uint32_t)text, sizeof(text) - 1,
		(uint32_t)cmd, SMALL_KB, 2 * SMALL_KB, 0 };
	if (dom0_op(&op)) {
		xtf_failure("cannot create a domain with an initrd");
		return;
	}
	id = op.u.createdomain.domid;
	EXPECT_EQ(domain_info(id, &i), 0);
	CHECK(i.tot_pages == SMALL_KB / 4 && i.max_pages == 2 * SMALL_KB / 4,
	      "pages %u of at most %u", i.tot_pages, i.max_pages);
	EXPECT_EQ(domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, id), 0);
	CHECK(domain_finish(id, log, 5000 * MS, "the partner") == 0,
	      "the partner's initrd was wrong (see its line)");
}

static void test_pause(void)
{
	long id = create("spin", SMALL_KB);
	uint64_t c0, c1;

	if (id <= 0) {
		xtf_failure("cannot create a spinner: %ld", id);
		return;
	}
	EXPECT_EQ(domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, (uint32_t)id), 0);
	sleep_ns(60 * MS);
	c0 = cpu_ms((uint32_t)id);
	CHECK(c0 >= 20, "a spinner ran only %llu ms of 60", c0);
	EXPECT_EQ(domain_ctl(XENO_DOM0_PAUSEDOMAIN, (uint32_t)id), 0);
	c0 = cpu_ms((uint32_t)id);
	EXPECT_EQ(info_flags((uint32_t)id), XENO_DOMINFO_PAUSED);
	sleep_ns(60 * MS);
	c1 = cpu_ms((uint32_t)id);
	CHECK(c1 == c0, "a paused domain ran: %llu ms then %llu ms", c0, c1);
	EXPECT_EQ(domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, (uint32_t)id), 0);
	sleep_ns(60 * MS);
	CHECK(cpu_ms((uint32_t)id) > c1 + 20, "unpaused, it did not run");
	EXPECT_EQ(domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)id), 0);	/* while running */
	EXPECT_EQ(info_flags((uint32_t)id), 0xffffffff);
}

/* The partner's port offered to us, found by asking about its ports. */
static uint32_t find_offer(uint32_t domid)
{
	uint64_t end = now_ns() + 5000 * MS;

	do {
		for (uint32_t p = 1; p < 8; p++) {
			struct xeno_evtchn_status s = { (uint16_t)domid, 0, p, 0, 0, 0, 0 };

			if (!evtchn_op(XENO_EVTCHNOP_status, &s) &&
			    s.status == XENO_EVTCHNSTAT_unbound && s.remote_dom == 0)
				return p;
		}
		sleep_ns(MS);
	} while (now_ns() < end);
	return 0;
}

static void test_event_channel(void)
{
	struct xeno_evtchn_bind_interdomain b = { 0, 0, 0, 0 };
	struct xeno_evtchn_status s;
	struct xeno_evtchn_port send;
	uint32_t log = console_log_end(), id;
	uint64_t end;
	long rc = create("evtchn", SMALL_KB);

	if (rc <= 0) {
		xtf_failure("cannot create the partner: %ld", rc);
		return;
	}
	id = (uint32_t)rc;
	EXPECT_EQ(domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, id), 0);
	b.remote_dom = (uint16_t)id;
	b.remote_port = find_offer(id);
	if (!b.remote_port) {
		xtf_failure("the partner offered no port");
		return;
	}
	EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_bind_interdomain, &b), 0);
	bind_port(b.local_port, on_partner);
	s = (struct xeno_evtchn_status){ (uint16_t)id, 0, b.remote_port, 0, 0, 0, 0 };
	EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_status, &s), 0);
	CHECK(s.status == XENO_EVTCHNSTAT_interdomain && s.remote_dom == 0 &&
	      s.remote_port == b.local_port, "their port: status %u, remote d%u:%u", s.status,
	      s.remote_dom, s.remote_port);
	send.port = b.local_port;
	EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_send, &send), 0);
	end = now_ns() + 5000 * MS;
	while (!from_partner && now_ns() < end)
		sleep_ns(MS);
	CHECK(from_partner == 1, "%u events from the partner", from_partner);
	EXPECT_EQ(domain_finish(id, log, 5000 * MS, "the partner"), 0);
	/* The peer is gone: our end is unbound, sends are dropped. */
	s = (struct xeno_evtchn_status){ XENO_DOMID_SELF, 0, b.local_port, 0, 0, 0, 0 };
	EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_status, &s), 0);
	CHECK(s.status == XENO_EVTCHNSTAT_unbound, "our port after the peer died: status %u",
	      s.status);
	EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_send, &send), 0);
	EXPECT_EQ(evtchn_op(XENO_EVTCHNOP_close, &send), 0);
}

/* A new domain's memory is zero, whatever the last owner of its frames wrote. */
static void test_memory_zeroed(uint32_t kb)
{
	uint32_t log;
	long id = domain_start_initrd("scribble", kb, &log);

	if (id <= 0) {
		xtf_failure("cannot create the scribbler (%ld)", id);
		return;
	}
	EXPECT_EQ(domain_finish((uint32_t)id, log, 10000 * MS, "the scribbler"), 0);
	id = domain_start_initrd("zeroed", kb, &log);
	if (id <= 0) {
		xtf_failure("cannot create the checker (%ld)", id);
		return;
	}
	CHECK(domain_finish((uint32_t)id, log, 10000 * MS, "the checker") == 0,
	      "a new domain found another's data in its memory (see its line)");
}

/* Debug keys and the console log, Domain0's other windows on the hypervisor. */
static volatile unsigned int debug_virqs;

static void on_debug(unsigned int port)
{
	(void)port;
	debug_virqs++;
}

static void test_debug_and_console(void)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_DEBUGKEY };
	char buf[64];

	if (bind_virq(XENO_VIRQ_DEBUG, on_debug) < 0)
		xtf_error("bind VIRQ_DEBUG");
	op.u.debugkey.key = 'd';
	EXPECT_EQ(dom0_op(&op), 0);
	CHECK(debug_virqs == 1, "%u VIRQ_DEBUG for one debug key", debug_virqs);
	CHECK(console_log_find(0, "d0 'xeno-test': ", NULL, 0), "no domain dump in the log");
	/* 'c': counts since the last 'c', then zeroed. */
	op.u.debugkey.key = 'c';
	for (int i = 0; i < 3; i++)
		HYPERCALL1(get_debugreg, 7);
	EXPECT_EQ(dom0_op(&op), 0);
	for (int i = 0; i < 7; i++)
		HYPERCALL1(get_debugreg, 7);
	{
		uint32_t from = console_log_end();

		EXPECT_EQ(dom0_op(&op), 0);
		/* "%-18s %10u": the name, then 16 spaces before the one digit */
		CHECK(console_log_find(from, "  hypercall get_debugreg                7\n", NULL, 0),
		      "the counts do not show the 7 get_debugreg calls since the last 'c'");
	}
	op.u.debugkey.key = '?';
	EXPECT_EQ(dom0_op(&op), -XENO_EINVAL);
	op = (struct xeno_dom0_op){ .cmd = XENO_DOM0_READCONSOLE };
	op.u.readconsole = (struct xeno_dom0_readconsole){ XENO_HYPERVISOR_VIRT_START, 16, 0 };
	EXPECT_EQ(dom0_op(&op), -XENO_EFAULT);
	/* The last bytes: as many as asked, and the offset moves past them. */
	printf("the last line so far\n");
	{
		uint32_t end = console_log_end();

		op.u.readconsole = (struct xeno_dom0_readconsole){ (uint32_t)buf, 21, end - 21 };
		EXPECT_EQ(dom0_op(&op), 0);
		buf[op.u.readconsole.size] = '\0';
		CHECK(op.u.readconsole.size == 21 && op.u.readconsole.pos == end &&
		      !strcmp(buf, "the last line so far\n"), "read %u bytes '%s' to offset %u of %u",
		      op.u.readconsole.size, buf, op.u.readconsole.pos, end);
	}
}

void test_main(void)
{
	uint32_t before, after;

	if (!need_partner_image())
		return;
	if (bind_virq(XENO_VIRQ_DOM_EXC, on_dom_exc) < 0)
		xtf_error("bind VIRQ_DOM_EXC");
	local_irq_enable();
	before = domain_largest_kb(STEP_KB);
	printf("largest domain that fits: %u KiB\n", before);
	test_refusals();
	test_exit_and_info();
	test_initrd();
	test_pause();
	test_event_channel();
	test_memory_zeroed(before / 2);
	test_debug_and_console();
	after = domain_largest_kb(STEP_KB);
	CHECK(after == before, "after building, running and destroying domains the largest "
	      "domain that fits went from %u KiB to %u KiB", before, after);
	xtf_success(NULL);
}
