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
#define LABELW	96
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

/* The x, y of vmap slot i's cell. */
static void
cellxy(int i, int cols, int *x, int *y)
{
	*x = LABELW + (i % cols) * (CELLW + GAP);
	*y = TOP + (i / cols) * (CELLH + GAP);
}

/* Outline the cells of slots [a, b] row by row. */
static void
outline(FILE *f, int a, int b, int cols, const char *cls, const char *style)
{
	int x0, y0, x1, y1, r;

	for (r = a / cols; r <= b / cols; r++) {
		cellxy(r == a / cols ? a : r * cols, cols, &x0, &y0);
		cellxy(r == b / cols ? b : r * cols + cols - 1, cols, &x1, &y1);
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

/* The map's caption: the trace, the machine, the event and its result. */
static void
mapcaption(FILE *f, const struct replay *rp)
{
	const struct event *e;
	const struct result *r;
	char b[32], line[256], msg[PANICLEN];
	int n;

	snprintf(line, sizeof line, "%s: %s, kernel %s, PSE %s, after event "
	    "%zu of %zu", trace_name(rp->t), policyat(rp->pidx)->name,
	    kernelnames[rp->m.kernel], rp->m.pse ? "on" : "off", rp->pos,
	    rp->t->nev);
	svgtext(f, 12, 22, " font-size=\"15\" font-weight=\"bold\"", line);
	if (rp->pos == 0)
		return;
	e = &rp->t->ev[rp->pos - 1];
	r = &rp->r[rp->pos - 1];
	n = snprintf(line, sizeof line, "event %zu: %s", rp->pos,
	    opnames[e->op]);
	if (e->id != NULL)
		n += snprintf(line + n, sizeof line - n, " %s", e->id);
	if (e->op == OPvmap)
		n += snprintf(line + n, sizeof line - n, " of %s at pa 0x%.8x",
		    fmtbytes(b, sizeof b, e->size), e->pa);
	if (e->op == OPvmap && r->kind == Rok)
		snprintf(line + n, sizeof line - n, ": 0x%.8x", r->va);
	else if (r->panic != NULL)
		snprintf(line + n, sizeof line - n, ": panic %s",
		    replay_panicmsg(msg, sizeof msg, rp, r));
	else
		snprintf(line + n, sizeof line - n, ": %s",
		    resultnames[r->kind]);
	svgtext(f, 12, 44, "", line);
}

/* The cell of vmap slot i, in what its PDE holds. */
static void
mapcell(FILE *f, const Mmu *m, int i, int cols)
{
	uint32_t first, pde;
	int k, n, x, y, z;

	first = PDX(m->vmap);
	cellxy(i, cols, &x, &y);
	if (i % cols == 0)
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-family=\"monospace\">"
		    "0x%.8x</text>\n", 8, y + CELLH / 2 + 4,
		    m->vmap + i * PGDIRSIZE);
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

/* Outlined: the live mappings that span page tables, and the event's. */
static void
mapoutlines(FILE *f, const struct replay *rp, int cols)
{
	const Mmu *m;
	const struct event *e;
	const struct result *r;
	uint32_t first, base, size;
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
			outline(f, a, z < np ? z : np - 1, cols, "span",
			    "stroke=\"#7b3294\" stroke-width=\"3\"");
	}
	free(live);
	if (rp->pos == 0)
		return;
	r = &rp->r[rp->pos - 1];
	e = &rp->t->ev[rp->pos - 1];
	if (!((e->op == OPvmap && r->kind == Rok) || (e->op == OPvunmap &&
	    (r->kind == Rok || r->kind == Rpanic))))
		return;
	base = r->va & ~(BY2PG - 1);
	size = e->op == OPvmap ? replay_mapsize(rp, rp->pos - 1) :
	    replay_unmapsize(r);
	if (size > 0 && PDX(base) >= first && PDX(base) - first <
	    (uint32_t)np) {
		z = PDX(base + size - 1) - first;
		outline(f, PDX(base) - first, z < np ? z : np - 1, cols,
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
	    "event</text></g>\n", y + 22, y + 33, y + 22, y + 33);
}

/* The map of rp's state after its events so far. */
int
export_map(FILE *f, const struct replay *rp)
{
	int np, cols, rows, w, h, i;

	np = vpdbsize(&rp->m);
	cols = np <= 128 ? 8 : 16;
	rows = HOWMANY(np, cols);
	w = LABELW + cols * (CELLW + GAP) + 20;
	if (w < 520)
		w = 520;
	h = TOP + rows * (CELLH + GAP) + 70;
	svgstart(f, w, h);
	fprintf(f, "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" "
	    "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	    "<rect width=\"6\" height=\"6\" fill=\"#e15759\"/>"
	    "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#ffffff\" "
	    "stroke-width=\"2\"/></pattern></defs>\n");
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", w,
	    h);
	mapcaption(f, rp);
	for (i = 0; i < np; i++)
		mapcell(f, &rp->m, i, cols);
	mapoutlines(f, rp, cols);
	maplegend(f, TOP + rows * (CELLH + GAP) + 18);
	fputs("</svg>\n", f);
	return ferror(f) ? -1 : 0;
}

/* The plot's y for v out of max, in the box from top to bottom. */
static double
ypos(double v, double max, int top, int bottom)
{
	return max > 0 ? bottom - (bottom - top) * v / max : bottom;
}

/*
 * A polyline of the history v[0..n] (wide: uint32, else uint16) over w
 * columns from x0, the lowest (or with hi, highest) value per column.
 */
static void
series(FILE *f, const void *v, int wide, size_t n, int x0, int w, int top,
    int bottom, double max, int hi, const char *cls, const char *style)
{
	uint32_t best;
	int c;

	fprintf(f, "<polyline class=\"%s\" fill=\"none\" %s points=\"", cls,
	    style);
	for (c = 0; c < w; c++) {
		if (replay_histcolumn(v, wide, n, c, w, hi, &best) < 0)
			break;
		fprintf(f, "%d,%.1f ", x0 + c, ypos(best, max, top, bottom));
	}
	fputs("\"/>\n", f);
}

/* Where the plot draws: the box of the lines. */
struct plotbox {
	int	w, h;		/* the picture */
	int	x0, x1;		/* the box, left to right */
	int	y0, y1;		/* top to bottom */
};

/* The plot's title, axes and their labels. */
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
	fprintf(f, "<g stroke=\"#888888\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
	    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>\n",
	    b->x0, b->y1, b->x1, b->y1, b->x0, b->y0, b->x0, b->y1, b->x1,
	    b->y0, b->x1, b->y1);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0fM</text>"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>"
	    "<text x=\"%d\" y=\"%d\">%d</text>"
	    "<text x=\"%d\" y=\"%d\">0</text>"
	    "<text x=\"%d\" y=\"%d\">0</text>"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">event %zu</text>"
	    "<text x=\"%d\" y=\"%d\" transform=\"rotate(-90 %d %d)\" "
	    "text-anchor=\"middle\">largest vmap, free (MiB)</text>"
	    "<text x=\"%d\" y=\"%d\" transform=\"rotate(90 %d %d)\" "
	    "text-anchor=\"middle\">stale tables</text>\n",
	    b->x0 - 6, b->y0 + 4, maxmb, b->x0 - 6, b->y1 + 4, b->x1 + 6,
	    b->y0 + 4, np, b->x1 + 6, b->y1 + 4, b->x0, b->y1 + 16, b->x1,
	    b->y1 + 16, nev, 20, (b->y0 + b->y1) / 2, 20, (b->y0 + b->y1) / 2,
	    b->w - 20, (b->y0 + b->y1) / 2, b->w - 20, (b->y0 + b->y1) / 2);
}

