/*
 * The view's keys: a table for each mode of what each key does and what
 * the help screen says of it (tmux's key tables): the view's own, the
 * zoom's, the help's and the trace's description's.  The help screen is
 * made from the view's table, and vmapview(1) is held to it
 * (tests/ui.sh), so a key and its help cannot drift apart.
 */
#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "shrink.h"
#include "quiz.h"
#include "ui.h"
#include "util.h"

#define KEYESC	27
#define KEYCTLL	12

/*
 * A row of a table: the keys, as the help names them, and the work;
 * UKwhole, it waits for the whole trace to be read.
 */
struct uikey {
	int		 ch[4];		/* the keys, 0-ended */
	const char	*name;
	const char	*help;
	void		(*fn)(struct ui *, int);
	int		 flags;
};

#define UKwhole	0x1

static void	 k_quit(struct ui *, int);
static void	 k_help(struct ui *, int);
static void	 k_step(struct ui *, int);
static void	 k_page(struct ui *, int);
static void	 k_ends(struct ui *, int);
static void	 k_goto(struct ui *, int);
static void	 k_play(struct ui *, int);
static void	 k_speed(struct ui *, int);
static void	 k_fail(struct ui *, int);
static void	 k_search(struct ui *, int);
static void	 k_next(struct ui *, int);
static void	 k_select(struct ui *, int);
static void	 k_row(struct ui *, int);
static void	 k_zoom(struct ui *, int);
static void	 k_compare(struct ui *, int);
static void	 k_focus(struct ui *, int);
static void	 k_policy(struct ui *, int);
static void	 k_diverge(struct ui *, int);
static void	 k_redraw(struct ui *, int);
static void	 k_probe(struct ui *, int);
static void	 k_about(struct ui *, int);
static void	 k_shrink(struct ui *, int);
static void	 k_escape(struct ui *, int);
static void	 k_close(struct ui *, int);
static void	 k_scroll(struct ui *, int);
static void	 k_quiz(struct ui *, int);

static const struct uikey keys[] = {
	{ { 'j', KEY_DOWN }, "j  Down", "step forward one event", k_step, 0 },
	{ { 'k', KEY_UP }, "k  Up", "step back one event", k_step, 0 },
	{ { KEY_NPAGE, KEY_PPAGE }, "PgDn PgUp", "ten events forward, back",
	  k_page, 0 },
	{ { 'g', KEY_HOME }, "g  Home", "the start (no event run)", k_ends, 0 },
	{ { 'G', KEY_END }, "G  End", "the end", k_ends, 0 },
	{ { ':' }, ":", "go to event N", k_goto, 0 },
	{ { ' ' }, "space", "play, pause", k_play, 0 },
	{ { '+', '=', '-' }, "+  -", "play faster, slower", k_speed, 0 },
	{ { 'f', 'F' }, "f  F", "next, previous failure or panic", k_fail, 0 },
	{ { '/' }, "/", "search by id", k_search, 0 },
	{ { 'n', 'N' }, "n  N", "next, previous match (no search: as f F)",
	  k_next, 0 },
	{ { 'h', KEY_LEFT }, "h  Left", "select the previous PDE", k_select, 0 },
	{ { 'l', KEY_RIGHT }, "l  Right", "select the next PDE", k_select, 0 },
	{ { 'H', 'L' }, "H  L", "select a row up, down", k_row, 0 },
	{ { '\n', '\r', KEY_ENTER }, "Enter",
	  "zoom into the selected PDE's page table", k_zoom, 0 },
	{ { KEYESC }, "Esc", "back from the zoom, a probe or this help",
	  k_escape, 0 },
	{ { 'c' }, "c", "compare: two policies side by side", k_compare,
	  UKwhole },
	{ { '\t' }, "Tab", "switch the pane that has the focus", k_focus, 0 },
	{ { 'p' }, "p", "next policy for the focused pane", k_policy,
	  UKwhole },
	{ { 'd', 'D' }, "d  D", "next, previous event where the panes differ",
	  k_diverge, 0 },
	{ { 'w' }, "w", "what if: where a vmap of a size (and pa) would land",
	  k_probe, 0 },
	{ { 'i' }, "i", "about this trace: its description and machine",
	  k_about, 0 },
	{ { 'S' }, "S", "shrink what goes wrong from here, and write it",
	  k_shrink, UKwhole },
	{ { 'Q' }, "Q", "quiz: j asks where each vmap lands before it runs",
	  k_quiz, 0 },
	{ { KEYCTLL }, "Ctrl-L", "redraw", k_redraw, 0 },
	{ { '?' }, "?", "this help", k_help, 0 },
	{ { 'q' }, "q", "quit (or close the zoom, this help)", k_quit, 0 },
};
#define NKEY	(sizeof keys / sizeof keys[0])

