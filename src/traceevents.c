/*
 * The trace reader's events (loader.h): each a mapping of keys, checked
 * against its op, its id held live from its vmap to the vunmap that
 * names it, and given to the trace or to the sink.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "text.h"
#include "util.h"
#include "xmalloc.h"

/* The keys an event may have. */
enum {
	Kop, Kpa, Ksize, Kid, Kva, Ktext, Kexpect, Kt, Knote, Nkey
};
static const char *const keynames[Nkey] = {
	"op", "pa", "size", "id", "va", "text", "expect", "t", "note"
};
#define K(k)	(1u << (k))
#define KALL	(K(Kop) | K(Kt) | K(Knote))	/* every op's */

/*
 * The ops: the keys each takes and those it needs (vunmap's choice of
 * id or va is checked in checkevent).
 */
static const struct {
	unsigned	takes;
	unsigned	needs;
} ops[Nop] = {
	[OPvmap] = { KALL | K(Kpa) | K(Ksize) | K(Kid) | K(Kexpect),
	    K(Kpa) | K(Ksize) },
	[OPvunmap] = { KALL | K(Ksize) | K(Kid) | K(Kva) | K(Kexpect), 0 },
	[OPnote] = { KALL | K(Ktext), K(Ktext) },
};

/* One expectation value: a result name or an address. */
static int
parseexpect(struct loader *L, const char *name, struct expect *x)
{
	uint64_t v;
	const char *s;
	size_t i;

	if (L->ev->type != YAML_SCALAR_EVENT)
		return ld_failat(L, &L->ev->start_mark,
		    "%s: expected a result or an address, not %s", name,
		    ld_evkind(L->ev));
	s = (const char *)L->ev->data.scalar.value;
	for (i = Xok; i < Xaddr; i++)
		if (strcmp(s, expectnames[i]) == 0) {
			x->kind = i;
			return 0;
		}
	if (trace_parsenum(s, 0, &v) < 0 || v > UINT32_MAX)
		return ld_failat(L, &L->ev->start_mark, "%s: '%.40s' is not ok, "
		    "fail, refused, skipped, panic or an address", name, s);
	x->kind = Xaddr;
	x->addr = v;
	return 0;
}

_Static_assert(MAXPOLICY <= 32, "getexpect marks policies in an int");

/* expect: one value for every policy, or a mapping of policy to value. */
static int
getexpect(struct loader *L, struct event *e)
{
	struct expect x;
	const Policy *p;
	yaml_mark_t mk;
	char name[64];
	int i, k, seen;

	memset(&x, 0, sizeof x);
	if (L->ev->type == YAML_SCALAR_EVENT) {
		if (parseexpect(L, "expect", &x) < 0)
			return -1;
		for (i = 0; i < MAXPOLICY; i++)
			e->expect[i] = x;
		return 0;
	}
	if (L->ev->type != YAML_MAPPING_START_EVENT)
		return ld_failat(L, &L->ev->start_mark, "expect: expected a "
		    "value or a mapping of policy to value, not %s",
		    ld_evkind(L->ev));
	seen = 0;
	for (;;) {
		if ((k = ld_nextitem(L, YAML_MAPPING_END_EVENT,
		    YAML_SCALAR_EVENT, "expect: a policy name", "")) <= 0)
			return k;
		mk = L->ev->start_mark;
		p = policyfind((const char *)L->ev->data.scalar.value);
		if (p == NULL)
			return ld_failat(L, &mk, "expect: no policy '%.40s'",
			    (const char *)L->ev->data.scalar.value);
		i = policyindex(p);
		if (seen & (1 << i))
			return ld_failat(L, &mk, "expect: %s given twice",
			    p->name);
		seen |= 1 << i;
		snprintf(name, sizeof name, "expect.%s", p->name);
		if (ld_next(L) < 0 || parseexpect(L, name, &e->expect[i]) < 0)
			return -1;
	}
}

/*
 * The live set has grown to a size it never had.  Where it first holds
 * one more than a vmap of k PDEs has pages is kept, for checklive once
 * the machine is known; past the largest vmap's pages it fails at once,
 * a bound on what the table holds.
 */
static int
livemore(struct loader *L, const struct event *e)
{
	yaml_mark_t mk;

	L->maxlive = L->nlive;
	if (L->nlive % PDEPAGES != 1 || L->nlive == 1)
		return 0;
	if (L->nlive / PDEPAGES < MAXPDES) {
		L->maxat[L->nlive / PDEPAGES].line = e->line;
		L->maxat[L->nlive / PDEPAGES].col = e->col;
		return 0;
	}
	if (L->machinefirst)
		return ld_checklive(L);
	memset(&mk, 0, sizeof mk);
	mk.line = e->line - 1;
	mk.column = e->col - 1;
	return ld_failat(L, &mk, "%zu ids live at once: more than any vmap has "
	    "pages", L->nlive);
}

