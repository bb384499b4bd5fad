/*
 * The page-directory map: one cell per PDE of the vmap, in rows labelled
 * with their addresses, each showing at a glance what the PDE holds.
 * The selected mapping is drawn in reverse, mappings that span page
 * tables are underlined, and the PDEs the current event touched are
 * bold with a marker.  Enter zooms into the selected PDE's 1024 PTEs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "ui.h"
#include "util.h"

/*
 * What live mapping le covers, [base, base+size): its vmap's size grown
 * by the address's offset in its page and rounded to pages.
 */
static void
maprange(const struct pane *p, const struct liventry *le, uint32_t *base,
    uint32_t *size)
{
	uint32_t o;

	o = le->va & (BY2PG - 1);
	*base = le->va - o;
	*size = ROUND(p->tl.vs->ev[le->i].size + o, BY2PG);
}

/*
 * The index in p->live of the live mapping that covers the lowest page
 * of [lo, lo+len) that any covers (the first such in event order), or
 * -1: one pass over the live mappings, whatever len.
 */
int
ui_pd_mapping(const struct pane *p, uint32_t lo, uint32_t len)
{
	uint32_t base, size, at, best;
	size_t i;
	int k;

	k = -1;
	best = 0;
	for (i = 0; i < p->nlive; i++) {
		maprange(p, &p->live[i], &base, &size);
		if ((uint64_t)base >= (uint64_t)lo + len ||
		    (uint64_t)lo >= (uint64_t)base + size)
			continue;
		/* it overlaps, from the later of the starts */
		at = base > lo ? base - lo : 0;
		if (k < 0 || at < best) {
			k = i;
			best = at;
		}
	}
	return k;
}

/* The range the current event touched, if any.  Returns 0 if none. */
static int
eventrange(const struct ui *u, const struct pane *p, uint32_t *base,
    uint32_t *size)
{
	const struct result *r;
	struct liventry le;
	struct result rb;
	int op;

	if (u->pos == 0)
		return 0;
	op = u->vs->ev[u->pos - 1].op;
	r = timeline_result(&p->tl, u->pos - 1, &rb);
	if (op == OPvmap && r->kind == Rok) {
		le.i = u->pos - 1;
		le.va = r->va;
		maprange(p, &le, base, size);
		return 1;
	}
	if (op == OPvunmap && (r->kind == Rok || RSTOPS(r->kind))) {
		*base = r->va & ~(BY2PG - 1);
		*size = replay_unmapsize(r);
		return 1;
	}
	return 0;
}

/* The three columns of a PDE's cell, and its colour pair. */
static const char *
cellglyph(const struct ui *u, const Mmu *m, uint32_t pdx, int *pair,
    char *buf, size_t len)
{
	static const char *const bars[] = {
		"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
		"\u2587", "\u2588"
	};
	int k, n, i, lvl;

	switch (pdekind(m, pdx)) {
	case Pblank:
		*pair = Cblank;
		return u->utf8 ? " \u00b7 " : " . ";
	case Pbig:
		*pair = Cbig;
		return u->utf8 ? "\u2593\u2593\u2593" : "###";
	case Pstale:
		*pair = Cstale;
		return u->utf8 ? "\u2591\u2591\u2591" : "!!!";
	}
	*pair = Ctable;
	n = mmupage(m, m->pdb[pdx])->nvalid;
	if (!u->utf8) {
		snprintf(buf, len, "t%2d", n >= 1024 ? 99 : n * 100 / 1024 > 0 ?
		    n * 100 / 1024 : 1);
		return buf;
	}
	/* a bar of three eighths-blocks: 24 levels, at least one */
	lvl = (n * 24 + 1023) / 1024;
	buf[0] = '\0';
	for (i = 0; i < 3; i++) {
		k = lvl - 8 * i;
		if (k <= 0)
			strncat(buf, " ", len - strlen(buf) - 1);
		else
			strncat(buf, bars[k > 8 ? 7 : k - 1],
			    len - strlen(buf) - 1);
	}
	return buf;
}

/* How the map fits its box: cells a row, their width, the rows shown. */
struct pdlayout {
	int	cellw;
	int	cpr;		/* cells a row */
	int	lblw;		/* a row's label (ui_pd_labelw) */
	int	rows;
	int	vis;		/* rows shown */
	int	top;		/* the first shown */
};