/* Where each of the n policies failed (ticks) or panicked (crosses). */
static void
plotmarks(FILE *f, const struct replay *rps, int n, const struct plotbox *b)
{
	const char *name, *colour;
	size_t i, nev;
	int j, x, y;

	nev = rps[0].t->nev;
	for (j = 0; j < n; j++) {
		name = policyat(rps[j].pidx)->name;
		colour = policycolour(rps[j].pidx);
		y = b->y1 + 30 + j * 14;
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
		    "font-size=\"11\" fill=\"%s\">%s</text>\n", b->x0 - 6,
		    y + 4, colour, name);
		fprintf(f, "<g class=\"marks %s\" stroke=\"%s\">", name, colour);
		for (i = 0; i < nev; i++) {
			x = b->x0 + (int)((double)(i + 1) * (b->x1 - b->x0) /
			    (nev ? nev : 1));
			if (rps[j].r[i].kind == Rfail)
				fprintf(f, "<line class=\"fail\" x1=\"%d\" y1=\"%d\" "
				    "x2=\"%d\" y2=\"%d\"/>", x, y - 4, x, y + 4);
			else if (rps[j].r[i].kind == Rpanic)
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
		fprintf(f, "<line x1=\"%d\" y1=\"34\" x2=\"%d\" y2=\"34\" "
		    "stroke=\"%s\" stroke-width=\"2.5\"/><text x=\"%d\" "
		    "y=\"38\" font-size=\"11\">%s</text>\n", x, x + 16,
		    policycolour(rps[j].pidx), x + 20, name);
		x += 28 + 7 * (int)strlen(name);
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
export_plot(FILE *f, const struct replay *rps, int n)
{
	const struct replay *rp;
	struct plotbox b = { 860, 420, 70, 860 - 70, 50, 420 - 110 };
	char line[256], style[96];
	uint32_t top;
	size_t nev;
	int j, np;

	rp = &rps[0];
	nev = rp->t->nev;
	np = vpdbsize(&rp->m);
	top = (uint32_t)np * WD2PG;
	if (top > MAXVMAPPAGES)
		top = MAXVMAPPAGES;
	svgstart(f, b.w, b.h);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
	    b.w, b.h);
	plotaxes(f, rp, &b, (double)top * BY2PG / MB, np);
	/* free pages of the chosen policy, stale tables, largest vmaps */
	series(f, rp->histfree, 1, nev + 1, b.x0, b.x1 - b.x0, b.y0, b.y1, top,
	    0, "free", "stroke=\"#cccccc\" stroke-width=\"6\"");
	series(f, rp->histstale, 0, nev + 1, b.x0, b.x1 - b.x0, b.y0, b.y1, np,
	    1, "stale", "stroke=\"#e15759\" stroke-width=\"2\"");
	for (j = n - 1; j >= 0; j--) {
		snprintf(line, sizeof line, "largest %s",
		    policyat(rps[j].pidx)->name);
		snprintf(style, sizeof style, "stroke=\"%s\" stroke-width=\"%s\"",
		    policycolour(rps[j].pidx), j == 0 ? "2.5" : "1.5");
		series(f, rps[j].histlargest, 1, nev + 1, b.x0, b.x1 - b.x0,
		    b.y0, b.y1, top, 0, line, style);
	}
	plotmarks(f, rps, n, &b);
	plotkey(f, rps, n, &b);
	fputs("</svg>\n", f);
	return ferror(f) ? -1 : 0;
}
