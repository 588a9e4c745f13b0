/* SPDX-License-Identifier: MIT */
/* Multiboot hand-over parsing and command-line options (boot.c). */
#include <boot.h>
#include <errno.h>
#include <string.h>

#include "harness.h"

/* Fake machine memory: "machine address" = offset into this array. */
static uint8_t mem[0x4000];

static const void *fake_map(uint32_t maddr, uint32_t len)
{
	if (maddr >= sizeof(mem) || len > sizeof(mem) - maddr)
		return NULL;
	return mem + maddr;
}

enum { MBI = 0x100, MMAP = 0x200, MODS = 0x400, STR = 0x800 };

static struct mb_info *mbi(void)
{
	return (struct mb_info *)(mem + MBI);
}

static void put_mmap(int i, uint64_t addr, uint64_t len, uint32_t type)
{
	struct mb_mmap_entry e = { 20, addr, len, type };

	memcpy(mem + MMAP + i * 24, &e, sizeof(e));
	mbi()->mmap_length = (i + 1) * 24;
}

static void setup(void)
{
	memset(mem, 0, sizeof(mem));
	mbi()->flags = MBI_FLAG_MMAP | MBI_FLAG_CMDLINE;
	mbi()->mmap_addr = MMAP;
	mbi()->cmdline = STR;
	strcpy((char *)mem + STR, "xeno.elf dom0_mem=64M crash=pf verbose");
	put_mmap(0, 0, 0x9fc00, MB_MMAP_AVAILABLE);
	put_mmap(1, 0xf0000, 0x10000, 2);
	put_mmap(2, 0x100000, 0x7f00000, MB_MMAP_AVAILABLE);
}

static int parse(struct boot_info *bi, const char **why)
{
	*why = NULL;
	return boot_parse_multiboot(MB_BOOTLOADER_MAGIC, mbi(), fake_map, bi, why);
}

static void test_good(void)
{
	struct boot_info bi;
	const char *why;

	setup();
	CHECK_EQ(parse(&bi, &why), 0, "valid hand-over");
	CHECK_EQ(bi.nr_ranges, 2, "RAM ranges");
	CHECK_EQ(bi.ram[0].end, 0x9f000, "low range rounded down to a page");
	CHECK_EQ(bi.ram[1].start, 0x100000, "high range start");
	CHECK_EQ(bi.ram[1].end, 0x8000000, "high range end");
	CHECK(!strcmp(bi.cmdline, "xeno.elf dom0_mem=64M crash=pf verbose"), "cmdline");

	/* Overlapping, unsorted entries are merged. */
	setup();
	put_mmap(0, 0x200000, 0x100000, MB_MMAP_AVAILABLE);
	put_mmap(1, 0x100000, 0x180000, MB_MMAP_AVAILABLE);
	put_mmap(2, 0x1000, 0x1800, MB_MMAP_AVAILABLE);
	CHECK_EQ(parse(&bi, &why), 0, "overlapping map");
	CHECK_EQ(bi.nr_ranges, 2, "merged ranges");
	CHECK_EQ(bi.ram[0].start, 0x1000, "sorted first");
	CHECK_EQ(bi.ram[0].end, 0x2000, "partial page dropped");
	CHECK_EQ(bi.ram[1].end, 0x300000, "merged end");
}

static void test_modules(void)
{
	struct mb_module *m = (struct mb_module *)(mem + MODS);
	struct boot_info bi;
	const char *why;

	setup();
	mbi()->flags |= MBI_FLAG_MODS;
	mbi()->mods_addr = MODS;
	mbi()->mods_count = 2;
	m[0] = (struct mb_module){ 0x200000, 0x300000, STR + 0x100, 0 };
	m[1] = (struct mb_module){ 0x300000, 0x300800, 0, 0 };
	strcpy((char *)mem + STR + 0x100, "vmlinux console=hvc0");
	CHECK_EQ(parse(&bi, &why), 0, "two modules");
	CHECK_EQ(bi.nr_modules, 2, "module count");
	CHECK(!strcmp(bi.module[0].cmdline, "vmlinux console=hvc0"), "module cmdline");
	CHECK_EQ(bi.module[1].end, 0x300800, "module end");
	CHECK_EQ(bi.module[1].cmdline[0], 0, "no module string");

	m[1].mod_end = 0x100;
	CHECK_EQ(parse(&bi, &why), -EINVAL, "module ending before its start");
	mbi()->mods_count = 9;
	CHECK_EQ(parse(&bi, &why), -E2BIG, "too many modules");
	mbi()->mods_count = 2;
	mbi()->mods_addr = sizeof(mem) - 8;
	CHECK_EQ(parse(&bi, &why), -EFAULT, "module list out of reach");
}

