/*
 * shrink: the smallest trace that still shows what went wrong, by delta
 * debugging (Zeller's ddmin) over whole units of events.  A unit is a
 * vmap with the vunmaps that name it, a vunmap by address, or a note;
 * the unit of the event that shows the outcome is kept.  Each test
 * replays the candidate in memory under the policies given and looks at
 * its last event: the same outcome, for the same reason.  When no one
 * unit can go, the values are made round (sizes, addresses), the
 * machine plain (ptpages, the vmap's place and size), and the units
 * tried once more, one by one, so that the result is 1-minimal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "relay.h"
#include "shrink.h"
#include "util.h"
#include "xmalloc.h"

const char *const whatnames[Nwhat] = {
	"fail", "panic", "diverge", "expect", "refused"
};

/* The work: the original, the units, and the values tried. */
struct shrinker {
	const struct trace		*t;
	const struct shrinkopts		*o;
	const struct target		*tg;
	size_t				 n;	/* events up to the target's */
	size_t				*unit;	/* each event's unit */
	size_t				 nunit;
	size_t				 fixed;	/* the target's unit */
	uint64_t			*pa;	/* each event's, as tried */
	uint64_t			*size;
	struct machine			 mach;
	struct trace			 cand;	/* the candidate, made here */
	size_t				*at;	/* original event -> candidate's */
	struct shrinkstat		*st;
	double				 start;	/* monotime() */
	double				 lastprogress;
};

/* Seconds since the work began. */
static double
elapsed(const struct shrinker *s)
{
	return monotime() - s->start;
}

/* Whether to stop: asked to, or out of time.  Then it stays stopped. */
static int
stopping(struct shrinker *s)
{
	if (!s->st->stopped && ((s->o->stop != NULL && *s->o->stop) ||
	    (s->o->budget > 0 && elapsed(s) >= s->o->budget) ||
	    (s->o->maxtests > 0 && s->st->tests >= s->o->maxtests)))
		s->st->stopped = 1;
	return s->st->stopped;
}

/* Whether result r of event e under one policy is the outcome kept. */
static int
outcome(int what, int code, const struct result *r)
{
	switch (what) {
	case Wfail:
		return r->kind == Rfail && r->why != NULL &&
		    r->why->code == code;
	case Wrefused:
		return r->kind == Rrefused && r->why != NULL &&
		    r->why->code == code;
	case Wpanic:
		return RSTOPS(r->kind) && r->panic->kind == code;
	case Wexpect:
		return r->exp == Efailed && r->kind == code;
	}
	return 0;
}

/* The code an outcome is kept by, for what at result r. */
static int
outcomecode(int what, const struct result *r)
{
	switch (what) {
	case Wfail:
	case Wrefused:
		return r->why->code;
	case Wpanic:
		return r->panic->kind;
	default:
		return r->kind;
	}
}

/*
 * Whether the vmap that is rp's next event finds as many pages free as
 * it asks for: a failure then comes of where they are, not how many.
 */
static int
roomfor(struct replay *rp, const struct event *e)
{
	Stats st;

	if (e->op != OPvmap)
		return 0;
	mmustats(&rp->m, &st);
	return (uint64_t)st.free * BY2PG >= ROUND((uint64_t)e->size +
	    (e->pa & (BY2PG - 1)), BY2PG);
}

/*
 * Whether trace c shows the target at its last event, replayed under
 * P (and Q) from the empty machine.
 */
static int
shows(const struct shrinkopts *o, const struct target *tg,
    const struct trace *c)
{
	struct replay a, b;
	size_t last;
	int yes;

	if (c->nev == 0)
		return 0;
	last = c->nev - 1;
	replay_init(&a, c, o->pol[0], &o->ro);
	replay_run(&a, last);
	if (tg->roomy && !roomfor(&a, &c->ev[last])) {
		replay_free(&a);
		return 0;
	}
	replay_run(&a, c->nev);
	if (tg->what != Wdiverge)
		yes = outcome(tg->what, tg->code, &a.r[last]);
	else {
		replay_init(&b, c, o->pol[1], &o->ro);
		replay_run(&b, c->nev);
		yes = replay_divkind(&c->ev[last], &a.r[last], &b.r[last]) ==
		    tg->code;
		replay_free(&b);
	}
	replay_free(&a);
	return yes;
}

