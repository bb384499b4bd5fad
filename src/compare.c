/*
 * compare: one trace replayed under several policies in step.  It lists
 * the events whose results differ, puts the policies' summaries side by
 * side, and explains the first divergence from the state each policy
 * was in just before it: which PDEs a mapping took and what they held,
 * or why vmapalloc found no room.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "measure.h"
#include "emit.h"
#include "report.h"
#include "util.h"

/*
 * One side of a divergence: the policy, what it gave and why, from the
 * state its event left (rp's, just after event index i).
 */
static void
sidewhy(char *buf, size_t len, const struct replay *rp,
    const struct event *e, const struct result *r, size_t i)
{
	char answer[440];

	snprintf(buf, len, "%s %s", policyat(rp->pidx)->name,
	    replay_answer(answer, sizeof answer, rp, e, r, i));
}

/*
 * One row of a table: a label and a column per policy, each cw wide,
 * no trailing blanks.
 */
static void
row(FILE *f, int labelw, const char *label, char cells[][24], int n, int cw)
{
	int j;

	fprintf(f, "%-*s", labelw, label);
	for (j = 0; j < n; j++)
		fprintf(f, "  %-*s", j < n - 1 ? cw : 0, cells[j]);
	fputc('\n', f);
}

/* The widest of n cells, and 11 at least. */
static int
widest(char cells[][24], int n, int w)
{
	int j;

	for (j = 0; j < n; j++)
		if ((int)strlen(cells[j]) > w)
			w = strlen(cells[j]);
	return w < 11 ? 11 : w;
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

/* n blanks at p. */
static char *
blanks(char *p, size_t n)
{
	while (n-- > 0)
		*p++ = ' ';
	return p;
}

/*
 * The row of difference d, into buf (at least 160 bytes), as row()
 * would print it: label "%*zu  %-6s  %.12s" (the event number as wide as
 * the trace's last, five at least) in 22 columns more, then a column
 * of 13 per policy.  Built by hand: there may be a million.
 * Returns its length.
 */
static size_t
diffrow(char *buf, const struct compare *c, const struct diff *d,
    const char *id, int seqw)
{
	char num[24], *p, *q;
	size_t seq;
	int j, k, w;

	q = num + sizeof num;
	seq = d->seq;
	do
		*--q = '0' + seq % 10;
	while ((seq /= 10) > 0);
	w = num + sizeof num - q;
	p = blanks(buf, w < seqw ? seqw - w : 0);
	memcpy(p, q, w);
	p = blanks(p + w, 2);
	p = put(p, opnames[d->op], sizeof num, 6);
	p = blanks(p, 2);
	p = put(p, d->id != NOID ? id : "-", 12, 0);
	if (p - buf < 22 + seqw)
		p = blanks(p, 22 + seqw - (p - buf));
	for (j = 0; j < c->n; j++) {
		p = blanks(p, 2);
		w = j < c->n - 1 ? 11 : 0;
		if (d->op == OPvmap && d->kind[j] == Rok) {
			*p++ = '0';
			*p++ = 'x';
			for (k = 0; k < 8; k++)
				*p++ = "0123456789abcdef"[(d->va[j] >>
				    (28 - 4 * k)) & 0xF];
			p = blanks(p, w - (w > 0 ? 10 : 0));
		} else
			p = put(p, resultnames[d->kind[j]], 23, w);
	}
	*p++ = '\n';
	return p - buf;
}

/*
 * The rows of the summary table beyond the result counts: the
 * expectations that failed, then every measure that has a row here.
 * Row 0 is the expectations'; row k > 0 the k-th such measure, or nil.
 */
static const struct measure *
sumrow(int k)
{
	int i;

	for (i = 0; i < measure_count(); i++)
		if (measure_at(i)->clabel != NULL && --k == 0)
			return measure_at(i);
	return NULL;
}

static const char *
sumlabel(int k)
{
	return k == 0 ? "expectations failed" : sumrow(k)->clabel;
}

/* The cell of summary row k for one policy's replay. */
static void
sumcell(char *buf, size_t len, int k, const struct replay *rp,
    const Stats *s)
{
	const struct measure *m;

	if (k > 0) {
		m = sumrow(k);
		measure_words(buf, len, m, m->cwords ? m->cwords : "%v",
		    MScell, rp, s);
	} else if (replay_unchecked(rp) != NULL)
		snprintf(buf, len, "not checked");
	else
		snprintf(buf, len, "%zu", rp->expfailed);
}

/*
 * Start replaying under each of the n policies in step, on t's machine;
 * the events come through compare_feed.  With summary, the events that
 * differ are counted, not kept, and more of the first of each kind are.
 * Caller frees with compare_free.
 */
void
compare_init(struct compare *c, const struct trace *t, const Policy **p,
    int n, const struct replayopts *o, int summary)
{
	struct replayopts ro;
	int j, k;

	memset(c, 0, sizeof *c);
	c->t = t;
	c->n = n;
	c->summary = summary;
	c->nfirst = summary ? MAXFIRST : 1;
	ro = *o;
	ro.measure = 1;
	ro.history = 0;
	ro.stream = 1;
	for (j = 0; j < n; j++)
	{
		if (o->consoles != NULL)
			ro.console = o->consoles[j];
		replay_init(&c->rp[j], t, p[j], &ro);
	}
	if (!summary && spoolfile_open(&c->spool) < 0)
		fatal("no temporary file for the differences: %s",
		    strerror(errno));
	c->pair = xcalloc((size_t)n * (n - 1) / 2, sizeof *c->pair);
	for (j = 0; j < n; j++)
		for (k = j + 1; k < n; k++) {
			c->pair[c->npair].a = j;
			c->pair[c->npair].b = k;
			c->npair++;
		}
}

/* Keep id in the pool; its offset, or NOID for nil. */
static size_t
keepid(struct compare *c, const char *id)
{
	size_t n, off;

	if (id == NULL)
		return NOID;
	n = strlen(id) + 1;
	xgrow(&c->ids, &c->idcap, c->idlen + n, 1);
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

/* The spool read again from its start; what could not be written, fatal. */
static void
spoolagain(struct compare *c)
{
	if (spoolfile_rewind(&c->spool) < 0)
		fatal("the differences' temporary file: %s", strerror(errno));
}

/*
 * A difference in the spool: seq (8 bytes), op, each policy's kind,
 * each one's va (4 bytes), the id's length (4; NOIDLEN for none), then
 * its bytes.
 */
#define NOIDLEN		UINT32_MAX
#define DIFFHEAD(n)	(8 + 1 + (n) + 4 * (n) + 4)

/*
 * Keep event e, whose results res differ, as the next row: written to
 * the spool, its id after it, so that memory does not grow with them.
 */
static void
keepdiff(struct compare *c, const struct event *e, const struct result *res)
{
	unsigned char b[DIFFHEAD(MAXPOLICY) + 256], *p;
	uint64_t seq;
	uint32_t n;
	size_t len;
	int j;

	seq = c->pos;
	n = e->id != NULL ? strlen(e->id) : NOIDLEN;
	p = b;
	memcpy(p, &seq, 8);
	p += 8;
	*p++ = e->op;
	for (j = 0; j < c->n; j++)
		*p++ = res[j].kind;
	for (j = 0; j < c->n; j++, p += 4)
		memcpy(p, &res[j].va, 4);
	memcpy(p, &n, 4);
	p += 4;
	len = p - b;
	if (n == NOIDLEN)
		n = 0;
	else if (n <= sizeof b - len) {
		memcpy(p, e->id, n);
		len += n;
		n = 0;		/* written */
	}
	spoolfile_put(&c->spool, b, len);
	if (n > 0)
		spoolfile_put(&c->spool, e->id, n);
	c->ndiff++;
}

/* The next difference kept, its id in *idbuf (grown); 0 at the end. */
static int
nextdiff(struct compare *c, struct diff *d, char **idbuf,
    size_t *idcap)
{
	unsigned char b[DIFFHEAD(MAXPOLICY)], *p;
	uint64_t seq;
	uint32_t n;
	int j;

	if (spoolfile_get(&c->spool, b, DIFFHEAD(c->n)) !=
	    (size_t)DIFFHEAD(c->n))
		return 0;
	memset(d, 0, sizeof *d);
	p = b;
	memcpy(&seq, p, 8);
	p += 8;
	d->seq = seq;
	d->op = *p++;
	for (j = 0; j < c->n; j++)
		d->kind[j] = *p++;
	for (j = 0; j < c->n; j++, p += 4)
		memcpy(&d->va[j], p, 4);
	memcpy(&n, p, 4);
	d->id = n == NOIDLEN ? NOID : 0;
	if (n == NOIDLEN)
		n = 0;
	if (*idcap < (size_t)n + 1) {
		*idcap = (size_t)n + 1;
		*idbuf = xrealloc(*idbuf, *idcap);
	}
	if (n > 0 && spoolfile_get(&c->spool, *idbuf, n) != n)
		return 0;
	(*idbuf)[n] = '\0';
	return 1;
}

/*
 * Count event e against every pair whose results res differ, and keep
 * the first few of each kind with why, on both sides, from the states
 * just after it.
 */
static void
pairfeed(struct compare *c, const struct event *e, const struct result *res)
{
	struct pair *pr;
	struct divat *dv;
	size_t n;
	int k, q;

	for (q = 0; q < c->npair; q++) {
		pr = &c->pair[q];
		if ((k = replay_divkind(e, &res[pr->a], &res[pr->b])) < 0)
			continue;
		pr->ndiff++;
		n = pr->count[k]++;
		if (n >= (size_t)c->nfirst)
			continue;
		dv = &pr->first[k][n];
		dv->seq = c->pos;
		dv->ev = *e;
		dv->ev.id = dv->ev.text = dv->ev.note = NULL;
		dv->id = keepid(c, e->id);
		sidewhy(dv->why[0], sizeof dv->why[0], &c->rp[pr->a], e,
		    &res[pr->a], c->pos - 1);
		sidewhy(dv->why[1], sizeof dv->why[1], &c->rp[pr->b], e,
		    &res[pr->b], c->pos - 1);
	}
}

/* Run the next event under every policy; keep it if they differ. */
void
compare_feed(struct compare *c, const struct event *e)
{
	struct result res[MAXPOLICY];
	int j;

	for (j = 0; j < c->n; j++)
		replay_feedslot(&c->rp[j], &c->made[j], e, &res[j]);
	c->pos++;
	if (differs(c, e, res)) {
		if (c->spool.f != NULL)
			keepdiff(c, e, res);
		else
			c->ndiff++;
		pairfeed(c, e, res);
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
    int n, const struct replayopts *o, int summary)
{
	size_t i;

	compare_init(c, t, p, n, o, summary);
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
		madetab_free(&c->made[j]);
	}
	spoolfile_close(&c->spool);
	free(c->ids);
	free(c->pair);
	memset(c, 0, sizeof *c);
}

/* Event e of divergence dv in words: "vmap poke8 of 32M at pa ...". */
static void
divevent(FILE *f, const struct compare *c, const struct divat *dv)
{
	char sz[24];

	fprintf(f, "%s", opnames[dv->ev.op]);
	if (dv->id != NOID)
		fprintf(f, " %s", c->ids + dv->id);
	if (dv->ev.op == OPvmap)
		fprintf(f, " of %s at pa 0x%.8llx", fmtbytes(sz, sizeof sz,
		    dv->ev.size), (unsigned long long)dv->ev.pa);
}

/* Each pair: how many events differ, of what kind, and the first. */
static void
pairstext(FILE *f, const struct compare *c)
{
	const struct pair *pr;
	const struct divat *dv;
	const char *sep;
	int q, k, i;

	for (q = 0; q < c->npair; q++) {
		pr = &c->pair[q];
		fprintf(f, "\n%s and %s: ", policyat(c->rp[pr->a].pidx)->name,
		    policyat(c->rp[pr->b].pidx)->name);
		if (pr->ndiff == 0) {
			fprintf(f, "the same on every event\n");
			continue;
		}
		fprintf(f, "%zu event%s differ%s (", pr->ndiff,
		    pr->ndiff == 1 ? "" : "s", pr->ndiff == 1 ? "s" : "");
		for (sep = "", k = 0; k < Ndiv; k++)
			if (pr->count[k] > 0) {
				fprintf(f, "%s%s %zu", sep, divnames[k],
				    pr->count[k]);
				sep = ", ";
			}
		fprintf(f, ")\n");
		for (k = 0; k < Ndiv; k++)
			for (i = 0; i < c->nfirst && (size_t)i < pr->count[k];
			    i++) {
				dv = &pr->first[k][i];
				fprintf(f, "  %s %s at event %zu, ",
				    i == 0 ? "first" : "then", divnames[k],
				    dv->seq);
				divevent(f, c, dv);
				fprintf(f, "\n    %s\n    %s\n", dv->why[0],
				    dv->why[1]);
			}
	}
}

/*
 * The table of differences (not with summary), the summaries, and
 * where each pair of policies parts, why, on both sides.  The spool
 * is read again from its start.
 */
void
compare_text(FILE *f, struct compare *c)
{
	const struct trace *t;
	struct diff d;
	Stats s[MAXPOLICY];
	char cells[MAXPOLICY][24], line[200], head[64], *id;
	size_t idcap, n;
	int j, k, cw, seqw;

	id = NULL;
	idcap = 0;
	t = c->t;
	fprintf(f, "trace %s, kernel %s, pse %s:", trace_name(t),
	    kernelnames[c->rp[0].m.kernel], c->rp[0].m.pse ? "on" : "off");
	for (j = 0; j < c->n; j++) {
		fprintf(f, "%s %s", j ? "," : "", policyat(c->rp[j].pidx)->name);
		if ((k = replay_kernel(&c->rp[j])) != c->rp[j].m.kernel)
			fprintf(f, " (kernel %s)", kernelnames[k]);
	}
	fputc('\n', f);
	if (t->description != NULL)
		fprintwrap(f, "  ", t->description, 78);
	if (replay_unchecked(&c->rp[0]) != NULL)
		fprintf(f, "expectations not checked: %s\n",
		    replay_unchecked(&c->rp[0]));
	fprintf(f, "%zu of %zu events differ\n\n", c->ndiff, t->nev);
	if (c->ndiff > 0 && !c->summary) {
		for (j = 0; j < c->n; j++)
			snprintf(cells[j], sizeof cells[j], "%s",
			    policyat(c->rp[j].pidx)->name);
		for (seqw = 5, n = t->nev; n >= 100000; n /= 10)
			seqw++;
		snprintf(head, sizeof head, "%*s  op      id", seqw, "seq");
		row(f, 22 + seqw, head, cells, c->n, 11);
		spoolagain(c);
		while (nextdiff(c, &d, &id, &idcap))
			fwrite(line, 1, diffrow(line, c, &d, id, seqw), f);
		fputc('\n', f);
	}
	/* the summaries: each column as wide as its widest cell */
	for (cw = 11, j = 0; j < c->n; j++)
		replay_measure(&c->rp[j], &s[j]);
	for (k = 0; k == 0 || sumrow(k) != NULL; k++) {
		for (j = 0; j < c->n; j++)
			sumcell(cells[j], sizeof cells[j], k, &c->rp[j], &s[j]);
		cw = widest(cells, c->n, cw);
	}
	for (j = 0; j < c->n; j++)
		snprintf(cells[j], sizeof cells[j], "%s",
		    policyat(c->rp[j].pidx)->name);
	cw = widest(cells, c->n, cw);
	row(f, 23, "summary", cells, c->n, cw);
	for (k = Rok; k <= Nresult; k++) {
		/* a kernel file's crashes and hangs: a row where there are */
		for (j = 0; RDEAD(k) && j < c->n && c->rp[j].count[k] == 0; j++)
			;
		if (RDEAD(k) && j == c->n)
			continue;
		for (j = 0; j < c->n; j++)
			snprintf(cells[j], sizeof cells[j], "%zu",
			    c->rp[j].count[k % Nresult]);
		row(f, 23, resultnames[k % Nresult], cells, c->n, cw);
	}
	for (k = 0; k == 0 || sumrow(k) != NULL; k++) {
		for (j = 0; j < c->n; j++)
			sumcell(cells[j], sizeof cells[j], k, &c->rp[j], &s[j]);
		row(f, 23, sumlabel(k), cells, c->n, cw);
	}
	pairstext(f, c);
	free(id);
}

/* A divergence as {seq, op, id, and each side's result, va, reason}. */
static int
emitdiv(struct emitter *em, const struct compare *c, const struct pair *pr,
    const struct divat *dv)
{
	if (emitmap(em, 0) < 0 || emitnum(em, "seq", dv->seq) < 0 ||
	    emitkv(em, "op", opnames[dv->ev.op]) < 0 ||
	    (dv->id != NOID && emitkv(em, "id", c->ids + dv->id) < 0) ||
	    emitkv(em, policyat(c->rp[pr->a].pidx)->name, dv->why[0]) < 0 ||
	    emitkv(em, policyat(c->rp[pr->b].pidx)->name, dv->why[1]) < 0)
		return -1;
	return emitend(em);
}

/* Each pair as the YAML document has it. */
static int
emitpairs(struct emitter *em, const struct compare *c)
{
	const struct pair *pr;
	int q, k, i;

	if (emitstr(em, "pairs") < 0 || emitseq(em, 0) < 0)
		return -1;
	for (q = 0; q < c->npair; q++) {
		pr = &c->pair[q];
		if (emitmap(em, 0) < 0 || emitstr(em, "policies") < 0 ||
		    emitseq(em, 1) < 0 ||
		    emitstr(em, policyat(c->rp[pr->a].pidx)->name) < 0 ||
		    emitstr(em, policyat(c->rp[pr->b].pidx)->name) < 0 ||
		    emitseqend(em) < 0 || emitnum(em, "differ", pr->ndiff) < 0 ||
		    emitstr(em, "kinds") < 0 || emitmap(em, 1) < 0)
			return -1;
		for (k = 0; k < Ndiv; k++)
			if (emitnum(em, divnames[k], pr->count[k]) < 0)
				return -1;
		if (emitend(em) < 0)
			return -1;
		if (pr->ndiff > 0 && (emitstr(em, "first") < 0 ||
		    emitmap(em, 0) < 0))
			return -1;
		for (k = 0; k < Ndiv && pr->ndiff > 0; k++) {
			if (pr->count[k] == 0)
				continue;
			if (emitstr(em, divnames[k]) < 0 || emitseq(em, 0) < 0)
				return -1;
			for (i = 0; i < c->nfirst && (size_t)i < pr->count[k]; i++)
				if (emitdiv(em, c, pr, &pr->first[k][i]) < 0)
					return -1;
			if (emitseqend(em) < 0)
				return -1;
		}
		if ((pr->ndiff > 0 && emitend(em) < 0) || emitend(em) < 0)
			return -1;
	}
	return emitseqend(em);
}

/* The same as a vmapcompare YAML document; the spool read again. */
int
compare_yaml(FILE *f, struct compare *c)
{
	struct emitter *em;
	struct diff d;
	char b[24], *id;
	size_t idcap;
	int j, rv;

	id = NULL;
	idcap = 0;
	if ((em = emit_open(f)) == NULL)
		return -1;
	rv = -1;
	if (emit_start(em) < 0 || emitmap(em, 0) < 0 ||
	    emitkv(em, "vmapcompare", "1") < 0 ||
	    emitkv(em, "trace", trace_name(c->t)) < 0 ||
	    emitkv(em, "kernel", kernelnames[c->rp[0].m.kernel]) < 0 ||
	    emitkv(em, "pse", c->rp[0].m.pse ? "true" : "false") < 0 ||
	    emitstr(em, "policies") < 0 || emitseq(em, 1) < 0)
		goto out;
	for (j = 0; j < c->n; j++)
		if (emitstr(em, policyat(c->rp[j].pidx)->name) < 0)
			goto out;
	if (emitseqend(em) < 0 || emitnum(em, "differ", c->ndiff) < 0 ||
	    (!c->summary && (emitstr(em, "differences") < 0 ||
	    emitseq(em, 0) < 0)))
		goto out;
	if (c->spool.f != NULL)
		spoolagain(c);
	while (c->spool.f != NULL && nextdiff(c, &d, &id, &idcap)) {
		if (emitmap(em, 1) < 0 || emitnum(em, "seq", d.seq) < 0 ||
		    emitkv(em, "op", opnames[d.op]) < 0 ||
		    (d.id != NOID && emitkv(em, "id", id) < 0))
			goto out;
		for (j = 0; j < c->n; j++)
			if (emitkv(em, policyat(c->rp[j].pidx)->name,
			    replay_cell(b, sizeof b, d.op, d.kind[j], d.va[j])) < 0)
				goto out;
		if (emitend(em) < 0)
			goto out;
	}
	if ((!c->summary && emitseqend(em) < 0) ||
	    emitstr(em, "summaries") < 0 || emitmap(em, 0) < 0)
		goto out;
	for (j = 0; j < c->n; j++)
		if (emitstr(em, policyat(c->rp[j].pidx)->name) < 0 ||
		    report_yamlsummary(em, &c->rp[j]) < 0)
			goto out;
	if (emitend(em) < 0)
		goto out;
	if (emitpairs(em, c) < 0)
		goto out;
	if (emitend(em) < 0 || emit_finish(em) < 0)
		goto out;
	rv = 0;
out:
	emit_close(em);
	free(id);
	return rv;
}
