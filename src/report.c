/*
 * Replay reports: a table for people and the vmapreport document of the
 * spec (section 5) for programs, the latter through libyaml's emitter
 * so that every value is quoted as YAML needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "replay.h"
#include "report.h"
#include "util.h"

/* A size in pages for people: 12M, 4092K, or none. */
static const char *
pagesstr(char *buf, size_t len, uint32_t pages)
{
	if (pages == 0)
		return "none";
	return fmtbytes(buf, len, (uint64_t)pages * BY2PG);
}

/*
 * The measures of a state, as the lines shared by the replay summary
 * and the dump.
 */
void
report_measures(FILE *f, const struct replay *rp, const Stats *s)
{
	char b[24];
	int i;

	fprintf(f, "pdes      %d: %d blank, %d big, %d table, %d stale\n",
	    vpdbsize(&rp->m), s->pde[Pblank], s->pde[Pbig], s->pde[Ptable],
	    s->pde[Pstale]);
	fprintf(f, "pages     %u mapped, %u free, largest free run %u (%s), "
	    "page fragmentation %.1f%%\n", s->mapped, s->free, s->largestrun,
	    pagesstr(b, sizeof b, s->largestrun), 100 * s->frag);
	fprintf(f, "largest   ");
	for (i = 0; i < npolicy(); i++)
		fprintf(f, "%s%s %s", i ? ", " : "", policyat(i)->name,
		    pagesstr(b, sizeof b, s->largest[i]));
	fprintf(f, "\nallocator fragmentation");
	for (i = 0; i < npolicy(); i++)
		fprintf(f, "%s %s %.1f%%", i ? "," : "", policyat(i)->name,
		    100 * allocfrag(s, i));
	fprintf(f, "\nptpages   %u in use, %u leaked\n", s->ptinuse,
	    s->ptleaked);
}

/* The heading shared by the text report and the dump. */
void
report_heading(FILE *f, const struct replay *rp)
{
	fprintf(f, "trace %s, policy %s, kernel %s, pse %s\n",
	    trace_name(rp->t), policyat(rp->pidx)->name,
	    kernelnames[rp->m.kernel], rp->m.pse ? "on" : "off");
	if (rp->t->description != NULL)
		fprintwrap(f, "  ", rp->t->description, 78);
}

/* Whether a result's row has words after the address. */
static int
hasremark(const struct event *e, const struct result *r, int whyall)
{
	return r->exp == Efailed || r->kind != Rok || e->text != NULL ||
	    e->note != NULL || (whyall && e->op != OPnote);
}

/*
 * The table of results and the summary, for people.  Every row that is
 * not ok says why; with whyall, every row.
 */
void
report_text(FILE *f, const struct replay *rp, int whyall)
{
	const struct trace *t;
	const struct event *e;
	const struct result *r;
	char pa[16], size[24], va[16], xb[16], why[512];
	const char *sep;
	size_t i;
	int idw, w;

	t = rp->t;
	idw = 2;
	for (i = 0; i < t->nev; i++)
		if (t->ev[i].id != NULL &&
		    (w = strlen(t->ev[i].id)) > idw)
			idw = w > 24 ? 24 : w;
	report_heading(f, rp);
	fprintf(f, "%5s  %-6s  %-*s  %-10s  %-6s  %-7s  %s\n", "seq", "op",
	    idw, "id", "pa", "size", "result", "address");
	for (i = 0; i < t->nev; i++) {
		e = &t->ev[i];
		r = &rp->r[i];
		strcpy(pa, "-");
		strcpy(size, "-");
		strcpy(va, "-");
		if (e->op == OPvmap) {
			snprintf(pa, sizeof pa, "0x%.8x", e->pa);
			fmtbytes(size, sizeof size, e->size);
			if (r->kind == Rok)
				snprintf(va, sizeof va, "0x%.8x", r->va);
		} else if (e->op == OPvunmap) {
			if (r->kind == Rok || r->kind == Rpanic) {
				fmtbytes(size, sizeof size, r->size);
				snprintf(va, sizeof va, "0x%.8x", r->va);
			} else if (e->flags & EVSIZE)
				fmtbytes(size, sizeof size, e->size);
		}
		fprintf(f, "%5zu  %-6s  %-*.*s  %-10s  %-6s  %-7s  %-*s",
		    i + 1, opnames[e->op], idw, idw, e->id ? e->id : "-", pa,
		    size, resultnames[r->kind], hasremark(e, r, whyall) ? 10 : 0,
		    va);
		sep = "  ";
		if (r->exp == Efailed) {
			fprintf(f, "%sEXPECTED %s", sep,
			    trace_expectstr(xb, sizeof xb, &e->expect[rp->pidx]));
			sep = "; ";
		}
		if (r->kind != Rok || (whyall && e->op != OPnote)) {
			fprintf(f, "%s%s", sep, replay_why(why, sizeof why, rp, e,
			    r, i));
			sep = "; ";
		}
		if (e->text != NULL) {
			fprintf(f, "%s%s", sep, e->text);
			sep = "; ";
		}
		if (e->note != NULL)
			fprintf(f, "%s# %s", sep, e->note);
		fputc('\n', f);
	}
	fputc('\n', f);
	report_summary(f, rp);
}

