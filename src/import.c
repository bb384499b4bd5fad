/*
 * vmapview import: a console or trace log into a vmaptrace.  The lines
 * it reads (vmaptrace(5), IMPORT):
 *
 *	[SECONDS] CALLER: vmap PA SIZE -> VA
 *	[SECONDS] CALLER: vunmap VA [SIZE]
 *
 * with the timestamp and the caller optional, "=>" for "->", and a VA
 * of 0 or nil for a vmap that failed.  Other lines are skipped and
 * counted.  A vunmap is tied to the live vmap that returned its address
 * and refers to it by id (ids are made up); one of an address no live
 * vmap returned is kept as a raw va.  The vmaps' results become the
 * expectations of a policy, so that the imported trace checks the
 * allocator that recorded it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "mmu.h"
#include "util.h"

/* A live mapping by the address it was given: its vmap event. */
struct livemap {
	uint32_t	va;
	size_t		ev;
};

/* The buffers of a read, freed however it ends. */
struct importbuf {
	char		*line;
	size_t		 linecap;
	struct livemap	*live;
	size_t		 nlive;
	size_t		 cap;
};

/* Split line into at most max whitespace-separated words. */
static int
split(char *line, char **w, int max)
{
	int n;
	char *p;

	n = 0;
	for (p = strtok(line, " \t\r\n"); p != NULL && n < max;
	    p = strtok(NULL, " \t\r\n"))
		w[n++] = p;
	return n;
}

/* A number of the log: decimal or 0x hex (sizes may end in K, M, G). */
static int
number(const char *s, int suffix, uint64_t max, uint32_t *v)
{
	uint64_t x;

	if (trace_parsenum(s, suffix, &x) < 0 || x > max)
		return -1;
	*v = x;
	return 0;
}

/* Say what is wrong with line of name.  Returns -1. */
static int
failline(struct importstats *st, const char *name, size_t line,
    const char *fmt, const char *arg)
{
	snprintf(st->err, sizeof st->err, "%s:%zu: ", name, line);
	snprintf(st->err + strlen(st->err), sizeof st->err - strlen(st->err),
	    fmt, arg);
	return -1;
}

/*
 * Read the log f (named name) into t, with b's buffers.
 */
static int
readlog(FILE *f, const char *name, int pidx, struct trace *t,
    struct importstats *st, struct importbuf *b)
{
	struct livemap *nl;
	struct event e;
	size_t lineno, k;
	char *w[16], id[64], caller[64];
	ssize_t len;
	double ts, lastt;
	uint32_t pa, size, va;
	int n, i, serial, hast;

