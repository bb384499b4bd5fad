/*
 * The page directory, the page-table pool and the kernel's vmap and
 * vunmap with their helpers, in the shape of pc/mmu.c: the same
 * functions, the same control flow, the same panics.  The machine is an
 * explicit first argument where the kernel used MACHP(0).
 *
 * A kernel panic does not return; here it records its message in the
 * Mmu and the function returns -1 at once, leaving every word written
 * before the panic as it is, which is what a halted kernel shows.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmu.h"



const char *const kernelnames[Nkernel] = { "labs", "9front" };

/* The kernel named s, or -1. */
int
kernelfind(const char *s)
{
	int i;

	for (i = 0; i < Nkernel; i++)
		if (strcmp(s, kernelnames[i]) == 0)
			return i;
	return -1;
}

/* Set up an empty machine: every PDE blank, no page tables. */
void
mmuinit(Mmu *m, const Policy *p, int kernel, int pse, uint32_t vmapbase,
    uint32_t vmapsize, uint32_t ptpages)
{
	memset(m, 0, sizeof *m);
	m->policy = p;
	m->kernel = kernel;
	m->pse = pse;
	m->vmap = vmapbase;
	m->vmapsize = vmapsize;
	m->ptpages = ptpages;
	m->freehead = -1;
}

/* Give back the pool's memory.  The Mmu may be initialised again. */
void
mmufree(Mmu *m)
{
	int i;

	for (i = 0; i < m->npool; i++)
		free(m->pool[i].pte);
	free(m->pool);
	m->pool = NULL;
	m->npool = m->poolcap = 0;
	free(m->tree);
	m->tree = NULL;
	m->nleaf = 0;
	m->treeok = 0;
}

/*
 * Whether a summary the fast paths kept is what its table has: as
 * ptsummary finds it, and a hole of that length where it says.
 */
static int
sumright(const Ptpage *pg)
{
	Ptpage c;
	int k;

	c = *pg;
	ptsummary(NULL, &c);
	if (c.maxhole != pg->maxhole || c.head != pg->head ||
	    c.tail != pg->tail || pg->maxat + pg->maxhole > WD2PG)
		return 0;
	for (k = pg->maxat; k < pg->maxat + pg->maxhole; k++)
		if ((pg->used[k / 64] >> (k % 64)) & 1)
			return 0;
	return 1;
}

/*
 * Make dst an independent copy of src (dst must be unused or freed).
 * Returns -1 when out of memory.
 */
int
mmucopy(Mmu *dst, const Mmu *src)
{
	int i;

	*dst = *src;
	dst->pool = NULL;
	dst->npool = dst->poolcap = 0;
	dst->tree = NULL;	/* built again when it is measured */
	dst->nleaf = 0;
	dst->treeok = 0;
	if (src->npool == 0)
		return 0;
	dst->pool = calloc(src->npool, sizeof *dst->pool);
	if (dst->pool == NULL)
		return -1;
	dst->poolcap = src->npool;
	for (i = 0; i < src->npool; i++) {
		dst->pool[i] = src->pool[i];
		dst->pool[i].pte = NULL;
		/*
		 * Only tables in use: nothing reads a leaked table's words
		 * again, and a free one is zeroed when taken.
		 */
		if (src->pool[i].pte == NULL ||
		    src->pool[i].state != Pgtable)
			continue;
		dst->pool[i].pte = malloc(WD2PG * sizeof(uint32_t));
		if (dst->pool[i].pte == NULL) {
			dst->npool = i;
			mmufree(dst);
			return -1;
		}
		memcpy(dst->pool[i].pte, src->pool[i].pte,
		    WD2PG * sizeof(uint32_t));
	}
	dst->npool = src->npool;
	return 0;
}

/* Record a kernel panic.  Always returns -1, for the caller to return. */
int
mmupanic(Mmu *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->panicmsg, sizeof m->panicmsg, fmt, ap);
	va_end(ap);
	m->panicked = 1;
	return -1;
}

/* How many PDEs the vmap has: VMAPSIZE/(4*MB). */
int
vpdbsize(const Mmu *m)
{
	return m->vmapsize / PGDIRSIZE;
}

