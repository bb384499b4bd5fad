/*
 * The page-table pool: the pages of kernel memory that page tables are
 * made of, as xspanalloc hands them out, with a budget.  Each page
 * keeps beside its words a bitmap of its valid PTEs and, recomputed from
 * it when stale, the summary of its free runs (the longest hole, the
 * free head, the free tail), which the fast paths and the measures
 * read.  The lowest layer of the model: it knows nothing of page
 * directories or policies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmu.h"
#include "xmalloc.h"

/* The mask of bits [a, b) within the word of bit a. */
static uint64_t
wordmask(int a, int b)
{
	uint64_t mask;

	mask = ~0ull << (a % 64);
	if (b - (a - a % 64) < 64)
		mask &= ~(~0ull << (b % 64));
	return mask;
}

/* Set bits [a, b) of u. */
static void
setbits(uint64_t *u, int a, int b)
{
	for (; a < b; a = (a / 64 + 1) * 64)
		u[a / 64] |= wordmask(a, b);
}

/* Clear bits [a, b) of u. */
static void
clearbits(uint64_t *u, int a, int b)
{
	for (; a < b; a = (a / 64 + 1) * 64)
		u[a / 64] &= ~wordmask(a, b);
}

/* The first bit at or after i that is set (or, with clear, not), or WD2PG. */
static int
nextbit(const uint64_t *u, int i, int clear)
{
	uint64_t w;

	while (i < WD2PG) {
		w = (clear ? ~u[i / 64] : u[i / 64]) >> (i % 64);
		if (w != 0)
			return i + __builtin_ctzll(w);
		i = (i / 64 + 1) * 64;
	}
	return WD2PG;
}

/* The last set bit before i, or -1. */
static int
prevone(const uint64_t *u, int i)
{
	uint64_t w;
	int k;

	while (i > 0) {
		k = (i - 1) / 64;
		w = u[k];
		if ((i - 1) % 64 != 63)
			w &= (1ull << ((i - 1) % 64 + 1)) - 1;
		if (w != 0)
			return k * 64 + 63 - __builtin_clzll(w);
		i = k * 64;
	}
	return -1;
}

/* The first valid PTE of pg at or after j, or WD2PG. */
int
ptnextused(const Ptpage *pg, int j)
{
	return nextbit(pg->used, j, 0);
}

/* The first free PTE of pg at or after j, or WD2PG. */
int
ptnextfree(const Ptpage *pg, int j)
{
	return nextbit(pg->used, j, 1);
}

/*
 * findhole over a bitmap: the first run of count clear bits, or -1;
 * count 0 gives 0 when bit 0 is clear and 1 otherwise, as findhole.
 */
int
bmfirstfit(const uint64_t *u, int count)
{
	int s, e;

	if (count <= 0)
		return (u[0] & 1) ? 1 : 0;
	for (e = 0; e < WD2PG;) {
		s = nextbit(u, e, 1);
		if (s >= WD2PG)
			break;
		e = nextbit(u, s, 0);
		if (e - s >= count)
			return s;
	}
	return -1;
}

/* Recompute a page table's free-run summary from its bitmap. */
void
ptsummary(Ptpage *pg)
{
	int s, e, best, at, i;

	best = at = 0;
	for (e = 0; e < WD2PG;) {
		s = nextbit(pg->used, e, 1);
		if (s >= WD2PG)
			break;
		e = nextbit(pg->used, s, 0);
		if (e - s > best) {
			best = e - s;
			at = s;
		}
	}
	pg->maxhole = best;
	pg->maxat = at;
	pg->head = nextbit(pg->used, 0, 0);
	pg->tail = 0;
	for (i = WD2PG / 64 - 1; i >= 0; i--) {
		if (pg->used[i] != 0) {
			pg->tail += __builtin_clzll(pg->used[i]);
			break;
		}
		pg->tail += 64;
	}
	pg->dirty = 0;
}

/*
 * Whether a summary kept by the fast paths is what its table has: as
 * ptsummary finds it, and a hole of that length where it says.
 */
