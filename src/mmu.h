/*
 * The modeled machine: a 32-bit x86 page directory, its page tables and
 * the device-mapping allocator of the Plan 9 pc kernel (vmap, vunmap,
 * vmapalloc, findhole, pdbmap, pdbunmap).  Everything is kept as the
 * words the hardware would see; the allocator keeps no other bookkeeping,
 * so a slot is free exactly when its word is 0.
 *
 * This header is the whole model interface, in the order of its layers:
 * the page-table pool (ptpool.c), the page directory and the kernel's
 * functions (mmu.c, with the fast forms of pdbmap and pdbunmap in
 * mmufast.c), the allocation policies (vmapalloc.c, fast.c), the
 * measures (stats.c), the reasons (why.c) and the registry of policies
 * (policy.c).  Each
 * layer calls only those before it.  It includes neither curses nor
 * yaml: the model knows nothing of traces or screens.
 */
#ifndef VMAPVIEW_MMU_H
#define VMAPVIEW_MMU_H

#include <stddef.h>
#include <stdint.h>

#define BY2PG		4096u
#define MB		(1024u*1024u)
#define PGDIRSIZE	(4u*MB)		/* what one PDE covers */
#define WD2PG		1024		/* words in a page: PTEs in a table */
#define NPDE		1024		/* entries in the page directory */

#define PDX(va)		(((uint32_t)(va)>>22) & 0x3FF)
#define PTX(va)		(((uint32_t)(va)>>12) & 0x3FF)
#define PPN(x)		((uint32_t)(x) & ~0xFFFu)

/* x rounded up to a multiple of n, a power of 2; how many n hold x. */
#define ROUND(x, n)	(((x) + (n) - 1) & ~((n) - 1))
#define HOWMANY(x, n)	(((x) + (n) - 1) / (n))

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

/* Policies that can be registered at once: the built-in ones and more. */
#define MAXPOLICY	8

/* vmap's size is an int: 2^31-1 bytes, rounded up, is 2^19 pages. */
#define MAXVMAPPAGES	(0x80000000u / BY2PG)

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
typedef struct Mmuconf Mmuconf;
typedef struct Panic Panic;
typedef struct Pdenode Pdenode;
typedef struct Policy Policy;
typedef struct Ptpage Ptpage;
typedef struct Ptpool Ptpool;
typedef struct Reason Reason;
typedef struct Stats Stats;

/*
 * ptpool.c: the page-table pool
 */

/* One page of the pool. */
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

struct Ptpool {
	Ptpage		*pg;
	int		n;		/* pages ever taken */
	int		cap;
	int		freehead;	/* list of pages given back, or -1 */
	uint32_t	inuse;		/* tables and orphans */
	uint32_t	leaked;		/* orphans */
	uint32_t	budget;		/* pages at once; 0: no limit */
};

/*
 * A pool packed for keeping (the view's checkpoints): its pages without
 * their words, and the words of each table in use as runs, a run being
 * n words from a first one by a step (a mapping's frames in order, or
 * zeros); or, where runs would take more room, the words themselves.
 */
typedef struct Ptpack Ptpack;
struct Ptpack {
	Ptpool		 pool;		/* pg: the pages kept, their words nil */
	uint32_t	*idx;		/* per page kept: its index; the rest leaked */
	uint32_t	 nkept;
	uint32_t	*w;		/* every table's runs, one after another */
	size_t		 nw;
	uint32_t	*at;		/* per page kept: where in w, or PTNOWORDS */
};

#define PTNOWORDS	UINT32_MAX

void		 ptinit(Ptpool *, uint32_t);
void		 ptpoolfree(Ptpool *);
void		 ptpoolcopy(Ptpool *, const Ptpool *);
void		 ptpack(Ptpack *, const Ptpool *);
void		 ptunpack(Ptpool *, const Ptpack *);
void		 ptpackfree(Ptpack *);
int		 ptalloc(Ptpool *);
void		 ptorphan(Ptpool *, int);
void		 ptfree(Ptpool *, int);
void		 ptset(Ptpage *, int);
void		 ptclear(Ptpage *, int);
void		 ptsetrun(Ptpage *, int, int);
void		 ptclearrun(Ptpage *, int, int);
int		 ptnextused(const Ptpage *, int);
int		 ptnextfree(const Ptpage *, int);
void		 ptsummary(Ptpage *);
int		 bmfirstfit(const uint64_t *, int);
int		 ptcheck(const Ptpool *, const uint32_t *, char *, size_t);

