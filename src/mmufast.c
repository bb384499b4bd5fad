/*
 * The fast forms of pdbmap and pdbunmap: the same words written, the
 * same panics, but a page table is walked to once per PDE instead of
 * once per page, and its PTEs filled or cleared in one loop, the
 * pool's bitmap saying where the first one in the way is.  They also
 * keep, as they write, the vmap's free pages and stale tables and the
 * marks of the measures' tree, which the kernel-shaped code leaves to
 * be counted again.
 *
 * The differential tests run random traces through both and compare
 * every result and every word after every event.
 */
#include <string.h>

#include "mmu.h"

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
		nv = mmupage(m, w)->nvalid;
		m->nfree += sign * (WD2PG - nv);
		m->nstale += sign * (nv == 0);
	}
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
			return mmupanic(m, PNvmappde, PCnone, va + off, pa + off,
			    *pde);
		account(m, pde, -1);
		if (m->pse && (pa + off) % PGDIRSIZE == 0 &&
		    (va + off) % PGDIRSIZE == 0 && size - off >= PGDIRSIZE) {
			if (*pde & PTEVALID)
				ptorphan(&m->pt, ptindex(*pde));
			*pde = (pa + off) | flag | PTESIZE | PTEVALID;
			account(m, pde, 1);
			off += PGDIRSIZE;
			continue;
		}
		if (!(*pde & PTEVALID)) {
			if ((i = ptalloc(&m->pt)) < 0) {
				account(m, pde, 1);
				return mmupanic(m, PNxspan, PCnone, va + off,
				    pa + off, 0);
			}
			*pde = ptaddr(i) | PTEWRITE | PTEVALID;
		}
		pg = mmupage(m, *pde);
		t = pg->pte;
		j0 = PTX(va + off);
		end = (uint64_t)off + (uint64_t)(WD2PG - j0) * BY2PG;
		if (end > size)
			end = size;
		/* the pages for this table; the bitmap says which are taken */
		n = HOWMANY(end - off, BY2PG);
		k = ptnextused(pg, j0) - j0;
		if (k > n)
			k = n;
		fill(&t[j0], (pa + off) | flag | PTEVALID, k);
		off += k * BY2PG;
		/* account for what was written, panic or not */
		ptsetrun(pg, j0, j0 + k);
		account(m, pde, 1);
		if (k < n)
			return mmupanic(m, PNvmappte, PCnone, va + off, pa + off,
			    t[j0 + k]);
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
	int j, j0, left, bad, n, k, cleared;

	v = va;
	if (m->kernel == Klabs)
		vae = (uint32_t)(va + size);
	else
		vae = (uint64_t)va + size;
	cleared = -1;		/* the 4 MiB PDE labs cleared last */
	while (v < vae) {
		pde = &m->pdb[PDX(v)];
		if (!(*pde & PTEVALID))
			return mmupanic(m, PNnotmapped, (int)PDX(v) == cleared ?
			    PCcleared4m : PCblankpde, v, 0, *pde);
		if (*pde & PTESIZE) {
			if (m->kernel == Klabs) {
				*pde = 0;
				account(m, pde, 1);
				cleared = PDX(v);
				v = (uint32_t)ROUND(v, (uint64_t)PGDIRSIZE);
				continue;
			}
			if (v % PGDIRSIZE != 0)
				return mmupanic(m, PNmisaligned, PCnone, v, 0,
				    *pde);
			*pde = 0;
			account(m, pde, 1);
			v += PGDIRSIZE;
			continue;
		}
		account(m, pde, -1);
		pg = mmupage(m, *pde);
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
		k = ptnextfree(pg, j) - j;
		bad = k < n;
		if (!bad)
			k = n;
		memset(&t[j], 0, k * sizeof t[0]);
		left -= k;
		v += (uint64_t)k * BY2PG;
		j += k;
		ptclearrun(pg, j0, j);
		if (bad) {
			account(m, pde, 1);
			return mmupanic(m, PNnotmapped, PCfreepte, v, 0, t[j]);
		}
		if (left == 0 && m->policy->freetables) {
			ptfree(&m->pt, ptindex(*pde));
			*pde = 0;
		}
		account(m, pde, 1);
	}
	return 0;
}
