/*
 * vmapview export: pictures as SVG.  The map draws the vmap's PDEs at an
 * event as the view does (blank, 4 MiB page, a table and its fill, a
 * stale table), outlines the mappings that span page tables and the
 * range of the current event, with a legend and a caption.  The plot
 * draws the measures over the whole run: the largest vmap of every
 * policy, the stale tables and free pages of the chosen one, and marks
 * where each policy failed or panicked.  SVG is text: written here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "util.h"

#define CELLW	46
#define CELLH	30
#define GAP	4
#define LABELW	156	/* a row's address and PDE number */
#define TOP	64

static const char *const kindnames[Npdekind] = {
	"blank", "big", "table", "stale"
};

/* Text for SVG: &, < and > escaped. */
static void
xmltext(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
}

/* Where a map's cells go: its left, its top, cells a row. */
struct grid {
	int	x0, y0;
	int	cols;
};

/* The x, y of vmap slot i's cell. */
static void
cellxy(const struct grid *g, int i, int *x, int *y)
{
	*x = g->x0 + LABELW + (i % g->cols) * (CELLW + GAP);
	*y = g->y0 + (i / g->cols) * (CELLH + GAP);
}

/* Outline the cells of slots [a, b] row by row. */
static void
outline(FILE *f, const struct grid *g, int a, int b, const char *cls,
    const char *style)
{
	int x0, y0, x1, y1, r, cols;

	cols = g->cols;
	for (r = a / cols; r <= b / cols; r++) {
		cellxy(g, r == a / cols ? a : r * cols, &x0, &y0);
		cellxy(g, r == b / cols ? b : r * cols + cols - 1, &x1, &y1);
		fprintf(f, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"%d\" rx=\"5\" fill=\"none\" %s/>\n", cls, x0 - 2,
		    y0 - 2, x1 - x0 + CELLW + 4, CELLH + 4, style);
	}
}

/* The start of a picture of w by h, on white. */
static void
svgstart(FILE *f, int w, int h)
{
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
	    "font-size=\"12\">\n", w, h, w, h);
}

/* A line of text at x, y, escaped, with more attributes (or ""). */
static void
svgtext(FILE *f, int x, int y, const char *attrs, const char *s)
{
	fprintf(f, "<text x=\"%d\" y=\"%d\"%s>", x, y, attrs);
	xmltext(f, s);
	fputs("</text>\n", f);
}

/* Lines of s wrapped to chars, from y down by dy; returns the next y. */
static int
svgwrap(FILE *f, int x, int y, int dy, int chars, const char *attrs,
    const char *s)
{
	char line[512];
	int n;

	while ((s = wrapnext(s, chars, &n)) != NULL) {
		snprintf(line, sizeof line, "%.*s", n, s);
		svgtext(f, x, y, attrs, line);
		y += dy;
		s += n;
	}
	return y;
}

/* How many lines svgwrap would write. */
static int
wraplines(int chars, const char *s)
{
	int n, lines;

	for (lines = 0; (s = wrapnext(s, chars, &n)) != NULL; s += n)
		lines++;
	return lines;
}

/* What pane rp says of its event: the result and its reason. */
static void
panewords(char *buf, size_t len, const struct replay *rp)
{
	const struct result *r;
	char a[480];
	size_t at;

	buf[0] = '\0';
	if (rp->pos == 0) {
		snprintf(buf, len, "%s: before the first event",
		    policyat(rp->pidx)->name);
		return;
	}
	r = &rp->r[rp->pos - 1];
	at = rp->pos - 1;
	if (r->kind == Rnotrun && rp->firstpanic.seq > 0) {
		at = rp->firstpanic.seq - 1;
		snprintf(buf, len, "%s: not run: the kernel panicked at event "
		    "%zu, %s", policyat(rp->pidx)->name, at + 1,
		    replay_answer(a, sizeof a, rp, &rp->t->ev[at], &rp->r[at],
		    at));
		return;
	}
	snprintf(buf, len, "%s: %s", policyat(rp->pidx)->name,
	    replay_answer(a, sizeof a, rp, &rp->t->ev[at], r, at));
}