/* The PDEs of the vmap, as the kernel's vpdb. */
uint32_t *
vpdb(Mmu *m)
{
	return &m->pdb[PDX(m->vmap)];
}

/* The words of the page table a PDE points at: KADDR(PPN(pde)). */
uint32_t *
pdetable(const Mmu *m, uint32_t pde)
{
	return m->pool[ptindex(pde)].pte;
}

/* Classify the PDE at index i of the page directory (spec section 6). */
int
pdekind(const Mmu *m, uint32_t i)
{
	uint32_t pde;

	pde = m->pdb[i];
	if (!(pde & PTEVALID))
		return Pblank;
	if (pde & PTESIZE)
		return Pbig;
	return m->pool[ptindex(pde)].nvalid > 0 ? Ptable : Pstale;
}

/*
 * Take a zeroed page from the pool, as xspanalloc would.  Returns its
 * pool index, or -1 when the budget is spent (or memory is out).
 */
int
ptalloc(Mmu *m)
{
	Ptpage *pg, *npool;
	int i, ncap;

	if (m->ptpages != 0 && m->ptinuse >= m->ptpages)
		return -1;
	if (m->freehead >= 0) {
		i = m->freehead;
		m->freehead = m->pool[i].nextfree;
	} else {
		if (m->npool == m->poolcap) {
			ncap = m->poolcap ? 2 * m->poolcap : 16;
			npool = realloc(m->pool, ncap * sizeof *npool);
			if (npool == NULL)
				return -1;
			m->pool = npool;
			m->poolcap = ncap;
		}
		i = m->npool++;
		memset(&m->pool[i], 0, sizeof m->pool[i]);
	}
	pg = &m->pool[i];
	if (pg->pte == NULL) {
		pg->pte = calloc(WD2PG, sizeof(uint32_t));
		if (pg->pte == NULL) {
			pg->nextfree = m->freehead;
			m->freehead = i;
			return -1;
		}
	} else
		memset(pg->pte, 0, WD2PG * sizeof(uint32_t));
	pg->nvalid = 0;
	memset(pg->used, 0, sizeof pg->used);
	pg->dirty = 1;
	pg->state = Pgtable;
	m->ptinuse++;
	return i;
}

/* A PSE write replaced this page-table PDE: its page is leaked. */
void
ptorphan(Mmu *m, uint32_t pde)
{
	m->pool[ptindex(pde)].state = Pgorphan;
	m->ptleaked++;
}

/* Return an empty page table to the pool (reclaim only). */
void
ptfree(Mmu *m, uint32_t pde)
{
	int i;

	i = ptindex(pde);
	m->pool[i].state = Pgfree;
	m->pool[i].nextfree = m->freehead;
	m->freehead = i;
	m->ptinuse--;
}

/*
 * The kernel's panic when no page-table page is left.  Under both
 * kernels mmuwalk's page comes from xspanalloc(BY2PG, BY2PG, 0) (9front
 * calls it through rampage once conf.mem is set, which it is before any
 * driver runs), and xspanalloc panics itself before mmuwalk can test
 * for nil.  Returns -1.
 */
int
ptexhausted(Mmu *m)
{
	return mmupanic(m, "xspanalloc: %u %u %u", BY2PG, BY2PG, 0u);
}

/*
 * First fit: the lowest index of a run of count zero words in a[0..n),
 * or -1.  Like the kernel, it tests after counting each word, so a count
 * of 0 gives 0 when a[0] is zero and 1 otherwise.
 */
int
findhole(const uint32_t *a, int n, int count)
{
	int have, i;

	have = 0;
	for (i = 0; i < n; i++) {
		if (a[i] == 0)
			have++;
		else
			have = 0;
		if (have >= count)
			return i + 1 - have;
	}
	return -1;
}

/*
 * The PTE for va, making a zeroed page table when the PDE is blank.
 * The caller has ruled out a PSE PDE.  Returns nil after a panic.
 */
