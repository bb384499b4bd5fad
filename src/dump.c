/*
 * The dump: the state of the vmap after some event, as text.  One row
 * per PDE of the vmap with what it holds, then the live mappings, each
 * marked when its pages lie in more than one page table.
 */
#include <stdio.h>
#include <stdlib.h>

#include "replay.h"
#include "report.h"
#include "util.h"

/* How many page tables hold PTEs of [va, va+size). */
static int
tablesspanned(const Mmu *m, uint32_t va, uint32_t size)
{
	uint32_t first, last, i;
	int n;

	if (size == 0)
		return 0;
	va &= ~(BY2PG - 1);
	first = PDX(va);
	last = PDX(va + size - 1);
	n = 0;
	for (i = first; i <= last && i < NPDE; i++)
		if (pdekind(m, i) == Ptable || pdekind(m, i) == Pstale)
			n++;
	return n;
}

/* One PDE's row. */
static void
dumppde(FILE *f, const Mmu *m, uint32_t i)
{
	uint32_t pde, base;

	pde = m->pdb[i];
	base = i * PGDIRSIZE;
	fprintf(f, "%4u  0x%.8x-0x%.8x  0x%.8x  ", i, base,
	    base + PGDIRSIZE - 1, pde);
	switch (pdekind(m, i)) {
	case Pblank:
		fprintf(f, "blank\n");
		break;
	case Pbig:
		fprintf(f, "4M page at pa 0x%.8x\n", PPN(pde));
		break;
	case Ptable:
		fprintf(f, "table %d/1024\n",
		    mmupage(m, pde)->nvalid);
		break;
	case Pstale:
		fprintf(f, "stale table 0/1024\n");
		break;
	}
}

/* Event i, what it gave and why, wrapped. */
static void
dumpwhy(FILE *f, const struct replay *rp, size_t i)
{
	const struct event *e;
	const struct result *r;
	char line[640], why[512], size[24];
	int n;

	e = &rp->t->ev[i];
	r = &rp->r[i];
	/* an id or a note's text may be long: each part is cut to fit */
	n = snprintf(line, sizeof line, "event %zu, %s", i + 1, opnames[e->op]);
	if (e->id != NULL)
		n += snprintf(line + n, sizeof line - n, " %.200s", e->id);
	if (e->op == OPvmap)
		n += snprintf(line + n, sizeof line - n, " of %s at pa 0x%.8x",
		    fmtbytes(size, sizeof size, e->size), e->pa);
	else if (e->op == OPnote && e->text != NULL)
		n += snprintf(line + n, sizeof line - n, " \"%.200s\"", e->text);
	if (r->kind == Rok && e->op == OPvmap)
		n += snprintf(line + n, sizeof line - n, ": ok, 0x%.8x",
		    r->va);
	else
		n += snprintf(line + n, sizeof line - n, ": %s",
		    resultnames[r->kind]);
	fprintwrap(f, "", line, 78);
	if (e->op != OPnote || r->kind != Rok)
		fprintwrap(f, "  ", replay_why(why, sizeof why, rp, e, r, i), 78);
}

/*
 * Write the state the replay has reached.
 */
void
dump_text(FILE *f, const struct replay *rp)
{
	const Mmu *m;
	const struct event *e;
	char size[24];
	uint32_t i, first, sz, base;
	size_t n, k;
	int *live, span;
	Stats s;

	m = &rp->m;
	report_heading(f, rp);
	fprintf(f, "after event %zu of %zu", rp->pos, rp->t->nev);
	if (rp->panicked)
		fprintf(f, " (the kernel has panicked)");
	fputc('\n', f);
	if (rp->pos > 0)
		dumpwhy(f, rp, rp->pos - 1);
	fprintf(f, "\n pde  range                  word        "
	    "state\n");
	first = PDX(m->vmap);
	for (i = 0; i < (uint32_t)vpdbsize(m); i++)
		dumppde(f, m, first + i);
	n = replay_live(rp, rp->pos, &live);
	fprintf(f, "\nlive mappings: %zu\n", n);
	for (k = 0; k < n; k++) {
		e = &rp->t->ev[live[k]];
		sz = replay_mapsize(rp, live[k]);
		base = rp->r[live[k]].va & ~(BY2PG - 1);
		fprintf(f, "  %5d  %-16s  0x%.8x  pa 0x%.8x  %-6s  pde %u",
		    live[k] + 1, e->id ? e->id : "-", rp->r[live[k]].va,
		    e->pa, fmtbytes(size, sizeof size, sz), PDX(base));
		if (sz > 0 && PDX(base + sz - 1) != PDX(base))
			fprintf(f, "-%u", PDX(base + sz - 1));
		span = tablesspanned(m, base, sz);
		if (span > 1)
			fprintf(f, "  spans %d page tables", span);
		fputc('\n', f);
	}
	free(live);
	fputc('\n', f);
	replay_measure((struct replay *)rp, &s);
	report_measures(f, rp, &s);
}
