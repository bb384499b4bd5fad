/*
 * Time travel for the view.  The trace is replayed once in full; every
 * interval events the machine and its live mappings are copied into a
 * checkpoint.  Seeking to event n copies the last checkpoint at or
 * before n and runs the few events after it again, results already
 * known, so stepping back costs what stepping forward does, at any
 * event.  The interval doubles as the trace grows,
 * so that there are at most MAXCP checkpoints; the trace may grow while
 * it is replayed (timeline_add).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "relay.h"
#include "timeline.h"
#include "xmalloc.h"

#define MAXCP		128
#define MININTERVAL	64

/* Copy the machine as it is now into a new checkpoint. */
static void
checkpoint(struct timeline *tl)
{
	struct checkpoint *c;
	size_t i;

	if (tl->ncp == MAXCP) {
		/* keep every other one, twice as far apart */
		for (i = 1; i < tl->ncp; i += 2) {
			mmufree(&tl->cp[i].m);
			free(tl->cp[i].live);
		}
		for (i = 2; i < tl->ncp; i += 2)
			tl->cp[i / 2] = tl->cp[i];
		tl->ncp = (tl->ncp + 1) / 2;
		tl->interval *= 2;
		if (tl->full.pos % tl->interval != 0)
			return;
	}
	c = &tl->cp[tl->ncp];
	mmucopy(&c->m, &tl->full.m);
	c->pos = tl->full.pos;
	c->panicked = tl->full.panicked;
	c->live = live_copy(&tl->flive);
	c->nlive = tl->flive.n;
	tl->ncp++;
}

/*
 * Start a timeline of t under p; its events, already there or appended
 * later, are run by timeline_add, and timeline_end makes it ready to
 * seek.  expect is how many events there will be, roughly, or 0: the
 * interval starts where it need not grow.
 */
void
timeline_begin(struct timeline *tl, const struct trace *t, const Policy *p,
    const struct replayopts *o, size_t expect)
{
	struct replayopts ro;

	memset(tl, 0, sizeof *tl);
	ro = *o;
	ro.measure = 1;
	ro.history = 1;
	ro.stream = 0;
	tl->interval = expect / MAXCP + 1;
	if (tl->interval < MININTERVAL)
		tl->interval = MININTERVAL;
	tl->cp = xcalloc(MAXCP, sizeof *tl->cp);
	replay_init(&tl->full, t, p, &ro);
	checkpoint(tl);
}

/*
 * Run the trace's next event, keeping a checkpoint every interval
 * events; when there would be more than MAXCP, every other one goes
 * and the interval doubles.
 */
void
timeline_add(struct timeline *tl)
{
	replay_reserve(&tl->full, tl->full.pos + 1);
	if (replay_step(&tl->full))
		live_step(&tl->flive, &tl->full, tl->full.pos - 1);
	if (tl->full.pos % tl->interval == 0)
		checkpoint(tl);
}

/* Every event has been added: make the cursor. */
void
timeline_end(struct timeline *tl)
{
	/* The cursor's machine: the run's results, its own state. */
	tl->cur = tl->full;
	tl->cur.rerun = 1;
	tl->cur.hist = NULL;
	mmucopy(&tl->cur.m, &tl->cp[0].m);
	tl->cur.pos = 0;
	tl->cur.panicked = 0;
	live_set(&tl->live, &tl->full, tl->cp[0].live, tl->cp[0].nlive);
}

/* Replay t under p into tl, with checkpoints. */
void
timeline_open(struct timeline *tl, const struct trace *t, const Policy *p,
    const struct replayopts *o)
{
	timeline_begin(tl, t, p, o, t->nev);
	while (tl->full.pos < t->nev)
		timeline_add(tl);
	timeline_end(tl);
}

/* Bring the cursor's machine to the state after n events. */
void
timeline_seek(struct timeline *tl, size_t n)
{
	struct checkpoint *c;
	size_t k;

	if (n > tl->full.t->nev)
		n = tl->full.t->nev;
	k = n / tl->interval;
	if (k >= tl->ncp)
		k = tl->ncp - 1;
	c = &tl->cp[k];
	/* Forward from here when the cursor is already between c and n. */
	if (!(tl->cur.pos >= c->pos && tl->cur.pos <= n)) {
		mmufree(&tl->cur.m);
		mmucopy(&tl->cur.m, &c->m);
		tl->cur.pos = c->pos;
		tl->cur.panicked = c->panicked;
		live_set(&tl->live, &tl->full, c->live, c->nlive);
	}
	while (tl->cur.pos < n) {
		replay_step(&tl->cur);
		live_step(&tl->live, &tl->full, tl->cur.pos - 1);
	}
}

