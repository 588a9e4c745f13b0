/* SPDX-License-Identifier: MIT */
/*
 * xstress: a broad user-space workload whose every result is checked and
 * summarised in a digest that depends only on what the kernel did, not on
 * timing: the same lines must come out of native Linux and XenoLinux
 * (ci/t-stress.sh compares them).  Each stressor prints
 *   stress: NAME ok DIGEST      or      stress: NAME FAIL why
 * and the last line is "stress: N ok, N failed".
 *
 * The stressors go where a paravirtualised kernel differs from a native
 * one: process creation and exit, copy-on-write, page faults and
 * protection faults, mmap/mremap/munmap/mprotect/madvise (page-table moves
 * included), brk, signals, pipes, shared memory, threads and futexes (and
 * their %gs TLS), files on tmpfs, and system calls through every gate.
 *
 * usage: xstress [-h] [NAME...]   (no NAME: all of them)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MiB		(1024u * 1024u)
#define PAGE		4096u
#define FOUR_MIB	(4u * MiB)

static uint32_t digest;
static char why[160];

/* FNV-1a over 32-bit values: the digest of what a stressor saw. */
static void mix(uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		digest ^= (v >> (8 * i)) & 0xff;
		digest *= 16777619u;
	}
}

#define FAILIF(cond, ...)						\
	do {								\
		if (cond) {						\
			snprintf(why, sizeof(why), __VA_ARGS__);	\
			return -1;					\
		}							\
	} while (0)

static uint32_t pattern(uint32_t i, uint32_t seed)
{
	return (i + seed) * 2654435761u;
}

static void fill(uint32_t *p, size_t words, uint32_t seed)
{
	for (size_t i = 0; i < words; i++)
		p[i] = pattern((uint32_t)i, seed);
}

static int check(const uint32_t *p, size_t words, uint32_t seed)
{
	for (size_t i = 0; i < words; i++)
		if (p[i] != pattern((uint32_t)i, seed))
			return (int)i + 1;
	return 0;
}

/* ---- processes ---- */

/* A tree of forks three deep; every child exits with a code from its path. */
static int tree(int depth, int path)
{
	int sum = path;

	if (depth == 0)
		return path & 0x7f;
	for (int i = 1; i <= 3; i++) {
		pid_t pid = fork();
		int st;

		if (pid < 0)
			return -1;
		if (pid == 0)
			_exit(tree(depth - 1, path * 4 + i) & 0x7f);
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
			return -1;
		sum += WEXITSTATUS(st);
	}
	return sum & 0x7f;
}

static int s_fork(void)
{
	for (int round = 0; round < 4; round++) {
		int r = tree(3, round + 1);

		FAILIF(r < 0, "fork tree round %d failed", round);
		mix((uint32_t)r);
	}
	return 0;
}

static int s_exec(void)
{
	for (int i = 0; i < 40; i++) {
		pid_t pid = fork();
		int st;

		FAILIF(pid < 0, "fork: %s", strerror(errno));
		if (pid == 0) {
			char code[8];

			snprintf(code, sizeof(code), "%d", i % 5);
			execl("/bin/sh", "sh", "-c", "exit $0", code, (char *)NULL);
			_exit(127);
		}
		FAILIF(waitpid(pid, &st, 0) != pid || !WIFEXITED(st), "wait after exec");
		FAILIF(WEXITSTATUS(st) != i % 5, "exec %d: exit %d", i, WEXITSTATUS(st));
		mix((uint32_t)WEXITSTATUS(st));
	}
	return 0;
}

/* Copy on write: a child sees the values from before its parent wrote. */
static int s_cow(void)
{
	size_t words = 8 * MiB / 4;
	uint32_t *p = malloc(8 * MiB);
	int st, pipefd[2];
	pid_t pid;

	FAILIF(!p || pipe(pipefd), "setup");
	fill(p, words, 7);
	pid = fork();
	FAILIF(pid < 0, "fork");
	if (pid == 0) {
		char c;

		close(pipefd[1]);
		if (read(pipefd[0], &c, 1) != 1)
			_exit(2);
		_exit(check(p, words, 7) ? 1 : 0);	/* parent has written by now */
	}
	close(pipefd[0]);
	fill(p, words, 8);
	FAILIF(write(pipefd[1], "g", 1) != 1, "pipe");
	FAILIF(waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st),
	       "the child saw its parent's writes (exit %d)", WEXITSTATUS(st));
	FAILIF(check(p, words, 8), "the parent lost its writes");
	mix(p[words - 1]);
	free(p);
	close(pipefd[1]);
	return 0;
}

