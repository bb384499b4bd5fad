/*
 * The view's side of the benchmark, without a terminal: read a trace
 * and open the view's timeline as the view does before it draws
 * (timeline_load),
 * then time the seeks a person makes: G, g, jump to an event, step
 * back, step forward.  Prints "open_seconds worst_seek_ms".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "timeline.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct replayopts o = { .kernel = -1, .pse = -1 };
	struct timeline tl;
	struct trace t;
	const Policy *p;
	size_t targets[8], n;
	double t0, open, worst, d;
	char err[512];
	int i, k;

	if (argc != 3 || policyfind(argv[1]) == NULL) {
		fprintf(stderr, "usage: seek POLICY TRACE\n");
		return 2;
	}
	p = policyfind(argv[1]);
	t0 = now();
	if (timeline_load(&t, argv[2], &p, 1, &o, &tl, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	timeline_seek(&tl, 0);
	open = now() - t0;
	n = t.nev;
	targets[0] = n;			/* G */
	targets[1] = 0;			/* g */
	targets[2] = n / 2 + 123;	/* :N */
	targets[3] = n / 2 + 122;	/* k */
	targets[4] = n / 2 + 123;	/* j */
	targets[5] = n / 3;
	targets[6] = n - 1;		/* G then k */
	targets[7] = 7 * n / 10 + 77;
	worst = 0;
	for (k = 0; k < 3; k++)
		for (i = 0; i < 8; i++) {
			t0 = now();
			timeline_seek(&tl, targets[i] > n ? n : targets[i]);
			d = (now() - t0) * 1000;
			if (d > worst)
				worst = d;
		}
	printf("%.3f %.2f\n", open, worst);
	timeline_free(&tl);
	trace_free(&t);
	return 0;
}
