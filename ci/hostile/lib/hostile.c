/* SPDX-License-Identifier: MIT */
/*
 * The hostile-guest harness: the supervisor (Domain0), the bystander and the
 * attacker roles of every hostile test (see hostile.h).
 */
#include "hostile.h"

#define MS		1000000ull
#define BYSTANDER_KB	4096
#define ATTACKER_KB	4096
#define CANARY_PAGES	16
#define PING_TIMEOUT	(3000 * MS)
#define CONTROL_MS	1500	/* default length of the control run and of attacks */

/* ---- command line ---- */

/* The word after the role: "attack a=1 b=2" -> "a=1 b=2". */
static bool role_is(const char *word)
{
	size_t n = strlen(word);

	return !strncmp(start_info->cmd_line, word, n) &&
	       (start_info->cmd_line[n] == ' ' || start_info->cmd_line[n] == '\0');
}

/* Decimal or 0x-hex at s; *end past it. */
static uint32_t parse_num(const char *s, const char **end)
{
	uint32_t v = 0, base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (;; s++) {
		uint32_t d;

		if (*s >= '0' && *s <= '9')
			d = (uint32_t)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (uint32_t)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (uint32_t)(*s - 'A' + 10);
		else
			break;
		v = v * base + d;
	}
	if (end)
		*end = s;
	return v;
}

/* "key=value" among the words of line; def if absent. */
static uint32_t word_arg(const char *line, const char *key, uint32_t def)
{
	size_t n = strlen(key);

	for (const char *p = line; *p; p++) {
		if ((p == line || p[-1] == ' ') && !strncmp(p, key, n) && p[n] == '=')
			return parse_num(p + n + 1, NULL);
	}
	return def;
}

static char bystander_args[128];	/* Domain0: what the bystander told us */

uint32_t hostile_arg(const char *key, uint32_t def)
{
	return word_arg(start_info->cmd_line, key, word_arg(bystander_args, key, def));
}

bool segment_limits_enforced(void)
{
	/* The direct map starts here, present and supervisor: only the
	 * ring-1 segment limit stops a ring-1 read. */
	return probe_read(XENO_HYPERVISOR_VIRT_START + 0x400000) != 0;
}

/* ---- building blocks ---- */

uint32_t max_machine_frame(void)
{
	/* Every machine frame has an M2P entry; the ones past RAM read as
	 * faults or invalid.  Domain builders size from nr_pages, which is
	 * ours; the M2P is 4 MiB, one entry per frame of 4 GiB. */
	uint32_t n = 0;

	for (uint32_t m = 0; m < XENO_MACH2PHYS_NR_ENTRIES; m += 256)
		if (probe_read((uint32_t)&m2p[m]) == 0 && m2p[m] != 0xffffffffu)
			n = m + 256;
	return n;
}

static bool own_mfn(uint32_t mfn)
{
	uint32_t pfn = m2p[mfn];

	return pfn < start_info->nr_pages && p2m[pfn] == mfn;
}

uint32_t foreign_mfn(void)
{
	uint32_t v = hostile_arg("victim", 0);

	if (v)
		return v;
	for (uint32_t m = 256; m < max_machine_frame(); m++)
		if (m2p[m] != 0xffffffffu && !own_mfn(m))
			return m;
	return 0;
}

uint32_t hypervisor_mfn(void)
{
	return 0x101;	/* multiboot loads the hypervisor image at 1 MiB */
}

uint32_t pte_maddr(uint32_t va)
{
	uint32_t e = l2_table()[va >> 22];

	return (e & ~0xfffu) + ((va >> PAGE_SHIFT) & 1023) * 4;
}

uint32_t spare_va(void)
{
	return (uint32_t)alloc_page();
}

/* ---- the bystander ---- */

static uint32_t *canary[CANARY_PAGES];
static uint32_t canary_pte[CANARY_PAGES];
static uint32_t l2_copy[XENO_FIRST_HYPERVISOR_L2_SLOT];
static volatile unsigned int pings;