/*
 * Liveness, read from the text: a vmap's id must not be live; a vunmap
 * by id must name a live one, which it ends.  The slot's record says
 * what its vmap was, for a sink that keeps no events.
 */
static int
liveness(struct loader *L, struct event *e, const yaml_mark_t *idmk)
{
	struct idrec *r;
	long s;
	int had;

	if (e->op == OPvmap) {
		s = idtab_add(L->ids, e->id, L->sk == NULL, L->t->nev, &had);
		r = idtab_rec(L->ids, s);
		if (had)
			return ld_failat(L, idmk, "id '%.40s' is still live "
			    "(mapped at line %u)", e->id, r->line);
		r->seq = L->t->nev + 1;
		r->size = e->size;
		r->line = e->line;
		e->slot = s;
		if (++L->nlive > L->maxlive)
			return livemore(L, e);
		return 0;
	}
	if ((s = idtab_find(L->ids, e->id, &L->unmappedat)) < 0)
		return ld_failat(L, idmk, "id '%.40s' is not live (never mapped, "
		    "or unmapped already)", e->id);
	e->flags |= EVBYID;
	if (L->sk == NULL) {
		/* kept: tied to its vmap, sharing its id */
		e->ref = (int)(idtab_rec(L->ids, s)->seq - 1);
		free(e->id);
		e->id = L->t->ev[e->ref].id;
		e->flags &= ~EVOWNID;
	}
	e->slot = s;
	L->unmapped = s;
	L->nlive--;
	return 0;
}

/*
 * Checks that need the whole event: the op, its required keys, keys it
 * does not take, expectations that fit it, time order and liveness.
 */
static int
checkevent(struct loader *L, struct event *e, const yaml_mark_t *start,
    const yaml_mark_t *keymk, unsigned have)
{
	unsigned bad;
	int k, i;

	if (!(have & K(Kop)))
		return ld_failat(L, start, "event has no op");
	/* the first key, in keynames' order, it does not take; needs */
	if ((bad = have & ~ops[e->op].takes) != 0) {
		k = __builtin_ctz(bad);
		return ld_failat(L, &keymk[k], "op %s takes no %s",
		    opnames[e->op], keynames[k]);
	}
	if ((bad = ops[e->op].needs & ~have) != 0)
		return ld_failat(L, start, "%s needs %s", opnames[e->op],
		    keynames[__builtin_ctz(bad)]);
	if (e->op == OPvunmap) {
		if ((have & K(Kid)) && (have & K(Kva)))
			return ld_failat(L, &keymk[Kva],
			    "vunmap takes id or va, not both");
		if (!(have & (K(Kid) | K(Kva))))
			return ld_failat(L, start, "vunmap needs id or va");
		if ((have & K(Kva)) && !(have & K(Ksize)))
			return ld_failat(L, start, "vunmap by va needs size");
	}
	for (i = 0; (have & K(Kexpect)) && i < MAXPOLICY; i++) {
		if (e->expect[i].kind == Xaddr && e->op != OPvmap)
			return ld_failat(L, &keymk[Kexpect],
			    "expect: only a vmap returns an address");
		if (e->expect[i].kind == Xskipped && !(e->op == OPvunmap &&
		    (have & K(Kid))))
			return ld_failat(L, &keymk[Kexpect],
			    "expect: only a vunmap by id can be skipped");
		if (e->op == OPvunmap && (e->expect[i].kind == Xfail ||
		    e->expect[i].kind == Xrefused))
			return ld_failat(L, &keymk[Kexpect],
			    "expect: a vunmap is ok, skipped or panic");
	}
	if (have & K(Kt)) {
		if (e->t < L->lastt)
			return ld_failat(L, &keymk[Kt], "t goes back in time "
			    "(%g after %g at line %d)", e->t, L->lastt,
			    L->lastline);
		L->lastt = e->t;
		L->lastline = e->line;
	}
	if (have & K(Kid))
		return liveness(L, e, &keymk[Kid]);
	return 0;
}


/* t: the seconds since the recording began. */
static int
gettime(struct loader *L, double *tp)
{
	const char *s;
	char *end;

	if (L->ev->type != YAML_SCALAR_EVENT)
		return ld_failat(L, &L->ev->start_mark, "t: expected seconds, not %s",
		    ld_evkind(L->ev));
	s = (const char *)L->ev->data.scalar.value;
	errno = 0;
	*tp = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || !isfinite(*tp) ||
	    *tp < 0)
		return ld_failat(L, &L->ev->start_mark, "t: '%.40s' is not a time "
		    "in seconds", s);
	return 0;
}

