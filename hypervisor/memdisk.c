/* SPDX-License-Identifier: MIT */
/*
 * RAM disks: a multiboot module whose command line has the word "memdisk"
 * (QEMU: -initrd "vmlinux,initrd,disk.img memdisk"; "memdisk ro" for a
 * read-only one) becomes a physical disk (pdisk.h) of its whole sectors.
 * Its frames stay the hypervisor's for the machine's life.  Requests are
 * copied at once, inside submit(), and counted as work of the caller; the
 * block back end cannot tell this disk from a real one, so the whole
 * VBD path runs where there is no virtio (Bochs).
 */
#include <boot.h>
#include <console.h>
#include <errno.h>
#include <hypercall.h>
#include <lib.h>
#include <memdisk.h>
#include <mm.h>
#include <pdisk.h>

#define MEMDISK_MAX		4
#define WORK_PER_64_BYTES	1	/* a sector copied costs 8 units */

struct memdisk {
	struct pdisk disk;
	uint32_t base;			/* machine address of sector 0 */
};

static struct memdisk disks[MEMDISK_MAX];
static unsigned int nr_memdisks;

/* Copy len bytes between disk byte 'pos' and machine address 'maddr'. */
static void copy(const struct memdisk *m, uint64_t pos, uint32_t maddr, uint32_t len,
		 bool to_disk)
{
	while (len) {
		uint32_t dpos = m->base + (uint32_t)pos;
		uint32_t n = MIN(len, PAGE_SIZE - (dpos & ~PAGE_MASK));
		uint8_t *dpage = map_domain_page(dpos >> PAGE_SHIFT);
		uint8_t *mpage = map_domain_page(maddr >> PAGE_SHIFT);
		uint8_t *d = dpage + (dpos & ~PAGE_MASK), *g = mpage + (maddr & ~PAGE_MASK);

		if (to_disk)
			memcpy(d, g, n);
		else
			memcpy(g, d, n);
		unmap_domain_page(mpage);
		unmap_domain_page(dpage);
		pos += n, maddr += n, len -= n;
	}
}

static int memdisk_submit(struct pdisk *disk, struct pdisk_io *io)
{
	const struct memdisk *m = disk->priv;
	uint64_t pos = io->sector * PDISK_SECTOR_SIZE;
	int rc = pdisk_check_io(disk, io);

	if (rc)
		return rc;
	for (unsigned int i = 0; io->op != PDISK_FLUSH && i < io->nr_segs; i++) {
		copy(m, pos, io->seg[i].maddr, io->seg[i].len, io->op == PDISK_WRITE);
		hypercall_count_work(io->seg[i].len / 64 * WORK_PER_64_BYTES);
		pos += io->seg[i].len;
	}
	io->done(io, 0);	/* memory is always in sync: a flush has nothing to do */
	return 0;
}

static const struct pdisk_ops memdisk_ops = { .submit = memdisk_submit };

/* Does the module's command line have this word? */
static bool has_word(const char *line, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = line; *p; p++)
		if ((p == line || p[-1] == ' ') && !strncmp(p, word, n) &&
		    (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

bool memdisk_is_module(const struct boot_module *mod)
{
	return has_word(mod->cmdline, "memdisk");
}

void memdisk_add(const struct boot_module *mod)
{
	struct memdisk *m = &disks[nr_memdisks];
	uint64_t sectors = (mod->end - mod->start) / PDISK_SECTOR_SIZE;

	if (nr_memdisks == MEMDISK_MAX || !sectors || (mod->start & (PDISK_SECTOR_SIZE - 1))) {
		printk("memdisk: module '%s' cannot be a disk (too many, empty or unaligned)\n",
		       mod->cmdline);
		return;
	}
	snprintf(m->disk.name, sizeof(m->disk.name), "ram%u", nr_memdisks);
	m->disk.sectors = sectors;
	m->disk.readonly = has_word(mod->cmdline, "ro");
	m->disk.ops = &memdisk_ops;
	m->disk.priv = m;
	m->base = mod->start;
	if (pdisk_register(&m->disk)) {
		printk("memdisk: no room for '%s' among the physical disks\n", mod->cmdline);
		return;
	}
	nr_memdisks++;
	printk("memdisk: %s is module '%s'\n", m->disk.name, mod->cmdline);
}
