/*
 * Untrusted text: strings that came from a trace, a log, a kernel file
 * or a file name.  Each is held to one rule before it is kept, shown or
 * written: valid UTF-8 (no overlong form, no surrogate, nothing past
 * U+10FFFF) and no control character, C0, DEL or C1 (a newline and a
 * tab only where a text may have lines).  Three ways to hold it:
 * text_check says where the first bad character is (the reader refuses
 * it there); text_clean makes a copy with each bad byte or control
 * character as U+FFFD (kept strings: import's ids, a name made from a
 * file name, what the emitter is given); text_vis makes a copy for a
 * message, with control characters as \e, \n, \xNN and bad bytes as
 * \xNN, so that an error can quote its input on a terminal.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xmalloc.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD in UTF-8 */

/*
 * The length of the UTF-8 sequence at s (n bytes there), with its code
 * point in *cp, or 0 when the bytes at s begin no valid sequence.
 */
size_t
text_utf8len(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned long c, min;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Whether code point c is a control character (C0, DEL, C1). */
static int
iscontrol(unsigned long c, int lines)
{
	if (lines && (c == '\n' || c == '\t'))
		return 0;
	return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

#define ONES	0x0101010101010101ull

/* Whether each byte of w is printable ASCII, 0x20 to 0x7e. */
#define PRINTABLE(w)	\
	(((((w) - ONES * 0x20) & ~(w)) | (((w) + ONES) | (w))) & ONES * 0x80) == 0

/* k bytes at p, least significant first, as a number (k <= 8). */
static inline uint64_t
loadn(const unsigned char *p, size_t k)
{
	uint64_t w;
	uint32_t v;
	uint16_t h;

	if (k == 8) {
		memcpy(&w, p, 8);
		return w;
	}
	if (k == 4) {
		memcpy(&v, p, 4);
		return v;
	}
	memcpy(&h, p, 2);
	return h;
}

/*
 * How many of the n bytes at u are known printable ASCII from the
 * start: n when all are, the common case, found in a few loads (words
 * that overlap at the end rather than a byte at a time, bytes not in
 * the string made printable, 'A'); else where to go on a byte at a time.
 */
static size_t
printable(const unsigned char *u, size_t n)
{
	uint64_t w;
	size_t i;

	if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8) {
			w = loadn(u + i, 8);
			if (!(PRINTABLE(w)))
				return i;
		}
		w = loadn(u + n - 8, 8);
		return PRINTABLE(w) ? n : n - 8;
	}
	if (n >= 4)
		w = loadn(u, 4) | loadn(u + n - 4, 4) << 32;
	else if (n >= 2)
		w = loadn(u, 2) | loadn(u + n - 2, 2) << 16 |
		    0x4141414100000000ull;
	else if (n == 1)
		w = u[0] | 0x4141414141414100ull;
	else
		return 0;
	return PRINTABLE(w) ? n : 0;
}

/*
 * text_check past its common case, from byte i, before which all is
 * printable ASCII: apart, so that the common call stays cheap.
 */
static __attribute__((noinline)) int
checkslow(const char *s, size_t n, size_t i, int lines, size_t *at,
    const char **why)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long c;
	size_t len;
	int breaks;

	breaks = 0;
	for (; i < n; i += len) {
		if (u[i] >= 0x20 && u[i] < 0x7f) {
			len = 1;
			continue;
		}
		if ((len = text_utf8len(u + i, n - i, &c)) == 0) {
			*at = i;
			*why = "invalid UTF-8";
			return -1;
		}
		if (iscontrol(c, lines)) {
			*at = i;
			*why = c == 0 ? "a NUL byte" : "a control character";
			return -1;
		}
		if (c < 0x20)
			breaks = 1;
	}
	return breaks;
}

/*
 * Whether the n bytes at s are text by the rule above.  Returns 0, or 1
 * when lines are allowed and there is a newline or a tab, or -1 with
 * the offset of the first bad byte in *at and what is wrong with it in
 * *why ("invalid UTF-8", "a control character").
 */
int
text_check(const char *s, size_t n, int lines, size_t *at, const char **why)
{
	size_t i;

	if ((i = printable((const unsigned char *)s, n)) == n)
		return 0;
	return checkslow(s, n, i, lines, at, why);
}

/* Whether the string s is text already (the common case, cheaply). */
int
text_ok(const char *s, int lines)
{
	size_t at;
	const char *why;

	return text_check(s, strlen(s), lines, &at, &why) >= 0;
}

/*
 * A copy of the n bytes at s with each byte that begins no valid
 * sequence, and each control character, as U+FFFD.  Caller frees.
 */