/* The event the picture follows, in words. */
static void
eventwords(char *buf, size_t len, const struct replay *rp)
{
	const struct event *e;
	char b[32];
	int n;

	if (rp->pos == 0) {
		snprintf(buf, len, "before the first event");
		return;
	}
	e = &rp->t->ev[rp->pos - 1];
	n = snprintf(buf, len, "event %zu: %s", rp->pos, opnames[e->op]);
	if (n > 0 && (size_t)n < len && e->id != NULL)
		n += snprintf(buf + n, len - n, " %s", e->id);
	if (n > 0 && (size_t)n < len && e->op == OPvmap)
		snprintf(buf + n, len - n, " of %s at pa 0x%.8llx",
		    fmtbytes(b, sizeof b, e->size), (unsigned long long)e->pa);
	else if (n > 0 && (size_t)n < len && e->op == OPnote && e->text)
		snprintf(buf + n, len - n, " \"%s\"", e->text);
}

/* The cell of vmap slot i, in what its PDE holds. */
static void
mapcell(FILE *f, const Mmu *m, int i, const struct grid *g)
{
	uint32_t first, pde;
	int k, n, x, y, z;

	first = PDX(m->vmap);
	cellxy(g, i, &x, &y);
	if (i % g->cols == 0)
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-family=\"monospace\">"
		    "0x%.8x PDE %u</text>\n", g->x0 + 8, y + CELLH / 2 + 4,
		    m->vmap + i * PGDIRSIZE, first + i);
	k = pdekind(m, first + i);
	pde = m->pdb[first + i];
	fprintf(f, "<g class=\"pde %s\"><title>PDE %u 0x%.8x: %s",
	    kindnames[k], first + i, (first + i) * PGDIRSIZE,
	    k == Pblank ? "blank" : k == Pbig ? "4M page" : k == Pstale ?
	    "stale table, 0/1024 PTEs" : "table");
	n = k == Ptable || k == Pstale ? mmupage(m, pde)->nvalid : 0;
	if (k == Ptable)
		fprintf(f, ", %d/1024 PTEs", n);
	fputs("</title>", f);
	switch (k) {
	case Pblank:
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		    "fill=\"#f2f2f2\" stroke=\"#bbbbbb\"/>", x, y, CELLW, CELLH);
		break;
	case Pbig:
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		    "fill=\"#4e79a7\"/><text x=\"%d\" y=\"%d\" fill=\"#ffffff\" "
		    "text-anchor=\"middle\">4M</text>", x, y, CELLW, CELLH,
		    x + CELLW / 2, y + CELLH / 2 + 4);
		break;
	case Ptable:
		z = HOWMANY(n * CELLH, 1024);
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		    "fill=\"#d9f0d3\" stroke=\"#59a14f\"/><rect x=\"%d\" "
		    "y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#59a14f\"/>", x,
		    y, CELLW, CELLH, x, y + CELLH - z, CELLW, z);
		break;
	case Pstale:
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		    "fill=\"url(#hatch)\" stroke=\"#b2182b\"/>", x, y, CELLW,
		    CELLH);
		break;
	}
	fputs("</g>\n", f);
}

/*
 * Outlined: the live mappings that span page tables, the event's range,
 * and the PDEs its reason names.
 */