static void test_bad(void)
{
	struct boot_info bi;
	const char *why;

	setup();
	CHECK_EQ(boot_parse_multiboot(0x12345678, mbi(), fake_map, &bi, &why), -EINVAL,
		 "bad magic");
	CHECK(why && strstr(why, "magic"), "reason names the magic");
	CHECK_EQ(boot_parse_multiboot(MB_BOOTLOADER_MAGIC, NULL, fake_map, &bi, &why), -EFAULT,
		 "no info structure");

	setup();
	mbi()->flags &= ~MBI_FLAG_MMAP;
	CHECK_EQ(parse(&bi, &why), -EINVAL, "no memory map");
	CHECK(why && strstr(why, "no memory map"), "clear reason: %s", why);

	setup();
	mbi()->mmap_length = 0;
	CHECK_EQ(parse(&bi, &why), -EINVAL, "empty memory map");

	setup();
	put_mmap(0, 0, 0x1000, 2);
	put_mmap(1, 0x1000, 0x1000, 3);
	CHECK_EQ(parse(&bi, &why), -EINVAL, "no usable RAM");

	setup();
	((struct mb_mmap_entry *)(mem + MMAP + 24))->size = 4;
	CHECK_EQ(parse(&bi, &why), -EINVAL, "malformed map entry");

	setup();
	mbi()->mmap_addr = sizeof(mem) - 4;
	CHECK_EQ(parse(&bi, &why), -EINVAL, "map out of reach");
}

static void test_options(void)
{
	struct boot_info bi;
	const char *why, *v;
	uint64_t bytes = 0;

	memset(&bi, 0, sizeof(bi));
	strcpy(bi.cmdline, "build/xeno.elf dom0_mem=64M a=1 verbose big=2G k=12K n=4096 bad=12Q");
	v = boot_option(&bi, "a");
	CHECK(v && *v == '1', "a=1");
	v = boot_option(&bi, "verbose");
	CHECK(v && *v == ' ', "bare word: empty value");
	CHECK(boot_value_is(boot_option(&bi, "a"), "1"), "a is 1");
	CHECK(!boot_value_is(boot_option(&bi, "a"), ""), "a is not empty");
	CHECK(!boot_value_is(boot_option(&bi, "dom0_mem"), "64"), "whole word compared");
	CHECK(boot_value_is(boot_option(&bi, "verbose"), ""), "bare word is empty");
	CHECK(!boot_value_is(NULL, ""), "absent is nothing");
	CHECK(boot_option(&bi, "dom0") == NULL, "prefix of a name does not match");
	CHECK(boot_option(&bi, "missing") == NULL, "absent option");
	CHECK(boot_option_size(&bi, "dom0_mem", &bytes, &why), "size parses");
	CHECK_EQ(bytes, 64ull << 20, "64M");
	CHECK(boot_option_size(&bi, "big", &bytes, &why) && bytes == 2ull << 30, "2G");
	CHECK(boot_option_size(&bi, "k", &bytes, &why) && bytes == 12 << 10, "12K");
	CHECK(boot_option_size(&bi, "n", &bytes, &why) && bytes == 4096, "plain bytes");
	CHECK(!boot_option_size(&bi, "bad", &bytes, &why) && why, "bad suffix rejected");
	CHECK(!boot_option_size(&bi, "verbose", &bytes, &why) && why, "empty size rejected");
	CHECK(!boot_option_size(&bi, "missing", &bytes, &why) && !why, "absent: no error");
}

int main(void)
{
	test_good();
	test_modules();
	test_bad();
	test_options();
	return test_report("boot");
}