static uint32_t canary_word(unsigned int page, unsigned int i)
{
	return 0xCA0A0000u ^ (page << 12) ^ (i * 0x9E3779B1u);
}

/* NULL if everything we own is as we left it. */
static const char *bystander_check(void)
{
	static char why[96];
	uint32_t *l2 = l2_table();

	for (unsigned int p = 0; p < CANARY_PAGES; p++) {
		if (*pte_of((uint32_t)canary[p]) != canary_pte[p]) {
			snprintf(why, sizeof(why), "canary page %u's PTE changed", p);
			return why;
		}
		for (unsigned int i = 0; i < PAGE_SIZE / 4; i++) {
			if (canary[p][i] != canary_word(p, i)) {
				snprintf(why, sizeof(why), "canary page %u word %u is %08x", p, i,
					 canary[p][i]);
				return why;
			}
		}
	}
	for (unsigned int s = 0; s < ARRAY_SIZE(l2_copy); s++) {
		if (l2[s] != l2_copy[s] && (l2[s] | PTE_A) != (l2_copy[s] | PTE_A)) {
			snprintf(why, sizeof(why), "L2 slot %u changed: %08x -> %08x", s,
				 l2_copy[s], l2[s]);
			return why;
		}
	}
	return NULL;
}

static void on_ping(unsigned int port)
{
	(void)port;
	pings++;
}

static void bystander(void)
{
	struct xeno_evtchn_alloc_unbound u = { XENO_DOMID_SELF, 0, 0 };
	struct xeno_evtchn_port send;
	unsigned int answered = 0;
	const char *why;

	for (unsigned int p = 0; p < CANARY_PAGES; p++) {
		canary[p] = alloc_page();
		for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
			canary[p][i] = canary_word(p, i);
		canary_pte[p] = *pte_of((uint32_t)canary[p]);
	}
	memcpy(l2_copy, l2_table(), sizeof(l2_copy));
	if (evtchn_op(XENO_EVTCHNOP_alloc_unbound, &u)) {
		xtf_error("bystander: cannot offer Domain0 a port");
		return;
	}
	bind_port(u.port, on_ping);
	local_irq_enable();
	send.port = u.port;
	printf("bystander: port=%u victim=%#x victim_l1=%#x victim_l2=%#x\n", u.port,
	       virt_to_mfn(canary[0]), l2_table()[(uint32_t)canary[0] >> 22] >> PAGE_SHIFT,
	       virt_to_mfn(l2_table()));
	for (;;) {
		sleep_ns(2 * MS);
		if (hostile.bystander_tick)
			hostile.bystander_tick();
		why = bystander_check();
		if (why) {
			xtf_failure("bystander: %s", why);
			return;		/* and no more answers */
		}
		if (answered != pings) {
			answered = pings;
			if (evtchn_op(XENO_EVTCHNOP_send, &send)) {
				xtf_failure("bystander: cannot answer");
				return;
			}
		}
	}
}

/* ---- the supervisor ---- */

static volatile unsigned int replies;
static uint32_t ping_port;

static void on_reply(unsigned int port)
{
	(void)port;
	replies++;
}

static bool ping_bystander_within(uint64_t timeout)
{
	struct xeno_evtchn_port send = { ping_port };
	unsigned int want = replies + 1;
	uint64_t end = now_ns() + timeout;

	if (evtchn_op(XENO_EVTCHNOP_send, &send))
		return false;
	while (replies < want && now_ns() < end)
		sleep_ns(MS);
	return replies >= want;
}

static bool ping_bystander(void)
{
	return ping_bystander_within(PING_TIMEOUT);
}

void hostile_busy(bool on)
{
	printf("hostile: %s\n", on ? "busy" : "idle");
}

static uint32_t attacker_id;

uint32_t hostile_attacker(void)
{
	return attacker_id;
}

