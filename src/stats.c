/*
 * The measures of a state (spec section 6): PDEs by kind, mapped and
 * free pages, the largest free run, page-table pages, fragmentation and,
 * per policy, the largest vmap its vmapalloc would place now.
 *
 * largestvmap_ref asks vmapalloc itself for every size, largest first,
 * and checks that pdbmap would map the result: exact by definition, and
 * slow: it serves a policy that has no way of its own.  The built-in
 * policies' (plan9_largest, span_largest, spanfixed_largest) get the
 * same answer from each page table's free-run summary (longest hole,
 * free head, free tail), kept as pdbmap and pdbunmap write, and from a
 * tree over the PDEs, so that a state can be measured after every event
 * of a long trace.  Neither assumes that success is monotonic in the
 * size.  The differential tests hold them to the same answers.
 */
#include <stdlib.h>
#include <string.h>

#include "mmu.h"
#include "xmalloc.h"

/*
 * Whether pdbmap would map size bytes at va without a panic, for a pa
 * that is not 4 MiB-aligned (so every page goes through a PTE), inside
 * the vmap: no 4 MiB PDE and no valid PTE in the way, and page tables
 * for the blank PDEs within the ptpages budget.  A dry run on d's
 * words: nothing is written.  A place outside the vmap is no place.
 */
int
dry_mapok(const struct dryrun *d, uint32_t va, uint32_t size)
{
	uint32_t off, pde, need;

	if (va < d->vmap || va - d->vmap > d->vmapsize ||
	    size > d->vmapsize - (va - d->vmap))
		return 0;
	need = 0;
	for (off = 0; off < size; off += BY2PG) {
		pde = d->pdb[PDX(va + off)];
		if ((pde & PTEVALID) && (pde & PTESIZE))
			return 0;
		if (!(pde & PTEVALID)) {
			/* a new table, zeroed: the rest of this PDE is free */
			need++;
			off = ((va + off) | (PGDIRSIZE - 1)) - va - BY2PG + 1;
			continue;
		}
		if (d->table(d->arg, pde)[PTX(va + off)] & PTEVALID)
			return 0;
	}
	return d->budget == 0 || d->inuse + need <= d->budget;
}

/*
 * A search's view of the vmap's free pages, made once it has asked
 * enough sizes to pay for it: for each page, the free pages from it on
 * in a row (a blank PDE's 1024 counted), and before each PDE how many
 * are blank.  dry_mapok by it is two lookups, not a walk of the pages.
 */
struct freemap {
	const struct dryrun *d;
	int		 asked;		/* sizes asked so far */
	uint32_t	*run;		/* a page's free run, from it on */
	uint32_t	*blanks;	/* blank PDEs before each PDE */
	uint32_t	 npde;
	uint32_t	 longest;	/* the longest free run */
};

#define FREEMAPAFTER	64	/* sizes asked before the map is made */

static void
freemap_make(struct freemap *fm)
{
	const struct dryrun *d = fm->d;
	uint32_t i, j, p, pde, *pt, first;

	first = PDX(d->vmap);
	fm->npde = d->vmapsize / PGDIRSIZE;
	fm->run = xreallocarray(NULL, (size_t)fm->npde * WD2PG + 1,
	    sizeof *fm->run);
	fm->blanks = xreallocarray(NULL, fm->npde + 1, sizeof *fm->blanks);
	fm->blanks[0] = 0;
	for (i = 0; i < fm->npde; i++)
		fm->blanks[i + 1] = fm->blanks[i] +
		    !(d->pdb[first + i] & PTEVALID);
	p = fm->npde * WD2PG;
	fm->run[p] = 0;
	for (i = fm->npde; i-- > 0;) {
		pde = d->pdb[first + i];
		pt = (pde & PTEVALID) && !(pde & PTESIZE) ?
		    d->table(d->arg, pde) : NULL;
		for (j = WD2PG; j-- > 0;) {
			p = i * WD2PG + j;
			fm->run[p] = !(pde & PTEVALID) || (pt != NULL &&
			    !(pt[j] & PTEVALID)) ? fm->run[p + 1] + 1 : 0;
			if (fm->run[p] > fm->longest)
				fm->longest = fm->run[p];
		}
	}
}

