/*
 * The fast paths: the same allocator and the same mapping code as the
 * kernel-shaped functions in mmu.c and vmapalloc.c, with indexes that
 * give identical results.  Each page table keeps a bitmap of its valid
 * PTEs (ptset, ptclear) and, recomputed from it when stale, the summary
 * of its free runs: the longest hole, the free head and the free tail.
 * vmapalloc then skips tables whose longest hole is too short and finds
 * the first fit a word at a time; pdbmap and pdbunmap walk to a table
 * once per PDE instead of once per page.
 *
 * The differential tests run random traces through both and compare
 * every result and every word after every event; Mmu.slow selects the
 * kernel-shaped code.
 */
#include <string.h>

#include "mmu.h"

/* Set bits [a, b) of u. */
static void
setbits(uint64_t *u, int a, int b)
{
	uint64_t mask;

	while (a < b) {
		mask = ~0ull << (a % 64);
		if (b - (a - a % 64) < 64)
			mask &= ~(~0ull << (b % 64));
		u[a / 64] |= mask;
		a = (a / 64 + 1) * 64;
	}
}

/* Clear bits [a, b) of u. */
static void
clearbits(uint64_t *u, int a, int b)
{
	uint64_t mask;

	while (a < b) {
		mask = ~0ull << (a % 64);
		if (b - (a - a % 64) < 64)
			mask &= ~(~0ull << (b % 64));
		u[a / 64] &= ~mask;
		a = (a / 64 + 1) * 64;
	}
}

/* Mark PTE j of pg valid. */
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