/* What marks a PDE's cell. */
enum {
	MKspan = 1,	/* of a live mapping that spans page tables */
	MKsel = 2,	/* of the selected mapping */
	MKtouched = 4,	/* of the current event's range */
	MKnamed = 8	/* named by the reason the pane shows */
};

/*
 * The width of a map row's label: its address and the kernel's number
 * of its first PDE (PDX), a blank after each.
 */
int
ui_pd_labelw(const Mmu *m)
{
	return PDX(m->vmap + (m->vmapsize ? m->vmapsize - 1 : 0)) >= 1000 ?
	    14 : 13;
}

/* The layout of np PDEs in h rows of w columns, the selection shown. */
static void
pdlayout(const struct ui *u, const Mmu *m, int np, int h, int w,
    struct pdlayout *lo)
{
	lo->lblw = ui_pd_labelw(m);
	lo->cellw = 4;
	lo->cpr = 16;
	/* too wide: a row of cpr cells (np, if fewer) past w */
#define WIDE(lo)	((lo)->lblw + ((lo)->cpr < np ? (lo)->cpr : np) * \
			    (lo)->cellw > w)
	if (WIDE(lo))
		lo->cpr = 8;
	/* narrow (two panes at 80 columns): the PDE number alone, so that
	 * a cell keeps the column for its mark */
	if (WIDE(lo))
		lo->lblw -= 9;
	if (WIDE(lo))
		lo->cellw = 3;
	if (WIDE(lo))
		lo->cpr = 4;
#undef WIDE
	lo->rows = HOWMANY(np, lo->cpr);
	lo->vis = h - 1 < 1 ? 1 : h - 1;
	lo->top = 0;
	if (lo->rows > lo->vis) {
		lo->top = u->sel / lo->cpr - lo->vis / 2;
		if (lo->top < 0)
			lo->top = 0;
		if (lo->top > lo->rows - lo->vis)
			lo->top = lo->rows - lo->vis;
	}
}

/* Mark with bit the PDEs of [base, base+size), as far as the vmap's. */
static void
markrange(uint8_t *mark, const Mmu *m, uint32_t base, uint32_t size,
    int bit)
{
	uint32_t i, first, np;

	if (size == 0)
		return;
	first = PDX(m->vmap);
	np = vpdbsize(m);
	for (i = PDX(base) - first; i <= PDX(base + size - 1) - first &&
	    i < np; i++)
		mark[i] |= bit;
}

/* The marks of pane p's PDEs (caller frees). */
static uint8_t *
pdmarks(const struct ui *u, const struct pane *p)
{
	const Mmu *m;
	struct paneword w;
	uint8_t *mark;
	uint32_t base, size, i, vbase, lo, hi;
	int np, k, ntab;

	m = &p->tl.cur.m;
	np = vpdbsize(m);
	vbase = PDX(m->vmap);
	mark = xcalloc(np, 1);
	for (k = 0; k < (int)p->nlive; k++) {
		maprange(p, &p->live[k], &base, &size);
		if (size == 0)
			continue;
		for (ntab = 0, i = PDX(base); i <= PDX(base + size - 1) &&
		    i - vbase < (uint32_t)np; i++)
			if (pdekind(m, i) >= Ptable)
				ntab++;
		if (ntab > 1)
			markrange(mark, m, base, size, MKspan);
	}
	k = ui_pd_mapping(p, m->vmap + (uint32_t)u->sel * PGDIRSIZE,
	    PGDIRSIZE);
	if (k >= 0) {
		maprange(p, &p->live[k], &base, &size);
		markrange(mark, m, base, size, MKsel);
	}
	if (!p->probing && eventrange(u, p, &base, &size))
		markrange(mark, m, base, size, MKtouched);
	ui_words(u, p, &w);
	if (reasonpdes(&w.why, &lo, &hi) && hi >= lo)
		markrange(mark, m, lo * PGDIRSIZE, (hi - lo + 1) * PGDIRSIZE,
		    MKnamed);
	if (w.panic != NULL && (w.panic->kind == PNvmappte ||
	    w.panic->kind == PNvmappde))
		markrange(mark, m, w.panic->va, BY2PG, MKnamed);
	return mark;
}

