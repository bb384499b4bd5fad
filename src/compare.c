/*
 * compare: one trace replayed under several policies in step.  It lists
 * the events whose results differ, puts the policies' summaries side by
 * side, and explains the first divergence from the state each policy
 * was in just before it: which PDEs a mapping took and what they held,
 * or why vmapalloc found no room.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "emit.h"
#include "report.h"
#include "util.h"

/*
 * Why policy rp gave result r at event e, from the PDE kinds and
 * measures of the state before it.  Writes one sentence to buf.
 */
static void
explain(char *buf, size_t len, const struct replay *rp,
    const struct event *e, const struct result *r, const uint8_t *kinds,
    const Stats *before)
{
	const Policy *p;
	uint32_t o, size, n, first, last, k, cnt[Npdekind], blankrun, run;
	size_t w;
	char sz[24], msg[PANICLEN];
	int np;

	p = policyat(rp->pidx);
	np = vpdbsize(&rp->m);
	w = snprintf(buf, len, "%s ", p->name);
	if (w >= len)
		return;
	buf += w;
	len -= w;
	switch (r->kind) {
	case Rpanic:
		snprintf(buf, len, "panics: %s", replay_panicmsg(msg,
		    sizeof msg, rp, r));
		return;
	case Rrefused:
		snprintf(buf, len, "refuses it (%s)", e->pa < BY2PG ?
		    "pa in page 0" : "9front's range checks");
		return;
	case Rskipped:
		snprintf(buf, len, "skips it: its vmap did not succeed");
		return;
	case Rnotrun:
		snprintf(buf, len, "does not run it: the kernel had panicked");
		return;
	default:
		break;
	}
	if (e->op != OPvmap) {
		snprintf(buf, len, "unmaps 0x%.8x", r->va);
		return;
	}
	o = e->pa & (BY2PG - 1);
	size = ROUND(e->size + o, BY2PG);
	n = size / BY2PG;
	if (r->kind == Rfail) {
		blankrun = run = 0;
		for (k = 0; k < (uint32_t)np; k++) {
			run = kinds[k] == Pblank ? run + 1 : 0;
			if (run > blankrun)
				blankrun = run;
		}
		if (size >= PGDIRSIZE && !p->spans)
			snprintf(buf, len, "fails: no %u blank PDEs in a row "
			    "(the longest run is %u)",
			    HOWMANY(size, PGDIRSIZE), blankrun);
		else if (size >= PGDIRSIZE)
			snprintf(buf, len, "fails: no %u blank PDEs in a row "
			    "(the longest run is %u), and no run of %u free "
			    "pages over page tables that it can use (it could "
			    "place %s)", HOWMANY(size, PGDIRSIZE),
			    blankrun, n, before->largest[rp->pidx] ?
			    fmtbytes(sz, sizeof sz,
			    (uint64_t)before->largest[rp->pidx] * BY2PG) :
			    "nothing");
		else
			snprintf(buf, len, "fails: no hole of %u pages in a "
			    "page table it searches, and no blank PDE", n);
		return;
	}
	memset(cnt, 0, sizeof cnt);
	first = PDX(r->va) - PDX(rp->m.vmap);
	last = size ? PDX((r->va & ~(BY2PG - 1)) + size - 1) -
	    PDX(rp->m.vmap) : first;
	for (k = first; k <= last && k < (uint32_t)np; k++)
		cnt[kinds[k]]++;
	w = snprintf(buf, len, "maps it at 0x%.8x, PDE %u", r->va,
	    PDX(r->va));
	if (last != first && w < len)
		w += snprintf(buf + w, len - w, "-%u", PDX(rp->m.vmap) + last);
	if (w >= len)
		return;
	if (cnt[Pstale] > 0)
		w += snprintf(buf + w, len - w, ": reuses %u stale table%s",
		    cnt[Pstale], cnt[Pstale] == 1 ? "" : "s");
	else if (cnt[Pblank] > 0 && cnt[Ptable] == 0)
		w += snprintf(buf + w, len - w, ": takes %u blank PDE%s",
		    cnt[Pblank], cnt[Pblank] == 1 ? "" : "s");
	else
		w += snprintf(buf + w, len - w, ": fills a hole");
	if (w < len && cnt[Pstale] > 0 && cnt[Pblank] > 0)
		w += snprintf(buf + w, len - w, " and %u blank PDE%s",
		    cnt[Pblank], cnt[Pblank] == 1 ? "" : "s");
	if (w < len && cnt[Ptable] > 0)
		snprintf(buf + w, len - w, "%s %u table%s in use",
		    cnt[Pstale] || cnt[Pblank] ? ", with" : " in",
		    cnt[Ptable], cnt[Ptable] == 1 ? "" : "s");
}

