/*
 * The modeled machine: a 32-bit x86 page directory, its page tables and
 * the device-mapping allocator of the Plan 9 pc kernel (vmap, vunmap,
 * vmapalloc, findhole, pdbmap, pdbunmap).  Everything is kept as the
 * words the hardware would see; the allocator keeps no other bookkeeping,
 * so a slot is free exactly when its word is 0.
 *
 * This header is the whole model interface.  It includes neither curses
 * nor yaml: the model knows nothing of traces or screens.
 */
#ifndef VMAPVIEW_MMU_H
#define VMAPVIEW_MMU_H

#include <stdint.h>

#define BY2PG		4096u
#define MB		(1024u*1024u)
#define PGDIRSIZE	(4u*MB)		/* what one PDE covers */
#define WD2PG		1024		/* words in a page: PTEs in a table */
#define NPDE		1024		/* entries in the page directory */

#define PDX(va)		(((uint32_t)(va)>>22) & 0x3FF)
#define PTX(va)		(((uint32_t)(va)>>12) & 0x3FF)
#define PPN(x)		((uint32_t)(x) & ~0xFFFu)

#define PTEVALID	0x001u
#define PTEWRITE	0x002u
#define PTEUNCACHED	0x010u
#define PTESIZE		0x080u

#define DEFVMAP		0xE0000000u
#define DEFVMAPSIZE	(248u*MB)

/*
 * Page-table pages come from a modeled pool of kernel memory.  Their
 * physical addresses only label them; they start here.
 */
#define PTPOOLBASE	0x00800000u

#define PANICLEN	96

enum {
	Klabs,		/* Bell Labs pc/mmu.c, 2012 */
	K9front,
	Nkernel
};

/* What the PDE of one vmap slot holds (spec section 6). */
enum {
	Pblank,
	Pbig,		/* a 4 MiB (PSE) page */
	Ptable,		/* a page table with at least one valid PTE */
	Pstale,		/* a page table with none */
	Npdekind
};

typedef struct Mmu Mmu;
typedef struct Pdenode Pdenode;
typedef struct Policy Policy;
typedef struct Ptpage Ptpage;

/* One page of the page-table pool. */
struct Ptpage {
	uint32_t	*pte;		/* WD2PG words, or nil when never used */
	int		nvalid;		/* PTEs with PTEVALID set */
	int		state;		/* Pgfree, Pgtable, Pgorphan */
	int		nextfree;

	/* bit j set: PTE j valid; kept with the words, for the fast paths */
	uint64_t	used[WD2PG / 64];

	/*
	 * free-run summary for the measures: kept by the fast paths
	 * where they can, recomputed when dirty
	 */
	int		dirty;
	uint16_t	maxhole;	/* longest run of zero PTEs */
	uint16_t	maxat;		/* where one of that length starts */
	uint16_t	head;		/* zero PTEs at the start */
	uint16_t	tail;		/* zero PTEs at the end */
};

enum {
	Pgfree,
	Pgtable,	/* referenced by a PDE */
	Pgorphan	/* overwritten by a PSE PDE: leaked */
};

/* An allocation policy: a name and its vmapalloc. */
struct Policy {
	const char	*name;
	uint32_t	(*vmapalloc)(Mmu *, uint32_t);
	int		freetables;	/* pdbunmap frees empty page tables */
	const char	*summary;
	uint32_t	(*fastalloc)(Mmu *, uint32_t);	/* same answers */
	const char	*caveat;	/* what a real kernel would differ in */
};

struct Mmu {
	uint32_t	pdb[NPDE];

	/* configuration */
	uint32_t	vmap;		/* VMAP */
	uint32_t	vmapsize;	/* VMAPSIZE */
	int		pse;
	int		kernel;
	int		slow;		/* the kernel-shaped code only, no indexes */
	uint32_t	ptpages;	/* budget of page-table pages; 0: none */
	const Policy	*policy;

	/* the page-table pool */
	Ptpage		*pool;
	int		npool;		/* pages ever taken */
	int		poolcap;
	int		freehead;	/* list of pages given back, or -1 */
	uint32_t	ptinuse;	/* tables and orphans */
	uint32_t	ptleaked;	/* orphans */

	/*
	 * The vmap's free pages and stale tables, kept by the fast paths
	 * while counted is set; the kernel-shaped ones clear it, and
	 * leancount counts again.
	 */
	int		counted;
	uint32_t	nfree;
	int		nstale;

	/*
	 * A tree over the vmap's PDEs for the largest vmap (stats.c):
	 * right but for the PDEs marked since, while treeok is set.  The
	 * fast paths mark the PDEs they write; the kernel-shaped code
	 * clears treeok.  A copy of the Mmu builds its own.
	 */
	Pdenode		*tree;
	int		nleaf;
	int		treeok;
	uint64_t	pdemark[NPDE / 64];