/* ---- H_STRETCH: how long Domain0 waits for the CPU ---- */

static uint64_t attack_start;

uint32_t hostile_run_ms(void)
{
	return hostile_arg("control_ms", CONTROL_MS);
}

bool hostile_time_up(void)
{
	return now_ns() - attack_start >= hostile_run_ms() * MS;
}

/* The control: as busy as an attacker, with the cheapest hypercall. */
static void control(void)
{
	unsigned long calls = 0;

	while (!hostile_time_up()) {
		HYPERCALL2(xeno_version, XENO_VERSION_VERSION, 0);
		calls++;
	}
	printf("control: %lu hypercalls in %u ms\n", calls, hostile_run_ms());
}

/* ---- H_CONSOLE: every line of the log while the attacker runs ---- */

#define LOG_LINE_MAX	512
#define LOG_READ	256	/* what READCONSOLE copies at most */
#define BAD_SHOWN	4	/* bad lines quoted in the verdict */
#define BAD_QUOTE	96

static struct {
	uint32_t pos;			/* next log byte to read */
	char line[LOG_LINE_MAX];	/* the line so far */
	size_t len;
	unsigned int bad;		/* lines that broke a rule */
	char quote[BAD_SHOWN][BAD_QUOTE];	/* the first of them, made printable */
	const char *why[BAD_SHOWN];
	bool lost;			/* bytes were overwritten before we read them */
	bool *seen;			/* hostile.lines found */
} scan;

/*
 * Keep a bad line to quote once the scan is over (printing now would put
 * our own line into the log we scan), control bytes shown as '?'.
 */
static void note_bad(const char *l, size_t len, const char *why)
{
	if (scan.bad < BAD_SHOWN) {
		size_t i;

		for (i = 0; i < len && i + 1 < BAD_QUOTE; i++)
			scan.quote[scan.bad][i] = l[i] >= 0x20 && l[i] < 0x7f ? l[i] : '?';
		scan.quote[scan.bad][i] = '\0';
		scan.why[scan.bad] = why;
	}
	scan.bad++;
}

/* "(dN) " at the start of s: N, else -1. */
static long domain_prefix(const char *s)
{
	const char *end;
	uint32_t n;

	if (strncmp(s, "(d", 2) || s[2] < '0' || s[2] > '9')
		return -1;
	n = parse_num(s + 2, &end);
	return end[0] == ')' && end[1] == ' ' ? (long)n : -1;
}

static void check_line(const char *l, size_t len, uint32_t attacker)
{
	long dom = domain_prefix(l);
	bool xeno = !strncmp(l, "(xeno) ", 7), forged = strstr(l, FORGE_MARK) != NULL;
	const char *why = NULL;

	for (size_t i = 0; i < len && !why; i++)
		if ((l[i] < 0x20 && l[i] != '	') || l[i] == 0x7f || (l[i] & 0x80))
			why = "a control byte";
	if (!why && !xeno && dom < 0)
		why = "no (xeno) or (dN) prefix";
	if (!why && forged && dom != (long)attacker)
		why = "the attacker's text without its prefix";
	if (why) {
		note_bad(l, len, why);
		return;
	}
	while (dom == (long)attacker && *l++ != ' ')
		;	/* past the prefix */
	for (unsigned int i = 0; dom == (long)attacker && hostile.lines && hostile.lines[i]; i++)
		if (!strcmp(l, hostile.lines[i]))
			scan.seen[i] = true;
}