	lineno = 0;
	serial = 0;
	lastt = 0;
	while ((len = getline(&b->line, &b->linecap, f)) >= 0) {
		lineno++;
		st->lines++;
		n = split(b->line, w, 16);
		i = 0;
		hast = 0;
		ts = 0;
		caller[0] = '\0';
		/* [SECONDS], or "[" SECONDS "]" as dmesg pads it */
		if (i < n && w[i][0] == '[') {
			char *p = w[i] + 1, *end;

			if (*p == '\0' && i + 1 < n)
				p = w[++i];
			errno = 0;
			ts = strtod(p, &end);
			if (end == p || errno != 0 || (*end != ']' &&
			    *end != '\0') || ts < 0) {
				st->skipped++;
				continue;
			}
			if (*end == '\0' && i + 1 < n && strcmp(w[i + 1], "]")
			    == 0)
				i++;
			hast = 1;
			i++;
		}
		if (i + 1 < n && w[i][strlen(w[i]) - 1] == ':') {
			snprintf(caller, sizeof caller, "%.*s",
			    (int)strlen(w[i]) - 1, w[i]);
			i++;
		}
		if (i >= n || (strcmp(w[i], "vmap") != 0 &&
		    strcmp(w[i], "vunmap") != 0)) {
			st->skipped++;
			continue;
		}
		memset(&e, 0, sizeof e);
		e.ref = -1;
		e.line = lineno;
		if (hast) {
			if (ts < lastt)
				return failline(st, name, lineno,
				    "%s: the time goes back", w[0]);
			lastt = ts;
			e.t = ts;
			e.flags |= EVTIME;
		}
		if (strcmp(w[i], "vmap") == 0) {
			if (n - i != 5 || (strcmp(w[i + 3], "->") != 0 &&
			    strcmp(w[i + 3], "=>") != 0))
				return failline(st, name, lineno, "%s: expected "
				    "vmap PA SIZE -> VA", "vmap");
			if (number(w[i + 1], 0, UINT32_MAX, &pa) < 0)
				return failline(st, name, lineno, "pa '%.40s' is "
				    "not an address below 2^32", w[i + 1]);
			if (number(w[i + 2], 1, INT32_MAX, &size) < 0)
				return failline(st, name, lineno, "size '%.40s' "
				    "is not a size below 2^31", w[i + 2]);
			va = 0;
			if (strcmp(w[i + 4], "nil") != 0 &&
			    strcmp(w[i + 4], "(nil)") != 0 &&
			    number(w[i + 4], 0, UINT32_MAX, &va) < 0)
				return failline(st, name, lineno, "va '%.40s' is "
				    "not an address below 2^32", w[i + 4]);
			e.op = OPvmap;
			e.pa = pa;
			e.size = size;
			e.flags |= EVSIZE;
			if (pidx >= 0) {
				/* nil for a pa in page 0 is the kernel's refusal */
				e.expect[pidx].kind = va ? Xaddr : pa < BY2PG ?
				    Xrefused : Xfail;
				e.expect[pidx].addr = va;
			}
			if (va != 0) {
				/* a live id, tied to the address it got */
				snprintf(id, sizeof id, "%s%s%d", caller[0] ?
				    caller : "m", caller[0] ? "-" : "",
				    ++serial);
				if ((e.id = strdup(id)) == NULL)
					fatal("out of memory");
				e.flags |= EVOWNID;
				for (k = 0; k < b->nlive && b->live[k].va != va; k++)
					;
				if (k == b->nlive) {
					if (b->nlive == b->cap) {
						b->cap = b->cap ? 2 * b->cap : 64;
						nl = realloc(b->live, b->cap * sizeof *nl);
						if (nl == NULL)
							fatal("out of memory");
						b->live = nl;
					}
					b->nlive++;
				}
				b->live[k].va = va;
				b->live[k].ev = t->nev;
			}
		} else {
			if (n - i != 2 && n - i != 3)
				return failline(st, name, lineno, "%s: expected "
				    "vunmap VA [SIZE]", "vunmap");
			if (number(w[i + 1], 0, UINT32_MAX, &va) < 0)
				return failline(st, name, lineno, "va '%.40s' is "
				    "not an address below 2^32", w[i + 1]);
			size = 0;
			if (n - i == 3 && number(w[i + 2], 1, INT32_MAX, &size)
			    < 0)
				return failline(st, name, lineno, "size '%.40s' "
				    "is not a size below 2^31", w[i + 2]);
			e.op = OPvunmap;
			for (k = 0; k < b->nlive && b->live[k].va != va; k++)
				;
			if (k < b->nlive) {
				e.ref = b->live[k].ev;
				e.id = t->ev[b->live[k].ev].id;
				if (n - i == 3 && size != t->ev[e.ref].size) {
					e.size = size;
					e.flags |= EVSIZE;
				}
				b->live[k] = b->live[--b->nlive];
				if (pidx >= 0)
					e.expect[pidx].kind = Xok;
			} else if (n - i == 3) {
				e.va = va;
				e.size = size;
				e.flags |= EVVA | EVSIZE;
				st->rawunmaps++;
			} else {
				/* no size and no vmap to take it from */
				st->skipped++;
				st->unknown++;
				continue;
			}
		}
		if (caller[0] != '\0' && (e.note = strdup(caller)) == NULL)
			fatal("out of memory");
		if (trace_append(t, &e) < 0)
			fatal("out of memory");
		st->events++;
	}
	if (ferror(f)) {
		snprintf(st->err, sizeof st->err, "%s: %s", name,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Read the log f (named name) into t.  Expectations go to policy pidx
 * (-1: none).  Returns 0, or -1 with the message in st->err.
 */
int
import_log(FILE *f, const char *name, int pidx, struct trace *t,
    struct importstats *st)
{
	struct importbuf b;
	int rv;

	trace_init(t);
	memset(st, 0, sizeof *st);
	memset(&b, 0, sizeof b);
	rv = readlog(f, name, pidx, t, st, &b);
	free(b.line);
	free(b.live);
	return rv;
}
