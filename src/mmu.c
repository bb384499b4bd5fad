/*
 * The page directory and the kernel's vmap and vunmap with their
 * helpers, in the shape of pc/mmu.c: the same functions, the same
 * control flow, the same panics.  The machine is an explicit first
 * argument where the kernel used MACHP(0).
 *
 * A kernel panic does not return; here it records what happened in the
 * Mmu (a Panic) and the function returns -1 at once, leaving every word
 * written before the panic as it is, which is what a halted kernel
 * shows.  panicfmt makes the kernel's message from it.
 *
 * mmuinit chooses, once, between these functions and their fast forms
 * (mmufast.c, and the policy's fast vmapalloc), which give the same
 * answers with indexes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmu.h"
#include "xmalloc.h"

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

/*
 * Set up an empty machine as c says: every PDE blank, no page tables,
 * and the kernel-shaped code or the fast forms.
 */
void
mmuinit(Mmu *m, const Mmuconf *c)
{
	const Policy *p;

	memset(m, 0, sizeof *m);
	p = c->policy;
	m->policy = p;
	m->kernel = c->kernel;
	m->pse = c->pse;
	m->vmap = c->vmap;
	m->vmapsize = c->vmapsize;
	ptinit(&m->pt, c->ptpages);
	m->alloc = c->slow || p->fastalloc == NULL ? p->vmapalloc :
	    p->fastalloc;
	m->map = c->slow ? pdbmap : pdbmap_fast;
	m->unmap = c->slow ? pdbunmap : pdbunmap_fast;
}

/* Give back the machine's memory.  The Mmu may be initialised again. */
void
mmufree(Mmu *m)
{
	ptpoolfree(&m->pt);
	free(m->tree);
	m->tree = NULL;
	m->nleaf = 0;
	m->treeok = 0;
	m->gen++;
}

/* Make dst an independent copy of src (dst unused or freed). */
void
mmucopy(Mmu *dst, const Mmu *src)
{
	*dst = *src;
	dst->print = NULL;	/* a copy's calls are no console's */
	ptpoolcopy(&dst->pt, &src->pt);
	dst->tree = NULL;	/* built again when it is measured */
	dst->nleaf = 0;
	dst->treeok = 0;
	dst->gen++;
}

/* Pack src for keeping into k. */
void
mmupack(Mmupack *k, const Mmu *src)
{
	k->m = *src;
	k->m.print = NULL;
	memset(&k->m.pt, 0, sizeof k->m.pt);
	k->m.tree = NULL;
	k->m.nleaf = 0;
	k->m.treeok = 0;
	k->m.shapegen = 0;
	ptpack(&k->pt, &src->pt);
}

/*
 * Make dst the machine k packed, as mmucopy would, its pages' memory
 * used again (dst a machine of its own, or one zeroed).
 */
void
mmuunpack(Mmu *dst, const Mmupack *k)
{
	Ptpool pt;

	pt = dst->pt;
	free(dst->tree);
	*dst = k->m;
	dst->pt = pt;
	ptunpack(&dst->pt, &k->pt);
}

/* The bytes k holds beside itself. */
size_t
mmupackbytes(const Mmupack *k)
{
	return k->pt.nkept * (sizeof *k->pt.pool.pg + sizeof *k->pt.at +
	    sizeof *k->pt.idx) + k->pt.nw * sizeof *k->pt.w;
}