/* Read what the log got since the last call; check every complete line. */
static void scan_log(uint32_t attacker)
{
	char buf[LOG_READ];
	long n;

	while ((n = console_log_read(&scan.pos, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			scan.lost = true;
			return;
		}
		for (long i = 0; i < n; i++) {
			if (buf[i] == '\n' || scan.len == sizeof(scan.line) - 1) {
				scan.line[scan.len] = '\0';
				check_line(scan.line, scan.len, attacker);
				scan.len = 0;
			}
			if (buf[i] != '\n')
				scan.line[scan.len++] = buf[i];
		}
	}
}

/* After the attack: what the scan of the log found (H_CONSOLE). */
static void scan_report(void)
{
	if (scan.lost)
		xtf_error("the log overwrote lines before the supervisor could check them");
	for (unsigned int i = 0; i < scan.bad && i < BAD_SHOWN; i++)
		xtf_failure("console line with %s: '%s'", scan.why[i], scan.quote[i]);
	for (unsigned int i = 0; hostile.lines && hostile.lines[i]; i++)
		CHECK(scan.seen[i], "the attacker's line '%s' did not appear whole",
		      hostile.lines[i]);
	printf("console: checked the log to offset %u: %u bad lines\n", scan.pos, scan.bad);
}

/*
 * Wait for domain id (unpaused at time 'start', its log from offset 'log')
 * to shut down, sleeping 1 ms at a time.  With H_CONSOLE, check every line
 * of the log meanwhile.  With 'longest', measure the longest time between
 * two of our wake-ups (the first since 'start'): while a hypercall holds
 * the CPU with interrupts off, our timer cannot wake us.  False on timeout.
 */
static bool wait_watching(uint32_t id, uint64_t start, uint32_t log, uint64_t timeout,
			  uint64_t *longest)
{
	static bool seen[16];
	struct xeno_dom0_getdomaininfo info;
	uint64_t prev = start, end = start + timeout, t, worst = 0;
	bool done = false;

	scan.pos = log;
	scan.len = 0;
	scan.seen = seen;
	while (!done) {
		done = domain_info(id, &info) || (info.flags & XENO_DOMINFO_SHUTDOWN);
		if (hostile.flags & H_CONSOLE)
			scan_log(id);
		if (done)
			break;
		sleep_ns(MS);
		t = now_ns();
		if (t - prev > worst)
			worst = t - prev;
		prev = t;
		if (t > end)
			break;
	}
	if (longest)
		*longest = worst;
	return done;
}

/*
 * H_LIVENESS: wait for the attacker, pinging the bystander all the while,
 * and count the answers that came while the attacker was inside its long
 * hypercall (between its "busy" and "idle" lines).  Only a hypervisor that
 * preempts long hypercalls lets the bystander (and us) run then.
 */
static bool wait_pinging(uint32_t id, uint32_t log, uint64_t timeout)
{
	struct xeno_dom0_getdomaininfo info;
	uint64_t end = now_ns() + timeout;
	char busy[32], idle[32];
	unsigned int answered = 0;

	snprintf(busy, sizeof(busy), "(d%u) hostile: busy", id);
	snprintf(idle, sizeof(idle), "(d%u) hostile: idle", id);
	while (now_ns() < end) {
		if (domain_info(id, &info) || (info.flags & XENO_DOMINFO_SHUTDOWN))
			break;
		if (console_log_line(log, busy, NULL, 0) && !console_log_line(log, idle, NULL, 0) &&
		    ping_bystander_within(50 * MS) && !console_log_line(log, idle, NULL, 0))
			answered++;
		sleep_ns(5 * MS);
	}
	printf("the bystander answered %u pings while the attacker was in its hypercall\n",
	       answered);
	CHECK(answered >= 3, "only %u pings answered during the attacker's long hypercall: "
	      "the hypervisor does not preempt it", answered);
	return now_ns() < end;
}

static struct xeno_dom0_physinfo physinfo(void)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_PHYSINFO };

	if (dom0_op(&op))
		xtf_error("PHYSINFO failed");
	return op.u.physinfo;
}