/* The pool index of the page a page-table PDE points at. */
static inline int
ptindex(uint32_t pde)
{
	return (PPN(pde) - PTPOOLBASE) / BY2PG;
}

/* The physical address of pool page i. */
static inline uint32_t
ptaddr(int i)
{
	return PTPOOLBASE + (uint32_t)i * BY2PG;
}

/* The pool page a page-table PDE points at. */
static inline Ptpage *
ptpage(const Ptpool *p, uint32_t pde)
{
	return &p->pg[ptindex(pde)];
}

/* The pool page of a page-table PDE, its summary brought up to date. */
static inline Ptpage *
ptfresh(const Ptpool *p, uint32_t pde)
{
	Ptpage *pg;

	pg = ptpage(p, pde);
	if (pg->dirty)
		ptsummary(pg);
	return pg;
}

/* A PDE that points at a page table (valid, not a 4 MiB page). */
static inline int
ispt(uint32_t pde)
{
	return (pde & PTEVALID) && !(pde & PTESIZE);
}

/*
 * mmu.c and mmufast.c: the page directory and the kernel's functions
 */

/* The panics of the model's kernel code. */
enum {
	PNone,
	PNvmappde,	/* pdbmap met a 4 MiB PDE */
	PNvmappte,	/* pdbmap met a valid PTE */
	PNxspan,	/* no page-table page left: xspanalloc */
	PNrange,	/* vunmap's range check */
	PNnotmapped,	/* pdbunmap met an entry that is not mapped */
	PNmisaligned,	/* 9front's pdbunmap inside a 4 MiB page */
	PNsaid,		/* a kernel source file's own panic: its words */
	PNcrash,	/* its code died: a signal or an exit (said) */
	PNhang		/* its code did not return in time (said) */
};

/* What, beyond its kind, made the kernel panic. */
enum {
	PCnone,
	PCblankpde,	/* not mapped: the PDE is blank */
	PCfreepte,	/* not mapped: the PTE is not valid */
	PCcleared4m,	/* not mapped: labs cleared this 4 MiB PDE, va stayed */
	PCnegative,	/* range: the size is negative as an int */
	PCbelow,	/* range: va is below VMAP */
	PCabove,	/* range: the end is past VMAP+VMAPSIZE */
	PCwrapped,	/* range: VMAP+VMAPSIZE is 0 in 32 bits */
	PCinuse,	/* a file's vmap: a page in the way before the call */
	PCinuse4m	/* a file's vmap: a 4 MiB page in the way */
};

/*
 * A modeled panic, as data.  Its message is made from it, per kernel,
 * by panicfmt; nothing reads a message back.
 */
struct Panic {
	uint8_t		kind;
	uint8_t		cause;
	uint32_t	va;		/* where it stopped */
	uint32_t	pa;		/* vmap: the physical address there */
	uint32_t	word;		/* the PDE or PTE found there */
	uint32_t	allocva;	/* vmap: what vmapalloc returned */
	int64_t		size;		/* vunmap: the size as the kernel held it */
	const char	*said;		/* PNsaid: the message (kept for good) */
};

/*
 * Why a vmap or vunmap gave what it gave (why.c): a code and numbers
 * whose names reasonfield gives.  PDE numbers are indices in the page
 * directory.
 */
enum {
	RSnone,
	/* ok: the step that placed a vmap; a vunmap's pages */
	RSblankrun,	/* pdes, pde, big-pages */
	RShole,		/* pages, pte, pde */
	RSrun,		/* pages, pde, last-pde, pte, big-pages */
	RSnewtable,	/* pde */
	RSunmapped,	/* pages, pde, last-pde */
	RSnote,
	RSskipped,
	/* fail: why each step of the policy found nothing */
	RSfailblank,	/* pdes, longest, pde, stale */
	RSfailhole,	/* pages, largest, pde */
	RSfailrun,	/* pages, pdes, longest, pde, run, run-pde, run-last-pde */
	RSfailspan,	/* pages, pdes, longest, pde, empty, empty-pde */
	RSfail,		/* pages */
	/* refused: the argument check */
	RSpage0,	/* pa */
	RSlowpa,	/* pa */
	RSnosize,	/* size */
	RSpast4g,	/* pa, size */
	RStoobig,	/* size, vmapsize */
	RSpawide,	/* pa-high, pa, size: 9front's, a pa past 4G */
	RSpaulong,	/* pa-high, pa: Bell Labs' ulong cannot hold it */
	RSsaid,		/* said: a kernel source file printed why (saidtext) */
	/* panic: where the mapping was placed (Panic says the rest) */
	RSpanic,	/* pde, last-pde, hole-pte */
	/* ok, by a kernel file, at an address outside the vmap */
	RSoutside,	/* pde, last-pde, vmap-pde, vmap-last-pde */
	Nreason
};

