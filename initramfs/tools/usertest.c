// SPDX-License-Identifier: MIT
/*
 * usertest: user-space checks that exercise the kernel's trap, memory and
 * time paths (run by /tests/smoke on native Linux and on XenoLinux alike).
 * Each subcommand prints one line and exits 0 on success, 1 on failure.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static sigjmp_buf jump;
static volatile sig_atomic_t last_signal;
static volatile void *fault_addr;

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	last_signal = sig;
	fault_addr = si->si_addr;
	siglongjmp(jump, 1);
}

static int fail(const char *what)
{
	printf("usertest: FAIL %s\n", what);
	return 1;
}

/* Ring 3: the low two bits of CS. */
static int test_ring(void)
{
	uint32_t cs;

	asm volatile("mov %%cs, %0" : "=r"(cs));
	printf("usertest: user code runs in ring %u (cs %#x)\n", cs & 3, cs);
	return (cs & 3) == 3 ? 0 : fail("ring");
}

/* Does touching p fault?  1 if a SIGSEGV arrived (for p), 0 if not. */
static int faults(volatile char *p, int write)
{
	last_signal = 0;
	if (sigsetjmp(jump, 1) == 0) {
		if (write)
			*p = 1;
		else
			(void)*p;
		return 0;
	}
	return last_signal == SIGSEGV && fault_addr == p;
}

static int test_mmap(void)
{
	const size_t len = 64 * 4096;
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO };
	char *p;

	sigaction(SIGSEGV, &sa, NULL);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return fail("mmap");
	for (size_t i = 0; i < len; i += 4096)
		p[i] = (char)i;			/* demand-zero page faults */
	for (size_t i = 0; i < len; i += 4096)
		if (p[i] != (char)i)
			return fail("mmap contents");
	if (mprotect(p, len, PROT_READ))
		return fail("mprotect");
	if (!faults(p + 4096, 1))
		return fail("write to a read-only page did not fault");
	if (faults(p + 4096, 0))
		return fail("read of a read-only page faulted");
	if (mprotect(p, len, PROT_NONE) || !faults(p, 0))
		return fail("read of a PROT_NONE page did not fault");
	if (mprotect(p, len, PROT_READ | PROT_WRITE) || p[4096] != (char)4096)
		return fail("contents after PROT_NONE and back");
	if (munmap(p, len) || !faults(p + 8192, 0))
		return fail("access after munmap did not fault");
	printf("usertest: mmap, mprotect, munmap and their faults behave\n");
	return 0;
}

/* SSE and SSE2 arithmetic, with results known exactly. */
__attribute__((target("sse2"))) static int test_sse(void)
{
	float a[4] = { 1.5f, 2.25f, -3.0f, 1e20f }, b[4] = { 2.0f, 4.0f, 0.5f, 1e-20f }, r[4];
	double x[2] = { 1.0 / 3.0, 2.5 }, y[2] = { 3.0, -4.0 }, z[2];

	asm volatile("movups %1, %%xmm0\n"
		     "movups %2, %%xmm1\n"
		     "mulps %%xmm1, %%xmm0\n"
		     "movups %%xmm0, %0\n"
		     : "=m"(r) : "m"(a), "m"(b) : "xmm0", "xmm1");
	asm volatile("movupd %1, %%xmm2\n"
		     "movupd %2, %%xmm3\n"
		     "mulpd %%xmm3, %%xmm2\n"
		     "movupd %%xmm2, %0\n"
		     : "=m"(z) : "m"(x), "m"(y) : "xmm2", "xmm3");
	if (r[0] != 3.0f || r[1] != 9.0f || r[2] != -1.5f || r[3] != 1.0f ||
	    z[0] != 1.0 || z[1] != -10.0)
		return fail("sse arithmetic");
	printf("usertest: SSE/SSE2 arithmetic correct\n");
	return 0;
}

static uint64_t ns(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (uint64_t)t.tv_sec * 1000000000u + t.tv_nsec;
}

/* The monotonic clock never goes back, and sleeps last about as asked. */
static int test_time(void)
{
	const struct timespec tenth = { 0, 100000000 };
	uint64_t prev = ns(CLOCK_MONOTONIC), t0, slept;

	for (int i = 0; i < 200000; i++) {
		uint64_t now = ns(CLOCK_MONOTONIC);

		if (now < prev)
			return fail("monotonic clock went backwards");
		prev = now;
	}
	t0 = ns(CLOCK_MONOTONIC);
	nanosleep(&tenth, NULL);
	slept = ns(CLOCK_MONOTONIC) - t0;
	printf("usertest: 100 ms sleep took %llu us\n", (unsigned long long)slept / 1000);
	if (slept < 100000000u || slept > 1000000000u)
		return fail("sleep accuracy");
	if (time(NULL) < 1700000000)
		return fail("wall clock before 2023");
	return 0;
}

static volatile sig_atomic_t alarms, usr1s;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1s++;
}

static int test_signals(void)
{
	signal(SIGALRM, on_alarm);
	signal(SIGUSR1, on_usr1);
	for (int i = 0; i < 100; i++)
		raise(SIGUSR1);
	alarm(1);
	pause();
	if (usr1s != 100 || alarms != 1)
		return fail("signal delivery");
	printf("usertest: 100 raised signals and an alarm delivered\n");
	return 0;
}

#define THREADS 8
static __thread int tls_value;
static long sums[THREADS];

static void *worker(void *arg)
{
	long id = (long)arg, s = 0;

	tls_value = (int)id * 1000;
	for (int i = 0; i < 100000; i++)
		s += i % 7;
	sums[id] = s + tls_value;
	return NULL;
}

static int test_threads(void)
{
	pthread_t t[THREADS];
	long want = 0;

	for (int i = 0; i < 100000; i++)
		want += i % 7;
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i))
			return fail("pthread_create");
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (long i = 0; i < THREADS; i++)
		if (sums[i] != want + i * 1000)
			return fail("thread results (TLS)");
	printf("usertest: %d threads with thread-local storage agree\n", THREADS);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} tests[] = {
		{ "ring", test_ring }, { "mmap", test_mmap }, { "sse", test_sse },
		{ "time", test_time }, { "signals", test_signals }, { "threads", test_threads },
	};

	if (argc != 2 || !strcmp(argv[1], "--help")) {
		printf("usage: usertest ring|mmap|sse|time|signals|threads\n");
		return argc == 2 ? 0 : 2;
	}
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!strcmp(argv[1], tests[i].name))
			return tests[i].fn();
	fprintf(stderr, "usertest: unknown test '%s' (try --help)\n", argv[1]);
	return 2;
}