/* "first     fail at event 20 (poke8): why", when there was one. */
static void
reportfirst(FILE *f, const char *what, const struct first *fi)
{
	if (fi->seq == 0)
		return;
	fprintf(f, "first     %s at event %zu (%s): %s\n", what, fi->seq,
	    fi->id, fi->why);
}

/* The summary alone: counts, expectations and the final state. */
void
report_summary(FILE *f, const struct replay *rp)
{
	Stats s;
	char b[24];
	int k;

	fprintf(f, "events    %zu:", rp->t->nev);
	for (k = Rok; k < Nresult; k++)
		fprintf(f, " %zu %s,", rp->count[k], resultnames[k]);
	fprintf(f, " %zu %s\n", rp->count[Rnotrun], resultnames[Rnotrun]);
	fprintf(f, "expect    %zu held, %zu failed, %zu unchecked\n",
	    rp->expheld, rp->expfailed, rp->expunchecked);
	if (replay_unchecked(rp) != NULL)
		fprintf(f, "          expectations not checked: %s\n",
		    replay_unchecked(rp));
	reportfirst(f, "fail", &rp->firstfail);
	reportfirst(f, "panic", &rp->firstpanic);
	reportfirst(f, "failed expectation", &rp->firstexp);
	replay_measure((struct replay *)rp, &s);
	report_measures(f, rp, &s);
	if (rp->measure)
		fprintf(f, "extremes  %s's largest vmap lowest %s after event "
		    "%zu; stale tables most %d after event %zu\n",
		    policyat(rp->pidx)->name,
		    pagesstr(b, sizeof b, rp->minlargest), rp->minlargestat,
		    rp->maxstale, rp->maxstaleat);
	if (rp->unexpectedpanics > 0 && replay_unchecked(rp) != NULL)
		fprintf(f, "status    the kernel panicked at event %zu; "
		    "expectations not checked\n", rp->unexpectedat);
	else if (rp->unexpectedpanics > 0)
		fprintf(f, "status    the kernel panicked unexpectedly at event "
		    "%zu\n", rp->unexpectedat);
	else if (rp->expfailed > 0)
		fprintf(f, "status    expectations failed\n");
	else if (replay_unchecked(rp) != NULL)
		fprintf(f, "status    no panic; expectations not checked\n");
	else
		fprintf(f, "status    as expected\n");
}

/*
 * A result's reason: reason: {code: ..., text: ..., and its numbers},
 * a panic's kind, cause and where.
 */
int
report_emitreason(yaml_emitter_t *em, const struct replay *rp,
    const struct event *e, const struct result *r, size_t i)
{
	static const char *const kinds[] = {
		"", "pde", "pte", "xspanalloc", "range", "not-mapped",
		"misaligned"
	};
	static const char *const causes[] = {
		"", "blank-pde", "free-pte", "cleared-4m", "negative", "below",
		"above", "wrapped"
	};
	char why[512];
	const char *field;
	Reason rs;
	int k;

	replay_reason(rp, e, r, &rs);
	if (emitstr(em, "reason") < 0 || emitmap(em, 1) < 0 ||
	    emitkv(em, "code", r->kind == Rnotrun ? "not-run" :
	    reasonname(rs.code)) < 0 ||
	    emitkv(em, "text", replay_why(why, sizeof why, rp, e, r, i)) < 0)
		return -1;
	for (k = 0; (field = reasonfield(rs.code, k)) != NULL; k++)
		if (emitnum(em, field, rs.n[k]) < 0)
			return -1;
	if (r->panic != NULL && (emitkv(em, "kind", kinds[r->panic->kind]) < 0 ||
	    (r->panic->cause != PCnone && emitkv(em, "cause",
	    causes[r->panic->cause]) < 0) || emithex(em, "at", r->panic->va) < 0))
		return -1;
	return emitend(em);
}

