// SPDX-License-Identifier: MIT
/*
 * lmbench-xeno: the lmbench 3 latencies of the Xen paper's Tables 3-5
 * (processes, context switches, file and VM), measured lmbench's way and
 * printed one line each: "lmb NAME MEDIAN_US MIN_US MAX_US REPS ITERATIONS".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPS	101
#define SHELL		"/bin/sh"
#define SELECT_FDS	100		/* lat_select -n 100 tcp */
#define MAX_PROCS	16		/* the largest context-switch ring */
#define MAP_SIZE	(8 << 20)	/* the lat_mmap and lat_pagefault file */
#define MMAP_STRIDE	(16 << 10)	/* lat_mmap writes every 16 KiB ... */
#define MMAP_PART	10		/* ... of the first tenth of the map */
#define PAGE		4096
#define FILES_PER_DIR	100		/* lat_fs: at most 100 files a directory */
#define NR_GETPPID	64		/* i386 system call number */

static const char usage_text[] =
"usage: lmbench-xeno [-qv] [-t MS] [-r REPS] [-d DIR] [-c MHZ] [GROUP...]\n"
"       lmbench-xeno -M | -l\n"
"  -q        quick run: 5 ms per measurement, 5 repetitions (a smoke test)\n"
"  -v        also print every repetition: \"lmb-reps NAME US...\"\n"
"  -t MS     minimum wall time of one measurement (default 100)\n"
"  -r REPS   repetitions of each measurement, median reported (default 11)\n"
"  -d DIR    scratch directory, should be tmpfs (default /tmp)\n"
"  -c MHZ    the TSC's rate (default: calibrated for 1 s against CLOCK_MONOTONIC)\n"
"  -M        print the TSC's rate, calibrated for 1 s, and exit\n"
"  -l        list the benchmark names, in the paper's order, and exit\n"
"  GROUP     proc, ctx, fs, vm (default: all four)\n"
"Prints \"lmb NAME MEDIAN_US MIN_US MAX_US REPS ITERATIONS\" per benchmark,\n"
"\"lmb-aux ...\" for the parts of derived ones and diagnostics, then the verdict\n"
"line \"Test result: SUCCESS\" if every benchmark gave a positive number.\n";

/* The paper's columns, in its order (Tables 3, 4 and 5); -l lists them. */
static const char *const bench_names[] = {
	"null_call", "null_io", "stat", "open_close", "select_tcp", "sig_install",
	"sig_handler", "fork_exit", "fork_exec", "fork_sh",
	"ctx_2p_0k", "ctx_2p_16k", "ctx_2p_64k", "ctx_8p_16k", "ctx_8p_64k",
	"ctx_16p_16k", "ctx_16p_64k",
	"fs_create_0k", "fs_delete_0k", "fs_create_10k", "fs_delete_10k",
	"mmap_lat", "prot_fault", "page_fault",
};
#define NR_BENCH	(int)(sizeof(bench_names) / sizeof(bench_names[0]))

static const char *const group_names[] = { "proc", "ctx", "fs", "vm" };
#define NR_GROUPS	4

static double opt_target_us = 100000;
static int opt_reps = 11;
static bool opt_quick;		/* -q: a smoke run, no timing judged */
static int opt_verbose;
static const char *opt_dir = "/tmp";

static double tsc_mhz;		/* TSC ticks per µs: the clock */
static double timer_ovh;	/* one clock reading, µs */
static double loop_ovh;		/* one empty benchmark-loop iteration, µs */
static char scratch[256];	/* our directory under opt_dir */
static char hello[300] = "/usr/bin/lmbench-hello";	/* next to us, see main() */
static int n_ok, n_bad;		/* benchmarks reported, failures */
static volatile int sink;	/* keeps sums alive */

/* ---- clock ---- */

/*
 * The time stamp counter is the clock: the kernel's may tick at only 100 Hz
 * (native Linux under QEMU TCG falls back to jiffies).  Under TCG the guest's
 * TSC is the host's, so the host can measure its rate once for every guest
 * (-c); otherwise it is calibrated here against CLOCK_MONOTONIC.
 */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	/* volatile: each reading is a new time, never merged or hoisted */
	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static double now_us(void)
{
	return rdtsc() / tsc_mhz;
}

static double mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Wait for CLOCK_MONOTONIC to tick over; its new value and the TSC then. */
static void mono_edge(double *us, uint64_t *tsc)
{
	double a = mono_us(), b;

	while ((b = mono_us()) == a)
		;
	*tsc = rdtsc();
	*us = b;
}

/* TSC MHz over secs seconds, both ends on a tick of a coarse clock. */
static double calibrate_mhz(double secs)
{
	double u0, u1;
	uint64_t t0, t1;

	mono_edge(&u0, &t0);
	while (mono_us() - u0 < secs * 1e6)
		;
	mono_edge(&u1, &t1);
	return (t1 - t0) / (u1 - u0);
}

/* ---- results ---- */

struct result {
	double v[MAX_REPS];	/* µs per operation, one per repetition */
	int reps;
	long n;			/* iterations per repetition */
};

