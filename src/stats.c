/*
 * The measures of a state (spec section 6): PDEs by kind, mapped and
 * free pages, the largest free run, page-table pages, fragmentation and,
 * per policy, the largest vmap its vmapalloc would place now.
 *
 * largestvmap_ref asks vmapalloc itself for every size, largest first,
 * and checks that pdbmap would map the result: exact by definition, and
 * slow.  largestvmap gets the same answer from each page table's
 * free-run summary (longest hole, free head, free tail), which pdbmap
 * and pdbunmap mark stale when they write, so a state can be measured
 * after every event of a long trace.  Neither assumes that success is
 * monotonic in the size.  The differential tests hold the two to the
 * same answers.
 */
#include <stdlib.h>
#include <string.h>

#include "mmu.h"

static int	ispt(uint32_t);

/* A PDE that points at a page table. */
static int
ispt(uint32_t pde)
{
	return (pde & PTEVALID) && !(pde & PTESIZE);
}

/*
 * Whether pdbmap would map size bytes at va without a panic, for a pa
 * that is not 4 MiB-aligned (so every page goes through a PTE): no
 * 4 MiB PDE and no valid PTE in the way, and page tables for the blank
 * PDEs within the ptpages budget.  A dry run: nothing is written.
 */
static int
pdbmapok(Mmu *m, uint32_t va, uint32_t size)
{
	uint32_t off, pde, need;

	need = 0;
	for (off = 0; off < size; off += BY2PG) {
		pde = m->pdb[PDX(va + off)];
		if ((pde & PTEVALID) && (pde & PTESIZE))
			return 0;
		if (!(pde & PTEVALID)) {
			/* a new table, zeroed: the rest of this PDE is free */
			need++;
			off = ((va + off) | (PGDIRSIZE - 1)) - va - BY2PG + 1;
			continue;
		}
		if (pdetable(m, pde)[PTX(va + off)] & PTEVALID)
			return 0;
	}
	return m->ptpages == 0 || m->ptinuse + need <= m->ptpages;
}

/*
 * The reference: ask vmapalloc, and pdbmap dry, for every size from the
 * free pages down.  No mapping can be larger than what is free.
 */
uint32_t
largestvmap_ref(Mmu *m, const Policy *p)
{
	Stats s;
	uint32_t n, top, va;

	mmustats(m, &s);
	top = MAXVMAPPAGES;
	if (s.free < top)
		top = s.free;
	for (n = top; n > 0; n--)
		if ((va = p->vmapalloc(m, n * BY2PG)) != 0 &&
		    pdbmapok(m, va, n * BY2PG))
			return n;
	return 0;
}

/*
 * A node of the tree over the vmap's PDEs: for its stretch of PDEs, the
 * runs of blank PDEs and of free PTEs over consecutive page tables at
 * its start, at its end and anywhere, and the longest hole in one of
 * its tables.  Two neighbours make their parent as a run's pieces join.
 */
struct Pdenode {
	uint32_t	bpre, bsuf, bbest;	/* blank PDEs */
	uint32_t	rpre, rsuf, rbest;	/* free pages over tables */
	uint16_t	maxhole;
	uint8_t		ball;		/* every PDE blank */
	uint8_t		rall;		/* every PDE an empty table */
};

/* The leaf of PDE i of the vmap (past the vmap: a PDE that breaks runs). */
static void
leaf(Mmu *m, int i, Pdenode *n)
{
	uint32_t pde;
	Ptpage *pg;

	memset(n, 0, sizeof *n);
	if (i >= vpdbsize(m))
		return;
	pde = vpdb(m)[i];
	if (pde == 0) {
		n->bpre = n->bsuf = n->bbest = 1;
		n->ball = 1;
	} else if (ispt(pde)) {
		pg = ptfresh(m, pde);
		n->rpre = pg->head;
		n->rsuf = pg->tail;
		n->rbest = pg->maxhole;
		n->maxhole = pg->maxhole;
		n->rall = pg->head == WD2PG;
	}
}

static uint32_t
max3(uint32_t a, uint32_t b, uint32_t c)
{
	a = a > b ? a : b;
	return a > c ? a : c;
}

/* Node k from its children. */
static void
pull(Pdenode *t, int k)
{
	const Pdenode *l, *r;
	Pdenode *n;

	l = &t[2 * k];
	r = &t[2 * k + 1];
	n = &t[k];
	n->bpre = l->ball ? l->bpre + r->bpre : l->bpre;
	n->bsuf = r->ball ? r->bsuf + l->bsuf : r->bsuf;
	n->bbest = max3(l->bbest, r->bbest, l->bsuf + r->bpre);
	n->ball = l->ball && r->ball;
	n->rpre = l->rall ? l->rpre + r->rpre : l->rpre;
	n->rsuf = r->rall ? r->rsuf + l->rsuf : r->rsuf;
	n->rbest = max3(l->rbest, r->rbest, l->rsuf + r->rpre);
	n->rall = l->rall && r->rall;
	n->maxhole = l->maxhole > r->maxhole ? l->maxhole : r->maxhole;
}