/* One row of a table: a label and a column per policy, no trailing blanks. */
static void
row(FILE *f, int labelw, const char *label, char cells[][24], int n)
{
	int j;

	fprintf(f, "%-*s", labelw, label);
	for (j = 0; j < n; j++)
		fprintf(f, j < n - 1 ? "  %-11s" : "  %s", cells[j]);
	fputc('\n', f);
}

/* Copy s, at most max bytes of it, to p, padded with blanks to w. */
static char *
put(char *p, const char *s, size_t max, size_t w)
{
	size_t n;

	for (n = 0; n < max && s[n] != '\0'; n++)
		*p++ = s[n];
	for (; n < w; n++)
		*p++ = ' ';
	return p;
}

/*
 * The row of difference d, into buf (at least 160 bytes), as row()
 * would print it: label "%5zu  %-6s  %.12s" in 27 columns, then a
 * column of 13 per policy.  Built by hand: there may be a million.
 * Returns its length.
 */
static size_t
diffrow(char *buf, const struct compare *c, const struct diff *d)
{
	char num[24], cellb[24], *p, *q;
	size_t seq;
	int j, k;

	q = num + sizeof num;
	*--q = '\0';
	seq = d->seq;
	do
		*--q = '0' + seq % 10;
	while ((seq /= 10) > 0);
	p = buf;
	p = put(p, "", 0, num + sizeof num - 1 - q < 5 ?
	    5 - (num + sizeof num - 1 - q) : 0);
	p = put(p, q, sizeof num, 0);
	p = put(p, "  ", 2, 2);
	p = put(p, opnames[d->op], sizeof num, 6);
	p = put(p, "  ", 2, 2);
	p = put(p, d->id != NOID ? c->ids + d->id : "-", 12, 0);
	if (p - buf < 27)
		p = put(p, "", 0, 27 - (p - buf));
	for (j = 0; j < c->n; j++) {
		p = put(p, "  ", 2, 2);
		if (d->op == OPvmap && d->kind[j] == Rok) {
			cellb[0] = '0';
			cellb[1] = 'x';
			for (k = 0; k < 8; k++)
				cellb[2 + k] = "0123456789abcdef"[
				    (d->va[j] >> (28 - 4 * k)) & 0xF];
			cellb[10] = '\0';
			q = cellb;
		} else
			q = (char *)resultnames[d->kind[j]];
		p = put(p, q, 23, j < c->n - 1 ? 11 : 0);
	}
	*p++ = '\n';
	return p - buf;
}

/* The rows of the summary table beyond the result counts. */
enum {
	Sexpfailed, Sblank, Sbig, Stable, Sstale, Sfree, Srun, Sfrag,
	Slargest, Slowest, Smoststale, Sptpages, Nsumrow
};
static const char *const sumrows[Nsumrow] = {
	"expectations failed", "blank PDEs", "4M pages", "tables",
	"stale tables", "free pages", "largest free run", "fragmentation",
	"largest vmap", "lowest, after", "most stale, after",
	"ptpages (leaked)"
};

/* A size in pages for a cell: 12M, or none. */
static char *
pagescell(char *buf, size_t len, uint32_t pages)
{
	if (pages == 0) {
		snprintf(buf, len, "none");
		return buf;
	}
	return fmtbytes(buf, len, (uint64_t)pages * BY2PG);
}