static void
mapoutlines(FILE *f, const struct replay *rp, const struct grid *g)
{
	const Mmu *m;
	const struct event *e;
	const struct result *r;
	Reason rs;
	uint32_t first, base, size, lo, hi;
	size_t nlive, j;
	int np, i, a, z, ntab, *live;

	m = &rp->m;
	np = vpdbsize(m);
	first = PDX(m->vmap);
	nlive = replay_live(rp, rp->pos, &live);
	for (j = 0; j < nlive; j++) {
		base = rp->r[live[j]].va & ~(BY2PG - 1);
		size = replay_mapsize(rp, live[j]);
		if (size == 0)
			continue;
		a = PDX(base) - first;
		z = PDX(base + size - 1) - first;
		for (ntab = 0, i = a; i <= z && i < np; i++)
			if (pdekind(m, first + i) >= Ptable)
				ntab++;
		if (ntab > 1)
			outline(f, g, a, z < np ? z : np - 1, "span",
			    "stroke=\"#7b3294\" stroke-width=\"3\"");
	}
	free(live);
	if (rp->pos == 0)
		return;
	r = &rp->r[rp->pos - 1];
	e = &rp->t->ev[rp->pos - 1];
	if (r->kind != Rnotrun) {
		replay_reason(rp, e, r, &rs);
		if (reasonpdes(&rs, &lo, &hi) && lo >= first && hi >= lo &&
		    lo - first < (uint32_t)np)
			outline(f, g, lo - first, hi - first < (uint32_t)np ?
			    (int)(hi - first) : np - 1, "named",
			    "stroke=\"#1f78b4\" stroke-width=\"2\" "
			    "stroke-dasharray=\"2 2\"");
	}
	if (!((e->op == OPvmap && r->kind == Rok) || (e->op == OPvunmap &&
	    (r->kind == Rok || RSTOPS(r->kind)))))
		return;
	base = r->va & ~(BY2PG - 1);
	size = e->op == OPvmap ? replay_mapsize(rp, rp->pos - 1) :
	    replay_unmapsize(r);
	if (size > 0 && PDX(base) >= first && PDX(base) - first <
	    (uint32_t)np) {
		z = PDX(base + size - 1) - first;
		outline(f, g, PDX(base) - first, z < np ? z : np - 1,
		    "event", "stroke=\"#ff9d00\" stroke-width=\"2\" "
		    "stroke-dasharray=\"5 3\"");
	}
}

/* The map's legend, from y down. */
static void
maplegend(FILE *f, int y)
{
	fprintf(f, "<g class=\"legend\" font-size=\"11\">"
	    "<rect x=\"12\" y=\"%d\" width=\"14\" height=\"14\" "
	    "fill=\"#f2f2f2\" stroke=\"#bbbbbb\"/><text x=\"30\" y=\"%d\">"
	    "blank</text>"
	    "<rect x=\"76\" y=\"%d\" width=\"14\" height=\"14\" "
	    "fill=\"#4e79a7\"/><text x=\"94\" y=\"%d\">4M page</text>"
	    "<rect x=\"152\" y=\"%d\" width=\"14\" height=\"14\" "
	    "fill=\"#59a14f\"/><text x=\"170\" y=\"%d\">table (fill)</text>"
	    "<rect x=\"246\" y=\"%d\" width=\"14\" height=\"14\" "
	    "fill=\"url(#hatch)\"/><text x=\"264\" y=\"%d\">stale table "
	    "(empty, never freed)</text></g>\n", y, y + 11, y, y + 11, y,
	    y + 11, y, y + 11);
	fprintf(f, "<g font-size=\"11\"><rect x=\"12\" y=\"%d\" width=\"14\" "
	    "height=\"14\" fill=\"none\" stroke=\"#7b3294\" "
	    "stroke-width=\"3\"/><text x=\"30\" y=\"%d\">a mapping that spans "
	    "page tables</text><rect x=\"246\" y=\"%d\" width=\"14\" "
	    "height=\"14\" fill=\"none\" stroke=\"#ff9d00\" stroke-width=\"2\" "
	    "stroke-dasharray=\"5 3\"/><text x=\"264\" y=\"%d\">this "
	    "event</text><rect x=\"340\" y=\"%d\" width=\"14\" height=\"14\" "
	    "fill=\"none\" stroke=\"#1f78b4\" stroke-width=\"2\" "
	    "stroke-dasharray=\"2 2\"/><text x=\"358\" y=\"%d\">named by "
	    "the reason</text></g>\n", y + 22, y + 33, y + 22, y + 33, y + 22,
	    y + 33);
}