/*
 * What a shows at event e (index i), and b beside it for a divergence,
 * in words into tg->why: "under P: fail: needs ...", or "P and Q part
 * (address): P ok at ...; Q ok at ...".
 */
static void
saywhat(const struct shrinkopts *o, struct target *tg,
    const struct replay *a, const struct replay *b, const struct event *e,
    size_t i)
{
	char x[2][480];

	replay_answer(x[0], sizeof x[0], a, e, &a->r[i], i);
	if (tg->what != Wdiverge || b == NULL) {
		snprintf(tg->why, sizeof tg->why, "under %s: %s",
		    o->pol[0]->name, x[0]);
		return;
	}
	replay_answer(x[1], sizeof x[1], b, e, &b->r[i], i);
	snprintf(tg->why, sizeof tg->why, "%s and %s part (%s): %s %s; %s %s",
	    o->pol[0]->name, o->pol[1]->name, divnames[tg->code],
	    o->pol[0]->name, x[0], o->pol[1]->name, x[1]);
}

/*
 * Whether what o asks for goes wrong at an event e, with result ra
 * under P and rb under Q (nil for none): the worst first.  Fills tg's
 * what and code.
 */
int
shrink_wrongat(const struct shrinkopts *o, const struct event *e,
    const struct result *ra, const struct result *rb, struct target *tg)
{
	static const int worst[] = { Wpanic, Wfail, Wrefused, Wexpect,
	    Wdiverge };
	int k, w, d;

	for (k = 0; k < Nwhat; k++) {
		w = worst[k];
		if (o->what >= 0 && w != o->what)
			continue;
		if (w == Wdiverge) {
			if (rb == NULL)
				continue;
			d = replay_divkind(e, ra, rb);
			if (d < 0 || d == Dhalted)
				continue;
			tg->code = d;
		} else {
			if (!((w == Wfail && ra->kind == Rfail) ||
			    (w == Wrefused && ra->kind == Rrefused) ||
			    (w == Wpanic && RSTOPS(ra->kind)) ||
			    (w == Wexpect && ra->exp == Efailed)))
				continue;
			tg->code = outcomecode(w, ra);
		}
		tg->what = w;
		return 1;
	}
	return 0;
}

/* What does happen instead, in err: a of nev events shows nothing. */
void
shrink_nothing(char *err, size_t len, const struct shrinkopts *o, size_t nev,
    const struct replay *a)
{
	if (o->what == Wdiverge)
		snprintf(err, len, "%s and %s give the same results on all %zu "
		    "events", o->pol[0]->name, o->pol[1]->name, nev);
	else
		snprintf(err, len, "under %s%s%s, %s in %zu events: %zu ok, "
		    "%zu fail, %zu refused, %zu panic, %zu expectations failed",
		    o->pol[0]->name, o->pol[1] ? " and " : "",
		    o->pol[1] ? o->pol[1]->name : "", o->what < 0 ?
		    "nothing goes wrong" : o->what == Wdiverge ? "" :
		    "it does not happen", nev, a->count[Rok],
		    a->count[Rfail], a->count[Rrefused], a->count[Rpanic] +
		    a->count[Rcrash] + a->count[Rhang],
		    a->expfailed);
}

/*
 * The first event of t from event index from on at which what goes
 * wrong under o's policies (what -1: anything, the worst first at one
 * event), into tg.  Returns 0, or -1 with what does happen in err.
 */
