// SPDX-License-Identifier: MIT
/*
 * mremaptest: move, shrink and grow anonymous mappings with mremap() and
 * check their contents, the old range and munmap afterwards.
 *
 * Linux moves whole page tables, not their entries, when a move's source
 * and destination are both 4 MiB-aligned (move_normal_pmd on 2-level i386):
 * under Xeno, where page tables are pinned, that once panicked Domain0.  So
 * the cases cover aligned and unaligned ends, tables moved whole and in
 * part, an empty table slot, moving back and forth, fork after a move, and
 * MREMAP_DONTUNMAP.  Each case prints one line; the exit status is 0 only if
 * every case passed.  usage: mremaptest [CASE...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP	4
#endif

#define KIB		1024ul
#define MIB		(1024 * KIB)
#define PAGE		(4 * KIB)
#define TABLE_SPAN	(4 * MIB)	/* what one L1 page table maps */
#define RESERVE		(72 * MIB)	/* room for every case, aligned */
#define DST_OFFSET	(24 * MIB)	/* destinations start here in the room */

static int failures;

/* G4: say where and what, then leave the case. */
#define EXPECT_EQ(a, b)							\
	do {								\
		unsigned long _a = (unsigned long)(a);			\
		unsigned long _b = (unsigned long)(b);			\
		if (_a != _b) {						\
			printf("mremaptest: line %d: %s = %#lx, want %s = %#lx\n", \
			       __LINE__, #a, _a, #b, _b);		\
			return 1;					\
		}							\
	} while (0)

/* The word stored at word w of page i of a mapping filled with seed. */
static uint32_t pattern(uint32_t seed, size_t i, size_t w)
{
	return seed ^ (uint32_t)(i * 2654435761u) ^ (uint32_t)(w << 24);
}

/* Words at the start, middle and end of each page. */
static const size_t words[] = { 0, PAGE / 8, PAGE / 4 - 1 };

/* Fill pages [first, last) of p. */
static void fill(char *p, size_t first, size_t last, uint32_t seed)
{
	for (size_t i = first; i < last; i++)
		for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
			((uint32_t *)(p + i * PAGE))[words[k]] = pattern(seed, i, words[k]);
}

/* Pages [first, last) of p hold seed's pattern (seed 0: zero-filled). */
static int check(const char *p, size_t first, size_t last, uint32_t seed)
{
	for (size_t i = first; i < last; i++) {
		for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
			uint32_t got = ((const uint32_t *)(p + i * PAGE))[words[k]];

			EXPECT_EQ(got, seed ? pattern(seed, i, words[k]) : 0);
		}
	}
	return 0;
}

/* Is any page of [p, p + len) mapped?  mincore() fails with ENOMEM if not all are. */
static int unmapped(const void *p, size_t len)
{
	unsigned char vec[RESERVE / PAGE];

	return mincore((void *)p, len, vec) == -1 && errno == ENOMEM;
}

/*
 * A PROT_NONE room with a 4 MiB-aligned base, so each case has slots whose
 * page tables hold nothing else, then freed whole by room_free().
 */
static char *room, *base;

