/*
 * shrink_read: a trace too long to hold, read twice as it streams.  The
 * first pass replays it, keeping nothing, to the event where what goes
 * wrong shows; the second keeps the events up to there, the rest only
 * counted.  The search itself is shrink.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relay.h"
#include "shrink.h"
#include "util.h"
#include "xmalloc.h"

/*
 * shrink_read's first pass: the trace replayed as it is read, nothing
 * of it kept, until what goes wrong; the rest only counted.
 */
struct scan {
	const struct shrinkopts	*o;
	struct replaysink	 rs;
	int			 found;
	size_t			 at;
};

static void
scan_ran(void *arg, struct trace *t, const struct event *e,
    struct result *r)
{
	struct target tg;
	struct scan *sc;

	(void)t;
	sc = arg;
	if (shrink_wrongat(sc->o, e, &r[0], sc->rs.n > 1 ? &r[1] : NULL,
	    &tg)) {
		sc->found = 1;
		sc->at = sc->rs.seen - 1;
		sc->rs.upto = sc->rs.seen;	/* the rest only counted */
	}
}

static void
scan_forget(void *arg)
{
	struct scan *sc;

	sc = arg;
	sc->found = 0;
	sc->at = 0;
	sc->rs.upto = SIZE_MAX;
}

/* The second pass: each event kept, up to the one that goes wrong. */
struct keep {
	struct trace	 own;
	int		*slotev;	/* a live id's slot: its vmap */
	size_t		 slotcap;
	size_t		 upto;		/* events to keep */
	int		 stop;
};

static void
keep_event(void *arg, struct trace *t, const struct event *e)
{
	struct keep *k;
	struct event ev;

	k = arg;
	if (k->own.nev >= k->upto) {
		k->stop = 1;
		return;
	}
	if (k->own.nev == 0) {
		/* the header, as the reader has it: the reading will stop */
		k->own.machine = t->machine;
		k->own.file = t->file ? xstrdup(t->file) : NULL;
		k->own.name = t->name ? xstrdup(t->name) : NULL;
		k->own.description = t->description ?
		    xstrdup(t->description) : NULL;
	}
	ev = *e;
	ev.id = ev.text = ev.note = NULL;
	ev.flags &= ~EVOWNID;
	ev.ref = -1;
	if ((e->flags & EVBYID) && e->slot >= 0 &&
	    (size_t)e->slot < k->slotcap) {
		/* as trace_load has it: tied to its vmap, sharing its id */
		ev.ref = k->slotev[e->slot];
		ev.id = k->own.ev[ev.ref].id;
	} else if (e->id != NULL) {
		ev.id = xstrdup(e->id);
		ev.flags |= EVOWNID;
	}
	if (e->text != NULL)
		ev.text = xstrdup(e->text);
	if (e->note != NULL)
		ev.note = xstrdup(e->note);
	trace_append(&k->own, &ev);
	if (e->op == OPvmap && e->slot >= 0) {
		xgrow(&k->slotev, &k->slotcap, (size_t)e->slot + 1,
		    sizeof *k->slotev);
		k->slotev[e->slot] = k->own.nev - 1;
	}
	if (k->own.nev >= k->upto)
		k->stop = 1;
}

static void
keep_reset(void *arg)
{
	struct keep *k;

	k = arg;
	trace_free(&k->own);
	trace_init(&k->own);
	free(k->slotev);
	k->slotev = NULL;
	k->slotcap = 0;
}

/*
 * Read the trace at path for shrinking: of a file that can be read
 * again, only the events up to the first that goes wrong under o (the
 * trace read once through, replayed until then, then once more up to
 * it); else the whole trace.  *total is how many events the trace has.
 * Returns 0; or -1 with the message in err, and *nothing set when the
 * trace is good but nothing goes wrong (what does happen, in err).
 */
int
shrink_read(struct trace *t, const char *path, const struct shrinkopts *o,
    size_t *total, int *nothingwrong, char *err, size_t len)
{
	struct replayopts ro;
	struct tracesink sk;
	struct scan sc;
	struct keep k;
	struct trace hdr;
	size_t at;

	*nothingwrong = 0;
	if (!trace_rereadable(path)) {
		if (trace_load(t, path, err, len) < 0)
			return -1;
		*total = t->nev;
		return 0;
	}
	memset(&sc, 0, sizeof sc);
	sc.o = o;
	ro = o->ro;
	ro.stream = 1;
	replaysink_init(&sc.rs, o->pol, o->pol[1] ? 2 : 1, &ro, &sk);
	sc.rs.ran = scan_ran;
	sc.rs.forget = scan_forget;
	sc.rs.arg = &sc;
	if (relay_run(&hdr, path, &sk, err, len) < 0)
		return -1;
	*total = hdr.nev;
	if (hdr.machinelate) {
		/* its machine after its events: read whole, as relay_run */
		replaysink_free(&sc.rs);
		trace_free(&hdr);
		if (trace_load(t, path, err, len) < 0)
			return -1;
		return 0;
	}
	if (!sc.found) {
		replaysink_settrace(&sc.rs, &hdr);
		shrink_nothing(err, len, o, hdr.nev, &sc.rs.rp[0]);
		replaysink_free(&sc.rs);
		trace_free(&hdr);
		*nothingwrong = 1;
		return -1;
	}
	at = sc.at;
	replaysink_free(&sc.rs);
	memset(&k, 0, sizeof k);
	trace_init(&k.own);
	k.upto = at + 1;
	trace_free(&hdr);
	sk.event = keep_event;
	sk.reset = keep_reset;
	sk.arg = &k;
	sk.stop = &k.stop;
	if (trace_stream(&hdr, path, &sk, err, len) < 0 && !k.stop) {
		keep_reset(&k);
		free(k.slotev);
		return -1;
	}
	free(k.slotev);
	trace_free(&hdr);
	*t = k.own;
	return 0;
}

