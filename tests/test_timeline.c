/*
 * The view's time travel against the plain replay: after random seeks,
 * forward and back across checkpoints, the cursor's machine holds the
 * very words a replay from the start to that event holds.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gen.h"
#include "tap.h"
#include "timeline.h"

int
main(void)
{
	struct genopts go = { 7, 3000, 11, 4, 0.6 };
	struct replayopts ro = { -1, -1, 1, 0, 0 };
	struct timeline tl;
	struct replay ref;
	struct trace t;
	uint64_t r;
	size_t n, k;
	char what[96];
	int i, bad;

	if (gen_run(&generators[2], &go, &t) < 0) {
		tap_ok(0, "gen churn");
		return tap_done();
	}
	for (i = 0; i < npolicies; i++) {
		if (timeline_open(&tl, &t, &policies[i], &ro) < 0) {
			tap_ok(0, "timeline_open");
			continue;
		}
		snprintf(what, sizeof what, "%s: %zu checkpoints every %zu events",
		    policies[i].name, tl.ncp, tl.interval);
		tap_ok(tl.ncp == t.nev / tl.interval + 1, what);
		bad = 0;
		r = 12345 + i;
		for (k = 0; k < 60; k++) {
			r = r * 6364136223846793005ull + 1442695040888963407ull;
			n = (r >> 33) % (t.nev + 1);
			if (k % 3 == 0 && n > 0)
				n = tl.cur.pos > 0 ? tl.cur.pos - 1 : 0;
			if (timeline_seek(&tl, n) < 0) {
				bad++;
				break;
			}
			replay_init(&ref, &t, &policies[i], &ro);
			replay_run(&ref, n);
			if (!mmusame(&tl.cur.m, &ref.m) ||
			    tl.cur.panicked != ref.panicked)
				bad++;
			replay_free(&ref);
		}
		snprintf(what, sizeof what, "%s: 60 seeks, the same words as a "
		    "replay from the start", policies[i].name);
		tap_equ(bad, 0, what);
		timeline_free(&tl);
	}
	trace_free(&t);
	return tap_done();
}
