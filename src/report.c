/*
 * Replay reports: a table for people and the vmapreport document of the
 * spec (section 5) for programs, the latter through libyaml's emitter
 * so that every value is quoted as YAML needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "replay.h"
#include "report.h"
#include "util.h"

/* The expectation in words: a result name or the address. */
static const char *
expectstr(char *buf, size_t len, const struct expect *x)
{
	if (x->kind == Xaddr) {
		snprintf(buf, len, "0x%.8x", x->addr);
		return buf;
	}
	return expectnames[x->kind];
}

/* One line of the summary's PDE and page-table figures. */
static void
textstate(FILE *f, const struct replay *rp)
{
	int n[Npdekind];

	pdecount(&rp->m, n);
	fprintf(f, "pdes      %d: %d blank, %d big, %d table, %d stale\n",
	    vpdbsize(&rp->m), n[Pblank], n[Pbig], n[Ptable], n[Pstale]);
	fprintf(f, "ptpages   %u in use, %u leaked\n", rp->m.ptinuse,
	    rp->m.ptleaked);
}

/* The heading shared by the text report and the dump. */
void
report_heading(FILE *f, const struct replay *rp)
{
	fprintf(f, "trace %s, policy %s, kernel %s, pse %s\n",
	    trace_name(rp->t), policies[rp->pidx].name,
	    kernelnames[rp->m.kernel], rp->m.pse ? "on" : "off");
}

/* Whether a result's row has words after the address. */
static int
hasremark(const struct event *e, const struct result *r)
{
	return r->exp == Efailed || r->panic != NULL || e->text != NULL ||
	    e->note != NULL;
}

/* The table of results and the summary, for people. */
void
report_text(FILE *f, const struct replay *rp)
{
	const struct trace *t;
	const struct event *e;
	const struct result *r;
	char pa[16], size[24], va[16], xb[16];
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
		    size, resultnames[r->kind], hasremark(e, r) ? 10 : 0, va);
		sep = "  ";
		if (r->exp == Efailed) {
			fprintf(f, "%sEXPECTED %s", sep,
			    expectstr(xb, sizeof xb, &e->expect[rp->pidx]));
			sep = "; ";
		}
		if (r->panic != NULL) {
			fprintf(f, "%s%s", sep, r->panic);
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

/* The summary alone: counts, expectations and the final state. */
void
report_summary(FILE *f, const struct replay *rp)
{
	int k;

	fprintf(f, "events    %zu:", rp->t->nev);
	for (k = Rok; k < Nresult; k++)
		fprintf(f, " %zu %s,", rp->count[k], resultnames[k]);
	fprintf(f, " %zu %s\n", rp->count[Rnotrun], resultnames[Rnotrun]);
	fprintf(f, "expect    %zu held, %zu failed, %zu unchecked\n",
	    rp->expheld, rp->expfailed, rp->expunchecked);
	textstate(f, rp);
	if (rp->unexpectedpanics > 0)
		fprintf(f, "status    the kernel panicked unexpectedly\n");
	else if (rp->expfailed > 0)
		fprintf(f, "status    expectations failed\n");
	else
		fprintf(f, "status    as expected\n");
}

/* Emitter helpers: each returns 0, or -1 when the emitter fails. */
static int
emit(yaml_emitter_t *em, yaml_event_t *ev)
{
	return yaml_emitter_emit(em, ev) ? 0 : -1;
}

static int
emitstr(yaml_emitter_t *em, const char *s)
{
	yaml_event_t ev;

	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
	    strlen(s), 1, 1, YAML_ANY_SCALAR_STYLE);
	return emit(em, &ev);
}

static int
emitkv(yaml_emitter_t *em, const char *k, const char *v)
{
	return emitstr(em, k) < 0 || emitstr(em, v) < 0 ? -1 : 0;
}

static int
emitnum(yaml_emitter_t *em, const char *k, unsigned long long v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%llu", v);
	return emitkv(em, k, buf);
}

static int
emithex(yaml_emitter_t *em, const char *k, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof buf, "0x%.8x", v);
	return emitkv(em, k, buf);
}

static int
emitmap(yaml_emitter_t *em, int flow)
{
	yaml_event_t ev;

	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	    flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
	return emit(em, &ev);
}