/* Whether the map can be made: a vmap of whole PDEs (as every trace's). */
static int
freemap_can(const struct dryrun *d)
{
	return d->vmapsize % PGDIRSIZE == 0 && d->vmap % PGDIRSIZE == 0;
}

static void
freemap_free(struct freemap *fm)
{
	free(fm->run);
	free(fm->blanks);
}

/* dry_mapok by the map, once it is made; else as dry_mapok. */
static int
freemap_ok(struct freemap *fm, uint32_t va, uint32_t size)
{
	const struct dryrun *d = fm->d;
	uint32_t p, lo, hi, need;

	if (fm->run == NULL && ++fm->asked > FREEMAPAFTER && freemap_can(d))
		freemap_make(fm);
	if (fm->run == NULL || (va & (BY2PG - 1)) || size == 0)
		return dry_mapok(d, va, size);
	if (va < d->vmap || va - d->vmap > d->vmapsize ||
	    size > d->vmapsize - (va - d->vmap))
		return 0;
	p = (va - d->vmap) / BY2PG;
	if (fm->run[p] < HOWMANY(size, BY2PG))
		return 0;
	lo = (va - d->vmap) / PGDIRSIZE;
	hi = (va - d->vmap + size - 1) / PGDIRSIZE;
	need = fm->blanks[hi + 1] - fm->blanks[lo];
	return d->budget == 0 || d->inuse + need <= d->budget;
}

/* Whether d's vmapalloc places n pages where pdbmap maps them. */
static int
dry_places(struct freemap *fm, uint32_t n)
{
	uint32_t va;

	return (va = fm->d->alloc(fm->d->arg, n * BY2PG)) != 0 &&
	    freemap_ok(fm, va, n * BY2PG);
}

/*
 * The largest vmap by dry runs: ask d's vmapalloc, and pdbmap dry, for
 * every size from top pages down (top at least the longest free run:
 * nothing larger maps).  With a floor, a vmapalloc that places floor
 * pages answers floor at once: the largest is at least that, which is
 * all a search for the lowest largest vmap needs to know.
 */
uint32_t
dry_largest(const struct dryrun *d, uint32_t top, uint32_t floor)
{
	struct freemap fm;
	uint32_t n;

	memset(&fm, 0, sizeof fm);
	fm.d = d;
	n = 0;
	if (floor > 0 && floor <= top && dry_places(&fm, floor)) {
		n = floor;
		goto out;
	}
	if (top == DRYTOP) {
		/* the longest free run: nothing larger maps (the map has it) */
		top = d->vmapsize / BY2PG;
		if (freemap_can(d)) {
			freemap_make(&fm);
			top = fm.longest;
		}
		if (top > MAXVMAPPAGES)
			top = MAXVMAPPAGES;
	}
	for (n = top; n > 0; n--)
		if (dry_places(&fm, n))
			break;
out:
	freemap_free(&fm);
	return n;
}

/*
 * The fewest pages that d's vmapalloc would not place and map, asking
 * it for 1, 2, ... pages.
 */
uint32_t
dry_misfit(const struct dryrun *d)
{
	struct freemap fm;
	uint32_t n;

	memset(&fm, 0, sizeof fm);
	fm.d = d;
	for (n = 1; n < MAXVMAPPAGES; n++)
		if (!dry_places(&fm, n))
			break;
	freemap_free(&fm);
	return n;
}

/* The ways of a dry run on m, with vmapalloc alloc. */
struct mdry {
	Mmu		 *m;
	uint32_t	(*alloc)(Mmu *, uint32_t);
};

static uint32_t *
mdrytable(void *arg, uint32_t pde)
{
	return pdetable(((struct mdry *)arg)->m, pde);
}