/* The first set bit at or after i, or WD2PG. */
static int
nextone(const uint64_t *u, int i)
{
	uint64_t w;

	while (i < WD2PG) {
		w = u[i / 64] >> (i % 64);
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

/* The first clear bit at or after i, or WD2PG. */
static int
nextzero(const uint64_t *u, int i)
{
	uint64_t w;

	while (i < WD2PG) {
		w = ~u[i / 64] >> (i % 64);
		if (w != 0)
			return i + __builtin_ctzll(w);
		i = (i / 64 + 1) * 64;
	}
	return WD2PG;
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
		s = nextzero(u, e);
		if (s >= WD2PG)
			break;
		e = nextone(u, s);
		if (e - s >= count)
			return s;
	}
	return -1;
}

/* Recompute a page table's free-run summary from its bitmap. */
void
ptsummary(Mmu *m, Ptpage *pg)
{
	int s, e, best, at, i;

	best = at = 0;
	for (e = 0; e < WD2PG;) {
		s = nextzero(pg->used, e);
		if (s >= WD2PG)
			break;
		e = nextone(pg->used, s);
		if (e - s > best) {
			best = e - s;
			at = s;
		}
	}
	pg->maxhole = best;
	pg->maxat = at;
	pg->head = nextone(pg->used, 0);
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

static int
ispt(uint32_t pde)
{
	return (pde & PTEVALID) && !(pde & PTESIZE);
}

/*
 * Take away (sign -1) or add (+1) what the PDE at pde counts in the
 * vmap's free pages and stale tables: before and after it changes.
 * After, the PDE is marked for the measures' tree too.
 */
static inline void
account(Mmu *m, const uint32_t *pde, int sign)
{
	uint32_t w;
	int nv;

	if (sign > 0)
		markpde(m, pde);
	if (!m->counted ||
	    (uint32_t)(pde - &m->pdb[PDX(m->vmap)]) >= m->vmapsize / PGDIRSIZE)
		return;
	w = *pde;
	if (!(w & PTEVALID))
		m->nfree += sign * WD2PG;
	else if (!(w & PTESIZE)) {
		nv = m->pool[ptindex(w)].nvalid;
		m->nfree += sign * (WD2PG - nv);
		m->nstale += sign * (nv == 0);
	}
}

/* plan9_vmapalloc, skipping tables whose longest hole is too short. */
uint32_t
plan9_vmapalloc_fast(Mmu *m, uint32_t size)
{
	uint32_t *pd;
	Ptpage *pg;
	int i, n;

	if (size >= PGDIRSIZE)
		return plan9_vmapalloc(m, size);
	pd = vpdb(m);
	n = (size + BY2PG - 1) / BY2PG;
	for (i = 0; i < vpdbsize(m); i++) {
		if (!ispt(pd[i]))
			continue;
		pg = ptfresh(m, pd[i]);
		if (pg->maxhole >= n)
			return m->vmap + i * PGDIRSIZE +
			    bmfirstfit(pg->used, n) * BY2PG;
	}
	return vmapblank(m, 1);
}

/* span_vmapalloc, each table's hole found from its summary and bitmap. */
uint32_t
span_vmapalloc_fast(Mmu *m, uint32_t size)
{
	uint32_t *pd, va, n, have, want, count;
	Ptpage *pg;
	int i, o;

	pd = vpdb(m);
	if (size >= PGDIRSIZE)
		if ((va = vmapblank(m, (size + PGDIRSIZE - 1) / PGDIRSIZE)) != 0)
			return va;
	n = (size + BY2PG - 1) / BY2PG;
	have = 0;
	want = n;
	for (i = 0; i < vpdbsize(m); i++) {
		if (ispt(pd[i])) {
			count = want < WD2PG ? want : WD2PG;
			want -= count;
			pg = ptfresh(m, pd[i]);
			o = pg->maxhole >= count ? bmfirstfit(pg->used, count) :
			    -1;
			if (o != -1)
				have += count;
			else {
				have = 0;
				want = n;
			}
			if (have >= n)
				return m->vmap + i * PGDIRSIZE +
				    (o + count) * BY2PG - have * BY2PG;
		} else if (have > 0) {
			have = 0;
			want = n;
		}
	}
	if (size < PGDIRSIZE)
		return vmapblank(m, 1);
	return 0;
}

/*
 * spanfixed_vmapalloc, a table at a time: a run coming in from the
 * tables before ends in this one's free head, or a hole inside it fits,
 * or the run goes on from its free tail.
 */
uint32_t
spanfixed_vmapalloc_fast(Mmu *m, uint32_t size)
{
	uint32_t *pd, va, n, run, start;
	Ptpage *pg;
	int i;

	pd = vpdb(m);
	if (size >= PGDIRSIZE)
		if ((va = vmapblank(m, (size + PGDIRSIZE - 1) / PGDIRSIZE)) != 0)
			return va;
	n = (size + BY2PG - 1) / BY2PG;
	run = start = 0;
	for (i = 0; i < vpdbsize(m); i++) {
		if (!ispt(pd[i])) {
			run = 0;
			continue;
		}
		pg = ptfresh(m, pd[i]);
		if (n == 0)
			return m->vmap + i * PGDIRSIZE +
			    ((pg->used[0] & 1) ? BY2PG : 0);
		if (run + pg->head >= n)
			return m->vmap + (run > 0 ? start : i * PGDIRSIZE);
		if (pg->maxhole >= n)
			return m->vmap + i * PGDIRSIZE +
			    bmfirstfit(pg->used, n) * BY2PG;
		if (pg->head == WD2PG) {
			if (run == 0)
				start = i * PGDIRSIZE;
			run += WD2PG;
		} else {
			run = pg->tail;
			start = i * PGDIRSIZE + (WD2PG - pg->tail) * BY2PG;
		}
	}
	if (size < PGDIRSIZE)
		return vmapblank(m, 1);
	return 0;
}

/* k PTEs from w on, a page apart; four at a time, for the compiler. */
static void
fill(uint32_t *t, uint32_t w, int k)
{
	int j;

	for (j = 0; j + 4 <= k; j += 4, w += 4 * BY2PG) {
		t[j] = w;
		t[j + 1] = w + BY2PG;
		t[j + 2] = w + 2 * BY2PG;
		t[j + 3] = w + 3 * BY2PG;
	}
	for (; j < k; j++, w += BY2PG)
		t[j] = w;
}

/*
 * PTEs [a, b) of pg were just made valid: keep its summary, unless the
 * longest hole was in the way (then it is found again when wanted).
 */
static void
summaryset(Ptpage *pg, int a, int b)
{
	if (pg->dirty || b <= a)
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
 * PTEs [a, b) of pg were just cleared: the hole around them, merged
 * with its neighbours, may be the new longest, head or tail.
 */
static void
summaryclear(Ptpage *pg, int a, int b)
{
	int s, e;

	if (pg->dirty || b <= a)
		return;
	s = prevone(pg->used, a) + 1;
	e = nextone(pg->used, b);
	if (e - s > pg->maxhole) {
		pg->maxhole = e - s;
		pg->maxat = s;
	}
	if (s == 0)
		pg->head = e;
	if (e == WD2PG)
		pg->tail = WD2PG - s;
}

/* pdbmap, filling a table's PTEs in one loop per PDE. */
int
pdbmap_fast(Mmu *m, uint32_t pa, uint32_t va, uint32_t size)
{
	uint32_t flag, off, *pde, *t;
	uint64_t end;
	Ptpage *pg;
	int i, j0, k, n;

	flag = pa & 0xFFF;
	pa &= ~0xFFFu;
	for (off = 0; off < size;) {
		pde = &m->pdb[PDX(va + off)];
		if ((*pde & PTEVALID) && (*pde & PTESIZE))
			return mmupanic(m,
			    "vmap: va=0x%.8x pa=0x%.8x pde=0x%.8x",
			    va + off, pa + off, *pde);
		account(m, pde, -1);
		if (m->pse && (pa + off) % PGDIRSIZE == 0 &&
		    (va + off) % PGDIRSIZE == 0 && size - off >= PGDIRSIZE) {
			if (*pde & PTEVALID)
				ptorphan(m, *pde);
			*pde = (pa + off) | flag | PTESIZE | PTEVALID;
			account(m, pde, 1);
			off += PGDIRSIZE;
			continue;
		}
		if (!(*pde & PTEVALID)) {
			if ((i = ptalloc(m)) < 0) {
				account(m, pde, 1);
				return ptexhausted(m);
			}
			*pde = (PTPOOLBASE + (uint32_t)i * BY2PG) | PTEWRITE |
			    PTEVALID;
		}
		pg = &m->pool[ptindex(*pde)];
		t = pg->pte;
		j0 = PTX(va + off);
		end = (uint64_t)off + (uint64_t)(WD2PG - j0) * BY2PG;
		if (end > size)
			end = size;
		/* the pages for this table; the bitmap says which are taken */
		n = (end - off + BY2PG - 1) / BY2PG;
		k = nextone(pg->used, j0) - j0;
		if (k > n)
			k = n;
		fill(&t[j0], (pa + off) | flag | PTEVALID, k);
		off += k * BY2PG;
		/* account for what was written, panic or not */
		setbits(pg->used, j0, j0 + k);
		pg->nvalid += k;
		summaryset(pg, j0, j0 + k);
		account(m, pde, 1);
		if (k < n)
			return mmupanic(m,
			    "vmap: va=0x%.8x pa=0x%.8x pte=0x%.8x",
			    va + off, pa + off, t[j0 + k]);
	}
	return 0;
}

/* pdbunmap, clearing a table's PTEs in one loop per PDE. */
int
pdbunmap_fast(Mmu *m, uint32_t va, uint32_t size)
{
	uint64_t v, vae, end;
	uint32_t *pde, *t;
	Ptpage *pg;
	int j, j0, left, bad, n, k;

	v = va;
	if (m->kernel == Klabs)
		vae = (uint32_t)(va + size);
	else
		vae = (uint64_t)va + size;
	while (v < vae) {
		pde = &m->pdb[PDX(v)];
		if (!(*pde & PTEVALID))
			return mmupanic(m, "vunmap: not mapped");
		if (*pde & PTESIZE) {
			if (m->kernel == Klabs) {
				*pde = 0;
				account(m, pde, 1);
				v = (uint32_t)((v + PGDIRSIZE - 1) &
				    ~(uint64_t)(PGDIRSIZE - 1));
				continue;
			}
			if (v % PGDIRSIZE != 0)
				return misaligned(m, v);
			*pde = 0;
			account(m, pde, 1);
			v += PGDIRSIZE;
			continue;
		}
		account(m, pde, -1);
		pg = &m->pool[ptindex(*pde)];
		t = pg->pte;
		j0 = j = PTX(v);
		end = (v | (PGDIRSIZE - 1)) + 1;
		if (end > vae)
			end = vae;
		left = pg->nvalid;
		/* the pages to clear here; reclaim stops at the table's last */
		n = (end - v) / BY2PG;
		if (m->policy->freetables && n > left)
			n = left;
		/* up to the first that is not mapped, if one is */
		k = nextzero(pg->used, j) - j;
		bad = k < n;
		if (!bad)
			k = n;
		memset(&t[j], 0, k * sizeof t[0]);
		left -= k;
		v += (uint64_t)k * BY2PG;
		j += k;
		clearbits(pg->used, j0, j);
		pg->nvalid = left;
		summaryclear(pg, j0, j);
		if (bad) {
			account(m, pde, 1);
			return mmupanic(m, "vunmap: not mapped");
		}
		if (left == 0 && m->policy->freetables) {
			ptfree(m, *pde);
			*pde = 0;
		}
		account(m, pde, 1);
	}
	return 0;
}
