/*
 * The view's terminal: curses brought up and put back, signals, the
 * keys (a --keys script for the tests, else the terminal, or /dev/tty
 * when standard input is the trace), a line typed at the status line,
 * and the screen saved as text for the tests (--save-screen).  The
 * view's frame and loop are ui.c.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>
#include <term.h>

#include "ui.h"
#include "util.h"

/* --keys pseudo-keys that raise a signal: -100 - the signal's number */
#define KEYSIG(n)	(-100 - (n))

static volatile sig_atomic_t	 caught;
static int			 cursesup;

/* The terminal, when standard input is the trace (ui_keysfrom). */
static FILE	*keysfrom;

/* Script keys, for tests. */
static int	*script;
static size_t	 nscript, scriptpos;

static void	 onsignal(int);
static int	 parsekeys(const char *);

/* A signal ends the view: the loop sees the flag and cleans up. */
static void
onsignal(int sig)
{
	caught = sig;
}

/* Put the terminal back (fatal's hook, and every exit). */
void
ui_restore(void)
{
	if (cursesup) {
		endwin();
		cursesup = 0;
	}
}

/* Parse a --keys script: characters, and <Name> for special keys. */
static int
parsekeys(const char *s)
{
	static const struct {
		const char	*name;
		int		 key;
	} names[] = {
		{ "Enter", '\n' }, { "Esc", 27 }, { "Up", KEY_UP },
		{ "Down", KEY_DOWN }, { "Left", KEY_LEFT },
		{ "Right", KEY_RIGHT }, { "Tab", '\t' }, { "Space", ' ' },
		{ "PgDn", KEY_NPAGE }, { "PgUp", KEY_PPAGE },
		{ "Home", KEY_HOME }, { "End", KEY_END }, { "C-l", 12 },
		{ "lt", '<' }, { "TERM", KEYSIG(SIGTERM) },
		{ "INT", KEYSIG(SIGINT) }, { "HUP", KEYSIG(SIGHUP) },
	};
	const char *end;
	size_t i, n;

	script = calloc(strlen(s) + 1, sizeof *script);
	if (script == NULL)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s != '<' || (end = strchr(s, '>')) == NULL) {
			script[nscript++] = (unsigned char)*s;
			continue;
		}
		n = end - s - 1;
		for (i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strlen(names[i].name) == n &&
			    strncmp(s + 1, names[i].name, n) == 0)
				break;
		if (i == sizeof names / sizeof names[0])
			return -1;
		script[nscript++] = names[i].key;
		s = end;
	}
	return 0;
}

/*
 * The next key: from the script while it lasts, else the terminal,
 * waiting at most ms (-1: until a key or a signal).  ERR on time-out.
 */
int
ui_nextkey(int ms)
{
	int ch;

	if (scriptpos < nscript) {
		ch = script[scriptpos++];
		if (ch <= KEYSIG(1)) {
			raise(-100 - ch);
			return ERR;
		}
		return ch;
	}
	timeout(ms < 0 || ms > 250 ? 250 : ms);
	ch = getch();
	return ch;
}

/*
 * A cell's attributes as a letter, for the tests: R reversed and bold,
 * r reversed, b bold, u underlined, d dim, . none of them.
 */
static int
attrletter(attr_t a)
{
	if ((a & A_REVERSE) && (a & A_BOLD))
		return 'R';
	if (a & A_REVERSE)
		return 'r';
	if (a & A_BOLD)
		return 'b';
	if (a & A_UNDERLINE)
		return 'u';
	if (a & A_DIM)
		return 'd';
	return '.';
}

/*
 * The screen as text into path (for the tests, with --keys), one line a
 * row, blanks at the end cut; and its attributes into path.attrs.
 */