static uint32_t
mdryalloc(void *arg, uint32_t size)
{
	struct mdry *md = arg;

	return md->alloc(md->m, size);
}

/* A dry run on m's words with vmapalloc alloc, into d. */
static void
drymmu(struct dryrun *d, struct mdry *md, Mmu *m,
    uint32_t (*alloc)(Mmu *, uint32_t))
{
	md->m = m;
	md->alloc = alloc;
	d->pdb = m->pdb;
	d->table = mdrytable;
	d->alloc = mdryalloc;
	d->arg = md;
	d->budget = m->pt.budget;
	d->inuse = m->pt.inuse;
	d->vmap = m->vmap;
	d->vmapsize = m->vmapsize;
}

/*
 * The reference: ask vmapalloc, and pdbmap dry, for every size from the
 * longest free run down.  No mapping can be larger than that.
 */
uint32_t
largestvmap_ref(Mmu *m, const Policy *p)
{
	struct dryrun d;
	struct mdry md;
	Stats s;
	uint32_t top;

	mmustats(m, &s);
	top = MAXVMAPPAGES;
	if (s.largestrun < top)
		top = s.largestrun;
	drymmu(&d, &md, m, p->vmapalloc);
	return dry_largest(&d, top, 0);
}

/*
 * The fewest pages that m's own vmapalloc would not place and map now
 * (for a pa not 4 MiB-aligned), asking it for 1, 2, ... pages: at most
 * one more than the largest vmap, and less when success is not
 * monotonic in the size.  Nothing is written.
 */
uint32_t
firstmisfit(Mmu *m)
{
	if (m->policy->misfit != NULL)
		return m->policy->misfit(m);
	return firstmisfit_ref(m);
}

/* The same by dry runs of m's own vmapalloc, 1, 2, ... pages: the reference. */
uint32_t
firstmisfit_ref(Mmu *m)
{
	struct dryrun d;
	struct mdry md;

	drymmu(&d, &md, m, m->alloc);
	return dry_misfit(&d);
}

/* Whether d's vmapalloc places n pages at va, and pdbmap maps them. */
static int
dry_placesat(struct freemap *fm, uint32_t va, uint32_t n)
{
	return fm->d->alloc(fm->d->arg, n * BY2PG) == va &&
	    freemap_ok(fm, va, n * BY2PG);
}

/*
 * The first misfit of a first-fit vmapalloc (span's, span-fixed's):
 * below 4 MiB, and from 4 MiB on (where blank PDEs are tried first), the
 * address it returns never falls as the size grows, since a place that
 * holds n pages holds fewer; and at one address, what maps n pages maps
 * fewer.  So the sizes placed at one address are a range, its end found
 * by doubling then halving, and the next size is placed elsewhere or
 * not at all: a search of a few dry runs an address, not one a size.
 * The same answer as dry runs of 1, 2, ... pages (firstmisfit_ref), as
 * tests/test_stats.c holds it on random states.
 */
uint32_t
firstfit_misfit(Mmu *m)
{
	struct dryrun d;
	struct mdry md;
	struct freemap fm;
	uint32_t n, va, lo, hi, mid, step, cap;

	drymmu(&d, &md, m, m->alloc);
	memset(&fm, 0, sizeof fm);
	fm.d = &d;
	for (n = 1; n < MAXVMAPPAGES; n = hi) {
		if ((va = d.alloc(d.arg, n * BY2PG)) == 0 ||
		    !freemap_ok(&fm, va, n * BY2PG))
			break;
		/* from 4 MiB on, blank PDEs are tried first: a new search */
		cap = n < WD2PG ? WD2PG : MAXVMAPPAGES;
		/* n is placed at va; hi, the cap or a size that is not */
		lo = n;
		for (step = 1;; step *= 2) {
			hi = lo + step;
			if (hi >= cap) {
				hi = cap;
				break;
			}
			if (!dry_placesat(&fm, va, hi))
				break;
			lo = hi;
		}
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			if (dry_placesat(&fm, va, mid))
				lo = mid;
			else
				hi = mid;
		}
	}
	freemap_free(&fm);
	return n;
}