	/* the last panic, if any */
	int		panicked;
	char		panicmsg[PANICLEN];
};

#define MAXPOLICY	4	/* entries of policies[] */

/* vmap's size is an int: 2^31-1 bytes, rounded up, is 2^19 pages. */
#define MAXVMAPPAGES	(0x80000000u / BY2PG)

/* What the state is measured by (spec section 6).  Pages, not bytes. */
typedef struct Stats Stats;
struct Stats {
	int		pde[Npdekind];
	uint32_t	mapped;
	uint32_t	free;
	uint32_t	largestrun;	/* free pages in a row; blank PDE: 1024 */
	uint32_t	ptinuse;
	uint32_t	ptleaked;
	uint32_t	largest[MAXPOLICY];	/* largest vmap, per policy */
	double		frag;		/* 1 - largestrun/free */
};

/* Outcomes of vmap, beside an address. */
enum {
	Vok,
	Vfail,
	Vrefused,
	Vpanic
};

/* The pool index of the page a page-table PDE points at. */
static inline int
ptindex(uint32_t pde)
{
	return (PPN(pde) - PTPOOLBASE) / BY2PG;
}

/* mmu.c: the pool, for the fast paths */
int		 ptalloc(Mmu *);
int		 ptexhausted(Mmu *);
int		 misaligned(Mmu *, uint32_t);
void		 ptorphan(Mmu *, uint32_t);
void		 ptfree(Mmu *, uint32_t);

/* mmu.c */
extern const char *const kernelnames[Nkernel];
int		 kernelfind(const char *);
void		 mmuinit(Mmu *, const Policy *, int, int, uint32_t, uint32_t,
		     uint32_t);
void		 mmufree(Mmu *);
const char	*mmucheck(const Mmu *);
int		 mmusame(const Mmu *, const Mmu *);
int		 mmucopy(Mmu *, const Mmu *);
int		 mmupanic(Mmu *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
int		 vpdbsize(const Mmu *);
uint32_t	*vpdb(Mmu *);
uint32_t	*pdetable(const Mmu *, uint32_t);
int		 pdekind(const Mmu *, uint32_t);
void		 pdecount(const Mmu *, int [Npdekind]);
int		 findhole(const uint32_t *, int, int);
uint32_t	*mmuwalk(Mmu *, uint32_t, int);
int		 pdbmap(Mmu *, uint32_t, uint32_t, uint32_t);
int		 pdbunmap(Mmu *, uint32_t, uint32_t);
int		 vmap(Mmu *, uint32_t, int32_t, uint32_t *);
int		 vunmap(Mmu *, uint32_t, int32_t);

/* stats.c */
void		 mmustats(Mmu *, Stats *);
uint32_t	 largestvmap(Mmu *, const Policy *);
uint32_t	 largestvmap_ref(Mmu *, const Policy *);
void		 leancount(Mmu *, int *, uint32_t *);
void		 recount(const Mmu *, int *, uint32_t *);

/* fast.c */
void		 ptsummary(Mmu *, Ptpage *);

/* Mark the PDE at pde changed, for the tree of the measures. */
static inline void
markpde(Mmu *m, const uint32_t *pde)
{
	uint32_t i;

	i = (uint32_t)(pde - m->pdb);
	m->pdemark[i / 64] |= 1ull << (i % 64);
}

/* The pool page of a page-table PDE, its summary brought up to date. */
static inline Ptpage *
ptfresh(Mmu *m, uint32_t pde)
{
	Ptpage *pg;

	pg = &m->pool[ptindex(pde)];
	if (pg->dirty)
		ptsummary(m, pg);
	return pg;
}

void		 ptset(Ptpage *, int);
void		 ptclear(Ptpage *, int);
int		 bmfirstfit(const uint64_t *, int);
uint32_t	 plan9_vmapalloc_fast(Mmu *, uint32_t);
uint32_t	 span_vmapalloc_fast(Mmu *, uint32_t);
uint32_t	 spanfixed_vmapalloc_fast(Mmu *, uint32_t);
int		 pdbmap_fast(Mmu *, uint32_t, uint32_t, uint32_t);
int		 pdbunmap_fast(Mmu *, uint32_t, uint32_t);

/* vmapalloc.c */
extern const Policy	policies[];
extern const int	npolicies;
const Policy	*policyfind(const char *);
int		 policyindex(const Policy *);
uint32_t	 vmapblank(Mmu *, uint32_t);
uint32_t	 plan9_vmapalloc(Mmu *, uint32_t);
uint32_t	 span_vmapalloc(Mmu *, uint32_t);
uint32_t	 spanfixed_vmapalloc(Mmu *, uint32_t);

#endif