static int
emitend(yaml_emitter_t *em)
{
	yaml_event_t ev;

	yaml_mapping_end_event_initialize(&ev);
	return emit(em, &ev);
}

/* One result as a flow mapping. */
static int
emitresult(yaml_emitter_t *em, const struct replay *rp, size_t i)
{
	const struct event *e;
	const struct result *r;
	char xb[16];

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
	if (r->panic != NULL && emitkv(em, "panic", r->panic) < 0)
		return -1;
	if (r->exp == Efailed && emitkv(em, "expected",
	    expectstr(xb, sizeof xb, &e->expect[rp->pidx])) < 0)
		return -1;
	return emitend(em);
}

/* The summary mapping. */
static int
emitsummary(yaml_emitter_t *em, const struct replay *rp)
{
	int n[Npdekind], k;

	pdecount(&rp->m, n);
	if (emitstr(em, "summary") < 0 || emitmap(em, 0) < 0 ||
	    emitnum(em, "events", rp->t->nev) < 0)
		return -1;
	for (k = Rok; k < Nresult; k++)
		if (emitnum(em, resultnames[k], rp->count[k]) < 0)
			return -1;
	if (emitnum(em, resultnames[Rnotrun], rp->count[Rnotrun]) < 0 ||
	    emitstr(em, "expectations") < 0 || emitmap(em, 1) < 0 ||
	    emitnum(em, "held", rp->expheld) < 0 ||
	    emitnum(em, "failed", rp->expfailed) < 0 ||
	    emitnum(em, "unchecked", rp->expunchecked) < 0 ||
	    emitend(em) < 0 ||
	    emitnum(em, "unexpected-panics", rp->unexpectedpanics) < 0 ||
	    emitstr(em, "pdes") < 0 || emitmap(em, 1) < 0 ||
	    emitnum(em, "blank", n[Pblank]) < 0 ||
	    emitnum(em, "big", n[Pbig]) < 0 ||
	    emitnum(em, "table", n[Ptable]) < 0 ||
	    emitnum(em, "stale", n[Pstale]) < 0 || emitend(em) < 0 ||
	    emitnum(em, "ptpages", rp->m.ptinuse) < 0 ||
	    emitnum(em, "leaked", rp->m.ptleaked) < 0)
		return -1;
	return emitend(em);
}

/*
 * The vmapreport document.  Returns 0, or -1 when the emitter or the
 * output fails.
 */
int
report_yaml(FILE *f, const struct replay *rp)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	size_t i;
	int rv;

	if (!yaml_emitter_initialize(&em))
		return -1;
	yaml_emitter_set_output_file(&em, f);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	rv = -1;
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	if (emit(&em, &ev) < 0)
		goto out;
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	if (emit(&em, &ev) < 0 || emitmap(&em, 0) < 0 ||
	    emitkv(&em, "vmapreport", "1") < 0 ||
	    emitkv(&em, "trace", trace_name(rp->t)) < 0 ||
	    emitkv(&em, "policy", policies[rp->pidx].name) < 0 ||
	    emitkv(&em, "kernel", kernelnames[rp->m.kernel]) < 0 ||
	    emitkv(&em, "pse", rp->m.pse ? "true" : "false") < 0 ||
	    emitstr(&em, "results") < 0)
		goto out;
	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
	    YAML_BLOCK_SEQUENCE_STYLE);
	if (emit(&em, &ev) < 0)
		goto out;
	for (i = 0; i < rp->t->nev; i++)
		if (emitresult(&em, rp, i) < 0)
			goto out;
	yaml_sequence_end_event_initialize(&ev);
	if (emit(&em, &ev) < 0 || emitsummary(&em, rp) < 0 ||
	    emitend(&em) < 0)
		goto out;
	yaml_document_end_event_initialize(&ev, 1);
	if (emit(&em, &ev) < 0)
		goto out;
	yaml_stream_end_event_initialize(&ev);
	if (emit(&em, &ev) < 0 || !yaml_emitter_flush(&em))
		goto out;
	rv = 0;
out:
	yaml_emitter_delete(&em);
	return rv;
}