/* The value of event key k into e. */
static int
eventkey(struct loader *L, int k, void *arg)
{
	struct event *e;
	const char *s;
	uint64_t v;

	e = arg;
	switch (k) {
	case Kop:
		s = (const char *)L->ev->data.scalar.value;
		if (L->ev->type != YAML_SCALAR_EVENT)
			return ld_failat(L, &L->ev->start_mark, "op: expected vmap, "
			    "vunmap or note");
		if ((e->op = ld_findname(opnames, Nop, s,
		    L->ev->data.scalar.length)) == Nop)
			return ld_failat(L, &L->ev->start_mark, "op: '%.40s' is not "
			    "vmap, vunmap or note", s);
		return 0;
	case Kpa:
	case Kva:
		if (ld_getnum(L, keynames[k], 0, k == Kpa ? UINT64_MAX :
		    UINT32_MAX, &v) < 0)
			return -1;
		if (k == Kpa)
			e->pa = v;
		else {
			e->va = v;
			e->flags |= EVVA;
		}
		return 0;
	case Ksize:
		if (ld_getnum(L, "size", 1, INT32_MAX, &v) < 0)
			return -1;
		e->size = v;
		e->flags |= EVSIZE;
		return 0;
	case Kid:
		if (ld_getlent(L, "id", 0, 0, &e->id) < 0)
			return -1;
		if (L->sk == NULL)
			e->flags |= EVOWNID;
		if (e->id[0] == '\0')
			return ld_failat(L, &L->ev->start_mark, "id: empty");
		return 0;
	case Ktext:
		return ld_getlent(L, "text", 1, 1, &e->text);
	case Knote:
		return ld_getlent(L, "note", 1, 2, &e->note);
	case Kexpect:
		return getexpect(L, e);
	case Kt:
		if (gettime(L, &e->t) < 0)
			return -1;
		e->flags |= EVTIME;
		return 0;
	}
	return 0;
}

/*
 * Free what the event holds of its own: nothing, when it went to a
 * sink (its strings are the loader's, ld_getlent).
 */
static void
eventfree(struct loader *L, struct event *e)
{
	if (L->sk != NULL)
		return;
	if (e->flags & EVOWNID)
		free(e->id);
	free(e->text);
	free(e->note);
}

/*
 * One event: a mapping of keys to values, appended to the trace, or
 * given to the sink.
 */
static int
loadevent(struct loader *L)
{
	static const struct keyset eventkeys = {
		keynames, Nkey, "an event key", "unknown event key", "", -1
	};
	struct trace *t;
	struct event *e, one;
	yaml_mark_t start, keymk[Nkey];
	unsigned have;

	t = L->t;
	start = L->ev->start_mark;
	if (t->nev >= IDMAXEVENTS)
		return ld_failat(L, &start, "a trace holds at most %llu events",
		    (unsigned long long)IDMAXEVENTS);
	L->unmapped = -1;
	if (L->sk != NULL)
		e = &one;
	else {
		xgrow(&t->ev, &t->evcap, t->nev + 1, sizeof *t->ev);
		e = &t->ev[t->nev];
	}
	memset(e, 0, sizeof *e);
	e->ref = -1;
	e->slot = -1;
	e->line = start.line + 1;
	e->col = start.column + 1;
	if (ld_keyloop(L, &eventkeys, &have, keymk, eventkey, e) < 0 ||
	    checkevent(L, e, &start, keymk, have) < 0) {
		eventfree(L, e);
		return -1;
	}
	t->nev++;
	if (L->sk != NULL && L->sk->stop != NULL &&
	    __atomic_load_n(L->sk->stop, __ATOMIC_RELAXED)) {
		snprintf(L->err, L->errlen, "%s: stopped", L->file);
		eventfree(L, e);
		return -1;
	}
	if (L->sk != NULL && L->sk->bytes != NULL)
		__atomic_store_n(L->sk->bytes, (size_t)L->ev->end_mark.index,
		    __ATOMIC_RELAXED);
	if (L->sk != NULL) {
		L->sk->event(L->sk->arg, t, e);
		eventfree(L, e);
	}
	if (L->unmapped >= 0)
		idtab_remove(L->ids, L->unmapped, L->unmappedat, t->nev);
	return 0;
}

/* events: a sequence of event mappings. */
int
ld_loadevents(struct loader *L)
{
	int k;

	if (L->ev->type != YAML_SEQUENCE_START_EVENT)
		return ld_failat(L, &L->ev->start_mark,
		    "events: expected a sequence, not %s", ld_evkind(L->ev));
	for (;;) {
		if ((k = ld_nextitem(L, YAML_SEQUENCE_END_EVENT,
		    YAML_MAPPING_START_EVENT, "an event is a mapping", "")) <= 0)
			return k;
		if (loadevent(L) < 0)
			return -1;
	}
}

