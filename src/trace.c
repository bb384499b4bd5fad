/*
 * A trace in memory (trace.h) and the values of its format that the
 * reader, the writer and the command line share: the op and result
 * names, numbers with their suffixes, the rules of a machine's vmap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mmu.h"
#include "trace.h"

const char *const opnames[Nop] = { "vmap", "vunmap", "note" };

const char *const expectnames[] = {
	"", "ok", "fail", "refused", "skipped", "panic", ""
};

/*
 * Parse a trace number: decimal or 0x hex, with a K, M or G suffix
 * (powers of 1024) when suffix is set (SUFFIXANY: k, m or g too, as
 * people type them on a command line or a prompt; a trace's are upper
 * case).  Returns -1 on bad syntax, -2 for a value past 2^64-1.
 */
int
trace_parsenum(const char *s, int suffix, uint64_t *vp)
{
	uint64_t v, d, base, mul;
	const char *p;

	base = 10;
	p = s;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (*p == '\0')
		return -1;
	v = 0;
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		/* no division per digit: this runs for every number read */
		if (__builtin_mul_overflow(v, base, &v) ||
		    __builtin_add_overflow(v, d, &v))
			return -2;
	}
	mul = 1;
	if (*p != '\0' && suffix && p[1] == '\0' && p != s) {
		switch (suffix == SUFFIXANY && *p >= 'a' && *p <= 'z' ?
		    *p - 'a' + 'A' : *p) {
		case 'K':
			mul = 1ull << 10;
			break;
		case 'M':
			mul = 1ull << 20;
			break;
		case 'G':
			mul = 1ull << 30;
			break;
		default:
			return -1;
		}
		p++;
	}
	if (*p != '\0')
		return -1;
	if (__builtin_mul_overflow(v, mul, &v))
		return -2;
	*vp = v;
	return 0;
}

/*
 * What is wrong with v as the machine's vmap (vmaptrace(5)), in buf,
 * or nil.
 */
const char *
trace_vmapbad(char *buf, size_t len, uint64_t v)
{
	if (v > UINT32_MAX)
		snprintf(buf, len, "%#llx is not an address below 2^32",
		    (unsigned long long)v);
	else if (v % PGDIRSIZE != 0)
		snprintf(buf, len, "%#llx is not 4M-aligned",
		    (unsigned long long)v);
	else if (v == 0)
		/* vmapalloc's 0 is failure: its first page would be lost */
		snprintf(buf, len, "0 cannot be told from vmapalloc's failure");
	else
		return NULL;
	return buf;
}

/* What is wrong with v as the machine's vmapsize, or nil. */
const char *
trace_vmapsizebad(uint64_t v)
{
	if (v == 0 || v % PGDIRSIZE != 0)
		return "not a positive multiple of 4M";
	if (v >= 1ull << 32)
		return "at most 4092M";
	return NULL;
}

/* An empty trace on the default machine. */
void
trace_init(struct trace *t)
{
	memset(t, 0, sizeof *t);
	t->machine.vmap = DEFVMAP;
	t->machine.vmapsize = DEFVMAPSIZE;
	t->machine.pse = 1;
	t->machine.kernel = Klabs;
}

/*
 * Whether the trace at path can be read a second time, as a stream
 * whose machine came after its events must be: a regular file, not
 * standard input ("-") or a pipe.
 */
int
trace_rereadable(const char *path)
{
	struct stat st;

	return strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	    S_ISREG(st.st_mode);
}

/* Free what trace_load made. */
void
trace_free(struct trace *t)
{
	size_t i;

	for (i = 0; t->ev != NULL && i < t->nev; i++) {
		if (t->ev[i].flags & EVOWNID)
			free(t->ev[i].id);
		free(t->ev[i].text);
		free(t->ev[i].note);
	}
	free(t->ev);
	free(t->file);
	free(t->name);
	free(t->description);
	memset(t, 0, sizeof *t);
}

/* The trace's name, or its file's when it has none. */
const char *
trace_name(const struct trace *t)
{
	const char *s;

	if (t->name != NULL)
		return t->name;
	if (t->file == NULL)
		return "-";
	s = strrchr(t->file, '/');
	return s ? s + 1 : t->file;
}

/* An expectation as a trace writes it: a result's name or the address. */
const char *
trace_expectstr(char *buf, size_t len, const struct expect *x)
{
	if (x->kind == Xaddr) {
		snprintf(buf, len, "0x%.8x", x->addr);
		return buf;
	}
	return expectnames[x->kind];
}

/* Whether two strings, either of which may be nil, are the same. */
static int
samestr(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/*
 * Whether two events are alike in everything a trace file says of them
 * (not where they stood in it, nor which copy of an id they hold).
 */
int
trace_sameevent(const struct event *a, const struct event *b)
{
	return a->op == b->op && a->pa == b->pa && a->va == b->va &&
	    a->size == b->size && a->ref == b->ref &&
	    (a->flags & ~EVOWNID) == (b->flags & ~EVOWNID) &&
	    samestr(a->id, b->id) && samestr(a->text, b->text) &&
	    samestr(a->note, b->note) && a->t == b->t &&
	    memcmp(a->expect, b->expect, sizeof a->expect) == 0;
}

/* Whether two traces say the same: header, machine and every event. */
int
trace_same(const struct trace *a, const struct trace *b)
{
	size_t i;

	if (a->nev != b->nev || a->machine.vmap != b->machine.vmap ||
	    a->machine.vmapsize != b->machine.vmapsize ||
	    a->machine.pse != b->machine.pse ||
	    a->machine.kernel != b->machine.kernel ||
	    a->machine.ptpages != b->machine.ptpages ||
	    !samestr(a->name, b->name) ||
	    !samestr(a->description, b->description))
		return 0;
	for (i = 0; i < a->nev; i++)
		if (!trace_sameevent(&a->ev[i], &b->ev[i]))
			return 0;
	return 1;
}
