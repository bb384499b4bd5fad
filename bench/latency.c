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

/* Each key and jump timed, in milliseconds, and the worst of them. */
struct timing {
	double	*all;
	int	 n;
	double	 worst;
	size_t	 worstat;
	char	 worstkey[8];
};

/* Note d, the time of key (a name) at event at. */
static void
timed(struct timing *tm, double d, size_t at, const char *key)
{
	tm->all[tm->n++] = d;
	if (d > tm->worst) {
		tm->worst = d;
		tm->worstat = at;
		snprintf(tm->worstkey, sizeof tm->worstkey, "%s", key);
	}
}

/* Jump to event at as ':' does, then press each key there, timed. */
static void
keysat(struct ui *u, const char *keys, size_t at, struct timing *tm)
{
	char name[2];
	double t0, d;
	int k;

	t0 = now();
	ui_seek(u, at);
	ui_draw(u);
	doupdate();
	timed(tm, (now() - t0) * 1000, at, ":");
	for (k = 0; keys[k] != '\0'; k++) {
		t0 = now();
		ui_key(u, (unsigned char)keys[k]);
		ui_draw(u);
		doupdate();
		d = (now() - t0) * 1000;
		if (d > 10 && getenv("LATENCY_SLOW") != NULL)
			fprintf(stderr, "%c@%zu %.1f ms\n", keys[k], at, d);
		name[0] = keys[k];
		name[1] = '\0';
		timed(tm, d, at, name);
		/* back where it was, the help and the info closed */
		u->help = u->about = 0;
		u->msg[0] = '\0';
		if (u->pos != at)
			ui_seek(u, at);
	}
}

/* The events the keys are pressed at, across a trace of n. */
static void
spots(size_t at[7], size_t n)
{
	at[0] = 0;
	at[1] = n / 3;
	at[2] = n / 2 + 123;
	at[3] = 7 * n / 10 + 77;
	at[4] = n > 0 ? n - 1 : 0;
	at[5] = n;
	at[6] = n / 10;
}

int
main(int argc, char **argv)
{
	/* each a key, and the key that undoes it where it moves the cursor */
	static const char keys[] = "jkGgfFnNlLhHi?";
	struct replayopts o = { .kernel = -1, .pse = -1 };
	struct timing tm;
	struct timeline tl[2];
	struct vstore vs;
	struct rusage ru;
	const Policy *p[2];
	struct trace t;
	struct ui u;
	FILE *out, *in;
	double t0, open;
	size_t at[7], n;
	char err[512];
	int i, np;

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
	spots(at, n);
	/*
	 * A search for an id no event has: n and N look at every event;
	 * or, LATENCY_SEARCH, one given (the first n finds the events of
	 * every id that holds it).
	 */
	snprintf(u.search, sizeof u.search, "%s", getenv("LATENCY_SEARCH") ?
	    getenv("LATENCY_SEARCH") : "no-such-id");
	memset(&tm, 0, sizeof tm);
	tm.all = calloc(7 * (sizeof keys + 1), sizeof *tm.all);
	strcpy(tm.worstkey, "-");
	for (i = 0; i < 7; i++)
		keysat(&u, keys, at[i], &tm);
	qsort(tm.all, tm.n, sizeof *tm.all, bymag);
	getrusage(RUSAGE_SELF, &ru);
	endwin();
	printf("%.3f %.2f %.2f %ld %s@%zu\n", open, tm.all[tm.n / 2],
	    tm.worst, ru.ru_maxrss, tm.worstkey, tm.worstat);
	ui_close(&u);
	trace_free(&t);
	vstore_free(&vs);
	free(tm.all);
	return 0;
}
