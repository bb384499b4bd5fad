/*
 * Plan 9's print, as a kernel file's print and panic reach vmapview:
 * the verbs of its fmt (%lux, %#.8lux, %lld, %#p, %s, ...) with a 386's
 * 32-bit ulong and pointer, into a message of at most PANICLEN bytes,
 * then held to text.c's rule.  A width or a precision is cut to the
 * message's length.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mmu.h"
#include "p9fmt.h"
#include "text.h"

/* A print verb's flags, width and precision, as Plan 9's fmt reads them. */
struct p9spec {
	int	alt, left, zero, plus, lng, uns;
	int	width, prec;		/* prec -1: none */
};

/* What p9fmt has written so far: o bytes of buf, which holds len. */
struct p9out {
	char	*buf;
	size_t	 len, o;
};

static void
p9put(struct p9out *w, int c)
{
	if (w->o + 1 < w->len)
		w->buf[w->o++] = c;
}

/* n with the decimal digit c after it, no larger than a message. */
static int
p9digit(int n, int c)
{
	n = n * 10 + c - '0';
	return n > PANICLEN ? PANICLEN : n;
}

/*
 * The flags of the verb after the % at fmt into *sp; returns the verb's
 * letter (or the end of the format).
 */
static const char *
p9flags(const char *fmt, struct p9spec *sp, va_list *ap)
{
	*sp = (struct p9spec){ .prec = -1 };
	for (; *fmt != '\0'; fmt++) {
		if (*fmt == '#')
			sp->alt = 1;
		else if (*fmt == '-')
			sp->left = 1;
		else if (*fmt == '0' && sp->width == 0 && sp->prec < 0)
			sp->zero = 1;
		else if (*fmt == '+')
			sp->plus = 1;
		else if (*fmt >= '0' && *fmt <= '9') {
			/* no wider than a message: the rest is cut anyway */
			if (sp->prec >= 0)
				sp->prec = p9digit(sp->prec, *fmt);
			else
				sp->width = p9digit(sp->width, *fmt);
		} else if (*fmt == '.')
			sp->prec = 0;
		else if (*fmt == '*') {
			if (sp->prec >= 0)
				sp->prec = va_arg(*ap, int);
			else
				sp->width = va_arg(*ap, int);
		} else if (*fmt == 'l')
			sp->lng++;
		else if (*fmt == 'u')
			sp->uns = 1;
		else if (*fmt != 'h')
			break;
	}
	return fmt;
}

/*
 * The number a verb d, i, x, X, o, b or p takes from ap, in its digits
 * (a 386's: %p a 32-bit uintptr), written backwards from end; returns
 * its first byte.  end has room for 64 digits, a sign and 0x before it.
 */
static char *
p9num(char *end, int verb, const struct p9spec *sp, va_list *ap)
{
	const char *digits;
	char *q;
	uint64_t v;
	int base, neg, nd;

	base = verb == 'o' ? 8 : verb == 'b' ? 2 : verb == 'd' ||
	    verb == 'i' ? 10 : 16;
	digits = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	neg = 0;
	if (sp->lng >= 2 && verb != 'p') {
		v = va_arg(*ap, uint64_t);
		if (!sp->uns && (int64_t)v < 0) {
			neg = 1;
			v = 0 - v;
		}
	} else {
		/* %p too: the kernel's uintptr is an unsigned int here */
		v = va_arg(*ap, unsigned int);
		if (!sp->uns && verb != 'p' && (int32_t)v < 0) {
			neg = 1;
			v = (uint32_t)(0u - (uint32_t)v);
		}
	}
	q = end;
	*--q = '\0';
	nd = 0;
	do {
		*--q = digits[v % base];
		v /= base;
		nd++;
	} while (v != 0);
	for (; nd < sp->prec && nd < 64; nd++)
		*--q = '0';
	if (sp->alt && base == 16) {
		*--q = verb == 'X' ? 'X' : 'x';
		*--q = '0';
	}
	if (neg)
		*--q = '-';
	else if (sp->plus)
		*--q = '+';
	return q;
}

/* k bytes of s in a field of sp's width, padded with pad. */
static void
p9field(struct p9out *w, const char *s, size_t k, const struct p9spec *sp,
    int pad)
{
	size_t i;
	int width;

	width = sp->width;
	for (; !sp->left && width > (int)k; width--)
		p9put(w, pad);
	for (i = 0; i < k; i++)
		p9put(w, s[i]);
	for (; sp->left && width > (int)k; width--)
		p9put(w, ' ');
}

/* Plan 9's print verbs (%lux, %#.8lux, %lld, %#p, %s, ...) into buf. */
void
p9fmt(char *buf, size_t len, const char *fmt, va_list ap)
{
	struct p9out w = { .buf = buf, .len = len };
	struct p9spec sp;
	char num[72];
	const char *s;
	va_list aq;

	va_copy(aq, ap);
	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%') {
			p9put(&w, *fmt);
			continue;
		}
		fmt = p9flags(fmt + 1, &sp, &aq);
		if (*fmt == '\0')
			break;
		switch (*fmt) {
		case 's':
			s = va_arg(aq, const char *);
			if (s == NULL)
				s = "<nil>";
			p9field(&w, s, sp.prec >= 0 && strlen(s) > (size_t)sp.prec ?
			    (size_t)sp.prec : strlen(s), &sp, ' ');
			break;
		case 'c':
			p9put(&w, va_arg(aq, int));
			break;
		case '%':
			p9put(&w, '%');
			break;
		case 'r':
			break;
		case 'd': case 'i': case 'x': case 'X': case 'o': case 'b':
		case 'p':
			s = p9num(num + sizeof num, *fmt, &sp, &aq);
			p9field(&w, s, strlen(s), &sp, sp.zero && sp.prec < 0 ?
			    '0' : ' ');
			break;
		default:
			p9put(&w, '%');
			p9put(&w, *fmt);
			break;
		}
	}
	va_end(aq);
	buf[w.o < len ? w.o : len - 1] = '\0';
}

/*
 * A message as the model gives it: its newline and the " pc=" with the
 * caller's pc the kernel ends some with (which neither has) left out.
 */
void
p9said(char *s)
{
	char *p;

	s[strcspn(s, "\n")] = '\0';
	if ((p = strstr(s, " pc=")) != NULL && strchr(p + 1, ' ') == NULL)
		*p = '\0';
	text_mend(s, PANICLEN);
}

