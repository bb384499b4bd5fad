/*
 * shrink, held to what it promises: on the bundled traces and generated
 * ones, for every WHAT under every policy (and every pair for diverge),
 * the shrunk trace shows the outcome at its last event, checked here
 * apart from shrink.c; taking out any one unit that runs (a vmap with
 * its vunmaps, a vunmap by address) loses it; its expectations hold;
 * and two runs write the same bytes.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "shrink.h"
#include "tap.h"
#include "corpus.h"
#include "xmalloc.h"

static int bad;

static void
broke(const char *name, const struct shrinkopts *o, int what,
    const char *why)
{
	if (bad++ < 5)
		printf("# %s %s%s%s --until %s: %s\n", name, o->pol[0]->name,
		    o->pol[1] ? "," : "", o->pol[1] ? o->pol[1]->name : "",
		    whatnames[what], why);
}

/* Whether t shows tg at its last event, worked out here. */
static int
holds(const struct trace *t, const struct shrinkopts *o,
    const struct target *tg)
{
	struct replay a, b;
	const struct result *r;
	const struct event *e;
	Stats st;
	size_t last;
	int yes;

	last = t->nev - 1;
	e = &t->ev[last];
	replay_init(&a, t, o->pol[0], &o->ro);
	replay_run(&a, last);
	mmustats(&a.m, &st);
	replay_run(&a, t->nev);
	r = &a.r[last];
	switch (tg->what) {
	case Wfail:
		yes = r->kind == Rfail && r->why->code == tg->code &&
		    (!tg->roomy || (uint64_t)st.free * BY2PG >=
		    ROUND((uint64_t)e->size + (e->pa & (BY2PG - 1)), BY2PG));
		break;
	case Wrefused:
		yes = r->kind == Rrefused && r->why->code == tg->code;
		break;
	case Wpanic:
		yes = r->kind == Rpanic && r->panic->kind == tg->code;
		break;
	case Wexpect:
		yes = r->exp == Efailed && r->kind == tg->code;
		break;
	default:
		replay_init(&b, t, o->pol[1], &o->ro);
		replay_run(&b, t->nev);
		yes = replay_divkind(e, r, &b.r[last]) == tg->code;
		replay_free(&b);
		break;
	}
	replay_free(&a);
	return yes;
}

/* t without the unit of event u: u, and the vunmaps by id of it. */
static void
without(const struct trace *t, size_t u, struct trace *c)
{
	size_t i, *at;

	*c = *t;
	c->ev = xcalloc(t->nev, sizeof *c->ev);
	at = xcalloc(t->nev, sizeof *at);
	c->nev = 0;
	for (i = 0; i < t->nev; i++) {
		if (i == u || (t->ev[i].ref >= 0 && (size_t)t->ev[i].ref == u))
			continue;
		c->ev[c->nev] = t->ev[i];
		if (t->ev[i].ref >= 0)
			c->ev[c->nev].ref = at[t->ev[i].ref];
		at[i] = c->nev++;
	}
	free(at);
}

/* The bytes t writes. */
static char *
bytes(const struct trace *t, size_t *len)
{
	char *buf;
	FILE *f;

	f = open_memstream(&buf, len);
	trace_write(f, t);
	fclose(f);
	return buf;
}

/* Shrink t for what under o, if it happens, and check the result. */
static int
one(const struct trace *t, const char *name, struct shrinkopts *o, int what)
{
	struct target tg;
	struct shrinkstat st;
	struct trace out, again, c;
	struct replay rp;
	char err[512], *b1, *b2;
	size_t i, l1, l2, last;
	int j;

	o->what = what;
	if (shrink_find(t, o, 0, &tg, err, sizeof err) < 0)
		return 0;
	shrink_run(t, o, &tg, &out, &st);
	last = out.nev - 1;
	if (!holds(&out, o, &tg))
		broke(name, o, what, "the shrunk trace does not show it");
	/* 1-minimal: no unit that runs can go, but the last's */
	for (i = 0; i < last; i++) {
		if (out.ev[i].op == OPnote || (out.ev[i].op == OPvunmap &&
		    out.ev[i].ref >= 0) || (out.ev[last].ref >= 0 &&
		    (size_t)out.ev[last].ref == i))
			continue;
		without(&out, i, &c);
		if (holds(&c, o, &tg))
			broke(name, o, what, "a unit could still go");
		free(c.ev);
	}
	/* its expectations hold, but for a failed one kept on purpose */
	for (j = 0; j < 2 && o->pol[j] != NULL; j++) {
		replay_init(&rp, &out, o->pol[j], &o->ro);
		replay_run(&rp, out.nev);
		if (rp.expfailed > (what == Wexpect && j == 0))
			broke(name, o, what, "an expectation fails");
		replay_free(&rp);
	}
	shrink_run(t, o, &tg, &again, &st);
	b1 = bytes(&out, &l1);
	b2 = bytes(&again, &l2);
	if (l1 != l2 || memcmp(b1, b2, l1) != 0)
		broke(name, o, what, "two runs wrote different traces");
	free(b1);
	free(b2);
	trace_free(&again);
	trace_free(&out);
	return 1;
}

/* Every WHAT under every policy, and diverge for every pair. */
static void
all(const struct trace *t, const char *name)
{
	struct shrinkopts o;
	char what[160];
	int p, q, w, n;

	bad = 0;
	n = 0;
	memset(&o, 0, sizeof o);
	o.ro.kernel = o.ro.pse = -1;
	for (p = 0; p < npolicy(); p++) {
		o.pol[0] = policyat(p);
		o.pol[1] = NULL;
		for (w = 0; w < Nwhat; w++)
			if (w != Wdiverge)
				n += one(t, name, &o, w);
		for (q = 0; q < npolicy(); q++) {
			if (q == p)
				continue;
			o.pol[1] = policyat(q);
			n += one(t, name, &o, Wdiverge);
		}
	}
	snprintf(what, sizeof what, "%s: %d shrunk traces show what they "
	    "should, 1-minimal, the same twice", name, n);
	tap_equ(bad, 0, what);
}

int
main(void)
{
	struct genopts go = { .events = 600, .pokes = 11, .pdes = 6 };
	struct corpus c;
	struct trace t;
	char name[64];
	const char *tname;
	int seed;

	corpus_open(&c);
	while (corpus_next(&c, &t, &tname)) {
		all(&t, tname);
		trace_free(&t);
	}
	corpus_close(&c);
	for (seed = 1; seed <= 4; seed++) {
		go.seed = seed;
		go.fill = seed % 2 ? 0.5 : 0.85;
		gen_run(gen_find("churn"), &go, &t);
		if (seed == 4)
			t.machine.ptpages = 12;	/* a budget: xspanalloc */
		snprintf(name, sizeof name, "churn seed %d fill %.2f", seed,
		    go.fill);
		all(&t, name);
		trace_free(&t);
	}
	return tap_done();
}
