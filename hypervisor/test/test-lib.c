/* SPDX-License-Identifier: MIT */
/* The hypervisor's string and formatting functions (lib.c). */
#include <lib.h>

#include "harness.h"

static int fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, size, f, ap);
	va_end(ap);
	return n;
}

#define FMT_IS(want, ...)						\
	do {								\
		char _b[128];						\
		fmt(_b, sizeof(_b), __VA_ARGS__);			\
		CHECK(!strcmp(_b, want), "format %s: got '%s', want '%s'", #__VA_ARGS__, _b, want); \
	} while (0)

static void test_format(void)
{
	char small[5];

	FMT_IS("42 -7 0", "%d %d %u", 42, -7, 0);
	FMT_IS("ff 000000ff 0xff", "%x %08x %#x", 255, 255, 255);
	FMT_IS("-2147483648", "%d", (int)0x80000000);
	FMT_IS("4294967295", "%u", 0xffffffffu);
	FMT_IS("18446744073709551615", "%llu", ~0ull);
	FMT_IS("123456789abc", "%llx", 0x123456789abcull);
	FMT_IS("[  ab][ab  ]", "[%4s][%-4s]", "ab", "ab");
	FMT_IS("(null)", "%s", (char *)NULL);
	FMT_IS("c%", "%c%%", 'c');
	FMT_IS("fc000000", "%p", (void *)0xfc000000);
	FMT_IS("%q", "%q");
	CHECK_EQ(fmt(small, sizeof(small), "%s", "abcdefgh"), 8, "length of untruncated output");
	CHECK(!strcmp(small, "abcd"), "truncated and terminated: '%s'", small);
	CHECK_EQ(fmt(NULL, 0, "%d", 12345), 5, "size 0 only counts");
}

static void test_strings(void)
{
	char buf[16] = "abcdefgh";
	const char *end;

	memmove(buf + 2, buf, 6);
	CHECK(!memcmp(buf, "ababcdef", 8), "overlapping memmove forward");
	memmove(buf, buf + 2, 6);
	CHECK(!memcmp(buf, "abcdefef", 8), "overlapping memmove backward");
	CHECK_EQ(strlcpy(buf, "0123456789abcdefXYZ", sizeof(buf)), 19, "strlcpy length");
	CHECK_EQ(strlen(buf), 15, "strlcpy truncates");
	CHECK_EQ(simple_strtoul("0x1fZ", &end, 0), 0x1f, "hex");
	CHECK_EQ(*end, 'Z', "hex end");
	CHECK_EQ(simple_strtoul("0755", &end, 0), 755, "base 0 without 0x is decimal");
	CHECK_EQ(simple_strtoul("777", &end, 8), 511, "octal");
	CHECK(strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0 && !strcmp("x", "x"), "strcmp");
	CHECK(!strncmp("abcx", "abcy", 3) && strncmp("abcx", "abcy", 4), "strncmp");
	CHECK(strchr("hello", 'l') && *strchr("hello", 'l') == 'l' && !strchr("hello", 'z'),
	      "strchr");
}

/* memcpy and memset (word loops once aligned): every alignment and length. */
static void test_mem(void)
{
	unsigned char src[160], dst[160], want[160];
	unsigned int bad = 0;

	for (unsigned int i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 1);
	for (unsigned int da = 0; da < 8; da++)
		for (unsigned int sa = 0; sa < 8; sa++)
			for (unsigned int n = 0; n <= 100; n++) {
				for (unsigned int i = 0; i < sizeof(dst); i++)
					dst[i] = want[i] = 0xee;
				for (unsigned int i = 0; i < n; i++)
					want[da + i] = src[sa + i];
				bad += memcpy(dst + da, src + sa, n) != dst + da;
				bad += !!memcmp(dst, want, sizeof(dst));
				for (unsigned int i = 0; i < n; i++)
					want[da + i] = 0xa5;
				bad += memset(dst + da, 0xa5, n) != dst + da;
				bad += !!memcmp(dst, want, sizeof(dst));
			}
	CHECK_EQ(bad, 0, "memcpy/memset mismatches over alignments 0-7, lengths 0-100");

	/* memmove forward over itself takes memcpy's word loop: shifts of 4-16. */
	for (unsigned int shift = 4; shift <= 16; shift += 4) {
		for (unsigned int i = 0; i < sizeof(src); i++)
			dst[i] = src[i];
		memmove(dst, dst + shift, 100);
		bad += !!memcmp(dst, src + shift, 100);
	}
	CHECK_EQ(bad, 0, "overlapping memmove by words");
}

int main(void)
{
	test_format();
	test_strings();
	test_mem();
	return test_report("lib");
}