/* The zoom's: its own ways out, then the view's keys. */
static const struct uikey zoomkeys[] = {
	{ { KEYESC, 'q', '?', '\n' }, "Esc q ? Enter", "back to the map",
	  k_close, 0 },
	{ { KEY_ENTER }, "Enter", "back to the map", k_close, 0 },
	{ { 0 }, NULL, NULL, NULL, 0 }
};

/* The help's: scrolled as less does (a line, a page, its ends), left. */
static const struct uikey helpkeys[] = {
	{ { 'j', KEY_DOWN, 'k', KEY_UP }, "j k", "a line down, up", k_scroll, 0 },
	{ { ' ', KEY_NPAGE, 'b', KEY_PPAGE }, "space b", "a page down, up",
	  k_scroll, 0 },
	{ { 'g', KEY_HOME, 'G', KEY_END }, "g G", "the top, the end",
	  k_scroll, 0 },
	{ { KEYESC, 'q', '?', '\n' }, "Esc q ?", "back", k_close, 0 },
	{ { KEY_ENTER }, "Enter", "back", k_close, 0 },
	{ { 0 }, NULL, NULL, NULL, 0 }
};

/* The trace's description's: only ways back. */
static const struct uikey aboutkeys[] = {
	{ { KEYESC, 'q', '?', '\n' }, "Esc q ?", "back", k_close, 0 },
	{ { KEY_ENTER, 'i' }, "Enter i", "back", k_close, 0 },
	{ { 0 }, NULL, NULL, NULL, 0 }
};

static void
k_quit(struct ui *u, int ch)
{
	(void)ch;
	u->quit = 1;
}

static void
k_help(struct ui *u, int ch)
{
	(void)ch;
	u->help = 1;
	u->helptop = 0;
}

/*
 * In the quiz, the vmap about to run asked about, its answer typed,
 * graded against the focused pane's result; then the step, and the
 * grade with the event's words.  Returns 0 when there is no question
 * there (not a vmap, not run), 1 when it was asked.
 */
static int
quizask(struct ui *u)
{
	struct pane *p;
	struct paneword w;
	struct event eb;
	struct result rb;
	const struct event *e;
	const struct result *r;
	char q[256], ans[64], say[256], sz[24];
	int g;

	p = &u->pane[u->focus];
	if (!u->quiz || u->pos >= u->t->nev ||
	    (e = vstore_event(u->vs, u->pos, &eb))->op != OPvmap ||
	    (r = timeline_result(&p->tl, u->pos, &rb))->kind == Rnotrun)
		return 0;
	snprintf(q, sizeof q, "quiz, event %zu: vmap(0x%.8llx, %s) under %s: "
	    "where does it land? ", u->pos + 1, (unsigned long long)e->pa,
	    fmtbytes(sz, sizeof sz, e->size), policyat(p->pidx)->name);
	if (ui_prompt(q, ans, sizeof ans) < 0) {
		snprintf(u->msg, sizeof u->msg, "quiz: not answered; j asks "
		    "again");
		return 1;
	}
	if ((g = quiz_grade(r, ans, say, sizeof say)) == QGnone) {
		snprintf(u->msg, sizeof u->msg, "quiz: '%.20s' is %s; j asks "
		    "again", ans, say);
		return 1;
	}
	u->quizn++;
	u->quizpts += g == QGright ? 2 : g == QGhalf;
	ui_seek(u, u->pos + 1);
	ui_words(u, p, &w);
	snprintf(u->msg, sizeof u->msg, "%.200s %s %.580s", say,
	    u->utf8 ? "\xe2\x80\x94" : "--", w.text);
	return 1;
}

static void
k_quiz(struct ui *u, int ch)
{
	(void)ch;
	u->quiz = !u->quiz;
	u->playing = 0;
	if (u->quiz) {
		u->quizpts = u->quizn = 0;
		snprintf(u->msg, sizeof u->msg, "quiz: j asks where each vmap "
		    "lands before it runs (an address, a PDE, fail, panic or "
		    "refused); Q ends it");
	} else
		snprintf(u->msg, sizeof u->msg, "quiz over: score %d%s of %d",
		    u->quizpts / 2, u->quizpts % 2 ? ".5" : "", u->quizn);
}

static void
k_step(struct ui *u, int ch)
{
	if (ch == 'j' || ch == KEY_DOWN) {
		if (!quizask(u))
			ui_seek(u, u->pos + 1);
	}
	else if (u->pos > 0)
		ui_seek(u, u->pos - 1);
}