/* ---- memory ---- */

static int s_mmap(void)
{
	for (uint32_t mb = 1; mb <= 32; mb *= 2) {
		uint32_t *p = mmap(NULL, mb * MiB, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		FAILIF(p == MAP_FAILED, "mmap %u MiB: %s", mb, strerror(errno));
		for (size_t i = 0; i < mb * MiB / 4; i += PAGE / 4)
			FAILIF(p[i] != 0, "fresh anonymous memory is not zero");
		fill(p, mb * MiB / 4, mb);
		FAILIF(check(p, mb * MiB / 4, mb), "%u MiB mapping lost data", mb);
		mix(p[mb * MiB / 4 - 1]);
		FAILIF(munmap(p, mb * MiB), "munmap");
	}
	return 0;
}

/* Move and resize mappings; 4 MiB-aligned moves make Linux move whole
 * page-table pages (the mremap that panicked XenoLinux). */
static int mremap_case(size_t from, size_t to, bool fixed_aligned, uint32_t seed)
{
	uint8_t *area = mmap(NULL, 5 * FOUR_MIB + from + to, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t base = ((uintptr_t)area + FOUR_MIB - 1) & ~(uintptr_t)(FOUR_MIB - 1);
	uint32_t *src, *dst;

	FAILIF(area == MAP_FAILED, "reserve");
	munmap(area, 5 * FOUR_MIB + from + to);
	src = mmap((void *)base, from, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	FAILIF(src == MAP_FAILED, "mmap source");
	fill(src, from / 4, seed);
	if (fixed_aligned)
		dst = mremap(src, from, to, MREMAP_MAYMOVE | MREMAP_FIXED,
			     (void *)(base + 2 * FOUR_MIB + (from > to ? from : to)));
	else
		dst = mremap(src, from, to, MREMAP_MAYMOVE);
	FAILIF(dst == MAP_FAILED, "mremap %zu -> %zu: %s", from, to, strerror(errno));
	FAILIF(check(dst, (from < to ? from : to) / 4, seed), "mremap %zu -> %zu lost data",
	       from, to);
	if (to > from)
		FAILIF(dst[to / 4 - 1] != 0, "the grown part is not zero");
	fill(dst, to / 4, seed + 1);		/* still usable */
	FAILIF(check(dst, to / 4, seed + 1), "moved mapping not writable");
	mix(dst[to / 4 - 1]);
	FAILIF(munmap(dst, to), "munmap");
	return 0;
}

static int s_mremap(void)
{
	static const struct { size_t from, to; bool fixed; } t[] = {
		{ 8 * MiB, 8 * MiB, true }, { 4 * MiB, 12 * MiB, true }, { 12 * MiB, 4 * MiB, true },
		{ 1 * MiB, 3 * MiB, false }, { 3 * MiB, 64 * 1024, false }, { 8 * MiB, 8 * MiB, false },
	};

	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (mremap_case(t[i].from, t[i].to, t[i].fixed, i))
			return -1;
	return 0;
}

static sigjmp_buf fault_jmp;
static volatile int faults;

static void on_segv(int sig)
{
	(void)sig;
	faults++;
	siglongjmp(fault_jmp, 1);
}

/* Every protection change is seen: a write to a read-only page faults. */
static int s_mprotect(void)
{
	uint32_t *p = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct sigaction sa = { .sa_handler = on_segv };

	FAILIF(p == MAP_FAILED, "mmap");
	sigaction(SIGSEGV, &sa, NULL);
	faults = 0;
	for (int round = 0; round < 8; round++) {
		mprotect(p, 64 * PAGE, PROT_READ);
		for (int pg = 0; pg < 64; pg += 7) {
			if (!sigsetjmp(fault_jmp, 1))
				p[pg * PAGE / 4] = (uint32_t)round;
		}
		mprotect(p, 64 * PAGE, PROT_READ | PROT_WRITE);
		p[round * PAGE / 4] = (uint32_t)round;
	}
	signal(SIGSEGV, SIG_DFL);
	FAILIF(faults != 8 * 10, "%d faults, expected 80", faults);
	mix((uint32_t)faults);
	madvise(p, 64 * PAGE, MADV_DONTNEED);
	FAILIF(p[0] != 0 || p[7 * PAGE / 4] != 0, "MADV_DONTNEED did not zero");
	munmap(p, 64 * PAGE);
	return 0;
}

static int s_brk(void)
{
	char *start = sbrk(0);

	for (int i = 1; i <= 16; i++) {
		char *p = sbrk(256 * 1024);

		FAILIF(p == (char *)-1, "sbrk grow");
		memset(p, i, 256 * 1024);
	}
	for (int i = 1; i <= 16; i++)
		FAILIF(start[(i - 1) * 256 * 1024 + 5] != i, "brk area lost data");
	FAILIF(brk(start), "brk shrink");
	mix((uint32_t)(sbrk(0) == start));
	return 0;
}

/* ---- communication ---- */

static int s_pipe(void)
{
	int fd[2];
	pid_t pid;
	uint32_t sum = 0, buf[1024];
	int st;

	FAILIF(pipe(fd), "pipe");
	pid = fork();
	FAILIF(pid < 0, "fork");
	if (pid == 0) {
		close(fd[0]);
		for (uint32_t blk = 0; blk < 256; blk++) {
			fill(buf, 1024, blk);
			if (write(fd[1], buf, sizeof(buf)) != sizeof(buf))
				_exit(1);
		}
		_exit(0);
	}
	close(fd[1]);
	for (;;) {
		ssize_t n = read(fd[0], buf, sizeof(buf));

		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n / 4; i++)
			sum = sum * 31 + buf[i];
	}
	close(fd[0]);
	FAILIF(waitpid(pid, &st, 0) != pid || WEXITSTATUS(st), "writer failed");
	mix(sum);
	return 0;
}

static volatile int signals_seen;

static void on_usr(int sig)
{
	signals_seen += sig;
}

static int s_signal(void)
{
	struct sigaction sa = { .sa_handler = on_usr };
	sigset_t block, old;

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	signals_seen = 0;
	for (int i = 0; i < 100; i++)
		kill(getpid(), i & 1 ? SIGUSR1 : SIGUSR2);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	kill(getpid(), SIGUSR1);
	FAILIF(signals_seen != 50 * SIGUSR1 + 50 * SIGUSR2, "signals lost: %d", signals_seen);
	sigprocmask(SIG_SETMASK, &old, NULL);	/* the blocked one arrives now */
	FAILIF(signals_seen != 51 * SIGUSR1 + 50 * SIGUSR2, "blocked signal not delivered");
	mix((uint32_t)signals_seen);
	return 0;
}

/* Shared anonymous memory between parent and child. */
static int s_shared(void)
{
	volatile uint32_t *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int st;

	FAILIF(p == MAP_FAILED, "mmap shared");
	pid = fork();
	FAILIF(pid < 0, "fork");
	if (pid == 0) {
		for (int i = 0; i < 1000; i++)
			__sync_fetch_and_add(&p[0], 1);
		p[1] = 0xfeed;
		_exit(0);
	}
	for (int i = 0; i < 1000; i++)
		__sync_fetch_and_add(&p[0], 2);
	FAILIF(waitpid(pid, &st, 0) != pid, "wait");
	FAILIF(p[0] != 3000 || p[1] != 0xfeed, "shared memory: %u %#x", p[0], p[1]);
	mix(p[0]);
	munmap((void *)p, PAGE);
	return 0;
}

/* ---- threads, futexes, TLS ---- */

static __thread uint32_t tls_value;
static uint32_t counter;
static int futex_word;

static void *worker(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg;

	tls_value = id * 1000;
	for (int i = 0; i < 10000; i++)
		__sync_fetch_and_add(&counter, 1);
	while (__sync_fetch_and_add(&futex_word, 0) == 0)
		syscall(SYS_futex, &futex_word, FUTEX_WAIT, 0, NULL, NULL, 0);
	return (void *)(uintptr_t)(tls_value + id);
}

static int s_threads(void)
{
	pthread_t t[4];
	uint32_t sum = 0;

	counter = 0, futex_word = 0;
	tls_value = 7;
	for (uintptr_t i = 0; i < 4; i++)
		FAILIF(pthread_create(&t[i], NULL, worker, (void *)i), "pthread_create");
	while (__sync_fetch_and_add(&counter, 0) < 40000)
		sched_yield();
	__sync_lock_test_and_set(&futex_word, 1);
	syscall(SYS_futex, &futex_word, FUTEX_WAKE, 4, NULL, NULL, 0);
	for (int i = 0; i < 4; i++) {
		void *r;

		pthread_join(t[i], &r);
		sum += (uint32_t)(uintptr_t)r;
	}
	FAILIF(counter != 40000 || sum != 6006 || tls_value != 7, "counter %u, sum %u, tls %u",
	       counter, sum, tls_value);
	mix(sum);
	return 0;
}

/* ---- files ---- */

static int s_files(void)
{
	char name[64];
	uint32_t buf[1024];

	for (int f = 0; f < 50; f++) {
		int fd;

		snprintf(name, sizeof(name), "/tmp/xstress.%d", f);
		fd = open(name, O_CREAT | O_TRUNC | O_RDWR, 0600);
		FAILIF(fd < 0, "open %s: %s", name, strerror(errno));
		for (int b = 0; b < 16; b++) {
			fill(buf, 1024, (uint32_t)(f * 16 + b));
			FAILIF(write(fd, buf, sizeof(buf)) != sizeof(buf), "write");
		}
		FAILIF(lseek(fd, 5 * sizeof(buf), SEEK_SET) < 0 || read(fd, buf, sizeof(buf)) !=
		       sizeof(buf) || check(buf, 1024, (uint32_t)(f * 16 + 5)), "read back %s", name);
		mix(buf[1023]);
		close(fd);
	}
	for (int f = 0; f < 50; f++) {
		char to[64];

		snprintf(name, sizeof(name), "/tmp/xstress.%d", f);
		snprintf(to, sizeof(to), "/tmp/xstress.r%d", f);
		FAILIF(rename(name, to) || unlink(to), "rename/unlink %s", name);
	}
	return 0;
}

/* The same system call through int $0x80 and through libc's vDSO entry. */
static int s_syscall(void)
{
	long a, b;

	asm volatile("int $0x80" : "=a"(a) : "a"(SYS_getpid) : "memory");
	b = syscall(SYS_getpid);
	FAILIF(a != b || a != getpid(), "getpid: int80 %ld, libc %ld", a, b);
	for (int i = 0; i < 1000; i++)
		FAILIF(syscall(SYS_getppid) != getppid(), "getppid");
	mix(1);
	return 0;
}

/* ---- the driver ---- */

static const struct {
	const char *name;
	int (*run)(void);
} stressors[] = {
	{ "fork", s_fork }, { "exec", s_exec }, { "cow", s_cow }, { "mmap", s_mmap },
	{ "mremap", s_mremap }, { "mprotect", s_mprotect }, { "brk", s_brk },
	{ "pipe", s_pipe }, { "signal", s_signal }, { "shared", s_shared },
	{ "threads", s_threads }, { "files", s_files }, { "syscall", s_syscall },
};
#define NSTRESSORS (sizeof(stressors) / sizeof(stressors[0]))

static bool wanted(int argc, char **argv, const char *name)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	unsigned int ok = 0, failed = 0;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: xstress [NAME...]\nstressors:");
		for (unsigned int i = 0; i < NSTRESSORS; i++)
			printf(" %s", stressors[i].name);
		printf("\neach prints 'stress: NAME ok DIGEST' or 'stress: NAME FAIL why'\n");
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (unsigned int i = 0; i < NSTRESSORS; i++) {
		if (!wanted(argc, argv, stressors[i].name))
			continue;
		digest = 2166136261u;
		why[0] = 0;
		if (stressors[i].run() == 0) {
			printf("stress: %s ok %08x\n", stressors[i].name, digest);
			ok++;
		} else {
			printf("stress: %s FAIL %s\n", stressors[i].name, why);
			failed++;
		}
	}
	printf("stress: %u ok, %u failed\n", ok, failed);
	return failed ? 1 : 0;
}