/* Row r of the map at (y, x): its address, then its cells. */
static void
pdrow(struct ui *u, struct pane *p, const uint8_t *mark,
    const struct pdlayout *lo, int r, int y, int x)
{
	const Mmu *m;
	const char *g;
	char buf[32], lbl[24];
	uint32_t i;
	int c, pair, attr, cursor;

	m = &p->tl.cur.m;
	if (lo->lblw >= 13)
		snprintf(lbl, sizeof lbl, "%.8x %*u ", m->vmap + r * lo->cpr *
		    PGDIRSIZE, lo->lblw - 10, PDX(m->vmap) + r * lo->cpr);
	else
		snprintf(lbl, sizeof lbl, "%*u ", lo->lblw - 1, PDX(m->vmap) +
		    r * lo->cpr);
	attron(ui_attr(u, Cdim));
	mvaddstr(y, x, lbl);
	attroff(ui_attr(u, Cdim));
	for (c = 0; c < lo->cpr; c++) {
		i = r * lo->cpr + c;
		if (i >= (uint32_t)vpdbsize(m))
			break;
		g = cellglyph(u, m, PDX(m->vmap) + i, &pair, buf, sizeof buf);
		cursor = (int)i == u->sel && p == &u->pane[u->focus];
		attr = ui_attr(u, pair);
		if (mark[i] & MKspan)
			attr |= A_UNDERLINE;
		if (mark[i] & MKsel)
			attr |= A_REVERSE;
		if (mark[i] & (MKtouched | MKnamed))
			attr |= A_BOLD;
		/* the cursor turns the cell over: a reversed one comes back */
		if (cursor)
			attr = (attr ^ A_REVERSE) | A_BOLD;
		move(y, x + lo->lblw + c * lo->cellw);
		attron(attr);
		addstr(g);
		attroff(attr);
		if (lo->cellw == 4)
			addstr((mark[i] & MKtouched) ? (u->utf8 ? "\u25c2" :
			    "<") : (mark[i] & MKnamed) ? "*" : cursor ? "]" : " ");
		else if (mark[i] & MKnamed) {
			/*
			 * No room beside it: over the cell's last column, or
			 * in ASCII its first (the t of t99, not a digit).
			 */
			move(y, x + lo->lblw + c * lo->cellw + (u->utf8 ? 2 : 0));
			attron(attr);
			addstr("*");
			attroff(attr);
		}
	}
}

/*
 * Pane p's map at (y, x) in h rows of w columns: a heading, then the
 * PDEs a row of cells each, scrolled to keep the selection in sight.
 * Returns the rows drawn.
 */
int
ui_pd_draw(struct ui *u, struct pane *p, int y, int x, int h, int w)
{
	struct pdlayout lo;
	const Mmu *m;
	uint8_t *mark;
	uint32_t vbase;
	int np, r, attr, used, n;
	char head[128];

	m = &p->tl.cur.m;
	np = vpdbsize(m);
	vbase = PDX(m->vmap);
	pdlayout(u, m, np, h, w, &lo);
	u->cpr = lo.cpr;	/* H and L move a row as drawn */
	mark = pdmarks(u, p);
	attr = ui_attr(u, Cheader) | (u->npane > 1 && p == &u->pane[u->focus]
	    ? A_BOLD : 0);
	attron(attr);
	mvprintw(y, x, "%-*.*s", w, w, "");
	n = snprintf(head, sizeof head, "%s%s  PDEs %u-%u", u->npane > 1 &&
	    p == &u->pane[u->focus] ? "> " : "", policyat(p->pidx)->name,
	    vbase, vbase + np - 1);
	/* rows that do not fit: which are shown (H, L reach the rest) */
	if (lo.rows > lo.vis && n > 0 && (size_t)n < sizeof head)
		snprintf(head + n, sizeof head - n, "  rows %d-%d of %d",
		    lo.top + 1, lo.top + lo.vis, lo.rows);
	mvaddnstr(y, x, head, w);
	attroff(attr);
	used = 1;
	for (r = lo.top; r < lo.rows && r < lo.top + lo.vis; r++)
		pdrow(u, p, mark, &lo, r, y + used++, x);
	free(mark);
	return used;
}