/* The first of a kind as {seq, id, reason}, under key, if there was one. */
static int
emitfirst(yaml_emitter_t *em, const char *key, const struct first *fi)
{
	if (fi->seq == 0)
		return 0;
	if (emitstr(em, key) < 0 || emitmap(em, 1) < 0 ||
	    emitnum(em, "seq", fi->seq) < 0 || emitkv(em, "id", fi->id) < 0 ||
	    emitkv(em, "reason", fi->why) < 0)
		return -1;
	return emitend(em);
}

/* One result as a flow mapping. */
static int
emitresult(yaml_emitter_t *em, const struct replay *rp, size_t i)
{
	const struct event *e;
	const struct result *r;
	char xb[16], msg[PANICLEN];

	e = &rp->t->ev[i];
	r = &rp->r[i];
	if (emitmap(em, 1) < 0 || emitnum(em, "seq", i + 1) < 0 ||
	    emitkv(em, "op", opnames[e->op]) < 0)
		return -1;
	if (e->id != NULL && emitkv(em, "id", e->id) < 0)
		return -1;
	if (e->text != NULL && emitkv(em, "text", e->text) < 0)
		return -1;
	if (emitkv(em, "result", resultnames[r->kind]) < 0)
		return -1;
	if (((e->op == OPvmap && r->kind == Rok) || (e->op == OPvunmap &&
	    (r->kind == Rok || r->kind == Rpanic))) &&
	    emithex(em, "va", r->va) < 0)
		return -1;
	if (r->panic != NULL && emitkv(em, "panic", replay_panicmsg(msg,
	    sizeof msg, rp, r)) < 0)
		return -1;
	if (r->panic != NULL && e->op == OPvmap &&
	    emithex(em, "vmapalloc", r->panic->allocva) < 0)
		return -1;
	if (report_emitreason(em, rp, e, r, i) < 0)
		return -1;
	if (r->exp == Efailed && emitkv(em, "expected",
	    trace_expectstr(xb, sizeof xb, &e->expect[rp->pidx])) < 0)
		return -1;
	return emitend(em);
}

/* The measures of the final state, and the extremes over the run. */
static int
emitmeasures(yaml_emitter_t *em, const struct replay *rp)
{
	Stats s;
	char b[24];
	int i;

	replay_measure((struct replay *)rp, &s);
	snprintf(b, sizeof b, "%.4f", s.frag);
	if (emitnum(em, "mapped", s.mapped) < 0 ||
	    emitnum(em, "free", s.free) < 0 ||
	    emitnum(em, "largest-free-run", s.largestrun) < 0 ||
	    emitkv(em, "page-fragmentation", b) < 0 ||
	    emitstr(em, "largest-vmap") < 0 || emitmap(em, 1) < 0)
		return -1;
	for (i = 0; i < npolicy(); i++)
		if (emitnum(em, policyat(i)->name,
		    (unsigned long long)s.largest[i] * BY2PG) < 0)
			return -1;
	if (emitend(em) < 0 || emitstr(em, "allocator-fragmentation") < 0 ||
	    emitmap(em, 1) < 0)
		return -1;
	for (i = 0; i < npolicy(); i++) {
		snprintf(b, sizeof b, "%.4f", allocfrag(&s, i));
		if (emitkv(em, policyat(i)->name, b) < 0)
			return -1;
	}
	if (emitend(em) < 0)
		return -1;
	if (!rp->measure)
		return 0;
	if (emitstr(em, "extremes") < 0 || emitmap(em, 0) < 0 ||
	    emitstr(em, "lowest-largest-vmap") < 0 || emitmap(em, 1) < 0 ||
	    emitnum(em, "bytes", (unsigned long long)rp->minlargest * BY2PG)
	    < 0 || emitnum(em, "after", rp->minlargestat) < 0 ||
	    emitend(em) < 0 ||
	    emitstr(em, "most-stale") < 0 || emitmap(em, 1) < 0 ||
	    emitnum(em, "tables", rp->maxstale) < 0 ||
	    emitnum(em, "after", rp->maxstaleat) < 0 || emitend(em) < 0)
		return -1;
	return emitend(em);
}