int
ui_savescreen(const char *path)
{
	FILE *f, *fa;
	cchar_t cc;
	wchar_t wc[CCHARW_MAX + 1];
	attr_t a;
	short pair;
	char mb[MB_LEN_MAX * (CCHARW_MAX + 1)], line[4096];
	size_t n, len, keep;
	int y, x;

	if ((f = fopen(path, "w")) == NULL)
		return -1;
	/* beside it, FILE.attrs: a letter a cell for how it is drawn */
	snprintf(line, sizeof line, "%s.attrs", path);
	if ((fa = fopen(line, "w")) == NULL) {
		fclose(f);
		return -1;
	}
	for (y = 0; y < LINES; y++) {
		len = keep = 0;
		for (x = 0; x < COLS; x++) {
			if (mvin_wch(y, x, &cc) == ERR ||
			    getcchar(&cc, wc, &a, &pair, NULL) == ERR) {
				putc('.', fa);
				continue;
			}
			putc(attrletter(a), fa);
			n = wcstombs(mb, wc, sizeof mb);
			if (n == (size_t)-1 || n == 0) {
				mb[0] = ' ';
				n = 1;
			}
			if (len + n >= sizeof line)
				break;
			memcpy(line + len, mb, n);
			len += n;
			if (!(n == 1 && mb[0] == ' '))
				keep = len;
		}
		fprintf(f, "%.*s\n", (int)keep, line);
		putc('\n', fa);
	}
	return (fclose(fa) == 0) + (fclose(f) == 0) == 2 ? 0 : -1;
}

/*
 * Whether a key says to stop what runs: q or Esc, read from the terminal
 * without waiting (a script's keys wait their turn).  Any other key is
 * put back for after.
 */
int
ui_stopkey(void)
{
	int ch;

	if (scriptpos < nscript)
		return 0;
	timeout(0);
	if ((ch = getch()) == ERR)
		return 0;
	if (ch == 'q' || ch == 27)
		return 1;
	ungetch(ch);
	return 0;
}

/*
 * Read a line at the status line after prompt; Enter gives it, Esc
 * gives up.  Returns 0 with the text in buf, or -1.
 */
int
ui_prompt(const char *pr, char *buf, size_t len)
{
	const char *s;
	size_t n;
	int ch, above, k, w;

	n = 0;
	buf[0] = '\0';
	curs_set(1);
	/* a question too long for the line takes the lines above it, whole */
	above = 0;
	if (ui_textwidth(pr) + 16 > COLS) {
		for (s = pr; (s = wrapnext(s, COLS - 1, &w)) != NULL; s += w)
			above++;
		attron(A_REVERSE);
		for (k = LINES - 1 - above, s = pr; (s = wrapnext(s, COLS - 1,
		    &w)) != NULL; s += w, k++)
			mvprintw(k, 0, " %-*.*s", COLS - 1, w, s);
		attroff(A_REVERSE);
	}
	for (;;) {
		attron(A_REVERSE);
		mvprintw(LINES - 1, 0, "%-*s", COLS, "");
		mvprintw(LINES - 1, 0, "%s%s", above ? "> " : pr, buf);
		attroff(A_REVERSE);
		refresh();
		ch = ui_nextkey(-1);
		if (caught)
			break;
		if (ch == ERR)
			continue;
		if (ch == '\n' || ch == KEY_ENTER || ch == '\r') {
			curs_set(0);
			return 0;
		}
		if (ch == 27)
			break;
		if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && n > 0)
			buf[--n] = '\0';
		else if (ch >= ' ' && ch < 127 && n + 1 < len) {
			buf[n++] = ch;
			buf[n] = '\0';
		}
	}
	curs_set(0);
	return -1;
}

/*
 * Ask a yes-or-no question at the status line: the key alone answers,
 * y (or Y) yes, any other no, as less and htop take theirs.  Returns 1
 * for yes, else 0.
 */
int
ui_yesno(const char *pr)
{
	int ch;

	for (;;) {
		attron(A_REVERSE);
		mvprintw(LINES - 1, 0, "%-*s", COLS, "");
		mvaddnstr(LINES - 1, 0, pr, COLS);
		attroff(A_REVERSE);
		refresh();
		ch = ui_nextkey(-1);
		if (caught)
			return 0;
		if (ch == ERR || ch == KEY_RESIZE)
			continue;
		return ch == 'y' || ch == 'Y';
	}
}