/* One line about the selected PDE of pane p, at (y, x), w wide. */
void
ui_pd_info(struct ui *u, struct pane *p, int y, int x, int w)
{
	const Mmu *m;
	const char *id;
	uint32_t pdx, pde, va, base, size;
	char line[256], b[24];
	int k, n;

	m = &p->tl.cur.m;
	pdx = PDX(m->vmap) + u->sel;
	pde = m->pdb[pdx];
	va = pdx * PGDIRSIZE;
	n = snprintf(line, sizeof line, "PDE %u 0x%.8x: ", pdx, va);
	switch (pdekind(m, pdx)) {
	case Pblank:
		n += snprintf(line + n, sizeof line - n, "blank");
		break;
	case Pbig:
		n += snprintf(line + n, sizeof line - n, "4M page at pa 0x%.8x",
		    PPN(pde));
		break;
	case Ptable:
		n += snprintf(line + n, sizeof line - n, "table %d/1024 PTEs",
		    mmupage(m, pde)->nvalid);
		break;
	case Pstale:
		n += snprintf(line + n, sizeof line - n, "STALE table, 0/1024 "
		    "PTEs: never freed");
		break;
	}
	k = ui_pd_mapping(p, va, PGDIRSIZE);
	if (k >= 0 && n < (int)sizeof line) {
		id = vstore_id(u->vs, p->live[k].i);
		maprange(p, &p->live[k], &base, &size);
		n += snprintf(line + n, sizeof line - n, "; %s (event %d) "
		    "0x%.8x %s", id ? id : "-", p->live[k].i + 1,
		    p->live[k].va, fmtbytes(b, sizeof b, size));
	}
	/* where the table lies, when there is room */
	if (pdekind(m, pdx) >= Ptable && n < (int)sizeof line &&
	    w - n >= 25)
		snprintf(line + n, sizeof line - n, "; table at pa 0x%.8x",
		    PPN(pde));
	mvprintw(y, x, "%-*.*s", w, w, line);
}