/* How the maps of some replays are laid out (maplayout). */
struct maplay {
	int	 np, cols, rows, pw, w, h, chars, desc, why;
	char	 title[640];
	char	 words[MAXPOLICY][640];
	struct grid g;
};

/* The layout of the maps of the n replays, into L. */
static void
maplayout(const struct replay *const *rps, int n, struct maplay *L)
{
	const struct replay *rp;
	int j, k;

	rp = rps[0];
	L->np = vpdbsize(&rp->m);
	L->cols = L->np <= 128 ? 8 : 16;
	L->rows = HOWMANY(L->np, L->cols);
	L->pw = LABELW + L->cols * (CELLW + GAP) + 20;
	if (L->pw < 520)
		L->pw = 520;
	L->w = n * L->pw;
	/* the title first: the picture is as wide as it needs */
	k = snprintf(L->title, sizeof L->title, "%s:", trace_name(rp->t));
	for (j = 0; j < n && k > 0 && (size_t)k < sizeof L->title; j++)
		k += snprintf(L->title + k, sizeof L->title - k, "%s %s",
		    j ? "," : "", policyat(rps[j]->pidx)->name);
	if (k > 0 && (size_t)k < sizeof L->title)
		snprintf(L->title + k, sizeof L->title - k, "; kernel %s, PSE "
		    "%s, after event %zu of %zu", kernelnames[rp->m.kernel],
		    rp->m.pse ? "on" : "off", rp->pos, rp->t->nev);
	/* about 9 pixels a character, bold at 15 points */
	if (L->w < 24 + 9 * (int)strlen(L->title))
		L->w = 24 + 9 * (int)strlen(L->title);
	/* about 6.5 pixels a character at 12 and 11 points */
	L->chars = (L->w - 24) / 7;
	L->desc = rp->t->description ? wraplines(L->chars,
	    rp->t->description) : 0;
	for (L->why = 0, j = 0; j < n; j++) {
		panewords(L->words[j], sizeof L->words[j], rps[j]);
		if ((k = wraplines((L->pw - 24) / 7, L->words[j])) > L->why)
			L->why = k;
	}
	L->g.y0 = TOP + L->desc * 15 + 20;
	L->g.cols = L->cols;
	L->h = L->g.y0 + L->rows * (CELLH + GAP) + 16 + L->why * 16 + 60;
}

/* The size of the picture export_map draws of the n replays. */
void
export_mapsize(const struct replay *const *rps, int n, int *w, int *h)
{
	static struct maplay L;

	maplayout(rps, n, &L);
	*w = L.w;
	*h = L.h;
}

/*
 * The maps of the n replays (one, or two side by side, at the same
 * event), with a caption: the trace and its description, the event,
 * and under each map what its policy did and why.  The picture is at
 * least minw by minh (a series of them is all one size), the room left
 * over white at the right and the bottom.
 */
int
export_map(FILE *f, const struct replay *const *rps, int n, int minw,
    int minh)
{
	static struct maplay L;
	const struct replay *rp;
	char line[640];
	int i, j, y, w, h;

	rp = rps[0];
	maplayout(rps, n, &L);
	w = L.w > minw ? L.w : minw;
	h = L.h > minh ? L.h : minh;
	svgstart(f, w, h);
	fprintf(f, "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" "
	    "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	    "<rect width=\"6\" height=\"6\" fill=\"#e15759\"/>"
	    "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#ffffff\" "
	    "stroke-width=\"2\"/></pattern></defs>\n");
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", w,
	    h);
	svgtext(f, 12, 22, " font-size=\"15\" font-weight=\"bold\"", L.title);
	y = 40;
	if (rp->t->description != NULL)
		y = svgwrap(f, 12, y, 15, L.chars, " class=\"description\" "
		    "font-size=\"11\" fill=\"#555555\"", rp->t->description);
	eventwords(line, sizeof line, rp);
	svgtext(f, 12, y + 6, " class=\"caption-event\"", line);
	for (j = 0; j < n; j++) {
		L.g.x0 = j * L.pw;
		svgtext(f, L.g.x0 + LABELW, L.g.y0 - 8, " font-weight=\"bold\"",
		    policyat(rps[j]->pidx)->name);
		for (i = 0; i < L.np; i++)
			mapcell(f, &rps[j]->m, i, &L.g);
		mapoutlines(f, rps[j], &L.g);
		svgwrap(f, L.g.x0 + 12, L.g.y0 + L.rows * (CELLH + GAP) + 18, 16,
		    (L.pw - 24) / 7, " class=\"reason\"", L.words[j]);
	}
	maplegend(f, L.g.y0 + L.rows * (CELLH + GAP) + 16 + L.why * 16 + 6);
	fputs("</svg>\n", f);
	return ferror(f) ? -1 : 0;
}

