/* SPDX-License-Identifier: MIT */
/* Strings and printf for test guests; output goes through console_io. */
#include "guest.h"

void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n && *a && *a == *b; n--)
		a++, b++;
	return n ? (unsigned char)*a - (unsigned char)*b : 0;
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return (char *)hay;
	return NULL;
}

/* A buffer being filled; len counts what would have been written. */
struct sink {
	char *buf;
	size_t size, len;
};

static void emit(struct sink *s, char c)
{
	if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

static void emit_number(struct sink *s, unsigned long long v, unsigned int base, int width,
			char pad, bool negative)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (negative)
		digits[n++] = '-';
	for (int i = n; i < width; i++)
		emit(s, pad);
	while (n)
		emit(s, digits[--n]);
}

/* %d %u %x %s %c %p %%, with '0', width, '#', l and ll. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int width = 0, longs = 0;
		bool alt = false;
		char pad = ' ';
		unsigned long long u;
		long long sv;

		if (*fmt != '%') {
			emit(&s, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '#')
			alt = true, fmt++;
		if (*fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		while (*fmt == 'l')
			longs++, fmt++;
		switch (*fmt) {
		case 'd':
			sv = longs > 1 ? va_arg(ap, long long) : longs ? va_arg(ap, long) : va_arg(ap, int);
			emit_number(&s, sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv, 10,
				    width, pad, sv < 0);
			break;
		case 'u':
		case 'x':
			u = longs > 1 ? va_arg(ap, unsigned long long) :
			    longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			if (alt && *fmt == 'x')
				emit(&s, '0'), emit(&s, 'x');
			emit_number(&s, u, *fmt == 'u' ? 10 : 16, width, pad, false);
			break;
		case 'p':
			emit_number(&s, (uint32_t)va_arg(ap, void *), 16, 8, '0', false);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);

			for (str = str ? str : "(null)"; *str; str++)
				emit(&s, *str);
			break;
		}
		case 'c':
			emit(&s, (char)va_arg(ap, int));
			break;
		default:
			emit(&s, '%');
			if (!*fmt)
				goto out;
			emit(&s, *fmt);
		}
	}
out:
	if (size)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return (int)s.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	HYPERCALL3(console_io, XENO_CONSOLEIO_WRITE, n, buf);
	return n;
}
