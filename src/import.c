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
	char		*text;		/* the line as read, for warnings */
	size_t		 textcap;
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

/* Whether one of the n words is vmap or vunmap: a line about them. */
static int
mentions(char **w, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(w[i], "vmap") == 0 || strcmp(w[i], "vunmap") == 0)
			return 1;
	return 0;
}

/*
 * A line that names vmap or vunmap but is no call of the grammar:
 * skipped with a warning that quotes it (the first IMPORTWARNMAX), or,
 * strict, an error.  why is a format for one string, arg.  Returns -1
 * for an error (the message in st->err), else 0.
 */
static int
malformed(struct importstats *st, const char *name, size_t line,
    const char *text, const char *why, const char *arg)
{
	char reason[128], shown[81];
	int k, len, cut;

	snprintf(reason, sizeof reason, why, arg);
	len = (int)strcspn(text, "\r\n");
	cut = len > 80;
	if (cut)
		len = 80;
	for (k = 0; k < len; k++)	/* no terminal controls from the log */
		shown[k] = ((unsigned char)text[k] < ' ' && text[k] != '\t') ||
		    text[k] == 0x7f ? '?' : text[k];
	shown[len] = '\0';
	if (st->strict) {
		snprintf(st->err, sizeof st->err, "%s:%zu: %s: \"%s%s\"",
		    name, line, reason, shown, cut ? "..." : "");
		return -1;
	}
	if (st->warn != NULL && st->malformed < IMPORTWARNMAX)
		fprintf(st->warn, "%s:%zu: skipped, %s: \"%s%s\"\n", name,
		    line, reason, shown, cut ? "..." : "");
	st->malformed++;
	st->skipped++;
	return 0;
}

/*
 * Parse the words w[0..n) of a line that begins with vmap or vunmap
 * into e (op, pa, size), and the address it names into *va.  Returns
 * 0, or -1 after malformed, whose own result is left in *bad.
 */
static int
parsecall(struct importstats *st, const char *name, size_t line,
    const char *text, char **w, int n, struct event *e, uint32_t *va,
    int *bad)
{
	const char *why, *arg;
	uint32_t pa, size;

	pa = size = *va = 0;
	why = arg = NULL;
	if (strcmp(w[0], "vmap") == 0) {
		e->op = OPvmap;
		e->flags |= EVSIZE;
		if (n != 5 || (strcmp(w[3], "->") != 0 &&
		    strcmp(w[3], "=>") != 0))
			why = "expected vmap PA SIZE -> VA";
		else if (number(w[1], 0, UINT32_MAX, &pa) < 0)
			why = "pa '%.40s' is not an address below 2^32", arg = w[1];
		else if (number(w[2], 1, INT32_MAX, &size) < 0)
			why = "size '%.40s' is not a size below 2^31", arg = w[2];
		else if (strcmp(w[4], "nil") != 0 && strcmp(w[4], "(nil)") != 0 &&
		    number(w[4], 0, UINT32_MAX, va) < 0)
			why = "va '%.40s' is not an address below 2^32", arg = w[4];
	} else {
		e->op = OPvunmap;
		if (n != 2 && n != 3)
			why = "expected vunmap VA [SIZE]";
		else if (number(w[1], 0, UINT32_MAX, va) < 0)
			why = "va '%.40s' is not an address below 2^32", arg = w[1];
		else if (n == 3 && number(w[2], 1, INT32_MAX, &size) < 0)
			why = "size '%.40s' is not a size below 2^31", arg = w[2];
	}
	if (why != NULL) {
		*bad = malformed(st, name, line, text, arg ? why : "%s",
		    arg ? arg : why);
		return -1;
	}
	e->pa = pa;
	e->size = size;
	return 0;
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
	uint32_t va;
	int n, i, serial, hast, bad;

	lineno = 0;
	serial = 0;
	lastt = 0;
	while ((len = getline(&b->line, &b->linecap, f)) >= 0) {
		lineno++;
		st->lines++;
		if ((size_t)len + 1 > b->textcap) {
			b->textcap = len + 1;
			if ((b->text = realloc(b->text, b->textcap)) == NULL)
				fatal("out of memory");
		}
		memcpy(b->text, b->line, len + 1);
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
				if (!mentions(w, n))
					st->skipped++;
				else if (malformed(st, name, lineno, b->text,
				    "'%.40s' is not a time in seconds", w[0]) < 0)
					return -1;
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
			if (!mentions(w, n))
				st->skipped++;
			else if (malformed(st, name, lineno, b->text, "%s",
			    "not a vmap or vunmap call") < 0)
				return -1;
			continue;
		}
		memset(&e, 0, sizeof e);
		e.ref = -1;
		e.line = lineno;
		if (parsecall(st, name, lineno, b->text, w + i, n - i, &e, &va,
		    &bad) < 0) {
			if (bad < 0)
				return -1;
			continue;
		}
		if (hast) {
			if (ts < lastt) {
				snprintf(st->err, sizeof st->err, "%s:%zu: %s: "
				    "the time goes back", name, lineno, w[0]);
				return -1;
			}
			lastt = ts;
			e.t = ts;
			e.flags |= EVTIME;
		}
		if (e.op == OPvmap) {
			if (pidx >= 0) {
				/* nil for a pa in page 0 is the kernel's refusal */
				e.expect[pidx].kind = va ? Xaddr : e.pa < BY2PG ?
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
			for (k = 0; k < b->nlive && b->live[k].va != va; k++)
				;
			if (k < b->nlive) {
				e.ref = b->live[k].ev;
				e.id = t->ev[b->live[k].ev].id;
				if (n - i == 3 && e.size != t->ev[e.ref].size)
					e.flags |= EVSIZE;
				else
					e.size = 0;
				b->live[k] = b->live[--b->nlive];
				if (pidx >= 0)
					e.expect[pidx].kind = Xok;
			} else if (n - i == 3) {
				e.va = va;
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
		trace_append(t, &e);
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
	FILE *warn;
	int rv, strict;

	trace_init(t);
	strict = st->strict;
	warn = st->warn;
	memset(st, 0, sizeof *st);
	st->strict = strict;
	st->warn = warn;
	memset(&b, 0, sizeof b);
	rv = readlog(f, name, pidx, t, st, &b);
	free(b.line);
	free(b.text);
	free(b.live);
	return rv;
}