int
shrink_find(const struct trace *t, const struct shrinkopts *o, size_t from,
    struct target *tg, char *err, size_t len)
{
	struct replay a, b, before;
	size_t i;
	int found;

	replay_init(&a, t, o->pol[0], &o->ro);
	if (o->pol[1] != NULL)
		replay_init(&b, t, o->pol[1], &o->ro);
	found = 0;
	for (i = 0; i < t->nev && !found; i++) {
		replay_step(&a);
		if (o->pol[1] != NULL)
			replay_step(&b);
		if (i >= from && shrink_wrongat(o, &t->ev[i], &a.r[i],
		    o->pol[1] ? &b.r[i] : NULL, tg)) {
			tg->at = i;
			found = 1;
		}
	}
	if (found) {
		saywhat(o, tg, &a, o->pol[1] ? &b : NULL, &t->ev[tg->at],
		    tg->at);
		/* a failure with the pages free stays one */
		tg->roomy = 0;
		if (tg->what == Wfail) {
			replay_init(&before, t, o->pol[0], &o->ro);
			replay_run(&before, tg->at);
			tg->roomy = roomfor(&before, &t->ev[tg->at]);
			replay_free(&before);
		}
	} else
		shrink_nothing(err, len, o, t->nev, &a);
	replay_free(&a);
	if (o->pol[1] != NULL)
		replay_free(&b);
	return found ? 0 : -1;
}

/* The candidate of the units kept (keep[unit]), with the values tried. */
static const struct trace *
candidate(struct shrinker *s, const uint8_t *keep)
{
	struct event *e;
	const struct event *oe;
	size_t i;

	s->cand.nev = 0;
	s->cand.machine = s->mach;
	for (i = 0; i < s->n; i++) {
		if (!keep[s->unit[i]])
			continue;
		oe = &s->t->ev[i];
		e = &s->cand.ev[s->cand.nev];
		*e = *oe;
		e->pa = s->pa[i];
		e->size = s->size[i];
		e->slot = -1;
		if (oe->ref >= 0)
			e->ref = s->at[oe->ref];
		s->at[i] = s->cand.nev++;
	}
	return &s->cand;
}

/* Test the units kept; count it, and say how it goes now and then. */
static int
test(struct shrinker *s, const uint8_t *keep)
{
	double now;

	s->st->tests++;
	if (s->o->progress != NULL &&
	    (now = elapsed(s)) - s->lastprogress >= 0.2) {
		s->lastprogress = now;
		s->st->seconds = now;
		s->o->progress(s->o->arg, s->st);
	}
	return shows(s->o, s->tg, candidate(s, keep));
}

/* How many events the units kept hold. */
static size_t
events(const struct shrinker *s, const uint8_t *keep)
{
	size_t i, n;

	for (i = n = 0; i < s->n; i++)
		n += keep[s->unit[i]];
	return n;
}

/*
 * ddmin over the units that may go, cur[0..*ncur), kept in keep: take
 * out chunks, finer and finer, until no one unit can go (or it is
 * stopped).
 */
static void
ddmin(struct shrinker *s, size_t *cur, size_t *ncur, uint8_t *keep)
{
	size_t gran, chunk, a, b, j, len;
	int cut;

	gran = 2;
	while (*ncur > 0 && !stopping(s)) {
		len = *ncur;
		if (gran > len)
			gran = len;
		chunk = HOWMANY(len, gran);
		cut = 0;
		for (a = 0; a < len && !cut && !stopping(s); a += chunk) {
			b = a + chunk < len ? a + chunk : len;
			for (j = a; j < b; j++)
				keep[cur[j]] = 0;
			if (test(s, keep)) {
				memmove(cur + a, cur + b, (len - b) * sizeof *cur);
				*ncur = len - (b - a);
				s->st->events = events(s, keep);
				cut = 1;
			} else
				for (j = a; j < b; j++)
					keep[cur[j]] = 1;
		}
		if (cut)
			gran = gran > 2 ? gran - 1 : 2;
		else if (gran >= len)
			break;
		else
			gran = 2 * gran < len ? 2 * gran : len;
	}
}

