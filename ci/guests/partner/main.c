/* SPDX-License-Identifier: MIT */
/*
 * partner: the second domain of the multi-domain tests, built by Domain0
 * from its initrd.  Not a test on its own.  Its command line picks a role:
 *   spin              run forever (a CPU hog for the scheduler tests)
 *   slices MS US      spin for MS ms, timing the stretches we run between being
 *                     descheduled; fail if one is over US us (see do_slices)
 *   exit              report SUCCESS and power off
 *   crash             do something no kernel survives (no #UD handler + ud2)
 *   crash-stack       take a trap with the stack pointing at unmapped memory
 *   crash-iret        iret hypercall to a ring-0 frame
 *   crash-int         "int $0x99" with no handlers at all (not even #GP)
 *   crash-shutdown    sched_op shutdown with the crash reason
 *   evtchn            offer Domain0 a port, answer its event on it
 *   fpu SEED          keep FPU/SSE registers across many context switches
 *   fpu-secret SEED   load FPU/SSE registers with a pattern and sleep forever
 *   fpu-fresh         check that our FPU state starts clean
 *   initrd TEXT       check that our initrd holds exactly TEXT
 *   scribble          fill all free memory with a pattern and power off
 *   zeroed            check that all free memory is zero
 * It prints its own verdict, which Domain0 reads from the console log.
 */
#include <guest.h>

const char test_title[] = "partner: the other domain of multi-domain tests";

#define FPU_ROUNDS	150
#define PATTERN		0xdeadbeefu

static uint32_t parse_uint(const char *s)
{
	uint32_t v = 0;

	while (*s == ' ')
		s++;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint32_t)(*s++ - '0');
	return v;
}

/* Does the command line start with this word? */
static bool role(const char *word)
{
	size_t n = strlen(word);

	return !strncmp(start_info->cmd_line, word, n) &&
	       (start_info->cmd_line[n] == ' ' || start_info->cmd_line[n] == '\0');
}

static const char *arg(void)
{
	const char *p = start_info->cmd_line;

	while (*p && *p != ' ')
		p++;
	return p;
}

static void sleep_forever(void)
{
	local_irq_disable();
	for (;;)
		HYPERCALL2(sched_op, XENO_SCHEDOP_block, 0);
}

static volatile unsigned int got;

static void on_event(unsigned int port)
{
	(void)port;
	got++;
}

/* Offer Domain0 a port, wait for its event, answer on the same channel. */
static void do_evtchn(void)
{
	long port = port_alloc(0);
	uint64_t end;

	if (port < 0) {
		xtf_failure("cannot offer Domain0 a port");
		return;
	}
	bind_port((unsigned int)port, on_event);
	local_irq_enable();
	end = now_ns() + 5000000000ull;
	while (!got && now_ns() < end)
		sleep_ns(1000000);
	CHECK(got == 1, "%u events from Domain0, expected 1", got);
	EXPECT_EQ(port_op(XENO_EVTCHNOP_send, (uint32_t)port), 0);
	printf("partner: Domain0 bound our port %ld; event answered\n", port);
}

static void do_fpu(uint32_t seed)
{
	static uint8_t image[FPU_AREA_SIZE] __attribute__((aligned(16)));
	const char *why;

	fpu_fill(seed, image);
	for (unsigned int i = 0; i < FPU_ROUNDS; i++) {
		sleep_ns(1000000);	/* let the other domain use the FPU */
		why = fpu_compare(image);
		if (why) {
			xtf_failure("after %u context switches: %s", i + 1, why);
			return;
		}
	}
	printf("partner: FPU state intact over %u sleeps\n", FPU_ROUNDS);
}

/*
 * Spin for 'ms', measuring how long we run at a stretch (a gap = we were
 * descheduled).  The first 100 ms (everyone starting up) and the last
 * stretch (the other domain may have finished) do not count.
 */
