/*
 * Time travel for the view.  The trace is replayed once in full; every
 * interval events the machine is copied into a checkpoint.  Seeking to
 * event n copies the last checkpoint at or before n and runs the few
 * events after it again, results already known, so stepping back costs
 * what stepping forward does.  The interval grows with the trace so
 * that there are at most MAXCP checkpoints.
 */
#include <stdlib.h>
#include <string.h>

#include "timeline.h"

#define MAXCP		512
#define MININTERVAL	64

/*
 * Replay t under p into tl, with checkpoints.  Returns -1 when out of
 * memory (tl is then freed).
 */
int
timeline_open(struct timeline *tl, const struct trace *t, const Policy *p,
    const struct replayopts *o)
{
	struct replayopts ro;
	struct checkpoint *c;

	memset(tl, 0, sizeof *tl);
	ro = *o;
	ro.measure = 1;
	ro.history = 1;
	tl->interval = t->nev / MAXCP + 1;
	if (tl->interval < MININTERVAL)
		tl->interval = MININTERVAL;
	tl->cp = calloc(t->nev / tl->interval + 1, sizeof *tl->cp);
	if (tl->cp == NULL || replay_init(&tl->full, t, p, &ro) < 0)
		goto oom;
	for (;;) {
		if (tl->full.pos % tl->interval == 0) {
			c = &tl->cp[tl->ncp];
			if (mmucopy(&c->m, &tl->full.m) < 0)
				goto oom;
			c->pos = tl->full.pos;
			c->panicked = tl->full.panicked;
			tl->ncp++;
		}
		if (tl->full.pos == t->nev)
			break;
		if (replay_step(&tl->full) < 0)
			goto oom;
	}
	/* The cursor's machine: the run's results, its own state. */
	tl->cur = tl->full;
	tl->cur.rerun = 1;
	tl->cur.histlargest = NULL;
	tl->cur.histstale = NULL;
	tl->cur.histfree = NULL;
	memset(&tl->cur.m, 0, sizeof tl->cur.m);
	tl->cur.m.pool = NULL;
	if (mmucopy(&tl->cur.m, &tl->cp[0].m) < 0)
		goto oom;
	tl->cur.pos = 0;
	tl->cur.panicked = 0;
	return 0;
oom:
	timeline_free(tl);
	return -1;
}

/* Bring the cursor's machine to the state after n events. */
int
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
		if (mmucopy(&tl->cur.m, &c->m) < 0)
			return -1;
		tl->cur.pos = c->pos;
		tl->cur.panicked = c->panicked;
	}
	while (tl->cur.pos < n)
		if (replay_step(&tl->cur) < 0)
			return -1;
	return 0;
}

/* Free the run, the checkpoints and the cursor. */
void
timeline_free(struct timeline *tl)
{
	size_t i;

	for (i = 0; i < tl->ncp; i++)
		mmufree(&tl->cp[i].m);
	free(tl->cp);
	mmufree(&tl->cur.m);
	replay_free(&tl->full);
	memset(tl, 0, sizeof *tl);
}
