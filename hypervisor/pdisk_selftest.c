/* SPDX-License-Identifier: MIT */
/*
 * The physical-disk self-test, boot option pdisk_selftest[=keep|bench].
 * Through each registered disk's own driver: save its last
 * SELFTEST_SECTORS sectors, write a pattern there, flush, read it back and
 * compare, then write the saved data back and check that too.  =keep
 * leaves the pattern for the host to find; =bench repeats the pattern's
 * write and read BENCH_ROUNDS times for a throughput figure.  It runs at
 * boot, before Domain0, and proves the data path on its own (the rings,
 * DMA to the given machine addresses, the shared level-triggered
 * interrupt); the vbd back end is not involved.
 *
 * Pattern: sector s holds 32 copies of the 16-byte line "xeno-%08x-w\n"
 * with s in hex, which ci/t-virtio-blk.sh regenerates on the host.
 * While a disk is tested its room callback is the test's, counting the
 * pdisk_room() calls that follow -EBUSY answers.  While it waits,
 * interrupts are let in one instruction at a time (irq_window()).  Every io
 * is the test's until its done() has run; after a time-out the buffers are
 * never freed, as the device may still write them.
 */
#include <boot.h>
#include <console.h>
#include <errno.h>
#include <lib.h>
#include <mm.h>
#include <page.h>
#include <pdisk.h>
#include <time.h>
#include <x86.h>

#define SELFTEST_SECTORS	256	/* 128 KiB at the end of each disk */
#define SELFTEST_BYTES		(SELFTEST_SECTORS * PDISK_SECTOR_SIZE)
#define SELFTEST_PAGES		(SELFTEST_BYTES / PAGE_SIZE)
#define SELFTEST_IOS		((SELFTEST_PAGES + PDISK_MAX_SEGS - 1) / PDISK_MAX_SEGS)
#define SECTORS_PER_PAGE	(PAGE_SIZE / PDISK_SECTOR_SIZE)
#define SELFTEST_TIMEOUT_NS	10000000000ull	/* per wait: 10 s */
#define BENCH_ROUNDS		64		/* 8 MiB each way */
#define PATTERN_LINE		16
#define PATTERN_TAG		'w'
#define SHOW_BYTES		15		/* of the first saved line */
#define NS_PER_SEC		1000000000ull

enum buffer { SAVED, PATTERN, CHECK, NR_BUFFERS };

static struct pdisk_io ios[SELFTEST_IOS + 1];	/* the region's, and a flush */
static unsigned int pending;			/* ios taken, done() not yet run */
static int io_error;				/* the first error done() saw */
static unsigned int busy, rooms;		/* -EBUSY answers, pdisk_room() calls */

static void io_done(struct pdisk_io *io, int status)
{
	(void)io;
	pending--;
	if (status && !io_error)
		io_error = status;
}

/* The disk's room callback while it is tested (the back end's otherwise). */
static void note_room(struct pdisk *d)
{
	(void)d;
	rooms++;
}

/* Let interrupts in until at most 'target' ios are pending: 0 or -EBUSY. */
static int wait_pending(unsigned int target)
{
	uint64_t deadline = time_now() + SELFTEST_TIMEOUT_NS;

	while (pending > target && time_now() < deadline)
		irq_window();
	if (pending > target) {
		printk("pdisk selftest: timed out with %u requests outstanding\n", pending);
		return -EBUSY;
	}
	return 0;
}

/* Submit io, waiting for room while the disk says -EBUSY. */
static int submit(struct pdisk *d, struct pdisk_io *io)
{
	int rc;

	io->done = io_done;
	pending++;
	while ((rc = d->ops->submit(d, io)) == -EBUSY) {
		busy++;
		if (pending == 1 || wait_pending(pending - 1))
			break;		/* nothing of ours to wait for, or a time-out */
	}
	if (rc)
		pending--;
	return rc;
}

