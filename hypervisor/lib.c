/* SPDX-License-Identifier: MIT */
/* The small freestanding C library the hypervisor needs: strings and printf. */
#include <lib.h>

/*
 * memcpy and memset move 32-bit words, eight at a time, once the
 * destination is aligned: the hypervisor clears every page a domain is
 * given, and under QEMU's emulation a byte loop made that a second of
 * Domain0's build.
 */
typedef uint32_t __attribute__((may_alias)) word_t;

void *memcpy(void *dst, const void *src, size_t n)
{
	char *d = dst;
	const char *s = src;

	if ((((uintptr_t)d ^ (uintptr_t)s) & 3) == 0) {
		for (; n && ((uintptr_t)d & 3); n--)
			*d++ = *s++;
		for (; n >= 32; n -= 32, d += 32, s += 32) {
			word_t *w = (word_t *)d;
			const word_t *r = (const word_t *)s;

			w[0] = r[0], w[1] = r[1], w[2] = r[2], w[3] = r[3];
			w[4] = r[4], w[5] = r[5], w[6] = r[6], w[7] = r[7];
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	char *d = dst;
	const char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint32_t v = (unsigned char)c * 0x01010101u;

	for (; n && ((uintptr_t)d & 3); n--)
		*d++ = (unsigned char)c;
	for (; n >= 32; n -= 32, d += 32) {
		word_t *w = (word_t *)d;

		w[0] = v, w[1] = v, w[2] = v, w[3] = v;
		w[4] = v, w[5] = v, w[6] = v, w[7] = v;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Base 0 means: 0x prefix is hex, otherwise decimal. */
unsigned long simple_strtoul(const char *s, const char **end, int base)
{
	unsigned long v = 0;

	if (base == 0) {
		base = 10;
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
			base = 16;
			s += 2;
		}
	}
	for (; digit_value(*s) < base; s++)
		v = v * base + digit_value(*s);
	if (end)
		*end = s;
	return v;
}

/* Output cursor for vsnprintf: counts what would have been written. */
struct out {
	char *buf;
	size_t size, len;
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

struct spec {
	int width;
	bool zero, left, alt;
	int longs;
};

static void out_pad(struct out *o, const struct spec *sp, int len, char padc)
{
	for (int i = len; i < sp->width; i++)
		out_char(o, padc);
}

static void out_str(struct out *o, const struct spec *sp, const char *s)
{
	int len;

	if (!s)
		s = "(null)";
	len = (int)strlen(s);
	if (!sp->left)
		out_pad(o, sp, len, ' ');
	while (*s)
		out_char(o, *s++);
	if (sp->left)
		out_pad(o, sp, len, ' ');
}

static void out_num(struct out *o, const struct spec *sp, uint64_t v, unsigned base, bool neg)
{
	char tmp[24];
	int n = 0, len;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	len = n + neg + (sp->alt && base == 16 ? 2 : 0);
	if (!sp->left && !sp->zero)
		out_pad(o, sp, len, ' ');
	if (neg)
		out_char(o, '-');
	if (sp->alt && base == 16) {
		out_char(o, '0');
		out_char(o, 'x');
	}
	if (!sp->left && sp->zero)
		out_pad(o, sp, len, '0');
	while (n)
		out_char(o, tmp[--n]);
	if (sp->left)
		out_pad(o, sp, len, ' ');
}

static const char *parse_spec(const char *f, struct spec *sp)
{
	memset(sp, 0, sizeof(*sp));
	for (;; f++) {
		if (*f == '0')
			sp->zero = true;
		else if (*f == '-')
			sp->left = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	while (*f == 'l')
		sp->longs++, f++;
	if (*f == 'z')
		f++;
	return f;
}

static uint64_t fetch_unsigned(va_list *ap, int longs)
{
	if (longs >= 2)
		return va_arg(*ap, unsigned long long);
	if (longs == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static int64_t fetch_signed(va_list *ap, int longs)
{
	if (longs >= 2)
		return va_arg(*ap, long long);
	if (longs == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

/* Supports %d %i %u %x %X %o %c %s %p %%, flags 0 - #, width, l, ll, z. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp);
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = fetch_signed(&args, sp.longs);

			out_num(&o, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0);
			break;
		}
		case 'u':
			out_num(&o, &sp, fetch_unsigned(&args, sp.longs), 10, false);
			break;
		case 'x':
		case 'X':
			out_num(&o, &sp, fetch_unsigned(&args, sp.longs), 16, false);
			break;
		case 'o':
			out_num(&o, &sp, fetch_unsigned(&args, sp.longs), 8, false);
			break;
		case 'p':
			sp.width = 8, sp.zero = true;
			out_num(&o, &sp, (unsigned long)va_arg(args, void *), 16, false);
			break;
		case 'c':
			out_char(&o, (char)va_arg(args, int));
			break;
		case 's':
			out_str(&o, &sp, va_arg(args, const char *));
			break;
		case '%':
			out_char(&o, '%');
			break;
		default:	/* unknown conversion: print it literally */
			out_char(&o, '%');
			if (!*fmt)
				goto done;
			out_char(&o, *fmt);
		}
	}
done:
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
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