void
mmupackfree(Mmupack *k)
{
	ptpackfree(&k->pt);
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
 * The message kernel prints for panic p, into buf.  The range panic's
 * size is %#x under labs and %lld under 9front; 9front's misaligned va
 * is %#p, unpadded.  The kernel's range panics end with " pc=" and its
 * caller's pc, which the model has not: left out.  Returns buf.
 */
char *
panicfmt(char *buf, size_t len, const Panic *p, int kernel)
{
	char sz[24];

	switch (p->kind) {
	case PNvmappde:
	case PNvmappte:
		snprintf(buf, len, "vmap: va=0x%.8x pa=0x%.8x %s=0x%.8x", p->va,
		    p->pa, p->kind == PNvmappde ? "pde" : "pte", p->word);
		break;
	case PNxspan:
		snprintf(buf, len, "xspanalloc: %u %u %u", BY2PG, BY2PG, 0u);
		break;
	case PNrange:
		if (kernel == Klabs)
			fmtsize(sz, sizeof sz, p->size);
		else
			snprintf(sz, sizeof sz, "%lld", (long long)p->size);
		snprintf(buf, len, "vunmap va=0x%.8x size=%s", p->va, sz);
		break;
	case PNnotmapped:
		snprintf(buf, len, "vunmap: not mapped");
		break;
	case PNsaid:
	case PNcrash:
	case PNhang:
		snprintf(buf, len, "%s", p->said ? p->said : "");
		break;
	case PNmisaligned:
		snprintf(buf, len, "vunmap: misaligned: 0x%x", p->va);
		break;
	default:
		snprintf(buf, len, "no panic");
		break;
	}
	return buf;
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
	return mmupage(m, pde)->pte;
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
	return mmupage(m, pde)->nvalid > 0 ? Ptable : Pstale;
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
			nv = mmupage(m, pde)->nvalid;
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
 * The caller has ruled out a PSE PDE.  When no page is left, the
 * kernel's xspanalloc panics (under 9front through rampage, which calls
 * it once conf.mem is set, as it is before any driver runs) before
 * mmuwalk can test for nil.  Returns nil after a panic.
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
		m->gen++;
		if ((i = ptalloc(&m->pt)) < 0) {
			mmupanic(m, PNxspan, PCnone, va, 0, 0);
			return NULL;
		}
		*pde = ptaddr(i) | PTEWRITE | PTEVALID;
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
	m->gen++;
	flag = pa & 0xFFF;
	pa &= ~0xFFFu;
	for (off = 0; off < size;) {
		pde = &m->pdb[PDX(va + off)];
		if ((*pde & PTEVALID) && (*pde & PTESIZE))
			return mmupanic(m, PNvmappde, PCnone, va + off, pa + off,
			    *pde);
		if (m->pse && (pa + off) % PGDIRSIZE == 0 &&
		    (va + off) % PGDIRSIZE == 0 && size - off >= PGDIRSIZE) {
			/* A page table here is orphaned, as in the kernel. */
			if (*pde & PTEVALID)
				ptorphan(&m->pt, ptindex(*pde));
			*pde = (pa + off) | flag | PTESIZE | PTEVALID;
			off += PGDIRSIZE;
			continue;
		}
		if ((pte = mmuwalk(m, va + off, 1)) == NULL) {
			m->panic.pa = pa + off;
			return -1;
		}
		if (*pte & PTEVALID)
			return mmupanic(m, PNvmappte, PCnone, va + off, pa + off,
			    *pte);
		*pte = (pa + off) | flag | PTEVALID;
		ptset(mmupage(m, *pde), PTX(va + off));
		off += BY2PG;
	}
	return 0;
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
	int cleared;

	m->counted = 0;
	m->treeok = 0;
	m->gen++;
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
				cleared = PDX(v);
				v = (uint32_t)ROUND(v, (uint64_t)PGDIRSIZE);
				continue;
			}
			if (v % PGDIRSIZE != 0)
				return mmupanic(m, PNmisaligned, PCnone, v, 0,
				    *pde);
			*pde = 0;
			v += PGDIRSIZE;
			continue;
		}
		table = pdetable(m, *pde);
		if (!(table[PTX(v)] & PTEVALID))
			return mmupanic(m, PNnotmapped, PCfreepte, v, 0,
			    table[PTX(v)]);
		table[PTX(v)] = 0;
		pg = mmupage(m, *pde);
		ptclear(pg, PTX(v));
		if (pg->nvalid == 0 && m->policy->freetables) {
			ptfree(&m->pt, ptindex(*pde));
			*pde = 0;
		}
		v += BY2PG;
	}
	return 0;
}

/* Refused, by check code with its numbers.  Returns Vrefused. */
static int
refuse(Mmu *m, int code, uint32_t a, uint32_t b)
{
	m->why = (Reason){ code, { a, b } };
	return Vrefused;
}

/* 4 MiB pages pdbmap will write for pa at va: both aligned, with PSE. */
static uint32_t
bigpages(const Mmu *m, uint32_t pa, uint32_t va, uint32_t size)
{
	if (!m->pse || pa % PGDIRSIZE != 0 || va % PGDIRSIZE != 0)
		return 0;
	return size / PGDIRSIZE;
}

/*
 * The numbers of placement step code (RSblankrun, RSnewtable, RShole,
 * RSrun, or a kernel file's RSoutside) for size bytes at va
 * (page-aligned) of the pages at pa, into r.
 */