#define NREASONNUM	7

struct Reason {
	uint8_t		code;
	uint32_t	n[NREASONNUM];
};

/* What the vmap's PDEs are, for the reasons a search failed (why.c). */
struct pdeshape {
	uint32_t	blankrun, blankat;	/* longest run of blank PDEs */
	uint32_t	stale;			/* PDEs with empty tables */
	uint32_t	hole, holeat;		/* longest hole in one table */
	uint32_t	run, runat, runend;	/* longest run over tables */
	uint32_t	empties, emptyat;	/* most empty tables in a row */
	int		anyblank;
};

/* How to set up a machine. */
struct Mmuconf {
	const Policy	*policy;
	int		kernel;
	int		pse;
	uint32_t	vmap;		/* VMAP */
	uint32_t	vmapsize;	/* VMAPSIZE */
	uint32_t	ptpages;	/* budget of page-table pages; 0: none */
	int		slow;		/* the kernel-shaped code only */
};

struct Mmu {
	uint32_t	pdb[NPDE];

	/* configuration */
	uint32_t	vmap;		/* VMAP */
	uint32_t	vmapsize;	/* VMAPSIZE */
	int		pse;
	int		kernel;
	const Policy	*policy;

	/* the code chosen at mmuinit: the kernel-shaped, or the fast forms */
	uint32_t	(*alloc)(Mmu *, uint32_t);
	int		(*map)(Mmu *, uint32_t, uint32_t, uint32_t);
	int		(*unmap)(Mmu *, uint32_t, uint32_t);

	Ptpool		pt;

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

	/*
	 * Counts the writes to the PDEs and their tables: each marked PDE
	 * and each time treeok is cleared.  The tree is up to date while
	 * gen is treegen; the shape of the PDEs that explains a failure
	 * (why.c) is kept while gen is shapegen-1.
	 */
	uint64_t	gen;
	uint64_t	treegen;	/* gen when the tree was brought up to date */
	uint64_t	shapegen;	/* gen+1 of shape; 0: none */
	struct pdeshape	shape;

	/* the last panic, if any */
	int		panicked;
	Panic		panic;

	/*
	 * Where what a kernel file's code prints during a vmap or a
	 * vunmap goes (its console), when not nil: the text, lines and
	 * all, as it printed it.
	 */
	void		(*print)(void *, const char *);
	void		*printarg;

	/* why the last vmap or vunmap gave what it gave */
	Reason		why;

	/* the kernel file's call that left this state (ksrc.c); 0: none */
	uint64_t	kstamp;

	/* a failure's reason is not wanted: its pages alone (replay.c) */
	int		skipwhy;
};

/*
 * A node of the tree over the vmap's PDEs: for its stretch of PDEs, the
 * runs of blank PDEs, of free PTEs over consecutive page tables and of
 * empty tables at its start, at its end and anywhere, and the longest
 * hole in one of its tables.  Two neighbours make their parent as a run's pieces join.
 */
struct Pdenode {
	uint32_t	bpre, bsuf, bbest;	/* blank PDEs */
	/*
	 * A run of free pages over tables is its empty tables and a part
	 * of one table: the empty tables at the start or the end are
	 * rpre or rsuf / WD2PG, and only their longest run is kept.
	 */
	uint32_t	rpre, rsuf, rbest;	/* free pages over tables */
	uint16_t	ebest;			/* empty tables in a row */
	uint16_t	maxhole;
	uint8_t		ball;		/* every PDE blank */
	uint8_t		rall;		/* every PDE an empty table */
};

/* The runs the tree keeps, for treefirstrun. */
enum {
	Tblanks,	/* blank PDEs */
	Tpages,		/* free pages over tables */
	Ttables		/* empty tables */
};

/* A machine packed for keeping (its pool's words as runs). */
typedef struct Mmupack Mmupack;
struct Mmupack {
	Mmu		 m;		/* its pool nil: pt holds it */
	Ptpack		 pt;
};

/* Outcomes of vmap, beside an address. */
enum {
	Vok,
	Vfail,
	Vrefused,
	Vpanic
};

/* Longest panic message panicfmt writes, with its NUL. */
#define PANICLEN	160