static int
sumright(const Ptpage *pg)
{
	Ptpage c;
	int k;

	c = *pg;
	ptsummary(&c);
	if (c.maxhole != pg->maxhole || c.head != pg->head ||
	    c.tail != pg->tail || pg->maxat + pg->maxhole > WD2PG)
		return 0;
	for (k = pg->maxat; k < pg->maxat + pg->maxhole; k++)
		if ((pg->used[k / 64] >> (k % 64)) & 1)
			return 0;
	return 1;
}

/* Mark PTE j of pg valid; the summary is found again when wanted. */
void
ptset(Ptpage *pg, int j)
{
	pg->used[j / 64] |= 1ull << (j % 64);
	pg->nvalid++;
	pg->dirty = 1;
}

/* Mark PTE j of pg not valid. */
void
ptclear(Ptpage *pg, int j)
{
	pg->used[j / 64] &= ~(1ull << (j % 64));
	pg->nvalid--;
	pg->dirty = 1;
}

/*
 * PTEs [a, b) of pg were just made valid: mark them, and keep the
 * summary unless the longest hole was in the way (then it is found
 * again when wanted).
 */
void
ptsetrun(Ptpage *pg, int a, int b)
{
	if (b <= a)
		return;
	setbits(pg->used, a, b);
	pg->nvalid += b - a;
	if (pg->dirty)
		return;
	if (a < pg->maxat + pg->maxhole && b > pg->maxat) {
		pg->dirty = 1;
		return;
	}
	if (a < pg->head)
		pg->head = a;
	if (b > WD2PG - pg->tail)
		pg->tail = WD2PG - b;
}

/*
 * PTEs [a, b) of pg were just cleared: mark them; the hole around them,
 * merged with its neighbours, may be the new longest, head or tail.
 */
void
ptclearrun(Ptpage *pg, int a, int b)
{
	int s, e;

	if (b <= a)
		return;
	clearbits(pg->used, a, b);
	pg->nvalid -= b - a;
	if (pg->dirty)
		return;
	s = prevone(pg->used, a) + 1;
	e = nextbit(pg->used, b, 0);
	if (e - s > pg->maxhole) {
		pg->maxhole = e - s;
		pg->maxat = s;
	}
	if (s == 0)
		pg->head = e;
	if (e == WD2PG)
		pg->tail = WD2PG - s;
}

/* An empty pool of at most budget pages at once (0: no limit). */
void
ptinit(Ptpool *p, uint32_t budget)
{
	memset(p, 0, sizeof *p);
	p->budget = budget;
	p->freehead = -1;
}

/* Give back the pool's memory. */
void
ptpoolfree(Ptpool *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		xpage_free(p->pg[i].pte);
	free(p->pg);
	p->pg = NULL;
	p->n = p->cap = 0;
}

/*
 * Make dst an independent copy of src.  Only tables in use are copied
 * word for word: nothing reads a leaked table's words again, and a free
 * one is zeroed when taken.
 */
void
ptpoolcopy(Ptpool *dst, const Ptpool *src)
{
	int i;

	*dst = *src;
	dst->pg = NULL;
	dst->cap = src->n;
	if (src->n == 0)
		return;
	dst->pg = xcalloc(src->n, sizeof *dst->pg);
	for (i = 0; i < src->n; i++) {
		dst->pg[i] = src->pg[i];
		dst->pg[i].pte = NULL;
		if (src->pg[i].pte == NULL || src->pg[i].state != Pgtable)
			continue;
		dst->pg[i].pte = xpage(0);
		memcpy(dst->pg[i].pte, src->pg[i].pte, WD2PG * sizeof(uint32_t));
	}
}

/* Room for n more words in pack k. */
static uint32_t *
packroom(Ptpack *k, size_t n, size_t *cap)
{
	if (k->nw + n > *cap) {
		while (k->nw + n > *cap)
			*cap = *cap ? 2 * *cap : 4096;
		k->w = xreallocarray(k->w, *cap, sizeof *k->w);
	}
	k->nw += n;
	return k->w + k->nw - n;
}

