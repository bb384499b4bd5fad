/*
 * The trace writer: a struct trace back out as a vmaptrace file through
 * libyaml's emitter, one flow mapping per event, numbers in the form a
 * person would write them (hex addresses, sizes with K, M or G).  What
 * it writes, trace_load reads back to the same trace.  Files are
 * written through outfile_write, which never destroys what is at the
 * path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "mmu.h"
#include "trace.h"
#include "outfile.h"
#include "text.h"
#include "util.h"

/*
 * A value of one line (an id, a name): a newline or a tab in it, which
 * the reader would refuse there, is written as U+FFFD, as a bad byte
 * is.
 */
static int
emitline(struct emitter *em, const char *k, const char *v)
{
	char *clean;
	int rv;

	if (text_ok(v, 0))
		return emitkv(em, k, v);
	clean = text_clean(v, 0);
	rv = emitkv(em, k, clean);
	free(clean);
	return rv;
}

static int
emitsize(struct emitter *em, const char *k, uint64_t v)
{
	char buf[24];

	return emitkv(em, k, fmtbytes(buf, sizeof buf, v));
}

/*
 * expect: a scalar when every index has the same (as a scalar expect:
 * gives them), else a mapping of the registered policies' (an index
 * with no policy has nothing to say).
 */
static int
emitexpect(struct emitter *em, const struct event *e)
{
	char buf[16];
	int i, n, same;

	n = 0;
	same = 1;
	for (i = 0; i < MAXPOLICY; i++) {
		if (e->expect[i].kind != Xnone && policyat(i) != NULL)
			n++;
		if (e->expect[i].kind != e->expect[0].kind ||
		    e->expect[i].addr != e->expect[0].addr)
			same = 0;
	}
	if (n == 0)
		return 0;
	if (same)
		return emitkv(em, "expect", trace_expectstr(buf, sizeof buf,
		    &e->expect[0]));
	if (emitstr(em, "expect") < 0 || emitmap(em, 1) < 0)
		return -1;
	for (i = 0; i < MAXPOLICY; i++)
		if (policyat(i) != NULL && e->expect[i].kind != Xnone &&
		    emitkv(em, policyat(i)->name, trace_expectstr(buf, sizeof buf,
		    &e->expect[i])) < 0)
			return -1;
	return emitend(em);
}

/* One event as a flow mapping. */
static int
emitevent(struct emitter *em, const struct event *e)
{
	char buf[32];

	if (emitmap(em, 1) < 0 || emitkv(em, "op", opnames[e->op]) < 0)
		return -1;
	if (e->op == OPvmap && emithex(em, "pa", e->pa) < 0)
		return -1;
	if (e->op != OPvmap && (e->flags & EVVA) && emithex(em, "va", e->va)
	    < 0)
		return -1;
	if ((e->op == OPvmap || (e->flags & EVSIZE)) &&
	    emitsize(em, "size", e->size) < 0)
		return -1;
	if (e->id != NULL && emitline(em, "id", e->id) < 0)
		return -1;
	if (e->text != NULL && emitkv(em, "text", e->text) < 0)
		return -1;
	if (e->flags & EVTIME) {
		/* the fewest digits that read back as the same time */
		snprintf(buf, sizeof buf, "%.15g", e->t);
		if (strtod(buf, NULL) != e->t)
			snprintf(buf, sizeof buf, "%.17g", e->t);
		if (emitkv(em, "t", buf) < 0)
			return -1;
	}
	if (emitexpect(em, e) < 0)
		return -1;
	if (e->note != NULL && emitkv(em, "note", e->note) < 0)
		return -1;
	return emitend(em);
}

/*
 * Begin a vmaptrace document on f: t's header (name, description,
 * machine), then events one by one (trace_writeevent), then
 * trace_writeclose.  A trace is written as it is made, never held.
 */
int
trace_writeopen(struct tracewriter *w, FILE *f, const struct trace *t)
{
	const struct machine *mc;

	mc = &t->machine;
	w->bad = 0;
	if ((w->em = emit_open(f)) == NULL) {
		w->bad = -1;
		return -1;
	}
	if (emit_start(w->em) < 0 || emitmap(w->em, 0) < 0 ||
	    emitkv(w->em, "vmaptrace", "1") < 0 ||
	    (t->name != NULL && emitline(w->em, "name", t->name) < 0) ||
	    (t->description != NULL &&
	    emitliteral(w->em, "description", t->description) < 0) ||
	    emitstr(w->em, "machine") < 0 || emitmap(w->em, 0) < 0 ||
	    emithex(w->em, "vmap", mc->vmap) < 0 ||
	    emitsize(w->em, "vmapsize", mc->vmapsize) < 0 ||
	    emitkv(w->em, "pse", mc->pse ? "true" : "false") < 0 ||
	    emitkv(w->em, "kernel", kernelnames[mc->kernel]) < 0 ||
	    emitnum(w->em, "ptpages", mc->ptpages) < 0 ||
	    emitend(w->em) < 0 || emitstr(w->em, "events") < 0 ||
	    emitseq(w->em, 0) < 0)
		w->bad = 1;
	return w->bad ? -1 : 0;
}

/* The next event of the document. */
int
trace_writeevent(struct tracewriter *w, const struct event *e)
{
	if (!w->bad && emitevent(w->em, e) < 0)
		w->bad = 1;
	return w->bad ? -1 : 0;
}

/* End the document.  Returns -1 if any of it failed. */
int
trace_writeclose(struct tracewriter *w)
{
	if (w->bad < 0)
		return -1;
	if (!w->bad && (emitseqend(w->em) < 0 || emitend(w->em) < 0 ||
	    emit_finish(w->em) < 0))
		w->bad = 1;
	emit_close(w->em);
	w->em = NULL;
	return w->bad ? -1 : 0;
}

/* Write t as a vmaptrace document to f.  Returns -1 on failure. */
int
trace_write(FILE *f, const struct trace *t)
{
	struct tracewriter w;
	size_t i;

	if (trace_writeopen(&w, f, t) < 0 && w.bad < 0)
		return -1;
	for (i = 0; i < t->nev; i++)
		trace_writeevent(&w, &t->ev[i]);
	return trace_writeclose(&w);
}

static int
writetrace(FILE *f, void *t)
{
	return trace_write(f, t);
}

/*
 * Write t to path as outfile_write does; "-" is standard output.
 * Returns -1 with a message in err.
 */
int
trace_writefile(const char *path, const struct trace *t, char *err,
    size_t errlen)
{
	return outfile_write(path, writetrace, (void *)t, err, errlen);
}

/* Append a copy of e to t, taking over its strings. */
void
trace_append(struct trace *t, const struct event *e)
{
	xgrow(&t->ev, &t->evcap, t->nev + 1, sizeof *t->ev);
	t->ev[t->nev++] = *e;
}