/* Try value v for *slot; keep it if the outcome stays. */
static int
tryvalue(struct shrinker *s, const uint8_t *keep, uint64_t *slot,
    uint64_t v)
{
	uint64_t old;

	if (*slot == v || stopping(s))
		return 0;
	old = *slot;
	*slot = v;
	if (test(s, keep))
		return 1;
	*slot = old;
	return 0;
}

/*
 * Round values: each vmap's size down to a page or a power of two, the
 * smallest that keeps the outcome, else up to 4M, 1M, 64K or a page,
 * the coarsest; its pa to its own 16 MiB (its place among the vmaps),
 * 4 MiB-aligned if it was, else a page past it.
 */
static void
simplify(struct shrinker *s, const uint8_t *keep)
{
	static const uint32_t units[] = { 4u << 20, 1u << 20, 64u << 10, 4096 };
	uint64_t base, v, c;
	uint32_t k;
	size_t i, u;

	for (i = 0, k = 0; i < s->n && !stopping(s); i++) {
		if (!keep[s->unit[i]] || s->t->ev[i].op != OPvmap)
			continue;
		k++;
		/* smaller first: a page, then each power of two below it */
		v = s->size[i];
		for (c = BY2PG; c < v && !stopping(s); c *= 2)
			if (tryvalue(s, keep, &s->size[i], c))
				break;
		if (s->size[i] != v)
			goto pa;
		for (u = 0; u < sizeof units / sizeof units[0]; u++) {
			if (v > 0x7FFFFFFFu - units[u])
				continue;
			if (tryvalue(s, keep, &s->size[i], ROUND(v, units[u])))
				break;
		}
	pa:
		if (s->pa[i] < BY2PG || k > 0xFF)
			continue;
		base = k << 24;
		if (s->pa[i] % PGDIRSIZE == 0)
			tryvalue(s, keep, &s->pa[i], base);
		else if (!tryvalue(s, keep, &s->pa[i], base + BY2PG))
			tryvalue(s, keep, &s->pa[i], base +
			    (s->pa[i] & (PGDIRSIZE - 1)));
	}
}

/*
 * The machine made plain: no budget of page tables, the vmap where it
 * usually is, and as few PDEs as still show it (a small vmap needs no
 * events to fill PDEs a large one has to spare).
 */
static void
plainmachine(struct shrinker *s, const uint8_t *keep)
{
	struct machine m;
	uint32_t k;

	m = s->mach;
	if (!stopping(s) && m.ptpages != 0) {
		s->mach.ptpages = 0;
		if (!test(s, keep))
			s->mach = m;
	}
	m = s->mach;
	if (!stopping(s) && m.vmap != DEFVMAP) {
		s->mach.vmap = DEFVMAP;
		if ((uint64_t)DEFVMAP + s->mach.vmapsize > 1ull << 32 ||
		    !test(s, keep))
			s->mach = m;
	}
	for (k = 1; k < s->mach.vmapsize / PGDIRSIZE && !stopping(s); k++) {
		m = s->mach;
		s->mach.vmapsize = k * PGDIRSIZE;
		if (test(s, keep))
			break;
		s->mach = m;
	}
}

/* Give the units: each event up to the target's gets one. */
static void
units(struct shrinker *s)
{
	const struct event *e;
	size_t i;

	for (i = 0; i < s->n; i++) {
		e = &s->t->ev[i];
		if (e->op == OPvunmap && e->ref >= 0)
			s->unit[i] = s->unit[e->ref];
		else
			s->unit[i] = s->nunit++;
	}
	s->fixed = s->unit[s->n - 1];
}