/* Pack table t's words at the end of k's: runs, or the words. */
static void
packwords(Ptpack *k, const uint32_t *t, size_t *cap)
{
	uint32_t *w, first, step;
	size_t at;
	int j, e, nrun;

	at = k->nw;
	packroom(k, 1, cap);
	nrun = 0;
	for (j = 0; j < WD2PG && 3 * (nrun + 1) < WD2PG; j = e) {
		first = t[j];
		step = j + 1 < WD2PG ? t[j + 1] - first : 0;
		for (e = j + 1; e < WD2PG &&
		    t[e] == first + (uint32_t)(e - j) * step; e++)
			;
		w = packroom(k, 3, cap);
		w[0] = e - j;
		w[1] = first;
		w[2] = step;
		nrun++;
	}
	if (j < WD2PG) {
		/* the words themselves take less */
		k->nw = at + 1;
		k->w[at] = PTNOWORDS;
		w = packroom(k, WD2PG, cap);
		memcpy(w, t, WD2PG * sizeof *t);
	} else
		k->w[at] = nrun;
}

/*
 * Pack pool src into k: the pages not leaked, each with its index, and
 * for each table in use a count of runs and the runs (n, first, step),
 * or PTNOWORDS and the 1024 words where runs would take more.  A leaked
 * page is only its index, which no page kept has: a pack costs what the
 * tables in use hold, however many have leaked.  Packing and unpacking
 * give back the words exactly.
 */
void
ptpack(Ptpack *k, const Ptpool *src)
{
	size_t cap;
	int i, n;

	memset(k, 0, sizeof *k);
	k->pool = *src;
	k->pool.pg = NULL;
	k->pool.cap = src->n;
	if (src->n == 0)
		return;
	for (i = n = 0; i < src->n; i++)
		n += src->pg[i].state != Pgorphan;
	k->pool.pg = xcalloc(n + 1, sizeof *k->pool.pg);
	k->at = xcalloc(n + 1, sizeof *k->at);
	k->idx = xcalloc(n + 1, sizeof *k->idx);
	cap = 0;
	for (i = 0; i < src->n; i++) {
		if (src->pg[i].state == Pgorphan)
			continue;
		k->idx[k->nkept] = i;
		k->pool.pg[k->nkept] = src->pg[i];
		k->pool.pg[k->nkept].pte = NULL;
		k->at[k->nkept] = PTNOWORDS;
		if (src->pg[i].pte != NULL && src->pg[i].state == Pgtable) {
			k->at[k->nkept] = k->nw;
			packwords(k, src->pg[i].pte, &cap);
		}
		k->nkept++;
	}
}

/* Table t's words from those packed at w (packwords). */
static void
unpackwords(uint32_t *t, const uint32_t *w)
{
	uint32_t v;
	int j, r, n, nrun;

	if (w[0] == PTNOWORDS) {
		memcpy(t, w + 1, WD2PG * sizeof *t);
		return;
	}
	nrun = w[0];
	for (w++, j = r = 0; r < nrun; r++, w += 3)
		for (v = w[1], n = 0; n < (int)w[0]; n++, v += w[2])
			t[j++] = v;
}

/*
 * Make dst the pool k packed, the words of its pages where dst has
 * room for them already: a free page's words are zeroed when it is
 * taken, and a leaked table's are never read again (it is only its
 * state).
 */
void
ptunpack(Ptpool *dst, const Ptpack *k)
{
	Ptpage *old;
	uint32_t j;
	int i, oldn;

	old = dst->pg;
	oldn = dst->n;
	*dst = k->pool;
	dst->pg = NULL;
	dst->cap = k->pool.n > oldn ? k->pool.n : oldn;
	if (dst->cap == 0) {
		free(old);
		return;
	}
	dst->pg = xcalloc(dst->cap, sizeof *dst->pg);
	for (i = 0, j = 0; i < k->pool.n; i++) {
		if (j == k->nkept || k->idx[j] != (uint32_t)i) {
			/* leaked */
			dst->pg[i].state = Pgorphan;
			if (i < oldn)
				xpage_free(old[i].pte);
			continue;
		}
		dst->pg[i] = k->pool.pg[j];
		dst->pg[i].pte = i < oldn ? old[i].pte : NULL;
		if (k->at[j] != PTNOWORDS) {
			if (dst->pg[i].pte == NULL)
				dst->pg[i].pte = xpage(0);
			unpackwords(dst->pg[i].pte, k->w + k->at[j]);
		}
		j++;
	}
	for (i = k->pool.n; i < oldn; i++)
		xpage_free(old[i].pte);
	free(old);
}

