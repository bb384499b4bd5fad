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
	struct replay		 rp[2];
	struct madetab		 made[2];
	int			 started;
	int			 found;
	size_t			 at;
	size_t			 nev;
};

static void
scan_event(void *arg, struct trace *t, const struct event *e)
{
	struct result r[2];
	struct target tg;
	struct scan *sc;
	struct replayopts ro;
	int j, n;

	sc = arg;
	n = sc->o->pol[1] ? 2 : 1;
	if (!sc->started) {
		sc->started = 1;
		ro = sc->o->ro;
		ro.stream = 1;
		for (j = 0; j < n; j++)
			replay_init(&sc->rp[j], t, sc->o->pol[j], &ro);
	}
	if (!sc->found) {
		for (j = 0; j < n; j++)
			replay_feedslot(&sc->rp[j], &sc->made[j], e, &r[j]);
		if (shrink_wrongat(sc->o, e, &r[0], n > 1 ? &r[1] : NULL, &tg)) {
			sc->found = 1;
			sc->at = sc->nev;
		}
		for (j = 0; j < n; j++)
			replay_clear(&r[j]);
	}
	sc->nev++;
}

static void
scan_reset(void *arg)
{
	struct scan *sc;
	int j;

	sc = arg;
	for (j = 0; j < 2 && sc->started; j++) {
		if (j == 1 && sc->o->pol[1] == NULL)
			break;
		replay_free(&sc->rp[j]);
		madetab_free(&sc->made[j]);
	}
	memset(sc->made, 0, sizeof sc->made);
	sc->started = sc->found = 0;
	sc->at = sc->nev = 0;
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
	struct tracesink sk;
	struct scan sc;
	struct keep k;
	struct trace hdr;

	*nothingwrong = 0;
	if (!trace_rereadable(path)) {
		if (trace_load(t, path, err, len) < 0)
			return -1;
		*total = t->nev;
		return 0;
	}
	memset(&sc, 0, sizeof sc);
	sc.o = o;
	memset(&sk, 0, sizeof sk);
	sk.event = scan_event;
	sk.reset = scan_reset;
	sk.arg = &sc;
	if (relay_run(&hdr, path, &sk, err, len) < 0)
		return -1;
	*total = hdr.nev;
	if (hdr.machinelate) {
		/* its machine after its events: read whole, as relay_run */
		scan_reset(&sc);
		trace_free(&hdr);
		if (trace_load(t, path, err, len) < 0)
			return -1;
		return 0;
	}
	if (!sc.found) {
		if (!sc.started)	/* no event */
			replay_init(&sc.rp[0], &hdr, o->pol[0], &o->ro);
		shrink_nothing(err, len, o, hdr.nev, &sc.rp[0]);
		if (!sc.started)
			replay_free(&sc.rp[0]);
		scan_reset(&sc);
		trace_free(&hdr);
		*nothingwrong = 1;
		return -1;
	}
	memset(&k, 0, sizeof k);
	trace_init(&k.own);
	k.upto = sc.at + 1;
	scan_reset(&sc);
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