/* A failure line "lmb-fail NAME: WHY[: errno text]"; counts against the verdict. */
static void fail(const char *name, const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	printf("lmb-fail %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("%s%s\n", err ? ": " : "", err ? strerror(err) : "");
	n_bad++;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const struct result *r)
{
	double v[MAX_REPS];

	memcpy(v, r->v, r->reps * sizeof(v[0]));
	qsort(v, r->reps, sizeof(v[0]), cmp_double);
	return r->reps % 2 ? v[r->reps / 2] : (v[r->reps / 2 - 1] + v[r->reps / 2]) / 2;
}

/* "TAG NAME MEDIAN MIN MAX REPS N", and with -v every repetition. */
static void print(const char *tag, const char *name, const struct result *r)
{
	double lo = r->v[0], hi = r->v[0];

	for (int i = 1; i < r->reps; i++) {
		lo = r->v[i] < lo ? r->v[i] : lo;
		hi = r->v[i] > hi ? r->v[i] : hi;
	}
	printf("%s %s %.4f %.4f %.4f %d %ld\n", tag, name, median(r), lo, hi, r->reps, r->n);
	if (!opt_verbose)
		return;
	printf("lmb-reps %s", name);
	for (int i = 0; i < r->reps; i++)
		printf(" %.4f", r->v[i]);
	printf("\n");
}

/* A benchmark of the paper's tables: it must be a positive latency. */
static void report(const char *name, const struct result *r)
{
	print("lmb", name, r);
	if (median(r) > 0) {
		n_ok++;
		return;
	}
	if (opt_quick) {
		/* A difference of two tiny noisy runs may come out below zero. */
		printf("lmb-warn %s: median %.4f us is not positive (-q: not judged)\n", name,
		       median(r));
		n_ok++;
		return;
	}
	errno = 0;
	fail(name, "median %.4f us is not positive", median(r));
}

/* Each repetition less the same repetition of s (its overhead). */
static void sub(struct result *r, const struct result *s)
{
	for (int i = 0; i < r->reps; i++)
		r->v[i] -= s->v[i];
}

static void scale(struct result *r, double f)
{
	for (int i = 0; i < r->reps; i++)
		r->v[i] *= f;
}

/* ---- timing: lmbench's benchmp ---- */

/*
 * One timed loop: run does n iterations; pre and post, if any, run untimed
 * before and after each timed run (lat_fs makes the files to delete there).
 */
struct meas {
	const char *what;
	int (*pre)(void *st, long n);
	int (*run)(void *st, long n);
	void (*post)(void *st, long n);
	void *st;
	long max_n;		/* cap on n (memory), 0 = none */
	int sub_loop;		/* subtract the empty-loop overhead */
};

/* One pre, timed run, post round: µs for n iterations in *us. */
static int timed(const struct meas *m, long n, double *us)
{
	double t0, t1;
	int rc;

	if (m->pre && m->pre(m->st, n))
		return -1;
	t0 = now_us();
	rc = m->run(m->st, n);
	t1 = now_us();
	if (m->post)
		m->post(m->st, n);
	*us = t1 - t0 - timer_ovh;
	return rc;
}

/* The iteration count that makes one timed run last the target time. */
static long calibrate_n(const struct meas *m)
{
	long n = 1, next;
	double t;

	for (;;) {
		if (timed(m, n, &t))
			return -1;
		if (t >= opt_target_us || (m->max_n && n >= m->max_n))
			return n;
		if (t < opt_target_us / 100)
			next = n * 8;
		else
			next = (long)(n * 1.2 * opt_target_us / t) + 1;
		if (next <= n)
			next = n + 1;
		if (m->max_n && next > m->max_n)
			next = m->max_n;
		n = next;
	}
}

/*
 * Warm up and calibrate each of k loops, then time opt_reps runs of each,
 * in turns: the parts of a derived figure (a time and the overhead it is
 * less) then see the same host, which QEMU shares with other work.
 * µs per iteration in r[0..k-1].
 */
static int measure_set(const struct meas *m, int k, struct result *r)
{
	double t;
	int j;

	errno = 0;
	for (j = 0; j < k; j++) {
		if (timed(&m[j], 1, &t))
			goto failed;
		r[j].n = calibrate_n(&m[j]);
		if (r[j].n < 0)
			goto failed;
		r[j].reps = opt_reps;
	}
	for (int i = 0; i < opt_reps; i++) {
		for (j = 0; j < k; j++) {
			if (timed(&m[j], r[j].n, &t))
				goto failed;
			r[j].v[i] = t / r[j].n - (m[j].sub_loop ? loop_ovh : 0);
		}
	}
	return 0;
failed:
	fail(m[j].what, "benchmark loop failed");
	return -1;
}

static int measure(const struct meas *m, struct result *r)
{
	return measure_set(m, 1, r);
}

/* measure() for a plain loop of system calls, less the loop overhead. */
static int measure_loop(const char *what, int (*run)(void *, long), void *st,
			struct result *r)
{
	struct meas m = { .what = what, .run = run, .st = st, .sub_loop = 1 };

	return measure(&m, r);
}

/* measure_loop() and report() in one. */
static void bench_loop(const char *name, int (*run)(void *, long), void *st)
{
	struct result r;

	if (measure_loop(name, run, st, &r) == 0)
		report(name, &r);
}

static int run_empty(void *st, long n)
{
	(void)st;
	while (n-- > 0)
		asm volatile("");	/* keeps the empty loop */
	return 0;
}

static int run_clock(void *st, long n)
{
	(void)st;
	while (n-- > 0)
		now_us();
	return 0;
}

static void measure_overheads(void)
{
	struct meas m = { .what = "timer", .run = run_clock };
	struct result r;

	if (measure(&m, &r) == 0)
		timer_ovh = median(&r);
	m = (struct meas){ .what = "loop", .run = run_empty };
	if (measure(&m, &r) == 0)
		loop_ovh = median(&r);
	printf("lmb-info overhead timer %.4f us loop %.4f us\n", timer_ovh, loop_ovh);
}

/* ---- processes: lat_syscall ---- */

static int fd_zero, fd_null;
static char stat_file[300];

static int run_null(void *st, long n)
{
	(void)st;
	while (n-- > 0)
		getppid();
	return 0;
}

/* getppid by int $0x80, whatever the C library's vsyscall would use. */
static int run_null_int80(void *st, long n)
{
	(void)st;
	while (n-- > 0) {
		int r = NR_GETPPID;

		/* "memory": a system call, as far as the compiler knows, may touch any */
		asm volatile("int $0x80" : "+a"(r) : : "memory");
	}
	return 0;
}

static int run_read(void *st, long n)
{
	char c;

	(void)st;
	while (n-- > 0)
		if (read(fd_zero, &c, 1) != 1)
			return -1;
	return 0;
}

static int run_write(void *st, long n)
{
	char c = 0;

	(void)st;
	while (n-- > 0)
		if (write(fd_null, &c, 1) != 1)
			return -1;
	return 0;
}

static int run_stat(void *st, long n)
{
	struct stat sb;

	(void)st;
	while (n-- > 0)
		if (stat(stat_file, &sb))
			return -1;
	return 0;
}

static int run_open(void *st, long n)
{
	(void)st;
	while (n-- > 0) {
		int fd = open(stat_file, O_RDONLY);

		if (fd < 0)
			return -1;
		close(fd);
	}
	return 0;
}

/* null I/O: the mean of a 1-byte read of /dev/zero and write to /dev/null. */
static void bench_null_io(void)
{
	const struct meas m[2] = {
		{ .what = "null_io", .run = run_read, .sub_loop = 1 },
		{ .what = "null_io", .run = run_write, .sub_loop = 1 },
	};
	struct result r[2];

	fd_zero = open("/dev/zero", O_RDONLY);
	fd_null = open("/dev/null", O_WRONLY);
	if (fd_zero < 0 || fd_null < 0) {
		fail("null_io", "cannot open /dev/zero or /dev/null");
	} else if (measure_set(m, 2, r) == 0) {
		print("lmb-aux", "read_dev_zero", &r[0]);
		print("lmb-aux", "write_dev_null", &r[1]);
		for (int i = 0; i < r[0].reps; i++)
			r[0].v[i] = (r[0].v[i] + r[1].v[i]) / 2;
		report("null_io", &r[0]);
	}
	close(fd_zero);
	close(fd_null);
}

static void bench_syscalls(void)
{
	struct result r;
	int fd;

	bench_loop("null_call", run_null, NULL);
	if (measure_loop("null_call_int80", run_null_int80, NULL, &r) == 0)
		print("lmb-aux", "null_call_int80", &r);
	bench_null_io();

	snprintf(stat_file, sizeof(stat_file), "%s/file", scratch);
	fd = open(stat_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "lmbench\n", 8) != 8) {
		fail("stat", "cannot create %s", stat_file);
		return;
	}
	close(fd);
	bench_loop("stat", run_stat, NULL);
	bench_loop("open_close", run_open, NULL);
	unlink(stat_file);
}