/* The plot's y for v out of max, in the box from top to bottom. */
static double	seriesto(FILE *, const struct hist *, int, int, int, int,
		    int, double, int, const char *, const char *, int);

/*
 * Each policy's line drawn its own way besides its colour, so that
 * lines that lie on each other still show: a dash pattern and a marker.
 */
static const char *
policydash(int k)
{
	static const char *const dash[] = { "", "7 3", "2 3", "9 3 2 3" };

	return dash[k % 4];
}

/* Policy k's marker at x, y: a circle, square, triangle or diamond. */
static void
marker(FILE *f, int k, int x, double y)
{
	switch (k % 4) {
	case 0:
		fprintf(f, "<circle cx=\"%d\" cy=\"%.1f\" r=\"3.5\"/>\n", x, y);
		break;
	case 1:
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"7\" "
		    "height=\"7\"/>\n", x - 3.5, y - 3.5);
		break;
	case 2:
		fprintf(f, "<path d=\"M%d %.1fl4 7h-8z\"/>\n", x, y - 4.5);
		break;
	default:
		fprintf(f, "<path d=\"M%d %.1fl4 4l-4 4l-4 -4z\"/>\n", x, y - 4);
		break;
	}
}

static double
ypos(double v, double max, int top, int bottom)
{
	return max > 0 ? bottom - (bottom - top) * v / max : bottom;
}

/*
 * A polyline of the history h over w columns from x0, the lowest (or
 * with hi, highest) value per column.
 */
static void
series(FILE *f, const struct hist *h, int x0, int w, int top, int bottom,
    double max, int hi, const char *cls, const char *style)
{
	seriesto(f, h, x0, w, w, top, bottom, max, hi, cls, style, -1);
}

/*
 * The same up to column end of w, with policy k's marker every 80
 * columns (k -1: none); returns the y of its last point.
 */
static double
seriesto(FILE *f, const struct hist *h, int x0, int w, int end, int top,
    int bottom, double max, int hi, const char *cls, const char *style,
    int k)
{
	uint32_t best;
	double y;
	int c;

	y = bottom;
	fprintf(f, "<polyline class=\"%s\" fill=\"none\" %s points=\"", cls,
	    style);
	for (c = 0; c < w && c <= end; c++) {
		if (hist_column(h, c, w, hi, &best) < 0)
			break;
		y = ypos(best, max, top, bottom);
		fprintf(f, "%d,%.1f ", x0 + c, y);
	}
	fputs("\"/>\n", f);
	for (c = 40 + 13 * (k >= 0 ? k : 0); k >= 0 && c < w && c <= end;
	    c += 80)
		if (hist_column(h, c, w, hi, &best) == 0)
			marker(f, k, x0 + c, ypos(best, max, top, bottom));
	return y;
}

/* Where the plot draws: the box of the lines. */
struct plotbox {
	int	w, h;		/* the picture */
	int	x0, x1;		/* the boxes, left to right */
	int	y0, y1;		/* the sizes' box, top to bottom */
	int	sy0, sy1;	/* the counts' box (stale tables), below it */
};

