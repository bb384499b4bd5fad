/*
 * The model's invariants, checked after every event: the bundled traces
 * and generated ones, under every policy, both kernels, PSE on and off,
 * stopping at a panic and keeping going after it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "tap.h"
#include "corpus.h"
#include "replay.h"

/* Replay t every way; returns how many states broke an invariant. */
static int
checkall(const struct trace *t, const char *name)
{
	struct replayopts o;
	struct replay rp;
	const char *why;
	char what[128];
	int p, k, pse, kg, bad, events, before, least;

	bad = events = 0;
	least = -1;
	for (p = 0; p < npolicy(); p++)
		for (k = 0; k < Nkernel; k++)
			for (pse = 0; pse < 2; pse++)
				for (kg = 0; kg < 2; kg++) {
					memset(&o, 0, sizeof o);
					o.kernel = k;
					o.pse = pse;
					o.keepgoing = kg;
					/* measured: mmucheck then checks the
					 * counts the fast paths keep */
					o.measure = 1;
					replay_init(&rp, t, policyat(p), &o);
					before = events;
					while (replay_step(&rp) > 0) {
						events++;
						if ((why = mmucheck(&rp.m)) == NULL)
							continue;
						if (bad++ < 3)
							printf("# %s %s %s pse %d "
							    "event %zu: %s\n", name,
							    policyat(p)->name,
							    kernelnames[k], pse,
							    rp.pos, why);
					}
					replay_free(&rp);
					if (least < 0 || events - before < least)
						least = events - before;
				}
	/* and each replay ran events: a test of none would pass */
	snprintf(what, sizeof what, "%s: invariants after each of %d events, "
	    "at least %d a replay", name, events, least);
	tap_ok(bad == 0 && least > 0, what);
	return bad;
}

int
main(void)
{
	struct genopts go = { .seed = 3, .events = 1500, .pokes = 11,
	    .pdes = 6, .fill = 0.7 };
	struct corpus c;
	struct trace t;
	const char *name;
	int g;

	corpus_open(&c);
	while (corpus_next(&c, &t, &name)) {
		checkall(&t, name);
		trace_free(&t);
	}
	corpus_close(&c);
	for (g = 0; g < ngenerators; g++) {
		gen_run(&generators[g], &go, &t);
		/* churn within a budget */
		t.machine.ptpages = (generators[g].takes & GOevents) ? 40 : 0;
		checkall(&t, generators[g].name);
		trace_free(&t);
	}
	return tap_done();
}