/* The cell of summary row k for one policy's replay. */
static void
sumcell(char *buf, size_t len, int k, const struct replay *rp,
    const Stats *s)
{
	char b[16];

	switch (k) {
	case Sexpfailed:
		if (replay_unchecked(rp) != NULL)
			snprintf(buf, len, "not checked");
		else
			snprintf(buf, len, "%zu", rp->expfailed);
		break;
	case Sblank:
	case Sbig:
	case Stable:
	case Sstale:
		snprintf(buf, len, "%d", s->pde[Pblank + k - Sblank]);
		break;
	case Sfree:
		snprintf(buf, len, "%u", s->free);
		break;
	case Srun:
		snprintf(buf, len, "%u", s->largestrun);
		break;
	case Sfrag:
		snprintf(buf, len, "%.1f%%", 100 * s->frag);
		break;
	case Slargest:
		pagescell(buf, len, s->largest[rp->pidx]);
		break;
	case Slowest:
		snprintf(buf, len, "%s @%zu",
		    pagescell(b, sizeof b, rp->minlargest), rp->minlargestat);
		break;
	case Smoststale:
		snprintf(buf, len, "%d @%zu", rp->maxstale, rp->maxstaleat);
		break;
	case Sptpages:
		snprintf(buf, len, "%u (%u)", s->ptinuse, s->ptleaked);
		break;
	}
}

/*
 * Start replaying under each of the n policies in step, on t's machine;
 * the events come through compare_feed.  Caller frees with
 * compare_free.
 */
void
compare_init(struct compare *c, const struct trace *t, const Policy **p,
    int n, const struct replayopts *o)
{
	struct replayopts ro;
	int j;

	memset(c, 0, sizeof *c);
	c->t = t;
	c->n = n;
	ro = *o;
	ro.measure = 1;
	ro.history = 0;
	ro.stream = 1;
	for (j = 0; j < n; j++)
		replay_init(&c->rp[j], t, p[j], &ro);
	c->kinds = xmalloc((size_t)n * vpdbsize(&c->rp[0].m));
}

/* Keep id in the pool; its offset, or NOID for nil. */
static size_t
keepid(struct compare *c, const char *id)
{
	size_t n, off;

	if (id == NULL)
		return NOID;
	n = strlen(id) + 1;
	if (c->idcap - c->idlen < n) {
		if (c->idcap == 0)
			c->idcap = 4096;
		while (c->idcap - c->idlen < n)
			c->idcap *= 2;
		c->ids = xrealloc(c->ids, c->idcap);
	}
	memcpy(c->ids + c->idlen, id, n);
	off = c->idlen;
	c->idlen += n;
	return off;
}

/* Whether the results res of event e differ between the policies. */
static int
differs(const struct compare *c, const struct event *e,
    const struct result *res)
{
	int j;

	for (j = 1; j < c->n; j++)
		if (replay_differ(e, &res[0], &res[j]))
			return 1;
	return 0;
}

/*
 * Run the next event under every policy.  An event whose results differ
 * is kept; the first is explained from the states just before it.
 */
