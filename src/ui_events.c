/*
 * The view's text panes: the events around the cursor with their
 * results, the measures of the current state with a history line, the
 * status line, the help screen, and the explanation of a panic from the
 * state just before it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "measure.h"
#include "ui.h"
#include "util.h"


/* The colour pair of a result. */
int
ui_resultpair(int kind)
{
	switch (kind) {
	case Rok:
		return Cok;
	case Rfail:
	case Rrefused:
		return Cfail;
	case Rpanic:
	case Rcrash:
	case Rhang:
		return Cpanic;
	default:
		return Cdim;
	}
}

/* The table's heading, its event numbers sw columns wide. */
/* The pa column: ten, or the widest pa past 4G's digits and 0x. */
static int
pawidth(const struct ui *u)
{
	return u->vs->pawide ? u->vs->pawide + 2 : 10;
}

static void
eventshead(struct ui *u, int y, int x, int w, int sw)
{
	char line[512];

	attron(ui_attr(u, Cheader));
	if (u->npane == 1)
		snprintf(line, sizeof line, "%*s  %-6s  %-12s  %-*s  %-6s  %s",
		    sw, "seq", "op", "id", pawidth(u), "pa", "size", "result");
	else
		snprintf(line, sizeof line, "%*s  %-6s  %-12s  %-6s  %-11s  %s",
		    sw, "seq", "op", "id", "size",
		    policyat(u->pane[0].pidx)->name,
		    policyat(u->pane[1].pidx)->name);
	mvprintw(y, x, "%-*.*s", w, w, line);
	attroff(ui_attr(u, Cheader));
}

/* Event i's row at y: its own columns, each pane's result, its words. */
static void
eventrow(struct ui *u, size_t i, int y, int x, int w, int sw)
{
	const struct event *e;
	const struct result *r;
	struct event eb;
	struct result rb;
	char line[512], b[24], sz[24], pa[24], msg[PANICLEN];
	int j, n, attr;

	move(y, x);
	clrtoeol();
	if (i >= u->t->nev)
		return;
	e = vstore_event(u->vs, i, &eb);
	strcpy(pa, "-");
	strcpy(sz, "-");
	if (e->op == OPvmap)
		snprintf(pa, sizeof pa, "0x%.8llx",
		    (unsigned long long)e->pa);
	/* a vunmap, the size it unmapped, as replay shows it */
	if (e->op == OPvmap)
		fmtbytes(sz, sizeof sz, e->size);
	else if (e->op == OPvunmap && timeline_result(
	    &u->pane[u->focus].tl, i, &rb)->size != 0)
		fmtbytes(sz, sizeof sz, rb.size);
	attr = 0;
	if (i + 1 == u->pos)
		attr = ui_attr(u, Ccurrent);
	else if (i >= u->pos)
		attr = ui_attr(u, Cdim);
	attron(attr);
	if (u->npane == 1)
		n = snprintf(line, sizeof line, "%*zu  %-6s  %-12.12s  "
		    "%-*s  %-6s  ", sw, i + 1, opnames[e->op],
		    e->id ? e->id : "-", pawidth(u), pa, sz);
	else
		n = snprintf(line, sizeof line, "%*zu  %-6s  %-12.12s  "
		    "%-6s  ", sw, i + 1, opnames[e->op], e->id ? e->id : "-",
		    sz);
	addnstr(line, w);
	attroff(attr);
	for (j = 0; j < u->npane && n < w; j++) {
		r = timeline_result(&u->pane[j].tl, i, &rb);
		attron(attr | (i < u->pos ? ui_attr(u,
		    ui_resultpair(r->kind)) : 0));
		snprintf(line, sizeof line, "%-11s  ",
		    replay_cell(b, sizeof b, e->op, r->kind, r->va));
		addnstr(line, w - n);
		n += strlen(line);
		attroff(attr | (i < u->pos ? ui_attr(u,
		    ui_resultpair(r->kind)) : 0));
	}
	attron(attr);
	line[0] = '\0';
	if (ui_diverges(u, i))
		strcat(line, u->utf8 ? "\u2260 " : "<> ");
	r = timeline_result(&u->pane[u->focus].tl, i, &rb);
	if (r->panic != NULL)
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "%s ", replay_panicmsg(msg, sizeof msg,
		    &u->pane[u->focus].tl.full, r));
	if (e->text != NULL)
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "%s ", e->text);
	if (e->note != NULL)
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "# %s", e->note);
	if (n < w)
		addnstr(line, w - n);
	attroff(attr);
}

/*
 * The events around the cursor in the box at (y, x), h rows, w wide.
 * Events not yet run are dim; the last one run is the current one.
 */
