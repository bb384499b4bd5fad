/*
 * fatal() and the allocators that call it.  Running out of memory is
 * not a state the program can explain or recover from, so it ends here,
 * after the view has given the terminal back (fatalhook).
 */
#include <sys/mman.h>

#include <pthread.h>
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

/*
 * Pages of page-table words (4 KiB each).  From malloc, until
 * xpage_share is called: from then on, from one mapping that a child
 * process forked after it shares, at the same address, so that a
 * kernel file's code run there writes the very words the model reads
 * (ksrc.c, kchild.c).  Pages given back are kept for the next.
 */
#define ARENABYTES	(16ull << 30)	/* of address space; taken as used */
#define PAGEBYTES	4096

static pthread_mutex_t	 arenalock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char	*arena, *arenanext, *arenaend;
static void		*arenafree;	/* pages given back, linked */

/* Take pages from a shared mapping from now on.  Returns 0, or -1. */
int
xpage_share(void)
{
	void *p;

	if (arena != NULL)
		return 0;
	p = mmap(NULL, ARENABYTES, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	pthread_mutex_lock(&arenalock);
	arena = arenanext = p;
	arenaend = arena + ARENABYTES;
	pthread_mutex_unlock(&arenalock);
	return 0;
}

/* Whether p is in the shared mapping. */
int
xpage_shared(const void *p)
{
	return arena != NULL && (const unsigned char *)p >= arena &&
	    (const unsigned char *)p < arenaend;
}

/* p's page in the shared mapping, numbered from 0; -1 if not in it. */
long
xpage_no(const void *p)
{
	if (!xpage_shared(p))
		return -1;
	return (long)(((const unsigned char *)p - arena) / PAGEBYTES);
}

/* How many pages the shared mapping can hold. */
long
xpage_count(void)
{
	return (long)(ARENABYTES / PAGEBYTES);
}

/* n pages in a row from the shared mapping (never given back). */
void *
xpage_run(size_t n)
{
	void *p;

	pthread_mutex_lock(&arenalock);
	if (arena == NULL || (size_t)(arenaend - arenanext) / PAGEBYTES < n)
		fatal("out of memory: no shared pages");
	p = arenanext;
	arenanext += n * PAGEBYTES;
	pthread_mutex_unlock(&arenalock);
	memset(p, 0, n * PAGEBYTES);
	return p;
}

/* One page, its words zero when zero is set. */
void *
xpage(int zero)
{
	void *p;

	if (arena == NULL)
		return zero ? xcalloc(1, PAGEBYTES) : xmalloc(PAGEBYTES);
	pthread_mutex_lock(&arenalock);
	if ((p = arenafree) != NULL)
		arenafree = *(void **)p;
	pthread_mutex_unlock(&arenalock);
	if (p == NULL)
		return xpage_run(1);
	if (zero)
		memset(p, 0, PAGEBYTES);
	return p;
}

/* Give a page back. */
void
xpage_free(void *p)
{
	if (p == NULL)
		return;
	if (!xpage_shared(p)) {
		free(p);
		return;
	}
	pthread_mutex_lock(&arenalock);
	*(void **)p = arenafree;
	arenafree = p;
	pthread_mutex_unlock(&arenalock);
}
