/*
 * The quiz: which vmaps of a trace to ask about, the vmap drawn as text
 * before each, its answer and reason, and how an answer is graded.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "quiz.h"
#include "util.h"
#include "xmalloc.h"

const char *const quizteach[Nquizteach] = {
	"the first failure", "a stale table", "spans page tables",
	"a panic"
};

/*
 * What vmap event e, whose result is r, teaches, as QT bits, from m,
 * the state it left: a panic, a failure, a table it was placed in that
 * it alone fills now (the table was empty: stale), page tables it
 * spans.
 */
int
quiz_teaches(const Mmu *m, const struct event *e, const struct result *r)
{
	uint32_t o, base, size, i, lo, hi, pages;
	int bits, tables;

	if (e->op != OPvmap)
		return 0;
	if (r->kind == Rpanic)
		return 1 << QTpanic;
	if (r->kind == Rfail)
		return 1 << QTfirstfail;
	if (r->kind != Rok)
		return 0;
	o = e->pa & (BY2PG - 1);
	base = r->va - o;
	size = ROUND(e->size + o, BY2PG);
	bits = tables = 0;
	for (i = PDX(base); size > 0 && i <= PDX(base + size - 1) && i < NPDE;
	    i++) {
		if (pdekind(m, i) != Ptable)
			continue;
		tables++;
		lo = i * PGDIRSIZE > base ? i * PGDIRSIZE : base;
		hi = (uint64_t)(i + 1) * PGDIRSIZE < (uint64_t)base + size ?
		    (i + 1) * PGDIRSIZE : base + size;
		pages = (hi - lo) / BY2PG;
		/* placed in a table it did not make, which it alone fills */
		if ((r->step == RShole || r->step == RSrun) &&
		    (uint32_t)mmupage(m, m->pdb[i])->nvalid == pages)
			bits |= 1 << QTstale;
	}
	if (tables > 1)
		bits |= 1 << QTspan;
	return bits;
}

/* The next number of a xorshift64* generator from the seed. */
static uint64_t
rnd(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545f4914f6cdd1dull;
}

static int
byevent(const void *a, const void *b)
{
	const struct quizq *x = a, *y = b;

	return (x->ev > y->ev) - (x->ev < y->ev);
}

/*
 * From the vmaps v[0..nv) that ran, with what each teaches (bits), n
 * questions: the first failure, then a vmap of each other kind that
 * teaches (one chosen by the seed), then the rest by the seed; in the
 * order of their events.
 */
static void
pick(struct quizq *q, int n, const size_t *v, const int *bits, size_t nv,
    uint64_t seed)
{
	size_t i, j, c, have;
	uint64_t x;
	int k, got, *taken;

	x = seed * 0x9e3779b97f4a7c15ull + 1;
	taken = xcalloc(nv, sizeof *taken);
	for (got = 0, k = 0; k < Nquizteach && got < n; k++) {
		for (have = 0, i = 0; i < nv; i++)
			have += (bits[i] >> k) & 1;
		if (have == 0)
			continue;
		/* the first failure, or one chosen of the kind */
		c = k == QTfirstfail ? 0 : rnd(&x) % have;
		for (i = 0, j = 0; i < nv; i++)
			if (((bits[i] >> k) & 1) && j++ == c)
				break;
		if (taken[i])
			continue;
		taken[i] = 1;
		q[got].ev = v[i];
		q[got++].teach = k;
	}
	while (got < n) {
		for (c = rnd(&x) % (nv - got), i = 0; i < nv; i++)
			if (!taken[i] && c-- == 0)
				break;
		taken[i] = 1;
		q[got].ev = v[i];
		q[got++].teach = -1;
	}
	free(taken);
	qsort(q, n, sizeof *q, byevent);
}

/*
 * Replay t under p, every result kept, and pick count questions (0:
 * QUIZCOUNT, or as many vmaps as ran if fewer) by seed.  Returns 0; or
 * -1 with the message in err: no vmap ran, or count is more than ran.
 */
int
quiz_open(struct quiz *qz, const struct trace *t, const Policy *p,
    const struct replayopts *ro, uint64_t seed, int count, char *err,
    size_t len)
{
	size_t *v, nv, i;
	int *bits;

	memset(qz, 0, sizeof *qz);
	replay_init(&qz->rp, t, p, ro);
	v = xcalloc(t->nev + 1, sizeof *v);
	bits = xcalloc(t->nev + 1, sizeof *bits);
	for (nv = 0, i = 0; replay_step(&qz->rp); i++) {
		if (t->ev[i].op != OPvmap || qz->rp.r[i].kind == Rnotrun)
			continue;
		bits[nv] = quiz_teaches(&qz->rp.m, &t->ev[i], &qz->rp.r[i]);
		v[nv++] = i;
	}
	/* the first failure alone teaches that */
	for (i = 0; i < nv && !(bits[i] & 1 << QTfirstfail); i++)
		;
	for (i++; i < nv; i++)
		bits[i] &= ~(1 << QTfirstfail);
	if (nv == 0)
		snprintf(err, len, "%s: no vmap to ask about under %s",
		    trace_name(t), p->name);
	else if (count > 0 && (size_t)count > nv)
		snprintf(err, len, "--count %d: %s has %zu vmaps that run under "
		    "%s", count, trace_name(t), nv, p->name);
	else {
		qz->n = count > 0 ? count : nv < QUIZCOUNT ? (int)nv : QUIZCOUNT;
		qz->q = xcalloc(qz->n, sizeof *qz->q);
		pick(qz->q, qz->n, v, bits, nv, seed);
	}
	free(v);
	free(bits);
	if (qz->q == NULL) {
		replay_free(&qz->rp);
		return -1;
	}
	return 0;
}