void
ui_events_draw(struct ui *u, int y, int x, int h, int w)
{
	size_t first, i;
	int row, sw;

	/* the event numbers as wide as the trace's last */
	for (sw = 1, i = u->t->nev; i >= 10; i /= 10)
		sw++;
	if (sw < 5)
		sw = 5;
	eventshead(u, y, x, w, sw);
	h--;
	y++;
	if (h <= 0)
		return;
	first = u->pos > (size_t)h / 3 ? u->pos - h / 3 : 0;
	if (first > 0)
		first--;
	/* near the end, earlier events fill the rows, not blanks */
	if (first + h > u->t->nev)
		first = u->t->nev > (size_t)h ? u->t->nev - h : 0;
	for (row = 0, i = first; row < h; row++, i++)
		eventrow(u, i, y + row, x, w, sw);
}

/* A history line of h in w columns: per column, the lowest (or with
 * hi, the highest) value of its events, scaled to max. */
static void
spark(struct ui *u, const struct hist *h, uint32_t max, int hi, size_t cur,
    int w)
{
	static const char *const bars[] = {
		"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
		"\u2587", "\u2588"
	};
	static const char ascii[] = "_.-=+*#@";
	uint32_t best;
	int c, lvl;
	size_t a, b, n;

	n = h->n;
	if (n == 0 || w <= 0 || max == 0)
		return;
	for (c = 0; c < w; c++) {
		if (hist_column(h, c, w, hi, &best) < 0)
			break;
		a = (size_t)c * n / w;
		b = (size_t)(c + 1) * n / w;
		if (b <= a)
			b = a + 1;
		lvl = (int)((uint64_t)best * 7 / max);
		if (lvl > 7)
			lvl = 7;
		if (cur >= a && cur < b)
			attron(A_REVERSE);
		if (u->utf8)
			addstr(bars[lvl]);
		else
			addch(ascii[lvl]);
		if (cur >= a && cur < b)
			attroff(A_REVERSE);
	}
}

/* The measures of pane p's current state in the box at (y, x). */
void
ui_measures_draw(struct ui *u, struct pane *p, int y, int x, int h, int w)
{
	char lines[24][96], line[160];
	int i, n, row, np;
	uint32_t top;
	Stats s;

	replay_measure(&p->tl.cur, &s);
	np = vpdbsize(&p->tl.cur.m);
	n = measure_viewlines(lines, h < 24 ? h : 24, &p->tl.cur, &s);
	/* each line cut at the box's edge, never wrapped into the next */
	for (row = 0, i = 0; i < n; i++, row++) {
		move(y + row, x);
		clrtoeol();
		mvaddnstr(y + row, x, lines[i], w);
	}
	top = (uint32_t)np * WD2PG;
	if (top > MAXVMAPPAGES)
		top = MAXVMAPPAGES;
	/* a history's title only where its line fits under it */
	if (row + 1 < h) {
		snprintf(line, sizeof line, "largest vmap (%s) over time:",
		    policyat(p->pidx)->name);
		move(y + row, x);
		clrtoeol();
		mvaddnstr(y + row, x, line, w);
		row++;
		move(y + row, x);
		clrtoeol();
		spark(u, &p->tl.full.hist[Hlargest], top, 0, u->pos, w - 1);
		row++;
	}
	if (row + 1 < h) {
		move(y + row, x);
		clrtoeol();
		mvaddnstr(y + row, x, "stale tables over time:", w);
		row++;
		move(y + row, x);
		clrtoeol();
		spark(u, &p->tl.full.hist[Hstale], np, 1, u->pos, w - 1);
		row++;
	}
}

/* The status line: trace, policies, kernel, PSE, event, play state. */
void
ui_status_draw(struct ui *u)
{
	char line[4][1024], pol[64], play[64], ev[96];
	const char *s;
	const Mmu *m;
	size_t by;
	int k, n, full;

	m = &u->pane[0].tl.cur.m;
	if (u->npane == 1)
		snprintf(pol, sizeof pol, "%s", policyat(u->pane[0].pidx)->name);
	else
		snprintf(pol, sizeof pol, "%s | %s", policyat(u->pane[0].pidx)->name,
		    policyat(u->pane[1].pidx)->name);
	/* while the trace is read: how far, instead of the play state */
	if (u->ld != NULL) {
		by = __atomic_load_n(&u->lw.bytes, __ATOMIC_RELAXED);
		if (u->loadsize > 0)
			snprintf(play, sizeof play, "reading %d%%",
			    (int)(100.0 * by / u->loadsize));
		else
			snprintf(play, sizeof play, "reading");
	} else
		snprintf(play, sizeof play, "%s %d/s", u->playing ? "playing" :
		    "paused", u->speed);

	snprintf(ev, sizeof ev, "event %zu/%zu", u->pos, u->t->nev);
	/* the quiz's score stays beside the event, a message or not */
	if (u->quiz)
		snprintf(ev + strlen(ev), sizeof ev - strlen(ev), " | quiz "
		    "%d%s of %d", u->quizpts / 2, u->quizpts % 2 ? ".5" : "",
		    u->quizn);
	attron(A_REVERSE);
	/*
	 * A message has the line to itself, till the next key, and the
	 * line above when it needs it: said whole, never cut.
	 */
	if (u->msg[0] != '\0') {
		snprintf(line[0], sizeof line[0], " %s | %s", ev, u->msg);
		/* in the quiz, its score too, wrapped with the message */
		full = u->quiz || ui_textwidth(line[0]) <= COLS;
		s = full ? line[0] : u->msg;
		n = 0;
		for (k = 0; (s = wrapnext(s, COLS - 1, &n)) != NULL; s += n)
			k++;
		s = full ? line[0] : u->msg;
		for (k = LINES - k; (s = wrapnext(s, COLS - 1, &n)) != NULL;
		    s += n, k++) {
			snprintf(line[1], sizeof line[1], " %.*s", n, s);
			mvprintw(k, 0, "%-*.*s", COLS, COLS, line[1]);
		}
		attroff(A_REVERSE);
		return;
	}
	/* the whole line where it fits, else the parts that matter most */
	snprintf(line[0], sizeof line[0], " %s | %s | %s | PSE %s | %s | %s | "
	    "? help  q quit", trace_name(u->t), pol, kernelnames[m->kernel],
	    m->pse ? "on" : "off", ev, play);
	snprintf(line[1], sizeof line[1], " %s | %s | %s | %s | ? help",
	    trace_name(u->t), pol, ev, play);
	snprintf(line[2], sizeof line[2], " %s | %s | %s | ? help", pol, ev,
	    play);
	snprintf(line[3], sizeof line[3], " %s | %s", ev, play);
	for (k = 0; k < 3 && ui_textwidth(line[k]) > COLS; k++)
		;
	mvprintw(LINES - 1, 0, "%-*.*s", COLS, COLS, line[k]);
	attroff(A_REVERSE);
}