static void
k_page(struct ui *u, int ch)
{
	if (ch == KEY_NPAGE)
		ui_seek(u, u->pos + 10);
	else
		ui_seek(u, u->pos > 10 ? u->pos - 10 : 0);
}

static void
k_ends(struct ui *u, int ch)
{
	ui_seek(u, ch == 'g' || ch == KEY_HOME ? 0 : u->t->nev);
}

static void
k_goto(struct ui *u, int ch)
{
	char buf[64], *end;
	unsigned long n;

	(void)ch;
	if (ui_prompt("go to event: ", buf, sizeof buf) < 0)
		return;
	n = strtoul(buf, &end, 10);
	if (buf[0] == '\0' || *end != '\0' || n > u->t->nev)
		snprintf(u->msg, sizeof u->msg, "no event '%.20s' (0 to %zu)",
		    buf, u->t->nev);
	else
		ui_seek(u, n);
}

static void
k_play(struct ui *u, int ch)
{
	(void)ch;
	u->playing = !u->playing;
	if (u->playing && u->pos == u->t->nev)
		ui_seek(u, 0);
	ui_playfrom(u);
}

static void
k_speed(struct ui *u, int ch)
{
	if (ch == '-')
		u->speed = u->speed <= 1 ? 1 : u->speed / 2;
	else
		u->speed = u->speed >= 500 ? 1000 : u->speed * 2;
	ui_playfrom(u);
}

static void
k_fail(struct ui *u, int ch)
{
	ui_find(u, ch == 'f' ? 1 : -1, 'f');
}

static void
k_search(struct ui *u, int ch)
{
	char buf[64];

	(void)ch;
	if (ui_prompt("search id: ", buf, sizeof buf) < 0 || buf[0] == '\0')
		return;
	snprintf(u->search, sizeof u->search, "%s", buf);
	ui_find(u, 1, '/');
}

static void
k_next(struct ui *u, int ch)
{
	ui_find(u, ch == 'n' ? 1 : -1, u->search[0] ? '/' : 'f');
}

static void
k_select(struct ui *u, int ch)
{
	int np;

	np = vpdbsize(&u->pane[0].tl.cur.m);
	if ((ch == 'h' || ch == KEY_LEFT) && u->sel > 0)
		u->sel--;
	else if ((ch == 'l' || ch == KEY_RIGHT) && u->sel < np - 1)
		u->sel++;
}

static void
k_row(struct ui *u, int ch)
{
	int np, step;

	/* a row of the map as it is drawn: 16 PDEs or 8 */
	np = vpdbsize(&u->pane[0].tl.cur.m);
	step = u->cpr > 0 ? u->cpr : 8;
	if (ch == 'H')
		u->sel = u->sel >= step ? u->sel - step : 0;
	else
		u->sel = u->sel + step < np ? u->sel + step : np - 1;
}

static void
k_zoom(struct ui *u, int ch)
{
	(void)ch;
	u->zoom = 1;
}

static void
k_compare(struct ui *u, int ch)
{
	(void)ch;
	if (u->npane == 1) {
		/* the first policy the pane does not show */
		if (ui_openpane(u, 1, policyat(u->pane[0].pidx == 0 ? 1 : 0)) < 0)
			return;
		u->npane = 2;
	} else {
		timeline_free(&u->pane[1].tl);
		u->pane[1].live = NULL;
		u->pane[1].nlive = 0;
		u->npane = 1;
		u->focus = 0;
	}
	ui_divergence(u);
	ui_seek(u, u->pos);
}

static void
k_focus(struct ui *u, int ch)
{
	(void)ch;
	if (u->npane == 2)
		u->focus = !u->focus;
}

static void
k_policy(struct ui *u, int ch)
{
	int k;

	(void)ch;
	k = (u->pane[u->focus].pidx + 1) % npolicy();
	if (u->npane == 2 && k == u->pane[!u->focus].pidx)
		k = (k + 1) % npolicy();
	if (ui_openpane(u, u->focus, policyat(k)) < 0)
		return;
	ui_divergence(u);
	ui_seek(u, u->pos);
}

static void
k_diverge(struct ui *u, int ch)
{
	if (u->npane < 2)
		snprintf(u->msg, sizeof u->msg, "d needs two panes: press c");
	else
		ui_find(u, ch == 'd' ? 1 : -1, 'd');
}

/*
 * Ask for a size and an optional pa, and try that vmap on each pane's
 * state as it is now; the panes show the answer until the cursor moves.
 */
