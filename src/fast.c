/*
 * The fast forms of the policies' vmapalloc: the same answers as the
 * kernel-shaped functions in vmapalloc.c, from the page-table pool's
 * indexes (ptpool.c): each table's bitmap of valid PTEs and the summary
 * of its free runs, the longest hole, the free head and the free tail.
 * They skip tables whose longest hole is too short and find the first
 * fit a word at a time.
 *
 * The differential tests run random traces through both and compare
 * every result and every word after every event; Mmuconf.slow selects
 * the kernel-shaped code.
 */
#include "mmu.h"

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
	n = HOWMANY(size, BY2PG);
	if (n > 0 && vpdbsize(m) > SCANPDES) {
		/* the first table with the hole, down the tree (mmu.h) */
		if ((i = treefirsthole(m, n)) < 0)
			return vmapblank(m, 1);
		return m->vmap + i * PGDIRSIZE +
		    bmfirstfit(ptfresh(&m->pt, pd[i])->used, n) * BY2PG;
	}
	for (i = 0; i < vpdbsize(m); i++) {
		if (!ispt(pd[i]))
			continue;
		pg = ptfresh(&m->pt, pd[i]);
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
		if ((va = vmapblank(m, HOWMANY(size, PGDIRSIZE))) != 0)
			return va;
	n = HOWMANY(size, BY2PG);
	if (n > 0 && n <= WD2PG && vpdbsize(m) > SCANPDES) {
		/* one table's hole: the first that has it, down the tree */
		if ((i = treefirsthole(m, n)) >= 0)
			return m->vmap + i * PGDIRSIZE +
			    bmfirstfit(ptfresh(&m->pt, pd[i])->used, n) * BY2PG;
		return size < PGDIRSIZE ? vmapblank(m, 1) : 0;
	}
	have = 0;
	want = n;
	for (i = 0; i < vpdbsize(m); i++) {
		if (ispt(pd[i])) {
			count = want < WD2PG ? want : WD2PG;
			want -= count;
			pg = ptfresh(&m->pt, pd[i]);
			/* the first fit, from the summary where it says it */
			o = pg->maxhole < count ? -1 : count > 0 &&
			    pg->head >= count ? 0 : bmfirstfit(pg->used, count);
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
		if ((va = vmapblank(m, HOWMANY(size, PGDIRSIZE))) != 0)
			return va;
	n = HOWMANY(size, BY2PG);
	if (n > 0) {
		/* where the first run of n is complete, down the tree */
		if ((i = treefirstrun(m, Tpages, n, &run)) < 0)
			return size < PGDIRSIZE ? vmapblank(m, 1) : 0;
		pg = ptfresh(&m->pt, pd[i]);
		if (run + pg->head >= n)
			return m->vmap + i * PGDIRSIZE - run * BY2PG;
		return m->vmap + i * PGDIRSIZE + bmfirstfit(pg->used, n) * BY2PG;
	}
	run = start = 0;
	for (i = 0; i < vpdbsize(m); i++) {
		if (!ispt(pd[i])) {
			run = 0;
			continue;
		}
		pg = ptfresh(&m->pt, pd[i]);
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