uint32_t *
mmuwalk(Mmu *m, uint32_t va, int create)
{
	uint32_t *pde;
	int i;

	pde = &m->pdb[PDX(va)];
	if (!(*pde & PTEVALID)) {
		if (!create)
			return NULL;
		m->counted = 0;
		m->treeok = 0;
		if ((i = ptalloc(m)) < 0) {
			ptexhausted(m);
			return NULL;
		}
		*pde = (PTPOOLBASE + (uint32_t)i * BY2PG) | PTEWRITE | PTEVALID;
	}
	return &pdetable(m, *pde)[PTX(va)];
}

/*
 * Map size bytes at va to pa; the low 12 bits of pa are the PTE flags.
 * Uses 4 MiB pages where PSE is on and both addresses and the rest of
 * the size allow.  Returns -1 after a panic.
 */
int
pdbmap(Mmu *m, uint32_t pa, uint32_t va, uint32_t size)
{
	uint32_t flag, off, *pde, *pte;

	m->counted = 0;		/* the fast paths' counts, not kept here */
	m->treeok = 0;
	flag = pa & 0xFFF;
	pa &= ~0xFFFu;
	for (off = 0; off < size;) {
		pde = &m->pdb[PDX(va + off)];
		if ((*pde & PTEVALID) && (*pde & PTESIZE))
			return mmupanic(m,
			    "vmap: va=0x%.8x pa=0x%.8x pde=0x%.8x",
			    va + off, pa + off, *pde);
		if (m->pse && (pa + off) % PGDIRSIZE == 0 &&
		    (va + off) % PGDIRSIZE == 0 && size - off >= PGDIRSIZE) {
			/* A page table here is orphaned, as in the kernel. */
			if (*pde & PTEVALID)
				ptorphan(m, *pde);
			*pde = (pa + off) | flag | PTESIZE | PTEVALID;
			off += PGDIRSIZE;
			continue;
		}
		if ((pte = mmuwalk(m, va + off, 1)) == NULL)
			return -1;
		if (*pte & PTEVALID)
			return mmupanic(m,
			    "vmap: va=0x%.8x pa=0x%.8x pte=0x%.8x",
			    va + off, pa + off, *pte);
		*pte = (pa + off) | flag | PTEVALID;
		ptset(&m->pool[ptindex(*pde)], PTX(va + off));
		off += BY2PG;
	}
	return 0;
}

/*
 * 9front's panic for a 4 MiB page unmapped from inside it: %#p, which
 * prints 0x and the digits, unpadded.  Returns -1.
 */
int
misaligned(Mmu *m, uint32_t va)
{
	return mmupanic(m, "vunmap: misaligned: 0x%x", va);
}

/*
 * Remove the mappings of [va, va+size); each must exist.  Page tables
 * are never freed, except under a policy that asks for it.  Under labs
 * the end is a 32-bit sum and a PSE PDE sends va to the next 4 MiB
 * boundary, which an aligned va already is (so the next turn panics);
 * 9front adds in 64 bits and steps exactly 4 MiB.
 */
int
pdbunmap(Mmu *m, uint32_t va, uint32_t size)
{
	uint64_t v, vae;
	uint32_t *pde, *table;
	Ptpage *pg;

	m->counted = 0;
	m->treeok = 0;
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
				v = (uint32_t)((v + PGDIRSIZE - 1) &
				    ~(uint64_t)(PGDIRSIZE - 1));
				continue;
			}
			if (v % PGDIRSIZE != 0)
				return misaligned(m, v);
			*pde = 0;
			v += PGDIRSIZE;
			continue;
		}
		table = pdetable(m, *pde);
		if (!(table[PTX(v)] & PTEVALID))
			return mmupanic(m, "vunmap: not mapped");
		table[PTX(v)] = 0;
		pg = &m->pool[ptindex(*pde)];
		ptclear(pg, PTX(v));
		if (pg->nvalid == 0 && m->policy->freetables) {
			ptfree(m, *pde);
			*pde = 0;
		}
		v += BY2PG;
	}
	return 0;
}

/*
 * Map size bytes of device memory at pa.  Returns Vok with the address
 * in *vap, Vfail when vmapalloc finds no room, Vrefused when the kernel
 * declines the request, or Vpanic.  size is the kernel's int: under labs
 * its rounding wraps in 32 bits; 9front checks and rounds in 64.
 */
