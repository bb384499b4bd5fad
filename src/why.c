/*
 * The reasons (mmu.h): their names and numbers, their words, and why
 * each built-in policy's search came up empty (its whyfail).  vmap
 * records a Reason after vmapalloc answers and before pdbmap runs
 * (mmu.c): the step that placed the mapping, the argument check that
 * refused it, or, when vmapalloc finds nothing, the policy's whyfail
 * from here.  The words come from reasonfmt alone; nothing reads them
 * back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyhash.h"
#include "mmu.h"
#include "xmalloc.h"

/* What each code is called, and its numbers (for the YAML report). */
static const struct {
	const char	*name;
	const char	*field[NREASONNUM];
} codes[Nreason] = {
	[RSnone] = { "none", { NULL } },
	[RSblankrun] = { "blank-run", { "pdes", "pde", "big-pages" } },
	[RShole] = { "hole", { "pages", "pte", "pde" } },
	[RSrun] = { "table-run", { "pages", "pde", "last-pde", "pte",
	    "big-pages" } },
	[RSnewtable] = { "new-table", { "pde" } },
	[RSunmapped] = { "unmapped", { "pages", "pde", "last-pde" } },
	[RSnote] = { "note", { NULL } },
	[RSskipped] = { "skipped", { NULL } },
	[RSfailblank] = { "no-blank-run", { "pdes", "longest", "pde", "stale" } },
	[RSfailhole] = { "no-hole", { "pages", "largest", "pde" } },
	[RSfailrun] = { "no-table-run", { "pages", "pdes", "longest", "pde",
	    "run", "run-pde", "run-last-pde" } },
	[RSfailspan] = { "no-span-run", { "pages", "pdes", "longest", "pde",
	    "empty", "empty-pde" } },
	[RSfail] = { "no-room", { "pages", "blank-run", "blank-pde", "stale",
	    "hole", "hole-pde" } },
	[RSpage0] = { "pa-in-page-0", { "pa" } },
	[RSlowpa] = { "pa-below-4096", { "pa" } },
	[RSnosize] = { "size-not-positive", { "size" } },
	[RSpast4g] = { "reaches-4g", { "pa", "size" } },
	[RStoobig] = { "size-past-vmapsize", { "size", "vmapsize" } },
	[RSpawide] = { "pa-past-4g", { "pa-high", "pa", "size" } },
	[RSpaulong] = { "pa-not-ulong", { "pa-high", "pa" } },
	[RSsaid] = { "said", { "said" } },
	[RSpanic] = { "panic", { "pde", "last-pde", "hole-pte" } },
	[RSoutside] = { "outside-vmap", { "pde", "last-pde", "vmap-pde",
	    "vmap-last-pde" } },
};

/* The name of code c, as reports give it. */
const char *
reasonname(int c)
{
	return c >= 0 && c < Nreason && codes[c].name ? codes[c].name : "none";
}

/* The name of number k of code c, or nil past its last. */
const char *
reasonfield(int c, int k)
{
	if (c < 0 || c >= Nreason || k < 0 || k >= NREASONNUM)
		return NULL;
	return codes[c].field[k];
}

/*
 * The shape of the vmap's PDEs into s, read off the tree the fast paths
 * keep (mmutree.c): its longest runs are at its root, and the first of
 * each is found down it.  The same as shapewalk finds, PDE by PDE.
 */
static void
shapetree(Mmu *m, struct pdeshape *s)
{
	const Pdenode *root, *lf;
	uint32_t first, before, nfree;
	int i, stale;

	memset(s, 0, sizeof *s);
	root = treefresh(m);
	first = PDX(m->vmap);
	leancount(m, &stale, &nfree);
	s->stale = stale;
	if ((s->blankrun = root->bbest) > 0)
		s->blankat = first + treefirstrun(m, Tblanks, s->blankrun,
		    NULL) + 1 - s->blankrun;
	if ((s->hole = root->maxhole) > 0)
		s->holeat = first + treefirsthole(m, s->hole);
	if ((s->run = root->rbest) > 0) {
		i = treefirstrun(m, Tpages, s->run, &before);
		lf = &m->tree[m->nleaf + i];
		s->runend = first + i;
		/* the run from the tables before is found first, as walked */
		s->runat = s->runend;
		if (before + lf->rpre >= s->run)
			s->runat -= (before + WD2PG - 1) / WD2PG;
	}
	if ((s->empties = root->ebest) > 0)
		s->emptyat = first + treefirstrun(m, Ttables, s->empties,
		    NULL) + 1 - s->empties;
	s->anyblank = s->blankrun > 0;
}