void
ptpackfree(Ptpack *k)
{
	free(k->pool.pg);
	free(k->w);
	free(k->at);
	free(k->idx);
	memset(k, 0, sizeof *k);
}

/*
 * Take a zeroed page, as xspanalloc would.  Returns its index, or -1
 * when the budget is spent.
 */
int
ptalloc(Ptpool *p)
{
	Ptpage *pg;
	int i;

	if (p->budget != 0 && p->inuse >= p->budget)
		return -1;
	if (p->freehead >= 0) {
		i = p->freehead;
		p->freehead = p->pg[i].nextfree;
	} else {
		if (p->n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 16;
			p->pg = xreallocarray(p->pg, p->cap, sizeof *p->pg);
		}
		i = p->n++;
		memset(&p->pg[i], 0, sizeof p->pg[i]);
	}
	pg = &p->pg[i];
	if (pg->pte == NULL)
		pg->pte = xpage(1);
	else
		memset(pg->pte, 0, WD2PG * sizeof(uint32_t));
	pg->nvalid = 0;
	memset(pg->used, 0, sizeof pg->used);
	pg->dirty = 1;
	pg->state = Pgtable;
	p->inuse++;
	return i;
}

/* A 4 MiB page was written over the PDE of table i: it is leaked. */
void
ptorphan(Ptpool *p, int i)
{
	p->pg[i].state = Pgorphan;
	p->leaked++;
	/* nothing reads a leaked table's words again (a copy has none) */
	xpage_free(p->pg[i].pte);
	p->pg[i].pte = NULL;
}

/* Give table i, empty, back to the pool (reclaim only). */
void
ptfree(Ptpool *p, int i)
{
	p->pg[i].state = Pgfree;
	p->pg[i].nextfree = p->freehead;
	p->freehead = i;
	p->inuse--;
}

/*
 * Check the pool against refs[i], how many PDEs point at page i: each
 * table once, orphans and free pages never; PTEs 0 or valid, bitmaps
 * and counts right, summaries kept right; the pages in use and leaked
 * counted right and within the budget.  Returns 0, or -1 with what is
 * wrong in msg.
 */
int
ptcheck(const Ptpool *p, const uint32_t *refs, char *msg, size_t len)
{
	const Ptpage *pg;
	uint32_t inuse, leaked;
	int i, k, n;

	inuse = leaked = 0;
	for (i = 0; i < p->n; i++) {
		pg = &p->pg[i];
		if (pg->state == Pgfree)
			continue;
		inuse++;
		if (pg->state == Pgorphan)
			leaked++;
		else if (refs[i] != 1) {
			snprintf(msg, len, "table %d is pointed at %u times", i,
			    refs[i]);
			return -1;
		}
		if (pg->pte == NULL)
			continue;	/* a leaked table's, not copied */
		for (n = k = 0; k < WD2PG; k++) {
			if (pg->pte[k] != 0 && !(pg->pte[k] & PTEVALID)) {
				snprintf(msg, len, "table %d entry %d is 0x%.8x: "
				    "set but not valid", i, k, pg->pte[k]);
				return -1;
			}
			if (((pg->used[k / 64] >> (k % 64)) & 1) !=
			    ((pg->pte[k] & PTEVALID) != 0)) {
				snprintf(msg, len, "table %d entry %d: the bitmap "
				    "disagrees", i, k);
				return -1;
			}
			n += (pg->pte[k] & PTEVALID) != 0;
		}
		if (n != pg->nvalid) {
			snprintf(msg, len, "table %d counts %d valid PTEs, holds "
			    "%d", i, pg->nvalid, n);
			return -1;
		}
		if (!pg->dirty && !sumright(pg)) {
			snprintf(msg, len, "table %d: the summary kept (hole %d "
			    "at %d, head %d, tail %d) is not its own", i,
			    pg->maxhole, pg->maxat, pg->head, pg->tail);
			return -1;
		}
	}
	if (inuse != p->inuse || leaked != p->leaked) {
		snprintf(msg, len, "pages in use %u (counted %u), leaked %u "
		    "(counted %u)", inuse, p->inuse, leaked, p->leaked);
		return -1;
	}
	if (p->budget != 0 && p->inuse > p->budget) {
		snprintf(msg, len, "more page-table pages than the budget");
		return -1;
	}
	return 0;
}