static void do_slices(uint32_t ms, uint32_t limit_us)
{
	const uint64_t gap = 500000, settle = 100000000;	/* 0.5 ms, 100 ms */
	uint64_t start = now_ns(), prev = start, burst = start, t, longest = 0, last = 0;
	uint32_t n = 0;

	while ((t = now_ns()) < start + ms * 1000000ull) {
		if (t - prev > gap) {
			if (burst - start >= settle) {
				longest = last > longest ? last : longest;
				last = prev - burst;	/* judged once it is not the last */
				n++;
			}
			burst = t;
		}
		prev = t;
	}
	if (n < 3) {
		xtf_failure("descheduled only %u times in %u ms", n, ms);
		return;
	}
	printf("partner: %u stretches after the first 100 ms, the longest %llu us\n", n,
	       longest / 1000);
	CHECK(longest / 1000 <= limit_us, "ran %llu us at a stretch, more than %u us: the "
	      "scheduler let a time slice overrun", longest / 1000, limit_us);
}

static void do_memory(bool fill)
{
	for (uint32_t pfn = start_info->first_free_pfn; pfn < start_info->nr_pages - 1; pfn++) {
		uint32_t *p = pfn_to_virt(pfn);

		for (unsigned int i = 0; i < PAGE_SIZE / 4; i++) {
			if (fill) {
				p[i] = PATTERN;
			} else if (p[i]) {
				xtf_failure("pfn %u word %u holds %08x: memory not zeroed", pfn, i,
					    p[i]);
				return;
			}
		}
	}
}

void test_main(void)
{
	static uint8_t image[FPU_AREA_SIZE] __attribute__((aligned(16)));
	const char *why;

	if (role("spin")) {
		for (volatile uint32_t n = 0;; n++)
			;
	} else if (role("slices")) {
		const char *a = arg();

		while (*a == ' ')
			a++;
		while (*a && *a != ' ')
			a++;
		do_slices(parse_uint(arg()), parse_uint(a));
	} else if (role("crash")) {
		printf("partner: crashing on purpose\n");
		HYPERCALL1(set_trap_table, 0);		/* no handlers at all */
		asm volatile("ud2");
		xtf_failure("still alive after ud2 without a handler");
	} else if (role("crash-stack")) {
		printf("partner: trapping with no stack\n");
		asm volatile("mov $0x1000, %%esp\n ud2" : : : "memory");
	} else if (role("crash-iret")) {
		printf("partner: iret to ring 0\n");
		asm volatile("push $0x202\n push $0xE008\n push $0\n"
			     "jmp hypercall_page + 17 * 32" : : : "memory");
	} else if (role("crash-int")) {
		printf("partner: int $0x99 without handlers\n");
		HYPERCALL1(set_trap_table, 0);
		asm volatile("int $0x99");
	} else if (role("crash-shutdown")) {
		printf("partner: shutting down with the crash reason\n");
		HYPERCALL2(sched_op, XENO_SCHEDOP_shutdown, XENO_SHUTDOWN_crash);
	} else if (role("evtchn")) {
		do_evtchn();
	} else if (role("fpu")) {
		do_fpu(parse_uint(arg()));
	} else if (role("fpu-secret")) {
		fpu_fill(parse_uint(arg()), image);
		printf("partner: FPU loaded, sleeping\n");
		sleep_forever();
	} else if (role("fpu-fresh")) {
		why = fpu_check_clean();
		if (why)
			xtf_failure("initial FPU state: %s", why);
	} else if (role("initrd")) {
		const char *want = arg() + 1;
		const char *got_text = (const char *)start_info->mod_start;

		CHECK(start_info->mod_start && start_info->mod_len == strlen(want) &&
		      !memcmp(got_text, want, strlen(want)), "initrd at %08x, %u bytes, not '%s'",
		      start_info->mod_start, start_info->mod_len, want);
	} else if (role("scribble")) {
		do_memory(true);
	} else if (role("zeroed")) {
		do_memory(false);
	} else if (!role("exit")) {
		xtf_error("unknown role '%s'", start_info->cmd_line);
	}
	xtf_success(NULL);
}