static void
k_probe(struct ui *u, int ch)
{
	char buf[64], *sp;
	uint64_t size, pa;
	int j;

	(void)ch;
	if (ui_prompt("vmap size [pa]: ", buf, sizeof buf) < 0 ||
	    buf[0] == '\0')
		return;
	pa = 0x1000;
	if ((sp = strchr(buf, ' ')) != NULL) {
		*sp++ = '\0';
		while (*sp == ' ')
			sp++;
	}
	if (trace_parsenum(buf, SUFFIXANY, &size) < 0 || size < 1 ||
	    size > INT32_MAX || (sp != NULL && *sp != '\0' &&
	    (trace_parsenum(sp, 0, &pa) < 0 || pa > UINT32_MAX))) {
		snprintf(u->msg, sizeof u->msg, "w: a size from 1 to 2G-1 "
		    "(an int; K, M, G in either case), then a pa if you like");
		return;
	}
	for (j = 0; j < u->npane; j++) {
		replay_probe(&u->pane[j].tl.cur, pa, size, &u->pane[j].probe);
		u->pane[j].probing = 1;
	}
}

/* Free a trace made by vstore_totrace, its header the view's. */
static void
wholefree(struct trace *t)
{
	t->file = t->name = t->description = NULL;
	trace_free(t);
}

/*
 * Shrink what goes wrong at or after the current event in the focused
 * pane (under the other pane's policy too, for the first divergence
 * when that comes first), then offer to write it: the prompt names the
 * file, and a file already there is kept unless the answer is y.
 */
static void
k_shrink(struct ui *u, int ch)
{
	struct shrinkopts so;
	struct shrinkstat st;
	struct target tg;
	struct trace out, whole;
	struct stat sb;
	char file[256], pr[320], ans[256], err[512];
	const char *path;

	(void)ch;
	memset(&so, 0, sizeof so);
	so.pol[0] = policyat(u->pane[u->focus].pidx);
	so.what = -1;
	so.ro = u->ro;
	/* the trace whole, as shrink takes it, from the view's events */
	whole = *u->t;
	whole.ev = NULL;
	vstore_totrace(u->vs, &whole);
	if (shrink_find(&whole, &so, u->pos > 0 ? u->pos - 1 : 0, &tg, err,
	    sizeof err) < 0) {
		wholefree(&whole);
		snprintf(u->msg, sizeof u->msg, "S: under %s nothing goes "
		    "wrong from event %zu on", so.pol[0]->name,
		    u->pos > 0 ? u->pos : 1);
		return;
	}
	snprintf(u->msg, sizeof u->msg, "S: shrinking what happens at event "
	    "%zu under %s", tg.at + 1, so.pol[0]->name);
	ui_status_draw(u);
	refresh();
	shrink_run(&whole, &so, &tg, &out, &st);
	wholefree(&whole);
	u->msg[0] = '\0';
	snprintf(file, sizeof file, "%s.yaml", out.name);
	snprintf(pr, sizeof pr, "%zu events (and a note) show event %zu's "
	    "%s; write to [%s]: ", out.nev - 1, tg.at + 1, whatnames[tg.what],
	    file);
	if (ui_prompt(pr, ans, sizeof ans) < 0) {
		trace_free(&out);
		return;
	}
	path = ans[0] != '\0' ? ans : file;
	if (stat(path, &sb) == 0) {
		snprintf(pr, sizeof pr, "%.200s is there: write over it? (y/n) ",
		    path);
		if (!ui_yesno(pr)) {
			snprintf(u->msg, sizeof u->msg, "S: %.100s kept; nothing "
			    "written", path);
			trace_free(&out);
			return;
		}
	}
	if (trace_writefile(path, &out, err, sizeof err) < 0)
		snprintf(u->msg, sizeof u->msg, "S: %.140s", err);
	else
		snprintf(u->msg, sizeof u->msg, "S: written to %.100s", path);
	trace_free(&out);
}

static void
k_about(struct ui *u, int ch)
{
	(void)ch;
	u->about = 1;
}

static void
k_redraw(struct ui *u, int ch)
{
	(void)u;
	(void)ch;
	clearok(curscr, TRUE);
}

/* Esc in the map: the probes put away. */
static void
k_escape(struct ui *u, int ch)
{
	int j;

	(void)ch;
	for (j = 0; j < u->npane; j++)
		u->pane[j].probing = 0;
}

/* Back to the map from the zoom, the help or the description. */
static void
k_close(struct ui *u, int ch)
{
	(void)ch;
	u->help = u->zoom = u->about = 0;
}