int
vmap(Mmu *m, uint32_t pa, int32_t size, uint32_t *vap)
{
	uint32_t o, va, rsize;
	int64_t s64;

	if (m->kernel == K9front) {
		s64 = size;
		if (pa < BY2PG || s64 <= 0 || (uint64_t)pa + s64 >= 1ull << 32 ||
		    s64 > m->vmapsize)
			return Vrefused;
	}
	o = pa & (BY2PG - 1);
	pa -= o;
	rsize = (uint32_t)size + o;
	rsize = (rsize + BY2PG - 1) & ~(BY2PG - 1);
	if (pa == 0)
		return Vrefused;
	va = m->slow ? m->policy->vmapalloc(m, rsize) :
	    m->policy->fastalloc(m, rsize);
	if (va == 0)
		return Vfail;
	if ((m->slow ? pdbmap : pdbmap_fast)(m, pa | PTEUNCACHED | PTEWRITE,
	    va, rsize) < 0)
		return Vpanic;
	*vap = va + o;
	return Vok;
}

/* Format size as Plan 9's %#x does: a minus sign when negative. */
static void
fmtsize(char *buf, size_t len, int64_t size)
{
	if (size < 0)
		snprintf(buf, len, "-0x%llx", -(long long)size);
	else
		snprintf(buf, len, "0x%llx", (long long)size);
}

/*
 * Remove a device mapping.  Returns 0, or -1 after a panic: the range
 * check's or pdbunmap's.  Under labs size is an int and va+size a
 * 32-bit sum, so a huge size may wrap and pass the check; 9front's size
 * is a vlong and its va+size 64-bit.  Under both, VMAP+VMAPSIZE is a
 * 32-bit sum: a vmap that ends at 2^32 makes it 0, and the check fails
 * for every range but one that wraps to 0 too.  The kernel's message
 * ends with " pc=" and its caller's pc; the model has no caller and
 * leaves it out.
 */
int
vunmap(Mmu *m, uint32_t va, int32_t size)
{
	uint32_t o, s, top;
	uint64_t end;
	int64_t ssize;
	char sz[24];

	o = va & (BY2PG - 1);
	va -= o;
	s = (uint32_t)size + o;
	s = (s + BY2PG - 1) & ~(BY2PG - 1);
	top = m->vmap + m->vmapsize;
	if (m->kernel == Klabs) {
		ssize = (int32_t)s;
		end = (uint32_t)(va + s);
	} else {
		ssize = s;
		end = (uint64_t)va + s;
	}
	if (ssize < 0 || va < m->vmap || end > top) {
		if (m->kernel == Klabs)
			fmtsize(sz, sizeof sz, ssize);
		else
			snprintf(sz, sizeof sz, "%lld", (long long)ssize);
		return mmupanic(m, "vunmap va=0x%.8x size=%s", va, sz);
	}
	return (m->slow ? pdbunmap : pdbunmap_fast)(m, va, s);
}

/* Count the vmap's PDEs by kind into n[Npdekind]. */
void
pdecount(const Mmu *m, int n[Npdekind])
{
	uint32_t i, first;

	memset(n, 0, Npdekind * sizeof n[0]);
	first = PDX(m->vmap);
	for (i = 0; i < (uint32_t)vpdbsize(m); i++)
		n[pdekind(m, first + i)]++;
}

/*
 * Check the model's invariants: every page-table PDE points at a table
 * of the pool and every table is pointed at once; the counts of valid
 * PTEs, of pages in use and of leaked pages are right; PTEs are 0 or
 * valid; the budget holds; no PDE outside the vmap is set.  Returns nil,
 * or what is wrong (a static string, overwritten by the next call).
 */