/* The ids m1, m2, ... of the vmaps kept, in order; into names. */
static void
renameids(struct trace *out)
{
	struct event *e;
	char name[24];
	size_t i, k;

	for (i = 0, k = 0; i < out->nev; i++) {
		e = &out->ev[i];
		if (e->op == OPvmap && e->id != NULL) {
			snprintf(name, sizeof name, "m%zu", ++k);
			free(e->id);
			e->id = xstrdup(name);
		}
	}
	for (i = 0; i < out->nev; i++) {
		e = &out->ev[i];
		if (e->op == OPvunmap && e->ref >= 0) {
			free(e->id);
			e->id = xstrdup(out->ev[e->ref].id);
		}
	}
}

/* s as lines of at most width columns where it can, each ended by \n. */
static char *
reflow(const char *s, int width)
{
	char *out, *p;
	int n;

	p = out = xmalloc(strlen(s) + strlen(s) / 8 + 2);
	while ((s = wrapnext(s, width, &n)) != NULL) {
		memcpy(p, s, n);
		p += n;
		*p++ = '\n';
		s += n;
	}
	*p = '\0';
	return out;
}

/* What trace c shows at its last event, in words (saywhat's). */
static void
lastwords(struct shrinker *s, const struct trace *c, char *buf, size_t len)
{
	struct replay a, b;
	struct target tg;
	size_t last;

	last = c->nev - 1;
	tg = *s->tg;
	replay_init(&a, c, s->o->pol[0], &s->o->ro);
	replay_run(&a, c->nev);
	if (s->o->pol[1] != NULL) {
		replay_init(&b, c, s->o->pol[1], &s->o->ro);
		replay_run(&b, c->nev);
	}
	saywhat(s->o, &tg, &a, s->o->pol[1] ? &b : NULL, &c->ev[last], last);
	snprintf(buf, len, "%s", tg.why);
	replay_free(&a);
	if (s->o->pol[1] != NULL)
		replay_free(&b);
}

/*
 * The shrunk trace: the candidate's events, their own strings, times
 * dropped, ids renamed, a note before the last, the expectations of P
 * (and Q) recorded, a description of what it shows and whence it came.
 */
static void
finish(struct shrinker *s, const uint8_t *keep, struct trace *out)
{
	const struct trace *c;
	struct replay rp;
	struct event note, last, *e;
	struct expect kept;
	char *d, num[24], head[256], words[1024];
	size_t i, k, dl, dcap;
	int j;

	c = candidate(s, keep);
	trace_init(out);
	out->machine = c->machine;
	for (i = 0; i < c->nev; i++) {
		e = &c->ev[i];
		last = *e;
		last.id = e->id ? xstrdup(e->id) : NULL;
		last.text = e->text ? xstrdup(e->text) : NULL;
		last.note = NULL;
		last.flags = (e->flags | (e->id ? EVOWNID : 0)) & ~EVTIME;
		last.t = 0;
		trace_append(out, &last);
	}
	renameids(out);
	/* what it shows, in its own names; a note says so before it */
	lastwords(s, out, words, sizeof words);
	last = out->ev[out->nev - 1];
	memset(&note, 0, sizeof note);
	note.op = OPnote;
	note.ref = note.slot = -1;
	note.text = xstrdup(words);
	out->ev[out->nev - 1] = note;
	trace_append(out, &last);
	/* the expectations: what P and Q do now; a failed one stays */
	kept = out->ev[out->nev - 1].expect[policyindex(s->o->pol[0])];
	for (i = 0; i < out->nev; i++)
		memset(out->ev[i].expect, 0, sizeof out->ev[i].expect);
	for (j = 0; j < 2 && s->o->pol[j] != NULL; j++) {
		replay_init(&rp, out, s->o->pol[j], &s->o->ro);
		replay_run(&rp, out->nev);
		replay_record(&rp, out);
		replay_free(&rp);
	}
	if (s->tg->what == Wexpect)
		out->ev[out->nev - 1].expect[policyindex(s->o->pol[0])] = kept;
	/* name and description */
	snprintf(head, sizeof head, "%s-%s-%s%s%s", trace_name(s->t),
	    whatnames[s->tg->what], s->o->pol[0]->name, s->o->pol[1] ? "-" :
	    "", s->o->pol[1] ? s->o->pol[1]->name : "");
	out->name = xstrdup(head);
	dcap = 2048;
	d = xmalloc(dcap);
	dl = snprintf(d, dcap, "Shrunk from %s (%zu events) by vmapview shrink "
	    "--until %s -p %s%s%s%s: its events", trace_name(s->t),
	    s->o->total ? s->o->total : s->t->nev,
	    whatnames[s->tg->what], s->o->pol[0]->name, s->o->pol[1] ? "," : "",
	    s->o->pol[1] ? s->o->pol[1]->name : "", s->st->stopped ?
	    " (stopped before the end, so not minimal)" : "");
	for (i = k = 0; i < s->n; i++) {
		if (!keep[s->unit[i]])
			continue;
		snprintf(num, sizeof num, "%s %zu", k++ ? "," : "", i + 1);
		if (dl + strlen(num) + 64 >= dcap) {
			dcap *= 2;
			d = xrealloc(d, dcap);
		}
		dl += snprintf(d + dl, dcap - dl, "%s", num);
	}
	if (dl + sizeof words + sizeof s->tg->why + 128 >= dcap) {
		dcap = dl + sizeof words + sizeof s->tg->why + 128;
		d = xrealloc(d, dcap);
	}
	snprintf(d + dl, dcap - dl, ".  There, at event %zu, %s.  Here, %s.",
	    s->tg->at + 1, s->tg->why, words);
	out->description = reflow(d, 72);
	free(d);
}

