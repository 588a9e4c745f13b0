/* SPDX-License-Identifier: MIT */
/*
 * Turn the multiboot hand-over into struct boot_info, and answer questions
 * about the hypervisor's command line.  Pure: it reads memory only through
 * the map callback, so the host unit tests run it on synthetic structures.
 */
#include <boot.h>
#include <errno.h>
#include <lib.h>
#include <page.h>

struct boot_info boot_info;

static void copy_string(char *dst, size_t size, uint32_t maddr, boot_map_fn map)
{
	const char *s;

	dst[0] = '\0';
	if (!maddr)
		return;
	s = map(maddr, 1);
	if (!s)
		return;
	/* Strings may run past the first byte's page: map them in full. */
	for (size_t n = 1; n <= size; n++) {
		s = map(maddr, (uint32_t)n);
		if (!s || s[n - 1] == '\0' || n == size) {
			if (s)
				strlcpy(dst, s, n < size ? n : size);
			return;
		}
	}
}

/* Add [start, end) to the RAM list, keeping it sorted and merged. */
static void add_range(struct boot_info *bi, uint64_t start, uint64_t end)
{
	unsigned int i;

	if (start >= end || bi->nr_ranges == BOOT_MAX_RANGES)
		return;
	for (i = 0; i < bi->nr_ranges && bi->ram[i].start < start; i++)
		;
	memmove(&bi->ram[i + 1], &bi->ram[i], (bi->nr_ranges - i) * sizeof(bi->ram[0]));
	bi->ram[i].start = start;
	bi->ram[i].end = end;
	bi->nr_ranges++;
	for (i = 0; i + 1 < bi->nr_ranges;) {
		if (bi->ram[i].end >= bi->ram[i + 1].start) {
			bi->ram[i].end = MAX(bi->ram[i].end, bi->ram[i + 1].end);
			memmove(&bi->ram[i + 1], &bi->ram[i + 2],
				(bi->nr_ranges - i - 2) * sizeof(bi->ram[0]));
			bi->nr_ranges--;
		} else {
			i++;
		}
	}
}

static int parse_mmap(const struct mb_info *mbi, boot_map_fn map, struct boot_info *bi,
		      const char **why)
{
	uint32_t off = 0;

	if (!(mbi->flags & MBI_FLAG_MMAP) || mbi->mmap_length == 0) {
		*why = "the bootloader gave no memory map (multiboot flag 6); "
		       "Xeno needs one to know which RAM it may use";
		return -EINVAL;
	}
	while (off + sizeof(uint32_t) <= mbi->mmap_length) {
		const struct mb_mmap_entry *e = map(mbi->mmap_addr + off, sizeof(*e));

		if (!e || e->size < sizeof(*e) - sizeof(uint32_t)) {
			*why = "the multiboot memory map is malformed";
			return -EINVAL;
		}
		if (e->type == MB_MMAP_AVAILABLE)
			add_range(bi, ALIGN_UP(e->addr, (uint64_t)PAGE_SIZE),
				  (e->addr + e->len) & ~(uint64_t)(PAGE_SIZE - 1));
		off += e->size + sizeof(uint32_t);
	}
	if (bi->nr_ranges == 0) {
		*why = "the multiboot memory map lists no usable RAM";
		return -EINVAL;
	}
	return 0;
}

static int parse_modules(const struct mb_info *mbi, boot_map_fn map, struct boot_info *bi,
			 const char **why)
{
	const struct mb_module *m;

	if (!(mbi->flags & MBI_FLAG_MODS) || mbi->mods_count == 0)
		return 0;
	if (mbi->mods_count > BOOT_MAX_MODULES) {
		*why = "too many multiboot modules (at most 8)";
		return -E2BIG;
	}
	m = map(mbi->mods_addr, mbi->mods_count * sizeof(*m));
	if (!m) {
		*why = "the multiboot module list is out of reach";
		return -EFAULT;
	}
	for (uint32_t i = 0; i < mbi->mods_count; i++) {
		if (m[i].mod_end < m[i].mod_start) {
			*why = "a multiboot module ends before it starts";
			return -EINVAL;
		}
		bi->module[i].start = m[i].mod_start;
		bi->module[i].end = m[i].mod_end;
		copy_string(bi->module[i].cmdline, BOOT_CMDLINE_MAX, m[i].string, map);
	}
	bi->nr_modules = mbi->mods_count;
	return 0;
}

int boot_parse_multiboot(uint32_t magic, const struct mb_info *mbi, boot_map_fn map,
			 struct boot_info *bi, const char **why)
{
	int rc;

	memset(bi, 0, sizeof(*bi));
	if (magic != MB_BOOTLOADER_MAGIC) {
		*why = "not started by a multiboot loader (bad magic in EAX)";
		return -EINVAL;
	}
	if (!mbi) {
		*why = "the multiboot information structure is out of reach";
		return -EFAULT;
	}
	if (mbi->flags & MBI_FLAG_CMDLINE)
		copy_string(bi->cmdline, sizeof(bi->cmdline), mbi->cmdline, map);
	if (mbi->flags & MBI_FLAG_LOADER_NAME)
		copy_string(bi->loader, sizeof(bi->loader), mbi->boot_loader_name, map);
	rc = parse_mmap(mbi, map, bi, why);
	if (rc)
		return rc;
	return parse_modules(mbi, map, bi, why);
}

/*
 * Find "name=value" (or a bare "name") among the space-separated words of the
 * command line (the loader's first word, the image's path, never matches a
 * name=).  Returns a pointer to the value (ending at the next space), "" for a
 * bare word, or NULL.
 */
const char *boot_option(const struct boot_info *bi, const char *name)
{
	size_t len = strlen(name);
	const char *p = bi->cmdline;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, name, len)) {
			if (p[len] == '=')
				return p + len + 1;
			if (p[len] == ' ' || p[len] == '\0')
				return p + len;
		}
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

/* Is the option value v (as boot_option returns it) exactly 'want'? */
bool boot_value_is(const char *v, const char *want)
{
	size_t len = strlen(want);

	return v && !strncmp(v, want, len) && (v[len] == ' ' || v[len] == '\0');
}

/* Parse "name=<n>[K|M|G]" into bytes.  False (with *why) if absent or malformed. */
bool boot_option_size(const struct boot_info *bi, const char *name, uint64_t *bytes,
		      const char **why)
{
	const char *v = boot_option(bi, name), *end;
	uint64_t n;

	*why = NULL;
	if (!v)
		return false;
	n = simple_strtoul(v, &end, 0);
	switch (*end) {
	case 'G': case 'g':
		n <<= 10;
		/* fall through */
	case 'M': case 'm':
		n <<= 10;
		/* fall through */
	case 'K': case 'k':
		n <<= 10;
		end++;
		break;
	}
	if (end == v || (*end != ' ' && *end != '\0')) {
		*why = "expected a size such as 64M, 512K or 1G";
		return false;
	}
	*bytes = n;
	return true;
}