const char *
mmucheck(const Mmu *m)
{
	static char msg[128];
	uint32_t i, first, last, inuse, leaked, *refs;
	int j, k, n;
	const Ptpage *pg;

	first = PDX(m->vmap);
	last = first + vpdbsize(m);
	for (i = 0; i < NPDE; i++)
		if ((i < first || i >= last) && m->pdb[i] != 0) {
			snprintf(msg, sizeof msg, "PDE %u outside the vmap is "
			    "0x%.8x", i, m->pdb[i]);
			return msg;
		}
	refs = calloc(m->npool + 1, sizeof *refs);
	if (refs == NULL)
		return "out of memory";
	for (i = first; i < last; i++) {
		if (!(m->pdb[i] & PTEVALID) || (m->pdb[i] & PTESIZE))
			continue;
		k = ptindex(m->pdb[i]);
		if (PPN(m->pdb[i]) < PTPOOLBASE || k >= m->npool ||
		    m->pool[k].state != Pgtable || m->pool[k].pte == NULL) {
			snprintf(msg, sizeof msg, "PDE %u points at 0x%.8x, "
			    "not a table of the pool", i, m->pdb[i]);
			free(refs);
			return msg;
		}
		refs[k]++;
	}
	inuse = leaked = 0;
	for (j = 0; j < m->npool; j++) {
		pg = &m->pool[j];
		if (pg->state == Pgfree)
			continue;
		inuse++;
		if (pg->state == Pgorphan)
			leaked++;
		else if (refs[j] != 1) {
			snprintf(msg, sizeof msg, "table %d is pointed at %u "
			    "times", j, refs[j]);
			free(refs);
			return msg;
		}
		if (pg->pte == NULL)
			continue;	/* a leaked table's, not copied */
		for (n = k = 0; k < WD2PG; k++) {
			if (pg->pte[k] != 0 && !(pg->pte[k] & PTEVALID)) {
				snprintf(msg, sizeof msg, "table %d entry %d is "
				    "0x%.8x: set but not valid", j, k,
				    pg->pte[k]);
				free(refs);
				return msg;
			}
			n += (pg->pte[k] & PTEVALID) != 0;
		}
		for (k = 0; k < WD2PG; k++)
			if (((pg->used[k / 64] >> (k % 64)) & 1) !=
			    ((pg->pte[k] & PTEVALID) != 0)) {
				snprintf(msg, sizeof msg, "table %d entry %d: "
				    "the bitmap disagrees", j, k);
				free(refs);
				return msg;
			}
		if (n != pg->nvalid) {
			snprintf(msg, sizeof msg, "table %d counts %d valid "
			    "PTEs, holds %d", j, pg->nvalid, n);
			free(refs);
			return msg;
		}
		if (!pg->dirty && !sumright(pg)) {
			snprintf(msg, sizeof msg, "table %d: the summary kept "
			    "(hole %d at %d, head %d, tail %d) is not its own",
			    j, pg->maxhole, pg->maxat, pg->head, pg->tail);
			free(refs);
			return msg;
		}
	}
	free(refs);
	if (inuse != m->ptinuse || leaked != m->ptleaked) {
		snprintf(msg, sizeof msg, "pages in use %u (counted %u), leaked "
		    "%u (counted %u)", inuse, m->ptinuse, leaked, m->ptleaked);
		return msg;
	}
	if (m->ptpages != 0 && m->ptinuse > m->ptpages)
		return "more page-table pages than the budget";
	if (m->counted) {
		recount(m, &n, &i);
		if (n != m->nstale || i != m->nfree) {
			snprintf(msg, sizeof msg, "kept %d stale tables and %u "
			    "free pages; there are %d and %u", m->nstale,
			    m->nfree, n, i);
			return msg;
		}
	}
	return NULL;
}

/* Whether two machines hold the same words and the same page counts. */
int
mmusame(const Mmu *a, const Mmu *b)
{
	uint32_t i;

	if (memcmp(a->pdb, b->pdb, sizeof a->pdb) != 0 ||
	    a->ptinuse != b->ptinuse || a->ptleaked != b->ptleaked)
		return 0;
	for (i = 0; i < NPDE; i++)
		if ((a->pdb[i] & PTEVALID) && !(a->pdb[i] & PTESIZE) &&
		    memcmp(pdetable(a, a->pdb[i]), pdetable(b, b->pdb[i]),
		    WD2PG * sizeof(uint32_t)) != 0)
			return 0;
	return 1;
}
