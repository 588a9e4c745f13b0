/* SPDX-License-Identifier: MIT */
/*
 * The table of physical disks (pdisk.h): drivers register, the block back
 * end looks them up.  Disks are never removed while the machine runs.
 */
#include <console.h>
#include <errno.h>
#include <page.h>
#include <pdisk.h>

static struct pdisk *disks[PDISK_MAX_DISKS];
static unsigned int nr_disks;

int pdisk_register(struct pdisk *disk)
{
	if (nr_disks == PDISK_MAX_DISKS)
		return -ENOSPC;
	disk->index = nr_disks;
	disks[nr_disks++] = disk;
	printk("pdisk %u: %s, %llu sectors (%llu MiB)%s\n", disk->index, disk->name,
	       disk->sectors, disk->sectors * PDISK_SECTOR_SIZE >> 20,
	       disk->readonly ? ", read-only" : "");
	return 0;
}

struct pdisk *pdisk_get(unsigned int i)
{
	return i < nr_disks ? disks[i] : NULL;
}

unsigned int pdisk_count(void)
{
	return nr_disks;
}

void pdisk_room(struct pdisk *disk)
{
	if (disk->room)
		disk->room(disk);
}

/*
 * Segments of whole, aligned sectors inside one frame each, and a sector
 * range inside the disk (without wrapping); a flush has no segments.
 */
int pdisk_check_io(const struct pdisk *disk, const struct pdisk_io *io)
{
	uint64_t sectors = 0;

	if (io->op == PDISK_FLUSH)
		return io->nr_segs ? -EINVAL : 0;
	if (io->nr_segs == 0 || io->nr_segs > PDISK_MAX_SEGS ||
	    (io->op == PDISK_WRITE && disk->readonly))
		return -EINVAL;
	for (unsigned int i = 0; i < io->nr_segs; i++) {
		const struct pdisk_seg *s = &io->seg[i];

		if (!s->len || (s->len | s->maddr) % PDISK_SECTOR_SIZE ||
		    (s->maddr & ~PAGE_MASK) + s->len > PAGE_SIZE)
			return -EINVAL;
		sectors += s->len / PDISK_SECTOR_SIZE;
	}
	if (io->sector >= disk->sectors || sectors > disk->sectors - io->sector)
		return -EINVAL;
	return 0;
}