/* The shape of the vmap's PDEs into s, a PDE at a time. */
static void
shapewalk(Mmu *m, struct pdeshape *s)
{
	uint32_t *pd, blanks, run, runstart, empties, first;
	Ptpage *pg;
	int i, np;

	memset(s, 0, sizeof *s);
	pd = vpdb(m);
	np = vpdbsize(m);
	first = PDX(m->vmap);
	blanks = run = runstart = empties = 0;
	for (i = 0; i < np; i++) {
		blanks = pd[i] == 0 ? blanks + 1 : 0;
		if (blanks > s->blankrun) {
			s->blankrun = blanks;
			s->blankat = first + i + 1 - blanks;
		}
		if (!ispt(pd[i])) {
			run = empties = 0;
			continue;
		}
		pg = ptfresh(&m->pt, pd[i]);
		s->stale += pg->nvalid == 0;
		if (pg->maxhole > s->hole) {
			s->hole = pg->maxhole;
			s->holeat = first + i;
		}
		/* a run over tables: the free tail before, this one's head */
		if (run == 0)
			runstart = first + i;
		if (run + pg->head > s->run) {
			s->run = run + pg->head;
			s->runat = runstart;
			s->runend = first + i;
		}
		if (pg->maxhole > s->run) {
			s->run = pg->maxhole;
			s->runat = s->runend = first + i;
		}
		if (pg->head == WD2PG)
			run += WD2PG;
		else {
			run = pg->tail;
			runstart = first + i;
		}
		empties = pg->nvalid == 0 ? empties + 1 : 0;
		if (empties > s->empties) {
			s->empties = empties;
			s->emptyat = first + i + 1 - empties;
		}
	}
	s->anyblank = s->blankrun > 0;
}

/*
 * Measure the vmap's PDEs into s: off the tree on a machine whose
 * PDEs the fast paths write (they mark what they write, so that the
 * tree is brought up to date cheaply), else a walk of them all; kept in
 * m for the next failure until a PDE or a table is written (m->gen).
 */
static void
pdeshape(Mmu *m, struct pdeshape *s)
{
	if (m->shapegen == m->gen + 1) {
		*s = m->shape;
		return;
	}
	if (m->map == pdbmap_fast)
		shapetree(m, s);
	else
		shapewalk(m, s);
	m->shape = *s;
	m->shapegen = m->gen + 1;
}

/*
 * A vmapalloc whose search is not known (a kernel file's) found
 * nothing: what the vmap held, as every search would see it: the
 * longest run of blank PDEs, the PDEs with empty tables, the longest
 * hole in one table.
 */
void
window_whyfail(Mmu *m, uint32_t size, Reason *r)
{
	struct pdeshape s;

	pdeshape(m, &s);
	*r = (Reason){ RSfail, { HOWMANY(size, BY2PG), s.blankrun, s.blankat,
	    s.stale, s.hole, s.holeat } };
}

/*
 * plan9's vmapalloc found nothing: a large request wants whole blank
 * PDEs in a row; a small one a hole in one table, or a blank PDE.
 */
void
plan9_whyfail(Mmu *m, uint32_t size, Reason *r)
{
	struct pdeshape s;

	pdeshape(m, &s);
	if (size >= PGDIRSIZE)
		*r = (Reason){ RSfailblank, { HOWMANY(size, PGDIRSIZE),
		    s.blankrun, s.blankat, s.stale } };
	else
		*r = (Reason){ RSfailhole, { HOWMANY(size, BY2PG), s.hole,
		    s.holeat } };
}

/*
 * span's vmapalloc found nothing.  A small request is searched as plan9
 * searches it.  A large one wants blank PDEs, then a run its scan can
 * use: empty tables in a row, then a table with a hole of the rest.
 */
void
span_whyfail(Mmu *m, uint32_t size, Reason *r)
{
	struct pdeshape s;

	if (size < PGDIRSIZE) {
		plan9_whyfail(m, size, r);
		return;
	}
	pdeshape(m, &s);
	*r = (Reason){ RSfailspan, { HOWMANY(size, BY2PG), HOWMANY(size,
	    PGDIRSIZE), s.blankrun, s.blankat, s.empties, s.emptyat } };
}

/*
 * span-fixed's vmapalloc found nothing: no blank PDEs enough for a
 * large request, and no run of free PTEs over consecutive tables.
 */