void
quiz_close(struct quiz *qz)
{
	replay_free(&qz->rp);
	free(qz->q);
	memset(qz, 0, sizeof *qz);
}

/*
 * The first vmap of the store vs from event from up to event to (not
 * included): its index, or to when there is none there.
 */
size_t
quiz_nextvmap(const struct vstore *vs, size_t from, size_t to)
{
	struct event e;

	for (; from < to; from++)
		if (vstore_event(vs, from, &e)->op == OPvmap)
			return from;
	return to;
}

/* The number of the question about event i, 1-based; 0: none. */
int
quiz_isquestion(const struct quiz *qz, size_t i)
{
	int k;

	for (k = 0; k < qz->n; k++)
		if (qz->q[k].ev == i)
			return k + 1;
	return 0;
}

/*
 * The vmap of m as text, eight PDEs a row as the view's map has them:
 * "." blank, "4M" a 4 MiB page, a table by the PTEs it has in use (0:
 * stale, empty and never freed).
 */
void
quiz_picture(FILE *f, const Mmu *m)
{
	uint32_t first, i, n;
	char cell[8];

	first = PDX(m->vmap);
	n = vpdbsize(m);
	for (i = 0; i < n; i++) {
		if (i % 8 == 0)
			fprintf(f, "%s%08x %4u ", i ? "\n" : "",
			    (first + i) * PGDIRSIZE, first + i);
		switch (pdekind(m, first + i)) {
		case Pblank:
			snprintf(cell, sizeof cell, ".");
			break;
		case Pbig:
			snprintf(cell, sizeof cell, "4M");
			break;
		default:
			snprintf(cell, sizeof cell, "%d",
			    mmupage(m, m->pdb[first + i])->nvalid);
			break;
		}
		fprintf(f, " %4s", cell);
	}
	fprintf(f, "\n(. blank, 4M a 4 MiB page, a number: a page table and "
	    "its PTEs in use;\n 0: a stale table, empty and never freed)\n");
}

/* Question k (0-based), numbered: "1. event 20: vmap(...) under P ..." */
char *
quiz_question(char *buf, size_t len, const struct quiz *qz, int k)
{
	const struct event *e;
	char sz[24];

	e = &qz->rp.t->ev[qz->q[k].ev];
	snprintf(buf, len, "%d. event %zu: vmap(0x%.8llx, %s) under %s "
	    "\xe2\x80\x94 where does it land?", k + 1, qz->q[k].ev + 1,
	    (unsigned long long)e->pa, fmtbytes(sz, sizeof sz, e->size),
	    policyat(qz->rp.pidx)->name);
	return buf;
}

/* Question k's answer and why, as replay gives them. */
char *
quiz_answer(char *buf, size_t len, const struct quiz *qz, int k)
{
	size_t i;

	i = qz->q[k].ev;
	return replay_answer(buf, len, &qz->rp, &qz->rp.t->ev[i],
	    &qz->rp.r[i], i);
}

/*
 * Grade answer s to a vmap whose result was r: an address, a PDE (a
 * number below 1024, or "pde N"), or fail, panic or refused.  QGright,
 * QGhalf (the right PDE, not the page), QGwrong, or QGnone (s is none
 * of those).  What it comes to, in say.
 */
int
quiz_grade(const struct result *r, const char *s, char *say, size_t len)
{
	uint64_t v;
	int ispde;

	while (*s == ' ' || *s == '\t')
		s++;
	ispde = strncasecmp(s, "pde ", 4) == 0;
	if (ispde)
		s += 4;
	if (!ispde && (strcasecmp(s, "fail") == 0 || strcasecmp(s, "panic") ==
	    0 || strcasecmp(s, "refused") == 0)) {
		if (strcasecmp(s, resultnames[r->kind]) == 0) {
			snprintf(say, len, "right");
			return QGright;
		}
		snprintf(say, len, "wrong: it was %s", resultnames[r->kind]);
		return QGwrong;
	}
	if (trace_parsenum(s, 0, &v) < 0 || v > UINT32_MAX ||
	    (ispde && v >= NPDE)) {
		snprintf(say, len, "not an address, a PDE, fail, panic or "
		    "refused");
		return QGnone;
	}
	ispde |= v < NPDE && strncasecmp(s, "0x", 2) != 0;
	if (r->kind != Rok) {
		snprintf(say, len, "wrong: it was %s", resultnames[r->kind]);
		return QGwrong;
	}
	if (!ispde && v == r->va) {
		snprintf(say, len, "right");
		return QGright;
	}
	if ((ispde ? v : PDX((uint32_t)v)) == PDX(r->va)) {
		snprintf(say, len, "half: the right PDE (%u), not the page: it "
		    "landed at 0x%.8x", PDX(r->va), r->va);
		return QGhalf;
	}
	snprintf(say, len, "wrong: it landed at 0x%.8x, PDE %u", r->va,
	    PDX(r->va));
	return QGwrong;
}
