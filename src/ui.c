/*
 * The interactive view's frame: its panes and where they stand, the
 * searches, the layout drawn, and the loop that takes a key and does
 * it.  The terminal, the keys and the saved screen are ui_term.c's; the
 * terminal is restored on quit, on SIGINT, SIGTERM and SIGHUP, and
 * before a fatal error.
 */
#include <sys/stat.h>

#include <errno.h>
#include <langinfo.h>
#include <pthread.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <wchar.h>

#include <curses.h>
#include <term.h>

#include "quiz.h"
#include "ui.h"
#include "util.h"

/*
 * The curses attributes of colour pair c: the pair where there is
 * colour, else an attribute that tells the same apart.
 */
int
ui_attr(const struct ui *u, int c)
{
	static const int mono[Ncolour] = {
		[Cblank] = A_DIM, [Cbig] = A_BOLD, [Ctable] = A_NORMAL,
		[Cstale] = A_REVERSE | A_BOLD, [Cok] = A_NORMAL,
		[Cfail] = A_BOLD, [Cpanic] = A_BOLD | A_REVERSE,
		[Cdim] = A_DIM, [Cheader] = A_BOLD, [Ccurrent] = A_REVERSE
	};

	if (!u->colour)
		return mono[c];
	switch (c) {
	case Cstale:
	case Cpanic:
		return COLOR_PAIR(c) | A_BOLD;
	case Cheader:
		return COLOR_PAIR(c) | A_BOLD;
	case Ccurrent:
		return A_REVERSE;
	case Cdim:
		return A_DIM;
	default:
		return COLOR_PAIR(c);
	}
}

/* The columns s takes on the terminal (its bytes, if not text here). */
int
ui_textwidth(const char *s)
{
	wchar_t ws[512];
	size_t n;
	int w;

	n = mbstowcs(ws, s, sizeof ws / sizeof ws[0] - 1);
	if (n == (size_t)-1)
		return strlen(s);
	ws[n] = L'\0';
	w = wcswidth(ws, n);
	return w < 0 ? (int)n : w;
}

/*
 * Text at (y, x), at most w characters of it (not bytes: the glyphs of
 * the map are several bytes in UTF-8).
 */
void
ui_addtext(int y, int x, const char *s, int w)
{
	wchar_t ws[512];
	size_t n;

	n = mbstowcs(ws, s, sizeof ws / sizeof ws[0] - 1);
	if (n == (size_t)-1) {
		mvaddnstr(y, x, s, w);
		return;
	}
	ws[n] = L'\0';
	mvaddnwstr(y, x, ws, w);
}

/* Move every pane to the state after n events. */
void
ui_seek(struct ui *u, size_t n)
{
	struct pane *p;
	int j;

	if (n > u->t->nev)
		n = u->t->nev;
	u->pos = n;
	for (j = 0; j < u->npane; j++) {
		p = &u->pane[j];
		timeline_seek(&p->tl, n);
		p->probing = 0;
		p->live = p->tl.live.v;
		p->nlive = p->tl.live.n;
	}
}

/*
 * Open pane j under policy p at the current event: the whole trace
 * replayed under p.  Past a fifth of a second the status line says how
 * far it has come, four times a second.  q or Esc, typed at any time
 * (ahead too), stops it, the pane left as it was.  Returns 0, or -1
 * when stopped.
 */
int
ui_openpane(struct ui *u, int j, const Policy *p)
{
	struct timeline tl;
	struct pane *pn;
	double t0, t, shown;
	size_t n;

	n = u->vs->n;
	timeline_begin(&tl, u->vs, u->t, p, &u->ro, n);
	t0 = shown = monotime();
	while (tl.full.pos < n) {
		timeline_add(&tl);
		if (tl.full.pos % 4096 != 0)
			continue;
		if ((t = monotime()) - t0 >= 0.2 && t - shown >= 0.25) {
			snprintf(u->msg, sizeof u->msg, "replaying under %s: "
			    "event %zu of %zu (%d%%), q stops", p->name,
			    tl.full.pos, n, (int)(100.0 * tl.full.pos / n));
			ui_draw(u);
			shown = monotime();
		}
		if (ui_stopkey()) {
			timeline_end(&tl);
			timeline_free(&tl);
			snprintf(u->msg, sizeof u->msg, "stopped: %s not "
			    "replayed; the pane is as it was", p->name);
			return -1;
		}
	}
	timeline_end(&tl);
	u->msg[0] = '\0';
	pn = &u->pane[j];
	if (pn->tl.cp != NULL) {
		timeline_free(&pn->tl);
		pn->live = NULL;
		pn->nlive = 0;
	}
	pn->tl = tl;
	timeline_moved(&pn->tl);
	pn->pidx = policyindex(p);
	return 0;
}

