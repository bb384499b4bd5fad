/*
 * The view's keys: a table of what each key does and what the help
 * screen says of it (tmux's key tables).  The help screen is made from
 * the table, so a key and its help cannot drift apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "ui.h"
#include "util.h"

#define KEYESC	27
#define KEYCTLL	12

/* A row of the table: the keys, as the help names them, and the work. */
struct uikey {
	int		 ch[4];		/* the keys, 0-ended */
	const char	*name;
	const char	*help;
	void		(*fn)(struct ui *, int);
};

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

static const struct uikey keys[] = {
	{ { 'j', KEY_DOWN }, "j  Down", "step forward one event", k_step },
	{ { 'k', KEY_UP }, "k  Up", "step back one event", k_step },
	{ { KEY_NPAGE, KEY_PPAGE }, "PgDn PgUp", "ten events forward, back",
	  k_page },
	{ { 'g', KEY_HOME }, "g  Home", "the start (no event run)", k_ends },
	{ { 'G', KEY_END }, "G  End", "the end", k_ends },
	{ { ':' }, ":", "go to event N", k_goto },
	{ { ' ' }, "space", "play, pause", k_play },
	{ { '+', '=', '-' }, "+  -", "play faster, slower", k_speed },
	{ { 'f', 'F' }, "f  F", "next, previous failure or panic", k_fail },
	{ { '/' }, "/", "search by id", k_search },
	{ { 'n', 'N' }, "n  N", "next, previous match (no search: as f F)",
	  k_next },
	{ { 'h', KEY_LEFT }, "h  Left", "select the previous PDE", k_select },
	{ { 'l', KEY_RIGHT }, "l  Right", "select the next PDE", k_select },
	{ { 'H', 'L' }, "H  L", "select a row up, down", k_row },
	{ { '\n', '\r', KEY_ENTER }, "Enter",
	  "zoom into the selected PDE's page table", k_zoom },
	{ { KEYESC }, "Esc", "back from the zoom or this help", NULL },
	{ { 'c' }, "c", "compare: two policies side by side", k_compare },
	{ { '\t' }, "Tab", "switch the pane that has the focus", k_focus },
	{ { 'p' }, "p", "next policy for the focused pane", k_policy },
	{ { 'd', 'D' }, "d  D", "next, previous event where the panes differ",
	  k_diverge },
	{ { KEYCTLL }, "Ctrl-L", "redraw", k_redraw },
	{ { '?' }, "?", "this help", k_help },
	{ { 'q' }, "q", "quit (or close the zoom, this help)", k_quit },
};
#define NKEY	(sizeof keys / sizeof keys[0])

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
}

static void
k_step(struct ui *u, int ch)
{
	if (ch == 'j' || ch == KEY_DOWN)
		ui_seek(u, u->pos + 1);
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
}

static void
k_speed(struct ui *u, int ch)
{
	if (ch == '-')
		u->speed = u->speed <= 1 ? 1 : u->speed / 2;
	else
		u->speed = u->speed >= 500 ? 1000 : u->speed * 2;
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
	int np;

	np = vpdbsize(&u->pane[0].tl.cur.m);
	if (ch == 'H')
		u->sel = u->sel >= 8 ? u->sel - 8 : 0;
	else
		u->sel = u->sel + 8 < np ? u->sel + 8 : np - 1;
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
		ui_openpane(u, 1, policyat(u->pane[0].pidx == 0 ? 1 : 0));
		u->npane = 2;
	} else {
		timeline_free(&u->pane[1].tl);
		free(u->pane[1].live);
		u->pane[1].live = NULL;
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
	ui_openpane(u, u->focus, policyat(k));
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

static void
k_redraw(struct ui *u, int ch)
{
	(void)u;
	(void)ch;
	clearok(curscr, TRUE);
}

/* Do what key ch does.  In the zoom or the help, it may close them. */
void
ui_key(struct ui *u, int ch)
{
	size_t i;
	int j;

	u->msg[0] = '\0';
	if (u->help || u->zoom) {
		if (ch == KEYESC || ch == 'q' || ch == '?' || ch == '\n' ||
		    ch == KEY_ENTER) {
			u->help = u->zoom = 0;
			return;
		}
		if (u->help)
			return;
	}
	for (i = 0; i < NKEY; i++)
		for (j = 0; keys[i].ch[j] != 0; j++)
			if (keys[i].ch[j] == ch) {
				if (keys[i].fn != NULL)
					keys[i].fn(u, ch);
				return;
			}
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
		"selected mapping; bold with a marker, the current event's.",
	};
	size_t i;
	int y;

	erase();
	y = 0;
	mvaddnstr(y++, 1, "vmapview: keys", COLS - 2);
	y++;
	for (i = 0; i < NKEY && y < LINES - 1; i++)
		mvprintw(y++, 1, "  %-12.12s %.*s", keys[i].name,
		    COLS > 18 ? COLS - 18 : 0, keys[i].help);
	y++;
	for (i = 0; i < sizeof legend / sizeof legend[0] && y < LINES - 1; i++)
		mvaddnstr(y++, 1, legend[i], COLS - 2);
	ui_status_draw(u);
}