/* Mark the PDE at pde changed, for the tree of the measures. */
static inline void
markpde(Mmu *m, const uint32_t *pde)
{
	uint32_t i;

	i = (uint32_t)(pde - m->pdb);
	m->pdemark[i / 64] |= 1ull << (i % 64);
	m->gen++;
}

/*
 * Record a kernel panic of kind at va (with pa and the word found
 * there).  Returns -1, for the caller to return.
 */
static inline int
mmupanic(Mmu *m, int kind, int cause, uint32_t va, uint32_t pa,
    uint32_t word)
{
	Panic *p;

	p = &m->panic;
	p->kind = kind;
	p->cause = cause;
	p->va = va;
	p->pa = pa;
	p->word = word;
	p->allocva = 0;
	p->size = 0;
	m->panicked = 1;
	return -1;
}

/* The page-table pool's page for a page-table PDE of m. */
static inline Ptpage *
mmupage(const Mmu *m, uint32_t pde)
{
	return ptpage(&m->pt, pde);
}

/* mmu.c */
extern const char *const kernelnames[Nkernel];
int		 kernelfind(const char *);
void		 mmuinit(Mmu *, const Mmuconf *);
void		 mmufree(Mmu *);
const char	*mmucheck(const Mmu *);
int		 mmusame(const Mmu *, const Mmu *);
void		 mmucopy(Mmu *, const Mmu *);
void		 mmupack(Mmupack *, const Mmu *);
void		 mmuunpack(Mmu *, const Mmupack *);
size_t		 mmupackbytes(const Mmupack *);
void		 mmupackfree(Mmupack *);
char		*panicfmt(char *, size_t, const Panic *, int);
int		 vpdbsize(const Mmu *);
uint32_t	*vpdb(Mmu *);
uint32_t	*pdetable(const Mmu *, uint32_t);
int		 pdekind(const Mmu *, uint32_t);
void		 pdecount(const Mmu *, int [Npdekind]);
void		 recount(const Mmu *, int *, uint32_t *);
void		 leancount(Mmu *, int *, uint32_t *);
int		 findhole(const uint32_t *, int, int);
uint32_t	*mmuwalk(Mmu *, uint32_t, int);
int		 pdbmap(Mmu *, uint32_t, uint32_t, uint32_t);
int		 pdbunmap(Mmu *, uint32_t, uint32_t);
int		 vmap(Mmu *, uint64_t, int32_t, uint32_t *);
void		 placedreason(const Mmu *, int, uint32_t, uint32_t, uint32_t,
		     Reason *);
int		 vunmap(Mmu *, uint32_t, int32_t);

/* mmutree.c */
/*
 * A vmap of at most this many PDEs is searched for a table's hole one
 * PDE at a time (fast.c), which costs less than bringing the tree up
 * to date for it; a larger one, down the tree.
 */
#define SCANPDES	128

const Pdenode	*treefresh(Mmu *);
int		 treefirsthole(Mmu *, uint32_t);
int		 treefirstrun(Mmu *, int, uint32_t, uint32_t *);

/* mmufast.c */
int		 pdbmap_fast(Mmu *, uint32_t, uint32_t, uint32_t);
int		 pdbunmap_fast(Mmu *, uint32_t, uint32_t);

/*
 * vmapalloc.c, fast.c: the allocation policies
 */

/* Whether a policy's largest vmap can go down when a vunmap runs. */
enum {
	Fallcan,	/* yes, or not known */
	Fallnever,	/* no */
	Fallbudget	/* only with a budget of page-table pages */
};

/*
 * An allocation policy: one entry of the registry (policy.c).  Nothing
 * else in the program knows a policy by its name or its functions.
 */
struct Policy {
	const char	*name;
	const char	*summary;	/* one line */
	const char	*caveat;	/* what a real kernel would differ in */
	uint32_t	(*vmapalloc)(Mmu *, uint32_t);	/* the kernel's shape */
	uint32_t	(*fastalloc)(Mmu *, uint32_t);	/* same answers; or nil */
	uint32_t	(*largest)(Mmu *);	/* nil: search by dry runs */
	uint32_t	(*atleast)(Mmu *, uint32_t);	/* or nil: largest */
	uint32_t	(*misfit)(Mmu *);	/* nil: search by dry runs */
	int		ownkernel;	/* a kernel file's: its kernel + 1; else 0 */
	int		unmapfall;	/* Fallcan, Fallnever, Fallbudget */
	int		freetables;	/* pdbunmap frees empty page tables */
	int		spans;		/* it can place a map across tables */
	void		(*whyfail)(Mmu *, uint32_t, Reason *);	/* or nil */
	const char	*mapbug;	/* why pdbmap can panic on its address */
	const char	*colour;	/* in pictures; nil: from a palette */