void
compare_feed(struct compare *c, const struct event *e)
{
	struct result res[MAXPOLICY];
	struct diff *d;
	int j, k, np;

	np = vpdbsize(&c->rp[0].m);
	if (c->first == 0)
		for (j = 0; j < c->n; j++) {
			for (k = 0; k < np; k++)
				c->kinds[j * np + k] = pdekind(&c->rp[j].m,
				    PDX(c->rp[j].m.vmap) + k);
			c->before[j] = c->rp[j].now;
			/* the summary may not have measured it just now */
			c->before[j].largest[c->rp[j].pidx] = largestvmap(
			    &c->rp[j].m, policyat(c->rp[j].pidx));
		}
	for (j = 0; j < c->n; j++)
		replay_feedslot(&c->rp[j], &c->made[j], e, &res[j]);
	c->pos++;
	if (differs(c, e, res)) {
		if (c->ndiff == c->dcap) {
			c->dcap = c->dcap ? 2 * c->dcap : 64;
			c->d = xreallocarray(c->d, c->dcap, sizeof *c->d);
		}
		d = &c->d[c->ndiff++];
		memset(d, 0, sizeof *d);
		d->seq = c->pos;
		d->op = e->op;
		d->id = keepid(c, e->id);
		for (j = 0; j < c->n; j++) {
			d->kind[j] = res[j].kind;
			d->va[j] = res[j].va;
		}
		if (c->first == 0) {
			c->first = c->pos;
			c->firstev = *e;
			c->firstev.id = NULL;
			c->firstev.text = NULL;
			c->firstev.note = NULL;
			for (j = 0; j < c->n; j++)
				explain(c->why[j], sizeof c->why[j], &c->rp[j],
				    e, &res[j], c->kinds + j * np,
				    &c->before[j]);
		}
	}
	for (j = 0; j < c->n; j++)
		replay_clear(&res[j]);
}

/* The trace the report names, once it has been read to its end. */
void
compare_settrace(struct compare *c, const struct trace *t)
{
	int j;

	c->t = t;
	for (j = 0; j < c->n; j++)
		c->rp[j].t = t;
}

/*
 * Replay the loaded trace t under each of the n policies in step.
 * Caller frees with compare_free.
 */
void
compare_run(struct compare *c, const struct trace *t, const Policy **p,
    int n, const struct replayopts *o)
{
	size_t i;

	compare_init(c, t, p, n, o);
	for (i = 0; i < t->nev; i++)
		compare_feed(c, &t->ev[i]);
}

/* Free the replays and the differences. */
void
compare_free(struct compare *c)
{
	int j;

	for (j = 0; j < c->n; j++) {
		replay_free(&c->rp[j]);
		free(c->made[j].v);
	}
	free(c->d);
	free(c->ids);
	free(c->kinds);
	memset(c, 0, sizeof *c);
}

/* The table of differences, the summaries and the first divergence. */
void
compare_text(FILE *f, const struct compare *c)
{
	const struct trace *t;
	const struct event *e;
	const struct diff *d;
	Stats s[MAXPOLICY];
	char sz[48], cells[MAXPOLICY][24], line[200];
	size_t i;
	int j, k;

	t = c->t;
	fprintf(f, "trace %s, kernel %s, pse %s:", trace_name(t),
	    kernelnames[c->rp[0].m.kernel], c->rp[0].m.pse ? "on" : "off");
	for (j = 0; j < c->n; j++)
		fprintf(f, "%s %s", j ? "," : "",
		    policyat(c->rp[j].pidx)->name);
	fputc('\n', f);
	if (replay_unchecked(&c->rp[0]) != NULL)
		fprintf(f, "expectations not checked: %s\n",
		    replay_unchecked(&c->rp[0]));
	fprintf(f, "%zu of %zu events differ\n\n", c->ndiff, t->nev);
	if (c->ndiff > 0) {
		for (j = 0; j < c->n; j++)
			snprintf(cells[j], sizeof cells[j], "%s",
			    policyat(c->rp[j].pidx)->name);
		row(f, 27, "  seq  op      id", cells, c->n);
	}
	for (i = 0; i < c->ndiff; i++) {
		d = &c->d[i];
		fwrite(line, 1, diffrow(line, c, d), f);
	}

	fputc('\n', f);
	for (j = 0; j < c->n; j++) {
		snprintf(cells[j], sizeof cells[j], "%s",
		    policyat(c->rp[j].pidx)->name);
		replay_measure((struct replay *)&c->rp[j], &s[j]);
	}
	row(f, 20, "summary", cells, c->n);
	for (k = Rok; k <= Nresult; k++) {
		for (j = 0; j < c->n; j++)
			snprintf(cells[j], sizeof cells[j], "%zu",
			    c->rp[j].count[k % Nresult]);
		row(f, 20, resultnames[k % Nresult], cells, c->n);
	}
	for (k = 0; k < Nsumrow; k++) {
		for (j = 0; j < c->n; j++)
			sumcell(cells[j], sizeof cells[j], k, &c->rp[j], &s[j]);
		row(f, 20, sumrows[k], cells, c->n);
	}

	if (c->first == 0) {
		fprintf(f, "\nthe policies agree on every event\n");
		return;
	}
	e = &c->firstev;
	fprintf(f, "\nfirst divergence: event %zu, %s", c->first,
	    opnames[e->op]);
	if (c->d[0].id != NOID)
		fprintf(f, " %s", c->ids + c->d[0].id);
	if (e->op == OPvmap)
		fprintf(f, " of %s at pa 0x%.8x", fmtbytes(sz, sizeof sz,
		    e->size), e->pa);
	fputc('\n', f);
	for (j = 0; j < c->n; j++)
		fprintf(f, "  %s\n", c->why[j]);
}