/* Move the whole region between the disk and buf, every io in flight at once. */
static int transfer(struct pdisk *d, enum pdisk_op op, uint8_t *buf, uint64_t first)
{
	unsigned int page = 0;
	int rc = 0;

	io_error = 0;
	for (unsigned int i = 0; i < SELFTEST_IOS && !rc; i++) {
		struct pdisk_io *io = &ios[i];

		memset(io, 0, sizeof(*io));
		io->op = op;
		io->sector = first + page * SECTORS_PER_PAGE;
		io->nr_segs = MIN(PDISK_MAX_SEGS, SELFTEST_PAGES - page);
		for (unsigned int s = 0; s < io->nr_segs; s++, page++) {
			io->seg[s].maddr = __pa(buf + page * PAGE_SIZE);
			io->seg[s].len = PAGE_SIZE;
		}
		rc = submit(d, io);
	}
	if (!rc)
		rc = wait_pending(0);
	return rc ? rc : io_error;
}

static int flush(struct pdisk *d)
{
	struct pdisk_io *io = &ios[SELFTEST_IOS];
	int rc;

	memset(io, 0, sizeof(*io));
	io->op = PDISK_FLUSH;
	io_error = 0;
	rc = submit(d, io);
	if (!rc)
		rc = wait_pending(0);
	return rc ? rc : io_error;
}

static void fill_pattern(uint8_t *buf, uint64_t first)
{
	char line[PATTERN_LINE + 1];

	for (unsigned int s = 0; s < SELFTEST_SECTORS; s++) {
		snprintf(line, sizeof(line), "xeno-%08x-%c\n", (uint32_t)(first + s), PATTERN_TAG);
		for (unsigned int off = 0; off < PDISK_SECTOR_SIZE; off += PATTERN_LINE)
			memcpy(buf + s * PDISK_SECTOR_SIZE + off, line, PATTERN_LINE);
	}
}

/* 0 if equal; else says where they differ. */
static int compare(const struct pdisk *d, const uint8_t *got, const uint8_t *want,
		   uint64_t first, const char *what)
{
	unsigned int i;

	if (!memcmp(got, want, SELFTEST_BYTES))
		return 0;
	for (i = 0; got[i] == want[i]; i++)
		;
	printk("pdisk selftest: %s: %s differs at sector %llu byte %u: %02x, want %02x\n",
	       d->name, what, first + i / PDISK_SECTOR_SIZE, i % PDISK_SECTOR_SIZE, got[i],
	       want[i]);
	return -EIO;
}

/* What the region held first, as text: proves the reads reach the disk. */
static void show_saved(const struct pdisk *d, const uint8_t *saved, uint64_t first)
{
	char text[SHOW_BYTES + 1];

	for (unsigned int i = 0; i < SHOW_BYTES; i++)
		text[i] = saved[i] >= ' ' && saved[i] < 0x7f ? (char)saved[i] : '.';
	text[SHOW_BYTES] = '\0';
	printk("pdisk selftest: %s: sector %llu read '%s'\n", d->name, first, text);
}

static uint64_t kib_per_sec(uint64_t bytes, uint64_t ns)
{
	return ns ? bytes * NS_PER_SEC / ns / 1024 : 0;
}

/* Write the pattern and read it back, 'rounds' times each, timed. */
static int pattern_pass(struct pdisk *d, uint8_t **buf, uint64_t first, unsigned int rounds)
{
	uint64_t t0, t_write, t_read, bytes = (uint64_t)rounds * SELFTEST_BYTES;
	int rc = 0;

	fill_pattern(buf[PATTERN], first);
	t0 = time_now();
	for (unsigned int r = 0; r < rounds && !rc; r++)
		rc = transfer(d, PDISK_WRITE, buf[PATTERN], first);
	rc = rc ? rc : flush(d);
	t_write = time_now() - t0;
	t0 = time_now();
	for (unsigned int r = 0; r < rounds && !rc; r++)
		rc = transfer(d, PDISK_READ, buf[CHECK], first);
	t_read = time_now() - t0;
	if (rc)
		return rc;
	printk("pdisk selftest: %s: wrote %llu KiB in %llu us (%llu KiB/s), read in %llu us (%llu KiB/s)\n",
	       d->name, bytes >> 10, t_write / 1000, kib_per_sec(bytes, t_write), t_read / 1000,
	       kib_per_sec(bytes, t_read));
	return compare(d, buf[CHECK], buf[PATTERN], first, "pattern");
}