void
spanfixed_whyfail(Mmu *m, uint32_t size, Reason *r)
{
	struct pdeshape s;

	pdeshape(m, &s);
	*r = (Reason){ RSfailrun, { HOWMANY(size, BY2PG), size >= PGDIRSIZE ?
	    HOWMANY(size, PGDIRSIZE) : 0, s.blankrun, s.blankat, s.run,
	    s.runat, s.runend } };
}

/*
 * " (PDE a)" or " (PDEs a-b)", or inside parentheses ", PDE a"; nothing
 * when any is 0.  Returns its length.
 */
static int
pdes(char *buf, size_t len, uint32_t a, uint32_t b, uint32_t any, int inside)
{
	if (any == 0) {
		buf[0] = '\0';
		return 0;
	}
	return snprintf(buf, len, "%sPDE%s %u%s%.0u%s", inside ? ", " : " (",
	    a == b ? "" : "s", a, a == b ? "" : "-", a == b ? 0 : b,
	    inside ? "" : ")");
}

/*
 * The words of a reason that says where a vmap went or what a vunmap
 * cleared, into buf: 1; 0 for another code.
 */
static int
placedfmt(char *buf, size_t len, const Reason *r)
{
	const uint32_t *n = r->n;
	char more[96];

	switch (r->code) {
	case RSblankrun:
		more[0] = '\0';
		if (n[2] > 0)
			snprintf(more, sizeof more, ", mapped as %u 4M page%s",
			    n[2], n[2] == 1 ? "" : "s");
		snprintf(buf, len, "%u blank PDE%s at PDE %u%s", n[0],
		    n[0] == 1 ? "" : "s", n[1], more);
		return 1;
	case RShole:
		snprintf(buf, len, "a hole of %u page%s at PTE %u of the table "
		    "in PDE %u", n[0], n[0] == 1 ? "" : "s", n[1], n[2]);
		return 1;
	case RSrun:
		more[0] = '\0';
		if (n[4] > 0)
			snprintf(more, sizeof more, ", mapped as %u 4M page%s over "
			    "the tables, which leak", n[4], n[4] == 1 ? "" : "s");
		snprintf(buf, len, "a run of %u pages over the tables of PDEs "
		    "%u-%u, from PTE %u%s", n[0], n[1], n[2], n[3], more);
		return 1;
	case RSnewtable:
		snprintf(buf, len, "a new table in blank PDE %u", n[0]);
		return 1;
	case RSoutside:
		if (n[0] == n[1])
			snprintf(buf, len, "its vmapalloc placed it over PDE %u, "
			    "outside the vmap's PDEs %u-%u", n[0], n[2], n[3]);
		else
			snprintf(buf, len, "its vmapalloc placed it over PDEs "
			    "%u-%u, outside the vmap's PDEs %u-%u", n[0], n[1],
			    n[2], n[3]);
		return 1;
	case RSunmapped:
		snprintf(buf, len, "%u page%s unmapped in PDE%s %u%s", n[0],
		    n[0] == 1 ? "" : "s", n[1] == n[2] ? "" : "s", n[1],
		    n[1] == n[2] ? "" : "-");
		if (n[1] != n[2])
			snprintf(buf + strlen(buf), len - strlen(buf), "%u",
			    n[2]);
		return 1;
	case RSpanic:
		snprintf(buf, len, "placed over PDE%s %u%s", n[0] == n[1] ? "" :
		    "s", n[0], n[0] == n[1] ? "" : "-");
		if (n[0] != n[1])
			snprintf(buf + strlen(buf), len - strlen(buf), "%u", n[1]);
		return 1;
	}
	return 0;
}

/*
 * The words of a reason why each step of a policy found nothing, into
 * buf: 1; 0 for another code.
 */