/*
 * Shrink t to the fewest events that still show tg (from shrink_find)
 * under o's policies, into out (trace_free it).  st says how it went;
 * stopped by the budget or o->stop, out is the best found so far.
 */
void
shrink_run(const struct trace *t, const struct shrinkopts *o,
    const struct target *tg, struct trace *out, struct shrinkstat *st)
{
	struct shrinker s;
	uint8_t *keep;
	size_t *cur, ncur, i, before;

	memset(&s, 0, sizeof s);
	memset(st, 0, sizeof *st);
	s.start = monotime();
	s.t = t;
	s.o = o;
	s.tg = tg;
	s.st = st;
	s.n = tg->at + 1;
	s.mach = t->machine;
	s.unit = xcalloc(s.n, sizeof *s.unit);
	s.at = xcalloc(s.n, sizeof *s.at);
	s.pa = xcalloc(s.n, sizeof *s.pa);
	s.size = xcalloc(s.n, sizeof *s.size);
	for (i = 0; i < s.n; i++) {
		s.pa[i] = t->ev[i].pa;
		s.size[i] = t->ev[i].size;
	}
	s.cand = *t;
	s.cand.ev = xcalloc(s.n, sizeof *s.cand.ev);
	units(&s);
	keep = xmalloc(s.nunit);
	memset(keep, 1, s.nunit);
	cur = xcalloc(s.nunit, sizeof *cur);
	for (ncur = i = 0; i < s.nunit; i++)
		if (i != s.fixed)
			cur[ncur++] = i;
	st->before = o->total ? o->total : t->nev;
	st->events = s.n;
	plainmachine(&s, keep);
	ddmin(&s, cur, &ncur, keep);
	do {
		before = ncur;
		simplify(&s, keep);
		plainmachine(&s, keep);
		/* rounder values may free more units */
		ddmin(&s, cur, &ncur, keep);
	} while (ncur < before && !stopping(&s));
	st->seconds = elapsed(&s);
	finish(&s, keep, out);
	st->events = out->nev;
	free(keep);
	free(cur);
	free(s.cand.ev);
	free(s.unit);
	free(s.at);
	free(s.pa);
	free(s.size);
}