/* Start the bystander and bind to its port: its domid or 0. */
static uint32_t start_bystander(void)
{
	struct xeno_evtchn_bind_interdomain b = { 0, 0, 0, 0 };
	uint32_t log = console_log_end();
	char needle[32];
	uint64_t end = now_ns() + 5000 * MS;
	long id = domain_create_initrd("bystander", BYSTANDER_KB);

	if (id <= 0) {
		xtf_error("cannot create the bystander: %ld", id);
		return 0;
	}
	domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, (uint32_t)id);
	snprintf(needle, sizeof(needle), "(d%ld) bystander: ", id);
	while (!console_log_line(log, needle, bystander_args, sizeof(bystander_args))) {
		if (now_ns() > end) {
			xtf_error("the bystander did not start");
			return 0;
		}
		sleep_ns(MS);
	}
	b.remote_dom = (uint16_t)id;
	b.remote_port = word_arg(bystander_args, "port", 0);
	if (evtchn_op(XENO_EVTCHNOP_bind_interdomain, &b)) {
		xtf_error("cannot bind the bystander's port %u", b.remote_port);
		return 0;
	}
	ping_port = b.local_port;
	bind_port(ping_port, on_reply);
	if (!ping_bystander()) {
		xtf_error("the bystander does not answer even before the attack");
		return 0;
	}
	return (uint32_t)id;
}

/*
 * Run the attacker domain (role "attack", or "control"); true if it ended
 * the way the test expects.  With 'stretch', measure Domain0's longest
 * wait meanwhile (wait_watching).
 */
static bool run_attacker(uint32_t bystander_id, const char *role, uint64_t *stretch)
{
	struct xeno_dom0_getdomaininfo info;
	char cmd[256], needle[48], rest[160];
	uint32_t log = console_log_end(), id;
	uint32_t secs = word_arg(start_info->cmd_line, "timeout", 20);
	bool is_control = !strcmp(role, "control");
	uint64_t start;
	long rc;
	int v;

	snprintf(cmd, sizeof(cmd), "%s bystander=%u %s %s", role, bystander_id, bystander_args,
		 start_info->cmd_line);
	rc = domain_create_initrd(cmd, hostile.mem_kb ? hostile.mem_kb : ATTACKER_KB);
	if (rc <= 0) {
		xtf_error("cannot create the attacker: %ld", rc);
		return false;
	}
	id = (uint32_t)rc;
	if (hostile.prepare)
		hostile.prepare(id, bystander_id);
	attacker_id = id;
	start = now_ns();	/* the attacker may run at once, before we do again */
	domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, id);
	if (!((hostile.flags & H_LIVENESS) ? wait_pinging(id, log, secs * 1000 * MS) :
	      wait_watching(id, start, log, secs * 1000 * MS, stretch))) {
		xtf_failure("the attacker neither finished nor was stopped in %u s", secs);
		domain_ctl(XENO_DOM0_DESTROYDOMAIN, id);
		return false;
	}
	if (domain_info(id, &info)) {
		xtf_failure("the attacker vanished without being destroyed");
		return false;
	}
	if ((hostile.flags & H_CONSOLE) && !is_control)
		scan_report();
	snprintf(needle, sizeof(needle), "(xeno) *** domain %u crashed: ", id);
	v = domain_verdict(id, log);
	if (hostile.crash && !is_control) {
		if (!(info.flags & XENO_DOMINFO_CRASHED)) {
			xtf_failure("the attacker was not killed (flags %#x, its verdict %d)",
				    info.flags, v);
		} else if (!console_log_line(log, needle, rest, sizeof(rest))) {
			xtf_failure("the attacker died without a reason on the console");
		} else if (!strstr(rest, hostile.crash)) {
			xtf_failure("the attacker was killed for '%s', expected '%s'", rest,
				    hostile.crash);
		} else {
			printf("the attacker was killed: %s\n", rest);
		}
	} else if (info.flags & XENO_DOMINFO_CRASHED) {
		console_log_line(log, needle, rest, sizeof(rest));
		xtf_failure("the attacker was killed (%s); the attack should just fail", rest);
	} else if (v == 1) {
		xtf_skip("the attacker skipped (see its line)");
	} else if (v != 0) {
		xtf_failure("the attacker's verdict: %s (see its lines)",
			    v < 0 ? "none" : v == 2 ? "ERROR" : "FAILURE");
	}
	domain_ctl(XENO_DOM0_DESTROYDOMAIN, id);
	return true;
}