static int
failedfmt(char *buf, size_t len, const Reason *r)
{
	const uint32_t *n = r->n;
	uint32_t e;
	int k;

	switch (r->code) {
	case RSfailblank:
		k = snprintf(buf, len, "needs %u blank PDE%s in a row; the "
		    "longest run is %u", n[0], n[0] == 1 ? "" : "s", n[1]);
		if (k > 0 && (size_t)k < len)
			k += pdes(buf + k, len - k, n[2], n[2] + n[1] - 1, n[1], 0);
		if (k > 0 && (size_t)k < len)
			snprintf(buf + k, len - k, "; %u PDE%s", n[3], n[3] == 1 ?
			    " holds an empty table" : "s hold empty tables");
		return 1;
	case RSfailhole:
		if (n[1] > 0)
			snprintf(buf, len, "no table has a hole of %u pages "
			    "(largest %u, PDE %u) and no PDE is blank", n[0], n[1],
			    n[2]);
		else
			snprintf(buf, len, "no table has a free page and no PDE "
			    "is blank");
		return 1;
	case RSfailrun:
		k = 0;
		if (n[1] > 0)
			k = snprintf(buf, len, "needs %u blank PDE%s in a row; the "
			    "longest run is %u; ", n[1], n[1] == 1 ? "" : "s", n[2]);
		if (k >= 0 && (size_t)k < len)
			k += snprintf(buf + k, len - k, "no run of %u free pages "
			    "over consecutive tables (the longest is %u", n[0],
			    n[4]);
		if (k >= 0 && (size_t)k < len)
			k += pdes(buf + k, len - k, n[5], n[6], n[4], 1);
		if (k >= 0 && (size_t)k < len)
			snprintf(buf + k, len - k, ")%s", n[1] > 0 ? "" :
			    ", and no PDE is blank");
		return 1;
	case RSfailspan:
		/* span's run: E empty tables, then a hole of the rest */
		e = (n[0] - 1) / WD2PG;
		k = snprintf(buf, len, "needs %u blank PDE%s in a row; the longest "
		    "run is %u; its run over tables wants %u empty table%s in a "
		    "row, then a table with a hole of %u page%s; ", n[1],
		    n[1] == 1 ? "" : "s", n[2], e, e == 1 ? "" : "s",
		    n[0] - e * WD2PG, n[0] - e * WD2PG == 1 ? "" : "s");
		if (k > 0 && (size_t)k < len && n[4] < e)
			snprintf(buf + k, len - k, "the most empty tables in a row "
			    "is %u", n[4]);
		else if (k > 0 && (size_t)k < len)
			snprintf(buf + k, len - k, "there are %u empty tables in a "
			    "row (PDEs %u-%u), but the PDE after each such run "
			    "holds no table with that hole", n[4], n[5],
			    n[5] + n[4] - 1);
		return 1;
	case RSfail:
		k = snprintf(buf, len, "its vmapalloc found no room for %u "
		    "pages; the vmap held ", n[0]);
		if (k > 0 && (size_t)k < len && n[1] == 0)
			k += snprintf(buf + k, len - k, "no blank PDE");
		else if (k > 0 && (size_t)k < len && n[1] == 1)
			k += snprintf(buf + k, len - k, "1 blank PDE in a row "
			    "at most (PDE %u)", n[2]);
		else if (k > 0 && (size_t)k < len)
			k += snprintf(buf + k, len - k, "%u blank PDEs in a row "
			    "at most (PDEs %u-%u)", n[1], n[2], n[2] + n[1] - 1);
		if (k > 0 && (size_t)k < len)
			k += snprintf(buf + k, len - k, ", %u PDE%s with an empty "
			    "table", n[3], n[3] == 1 ? "" : "s");
		if (k > 0 && (size_t)k < len && n[4] > 0)
			snprintf(buf + k, len - k, " and a hole of %u page%s at "
			    "most in one table (PDE %u)", n[4], n[4] == 1 ? "" :
			    "s", n[5]);
		else if (k > 0 && (size_t)k < len)
			snprintf(buf + k, len - k, " and no free page in a table");
		return 1;
	}
	return 0;
}

/*
 * The words of an argument check that refused a vmap (or what a kernel
 * source file printed), into buf: 1; 0 for another code.
 */
static int
refusedfmt(char *buf, size_t len, const Reason *r)
{
	const uint32_t *n = r->n;

	switch (r->code) {
	case RSpage0:
		snprintf(buf, len, "pa 0x%.8x lies in page 0: vmap refuses it",
		    n[0]);
		return 1;
	case RSlowpa:
		snprintf(buf, len, "9front refuses a pa below 4096 (0x%x)", n[0]);
		return 1;
	case RSnosize:
		snprintf(buf, len, "9front refuses a size of 0 or less");
		return 1;
	case RSpast4g:
		snprintf(buf, len, "9front refuses a range that reaches 2^32 "
		    "(pa 0x%.8x + %u)", n[0], n[1]);
		return 1;
	case RStoobig:
		snprintf(buf, len, "9front refuses a size (%u) over the vmap's "
		    "(%u)", n[0], n[1]);
		return 1;
	case RSpawide:
		snprintf(buf, len, "9front refuses a range that reaches 2^32 "
		    "(pa 0x%llx + %u): a pa past 4G is no 386 device address",
		    (unsigned long long)n[0] << 32 | n[1], n[2]);
		return 1;
	case RSpaulong:
		snprintf(buf, len, "Bell Labs' vmap takes its pa as a 32-bit "
		    "ulong: 0x%llx cannot be passed to it, so the call cannot be "
		    "made", (unsigned long long)n[0] << 32 | n[1]);
		return 1;
	case RSsaid:
		snprintf(buf, len, "it printed: %s", saidtext(n[0]));
		return 1;
	}
	return 0;
}