/*
 * Take keys from the terminal itself, /dev/tty, as less does when its
 * text comes on standard input.  Returns -1 when there is none.
 */
int
ui_keysfrom(void)
{
	if ((keysfrom = fopen("/dev/tty", "r")) == NULL)
		return -1;
	return 0;
}

/*
 * Whether TERM names a terminal the terminfo database describes, said
 * in our words (ncurses would print its own and exit 1).  Returns 2
 * after saying why not; else 0.
 */
static int
termknown(void)
{
	const char *term;
	int err;

	term = getenv("TERM");
	if (term == NULL || term[0] == '\0') {
		fprintf(stderr, "%s: TERM is not set (or empty): the view needs to know "
		    "the terminal (TERM=xterm-256color, say)\n", progname);
		return EXITUSAGE;
	}
	if (setupterm(term, STDOUT_FILENO, &err) != OK) {
		fprintf(stderr, "%s: TERM=%s: %s\n", progname, term, err == 0 ?
		    "no such terminal in the terminfo database" :
		    "no terminfo database to describe it");
		return EXITUSAGE;
	}
	del_curterm(cur_term);
	return 0;
}

/*
 * Whether the view can run: a terminal, and keys (for tests) it can
 * read.  Says why not and returns EXITUSAGE; else 0.
 */
int
ui_usable(const char *keys)
{
	if (!isatty(STDOUT_FILENO) || (keys == NULL &&
	    !isatty(STDIN_FILENO) && keysfrom == NULL)) {
		fprintf(stderr, "%s: the view needs a terminal; use '%s "
		    "replay' or '%s dump' for text\n", progname, progname,
		    progname);
		return EXITUSAGE;
	}
	if (keys != NULL && parsekeys(keys) < 0) {
		fprintf(stderr, "%s: --keys: a <Name> it does not know\n",
		    progname);
		return EXITUSAGE;
	}
	return termknown();
}

/*
 * Take the terminal: signals that end the view, curses, and colours
 * unless NO_COLOR says otherwise.  With out, a screen of $TERM on out
 * and in instead (bench/latency).  Returns -1 after saying why not.
 */
int
ui_termup(struct ui *u, FILE *out, FILE *in)
{
	const char *term;

	struct sigaction sa;
	const char *nc;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onsignal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (out == NULL && keysfrom != NULL) {
		/* the trace came on standard input: keys from the terminal */
		out = stdout;
		in = keysfrom;
	}
	if (cursesup)
		;	/* up already */
	else if (out != NULL) {
		term = getenv("TERM");
		if (newterm(term ? term : "xterm", out, in) == NULL) {
			fprintf(stderr, "%s: no screen of TERM\n", progname);
			return -1;
		}
	} else if (initscr() == NULL) {
		fprintf(stderr, "%s: cannot set up the terminal\n", progname);
		return -1;
	}
	cursesup = 1;
	fatalhook = ui_restore;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	nc = getenv("NO_COLOR");
	if (!has_colors() || (nc != NULL && nc[0] != '\0'))
		return 0;
	u->colour = 1;
	start_color();
	use_default_colors();
	init_pair(Cblank, -1, -1);
	init_pair(Cbig, COLOR_BLUE, -1);
	init_pair(Ctable, COLOR_GREEN, -1);
	init_pair(Cstale, COLOR_WHITE, COLOR_RED);
	init_pair(Cok, COLOR_GREEN, -1);
	init_pair(Cfail, COLOR_YELLOW, -1);
	init_pair(Cpanic, COLOR_WHITE, COLOR_RED);
	init_pair(Cdim, -1, -1);
	init_pair(Cheader, COLOR_CYAN, -1);
	init_pair(Ccurrent, -1, -1);
	return 0;
}


/* The signal that ends the view, or 0. */
int
ui_caught(void)
{
	return caught;
}

/* Whether a --keys script has run out (or there is none). */
int
ui_scriptdone(void)
{
	return scriptpos >= nscript;
}

/* The --keys script forgotten. */
void
ui_scriptfree(void)
{
	free(script);
	script = NULL;
	nscript = scriptpos = 0;
}
