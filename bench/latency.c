/*
 * The view's side of the benchmark: open a trace as the view does
 * (timeline_load, one or two policies), on a real curses screen of
 * $TERM written to /dev/null, and time each key from its press to the
 * screen drawn and sent (ui_key, ui_draw, doupdate), at events across
 * the whole trace: steps, ends, failures, a search that finds nothing,
 * the selection, the zoom, help.  Prints one line: the seconds to open,
 * the median and the worst key in milliseconds, the peak memory in KiB,
 * and which key at which event was the worst.  With LATENCY_SLOW set,
 * every key over 10 ms is named on standard error, and each pane's
 * checkpoints are counted there.
 */
#include <sys/resource.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "ui.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
bymag(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	/* each a key, and the key that undoes it where it moves the cursor */
	static const char keys[] = "jkGgfFnNlLhHi?";
	struct replayopts o = { .kernel = -1, .pse = -1 };
	struct timeline tl[2];
	struct vstore vs;
	struct rusage ru;
	const Policy *p[2];
	struct trace t;
	struct ui u;
	FILE *out, *in;
	double t0, open, d, worst, *all;
	size_t at[7], n, worstat;
	char err[512], worstkey[8];
	int i, k, np, nall;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: latency TRACE [POLICY [POLICY]]\n");
		return 2;
	}
	np = argc > 2 ? argc - 2 : 1;
	p[0] = policyfind(argc > 2 ? argv[2] : "plan9");
	p[1] = argc > 3 ? policyfind(argv[3]) : NULL;
	if (p[0] == NULL || (argc > 3 && p[1] == NULL)) {
		fprintf(stderr, "latency: no such policy\n");
		return 2;
	}
	setenv("LINES", "60", 1);
	setenv("COLUMNS", "200", 1);
	if (getenv("TERM") == NULL)
		setenv("TERM", "xterm-256color", 1);
	t0 = now();
	if (timeline_load(&t, argv[1], p, np, &o, &vs, tl, NULL, err,
	    sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	open = now() - t0;
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	ui_open(&u, &t, &vs, p[0], p[1], tl, &o, 0);
	if (out == NULL || in == NULL || ui_termup(&u, out, in) < 0)
		return 2;
	ui_seek(&u, 0);
	ui_draw(&u);
	n = t.nev;
	if (getenv("LATENCY_SLOW") != NULL)
		for (i = 0; i < np; i++)
			fprintf(stderr, "pane %d: %zu checkpoints, every %zu "
			    "events, %zu bytes\n", i, tl[i].ncp, tl[i].interval,
			    tl[i].cpbytes);
	at[0] = 0;
	at[1] = n / 3;
	at[2] = n / 2 + 123;
	at[3] = 7 * n / 10 + 77;
	at[4] = n > 0 ? n - 1 : 0;
	at[5] = n;
	at[6] = n / 10;
	/*
	 * A search for an id no event has: n and N look at every event;
	 * or, LATENCY_SEARCH, one given (the first n finds the events of
	 * every id that holds it).
	 */
	snprintf(u.search, sizeof u.search, "%s", getenv("LATENCY_SEARCH") ?
	    getenv("LATENCY_SEARCH") : "no-such-id");
	all = calloc(7 * (sizeof keys + 1), sizeof *all);
	nall = 0;
	worst = 0;
	worstat = 0;
	strcpy(worstkey, "-");
	for (i = 0; i < 7; i++) {
		/* the jump there, as ':' does it */
		t0 = now();
		ui_seek(&u, at[i]);
		ui_draw(&u);
		doupdate();
		d = (now() - t0) * 1000;
		all[nall++] = d;
		if (d > worst) {
			worst = d;
			worstat = at[i];
			strcpy(worstkey, ":");
		}
		for (k = 0; keys[k] != '\0'; k++) {
			t0 = now();
			ui_key(&u, (unsigned char)keys[k]);
			ui_draw(&u);
			doupdate();
			d = (now() - t0) * 1000;
			all[nall++] = d;
			if (d > 10 && getenv("LATENCY_SLOW") != NULL)
				fprintf(stderr, "%c@%zu %.1f ms\n", keys[k],
				    at[i], d);
			if (d > worst) {
				worst = d;
				worstat = at[i];
				snprintf(worstkey, sizeof worstkey, "%c",
				    keys[k]);
			}
			/* back where it was, the help and the info closed */
			u.help = u.about = 0;
			u.msg[0] = '\0';
			if (u.pos != at[i])
				ui_seek(&u, at[i]);
		}
	}
	qsort(all, nall, sizeof *all, bymag);
	getrusage(RUSAGE_SELF, &ru);
	endwin();
	printf("%.3f %.2f %.2f %ld %s@%zu\n", open, all[nall / 2], worst,
	    ru.ru_maxrss, worstkey, worstat);
	ui_close(&u);
	trace_free(&t);
	vstore_free(&vs);
	free(all);
	return 0;
}