/*
 * The words of reason r (not of a panic's message, which panicfmt
 * makes), into buf.  Returns buf.
 */
char *
reasonfmt(char *buf, size_t len, const Reason *r)
{
	if (!placedfmt(buf, len, r) && !failedfmt(buf, len, r) &&
	    !refusedfmt(buf, len, r))
		snprintf(buf, len, "%s", reasonname(r->code));
	return buf;
}

/*
 * The PDEs reason r names, *lo to *hi: where a mapping went or what a
 * vunmap cleared; the longest run, hole or run over tables a failed
 * search found; a panic's PDEs.  Returns 0 when it names none.
 */
int
reasonpdes(const Reason *r, uint32_t *lo, uint32_t *hi)
{
	const uint32_t *n;

	n = r->n;
	switch (r->code) {
	case RSblankrun:
		*lo = n[1];
		*hi = n[1] + n[0] - 1;
		return n[0] > 0;
	case RShole:
		*lo = *hi = n[2];
		return 1;
	case RSrun:
	case RSunmapped:
	case RSpanic:
		*lo = r->code == RSpanic ? n[0] : n[1];
		*hi = r->code == RSpanic ? n[1] : n[2];
		return 1;
	case RSnewtable:
		*lo = *hi = n[0];
		return 1;
	case RSoutside:
		*lo = n[0];
		*hi = n[1];
		return 1;
	case RSfailblank:
		*lo = n[2];
		*hi = n[2] + n[1] - 1;
		return n[1] > 0;
	case RSfailhole:
		*lo = *hi = n[2];
		return n[1] > 0;
	case RSfailrun:
		*lo = n[5];
		*hi = n[6];
		return n[4] > 0;
	case RSfailspan:
		*lo = n[5];
		*hi = n[5] + n[4] - 1;
		return n[4] > 0;
	}
	return 0;
}

/*
 * The PTE reason r names, in the table of PDE *pde: where a hole or a
 * run over tables starts.  (A panic's PTE is its Panic's va.)  Returns
 * 0 when it names none.
 */
int
reasonpte(const Reason *r, uint32_t *pde, uint32_t *pte)
{
	switch (r->code) {
	case RShole:
		*pde = r->n[2];
		*pte = r->n[1];
		return 1;
	case RSrun:
		*pde = r->n[1];
		*pte = r->n[3];
		return 1;
	}
	return 0;
}

/*
 * What kernel source files said (printed or panicked with), each kept
 * once for good: a reason names one by its number, saidtext gives it
 * back.  A hash of the numbers finds one again.
 */
static struct {
	char		**s;
	uint32_t	 n, cap;
	uint32_t	*slot;		/* number + 1, or 0: empty */
	uint32_t	 nslot;		/* a power of 2, over twice n */
} said;

/* A kernel file's words are anybody's: keyed. */
static uint32_t
saidhash(const char *s)
{
	return keyhash(s);
}

/* The number of message s, kept if new. */
uint32_t
saidkeep(const char *s)
{
	uint32_t h, i, k, *old, nold;

	if (2 * (said.n + 1) >= said.nslot) {
		old = said.slot;
		nold = said.nslot;
		said.nslot = nold ? 2 * nold : 64;
		said.slot = xcalloc(said.nslot, sizeof *said.slot);
		for (i = 0; i < nold; i++)
			if (old[i] != 0) {
				h = saidhash(said.s[old[i] - 1]);
				for (k = h & (said.nslot - 1); said.slot[k];
				    k = (k + 1) & (said.nslot - 1))
					;
				said.slot[k] = old[i];
			}
		free(old);
	}
	h = saidhash(s);
	for (k = h & (said.nslot - 1); said.slot[k] != 0;
	    k = (k + 1) & (said.nslot - 1))
		if (strcmp(said.s[said.slot[k] - 1], s) == 0)
			return said.slot[k] - 1;
	if (said.n == said.cap) {
		said.cap = said.cap ? 2 * said.cap : 16;
		said.s = xreallocarray(said.s, said.cap, sizeof *said.s);
	}
	said.s[said.n] = xstrdup(s);
	said.slot[k] = ++said.n;
	return said.n - 1;
}

/* Message i, or "" if there is none. */
const char *
saidtext(uint32_t i)
{
	return i < said.n ? said.s[i] : "";
}