/* Free the run, the checkpoints and the cursor. */
void
timeline_free(struct timeline *tl)
{
	size_t i;

	for (i = 0; i < tl->ncp; i++) {
		mmufree(&tl->cp[i].m);
		free(tl->cp[i].live);
	}
	free(tl->cp);
	live_free(&tl->flive);
	live_free(&tl->live);
	mmufree(&tl->cur.m);
	replay_free(&tl->full);
	memset(tl, 0, sizeof *tl);
}

/*
 * The sink of timeline_load: each event kept, in a trace of its own,
 * and run at once under every policy.
 */
struct keeper {
	struct trace		 own;
	int			*slotev;	/* slot: index of its vmap */
	size_t			 slotcap;
	struct timeline		*tl;
	const Policy *const	*p;
	int			 n;
	const struct replayopts	*o;
	size_t			 expect;	/* events, from the file's size */
	int			 started;
};

/* Begin the timelines, the machine known: t's. */
static void
keep_start(struct keeper *k, const struct trace *t)
{
	int j;

	k->started = 1;
	k->own.machine = t->machine;
	for (j = 0; j < k->n; j++)
		timeline_begin(&k->tl[j], &k->own, k->p[j], k->o, k->expect);
}

static void
keep_event(void *arg, struct trace *t, const struct event *e)
{
	struct keeper *k;
	struct event ev;
	int j;

	k = arg;
	if (!k->started)
		keep_start(k, t);
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
		if ((size_t)e->slot >= k->slotcap) {
			while (k->slotcap <= (size_t)e->slot)
				k->slotcap = k->slotcap ? 2 * k->slotcap : 64;
			k->slotev = xreallocarray(k->slotev, k->slotcap,
			    sizeof *k->slotev);
		}
		k->slotev[e->slot] = k->own.nev - 1;
	}
	for (j = 0; j < k->n; j++)
		timeline_add(&k->tl[j]);
}

/* Forget the events kept and the timelines begun. */
static void
keep_reset(void *arg)
{
	struct keeper *k;
	int j;

	k = arg;
	for (j = 0; j < k->n && k->started; j++)
		timeline_free(&k->tl[j]);
	trace_free(&k->own);
	trace_init(&k->own);
	free(k->slotev);
	k->slotev = NULL;
	k->slotcap = 0;
	k->started = 0;
}

/*
 * Read the trace in path into t and open a timeline of it under each of
 * the n policies p, in one pass: each event is kept and run as it is
 * read, on a thread of its own when there is one (relay.h).  Returns 0,
 * or -1 with the message in err (t and tl then hold nothing).
 */
int
timeline_load(struct trace *t, const char *path, const Policy *const *p,
    int n, const struct replayopts *o, struct timeline *tl, char *err,
    size_t errlen)
{
	struct tracesink sk;
	struct keeper k;
	struct stat st;
	int j;

	memset(&k, 0, sizeof k);
	trace_init(&k.own);
	k.tl = tl;
	k.p = p;
	k.n = n;
	k.o = o;
	/* an event takes 32 bytes or more: more would only thin them */
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		k.expect = st.st_size / 32;
	sk.event = keep_event;
	sk.reset = keep_reset;
	sk.arg = &k;
	if (relay_run(t, path, &sk, err, errlen) < 0)
		return -1;
	if (!k.started)		/* no event: the header's machine */
		keep_start(&k, t);
	free(k.slotev);
	/* the header is the reader's, the events the keeper's */
	k.own.file = t->file;
	k.own.name = t->name;
	k.own.description = t->description;
	t->file = t->name = t->description = NULL;
	trace_free(t);
	*t = k.own;
	for (j = 0; j < n; j++) {
		tl[j].full.t = t;
		timeline_end(&tl[j]);
	}
	return 0;
}