/*
 * Bring the tree up to date: the leaves of the PDEs marked since, and
 * the nodes above them; all of it when it was not kept.  Returns its
 * root, or nil when out of memory.
 */
static const Pdenode *
treefresh(Mmu *m)
{
	uint64_t w;
	int np, first, i, k, b, n, j, changed[NPDE];

	np = vpdbsize(m);
	if (m->tree == NULL) {
		for (m->nleaf = 1; m->nleaf < np;)
			m->nleaf *= 2;
		if ((m->tree = calloc(2 * m->nleaf, sizeof *m->tree)) == NULL)
			return NULL;
		m->treeok = 0;
	}
	first = PDX(m->vmap);
	if (!m->treeok) {
		for (i = 0; i < m->nleaf; i++)
			leaf(m, i, &m->tree[m->nleaf + i]);
		for (k = m->nleaf - 1; k >= 1; k--)
			pull(m->tree, k);
		m->treeok = 1;
	} else {
		/* the marked leaves, in order, then their parents, once each */
		n = 0;
		for (b = 0; b < NPDE / 64; b++)
			for (w = m->pdemark[b]; w != 0; w &= w - 1) {
				i = b * 64 + __builtin_ctzll(w) - first;
				if (i < 0 || i >= np)
					continue;
				leaf(m, i, &m->tree[m->nleaf + i]);
				changed[n++] = m->nleaf + i;
			}
		while (n > 0 && changed[0] > 1) {
			for (i = j = 0; i < n; i++) {
				k = changed[i] / 2;
				if (j == 0 || changed[j - 1] != k) {
					pull(m->tree, k);
					changed[j++] = k;
				}
			}
			n = j;
		}
	}
	memset(m->pdemark, 0, sizeof m->pdemark);
	return &m->tree[1];
}

/* What the fast path needs to know of the vmap's PDEs. */
struct shape {
	uint32_t	blankrun;	/* longest run of blank PDEs */
	uint32_t	avail;		/* page tables the budget still allows */
	uint32_t	maxhole;	/* longest hole in one table */
	int		anyblank;
};

/*
 * span's step 2 beyond one table: the largest n = k*1024 + r (k >= kmin,
 * 1 <= r <= 1024) for which the first run the patch's scan finds is one
 * it maps without a panic.  A run is k empty tables and a table with a
 * hole of r; the scan finds the earliest such final table f, and the
 * address is right only when f's first hole of r starts at entry 0,
 * that is when f's free head holds r.  Going through the final tables
 * in order, r is first found at f for r above the longest hole of the
 * earlier candidates, so f gives success for r in (that, head(f)].
 */
static uint32_t
spanmulti(Mmu *m, uint32_t kmin)
{
	uint32_t *pd, k, kmax, before, empties, head, best;
	int i, np;
	Ptpage *pg;

	pd = vpdb(m);
	np = vpdbsize(m);
	/* no run can have more empty tables than the longest block of them */
	kmax = empties = 0;
	for (i = 0; i < np; i++) {
		if (ispt(pd[i]) && ptfresh(m, pd[i])->maxhole == WD2PG)
			empties++;
		else
			empties = 0;
		if (empties > kmax)
			kmax = empties;
	}
	for (k = kmax; k >= kmin && k >= 1; k--) {
		before = 0;
		best = 0;
		empties = 0;
		for (i = 0; i < np; i++) {
			if (!ispt(pd[i])) {
				empties = 0;
				continue;
			}
			pg = ptfresh(m, pd[i]);
			if (empties >= k) {
				head = pg->head;
				if (head > before && head > best)
					best = head;
				if (pg->maxhole > before)
					before = pg->maxhole;
			}
			empties = pg->maxhole == WD2PG ? empties + 1 : 0;
		}
		if (best > 0)
			return k * WD2PG + best;
	}
	return 0;
}

/*
 * The largest vmap, in pages, that would succeed now under p: vmapalloc
 * places it and pdbmap maps it without a panic, for a pa that is not
 * 4 MiB-aligned.  0: none.  Success is not monotonic in the size (a
 * span run whose address is off panics while a larger one maps), so
 * each step of vmapalloc is worked out for the sizes that reach it.
 */