/*
 * What pane p says now, into *w: its probe, while one is shown; else
 * the current event with its result and reason; for an event its
 * halted kernel did not run, the panic that halted it.
 */
void
ui_words(const struct ui *u, const struct pane *p, struct paneword *w)
{
	const struct replay *rp;
	const struct event *e;
	const struct result *r;
	struct event eb, pe;
	struct result rb;
	char a[480], b[24];
	size_t i, at;

	rp = &p->tl.full;
	w->why.code = RSnone;
	w->panic = NULL;
	w->pair = Cdim;
	if (p->probing) {
		snprintf(w->text, sizeof w->text, "probe: vmap(0x%.8llx, %s) %s",
		    (unsigned long long)p->probe.ev.pa,
		    fmtbytes(b, sizeof b, p->probe.ev.size),
		    replay_answer(a, sizeof a, &p->tl.cur, &p->probe.ev,
		    &p->probe.r, u->pos));
		if (p->probe.r.kind != Rnotrun)
			replay_reason(&p->tl.cur, &p->probe.ev, &p->probe.r,
			    &w->why);
		w->panic = p->probe.r.panic;
		w->pair = ui_resultpair(p->probe.r.kind);
		return;
	}
	if (u->pos == 0) {
		snprintf(w->text, sizeof w->text, "before the first event "
		    "(i: about this trace)");
		return;
	}
	i = u->pos - 1;
	e = vstore_event(u->vs, i, &eb);
	r = timeline_result(&p->tl, i, &rb);
	if (r->kind == Rnotrun) {
		/* the panic that halted it: the last before it */
		for (at = p->tl.npan; at > 0 && p->tl.pan[at - 1].i > i; at--)
			;
		at = at > 0 ? p->tl.pan[at - 1].i + 1 : 0;
		if (at > 0) {
			r = timeline_result(&p->tl, at - 1, &rb);
			vstore_event(u->vs, at - 1, &pe);
			snprintf(w->text, sizeof w->text, "event %zu not run: the "
			    "kernel panicked at event %zu, %s", u->pos, at,
			    replay_answer(a, sizeof a, rp, &pe, r, at - 1));
			replay_reason(rp, &pe, r, &w->why);
			w->panic = r->panic;
			w->pair = Cpanic;
			return;
		}
	}
	if (e->op == OPnote) {
		snprintf(w->text, sizeof w->text, "event %zu, a note: %s", u->pos,
		    e->text ? e->text : "");
		return;
	}
	snprintf(w->text, sizeof w->text, "event %zu, %s%s%s %s", u->pos,
	    opnames[e->op], e->id ? " " : "", e->id ? e->id : "",
	    replay_answer(a, sizeof a, rp, e, r, i));
	replay_reason(rp, e, r, &w->why);
	w->panic = r->panic;
	w->pair = ui_resultpair(r->kind);
}

/*
 * w's text wrapped in the box at (y, x), h rows, width columns; with h
 * 0, only counted.  Returns the rows it needs.
 */
int
ui_words_draw(struct ui *u, const struct paneword *w, int y, int x, int h,
    int width)
{
	const char *s;
	int n, row;

	row = 0;
	for (s = w->text; (s = wrapnext(s, width, &n)) != NULL; s += n) {
		if (row < h) {
			move(y + row, x);
			attron(row == 0 ? ui_attr(u, w->pair) : 0);
			addnstr(s, n);
			attroff(row == 0 ? ui_attr(u, w->pair) : 0);
		}
		row++;
	}
	return row;
}
