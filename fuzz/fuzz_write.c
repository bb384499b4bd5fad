/*
 * The writer's fuzz target: whatever a trace holds, what the writer
 * writes reads back.  Bytes that make a trace are written and read
 * again, and must give the same trace, bit for bit.  Then the bytes
 * themselves become a trace's strings (its name, description, ids,
 * notes and texts: anybody's bytes, as import and file names give
 * them) beside numbers drawn from them; written and read back, each
 * string must come back as text.c's rule mends it, each number as it
 * was.  A breach aborts.  Built with libFuzzer by 'make fuzz'; built
 * with FUZZ_MAIN, a plain program over files that 'make check' runs
 * on the seeds and every input that once broke it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "trace.h"
#include "xmalloc.h"

#define MAXFUZZEVENTS	1000
#define MAXMADE		24	/* events made from the bytes */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* t written out and read back into *back.  Returns 0, or -1. */
static int
writeread(const struct trace *t, struct trace *back, char *err, size_t len)
{
	char *buf;
	size_t n;
	FILE *f;
	int rv;

	if ((f = open_memstream(&buf, &n)) == NULL)
		abort();
	rv = trace_write(f, t);
	fclose(f);
	if (rv == 0)
		rv = trace_loadmem(back, "rewritten", buf, n, err, len);
	else
		snprintf(err, len, "the writer failed");
	if (rv < 0) {
		fprintf(stderr, "--- written:\n%.*s\n---\n", (int)n, buf);
		trace_init(back);
	}
	free(buf);
	return rv;
}

/* A string of the n bytes at p (cut at a NUL, as C strings are). */
static char *
bytestr(const uint8_t *p, size_t n)
{
	char *s;

	s = xmalloc(n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* Whether got is want as the writer mends it (lines: may have lines). */
static int
mended(const char *want, const char *got, int lines)
{
	char *m;
	int same;

	if (want == NULL || got == NULL)
		return want == got;
	m = text_clean(want, lines);
	same = strcmp(m, got) == 0;
	free(m);
	return same;
}

/* A 32-bit number from the bytes at data, wrapping around them. */
static uint32_t
word(const uint8_t *data, size_t size, size_t at)
{
	uint32_t v;
	int i;

	v = 0;
	for (i = 0; i < 4; i++)
		v = v << 8 | data[(at + i) % size];
	return v;
}

/*
 * A trace of strings and numbers from the bytes: each vmap with an id
 * of its own (its bytes, then #k, so that no two mend to one), every
 * other one unmapped by id, notes and texts of the bytes.
 */
static void
maketrace(struct trace *t, const uint8_t *data, size_t size)
{
	struct event e;
	char *raw, suffix[16];
	size_t k, n, at, len;

	trace_init(t);
	n = size < 64 ? size : 64;
	t->name = bytestr(data, n);
	t->description = bytestr(data, size < 4096 ? size : 4096);
	t->machine.pse = data[0] & 1;
	t->machine.kernel = (data[0] >> 1) & 1;
	for (k = 0; k < MAXMADE && k * 7 < size; k++) {
		at = k * 7;
		len = (data[at] % 16) < size - at ? data[at] % 16 : size - at;
		memset(&e, 0, sizeof e);
		e.ref = e.slot = -1;
		raw = bytestr(data + at, len);
		switch (k % 3) {
		case 0:
			e.op = OPvmap;
			e.pa = word(data, size, at);
			e.size = word(data, size, at + 4) & 0x7fffffff;
			snprintf(suffix, sizeof suffix, "#%zu", k);
			e.id = xmalloc(strlen(raw) + sizeof suffix);
			sprintf(e.id, "%s%s", raw, suffix);
			e.flags = EVSIZE | EVOWNID;
			e.note = k % 2 ? xstrdup(raw) : NULL;
			if (data[at] & 0x80) {
				e.flags |= EVTIME;
				e.t = (double)k;
			}
			e.expect[0].kind = Xaddr;
			e.expect[0].addr = word(data, size, at + 2);
			break;
		case 1:
			/* the vmap before it, by its id */
			e.op = OPvunmap;
			e.ref = (int)t->nev - 1;
			e.id = xstrdup(t->ev[e.ref].id);
			e.flags = EVBYID | EVOWNID;
			break;
		default:
			e.op = OPnote;
			e.text = xstrdup(raw);
			break;
		}
		free(raw);
		xgrow(&t->ev, &t->evcap, t->nev + 1, sizeof *t->ev);
		t->ev[t->nev++] = e;
	}
}

/* Hold the strings of back to those of t, mended; abort if one is not. */
static void
checkmade(const struct trace *t, const struct trace *back)
{
	size_t i;
	const struct event *a, *b;

	if (!mended(t->name, back->name, 0) ||
	    !mended(t->description, back->description, 1) ||
	    back->nev != t->nev) {
		fprintf(stderr, "the header or the count of events differs\n");
		abort();
	}
	for (i = 0; i < t->nev; i++) {
		a = &t->ev[i];
		b = &back->ev[i];
		if (a->op != b->op || a->pa != b->pa || a->size != b->size ||
		    a->ref != b->ref || a->t != b->t ||
		    !mended(a->id, b->id, 0) || !mended(a->note, b->note, 1) ||
		    !mended(a->text, b->text, 1) ||
		    memcmp(&a->expect[0], &b->expect[0], sizeof a->expect[0])) {
			fprintf(stderr, "event %zu differs\n", i + 1);
			abort();
		}
	}
}

/* One input: 1 if it was a trace, 2 if also made into one, else 0. */
static int
fuzzone(const uint8_t *data, size_t size)
{
	struct trace t, back;
	char err[512];
	int rv;

	rv = 0;
	if (trace_loadmem(&t, "fuzz", data, size, err, sizeof err) == 0) {
		if (t.nev <= MAXFUZZEVENTS) {
			if (writeread(&t, &back, err, sizeof err) < 0) {
				fprintf(stderr, "does not read back: %s\n", err);
				abort();
			}
			if (!trace_same(&t, &back)) {
				fprintf(stderr, "reads back as another trace\n");
				abort();
			}
			trace_free(&back);
		}
		trace_free(&t);
		rv = 1;
	}
	if (size == 0)
		return rv;
	maketrace(&t, data, size);
	if (writeread(&t, &back, err, sizeof err) < 0) {
		fprintf(stderr, "a trace of its bytes does not read back: %s\n",
		    err);
		abort();
	}
	checkmade(&t, &back);
	trace_free(&back);
	trace_free(&t);
	return rv + 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzzone(data, size);
	return 0;
}

#ifdef FUZZ_MAIN
#include "fuzzmain.h"

int
main(int argc, char **argv)
{
	return fuzzmain(argc, argv, fuzzone, "written and read back");
}
#endif