uint32_t
largestvmap(Mmu *m, const Policy *p)
{
	const Pdenode *root;
	struct shape sh;
	uint32_t *pd, blanks, run, best, big, small, v;
	int i, n, np;
	Ptpage *pg;

	memset(&sh, 0, sizeof sh);
	pd = vpdb(m);
	np = vpdbsize(m);
	blanks = run = 0;
	best = 0;
	/* span needs its tables one by one (spanmulti); the rest, the tree */
	if (p->vmapalloc != span_vmapalloc && (root = treefresh(m)) != NULL) {
		sh.blankrun = root->bbest;
		sh.maxhole = root->maxhole;
		best = root->rbest;
		n = 0;
	} else
		n = np;
	for (i = 0; i < n; i++) {
		blanks = pd[i] == 0 ? blanks + 1 : 0;
		if (blanks > sh.blankrun)
			sh.blankrun = blanks;
		if (!ispt(pd[i])) {
			run = 0;
			continue;
		}
		pg = ptfresh(m, pd[i]);
		if (pg->maxhole > sh.maxhole)
			sh.maxhole = pg->maxhole;
		/* the longest run over consecutive tables, for span-fixed */
		if (run + pg->head > best)
			best = run + pg->head;
		run = pg->head == WD2PG ? run + WD2PG : pg->tail;
	}
	if (sh.maxhole > best)
		best = sh.maxhole;
	sh.anyblank = sh.blankrun > 0;
	sh.avail = m->ptpages == 0 ? (uint32_t)np :
	    m->ptinuse >= m->ptpages ? 0 : m->ptpages - m->ptinuse;

	/* Step 1, for 4 MiB and more: blank PDEs, each needing a table. */
	big = (sh.blankrun < sh.avail ? sh.blankrun : sh.avail) * WD2PG;
	/* Below 4 MiB, a blank PDE is the last resort of every policy. */
	small = sh.anyblank && sh.avail > 0 ? WD2PG - 1 : 0;

	if (p->vmapalloc == plan9_vmapalloc) {
		v = sh.maxhole < WD2PG - 1 ? sh.maxhole : WD2PG - 1;
		small = small > v ? small : v;
		v = big;
	} else if (p->vmapalloc == span_vmapalloc) {
		v = sh.maxhole < WD2PG - 1 ? sh.maxhole : WD2PG - 1;
		small = small > v ? small : v;
		/* 4 MiB from one empty table, when step 1 has no blank PDE */
		v = sh.blankrun == 0 && sh.maxhole == WD2PG ? WD2PG : 0;
		if (big > v)
			v = big;
		if (spanmulti(m, sh.blankrun) > v)
			v = spanmulti(m, sh.blankrun);
	} else if (p->vmapalloc == spanfixed_vmapalloc) {
		v = best < WD2PG - 1 ? best : WD2PG - 1;
		small = small > v ? small : v;
		/* the run over tables serves sizes step 1 cannot place */
		v = best > sh.blankrun * WD2PG ? best : 0;
		if (big > v)
			v = big;
	} else
		return largestvmap_ref(m, p);
	if (small > v)
		v = small;
	/* Every step places any smaller size of its own, so the cap is exact. */
	return v < MAXVMAPPAGES ? v : MAXVMAPPAGES;
}

/*
 * Measure the state into s; largest[] is left to the caller, who says
 * which policies it wants (largestvmap).
 */
void
mmustats(Mmu *m, Stats *s)
{
	uint32_t *pd, run;
	int i, np, k;
	Ptpage *pg;

	memset(s, 0, sizeof *s);
	pd = vpdb(m);
	np = vpdbsize(m);
	run = 0;
	for (i = 0; i < np; i++) {
		k = pdekind(m, PDX(m->vmap) + i);
		s->pde[k]++;
		switch (k) {
		case Pblank:
			s->free += WD2PG;
			run += WD2PG;
			break;
		case Pbig:
			s->mapped += WD2PG;
			run = 0;
			break;
		default:
			pg = ptfresh(m, pd[i]);
			s->mapped += pg->nvalid;
			s->free += WD2PG - pg->nvalid;
			if (run + pg->head > s->largestrun)
				s->largestrun = run + pg->head;
			if (pg->maxhole > s->largestrun)
				s->largestrun = pg->maxhole;
			run = pg->head == WD2PG ? run + WD2PG : pg->tail;
			continue;
		}
		if (run > s->largestrun)
			s->largestrun = run;
	}
	s->ptinuse = m->ptinuse;
	s->ptleaked = m->ptleaked;
	s->frag = s->free ? 1.0 - (double)s->largestrun / s->free : 0.0;
}

/* Count the vmap's stale tables (no valid PTE) and free pages. */
void
recount(const Mmu *m, int *stale, uint32_t *free)
{
	const uint32_t *pd;
	uint32_t pde;
	int i, np, nv;

	pd = &m->pdb[PDX(m->vmap)];
	np = vpdbsize(m);
	*stale = 0;
	*free = 0;
	for (i = 0; i < np; i++) {
		pde = pd[i];
		if (!(pde & PTEVALID))
			*free += WD2PG;
		else if (!(pde & PTESIZE)) {
			nv = m->pool[ptindex(pde)].nvalid;
			*free += WD2PG - nv;
			*stale += nv == 0;
		}
	}
}

/*
 * The two measures kept after every event, cheaply: the stale tables
 * and the free pages.  The fast paths keep them as they write; after
 * the kernel-shaped code they are counted again.
 */
void
leancount(Mmu *m, int *stale, uint32_t *free)
{
	if (!m->counted) {
		recount(m, &m->nstale, &m->nfree);
		m->counted = 1;
	}
	*stale = m->nstale;
	*free = m->nfree;
}