	/*
	 * A kernel source file's own vmap and vunmap, run in place of
	 * the model's (ksrc.c); nil for the built-in policies.  Each sets
	 * m->why and, on a panic, m->panic as the model's do.
	 */
	int		(*kvmap)(Mmu *, uint64_t, int32_t, uint32_t *);
	int		(*kvunmap)(Mmu *, uint32_t, int32_t);
	void		*priv;		/* theirs */
};

/* vmapalloc.c */
uint32_t	 vmapblank(Mmu *, uint32_t);
uint32_t	 plan9_vmapalloc(Mmu *, uint32_t);
uint32_t	 span_vmapalloc(Mmu *, uint32_t);
uint32_t	 spanfixed_vmapalloc(Mmu *, uint32_t);

/* fast.c */
uint32_t	 plan9_vmapalloc_fast(Mmu *, uint32_t);
uint32_t	 span_vmapalloc_fast(Mmu *, uint32_t);
uint32_t	 spanfixed_vmapalloc_fast(Mmu *, uint32_t);

/*
 * stats.c: the measures
 */

/* What the state is measured by (spec section 6).  Pages, not bytes. */
struct Stats {
	int		pde[Npdekind];
	uint32_t	mapped;
	uint32_t	free;
	uint32_t	largestrun;	/* free pages in a row; blank PDE: 1024 */
	uint32_t	ptinuse;
	uint32_t	ptleaked;
	uint32_t	largest[MAXPOLICY];	/* largest vmap, per policy */
	double		frag;		/* page level: 1 - largestrun/free */
};

double		 allocfrag(const Stats *, int);
void		 mmustats(Mmu *, Stats *);
/*
 * A dry run over page words held anywhere (a model's, or a kernel
 * file's child's): the PDEs, a table's words by its PDE, the ptpages
 * budget, and a vmapalloc to ask.
 */
struct dryrun {
	const uint32_t	*pdb;
	uint32_t	*(*table)(void *, uint32_t);
	uint32_t	(*alloc)(void *, uint32_t);
	void		*arg;
	uint32_t	 budget;
	uint32_t	 inuse;
	uint32_t	 vmap;		/* the window a place must be in */
	uint32_t	 vmapsize;
};

#define DRYTOP	0xffffffffu	/* dry_largest's top: the longest free run */

int		 dry_mapok(const struct dryrun *, uint32_t, uint32_t);
uint32_t	 dry_largest(const struct dryrun *, uint32_t, uint32_t);
uint32_t	 dry_misfit(const struct dryrun *);
uint32_t	 largestvmap(Mmu *, const Policy *);
uint32_t	 largestvmap_floor(Mmu *, const Policy *, uint32_t);
uint32_t	 largestvmap_ref(Mmu *, const Policy *);
uint32_t	 firstmisfit(Mmu *);
uint32_t	 firstmisfit_ref(Mmu *);
uint32_t	 plan9_misfit(Mmu *);
uint32_t	 firstfit_misfit(Mmu *);
uint32_t	 plan9_largest(Mmu *);
uint32_t	 span_largest(Mmu *);
uint32_t	 spanfixed_largest(Mmu *);

/*
 * why.c: the reasons
 */
void		 window_whyfail(Mmu *, uint32_t, Reason *);
void		 unmappanic(Mmu *, uint32_t, uint32_t);
const char	*reasonname(int);
int		 reasonpdes(const Reason *, uint32_t *, uint32_t *);
uint32_t	 saidkeep(const char *);
const char	*saidtext(uint32_t);
int		 reasonpte(const Reason *, uint32_t *, uint32_t *);
const char	*reasonfield(int, int);
char		*reasonfmt(char *, size_t, const Reason *);
void		 plan9_whyfail(Mmu *, uint32_t, Reason *);
void		 span_whyfail(Mmu *, uint32_t, Reason *);
void		 spanfixed_whyfail(Mmu *, uint32_t, Reason *);

/*
 * policy.c: the registry
 */
int		 policyregister(const Policy *);
int		 npolicy(void);
const Policy	*policyat(int);
const Policy	*policyfind(const char *);
int		 policyindex(const Policy *);
const char	*policycolour(int);

#endif
