/*
 * The allocation policies: what vmapalloc does when vmap asks for size
 * bytes of virtual space.  plan9 is pc/mmu.c's own; span is the
 * mmu.c-span-pdes patch exactly as submitted, latent bug and all;
 * span-fixed does what the patch meant to; reclaim is plan9 with
 * pdbunmap freeing tables that become empty.
 *
 * Each returns a virtual address or 0 for failure, as the kernel does,
 * so an allocation at address 0 (a vmap starting at 0) is a failure too.
 * Their fast forms are in fast.c; the registry that names them, in
 * policy.c.
 */
#include "mmu.h"

/* The start of the first run of n blank PDEs, or 0. */
uint32_t
vmapblank(Mmu *m, uint32_t n)
{
	int o;

	if ((o = findhole(vpdb(m), vpdbsize(m), n)) != -1)
		return m->vmap + (uint32_t)o * PGDIRSIZE;
	return 0;
}

/*
 * pc/mmu.c: a request of 4 MiB or more takes whole blank PDEs; a smaller
 * one the first hole in a single page table, else a blank PDE.  It
 * never spans page tables.
 */
uint32_t
plan9_vmapalloc(Mmu *m, uint32_t size)
{
	uint32_t *pd;
	int i, n, o;

	pd = vpdb(m);
	if (size >= PGDIRSIZE) {
		n = HOWMANY(size, PGDIRSIZE);
		return vmapblank(m, n);
	}
	n = HOWMANY(size, BY2PG);
	for (i = 0; i < vpdbsize(m); i++)
		if (ispt(pd[i]))
			if ((o = findhole(pdetable(m, pd[i]), WD2PG, n)) != -1)
				return m->vmap + i * PGDIRSIZE + o * BY2PG;
	return vmapblank(m, 1);
}

/*
 * The patch as submitted.  Step 2 counts pages over consecutive page
 * tables but asks each table only for a hole of its share, wherever the
 * hole lies, and computes the start from the last table's hole.  When
 * that hole starts past entry 0 of a multi-table run the address is off
 * by its start, and pdbmap panics on a used PTE.
 */
uint32_t
span_vmapalloc(Mmu *m, uint32_t size)
{
	uint32_t *pd, va, n, have, want, count;
	int i, o;

	pd = vpdb(m);
	if (size >= PGDIRSIZE)
		if ((va = vmapblank(m, HOWMANY(size, PGDIRSIZE))) != 0)
			return va;
	n = HOWMANY(size, BY2PG);
	have = 0;
	want = n;
	for (i = 0; i < vpdbsize(m); i++) {
		if (ispt(pd[i])) {
			count = want < WD2PG ? want : WD2PG;
			want -= count;
			o = findhole(pdetable(m, pd[i]), WD2PG, count);
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
 * What the patch meant: first fit of n free PTEs over the concatenated
 * tables of consecutive page-table PDEs.  A run may start in one
 * table's free tail, cross empty tables and end in a free head; a blank
 * or 4 MiB PDE ends it.
 */
uint32_t
spanfixed_vmapalloc(Mmu *m, uint32_t size)
{
	uint32_t *pd, *pt, va, n, run, start;
	int i, j;

	pd = vpdb(m);
	if (size >= PGDIRSIZE)
		if ((va = vmapblank(m, HOWMANY(size, PGDIRSIZE))) != 0)
			return va;
	n = HOWMANY(size, BY2PG);
	run = start = 0;
	for (i = 0; i < vpdbsize(m); i++) {
		if (!ispt(pd[i])) {
			run = 0;
			continue;
		}
		pt = pdetable(m, pd[i]);
		if (n == 0)	/* as plan9: findhole's answer for count 0 */
			return m->vmap + i * PGDIRSIZE + (pt[0] ? BY2PG : 0);
		for (j = 0; j < WD2PG; j++) {
			if (pt[j] != 0) {
				run = 0;
				continue;
			}
			if (run++ == 0)
				start = i * PGDIRSIZE + j * BY2PG;
			if (run >= n)
				return m->vmap + start;
		}
	}
	if (size < PGDIRSIZE)
		return vmapblank(m, 1);
	return 0;
}