/* A replay's summary mapping (the value of a summary key). */
int
report_yamlsummary(yaml_emitter_t *em, const struct replay *rp)
{
	int n[Npdekind], k;

	pdecount(&rp->m, n);
	if (emitmap(em, 0) < 0 || emitnum(em, "events", rp->t->nev) < 0)
		return -1;
	for (k = Rok; k < Nresult; k++)
		if (emitnum(em, resultnames[k], rp->count[k]) < 0)
			return -1;
	if (emitnum(em, resultnames[Rnotrun], rp->count[Rnotrun]) < 0 ||
	    emitstr(em, "expectations") < 0 || emitmap(em, 1) < 0 ||
	    emitnum(em, "held", rp->expheld) < 0 ||
	    emitnum(em, "failed", rp->expfailed) < 0 ||
	    emitnum(em, "unchecked", rp->expunchecked) < 0 ||
	    (replay_unchecked(rp) != NULL && emitkv(em, "not-checked",
	    replay_unchecked(rp)) < 0) ||
	    emitend(em) < 0 ||
	    emitnum(em, "unexpected-panics", rp->unexpectedpanics) < 0 ||
	    emitfirst(em, "first-fail", &rp->firstfail) < 0 ||
	    emitfirst(em, "first-panic", &rp->firstpanic) < 0 ||
	    emitfirst(em, "first-failed-expectation", &rp->firstexp) < 0 ||
	    emitstr(em, "pdes") < 0 || emitmap(em, 1) < 0 ||
	    emitnum(em, "blank", n[Pblank]) < 0 ||
	    emitnum(em, "big", n[Pbig]) < 0 ||
	    emitnum(em, "table", n[Ptable]) < 0 ||
	    emitnum(em, "stale", n[Pstale]) < 0 || emitend(em) < 0 ||
	    emitnum(em, "ptpages", rp->m.pt.inuse) < 0 ||
	    emitnum(em, "leaked", rp->m.pt.leaked) < 0 ||
	    emitmeasures(em, rp) < 0)
		return -1;
	return emitend(em);
}

/* The vmapreport document, with the results unless summary is set. */
static int
yamlreport(FILE *f, const struct replay *rp, int summary)
{
	yaml_emitter_t em;
	size_t i;
	int rv;

	if (emit_init(&em, f) < 0)
		return -1;
	rv = -1;
	if (emit_start(&em) < 0 || emitmap(&em, 0) < 0 ||
	    emitkv(&em, "vmapreport", "1") < 0 ||
	    emitkv(&em, "trace", trace_name(rp->t)) < 0 ||
	    emitkv(&em, "policy", policyat(rp->pidx)->name) < 0 ||
	    emitkv(&em, "kernel", kernelnames[rp->m.kernel]) < 0 ||
	    emitkv(&em, "pse", rp->m.pse ? "true" : "false") < 0)
		goto out;
	if (!summary) {
		if (emitstr(&em, "results") < 0 || emitseq(&em, 0) < 0)
			goto out;
		for (i = 0; i < rp->t->nev; i++)
			if (emitresult(&em, rp, i) < 0)
				goto out;
		if (emitseqend(&em) < 0)
			goto out;
	}
	if (emitstr(&em, "summary") < 0 ||
	    report_yamlsummary(&em, rp) < 0 || emitend(&em) < 0 ||
	    emit_finish(&em) < 0)
		goto out;
	rv = 0;
out:
	yaml_emitter_delete(&em);
	return rv;
}

/*
 * The vmapreport document.  Returns 0, or -1 when the emitter or the
 * output fails.
 */
int
report_yaml(FILE *f, const struct replay *rp)
{
	return yamlreport(f, rp, 0);
}

/* The vmapreport document without the results: the summary alone. */
int
report_yaml_summary(FILE *f, const struct replay *rp)
{
	return yamlreport(f, rp, 1);
}