/* The plot's title, axes and their labels. */
/* A round step for about n ticks up to max: 1, 2 or 5 times a power of 10. */
static double
tickstep(double max, int n)
{
	double raw, p;

	raw = max / n;
	for (p = 1; p * 10 <= raw; p *= 10)
		;
	if (raw > 5 * p)
		return 10 * p;
	if (raw > 2 * p)
		return 5 * p;
	if (raw > p)
		return 2 * p;
	return p;
}

/*
 * Ticks and their numbers between the axes' ends: MiB on the left of the
 * sizes' box, stale tables on the left of the counts' box below it (a
 * count never drawn over a size), events along the bottom.
 */
static void
plotticks(FILE *f, const struct plotbox *b, double maxmb, int np,
    size_t nev)
{
	double v, st;
	int y, x;

	fputs("<g class=\"ticks\" stroke=\"#888888\" font-size=\"10\">\n", f);
	for (st = tickstep(maxmb, 5), v = st; v < maxmb * 0.95; v += st) {
		y = (int)ypos(v, maxmb, b->y0, b->y1);
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
		    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
		    "stroke=\"none\">%gM</text>\n", b->x0 - 4, y, b->x0, y,
		    b->x0 - 6, y + 4, v);
	}
	for (st = tickstep(np, 2), v = st; v < np * 0.8; v += st) {
		y = (int)ypos(v, np, b->sy0, b->sy1);
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
		    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
		    "stroke=\"none\">%g</text>\n", b->x0 - 4, y, b->x0, y,
		    b->x0 - 6, y + 4, v);
	}
	for (st = tickstep(nev, 5), v = st; v < nev * 0.9; v += st) {
		x = b->x0 + (int)(v * (b->x1 - b->x0) / nev);
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
		    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
		    "stroke=\"none\">%.0f</text>\n", x, b->sy1, x, b->sy1 + 4, x,
		    b->sy1 + 16, v);
	}
	fputs("</g>\n", f);
}

static void
plotaxes(FILE *f, const struct replay *rp, const struct plotbox *b,
    double maxmb, int np)
{
	char line[256];
	size_t nev;

	nev = rp->t->nev;
	snprintf(line, sizeof line, "%s: the measures over %zu events "
	    "(kernel %s, PSE %s)", trace_name(rp->t), nev,
	    kernelnames[rp->m.kernel], rp->m.pse ? "on" : "off");
	svgtext(f, 12, 22, " font-size=\"15\" font-weight=\"bold\"", line);
	/* the two boxes, one above the other */
	fprintf(f, "<g stroke=\"#888888\" fill=\"none\"><rect x=\"%d\" "
	    "y=\"%d\" width=\"%d\" height=\"%d\"/><rect x=\"%d\" y=\"%d\" "
	    "width=\"%d\" height=\"%d\"/></g>\n", b->x0, b->y0, b->x1 - b->x0,
	    b->y1 - b->y0, b->x0, b->sy0, b->x1 - b->x0, b->sy1 - b->sy0);
	plotticks(f, b, maxmb, np, nev);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0fM</text>"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>"
	    "<text x=\"%d\" y=\"%d\">0</text>"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">event %zu</text>"
	    "<text x=\"%d\" y=\"%d\" transform=\"rotate(-90 %d %d)\" "
	    "text-anchor=\"middle\">largest vmap, free (MiB)</text>"
	    "<text x=\"%d\" y=\"%d\" transform=\"rotate(-90 %d %d)\" "
	    "text-anchor=\"middle\" font-size=\"11\">stale tables</text>\n",
	    b->x0 - 6, b->y0 + 4, maxmb, b->x0 - 6, b->y1 + 4, b->x0 - 6,
	    b->sy0 + 4, np, b->x0 - 6, b->sy1 + 4, b->x0, b->sy1 + 16, b->x1,
	    b->sy1 + 16, nev, 20, (b->y0 + b->y1) / 2, 20, (b->y0 + b->y1) / 2,
	    20, (b->sy0 + b->sy1) / 2, 20, (b->sy0 + b->sy1) / 2);
}

/*
 * Where each policy failed (a tick) or panicked (a cross): one mark a
 * pixel column, from the buckets of its results.
 */