/*
 * plan9's (and reclaim's) first misfit: one page more than its largest
 * vmap, success being monotonic in the size under its vmapalloc.  Up to
 * 4 MiB a size needs a table with a hole that long, or a blank PDE (and
 * a table within the budget); from 4 MiB, that many blank PDEs in a row
 * and a table each.  What places n pages places n-1: the holes that
 * hold n hold n-1, and a blank PDE that takes n takes n-1.
 */
uint32_t
plan9_misfit(Mmu *m)
{
	uint32_t n;

	n = plan9_largest(m);
	return n < MAXVMAPPAGES ? n + 1 : MAXVMAPPAGES;
}

/*
 * span's step 2 beyond one table: the largest n = k*1024 + r (k >= kmin,
 * 1 <= r <= 1024) for which the first run the patch's scan finds is one
 * it maps without a panic.  A run is k empty tables and a table with a
 * hole of r; the scan finds the earliest such final table f, and the
 * address is right only when f's first hole of r starts at entry 0,
 * that is when f's free head holds r.  Going through the final tables
 * in order, r is first found at f for r above the longest hole of the
 * earlier candidates, so f gives success for r in (that, head(f)].
 * spanbest is that for one k: the largest r, or 0.
 */
static uint32_t
spanbest(Mmu *m, uint32_t k)
{
	uint32_t *pd, before, empties, head, best;
	int i, np;
	Ptpage *pg;

	pd = vpdb(m);
	np = vpdbsize(m);
	before = best = empties = 0;
	for (i = 0; i < np; i++) {
		if (!ispt(pd[i])) {
			empties = 0;
			continue;
		}
		pg = ptfresh(&m->pt, pd[i]);
		if (empties >= k) {
			head = pg->head;
			if (head > before && head > best)
				best = head;
			if (pg->maxhole > before)
				before = pg->maxhole;
		}
		empties = pg->maxhole == WD2PG ? empties + 1 : 0;
	}
	return best;
}

/*
 * No run has more empty tables than the longest block of them, kmax:
 * the largest k that can give anything.  If kmax gives nothing, kmax-1
 * gives a whole table: the last empty table of the first longest block
 * is a final table whose head is 1024, above the hole of every earlier
 * candidate, none of them empty.  So one walk at most, where trying
 * each k walked once for each.
 */
static uint32_t
spanmulti(Mmu *m, uint32_t kmin)
{
	uint32_t kmax, best;

	kmax = treefresh(m)->ebest;
	if (kmax == 0 || kmax < kmin)
		return 0;
	if ((best = spanbest(m, kmax)) > 0)
		return kmax * WD2PG + best;
	if (kmax - 1 >= kmin && kmax - 1 >= 1)
		return kmax * WD2PG;
	return 0;
}

/* What the largest vmap of every policy depends on in the vmap's PDEs. */
struct shape {
	uint32_t	blankrun;	/* longest run of blank PDEs */
	uint32_t	avail;		/* page tables the budget still allows */
	uint32_t	maxhole;	/* longest hole in one table */
	uint32_t	tablerun;	/* longest run of free PTEs over tables */
	uint32_t	big;		/* what step 1 places: blank PDEs */
	uint32_t	small;		/* below 4 MiB, the blank PDE's answer */
};

/* The shape of the vmap, from the tree over its PDEs. */
static void
shapeof(Mmu *m, struct shape *sh)
{
	const Pdenode *root;
	int np;

	memset(sh, 0, sizeof *sh);
	np = vpdbsize(m);
	root = treefresh(m);
	sh->blankrun = root->bbest;
	sh->maxhole = root->maxhole;
	sh->tablerun = root->rbest;
	if (sh->maxhole > sh->tablerun)
		sh->tablerun = sh->maxhole;
	sh->avail = m->pt.budget == 0 ? (uint32_t)np :
	    m->pt.inuse >= m->pt.budget ? 0 : m->pt.budget - m->pt.inuse;
	/* Step 1, for 4 MiB and more: blank PDEs, each needing a table. */
	sh->big = (sh->blankrun < sh->avail ? sh->blankrun : sh->avail) * WD2PG;
	/* Below 4 MiB, a blank PDE is the last resort of every policy. */
	sh->small = sh->blankrun > 0 && sh->avail > 0 ? WD2PG - 1 : 0;
}