static void
k_scroll(struct ui *u, int ch)
{
	switch (ch) {
	case 'j':
	case KEY_DOWN:
		u->helptop++;
		break;
	case 'k':
	case KEY_UP:
		u->helptop--;
		break;
	case ' ':
	case KEY_NPAGE:
		u->helptop += LINES - 4;
		break;
	case 'b':
	case KEY_PPAGE:
		u->helptop -= LINES - 4;
		break;
	case 'g':
	case KEY_HOME:
		u->helptop = 0;
		break;
	default:
		u->helptop = INT_MAX / 2;	/* the draw brings it back */
		break;
	}
}

/* The row of table t (n rows, or up to its empty one) for ch, or nil. */
static const struct uikey *
findkey(const struct uikey *t, size_t n, int ch)
{
	size_t i;
	int j;

	for (i = 0; i < n && t[i].ch[0] != 0; i++)
		for (j = 0; j < 4 && t[i].ch[j] != 0; j++)
			if (t[i].ch[j] == ch)
				return &t[i];
	return NULL;
}

/*
 * Do what key ch does, by the table of the mode the view is in: the
 * help's or the description's alone; the zoom's, then the view's.
 */
void
ui_key(struct ui *u, int ch)
{
	const struct uikey *k;

	u->msg[0] = '\0';
	if (u->help)
		k = findkey(helpkeys, SIZE_MAX, ch);
	else if (u->about)
		k = findkey(aboutkeys, SIZE_MAX, ch);
	else if (u->zoom && (k = findkey(zoomkeys, SIZE_MAX, ch)) != NULL)
		;
	else
		k = findkey(keys, NKEY, ch);
	if (k == NULL || k->fn == NULL)
		return;
	/* what needs the whole trace waits for it */
	if ((k->flags & UKwhole) && u->ld != NULL) {
		snprintf(u->msg, sizeof u->msg, "%c: after the trace is read",
		    ch);
		return;
	}
	k->fn(u, ch);
}

/* The help screen: every key of the table, then what the map shows. */
void
ui_help_draw(struct ui *u)
{
	static const char *const legend[] = {
		"The map: one cell per PDE of the vmap.  Blank, a 4M page, a page",
		"table with its fill, or a STALE table: empty but never freed by",
		"pdbunmap, so a large plan9 vmap cannot use its 4M.  Underlined",
		"cells belong to a mapping that spans page tables; reverse, the",
		"selected mapping; bold with a marker, the current event's; a *,",
		"the PDEs its reason names.  Under the map, each pane says what",
		"the current event did and why.",
	};
	char line[256];
	int y, i, n, h;

	erase();
	n = NKEY + 1 + (int)(sizeof legend / sizeof legend[0]);
	h = LINES - 3;
	if (u->helptop > n - h)
		u->helptop = n - h;
	if (u->helptop < 0)
		u->helptop = 0;
	mvaddnstr(0, 1, n > h ? "vmapview: keys (j k, space b, g G to scroll)" :
	    "vmapview: keys", COLS - 2);
	for (y = 2, i = u->helptop; i < n && y < LINES - 1; i++, y++) {
		if (i < (int)NKEY)
			snprintf(line, sizeof line, "  %-12.12s %s",
			    keys[i].name, keys[i].help);
		else if (i == (int)NKEY)
			line[0] = '\0';
		else
			snprintf(line, sizeof line, "%s",
			    legend[i - NKEY - 1]);
		mvaddnstr(y, 1, line, COLS - 2);
	}
	ui_status_draw(u);
}

/* About the trace: its name, machine and description, wrapped. */
void
ui_about_draw(struct ui *u)
{
	const struct machine *mc;
	const char *s;
	char line[256];
	int y, n;

	erase();
	mc = &u->t->machine;
	mvaddnstr(0, 1, "about this trace (i or Esc: back)", COLS - 2);
	snprintf(line, sizeof line, "%s: %zu events; vmap 0x%.8x, %u PDEs; "
	    "kernel %s, PSE %s, ptpages %u", trace_name(u->t), u->t->nev,
	    u->pane[0].tl.cur.m.vmap, vpdbsize(&u->pane[0].tl.cur.m),
	    kernelnames[u->pane[0].tl.cur.m.kernel],
	    u->pane[0].tl.cur.m.pse ? "on" : "off", mc->ptpages);
	mvaddnstr(2, 1, line, COLS - 2);
	y = 4;
	s = u->t->description ? u->t->description : "(no description)";
	while (y < LINES - 1 && (s = wrapnext(s, COLS - 2, &n)) != NULL) {
		mvaddnstr(y++, 1, s, n);
		s += n;
	}
	ui_status_draw(u);
}