static void
plotmarks(FILE *f, const struct plotrun *pr, const struct plotbox *b)
{
	const char *name, *colour;
	uint32_t any;
	size_t nev, lo, hi;
	int j, x, y, c, w;

	w = b->x1 - b->x0;
	nev = pr->fails[0].n;
	for (j = 0; j < pr->n; j++) {
		name = policyat(pr->rp[j].pidx)->name;
		colour = policycolour(pr->rp[j].pidx);
		y = b->sy1 + 30 + j * 14;
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
		    "font-size=\"11\" fill=\"%s\">%s</text>\n", b->x0 - 6,
		    y + 4, colour, name);
		fprintf(f, "<g class=\"marks %s\" stroke=\"%s\" "
		    "stroke-width=\"2\">", name, colour);
		/*
		 * Event i is drawn at column (i+1)*w/nev: a tick or a cross
		 * per column where any of its events failed or panicked.
		 */
		for (c = 0; c <= w; c++) {
			x = b->x0 + c;
			lo = ((size_t)c * nev + w - 1) / w;
			hi = ((size_t)(c + 1) * nev + w - 1) / w;
			lo = lo ? lo - 1 : 0;
			hi = hi ? hi - 1 : 0;
			if (hist_range(&pr->fails[j], lo, hi, 1, &any) == 0 &&
			    any)
				fprintf(f, "<line class=\"fail\" x1=\"%d\" y1=\"%d\" "
				    "x2=\"%d\" y2=\"%d\"/>", x, y - 4, x, y + 4);
			if (hist_range(&pr->panics[j], lo, hi, 1, &any) == 0 &&
			    any)
				fprintf(f, "<path class=\"panic\" d=\"M%d %dl8 "
				    "8m0 -8l-8 8\" stroke=\"#b2182b\" "
				    "stroke-width=\"2\"/>", x - 4, y - 4);
		}
		fputs("</g>\n", f);
	}
}

/* The key of the lines, and of the marks. */
static void
plotkey(FILE *f, const struct replay *rps, int n, const struct plotbox *b)
{
	const char *name;
	int j, x;

	x = b->x0;
	for (j = 0; j < n; j++) {
		name = policyat(rps[j].pidx)->name;
		fprintf(f, "<g fill=\"%s\"><line x1=\"%d\" y1=\"34\" "
		    "x2=\"%d\" y2=\"34\" stroke=\"%s\" stroke-width=\"2\" "
		    "stroke-dasharray=\"%s\"/>", policycolour(rps[j].pidx), x,
		    x + 24, policycolour(rps[j].pidx), policydash(j));
		marker(f, j, x + 12, 34);
		fprintf(f, "</g><text x=\"%d\" y=\"38\" font-size=\"11\">%s"
		    "</text>\n", x + 28, name);
		x += 36 + 7 * (int)strlen(name);
	}
	name = policyat(rps[0].pidx)->name;
	fprintf(f, "<g font-size=\"11\"><line x1=\"%d\" y1=\"34\" "
	    "x2=\"%d\" y2=\"34\" stroke=\"#e15759\" stroke-width=\"2\"/>"
	    "<text x=\"%d\" y=\"38\">stale tables (%s)</text><line "
	    "x1=\"%d\" y1=\"34\" x2=\"%d\" y2=\"34\" stroke=\"#cccccc\" "
	    "stroke-width=\"6\"/><text x=\"%d\" y=\"38\">free (%s)</text>"
	    "</g>\n", x + 10, x + 26, x + 30, name, x + 150, x + 166, x + 170,
	    name);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\">| a vmap "
	    "that failed, x a panic</text>\n", b->x0, b->h - 8);
}

/*
 * The measures over the run: rps[0..n) are full replays of one trace
 * under several policies, with history; rps[0] is the chosen one.
 */