#define BIT(a, i)	((a)[(i) / 8] >> ((i) % 8) & 1)

/* Whether the panes' results of event index i differ. */
int
ui_diverges(const struct ui *u, size_t i)
{
	return u->diverge != NULL && BIT(u->diverge, i);
}

/*
 * Mark the events where the two panes' results differ: those run since
 * the last time (a trace still being read grows), or, with again, all.
 */
static void
divergemore(struct ui *u, int again)
{
	const struct timeline *x, *y;
	struct result a, b;
	struct event e;
	size_t i, n;

	if (again || u->npane < 2) {
		free(u->diverge);
		u->diverge = NULL;
		u->ndiv = 0;
	}
	if (u->npane < 2)
		return;
	x = &u->pane[0].tl;
	y = &u->pane[1].tl;
	n = u->t->nev;
	u->diverge = xreallocarray(u->diverge, n / 8 + 1, 1);
	memset(u->diverge + u->ndiv / 8, 0, n / 8 + 1 - u->ndiv / 8);
	memset(&e, 0, sizeof e);
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	/* from the start of the byte the last one ended in */
	for (i = u->ndiv / 8 * 8; i < n; i++) {
		e.op = u->vs->ev[i].op;
		a.kind = x->kx[i] & 0xf;
		b.kind = y->kx[i] & 0xf;
		a.va = x->va[i];
		b.va = y->va[i];
		if (replay_differ(&e, &a, &b))
			u->diverge[i / 8] |= 1 << (i % 8);
	}
	u->ndiv = n;
}

void
ui_divergence(struct ui *u)
{
	divergemore(u, 1);
}

/* The events whose ids hold the search, a bit each (vstore_search). */
static void
searchids(struct ui *u)
{
	free(u->match);
	u->match = xcalloc(u->vs->n / 8 + 1, 1);
	snprintf(u->matched, sizeof u->matched, "%s", u->search);
	vstore_search(u->vs, u->search, u->match);
}

/*
 * The first event index from i on (dir 1), or before i (-1), whose bit
 * is set in bits (n events, n/8+1 bytes); or -1.  Words of none, then
 * bytes of none, are skipped whole: a search that finds nothing in
 * 100M events reads 12.5 MB a word at a time.
 */
static long
nextbit(const uint8_t *bits, size_t n, size_t i, int dir)
{
	uint64_t w;

	if (dir > 0) {
		while (i < n) {
			if (i % 64 == 0 && i + 64 <= n) {
				memcpy(&w, bits + i / 8, sizeof w);
				if (w == 0) {
					i += 64;
					continue;
				}
			}
			if (i % 8 == 0 && bits[i / 8] == 0) {
				i += 8;
				continue;
			}
			if (BIT(bits, i))
				return i;
			i++;
		}
		return -1;
	}
	if (i > n)
		i = n;
	while (i > 0) {
		if (i % 64 == 0) {
			memcpy(&w, bits + i / 8 - sizeof w, sizeof w);
			if (w == 0) {
				i -= 64;
				continue;
			}
		}
		if (i % 8 == 0 && bits[i / 8 - 1] == 0) {
			i -= 8;
			continue;
		}
		i--;
		if (BIT(bits, i))
			return i;
	}
	return -1;
}

/*
 * The event index of tl's next failure, refusal or panic after the
 * first pos events (dir 1), or the last before event pos (-1), of n;
 * or -1.  They are the events tl keeps a reason for, in order: a
 * search of that table, not of every event (a trace of 100M events
 * holds few of them).
 */