static uint32_t
max2(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

static uint32_t
min2(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/*
 * The largest of the sizes below 4 MiB (small) and from 4 MiB on (big)
 * a policy places, capped as vmap's int size caps it.  Every step
 * places any smaller size of its own, so the cap is exact.
 */
static uint32_t
largestof(uint32_t small, uint32_t big)
{
	return min2(max2(small, big), MAXVMAPPAGES);
}

/*
 * The largest vmap, in pages, that would succeed now under each
 * built-in policy: vmapalloc places it and pdbmap maps it without a
 * panic, for a pa that is not 4 MiB-aligned.  0: none.  Success is not
 * monotonic in the size (a span run whose address is off panics while
 * a larger one maps), so each step of vmapalloc is worked out for the
 * sizes that reach it.
 */
uint32_t
plan9_largest(Mmu *m)
{
	struct shape sh;

	shapeof(m, &sh);
	return largestof(max2(sh.small, min2(sh.maxhole, WD2PG - 1)), sh.big);
}

/* span: step 1, one empty table for 4 MiB, or runs over tables. */
uint32_t
span_largest(Mmu *m)
{
	struct shape sh;
	uint32_t v;

	shapeof(m, &sh);
	/* 4 MiB from one empty table, when step 1 has no blank PDE */
	v = sh.blankrun == 0 && sh.maxhole == WD2PG ? WD2PG : 0;
	v = max2(max2(v, sh.big), spanmulti(m, sh.blankrun));
	return largestof(max2(sh.small, min2(sh.maxhole, WD2PG - 1)), v);
}

/* span-fixed: step 1, or the longest run over consecutive tables. */
uint32_t
spanfixed_largest(Mmu *m)
{
	struct shape sh;
	uint32_t v;

	shapeof(m, &sh);
	/* the run over tables serves sizes step 1 cannot place */
	v = sh.tablerun > sh.blankrun * WD2PG ? sh.tablerun : 0;
	return largestof(max2(sh.small, min2(sh.tablerun, WD2PG - 1)),
	    max2(v, sh.big));
}

/*
 * The largest vmap that would succeed now under p, in pages: its own
 * way of finding it, or else the search by dry runs.
 */
uint32_t
largestvmap(Mmu *m, const Policy *p)
{
	return p->largest != NULL ? p->largest(m) : largestvmap_ref(m, p);
}

/*
 * p's largest vmap on m where it is below floor; where it is not, any
 * figure from floor up (a kernel file's search stops at floor when its
 * vmapalloc places that much).  A floor of 0 asks for the figure.
 */
uint32_t
largestvmap_floor(Mmu *m, const Policy *p, uint32_t floor)
{
	return p->atleast != NULL ? p->atleast(m, floor) :
	    largestvmap(m, p);
}

/*
 * The allocator's fragmentation under policy i: 1 - its largest vmap /
 * the free bytes, what its vmapalloc cannot use of the free space (the
 * page-level figure, frag, says only how scattered the free pages are).
 * largest[i] must have been measured.
 */
double
allocfrag(const Stats *s, int i)
{
	if (s->free == 0 || s->largest[i] >= s->free)
		return 0.0;
	return 1.0 - (double)s->largest[i] / s->free;
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
			pg = ptfresh(&m->pt, pd[i]);
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
	s->ptinuse = m->pt.inuse;
	s->ptleaked = m->pt.leaked;
	s->frag = s->free ? 1.0 - (double)s->largestrun / s->free : 0.0;
}
