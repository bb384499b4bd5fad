/*
 * The dump: the state of the vmap after some event, as text.  One row
 * per PDE of the vmap with what it holds, then the live mappings, each
 * marked when its pages lie in more than one page table.
 */
#include <stdio.h>
#include <stdlib.h>

#include "measure.h"
#include "replay.h"
#include "report.h"
#include "util.h"
#include "xmalloc.h"

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

/*
 * What event i, e, gave, r, and why: the line in line, the reason in
 * why, or "" where none is said (an ok note).  Made while the replay
 * stands where e left it.
 */
void
dump_whyof(const struct replay *rp, const struct event *e,
    const struct result *r, size_t i, char *line, size_t linelen, char *why,
    size_t whylen)
{
	char size[24];
	int n;

	/* an id or a note's text may be long: each part is cut to fit */
	n = snprintf(line, linelen, "event %zu, %s", i + 1, opnames[e->op]);
	if (e->id != NULL)
		n += snprintf(line + n, linelen - n, " %.200s", e->id);
	if (e->op == OPvmap)
		n += snprintf(line + n, linelen - n, " of %s at pa 0x%.8llx",
		    fmtbytes(size, sizeof size, e->size),
		    (unsigned long long)e->pa);
	else if (e->op == OPnote && e->text != NULL)
		n += snprintf(line + n, linelen - n, " \"%.200s\"", e->text);
	if (r->kind == Rok && e->op == OPvmap)
		snprintf(line + n, linelen - n, ": ok, 0x%.8x", r->va);
	else
		snprintf(line + n, linelen - n, ": %s", resultnames[r->kind]);
	why[0] = '\0';
	if (e->op != OPnote || r->kind != Rok)
		replay_why(why, whylen, rp, e, r, i);
}

/*
 * Write the state the replay has reached, after event rp->pos of total:
 * what the last event said (line and why, from dump_whyof; nil when no
 * event has run), a row per PDE, the n mappings live then, in the order
 * of their events, and the measures.
 */
void
dump_state(FILE *f, const struct replay *rp, size_t total, const char *line,
    const char *why, const struct dumplist *live)
{
	struct dumpmap lm;
	const Mmu *m;
	char size[24];
	uint32_t i, first, sz, base;
	size_t k;
	int span;
	Stats s;

	m = &rp->m;
	report_heading(f, rp);
	fprintf(f, "after event %zu of %zu", rp->pos, total);
	if (rp->panicked)
		fprintf(f, " (the kernel has panicked)");
	fputc('\n', f);
	if (line != NULL) {
		fprintwrap(f, "", line, 78);
		if (why[0] != '\0')
			fprintwrap(f, "  ", why, 78);
	}
	fprintf(f, "\n pde  range                  word        "
	    "state\n");
	first = PDX(m->vmap);
	for (i = 0; i < (uint32_t)vpdbsize(m); i++)
		dumppde(f, m, first + i);
	fprintf(f, "\nlive mappings: %zu\n", live->n);
	for (k = 0; k < live->n; k++) {
		live->get(live->arg, k, &lm);
		sz = ROUND(lm.size + (lm.va & (BY2PG - 1)), BY2PG);
		base = lm.va & ~(BY2PG - 1);
		fprintf(f, "  %5ld  %-16s  0x%.8x  pa 0x%.8llx  %-6s  pde %u",
		    lm.k + 1, lm.id ? lm.id : "-", lm.va,
		    (unsigned long long)lm.pa,
		    fmtbytes(size, sizeof size, sz), PDX(base));
		if (sz > 0 && PDX(base + sz - 1) != PDX(base))
			fprintf(f, "-%u", PDX(base + sz - 1));
		span = tablesspanned(m, base, sz);
		if (span > 1)
			fprintf(f, "  spans %d page tables", span);
		fputc('\n', f);
	}
	fputc('\n', f);
	replay_measure(rp, &s);
	measure_text(f, rp, &s, 0);
}

/* What a dump of a replay that keeps its results reads. */
struct keptlive {
	const struct replay	*rp;
	const int		*live;
};

/* Its k-th live mapping. */
static void
keptget(const void *arg, size_t k, struct dumpmap *m)
{
	const struct keptlive *kl = arg;
	const struct event *e;

	e = &kl->rp->t->ev[kl->live[k]];
	m->k = kl->live[k];
	m->id = e->id;
	m->va = kl->rp->r[kl->live[k]].va;
	m->pa = e->pa;
	m->size = e->size;
}

/*
 * The dump of a replay that keeps its results (replay_run), after the
 * events it has run.
 */
void
dump_text(FILE *f, const struct replay *rp)
{
	struct dumplist dl;
	struct keptlive kl;
	char line[640], why[512];
	int *live;

	why[0] = '\0';
	if (rp->pos > 0)
		dump_whyof(rp, &rp->t->ev[rp->pos - 1], &rp->r[rp->pos - 1],
		    rp->pos - 1, line, sizeof line, why, sizeof why);
	dl.n = replay_live(rp, rp->pos, &live);
	kl.rp = rp;
	kl.live = live;
	dl.get = keptget;
	dl.arg = &kl;
	dump_state(f, rp, rp->t->nev, rp->pos > 0 ? line : NULL, why, &dl);
	free(live);
}