/* ---- processes: lat_select tcp ---- */

struct sel {
	int lsn, cli[SELECT_FDS], srv[SELECT_FDS], nfds;
	fd_set set;		/* the client ends */
};

/*
 * 100 connected loopback TCP sockets; the client ends are selected on.  All
 * clients connect before any is accepted, so that their descriptors are
 * consecutive, as in lat_select (whose server ends live in another process).
 */
static int sel_setup(struct sel *s)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);

	s->lsn = socket(AF_INET, SOCK_STREAM, 0);
	if (s->lsn < 0 || bind(s->lsn, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(s->lsn, 2 * SELECT_FDS) || getsockname(s->lsn, (struct sockaddr *)&a, &len))
		return -1;
	for (int i = 0; i < SELECT_FDS; i++) {
		s->cli[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (s->cli[i] < 0 || s->cli[i] >= FD_SETSIZE ||
		    connect(s->cli[i], (struct sockaddr *)&a, sizeof(a)))
			return -1;
		FD_SET(s->cli[i], &s->set);
		if (s->cli[i] >= s->nfds)
			s->nfds = s->cli[i] + 1;
	}
	for (int i = 0; i < SELECT_FDS; i++)
		if ((s->srv[i] = accept(s->lsn, NULL, NULL)) < 0)
			return -1;
	return 0;
}

static void sel_teardown(struct sel *s)
{
	for (int i = 0; i < SELECT_FDS; i++) {
		if (s->cli[i] >= 0)
			close(s->cli[i]);
		if (s->srv[i] >= 0)
			close(s->srv[i]);
	}
	if (s->lsn >= 0)
		close(s->lsn);
}

/* select for writing, zero timeout: all 100 are ready. */
static int run_select(void *st, long n)
{
	struct sel *s = st;

	while (n-- > 0) {
		fd_set w = s->set;
		struct timeval tv = { 0, 0 };

		if (select(s->nfds, NULL, &w, NULL, &tv) != SELECT_FDS)
			return -1;
	}
	return 0;
}

static void bench_select(void)
{
	struct sel s;

	memset(&s, 0xff, sizeof(s));	/* every descriptor -1 */
	FD_ZERO(&s.set);
	s.nfds = 0;
	errno = 0;
	if (sel_setup(&s) == 0)
		bench_loop("select_tcp", run_select, &s);
	else
		fail("select_tcp", "cannot set up %d loopback TCP connections", SELECT_FDS);
	sel_teardown(&s);
}

/* ---- processes: lat_sig install and catch ---- */

static pid_t my_pid;

static void on_usr1(int sig)
{
	(void)sig;
}

static int run_sig_install(void *st, long n)
{
	struct sigaction sa = { .sa_handler = on_usr1 }, old;

	(void)st;
	sigemptyset(&sa.sa_mask);
	while (n-- > 0)
		if (sigaction(SIGUSR1, &sa, &old))
			return -1;
	return 0;
}

/* lat_sig catch: kill(self, 0) is the sending cost to subtract. */
static int run_sig_send(void *st, long n)
{
	(void)st;
	while (n-- > 0)
		if (kill(my_pid, 0))
			return -1;
	return 0;
}

static int run_sig_catch(void *st, long n)
{
	(void)st;
	while (n-- > 0)
		if (kill(my_pid, SIGUSR1))
			return -1;
	return 0;
}

/* The loops of sig_handler: sending alone, sending to on_usr1 (installed). */
static const struct meas sig_meas[2] = {
	{ .what = "sig_handler", .run = run_sig_send, .sub_loop = 1 },
	{ .what = "sig_handler", .run = run_sig_catch, .sub_loop = 1 },
};

static void sig_usr1_handler(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	my_pid = getpid();
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

/* lat_sig catch: delivery to a handler, less sending. */
static void bench_signals(void)
{
	struct result r[2];

	bench_loop("sig_install", run_sig_install, NULL);
	sig_usr1_handler();
	if (measure_set(sig_meas, 2, r) == 0) {
		print("lmb-aux", "sig_send", &r[0]);
		print("lmb-aux", "sig_catch_total", &r[1]);
		sub(&r[1], &r[0]);
		report("sig_handler", &r[1]);
	}
	signal(SIGUSR1, SIG_DFL);
}

/* ---- processes: lat_proc ---- */

enum proc_kind { DO_EXIT, DO_EXEC, DO_SHELL };

/* Wait for pid; 0 if it exited with status 0 (so the exec happened). */
static int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The child: exit, exec lmbench-hello, or have sh -c exec it. */
static void __attribute__((noreturn)) proc_child(enum proc_kind kind)
{
	char *const argv[] = { hello, NULL };
	char *const no_env[] = { NULL };

	if (kind == DO_EXIT)
		_exit(0);
	close(1);		/* as lmbench: hello's output goes nowhere */
	if (kind == DO_EXEC)
		execve(hello, argv, no_env);
	else
		execl(SHELL, "sh", "-c", hello, (char *)NULL);
	_exit(127);
}

static int run_proc(void *st, long n)
{
	enum proc_kind kind = *(enum proc_kind *)st;

	while (n-- > 0) {
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (pid == 0)
			proc_child(kind);
		if (reap(pid))
			return -1;
	}
	return 0;
}

static void bench_procs(void)
{
	static enum proc_kind kinds[] = { DO_EXIT, DO_EXEC, DO_SHELL };
	static const char *const names[] = { "fork_exit", "fork_exec", "fork_sh" };
	struct meas m;
	struct result r;

	for (int i = 0; i < 3; i++) {
		m = (struct meas){ .what = names[i], .run = run_proc, .st = &kinds[i] };
		if (measure(&m, &r) == 0)
			report(names[i], &r);
	}
}

/* ---- context switches: lat_ctx ---- */

struct ctx {
	int procs, size;	/* ring length, working set in bytes */
	int p[MAX_PROCS][2];	/* pipe i: from process i to process i + 1 */
	int q[MAX_PROCS][2];	/* the overhead loop's own pipes */
	pid_t pid[MAX_PROCS];	/* process 0 is us */
	int *data;		/* our working set */
};

/* Bring the working set into the cache: lmbench's sumit(). */
static int sumit(const int *d, int bytes)
{
	int sum = 0;

	for (int i = 0; i < bytes / (int)sizeof(int); i++)
		sum += d[i];
	return sum;
}

/*
 * A working set of private, written pages (lmbench: malloc + bzero).  Pages
 * that are only read, as calloc leaves fresh ones, all map the one shared
 * zero page.  The fill is nonzero so that the compiler cannot turn
 * malloc + memset into calloc.
 */
static int *ws_alloc(int bytes)
{
	int *d = malloc(bytes + 1);

	if (d)
		memset(d, 1, bytes + 1);
	return d;
}

static int ctx_setup(struct ctx *c, int procs, int kb)
{
	memset(c, 0, sizeof(*c));
	memset(c->p, 0xff, sizeof(c->p));	/* every descriptor -1 */
	memset(c->q, 0xff, sizeof(c->q));
	c->procs = procs;
	c->size = kb << 10;
	c->data = ws_alloc(c->size);
	if (!c->data)
		return -1;
	for (int i = 0; i < c->procs; i++)
		if (pipe(c->p[i]) || pipe(c->q[i]))
			return -1;
	return 0;
}

static void ctx_teardown(struct ctx *c)
{
	for (int i = 1; i < c->procs; i++) {
		if (c->pid[i] > 0) {
			kill(c->pid[i], SIGKILL);
			waitpid(c->pid[i], NULL, 0);
		}
	}
	for (int i = 0; i < c->procs; i++) {
		for (int j = 0; j < 2; j++) {
			if (c->p[i][j] >= 0)
				close(c->p[i][j]);
			if (c->q[i][j] >= 0)
				close(c->q[i][j]);
		}
	}
	free(c->data);
}

/* The pipe overhead: the same writes, reads and sums in one process. */
static int run_ctx_ovh(void *st, long n)
{
	struct ctx *c = st;
	int msg = 1, sum = 0, i = 0;

	while (n-- > 0) {
		if (write(c->q[i][1], &msg, sizeof(msg)) != sizeof(msg) ||
		    read(c->q[i][0], &msg, sizeof(msg)) != sizeof(msg))
			return -1;
		if (++i == c->procs)
			i = 0;
		sum += sumit(c->data, c->size);
	}
	sink = sum;
	return 0;
}

/* Ring member i: read from i - 1, sum its own working set, write to i. */
static void __attribute__((noreturn)) ctx_child(struct ctx *c, int i)
{
	int msg, sum = 0;
	int *data = ws_alloc(c->size);

	while (data) {
		if (read(c->p[i - 1][0], &msg, sizeof(msg)) != sizeof(msg))
			break;
		sum += sumit(data, c->size);
		if (write(c->p[i][1], &msg, sizeof(msg)) != sizeof(msg))
			break;
	}
	sink = sum;
	_exit(1);
}

static int ctx_ring(struct ctx *c)
{
	int msg = 1;

	for (int i = 1; i < c->procs; i++) {
		c->pid[i] = fork();
		if (c->pid[i] < 0)
			return -1;
		if (c->pid[i] == 0)
			ctx_child(c, i);
	}
	/* Once around the ring: everyone is ready. */
	if (write(c->p[0][1], &msg, sizeof(msg)) != sizeof(msg) ||
	    read(c->p[c->procs - 1][0], &msg, sizeof(msg)) != sizeof(msg))
		return -1;
	return 0;
}

/* One pass of the token around the ring, n times. */
static int run_ctx(void *st, long n)
{
	struct ctx *c = st;
	int msg = 1, sum = 0;

	while (n-- > 0) {
		if (write(c->p[0][1], &msg, sizeof(msg)) != sizeof(msg) ||
		    read(c->p[c->procs - 1][0], &msg, sizeof(msg)) != sizeof(msg))
			return -1;
		sum += sumit(c->data, c->size);
	}
	sink = sum;
	return 0;
}

/*
 * One ring: per hop, less lat_ctx's overhead (the same pipe write, read and
 * sum in one process, here over as many pipes as the ring has), the two
 * timed in turns.
 */
static void ctx_case(int procs, int kb)
{
	struct meas m[2] = { { .run = run_ctx_ovh }, { .run = run_ctx } };
	struct result r[2];
	char name[32], ovh[40];
	struct ctx c;

	snprintf(name, sizeof(name), "ctx_%dp_%dk", procs, kb);
	snprintf(ovh, sizeof(ovh), "ctx_overhead_%dp_%dk", procs, kb);
	m[0].what = m[1].what = name;
	m[0].st = m[1].st = &c;
	errno = 0;
	if (ctx_setup(&c, procs, kb) || ctx_ring(&c)) {
		fail(name, "cannot start the ring");
	} else if (measure_set(m, 2, r) == 0) {
		print("lmb-aux", ovh, &r[0]);
		scale(&r[1], 1.0 / procs);
		sub(&r[1], &r[0]);
		report(name, &r[1]);
	}
	ctx_teardown(&c);
}

static void bench_ctx(void)
{
	ctx_case(2, 0);
	ctx_case(2, 16);
	ctx_case(2, 64);
	ctx_case(8, 16);
	ctx_case(8, 64);
	ctx_case(16, 16);
	ctx_case(16, 64);
}

/* ---- file create and delete: lat_fs ---- */

struct fs {
	int size;		/* bytes written to each file */
	char dir[300];
	char (*names)[360];	/* dir/D/F, 100 to a D */
	long nnames;
	char *buf;
};

static int fs_names(struct fs *f, long n)
{
	void *p;

	if (n <= f->nnames)
		return 0;
	p = realloc(f->names, n * sizeof(f->names[0]));
	if (!p)
		return -1;
	f->names = p;
	for (long i = f->nnames; i < n; i++)
		snprintf(f->names[i], sizeof(f->names[0]), "%s/%ld/%ld", f->dir,
			 i / FILES_PER_DIR, i % FILES_PER_DIR);
	f->nnames = n;
	return 0;
}

/* Untimed: the names and directories for n files. */
static int fs_mkdirs(void *st, long n)
{
	struct fs *f = st;
	char d[340];

	if (fs_names(f, n))
		return -1;
	for (long i = 0; i < (n + FILES_PER_DIR - 1) / FILES_PER_DIR; i++) {
		snprintf(d, sizeof(d), "%s/%ld", f->dir, i);
		if (mkdir(d, 0755) && errno != EEXIST)
			return -1;
	}
	return 0;
}

static void fs_rmdirs(void *st, long n)
{
	struct fs *f = st;
	char d[340];

	for (long i = 0; i < (n + FILES_PER_DIR - 1) / FILES_PER_DIR; i++) {
		snprintf(d, sizeof(d), "%s/%ld", f->dir, i);
		rmdir(d);
	}
}

static int run_create(void *st, long n)
{
	struct fs *f = st;

	for (long i = 0; i < n; i++) {
		int fd = open(f->names[i], O_WRONLY | O_CREAT | O_TRUNC, 0666);

		if (fd < 0)
			return -1;
		if (f->size && write(fd, f->buf, f->size) != f->size) {
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

static int run_delete(void *st, long n)
{
	struct fs *f = st;

	for (long i = 0; i < n; i++)
		if (unlink(f->names[i]))
			return -1;
	return 0;
}

static void fs_unlink_rmdirs(void *st, long n)
{
	struct fs *f = st;

	for (long i = 0; i < n; i++)
		unlink(f->names[i]);
	fs_rmdirs(st, n);
}

static int fs_mkdirs_create(void *st, long n)
{
	return fs_mkdirs(st, n) || run_create(st, n) ? -1 : 0;
}

/* Create, then delete, files of kb KiB (at most max_files: tmpfs is RAM). */
static void fs_case(int kb, long max_files)
{
	struct fs f = { .size = kb << 10 };
	struct result r;
	struct meas m;
	char name[32];

	snprintf(f.dir, sizeof(f.dir), "%s/fs", scratch);
	f.buf = malloc(f.size + 1);
	errno = 0;
	if (!f.buf || mkdir(f.dir, 0755)) {
		fail("fs", "cannot make %s", f.dir);
		free(f.buf);
		return;
	}
	memset(f.buf, 'x', f.size);
	snprintf(name, sizeof(name), "fs_create_%dk", kb);
	m = (struct meas){ .what = name, .pre = fs_mkdirs, .run = run_create,
			   .post = fs_unlink_rmdirs, .st = &f, .max_n = max_files };
	if (measure(&m, &r) == 0)
		report(name, &r);
	snprintf(name, sizeof(name), "fs_delete_%dk", kb);
	m = (struct meas){ .what = name, .pre = fs_mkdirs_create, .run = run_delete,
			   .post = fs_rmdirs, .st = &f, .max_n = max_files };
	if (measure(&m, &r) == 0)
		report(name, &r);
	rmdir(f.dir);
	free(f.names);
	free(f.buf);
}

static void bench_fs(void)
{
	fs_case(0, 10000);
	fs_case(10, 4000);
}

/* ---- VM: lat_mmap, lat_sig prot, lat_pagefault ---- */

static char map_file[300];

/* The 8 MiB file, written through so that its pages are in the page cache. */
static int make_map_file(void)
{
	static char chunk[64 << 10];
	int fd;

	snprintf(map_file, sizeof(map_file), "%s/map", scratch);
	fd = open(map_file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	memset(chunk, 0x5a, sizeof(chunk));
	for (int i = 0; i < MAP_SIZE / (int)sizeof(chunk); i++) {
		if (write(fd, chunk, sizeof(chunk)) != sizeof(chunk)) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* lat_mmap: map, write every 16 KiB of the first tenth, unmap. */
static int run_mmap(void *st, long n)
{
	int fd = *(int *)st;

	while (n-- > 0) {
		char *p = mmap(NULL, MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		if (p == MAP_FAILED)
			return -1;
		for (char *q = p; q < p + MAP_SIZE / MMAP_PART; q += MMAP_STRIDE)
			*(volatile char *)q = (char)MAP_SIZE;
		munmap(p, MAP_SIZE);
	}
	return 0;
}

static char *prot_page;
static volatile long prot_left;

/* One protection fault caught; the last one makes the page writable. */
static void on_segv(int sig)
{
	(void)sig;
	if (--prot_left <= 0)
		mprotect(prot_page, PAGE, PROT_READ | PROT_WRITE);
}

/* One write that faults n times: each return from on_segv retries it. */
static int run_prot(void *st, long n)
{
	(void)st;
	prot_left = n;
	*(volatile char *)prot_page = 1;
	if (mprotect(prot_page, PAGE, PROT_READ))
		return -1;
	return prot_left == 0 ? 0 : -1;
}

/*
 * lat_sig prot: a write to a read-only shared page, caught, less a signal
 * catch (itself less sending), the three timed in turns.
 */
static void bench_prot(int fd)
{
	struct sigaction sa = { .sa_handler = on_segv }, old_segv, old_bus;
	struct meas m[3] = { sig_meas[0], sig_meas[1], { .run = run_prot } };
	struct result r[3];

	errno = 0;
	prot_page = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (prot_page == MAP_FAILED) {
		fail("prot_fault", "mmap");
		return;
	}
	sink = *(volatile char *)prot_page;	/* present, read-only */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	sig_usr1_handler();
	m[0].what = m[1].what = m[2].what = "prot_fault";
	if (measure_set(m, 3, r) == 0) {
		print("lmb-aux", "prot_fault_total", &r[2]);
		sub(&r[1], &r[0]);
		print("lmb-aux", "prot_fault_catch", &r[1]);
		sub(&r[2], &r[1]);
		report("prot_fault", &r[2]);
	}
	signal(SIGUSR1, SIG_DFL);
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	munmap(prot_page, PAGE);
}

struct pf {
	int fd;
	char *where;		/* the file, mapped read-only */
	long npages;
	long *page;		/* byte offsets, in a random order */
};

static int pf_remap(struct pf *p)
{
	munmap(p->where, MAP_SIZE);
	p->where = mmap(NULL, MAP_SIZE, PROT_READ, MAP_SHARED, p->fd, 0);
	if (p->where == MAP_FAILED)
		return -1;
	return msync(p->where, MAP_SIZE, MS_INVALIDATE);
}

static int run_pf_mmap(void *st, long n)
{
	while (n-- > 0)
		if (pf_remap(st))
			return -1;
	return 0;
}

static int pf_touch(struct pf *p)
{
	int sum = 0;

	for (long i = 0; i < p->npages; i++)
		sum += *(volatile char *)(p->where + p->page[i]);
	return sum;
}

static int run_pf(void *st, long n)
{
	struct pf *p = st;
	int sum = 0;

	while (n-- > 0) {
		sum += pf_touch(p);
		if (pf_remap(p))
			return -1;
	}
	sink = sum;
	return 0;
}

/* The file's pages in a fixed pseudo-random order, mapped. */
static int pf_setup(struct pf *p)
{
	unsigned int seed = 12345;

	p->npages = MAP_SIZE / PAGE;
	p->where = MAP_FAILED;
	p->page = malloc(p->npages * sizeof(p->page[0]));
	p->fd = open(map_file, O_RDONLY);
	if (p->fd < 0 || !p->page)
		return -1;
	for (long i = 0; i < p->npages; i++)
		p->page[i] = i * PAGE;
	for (long i = p->npages - 1; i > 0; i--) {
		long j = rand_r(&seed) % (i + 1), t = p->page[i];

		p->page[i] = p->page[j];
		p->page[j] = t;
	}
	p->where = mmap(NULL, MAP_SIZE, PROT_READ, MAP_SHARED, p->fd, 0);
	return p->where == MAP_FAILED ? -1 : 0;
}

/* How many traps one pass takes: fault-around maps several pages a fault. */
static long pf_traps(struct pf *p)
{
	struct rusage ru0, ru1;

	if (pf_remap(p))
		return 0;
	getrusage(RUSAGE_SELF, &ru0);
	sink = pf_touch(p);
	getrusage(RUSAGE_SELF, &ru1);
	return ru1.ru_minflt - ru0.ru_minflt;
}

/* lat_pagefault: per page, a pass over the file less a bare remap, in turns. */
static void bench_pagefault(void)
{
	struct meas m[2] = { { .what = "page_fault", .run = run_pf_mmap },
			     { .what = "page_fault", .run = run_pf } };
	struct result r[2];
	struct pf p;
	long traps;

	errno = 0;
	m[0].st = m[1].st = &p;
	if (pf_setup(&p)) {
		fail("page_fault", "cannot map %s", map_file);
	} else if (measure_set(m, 2, r) == 0) {
		print("lmb-aux", "page_fault_mmap", &r[0]);
		print("lmb-aux", "page_fault_pass", &r[1]);
		traps = pf_traps(&p);
		printf("lmb-aux page_fault_traps %ld pages %ld\n", traps, p.npages);
		sub(&r[1], &r[0]);
		if (traps > 0) {
			scale(&r[1], 1.0 / traps);
			print("lmb-aux", "page_fault_per_trap", &r[1]);
			scale(&r[1], (double)traps / p.npages);
			report("page_fault", &r[1]);
		} else {
			fail("page_fault", "no page faults counted");
		}
	}
	if (p.where != MAP_FAILED)
		munmap(p.where, MAP_SIZE);
	if (p.fd >= 0)
		close(p.fd);
	free(p.page);
}

static void bench_vm(void)
{
	struct meas m = { .what = "mmap_lat", .run = run_mmap };
	struct result r;
	int fd;

	errno = 0;
	fd = make_map_file();
	if (fd < 0) {
		fail("vm", "cannot write the %d MiB file %s", MAP_SIZE >> 20, map_file);
		return;
	}
	m.st = &fd;
	if (measure(&m, &r) == 0)
		report("mmap_lat", &r);
	bench_prot(fd);
	close(fd);
	bench_pagefault();
	unlink(map_file);
}

/* ---- main ---- */

static void bench_proc(void)
{
	bench_syscalls();
	bench_select();
	bench_signals();
	bench_procs();
}

static void (*const group_fn[NR_GROUPS])(void) = { bench_proc, bench_ctx, bench_fs, bench_vm };

/* The options; the bit mask of groups to run, or -1 to exit with *status. */
static int parse_args(int argc, char **argv, int *status)
{
	int groups = 0, opt;

	*status = 0;
	while ((opt = getopt(argc, argv, "qvt:r:d:c:Mlh")) != -1) {
		switch (opt) {
		case 'q':
			opt_target_us = 5000;
			opt_reps = 5;
			opt_quick = true;
			break;
		case 'v':
			opt_verbose = 1;
			break;
		case 't':
			opt_target_us = atof(optarg) * 1000;
			break;
		case 'r':
			opt_reps = atoi(optarg);
			break;
		case 'd':
			opt_dir = optarg;
			break;
		case 'c':
			tsc_mhz = atof(optarg);
			break;
		case 'M':
			printf("%.3f\n", calibrate_mhz(1.0));
			return -1;
		case 'l':
			for (int i = 0; i < NR_BENCH; i++)
				puts(bench_names[i]);
			return -1;
		default:
			fputs(usage_text, opt == 'h' ? stdout : stderr);
			*status = opt == 'h' ? 0 : 2;
			return -1;
		}
	}
	if (opt_reps < 1 || opt_reps > MAX_REPS || opt_target_us <= 0 || tsc_mhz < 0) {
		fprintf(stderr, "lmbench-xeno: -r wants 1..%d, -t and -c positive numbers\n",
			MAX_REPS);
		*status = 2;
		return -1;
	}
	for (int i = optind; i < argc; i++) {
		int g = NR_GROUPS;

		while (--g >= 0 && strcmp(argv[i], group_names[g]))
			;
		if (g < 0) {
			fprintf(stderr, "lmbench-xeno: unknown group '%s'\n%s", argv[i], usage_text);
			*status = 2;
			return -1;
		}
		groups |= 1 << g;
	}
	return groups ? groups : (1 << NR_GROUPS) - 1;
}

/* The clock, the kernel, the hypervisor if any, and the settings. */
static void print_info(void)
{
	double here = calibrate_mhz(1.0);
	struct timespec res;
	struct utsname u;
	char hv[32] = "none";
	FILE *f;

	if (tsc_mhz == 0)
		tsc_mhz = here;
	uname(&u);
	f = fopen("/sys/hypervisor/type", "r");
	if (f) {
		if (fscanf(f, "%31s", hv) != 1)
			strcpy(hv, "unknown");
		fclose(f);
	}
	clock_getres(CLOCK_MONOTONIC, &res);
	printf("lmb-info kernel %s %s hypervisor %s target_ms %g reps %d\n",
	       u.release, u.machine, hv, opt_target_us / 1000, opt_reps);
	printf("lmb-info clock tsc %.3f MHz (calibrated here %.3f MHz, clock_getres %ld ns)\n",
	       tsc_mhz, here, res.tv_sec * 1000000000L + res.tv_nsec);
}

int main(int argc, char **argv)
{
	int groups, status;
	double t0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	groups = parse_args(argc, argv, &status);
	if (groups < 0)
		return status;
	/* lmbench-hello lives next to us (/usr/bin in the initramfs). */
	if (strchr(argv[0], '/'))
		snprintf(hello, sizeof(hello), "%.*s/lmbench-hello",
			 (int)(strrchr(argv[0], '/') - argv[0]), argv[0]);

	print_info();
	t0 = now_us();
	snprintf(scratch, sizeof(scratch), "%s/lmb.%d", opt_dir, (int)getpid());
	if (mkdir(scratch, 0755)) {
		perror(scratch);
		printf("Test result: ERROR\n");
		return 1;
	}
	measure_overheads();
	for (int g = 0; g < NR_GROUPS; g++)
		if (groups & 1 << g)
			group_fn[g]();
	rmdir(scratch);

	printf("lmb-end %d benchmarks, %d failed, %.1f s\n", n_ok, n_bad, (now_us() - t0) / 1e6);
	if (n_bad == 0 && n_ok > 0) {
		printf("Test result: SUCCESS\n");
		return 0;
	}
	printf("Test result: FAILURE\n");
	return 1;
}