char *
text_cleann(const char *s, size_t n, int lines)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long c;
	size_t i, len, k;
	char *d;

	d = xmalloc(3 * n + 1);
	for (i = k = 0; i < n; i += len) {
		if ((len = text_utf8len(u + i, n - i, &c)) == 0 ||
		    iscontrol(c, lines)) {
			if (len == 0)
				len = 1;
			memcpy(d + k, REPLACEMENT, 3);
			k += 3;
			continue;
		}
		memcpy(d + k, s + i, len);
		k += len;
	}
	d[k] = '\0';
	return d;
}

/* text_cleann of a string.  Caller frees. */
char *
text_clean(const char *s, int lines)
{
	return text_cleann(s, strlen(s), lines);
}

/*
 * The n bytes at s for a message, into buf (len bytes, cut to fit):
 * printable text as it is, a control character or a bad byte escaped.
 * Returns buf.
 */
char *
text_visn(char *buf, size_t len, const char *s, size_t n)
{
	static const char esc[] = "\aa\bb\tt\nn\vv\ff\rr\033e\\\\";
	const unsigned char *u = (const unsigned char *)s;
	const char *e;
	unsigned long c;
	size_t i, k, sl;
	char piece[12];

	if (len == 0)
		return buf;
	for (i = k = 0; i < n; i += sl) {
		sl = text_utf8len(u + i, n - i, &c);
		if (sl == 1 && (e = memchr(esc, u[i], sizeof esc - 1)) !=
		    NULL && (e - esc) % 2 == 0)
			snprintf(piece, sizeof piece, "\\%c", e[1]);
		else if (sl == 0 || (sl == 1 && iscontrol(c, 0))) {
			sl = 1;
			snprintf(piece, sizeof piece, "\\x%02x", u[i]);
		} else if (iscontrol(c, 0))	/* a C1 control: its two bytes */
			snprintf(piece, sizeof piece, "\\x%02x\\x%02x", u[i],
			    u[i + 1]);
		else {
			memcpy(piece, s + i, sl);
			piece[sl] = '\0';
		}
		if (k + strlen(piece) >= len)
			break;
		memcpy(buf + k, piece, strlen(piece));
		k += strlen(piece);
	}
	buf[k] = '\0';
	return buf;
}

/* text_visn of a string.  Returns buf. */
char *
text_vis(char *buf, size_t len, const char *s)
{
	return text_visn(buf, len, s, strlen(s));
}

/*
 * The string in buf (len bytes) made text in place, as text_clean
 * would, cut where it no longer fits at the end of a character.
 */
void
text_mend(char *buf, size_t len)
{
	const unsigned char *u;
	unsigned long c;
	char *clean;
	size_t n, i;

	if (len == 0 || text_ok(buf, 0))
		return;
	clean = text_clean(buf, 0);
	u = (const unsigned char *)clean;
	n = strlen(clean);
	for (i = 0; i < n && i < len - 1;) {
		size_t sl = text_utf8len(u + i, n - i, &c);

		if (i + sl > len - 1)
			break;
		i += sl;
	}
	memcpy(buf, clean, i);
	buf[i] = '\0';
	free(clean);
}

/*
 * The cookie of a guarded stream: bytes on their way to the stream
 * underneath, with a control character escaped unless it is a newline,
 * a tab or a carriage return (which a progress line uses).
 */
static ssize_t
guardwrite(void *arg, const char *s, size_t n)
{
	FILE *f = arg;
	const unsigned char *u = (const unsigned char *)s;
	size_t i, from;
	char shown[12];

	for (i = from = 0; i < n; i++) {
		if ((u[i] >= 0x20 && u[i] != 0x7f && !(u[i] == 0xc2 &&
		    i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)) ||
		    u[i] == '\n' || u[i] == '\t' || u[i] == '\r')
			continue;
		if (i > from && fwrite(s + from, 1, i - from, f) != i - from)
			return -1;
		text_visn(shown, sizeof shown, s + i, u[i] == 0xc2 ? 2 : 1);
		if (fputs(shown, f) == EOF)
			return -1;
		if (u[i] == 0xc2)
			i++;
		from = i + 1;
	}
	if (n > from && fwrite(s + from, 1, n - from, f) != n - from)
		return -1;
	return fflush(f) == 0 ? (ssize_t)n : -1;
}

/*
 * A stream that writes to f with every control character escaped, for
 * messages that quote what they were given (a file name, a kernel's
 * words): nothing they hold can set a terminal's title or clear its
 * screen.  Returns f itself if no such stream can be made.
 */
FILE *
text_guard(FILE *f)
{
	cookie_io_functions_t io = { .write = guardwrite };
	FILE *g;

	if ((g = fopencookie(f, "w", io)) == NULL)
		return f;
	setvbuf(g, NULL, _IONBF, 0);
	return g;
}
