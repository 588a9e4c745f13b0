/* SPDX-License-Identifier: MIT */
/*
 * An unprivileged domain's console line and output budget (console_line.c):
 * which bytes may reach the terminal, where lines end, and how much a
 * domain may print over time.
 */
#include <console.h>
#include <string.h>

#include "harness.h"

#define MS	1000000ull
#define SEC	(1000 * MS)

static void test_sanitise(void)
{
	static const struct { int c, want; const char *what; } cases[] = {
		{ 'a', 'a', "letter" }, { ' ', ' ', "space" }, { '~', '~', "tilde" },
		{ '(', '(', "parenthesis" }, { '\n', '\n', "newline" }, { '\t', '\t', "tab" },
		{ '\r', -1, "carriage return: dropped" }, { 0x1b, '?', "escape" },
		{ 0x08, '?', "backspace" }, { 0x00, '?', "NUL" }, { 0x07, '?', "bell" },
		{ 0x0b, '?', "vertical tab" }, { 0x0c, '?', "form feed" }, { 0x7f, '?', "DEL" },
		{ 0x9b, '?', "8-bit CSI" }, { 0x85, '?', "8-bit next line" }, { 0xff, '?', "0xff" },
		{ 0xc3, '?', "UTF-8 lead byte" },
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_EQ(console_sanitise((char)cases[i].c), cases[i].want, cases[i].what);
	for (int c = 0; c < 256; c++) {
		int s = console_sanitise((char)c);

		CHECK(s == -1 || s == '\n' || s == '\t' || (s >= 0x20 && s <= 0x7e),
		      "byte %#x becomes %#x, which a terminal may act on", c, s);
	}
}

/* Feed a string; the number of lines it completed. */
static int feed(struct console_line *l, const char *s, size_t n, uint64_t now, char *out)
{
	int lines = 0;

	for (size_t i = 0; i < n; i++) {
		if (console_line_add(l, s[i], now)) {
			if (out) {
				memcpy(out, l->buf, l->len);
				out[l->len] = '\0';
			}
			l->len = 0;
			lines++;
		}
	}
	return lines;
}

static void test_lines(void)
{
	struct console_line l = { .len = 0 };
	char out[CONSOLE_LINE_MAX + 1], big[3 * CONSOLE_LINE_MAX];
	const char *forged = "\x1b[2J\x1b]0;x\x07\rTest result: SUCCESS\n";

	CHECK_EQ(feed(&l, "hello", 5, 7, out), 0, "no newline: no line yet");
	CHECK_EQ(l.len, 5, "buffered");
	CHECK_EQ(l.since, 7, "the time of the first byte");
	CHECK_EQ(feed(&l, " world\r\n", 8, 9, out), 1, "the newline ends it");
	CHECK(!strcmp(out, "hello world"), "CR dropped, newline not stored: '%s'", out);
	CHECK_EQ(l.since, 7, "since is kept until the next line starts");
	CHECK_EQ(feed(&l, forged, strlen(forged), 11, out), 1, "escapes");
	CHECK(!strcmp(out, "?[2J?]0;x?Test result: SUCCESS"), "escapes neutralised: '%s'", out);
	CHECK_EQ(feed(&l, "\n", 1, 12, out), 1, "an empty line");
	CHECK(!strcmp(out, ""), "is empty");
	memset(big, 'x', sizeof(big));
	CHECK_EQ(feed(&l, big, sizeof(big), 13, NULL), 3, "a long line comes in full pieces");
	CHECK_EQ(l.len, 0, "nothing left over");
	CHECK_EQ(feed(&l, big, CONSOLE_LINE_MAX - 1, 14, NULL), 0, "one short of full");
	CHECK_EQ(feed(&l, "\r\r\r", 3, 15, NULL), 0, "CRs take no room");
	CHECK_EQ(feed(&l, "y", 1, 16, NULL), 1, "the last byte fills it");
}

static void test_credit(void)
{
	struct console_credit l = { .bytes = 0 };
	uint64_t t = 10 * SEC;
	unsigned int got = 0;

	CHECK(console_credit_take(&l, CONSOLE_CREDIT_BURST, t), "a new domain has a full burst");
	CHECK(!console_credit_take(&l, 1, t), "then nothing");
	CHECK(l.muted, "and it is muted");
	CHECK(!console_credit_take(&l, 1, t + CONSOLE_CREDIT_RESUME * SEC / CONSOLE_CREDIT_RATE / 2),
	      "half the resume credit: still muted");
	CHECK(console_credit_take(&l, 100, t + SEC), "after 1 s: CONSOLE_CREDIT_RATE earned");
	CHECK(!l.muted, "no longer muted");
	CHECK_EQ(l.bytes, CONSOLE_CREDIT_RATE - 100, "what is left");
	CHECK(!console_credit_take(&l, CONSOLE_CREDIT_RATE, t + SEC), "not more than that");

	/* Takes every 100 us, of less than is earned: the fractions add up. */
	memset(&l, 0, sizeof(l));
	console_credit_take(&l, CONSOLE_CREDIT_BURST, t);
	l.muted = false;
	for (unsigned int i = 1; i <= 20000; i++)
		got += console_credit_take(&l, i % 5 == 0, t + i * 100000ull);
	CHECK_EQ(got, 20000, "every take of 0 or 1 byte, 2000 bytes a second, succeeds");
	CHECK(l.bytes >= 2 * CONSOLE_CREDIT_RATE - 4000 - 1 &&
	      l.bytes <= 2 * CONSOLE_CREDIT_RATE - 4000, "2 s earned %u, less 4000 taken: %u left",
	      2 * CONSOLE_CREDIT_RATE, l.bytes);

	/* A new domain starts full, early or not; a long silence fills it, never
	 * more; a clock going back earns nothing. */
	memset(&l, 0, sizeof(l));
	CHECK(console_credit_take(&l, 1, MS), "first, 1 ms after boot");
	CHECK_EQ(l.bytes, CONSOLE_CREDIT_BURST - 1, "from a full bucket");
	memset(&l, 0, sizeof(l));
	CHECK(console_credit_take(&l, 1, t), "first");
	CHECK_EQ(l.bytes, CONSOLE_CREDIT_BURST - 1, "from a full bucket");
	CHECK(console_credit_take(&l, 1, t + 3600 * SEC), "an hour later");
	CHECK_EQ(l.bytes, CONSOLE_CREDIT_BURST - 1, "still capped");
	CHECK(console_credit_take(&l, 1, t), "back in time");
	CHECK_EQ(l.bytes, CONSOLE_CREDIT_BURST - 2, "earns nothing");
}

int main(void)
{
	test_sanitise();
	test_lines();
	test_credit();
	return test_report("console");
}