static int room_get(void)
{
	room = mmap(NULL, RESERVE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	EXPECT_EQ(room == MAP_FAILED, 0);
	base = (char *)(((uintptr_t)room + TABLE_SPAN - 1) & ~(TABLE_SPAN - 1));
	return 0;
}

static void room_free(void)
{
	munmap(room, RESERVE);
}

/* A private anonymous read-write mapping at a fixed address in the room. */
static char *map_at(char *where, size_t len)
{
	return mmap(where, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

/*
 * Map len bytes at base + src_off, fill pages [touch_from, end), move them
 * to base + DST_OFFSET + dst_off, and check the contents, the old range,
 * writes to the new one and munmap.
 */
static int move(size_t src_off, size_t dst_off, size_t len, size_t touch_from)
{
	char *src = base + src_off, *dst = base + DST_OFFSET + dst_off, *q;
	size_t pages = len / PAGE, first = touch_from / PAGE;

	EXPECT_EQ(map_at(src, len), src);
	fill(src, first, pages, 0x5eed0001);
	q = mremap(src, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	EXPECT_EQ(q, dst);
	EXPECT_EQ(unmapped(src, len), 1);
	if (check(q, first, pages, 0x5eed0001) || check(q, 0, first, 0))
		return 1;
	fill(q, 0, pages, 0x5eed0002);
	if (check(q, 0, pages, 0x5eed0002))
		return 1;
	EXPECT_EQ(munmap(q, len), 0);
	EXPECT_EQ(unmapped(q, len), 1);
	return 0;
}

static int test_aligned(void)
{
	return move(0, 0, 8 * MIB, 0);
}

static int test_unaligned_dst(void)
{
	return move(0, PAGE, 8 * MIB, 0);
}

static int test_unaligned_src(void)
{
	return move(PAGE, 0, 8 * MIB, 0);
}

/* Two tables moved whole, the last 64 KiB entry by entry. */
static int test_partial(void)
{
	return move(0, 0, 8 * MIB + 64 * KIB, 0);
}

/* The first 4 MiB never touched: no page table there to move. */
static int test_sparse(void)
{
	return move(0, 0, 8 * MIB, 4 * MIB);
}

/* The same two tables moved three times, aligned. */
static int test_back_and_forth(void)
{
	char *a = base, *b = base + DST_OFFSET;
	const size_t len = 8 * MIB, pages = len / PAGE;

	EXPECT_EQ(map_at(a, len), a);
	fill(a, 0, pages, 0x5eed0003);
	EXPECT_EQ(mremap(a, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, b), b);
	EXPECT_EQ(mremap(b, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, a), a);
	EXPECT_EQ(unmapped(b, len), 1);
	EXPECT_EQ(mremap(a, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, b), b);
	EXPECT_EQ(unmapped(a, len), 1);
	if (check(b, 0, pages, 0x5eed0003))
		return 1;
	EXPECT_EQ(munmap(b, len), 0);
	return 0;
}

/* Shrink in place: the first 4 MiB keep their data, the rest is gone. */
static int test_shrink(void)
{
	const size_t len = 8 * MIB;

	EXPECT_EQ(map_at(base, len), base);
	fill(base, 0, len / PAGE, 0x5eed0004);
	EXPECT_EQ(mremap(base, len, len / 2, 0), base);
	EXPECT_EQ(unmapped(base + len / 2, len / 2), 1);
	if (check(base, 0, len / PAGE / 2, 0x5eed0004))
		return 1;
	EXPECT_EQ(munmap(base, len / 2), 0);
	return 0;
}

/* Grow 4 -> 12 MiB wherever the kernel likes; then grow 4 -> 8 MiB, aligned. */
static int test_grow(void)
{
	const size_t len = 4 * MIB, pages = len / PAGE;
	char *q;

	EXPECT_EQ(map_at(base, len), base);
	fill(base, 0, pages, 0x5eed0005);
	q = mremap(base, len, 3 * len, MREMAP_MAYMOVE);
	EXPECT_EQ(q == MAP_FAILED, 0);
	if (check(q, 0, pages, 0x5eed0005) || check(q, pages, 3 * pages, 0))
		return 1;
	EXPECT_EQ(munmap(q, 3 * len), 0);

	EXPECT_EQ(map_at(base, len), base);
	fill(base, 0, pages, 0x5eed0006);
	q = mremap(base, len, 2 * len, MREMAP_MAYMOVE | MREMAP_FIXED, base + DST_OFFSET);
	EXPECT_EQ(q, base + DST_OFFSET);
	EXPECT_EQ(unmapped(base, len), 1);
	if (check(q, 0, pages, 0x5eed0006) || check(q, pages, 2 * pages, 0))
		return 1;
	EXPECT_EQ(munmap(q, 2 * len), 0);
	return 0;
}

/* After an aligned move the child sees the data, writes its own copy, exits. */
static int test_fork(void)
{
	char *a = base, *b = base + DST_OFFSET;
	const size_t len = 8 * MIB, pages = len / PAGE;
	int status;
	pid_t pid;

	EXPECT_EQ(map_at(a, len), a);
	fill(a, 0, pages, 0x5eed0007);
	EXPECT_EQ(mremap(a, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, b), b);
	pid = fork();
	EXPECT_EQ(pid < 0, 0);
	if (pid == 0) {
		if (check(b, 0, pages, 0x5eed0007))
			_exit(1);
		fill(b, 0, pages, 0x5eed0008);
		_exit(check(b, 0, pages, 0x5eed0008));
	}
	EXPECT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
	EXPECT_EQ(mremap(b, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, a), a);
	if (check(a, 0, pages, 0x5eed0007))
		return 1;
	EXPECT_EQ(munmap(a, len), 0);
	return 0;
}

/* MREMAP_DONTUNMAP: the tables move, the old range stays mapped and empty. */
static int test_dontunmap(void)
{
	char *a = base, *b = base + DST_OFFSET;
	const size_t len = 8 * MIB, pages = len / PAGE;

	EXPECT_EQ(map_at(a, len), a);
	fill(a, 0, pages, 0x5eed0009);
	EXPECT_EQ(mremap(a, len, len, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, b), b);
	if (check(b, 0, pages, 0x5eed0009) || check(a, 0, pages, 0))
		return 1;
	EXPECT_EQ(munmap(a, len), 0);
	EXPECT_EQ(munmap(b, len), 0);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} cases[] = {
	{ "aligned", test_aligned },
	{ "unaligned-dst", test_unaligned_dst },
	{ "unaligned-src", test_unaligned_src },
	{ "partial", test_partial },
	{ "sparse", test_sparse },
	{ "back-and-forth", test_back_and_forth },
	{ "shrink", test_shrink },
	{ "grow", test_grow },
	{ "fork", test_fork },
	{ "dontunmap", test_dontunmap },
};

static void run(size_t i)
{
	int rc;

	fflush(stdout);		/* before fork in a case */
	if (room_get())
		rc = 1;
	else
		rc = cases[i].fn();
	room_free();
	printf("mremaptest: %s %s\n", cases[i].name, rc ? "FAILED" : "ok");
	failures += rc != 0;
}

int main(int argc, char **argv)
{
	const size_t n = sizeof(cases) / sizeof(cases[0]);
	int ran = 0;

	for (size_t i = 0; i < n; i++) {
		int wanted = argc < 2;

		for (int a = 1; a < argc; a++)
			wanted |= !strcmp(argv[a], cases[i].name);
		if (wanted) {
			run(i);
			ran++;
		}
	}
	if (!ran) {
		printf("usage: mremaptest [CASE...]; cases:");
		for (size_t i = 0; i < n; i++)
			printf(" %s", cases[i].name);
		printf("\n");
		return 2;
	}
	printf("mremaptest: %d of %d cases passed\n", ran - failures, ran);
	return failures ? 1 : 0;
}