static long
nextfail(const struct timeline *tl, size_t pos, size_t n, int dir)
{
	size_t lo, hi, mid;

	lo = 0;
	hi = tl->nwhy;
	while (lo < hi) {	/* the first with an index of pos or more */
		mid = lo + (hi - lo) / 2;
		if (tl->why[mid].i < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (dir > 0)
		return lo < tl->nwhy && tl->why[lo].i < n ?
		    (long)tl->why[lo].i : -1;
	/* the last before the event at the cursor, index pos-1 */
	while (lo > 0 && tl->why[lo - 1].i + 1 >= pos)
		lo--;
	return lo > 0 ? (long)tl->why[lo - 1].i : -1;
}

/*
 * Go to the next event (dir 1) or previous (-1) from the cursor that
 * matches what: 'f' a failure or panic, 'd' a divergence, '/' the
 * search.  Returns 0, or -1 with a message when there is none.
 */
int
ui_find(struct ui *u, int dir, int what)
{
	size_t i;
	long k;

	/* the current event is index pos-1; look from the one beside it */
	if (what != 'f') {
		if (what == '/' && (u->match == NULL ||
		    strcmp(u->matched, u->search) != 0))
			searchids(u);
		k = -1;
		if (what == '/' || u->diverge != NULL)
			k = nextbit(what == '/' ? u->match : u->diverge,
			    u->t->nev, dir > 0 ? u->pos : (u->pos > 0 ?
			    u->pos - 1 : 0), dir);
		if (k >= 0) {
			ui_seek(u, k + 1);
			return 0;
		}
		/* a search goes on from the other end, as less's does */
		if (what == '/') {
			k = nextbit(u->match, u->t->nev, dir > 0 ? 0 :
			    u->t->nev, dir);
			if (k < 0) {
				snprintf(u->msg, sizeof u->msg, "no id in the "
				    "trace%s holds '%s'", u->ld != NULL ?
				    " (read so far)" : "", u->search);
				return -1;
			}
			ui_seek(u, k + 1);
			snprintf(u->msg, sizeof u->msg, "/%s: on from the %s "
			    "(event %ld)", u->search, dir > 0 ? "start" :
			    "end", k + 1);
			return 0;
		}
	} else if ((k = nextfail(&u->pane[u->focus].tl, u->pos, u->t->nev,
	    dir)) >= 0) {
		ui_seek(u, k + 1);
		return 0;
	}
	if (what == 'f' && u->npane > 1) {
		/* say whose: the focused pane's, and where the other's is */
		k = nextfail(&u->pane[!u->focus].tl, u->pos, u->t->nev, dir);
		i = snprintf(u->msg, sizeof u->msg, "in %s: no failure or panic "
		    "%s event %zu", policyat(u->pane[u->focus].pidx)->name,
		    dir > 0 ? "after" : "before", u->pos);
		if (k >= 0 && i < sizeof u->msg)
			snprintf(u->msg + i, sizeof u->msg - i, " (%s %s at %ld)",
			    policyat(u->pane[!u->focus].pidx)->name,
			    RSTOPS(u->pane[!u->focus].tl.kx[k] & 0xf) ?
			    "panics" : "fails", k + 1);
		return -1;
	}
	snprintf(u->msg, sizeof u->msg, "no %s %s", what == 'f' ?
	    "failure or panic" : what == 'd' ? "divergence" : "match",
	    dir > 0 ? "after this event" : "before this event");
	return -1;
}

/*
 * The screens that are not the map: the terminal too small, the help,
 * the trace's description, the zoom.  Returns 1 when one was drawn.
 */
static int
otherscreen(struct ui *u)
{
	int needw, needh;

	needw = u->npane == 1 ? 60 : 72;
	needh = u->npane == 1 ? 16 : 20;
	if (COLS < needw || LINES < needh) {
		mvprintw(0, 0, "The terminal is too small: %dx%d.", COLS, LINES);
		mvprintw(1, 0, "vmapview needs at least %dx%d here.", needw,
		    needh);
		mvprintw(2, 0, "Enlarge it, or press q to quit.");
		return 1;
	}
	if (u->help) {
		ui_help_draw(u);
		return 1;
	}
	if (u->about) {
		ui_about_draw(u);
		return 1;
	}
	if (u->zoom) {
		ui_pd_zoom(u, &u->pane[u->focus], 0, 0, LINES - 1, COLS);
		ui_status_draw(u);
		return 1;
	}
	return 0;
}

/*
 * The map's rows, its width in *mapw (one pane), so that fixed rows
 * and whyh rows of reasons fit under it; the map shrinks first.
 */
static int
mapheight(struct ui *u, int pw, int fixed, int whyh, int *mapw)
{
	const Mmu *m;
	int lw, cpr, maph;

	m = &u->pane[u->focus].tl.cur.m;
	lw = ui_pd_labelw(m);
	if (u->npane == 1) {
		*mapw = COLS >= lw + 64 + 36 ? lw + 64 : lw + 32;
		cpr = *mapw == lw + 64 ? 16 : 8;
		maph = HOWMANY(vpdbsize(m), cpr) + 2;
		if (maph < 13)
			maph = 13;
		if (maph > LINES / 2)
			maph = LINES / 2;
	} else {
		/* as ui_pd_draw will lay it out: 16 cells a row if they fit */
		cpr = lw + 64 <= pw - 1 ? 16 : 8;
		maph = HOWMANY(vpdbsize(m), cpr) + 2;
		if (maph > LINES / 2 - 2)
			maph = LINES / 2 - 2;
	}
	/* the reasons first: the map shrinks to 3 rows, the events to 2 */
	if (fixed + maph + whyh + 4 > LINES) {
		maph = LINES - fixed - whyh - 4;
		if (maph < 3)
			maph = 3;
	}
	return maph;
}

/*
 * Draw the whole screen for the current layout: the map of each pane
 * with its measures, the legend, the selected PDE, what each pane says
 * of the current event (wrapped, never cut: the map and the events give
 * way to it), the events, the status line.
 */
void
ui_draw(struct ui *u)
{
	struct pane *p;
	struct paneword w[UIMAXPANE];
	int maph, mapw, y, j, pw, whyh, k, fixed, mh;

	erase();
	if (otherscreen(u)) {
		refresh();
		return;
	}
	p = &u->pane[u->focus];
	pw = u->npane == 1 ? COLS : COLS / 2;
	whyh = 0;
	for (j = 0; j < u->npane; j++) {
		ui_words(u, &u->pane[j], &w[j]);
		if ((k = ui_words_draw(u, &w[j], 0, 0, 0, pw - 1)) > whyh)
			whyh = k;
	}
	/* the legend, the PDE's line and the status; two measures a pane */
	fixed = 3 + (u->npane == 1 ? 0 : 2);
	mapw = 0;
	maph = mapheight(u, pw, fixed, whyh, &mapw);
	if (u->npane == 1) {
		ui_pd_draw(u, p, 0, 0, maph, mapw);
		ui_measures_draw(u, p, 1, mapw + 2, maph - 1, COLS - mapw - 2);
		y = maph;
	} else {
		/*
		 * Two measures a pane at least; on a tall terminal, up to
		 * all of them and their histories, while the events keep
		 * ten rows.
		 */
		mh = 2;
		k = LINES - (fixed + maph + whyh + 1 + 10);
		if (k > 0)
			mh += k > 10 ? 10 : k;
		for (j = 0; j < 2; j++) {
			ui_pd_draw(u, &u->pane[j], 0, j * pw, maph, pw - 1);
			ui_measures_draw(u, &u->pane[j], maph, j * pw, mh,
			    pw - 1);
		}
		y = maph + mh;
	}
	ui_pd_legend(u, y++, 0, COLS);
	ui_pd_info(u, p, y++, 0, COLS);
	for (j = 0; j < u->npane; j++)
		ui_words_draw(u, &w[j], y, j * pw, LINES - 1 - y, pw - 1);
	y += whyh;
	if (y < LINES - 1)
		ui_events_draw(u, y, 0, LINES - 1 - y, COLS);
	ui_status_draw(u);
	refresh();
}

/*
 * Play: from the event and the moment it began (or its speed last
 * changed), the cursor is where the speed says, events skipped on the
 * screen when they come faster than it is drawn (at most 50 times a
 * second): "1000/s" plays a thousand events a second.
 */
void
ui_playfrom(struct ui *u)
{
	u->playbase = u->pos;
	u->playstart = monotime();
}

/* The milliseconds till the next event is due, 20 at least. */
static int
playwait(const struct ui *u)
{
	double due;
	int ms;

	due = u->playstart + (double)(u->pos - u->playbase + 1) / u->speed;
	ms = (int)((due - monotime()) * 1000 + 0.5);
	return ms < 20 ? 20 : ms;
}

static void
playon(struct ui *u)
{
	size_t to;

	to = u->playbase + (size_t)((monotime() - u->playstart) * u->speed);
	if (to <= u->pos)
		to = u->pos + 1;
	if (to > u->t->nev)
		to = u->t->nev;
	/* the quiz: play stops before a vmap, for j to ask about it */
	if (u->quiz && (to = quiz_nextvmap(u->vs, u->pos, to)) == u->pos) {
		u->playing = 0;
		snprintf(u->msg, sizeof u->msg, "quiz: a vmap next; j asks "
		    "where it lands");
		return;
	}
	ui_seek(u, to);
}

/*
 * While the trace is read: take what has come, for a moment, and grow
 * the view with it; at the end of the reading, make the trace whole, or
 * keep its error and quit.
 */
static void
loadmore(struct ui *u)
{
	char err[512];

	if (timeline_loadsome(u->ld, 0.05)) {
		if (u->t->nev != u->ndiv)
			divergemore(u, 0);
		/* a search is made again on what is there now */
		free(u->match);
		u->match = NULL;
		return;
	}
	if (timeline_loadclose(u->ld, 0, u->whole, err, sizeof err) < 0) {
		u->ld = NULL;
		snprintf(u->loaderr, sizeof u->loaderr, "%s", err);
		u->quit = 1;
		return;
	}
	u->ld = NULL;
	u->t = u->whole;
	divergemore(u, 1);
	free(u->match);
	u->match = NULL;
}

/*
 * Draw, take a key, do it, until q, a signal, or the end of a --keys
 * script (whose screen is then saved).  While the trace is read, the
 * keys work on what has come, and the screen follows it.  Returns the
 * exit status.
 */
static int
loop(struct ui *u, const char *keys, const char *save)
{
	double drawn;
	int ch, redraw;

	redraw = 1;
	drawn = 0;
	while (!u->quit && !ui_caught()) {
		if (u->ld != NULL) {
			loadmore(u);
			if (u->quit)
				break;
			/* the screen follows the reading, four times a second */
			if (monotime() - drawn >= 0.25 || u->ld == NULL)
				redraw = 1;
		}
		if (redraw) {
			ui_draw(u);
			drawn = monotime();
		}
		redraw = 1;
		if (keys != NULL && ui_scriptdone() && save != NULL)
			return ui_savescreen(save) < 0 ? EXITUSAGE : EXITOK;
		ch = ui_nextkey(u->ld != NULL ? 0 : u->playing ? playwait(u) : -1);
		if (ui_caught())
			break;
		if (ch == ERR) {
			if (!u->playing)
				redraw = 0;
			else if (u->pos < u->t->nev)
				playon(u);
			else if (u->ld == NULL)
				u->playing = 0;
			continue;
		}
		if (ch == '\r')
			ch = '\n';
		ui_key(u, ch);
	}
	return 0;
}

/* The view's state but for its timelines. */
static void
setup(struct ui *u, const struct trace *t, const struct vstore *vs,
    const Policy *p1, const Policy *p2, const struct replayopts *ro,
    int ascii)
{
	int j;

	memset(u, 0, sizeof *u);
	u->t = t;
	u->vs = vs;
	u->ro = *ro;
	u->speed = 10;
	u->npane = p2 ? 2 : 1;
	for (j = 0; j < u->npane; j++)
		u->pane[j].pidx = policyindex(j ? p2 : p1);
	setlocale(LC_ALL, "");
	u->utf8 = !ascii && strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

/*
 * Make the view of t (its events in vs) under p1 (and p2 beside it, if
 * not nil), whose timelines ready holds (u takes them); ascii forces the ASCII glyphs.
 */
void
ui_open(struct ui *u, const struct trace *t, const struct vstore *vs,
    const Policy *p1, const Policy *p2, struct timeline *ready,
    const struct replayopts *ro, int ascii)
{
	int j;

	setup(u, t, vs, p1, p2, ro, ascii);
	for (j = 0; j < u->npane; j++) {
		u->pane[j].tl = ready[j];
		timeline_moved(&u->pane[j].tl);
	}
	ui_divergence(u);
}

/* Free what the view holds. */
void
ui_close(struct ui *u)
{
	int j;

	for (j = 0; j < UIMAXPANE; j++)
		if (u->pane[j].tl.cp != NULL)
			timeline_free(&u->pane[j].tl);
	free(u->diverge);
	free(u->match);
	memset(u, 0, sizeof *u);
}

/*
 * Run the view of t (its events in vs) under p1 (and p2 beside it, if
 * not nil), whose timelines ready holds.  keys and save are for tests; ascii forces the
 * ASCII glyphs.  Returns the exit status.
 */
int
ui_main(const struct trace *t, const struct vstore *vs, const Policy *p1,
    const Policy *p2, struct timeline *ready, const struct replayopts *ro,
    const char *keys, const char *save, int ascii)
{
	struct ui u;
	int status;

	ui_open(&u, t, vs, p1, p2, ready, ro, ascii);
	status = EXITUSAGE;
	if (ui_termup(&u, NULL, NULL) == 0) {
		ui_seek(&u, 0);
		status = loop(&u, keys, save);
	}
	ui_restore();
	fatalhook = NULL;
	ui_close(&u);
	ui_scriptfree();
	if (ui_caught()) {
		fprintf(stderr, "%s: %s\n", progname, strsignal(ui_caught()));
		return 128 + ui_caught();
	}
	return status;
}

/*
 * The view of the trace at path at a terminal, under the n policies p:
 * the screen at once, and the trace read while the keys work on what
 * has come (timeline_loadopen), into t and vs.  A trace that cannot be
 * read so is read first.  Returns the exit status; a trace with an
 * error says so after the terminal is given back, and exits 2.
 */
int
ui_view(const char *path, struct trace *t, struct vstore *vs,
    const Policy *const *p, int n, const struct replayopts *ro, int ascii)
{
	struct timeline *tls[UIMAXPANE], tl[UIMAXPANE];
	struct stat st;
	struct ui u;
	char err[512];
	int j, status;

	setup(&u, NULL, vs, p[0], n > 1 ? p[1] : NULL, ro, ascii);
	for (j = 0; j < n; j++)
		tls[j] = &u.pane[j].tl;
	u.whole = t;
	if ((u.ld = timeline_loadopen(path, p, n, ro, vs, tls,
	    &u.lw)) == NULL) {
		if (timeline_load(t, path, p, n, ro, vs, tl, NULL, err,
		    sizeof err) < 0) {
			fprintf(stderr, "%s\n", err);
			return EXITUSAGE;
		}
		status = ui_main(t, vs, p[0], n > 1 ? p[1] : NULL, tl, ro, NULL,
		    NULL, ascii);
		trace_free(t);
		vstore_free(vs);
		return status;
	}
	u.t = timeline_loadheader(u.ld);
	if (!timeline_loadready(u.ld)) {
		/* not one event came: the trace is bad, or has none */
		j = timeline_loadclose(u.ld, 0, t, err, sizeof err);
		u.ld = NULL;
		if (j < 0) {
			fprintf(stderr, "%s\n", err);
			vstore_free(vs);
			return EXITUSAGE;
		}
		u.t = t;
	}
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		u.loadsize = st.st_size;
	status = EXITUSAGE;
	if (ui_termup(&u, NULL, NULL) == 0) {
		divergemore(&u, 1);
		ui_seek(&u, 0);
		status = loop(&u, NULL, NULL);
	}
	if (u.ld != NULL) {
		/*
		 * Left before the end: the reading stops and what it made
		 * is gone; unless it ended just then, and all is whole.
		 */
		if (timeline_loadclose(u.ld, 1, t, err, sizeof err) < 0) {
			memset(u.pane, 0, sizeof u.pane);
			trace_init(t);
		}
		u.ld = NULL;
	}
	ui_restore();
	fatalhook = NULL;
	if (u.loaderr[0] != '\0') {
		fprintf(stderr, "%s\n", u.loaderr);
		status = EXITUSAGE;
		memset(u.pane, 0, sizeof u.pane);
	}
	ui_close(&u);
	trace_free(t);
	vstore_free(vs);
	if (ui_caught()) {
		fprintf(stderr, "%s: %s\n", progname, strsignal(ui_caught()));
		return 128 + ui_caught();
	}
	return status;
}