/* Put the saved data back and check it. */
static int restore(struct pdisk *d, uint8_t **buf, uint64_t first)
{
	int rc = transfer(d, PDISK_WRITE, buf[SAVED], first);

	rc = rc ? rc : flush(d);
	rc = rc ? rc : transfer(d, PDISK_READ, buf[CHECK], first);
	return rc ? rc : compare(d, buf[CHECK], buf[SAVED], first, "restored data");
}

static int test_region(struct pdisk *d, uint8_t **buf, bool keep, unsigned int rounds)
{
	uint64_t first = d->sectors - SELFTEST_SECTORS;
	int rc;

	if (d->sectors < SELFTEST_SECTORS) {
		printk("pdisk selftest: %s: smaller than %u sectors; skipped\n", d->name,
		       SELFTEST_SECTORS);
		return 0;
	}
	rc = transfer(d, PDISK_READ, buf[SAVED], first);
	if (rc)
		return rc;
	show_saved(d, buf[SAVED], first);
	if (d->readonly)
		return 0;
	rc = pattern_pass(d, buf, first, rounds);
	if (rc || keep)
		return rc;
	return restore(d, buf, first);
}

/* The region's test, with the disk's pdisk_room() calls counted. */
static int test_disk(struct pdisk *d, uint8_t **buf, bool keep, unsigned int rounds)
{
	void (*room)(struct pdisk *d) = d->room;
	int rc;

	busy = rooms = 0;
	d->room = note_room;
	rc = test_region(d, buf, keep, rounds);
	d->room = room;
	if (!rc && busy)
		printk("pdisk selftest: %s: queue full %u times, room again %u times\n", d->name,
		       busy, rooms);
	return rc;
}

static int test_all(uint8_t **buf, bool keep, unsigned int rounds)
{
	for (unsigned int i = 0; i < pdisk_count(); i++) {
		struct pdisk *d = pdisk_get(i);
		int rc = test_disk(d, buf, keep, rounds);

		if (rc) {
			printk("pdisk selftest: %s: FAILED (error %d)\n", d->name, rc);
			return rc;
		}
	}
	return 0;
}

void pdisk_selftest(const char *how)
{
	bool keep = boot_value_is(how, "keep");
	unsigned int rounds = boot_value_is(how, "bench") ? BENCH_ROUNDS : 1;
	uint8_t *buf[NR_BUFFERS];
	int rc = 0;

	if (!pdisk_count()) {
		printk("pdisk selftest: no disks\n");
		return;
	}
	for (unsigned int b = 0; b < NR_BUFFERS; b++) {
		buf[b] = alloc_xenheap_pages(SELFTEST_PAGES);
		if (!buf[b])
			rc = -ENOMEM;
	}
	rc = rc ? rc : test_all(buf, keep, rounds);
	if (rc != -EBUSY)		/* after a time-out the device may still write */
		for (unsigned int b = 0; b < NR_BUFFERS; b++)
			if (buf[b])
				free_xenheap_pages(buf[b], SELFTEST_PAGES);
	if (rc)
		printk("pdisk selftest: FAILED (error %d)\n", rc);
	else
		printk("pdisk selftest: ok (%u disk%s%s)\n", pdisk_count(),
		       pdisk_count() == 1 ? "" : "s", keep ? ", pattern kept" : "");
}