int
export_plot(FILE *f, const struct plotrun *pr)
{
	const struct replay *rp, *rps;
	struct plotbox b = { 860, 510, 70, 860 - 30, 50, 300, 316, 396 };
	char line[256], style[160];
	uint32_t top;
	double y;
	int j, np, end;

	rps = pr->rp;
	rp = &rps[0];
	np = vpdbsize(&rp->m);
	top = (uint32_t)np * WD2PG;
	if (top > MAXVMAPPAGES)
		top = MAXVMAPPAGES;
	svgstart(f, b.w, b.h);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
	    b.w, b.h);
	plotaxes(f, rp, &b, (double)top * BY2PG / MB, np);
	/* free pages of the chosen policy, stale tables, largest vmaps */
	series(f, &rp->hist[Hfree], b.x0, b.x1 - b.x0, b.y0, b.y1, top, 0,
	    "free", "stroke=\"#cccccc\" stroke-width=\"6\"");
	series(f, &rp->hist[Hstale], b.x0, b.x1 - b.x0, b.sy0, b.sy1, np, 1,
	    "stale", "stroke=\"#e15759\" stroke-width=\"2\"");
	for (j = pr->n - 1; j >= 0; j--) {
		snprintf(line, sizeof line, "largest %s",
		    policyat(rps[j].pidx)->name);
		snprintf(style, sizeof style, "stroke=\"%s\" stroke-width=\"%s\" "
		    "stroke-dasharray=\"%s\"", policycolour(rps[j].pidx),
		    j == 0 ? "2.5" : "2", policydash(j));
		/* a line ends where its kernel panicked, and says so */
		end = b.x1 - b.x0;
		if (rps[j].firstpanic.seq > 0 && rps[j].t->nev > 0)
			end = (int)((double)rps[j].firstpanic.seq *
			    (b.x1 - b.x0) / rps[j].t->nev);
		fprintf(f, "<g fill=\"%s\">\n", policycolour(rps[j].pidx));
		y = seriesto(f, &rps[j].hist[Hlargest], b.x0, b.x1 - b.x0, end,
		    b.y0, b.y1, top, 0, line, style, j);
		fputs("</g>\n", f);
		if (end < b.x1 - b.x0)
			fprintf(f, "<g class=\"panicend\" stroke=\"#b2182b\" "
			    "stroke-width=\"2.5\"><path d=\"M%d %.1fl10 10m0 "
			    "-10l-10 10\"/></g><text x=\"%d\" y=\"%.1f\" "
			    "font-size=\"11\" fill=\"#b2182b\">%s panics</text>\n",
			    b.x0 + end - 5, y - 5, b.x0 + end + 8, y - 8,
			    policyat(rps[j].pidx)->name);
	}
	plotmarks(f, pr, &b);
	plotkey(f, rps, pr->n, &b);
	fputs("</svg>\n", f);
	return ferror(f) ? -1 : 0;
}

/*
 * Start the plot's replays on t's machine: every policy, first the
 * first, each keeping its measures' history.
 */
void
export_plotinit(struct plotrun *pr, const struct trace *t,
    const Policy *first, const struct replayopts *o)
{
	struct replayopts ro;
	int i;

	memset(pr, 0, sizeof *pr);
	ro = *o;
	ro.measure = 1;
	ro.history = 1;
	ro.stream = 1;
	replay_init(&pr->rp[pr->n++], t, first, &ro);
	for (i = 0; i < npolicy(); i++)
		if (policyat(i) != first)
			replay_init(&pr->rp[pr->n++], t, policyat(i), &ro);
}

/* The next event, under every policy of the plot. */
void
export_plotfeed(struct plotrun *pr, const struct event *e)
{
	struct result res;
	int j;

	for (j = 0; j < pr->n; j++) {
		replay_feedslot(&pr->rp[j], &pr->made[j], e, &res);
		hist_add(&pr->fails[j], res.kind == Rfail);
		hist_add(&pr->panics[j], RSTOPS(res.kind));
		replay_clear(&res);
	}
}

void
export_plotfree(struct plotrun *pr)
{
	int j;

	for (j = 0; j < pr->n; j++) {
		replay_free(&pr->rp[j]);
		madetab_free(&pr->made[j]);
	}
	pr->n = 0;
}