/*
 * H_STRETCH: a control run, then the attack, each measured; the attack's
 * stretch must stay within the bound (hostile.h).  A host that preempts the
 * emulator now and then looks like a long stretch too, so a pair above the
 * bound is run again, up to STRETCH_TRIES times: a hypercall that holds the
 * CPU does so every time.
 */
static void run_measured(uint32_t by)
{
	uint64_t control_ns = 0, attack_ns = 0, bound = 0;

	for (unsigned int try = 1; try <= STRETCH_TRIES; try++) {
		if (!run_attacker(by, "control", &control_ns) ||
		    !run_attacker(by, "attack", &attack_ns))
			return;
		bound = STRETCH_FACTOR * control_ns + STRETCH_SLACK_MS * MS;
		printf("stretch: Domain0 waited at most %llu us (control %llu us, bound %llu us)\n",
		       attack_ns / 1000, control_ns / 1000, bound / 1000);
		if (attack_ns <= bound)
			return;
	}
	xtf_failure("Domain0 could not run for %llu ms while the attacker ran (control %llu ms), "
		    "%u times: a hypercall held the CPU", attack_ns / MS, control_ns / MS,
		    STRETCH_TRIES);
}

#define LEAK_CHECK(what, before, after)						\
	CHECK((before) == (after), "%s: %u before, %u after", what, before, after)

static void supervise(void)
{
	struct xeno_dom0_physinfo p0, p1, p2;
	uint32_t by;

	p0 = physinfo();
	by = start_bystander();
	if (!by)
		return;
	p1 = physinfo();
	if (hostile.where == IN_DOM0) {
		if ((hostile.flags & H_SEGLIMITS) && !segment_limits_enforced())
			xtf_skip("segment limits are not enforced here (QEMU TCG); run under Bochs");
		else
			hostile.attack();
	} else {
		if (hostile.flags & H_STRETCH)
			run_measured(by);
		else
			run_attacker(by, "attack", NULL);
		if (hostile.after)
			hostile.after();
	}
	CHECK(ping_bystander(), "the bystander does not answer after the attack");
	p2 = physinfo();
	LEAK_CHECK("free frames", p1.free_pages, p2.free_pages);
	LEAK_CHECK("hypervisor frames", p1.hypervisor_pages, p2.hypervisor_pages);
	LEAK_CHECK("temporary mappings", 0u, p2.mapcache_in_use);
	LEAK_CHECK("domains", 2u, p2.nr_domains);
	EXPECT_EQ(domain_ctl(XENO_DOM0_DESTROYDOMAIN, by), 0);
	p2 = physinfo();
	LEAK_CHECK("free frames (all gone)", p0.free_pages, p2.free_pages);
	LEAK_CHECK("hypervisor frames (all gone)", p0.hypervisor_pages, p2.hypervisor_pages);
}

/* ---- roles ---- */

void test_main(void)
{
	if (role_is("bystander")) {
		bystander();
	} else if (role_is("control")) {
		attack_start = now_ns();
		control();
	} else if (role_is("attack")) {
		if ((hostile.flags & H_SEGLIMITS) && !segment_limits_enforced()) {
			xtf_skip("segment limits are not enforced here (QEMU TCG); run under Bochs");
			return;
		}
		attack_start = now_ns();
		hostile.attack();
		if (hostile.crash)
			xtf_failure("still alive: the hypervisor should have killed this domain (%s)",
				    hostile.crash);
	} else if (hostile.where == IN_DOMU || hostile.where == IN_DOM0) {
		if (start_info->flags & XENO_SIF_PRIVILEGED)
			supervise();
		else
			xtf_error("an unprivileged domain with role '%s'", start_info->cmd_line);
	}
}