static const char zoomletters[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/*
 * The zoom's grid, from row y: each PTE of table pt (at va) as the
 * letter of the live mapping near[k] that owns its page, . free, ? a
 * page no live mapping owns; the PTEs named[] in reverse.  Returns
 * whether a ? was drawn.
 */
static int
zoomgrid(struct ui *u, struct pane *p, const uint32_t *pt, uint32_t va,
    const int *near, int nnear, const int *named, int y, int x, int h,
    int cols)
{
	uint32_t base, size;
	int r, c, i, k, ch, attr, unowned;

	unowned = 0;
	for (r = 0; r < WD2PG / cols && r < h; r++) {
		mvprintw(y + r, x, "%.8x ", va + r * cols * BY2PG);
		for (c = 0; c < cols; c++) {
			i = r * cols + c;
			ch = '.';
			k = -1;
			if (pt[i] & PTEVALID) {
				ch = '?';	/* a page no live mapping owns */
				for (k = 0; k < nnear; k++) {
					maprange(p, &p->live[near[k]], &base,
					    &size);
					if (va + i * BY2PG >= base &&
					    va + i * BY2PG - base < size)
						break;
				}
				if (k < nnear)
					ch = zoomletters[k];
				else {
					k = -1;
					unowned = 1;
				}
			}
			attr = k >= 0 ? ui_attr(u, Ctable + (k % 2) * (Cbig -
			    Ctable)) : ui_attr(u, Cdim);
			if (i == named[0] || i == named[1])
				attr = A_REVERSE | A_BOLD;
			attron(attr);
			addch(ch);
			attroff(attr);
		}
	}
	return unowned;
}

/* The zoom: the selected PDE's 1024 PTEs, a character each. */
void
ui_pd_zoom(struct ui *u, struct pane *p, int y, int x, int h, int w)
{
	const Mmu *m;
	const struct liventry *le;
	const char *id;
	struct paneword pw;
	uint32_t pdx, pde, va, *pt, base, size, npde, npte;
	int near[62], nnear, k, cols, rows, line;
	int named[2], unowned;
	char b[24], head[128];

	m = &p->tl.cur.m;
	pdx = PDX(m->vmap) + u->sel;
	pde = m->pdb[pdx];
	va = pdx * PGDIRSIZE;
	attron(ui_attr(u, Cheader));
	mvprintw(y, x, "%-*.*s", w, w, "");
	/* one row, whatever the width: the rest is cut, never wrapped */
	snprintf(head, sizeof head, "zoom: PDE %u, 0x%.8x-0x%.8x, word "
	    "0x%.8x  (Esc back)", pdx, va, va + PGDIRSIZE - 1, pde);
	mvaddnstr(y, x, head, w);
	attroff(ui_attr(u, Cheader));
	if (pdekind(m, pdx) == Pblank || pdekind(m, pdx) == Pbig) {
		mvprintw(y + 2, x, pdekind(m, pdx) == Pblank ?
		    "blank: no page table" : "a 4M page at pa 0x%.8x: no page "
		    "table", PPN(pde));
		return;
	}
	pt = pdetable(m, pde);
	/* the live mappings with pages in this table, lettered in order */
	nnear = 0;
	for (k = 0; k < (int)p->nlive && nnear < 62; k++) {
		maprange(p, &p->live[k], &base, &size);
		if (size > 0 && base < va + PGDIRSIZE && base + size > va)
			near[nnear++] = k;
	}
	/* the PTEs the reason names here: where its hole or run starts, a
	 * panic's page */
	named[0] = named[1] = -1;
	ui_words(u, p, &pw);
	if (reasonpte(&pw.why, &npde, &npte) && npde == pdx)
		named[0] = npte;
	if (pw.panic != NULL && pw.panic->kind == PNvmappte &&
	    PDX(pw.panic->va) == pdx)
		named[1] = PTX(pw.panic->va);
	cols = w >= 66 ? 64 : 32;
	rows = WD2PG / cols;
	unowned = zoomgrid(u, p, pt, va, near, nnear, named, y + 2, x, h - 2,
	    cols);
	/* the key of what the grid shows, once it is known */
	mvprintw(y + 1, x, "table at pa 0x%.8x, %d/1024 PTEs used; . free%s%s",
	    PPN(pde), mmupage(m, pde)->nvalid, unowned ?
	    "; ? no live mapping's" : "", named[0] >= 0 || named[1] >= 0 ?
	    "; reverse: named by the reason" : "");
	line = y + 3 + rows;
	for (k = 0; k < nnear && line < y + h; k++, line++) {
		le = &p->live[near[k]];
		id = vstore_id(u->vs, le->i);
		maprange(p, le, &base, &size);
		mvprintw(line, x, "%c %-16.16s event %-6d 0x%.8x %-6s pa 0x%.8x",
		    zoomletters[k], id ? id : "-", le->i + 1, le->va,
		    fmtbytes(b, sizeof b, size), u->vs->ev[le->i].a);
	}
}

/* The legend of the map's cells, at (y, x), w columns wide. */
void
ui_pd_legend(struct ui *u, int y, int x, int w)
{
	static const struct {
		const char *utf8, *ascii, *word[3];
	} items[] = {
		{ "\u00b7", ".", { "blank", "blank", "blank" } },
		{ "\u2593", "###", { "4M page", "4M", "4M" } },
		{ "\u2581\u2583\u2585", "tNN",
		  { "table, by fill", "table", "table" } },
		{ "\u2591", "!!!", { "STALE table (empty, never freed)",
		  "STALE (empty, never freed)", "stale" } },
		{ "]", "]", { "selected", "selected", "selected" } },
		{ "_", "_", { "spans tables", "spans", "spans" } },
		{ "\u25c2", "<", { "this event", "event", "event" } },
		{ "*", "*", { "named below", "named", "named" } },
	};
	enum { N = sizeof items / sizeof items[0] };
	char line[512];
	size_t len;
	int level, n, k;

	/*
	 * Every glyph the map draws, said in full where there is room,
	 * else more briefly (stale tables explained as long as they can
	 * be), else the last ones left out: never a word cut.
	 */
	for (level = 0; level < 3; level++)
		for (n = N; n > 0; n--) {
			line[0] = '\0';
			for (k = 0; k < n; k++) {
				len = strlen(line);
				snprintf(line + len, sizeof line - len, "%s%s %s",
				    k == 0 ? "" : level ? " " : "  ",
				    u->utf8 ? items[k].utf8 : items[k].ascii,
				    items[k].word[level]);
			}
			if (ui_textwidth(line) <= w)
				goto fits;
			if (level < 2)
				break;
		}
fits:
	attron(ui_attr(u, Cdim));
	ui_addtext(y, x, line, w);
	attroff(ui_attr(u, Cdim));
}
