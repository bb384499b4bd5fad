/*
 * fatal() and the allocators that call it.  Running out of memory is
 * not a state the program can explain or recover from, so it ends here,
 * after the view has given the terminal back (fatalhook).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

const char *progname = "vmapview";

/* Run before fatal prints: the view restores the terminal here. */
void (*fatalhook)(void);

/* An impossible state or out of memory: say so and exit 2. */
void
fatal(const char *fmt, ...)
{
	va_list ap;

	if (fatalhook != NULL)
		fatalhook();
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* malloc, never nil (a size of 0 gets a byte). */
void *
xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n ? n : 1)) == NULL)
		fatal("out of memory");
	return p;
}

/* calloc, never nil. */
void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n ? n : 1, size ? size : 1)) == NULL)
		fatal("out of memory");
	return p;
}

/* realloc, never nil. */
void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		fatal("out of memory");
	return p;
}

/* realloc of n things of size bytes, the product checked. */
void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		fatal("out of memory");
	return xrealloc(p, n * size);
}

/* strdup, never nil. */
char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		fatal("out of memory");
	return p;
}

/*
 * Grow the array *pp, of *cap elements of size sz, to hold n at least:
 * its room doubles, from 256.
 */
void
xgrow(void *pp, size_t *cap, size_t n, size_t sz)
{
	void **a;

	if (n <= *cap)
		return;
	a = pp;
	while (*cap < n)
		*cap = *cap ? 2 * *cap : 256;
	*a = xreallocarray(*a, *cap, sz);
}