void
placedreason(const Mmu *m, int code, uint32_t pa, uint32_t va,
    uint32_t size, Reason *r)
{
	uint32_t i, j, n;

	i = PDX(va);
	j = PDX(va + (size ? size - 1 : 0));
	n = size / BY2PG;
	switch (code) {
	case RSblankrun:
		*r = (Reason){ code, { j - i + 1, i, bigpages(m, pa, va, size) } };
		break;
	case RSnewtable:
		*r = (Reason){ code, { i } };
		break;
	case RShole:
		*r = (Reason){ code, { n, PTX(va), i } };
		break;
	case RSoutside:
		*r = (Reason){ code, { i, j, PDX(m->vmap), PDX(m->vmap +
		    m->vmapsize - 1) } };
		break;
	default:
		*r = (Reason){ RSrun, { n, i, j, PTX(va),
		    bigpages(m, pa, va, size) } };
		break;
	}
}

/*
 * Why vmapalloc put size bytes at va, from the PDEs before pdbmap
 * runs: whole blank PDEs, a new table in a blank PDE, a hole in one
 * table, or a run over the tables of several PDEs.
 */
static void
whyplaced(Mmu *m, uint32_t pa, uint32_t va, uint32_t size)
{
	int code;

	if (!(m->pdb[PDX(va)] & PTEVALID))
		code = size >= PGDIRSIZE ? RSblankrun : RSnewtable;
	else
		code = PDX(va) == PDX(va + size - 1) ? RShole : RSrun;
	placedreason(m, code, pa, va, size, &m->why);
}

/*
 * pdbmap panicked on the size bytes vmapalloc placed at va: their
 * PDEs, and for a valid PTE in the way, where the hole in its table
 * starts (span's latent bug: past PTE 0 of a run's last table).
 */
static void
whypanic(Mmu *m, uint32_t va, uint32_t size)
{
	uint32_t hole;

	hole = WD2PG;
	if (m->panic.kind == PNvmappte)
		hole = ptnextfree(mmupage(m, m->pdb[PDX(m->panic.va)]),
		    PTX(m->panic.va));
	m->why = (Reason){ RSpanic, { PDX(va), PDX(va + size - 1), hole } };
}

/*
 * Map size bytes of device memory at pa.  Returns Vok with the address
 * in *vap, Vfail when vmapalloc finds no room, Vrefused when the kernel
 * declines the request, or Vpanic (the panic keeps what vmapalloc
 * returned).  m->why says why.  size is the kernel's int: under labs
 * its rounding wraps in 32 bits; 9front checks and rounds in 64.  pa
 * is 64 bits: 9front's vmap takes a uvlong and refuses what does not
 * end below 4G; Bell Labs' takes a ulong, which cannot hold a pa past
 * 4G, so such a call cannot be made (RSpaulong).
 */
int
vmap(Mmu *m, uint64_t pa64, int32_t size, uint32_t *vap)
{
	uint32_t pa, o, va, rsize;
	int64_t s64;

	if (m->policy->kvmap != NULL)
		return m->policy->kvmap(m, pa64, size, vap);
	if (m->kernel == K9front) {
		s64 = size;
		if (pa64 < BY2PG)
			return refuse(m, RSlowpa, pa64, 0);
		if (s64 <= 0)
			return refuse(m, RSnosize, (uint32_t)size, 0);
		if (pa64 >> 32 != 0) {
			m->why = (Reason){ RSpawide, { pa64 >> 32, (uint32_t)pa64,
			    (uint32_t)size } };
			return Vrefused;
		}
		if (pa64 + s64 >= 1ull << 32)
			return refuse(m, RSpast4g, pa64, (uint32_t)size);
		if (s64 > m->vmapsize)
			return refuse(m, RStoobig, (uint32_t)size, m->vmapsize);
	} else if (pa64 >> 32 != 0) {
		m->why = (Reason){ RSpaulong, { pa64 >> 32, (uint32_t)pa64 } };
		return Vrefused;
	}
	pa = pa64;
	o = pa & (BY2PG - 1);
	pa -= o;
	rsize = ROUND((uint32_t)size + o, BY2PG);
	if (pa == 0)
		return refuse(m, RSpage0, pa + o, 0);
	if ((va = m->alloc(m, rsize)) == 0) {
		if (m->policy->whyfail != NULL && !m->skipwhy)
			m->policy->whyfail(m, rsize, &m->why);
		else
			m->why = (Reason){ RSfail, { HOWMANY(rsize, BY2PG) } };
		return Vfail;
	}
	whyplaced(m, pa, va, rsize);
	if (m->map(m, pa | PTEUNCACHED | PTEWRITE, va, rsize) < 0) {
		m->panic.allocva = va;
		whypanic(m, va, rsize);
		return Vpanic;
	}
	*vap = va + o;
	return Vok;
}