/* The same as a vmapcompare YAML document. */
int
compare_yaml(FILE *f, const struct compare *c)
{
	yaml_emitter_t em;
	const struct diff *d;
	char b[24];
	size_t i;
	int j, rv;

	if (emit_init(&em, f) < 0)
		return -1;
	rv = -1;
	if (emit_start(&em) < 0 || emitmap(&em, 0) < 0 ||
	    emitkv(&em, "vmapcompare", "1") < 0 ||
	    emitkv(&em, "trace", trace_name(c->t)) < 0 ||
	    emitkv(&em, "kernel", kernelnames[c->rp[0].m.kernel]) < 0 ||
	    emitkv(&em, "pse", c->rp[0].m.pse ? "true" : "false") < 0 ||
	    emitstr(&em, "policies") < 0 || emitseq(&em, 1) < 0)
		goto out;
	for (j = 0; j < c->n; j++)
		if (emitstr(&em, policyat(c->rp[j].pidx)->name) < 0)
			goto out;
	if (emitseqend(&em) < 0 || emitnum(&em, "differ", c->ndiff) < 0 ||
	    emitstr(&em, "differences") < 0 || emitseq(&em, 0) < 0)
		goto out;
	for (i = 0; i < c->ndiff; i++) {
		d = &c->d[i];
		if (emitmap(&em, 1) < 0 || emitnum(&em, "seq", d->seq) < 0 ||
		    emitkv(&em, "op", opnames[d->op]) < 0 ||
		    (d->id != NOID && emitkv(&em, "id", c->ids + d->id) < 0))
			goto out;
		for (j = 0; j < c->n; j++)
			if (emitkv(&em, policyat(c->rp[j].pidx)->name,
			    replay_cell(b, sizeof b, d->op, d->kind[j], d->va[j])) < 0)
				goto out;
		if (emitend(&em) < 0)
			goto out;
	}
	if (emitseqend(&em) < 0 || emitstr(&em, "summaries") < 0 ||
	    emitmap(&em, 0) < 0)
		goto out;
	for (j = 0; j < c->n; j++)
		if (emitstr(&em, policyat(c->rp[j].pidx)->name) < 0 ||
		    report_yamlsummary(&em, &c->rp[j]) < 0)
			goto out;
	if (emitend(&em) < 0)
		goto out;
	if (c->first != 0) {
		if (emitstr(&em, "first-divergence") < 0 ||
		    emitmap(&em, 0) < 0 ||
		    emitnum(&em, "seq", c->first) < 0 ||
		    emitstr(&em, "why") < 0 || emitmap(&em, 0) < 0)
			goto out;
		for (j = 0; j < c->n; j++)
			if (emitkv(&em, policyat(c->rp[j].pidx)->name,
			    c->why[j]) < 0)
				goto out;
		if (emitend(&em) < 0 || emitend(&em) < 0)
			goto out;
	}
	if (emitend(&em) < 0 || emit_finish(&em) < 0)
		goto out;
	rv = 0;
out:
	yaml_emitter_delete(&em);
	return rv;
}