/* A vunmap of s bytes at va panicked: the reason, by its PDEs. */
void
unmappanic(Mmu *m, uint32_t va, uint32_t s)
{
	m->why = (Reason){ RSpanic, { PDX(va), PDX(va + (s ? s - 1 : 0)),
	    WD2PG } };
}

/*
 * Remove a device mapping.  Returns 0, or -1 after a panic: the range
 * check's or pdbunmap's.  Under labs size is an int and va+size a
 * 32-bit sum, so a huge size may wrap and pass the check; 9front's size
 * is a vlong and its va+size 64-bit.  Under both, VMAP+VMAPSIZE is a
 * 32-bit sum: a vmap that ends at 2^32 makes it 0, and the check fails
 * for every range but one that wraps to 0 too.
 */
int
vunmap(Mmu *m, uint32_t va, int32_t size)
{
	uint32_t o, s, top;
	uint64_t end;
	int64_t ssize;
	int cause;

	if (m->policy->kvunmap != NULL)
		return m->policy->kvunmap(m, va, size);
	o = va & (BY2PG - 1);
	va -= o;
	s = ROUND((uint32_t)size + o, BY2PG);
	top = m->vmap + m->vmapsize;
	if (m->kernel == Klabs) {
		ssize = (int32_t)s;
		end = (uint32_t)(va + s);
	} else {
		ssize = s;
		end = (uint64_t)va + s;
	}
	cause = ssize < 0 ? PCnegative : va < m->vmap ? PCbelow :
	    end > top ? (top == 0 ? PCwrapped : PCabove) : PCnone;
	m->why = (Reason){ RSunmapped, { s / BY2PG, PDX(va),
	    PDX(va + (s ? s - 1 : 0)) } };
	if (cause != PCnone) {
		mmupanic(m, PNrange, cause, va, 0, 0);
		m->panic.size = ssize;
		unmappanic(m, va, s);
		return -1;
	}
	if (m->unmap(m, va, s) < 0) {
		unmappanic(m, va, s);
		return -1;
	}
	return 0;
}

/*
 * Check the model's invariants: no PDE outside the vmap is set; every
 * page-table PDE points at a table of the pool, and the pool agrees
 * (ptcheck); the counts the fast paths keep are right.  Returns nil, or
 * what is wrong (a static string, overwritten by the next call).
 */
const char *
mmucheck(const Mmu *m)
{
	static char msg[128];
	uint32_t i, first, last, nfree, *refs;
	int k, nstale;

	refs = xcalloc(m->pt.n + 1, sizeof *refs);
	first = PDX(m->vmap);
	last = first + vpdbsize(m);
	for (i = 0; i < NPDE; i++) {
		if ((i < first || i >= last) && m->pdb[i] != 0) {
			snprintf(msg, sizeof msg, "PDE %u outside the vmap is "
			    "0x%.8x", i, m->pdb[i]);
			goto fail;
		}
		if (!ispt(m->pdb[i]))
			continue;
		k = ptindex(m->pdb[i]);
		if (PPN(m->pdb[i]) < PTPOOLBASE || k >= m->pt.n ||
		    m->pt.pg[k].state != Pgtable || m->pt.pg[k].pte == NULL) {
			snprintf(msg, sizeof msg, "PDE %u points at 0x%.8x, "
			    "not a table of the pool", i, m->pdb[i]);
			goto fail;
		}
		refs[k]++;
	}
	if (ptcheck(&m->pt, refs, msg, sizeof msg) < 0)
		goto fail;
	if (m->counted) {
		recount(m, &nstale, &nfree);
		if (nstale != m->nstale || nfree != m->nfree) {
			snprintf(msg, sizeof msg, "kept %d stale tables and %u "
			    "free pages; there are %d and %u", m->nstale,
			    m->nfree, nstale, nfree);
			goto fail;
		}
	}
	free(refs);
	return NULL;
fail:
	free(refs);
	return msg;
}

/* Whether two machines hold the same words and the same page counts. */
int
mmusame(const Mmu *a, const Mmu *b)
{
	uint32_t i;

	if (memcmp(a->pdb, b->pdb, sizeof a->pdb) != 0 ||
	    a->pt.inuse != b->pt.inuse || a->pt.leaked != b->pt.leaked)
		return 0;
	for (i = 0; i < NPDE; i++)
		if (ispt(a->pdb[i]) && memcmp(pdetable(a, a->pdb[i]),
		    pdetable(b, b->pdb[i]), WD2PG * sizeof(uint32_t)) != 0)
			return 0;
	return 1;
}
