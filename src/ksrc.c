/*
 * A Plan 9 pc/mmu.c as a policy.  The vmap path is taken from the file
 * (vmap, vunmap, vmapalloc, findhole, pdbmap, pdbunmap, mmuwalk and the
 * file-scope declarations they use), found by its definitions: the
 * return type on a line of its own, the name at the start of the next,
 * the body to its matching brace, comments, strings and characters
 * skipped.  It is put after a small kernel of vmapview's own (the 386's
 * types, the macros of mem.h, MACHP(0)->pdb, KADDR, xspanalloc, print,
 * panic, ...), with #line so that the compiler's messages point into
 * the user's file, compiled with $CC (or cc) into a shared object kept
 * in the cache under a hash of the file and the compiler, and loaded
 * with dlopen.  Its functions then run on the model's page directory:
 * the host below gives them the machine of the replay at hand, the
 * pool's pages by their modeled addresses, and a longjmp for panic.
 * After each call the pool's counts are made again from the words.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kchild.h"
#include "keyhash.h"
#include "ksrc.h"
#include "ksrcint.h"
#include "p9fmt.h"
#include "sha256.h"
#include "text.h"
#include "util.h"


/* A loaded file. */
struct ksrc {
	Policy		 pol;
	char		 name[80];
	char		 summary[160];
	dev_t		 dev;		/* the file, whatever names it */
	ino_t		 ino;
	char		 sum[65];	/* its bytes' SHA-256 */
	int		 flavour;	/* Klabs, K9front */
	int		 spans;		/* its vmapalloc runs over tables */
	char		 spanwhy[96];	/* how that was found */
	char		 sigwhy[192];	/* its flavour: its signatures, pdbunmap */
	struct kchild	 child;		/* where its code runs */

	/*
	 * The largest vmap, searched for with each vmap and vunmap in the
	 * same round trip once the measures have asked for it: the floor
	 * they asked with last (hint, plus one; 0: never asked), and the
	 * figure for the state the last call left (stamp), with its floor.
	 */
	uint32_t	 hint;
	uint64_t	 stamp;
	uint32_t	 after;
	uint32_t	 afterfloor;
};

#define MAXKSRC	4
_Static_assert(MAXKSRC <= MAXPOLICY - 4, "room for the built-in policies");
static struct ksrc ksrcs[MAXKSRC];
static int nksrc;
static uint64_t kstamps;	/* the calls made, to stamp states */

/*
 * PDEs the file's code wrote that point at no page of the pool: the
 * model could not follow them, and no kernel could either.  The first
 * is said as a crash into a (the call had returned); each is cleared.
 * Returns how many there were.
 */
static int
badpdes(Mmu *m, struct kanswer *a)
{
	uint32_t pde;
	int i, n, k;

	n = 0;
	for (i = 0; i < NPDE; i++) {
		pde = m->pdb[i];
		if (!ispt(pde))
			continue;
		k = pde >= PTPOOLBASE ? (int)ptindex(pde) : -1;
		if (k >= 0 && k < m->pt.n && m->pt.pg[k].pte != NULL &&
		    m->pt.pg[k].state != Pgfree)
			continue;
		if (n++ == 0 && a->how != KRcrash && a->how != KRhang) {
			a->how = KRcrash;
			snprintf(a->said, sizeof a->said, "it wrote PDE %d = "
			    "0x%.8x, which points at no page table of the pool",
			    i, pde);
		}
		m->pdb[i] = 0;
	}
	return n;
}

/* Table pg's counts made again from its words. */
static void
tablecount(Ptpage *pg)
{
	int j;

	pg->nvalid = 0;
	memset(pg->used, 0, sizeof pg->used);
	for (j = 0; j < WD2PG; j++)
		if (pg->pte[j] != 0) {
			pg->used[j / 64] |= 1ull << (j % 64);
			pg->nvalid++;
		}
	pg->dirty = 1;
}

/*
 * The pool's counts made again from the words the file's code wrote:
 * the valid PTEs and bitmap of each table a's call wrote (all, where
 * that is not known) and of each table a PDE points at anew (before,
 * the PDEs the call began with); a table no PDE points at any more (a
 * 4 MiB page written over it) leaked.
 */
static void
resync(Mmu *m, const struct kanswer *a, const uint32_t *before)
{
	uint8_t *ref;
	int i, k;

	ref = xcalloc(m->pt.n + 1, 1);
	for (i = 0; i < NPDE; i++) {
		if (!ispt(m->pdb[i]) || m->pdb[i] < PTPOOLBASE ||
		    ptindex(m->pdb[i]) >= m->pt.n)
			continue;
		k = ptindex(m->pdb[i]);
		if (ref[k] != 2 && (a->ndirty < 0 || m->pdb[i] != before[i])) {
			tablecount(mmupage(m, m->pdb[i]));
			ref[k] = 2;	/* counted */
		} else if (ref[k] == 0)
			ref[k] = 1;
	}
	for (i = 0; a->ndirty > 0 && i < a->ndirty; i++) {
		k = a->dirty[i];
		if (k >= 0 && k < m->pt.n && ref[k] == 1) {
			tablecount(&m->pt.pg[k]);
			ref[k] = 2;	/* counted */
		}
	}
	for (i = 0; i < m->pt.n; i++)
		if (m->pt.pg[i].state == Pgtable && !ref[i])
			ptorphan(&m->pt, i);
	free(ref);
	m->counted = 0;
	m->treeok = 0;
	m->gen++;
}

static struct ksrc *
ksrcof(const Mmu *m)
{
	return m->policy->priv;
}

/* The floor to search for the largest vmap with a call on m, or -1. */
static int64_t
hintof(const Mmu *m)
{
	const struct ksrc *k = ksrcof(m);

	return k->hint == 0 || k->child.hung ? -1 : (int64_t)k->hint - 1;
}

/* The state a call left on m: stamped, and its largest vmap kept. */
static void
afterof(Mmu *m, const struct kanswer *a)
{
	struct ksrc *k = ksrcof(m);

	m->kstamp = ++kstamps;
	if (a->searched) {
		k->stamp = m->kstamp;
		k->after = a->after;
		k->afterfloor = (uint32_t)(k->hint - 1);
	}
}

/*
 * A call that did not return (a panic of the file's own, or its code
 * crashed or hung): the panic at m, with its words.  A crash or a hang
 * is a panic of its own kind, which ends the run whatever keeps going.
 */
static void
callpanic(Mmu *m, const struct kanswer *a, uint32_t va)
{
	mmupanic(m, a->how == KRcrash ? PNcrash : a->how == KRhang ? PNhang :
	    PNsaid, PCnone, va, 0, 0);
	/* a crash's or a hang's words say what; the result, which */
	m->panic.said = saidtext(saidkeep(a->said));
}

/*
 * The PDE of va before the call a answered (before: the PDEs then), and
 * into *pte the PTE then: the table as the call found it (kchild_was)
 * or, unwritten, as it is; 0 for a blank or a 4 MiB PDE.
 */
static uint32_t
wordbefore(Mmu *m, const struct kanswer *a, const uint32_t *before,
    uint32_t va, uint32_t *pte)
{
	const uint32_t *w;
	uint32_t pde;
	int k;

	*pte = 0;
	pde = before[PDX(va)];
	if (!ispt(pde) || pde < PTPOOLBASE || ptindex(pde) >= m->pt.n)
		return pde;
	k = ptindex(pde);
	if ((w = kchild_was(&ksrcof(m)->child, a, k)) == NULL)
		w = m->pt.pg[k].pte;
	if (w != NULL)
		*pte = w[PTX(va)];
	return pde;
}

/*
 * Where the state before the call stood in the way of the file's panic
 * (cause and the page into m->panic): for a vmap, the first page of
 * [va, va+size) in use; for a vunmap, the first one not mapped, else
 * the first 4 MiB page of the range (PCinuse4m), a page a pdbunmap
 * may stumble on.  Said only where every table the call wrote is known
 * as it was.
 */
static void
inway(Mmu *m, const struct kanswer *a, const uint32_t *before, int vmapping,
    uint32_t va, uint32_t size)
{
	uint64_t v, end;
	uint32_t pde, pte;

	if (a->ndirty < 0 || a->how != KRpanic)
		return;
	end = (uint64_t)va + size;
	for (v = va; v < end && v < 1ull << 32;) {
		pde = wordbefore(m, a, before, (uint32_t)v, &pte);
		if ((pde & PTEVALID) && (pde & PTESIZE)) {
			/* a vunmap's: noted, unless a page not mapped follows */
			if (vmapping || m->panic.cause == PCnone) {
				m->panic.cause = PCinuse4m;
				m->panic.va = (uint32_t)v & ~(PGDIRSIZE - 1);
				m->panic.word = pde;
			}
			if (vmapping)
				return;
			v = (v | (PGDIRSIZE - 1)) + 1;
			continue;
		}
		if (!(pde & PTEVALID)) {
			if (!vmapping) {
				m->panic.cause = PCblankpde;
				m->panic.va = (uint32_t)v;
				m->panic.word = pde;
				return;
			}
			v = (v | (PGDIRSIZE - 1)) + 1;
			continue;
		}
		if (vmapping ? (pte & PTEVALID) != 0 : !(pte & PTEVALID)) {
			m->panic.cause = vmapping ? PCinuse : PCfreepte;
			m->panic.va = (uint32_t)v;
			m->panic.word = pte;
			return;
		}
		v += BY2PG;
	}
}

/* vmap, by the file's own. */
static int
srcvmap(Mmu *m, uint64_t pa64, int32_t size, uint32_t *vap)
{
	struct kanswer a;
	uint32_t before[NPDE], pa, va, o, rsize;
	int code;

	/* a file of Bell Labs' signatures takes a ulong pa */
	if (ksrcof(m)->flavour == Klabs && pa64 >> 32 != 0) {
		m->why = (Reason){ RSpaulong, { pa64 >> 32, (uint32_t)pa64 } };
		return Vrefused;
	}
	pa = pa64;
	memcpy(before, m->pdb, sizeof before);
	o = pa & (BY2PG - 1);
	rsize = ROUND((uint32_t)size + o, BY2PG);
	kchild_call(&ksrcof(m)->child, m, KCvmap, pa64, size, hintof(m), &a);
	if (m->print != NULL && a.console[0] != '\0')
		m->print(m->printarg, a.console);
	afterof(m, &a);
	badpdes(m, &a);
	resync(m, &a, before);
	if (a.how != KRreturned) {
		callpanic(m, &a, 0);
		m->panic.allocva = a.allocated ? a.allocva : 0;
		m->why = (Reason){ RSpanic, { PDX(a.allocva),
		    PDX(a.allocva + (rsize ? rsize - 1 : 0)), WD2PG } };
		if (a.allocated && a.allocva != 0)
			inway(m, &a, before, 1, a.allocva, rsize);
		return Vpanic;
	}
	va = a.ret;
	/*
	 * A refusal: nil after a print, before vmapalloc was asked.  A
	 * print after it (a console's "-> nil") leaves a failure.
	 */
	if (va == 0 && a.printed && !a.allocated) {
		m->why = (Reason){ RSsaid, { saidkeep(a.said) } };
		return Vrefused;
	}
	if (va == 0) {
		window_whyfail(m, rsize, &m->why);
		return Vfail;
	}
	va -= o;
	if (va < m->vmap || (uint64_t)va + rsize > (uint64_t)m->vmap +
	    m->vmapsize) {
		/* the kernel took it; the reason says where it went */
		placedreason(m, RSoutside, pa - o, va, rsize, &m->why);
		*vap = va + o;
		return Vok;
	}
	if (!(before[PDX(va)] & PTEVALID))
		code = rsize >= PGDIRSIZE ? RSblankrun : RSnewtable;
	else
		code = PDX(va) == PDX(va + rsize - 1) ? RShole : RSrun;
	placedreason(m, code, pa - o, va, rsize, &m->why);
	*vap = va + o;
	return Vok;
}

/* vunmap, by the file's own. */
static int
srcvunmap(Mmu *m, uint32_t va, int32_t size)
{
	struct kanswer a;
	uint32_t before[NPDE], o, s;

	memcpy(before, m->pdb, sizeof before);
	o = va & (BY2PG - 1);
	s = ROUND((uint32_t)size + o, BY2PG);
	m->why = (Reason){ RSunmapped, { s / BY2PG, PDX(va - o),
	    PDX(va - o + (s ? s - 1 : 0)) } };
	kchild_call(&ksrcof(m)->child, m, KCvunmap, va, size, hintof(m), &a);
	if (m->print != NULL && a.console[0] != '\0')
		m->print(m->printarg, a.console);
	afterof(m, &a);
	badpdes(m, &a);
	resync(m, &a, before);
	if (a.how != KRreturned) {
		callpanic(m, &a, va - o);
		unmappanic(m, va - o, s);
		inway(m, &a, before, 0, va - o, s);
		return -1;
	}
	return 0;
}

/*
 * File k's vmapalloc as a dry run on m, whichever policy m replays
 * (the measures ask every policy what it would place, the probes):
 * its page directory is thrown away.  A panic or a crash places
 * nothing; once a dry run has hung, no more are made (each would wait
 * the whole time limit), and they place nothing.
 */
static uint32_t
srcalloc(struct ksrc *k, Mmu *m, uint32_t size)
{
	struct kanswer a;

	if (k->child.hung)
		return 0;
	kchild_call(&k->child, m, KCvmapalloc, 0, size, -1, &a);
	if (a.how == KRhang)
		k->child.hung = 1;
	return a.how == KRreturned ? a.ret : 0;
}

/*
 * Whether file k's vmapalloc runs over page tables, found by what it
 * does rather than by what its text says: on a vmap whose every PDE
 * holds a full table but for the first, empty (a stale table), and the
 * free head of the second (512 pages), asked for 6 MiB, a vmapalloc that
 * runs over tables (the patch's, or its intent's) places it at the
 * vmap's start and one that does not finds no room: there is no blank
 * PDE.  Into k->spans, with the reason in k->spanwhy.
 */
static void
spanstest(struct ksrc *k, int flavour)
{
	struct kanswer a;
	Mmuconf c;
	uint32_t *pte;
	Mmu m;
	int i, j, pg;

	memset(&c, 0, sizeof c);
	c.policy = policyfind("plan9");
	c.kernel = flavour;
	c.pse = 1;
	c.vmap = DEFVMAP;
	c.vmapsize = DEFVMAPSIZE;
	mmuinit(&m, &c);
	for (i = 0; i < (int)(c.vmapsize / PGDIRSIZE); i++) {
		pg = ptalloc(&m.pt);
		m.pdb[PDX(c.vmap) + i] = ptaddr(pg) | PTEWRITE | PTEVALID;
		pte = m.pt.pg[pg].pte;
		for (j = 0; j < WD2PG; j++)
			pte[j] = i == 0 || (i == 1 && j < WD2PG / 2) ? 0 :
			    (uint32_t)(i * WD2PG + j + 1) * BY2PG |
			    PTEUNCACHED | PTEWRITE | PTEVALID;
	}
	kchild_call(&k->child, &m, KCvmapalloc, 0, PGDIRSIZE + PGDIRSIZE / 2,
	    -1, &a);
	k->spans = a.how == KRreturned && a.ret == c.vmap;
	if (k->spans)
		snprintf(k->spanwhy, sizeof k->spanwhy, "its vmapalloc placed "
		    "6M over an empty table and the free head of the next");
	else if (a.how == KRreturned && a.ret != 0)
		snprintf(k->spanwhy, sizeof k->spanwhy, "its vmapalloc placed "
		    "6M at 0x%.8x, not over an empty table and the next", a.ret);
	else
		snprintf(k->spanwhy, sizeof k->spanwhy, "its vmapalloc found no "
		    "room for 6M over an empty table and the next");
	mmufree(&m);
}

/*
 * Which kernel's pdbunmap file k has, found by what it does: asked to
 * vunmap two 4 MiB pages from the first's start, Bell Labs' clears the
 * first, rounds va up to where it already is, and panics on the blank
 * PDE; 9front's clears both.  Said after the signatures' reason, with a
 * warning where the two disagree: no kernel of the model is that pair.
 */
static void
unmapstest(struct ksrc *k, int flavour)
{
	struct kanswer a;
	Mmuconf c;
	Mmu m;
	int got;
	size_t n;

	memset(&c, 0, sizeof c);
	c.policy = policyfind("plan9");
	c.kernel = flavour;
	c.pse = 1;
	c.vmap = DEFVMAP;
	c.vmapsize = DEFVMAPSIZE;
	mmuinit(&m, &c);
	m.pdb[PDX(c.vmap)] = 0x40000000u | PTESIZE | PTEUNCACHED | PTEWRITE |
	    PTEVALID;
	m.pdb[PDX(c.vmap) + 1] = 0x40400000u | PTESIZE | PTEUNCACHED |
	    PTEWRITE | PTEVALID;
	kchild_call(&k->child, &m, KCvunmapdry, c.vmap, 2 * PGDIRSIZE, -1, &a);
	got = -1;
	if (a.how == KRpanic && a.ret == 1)
		got = Klabs;
	else if (a.how == KRreturned && a.ret == 3)
		got = K9front;
	n = strlen(k->sigwhy);
	if (got == flavour)
		snprintf(k->sigwhy + n, sizeof k->sigwhy - n, ", and its "
		    "pdbunmap is %s", got == Klabs ? "Bell Labs'" : "9front's");
	else if (got >= 0)
		snprintf(k->sigwhy + n, sizeof k->sigwhy - n, ", but its "
		    "pdbunmap is %s (no kernel of the model has both)",
		    got == Klabs ? "Bell Labs'" : "9front's");
	else
		snprintf(k->sigwhy + n, sizeof k->sigwhy - n, ", and its "
		    "pdbunmap is neither kernel's");
	mmufree(&m);
}

/*
 * File k's largest vmap on m (op KClargest: where it is below floor;
 * else any figure from floor up), or the fewest pages its vmapalloc
 * does not place (op KCmisfit): the search by dry runs, made in the
 * child at once rather than one call a size.
 */
static uint32_t
srcsearch(struct ksrc *k, Mmu *m, int op, uint32_t floor)
{
	struct kanswer a;

	if (k->child.hung)
		return op == KClargest ? 0 : 1;
	kchild_call(&k->child, m, op, floor, op == KClargest ? DRYTOP : 0, -1,
	    &a);
	if (a.how == KRhang)
		k->child.hung = 1;
	if (a.how != KRreturned)
		return op == KClargest ? 0 : 1;
	return a.ret;
}

/*
 * File k's largest vmap on m, exact below floor (largestvmap_floor):
 * found with the call that left the state, where it was searched for
 * there with a floor that answers this one; else searched for now.
 * The lowest figure yet is the floor to search with after the next
 * call.
 */
static uint32_t
srcatleast(struct ksrc *k, Mmu *m, uint32_t floor)
{
	uint32_t n;

	/* exact below its floor; at its floor, at least that */
	if (m->kstamp != 0 && m->kstamp == k->stamp && m->policy == &k->pol &&
	    (k->after < k->afterfloor || floor <= k->afterfloor))
		n = k->after;
	else
		n = srcsearch(k, m, KClargest, floor);
	/* the lowest so far, next time */
	k->hint = (n < floor ? n : floor) + 1;
	return n;
}

static uint32_t srclargest0(Mmu *m) { return srcsearch(&ksrcs[0], m, KClargest, 0); }
static uint32_t srclargest1(Mmu *m) { return srcsearch(&ksrcs[1], m, KClargest, 0); }
static uint32_t srclargest2(Mmu *m) { return srcsearch(&ksrcs[2], m, KClargest, 0); }
static uint32_t srclargest3(Mmu *m) { return srcsearch(&ksrcs[3], m, KClargest, 0); }
static uint32_t (*const srclargests[MAXKSRC])(Mmu *) = {
	srclargest0, srclargest1, srclargest2, srclargest3
};
static uint32_t srcatleast0(Mmu *m, uint32_t f) { return srcatleast(&ksrcs[0], m, f); }
static uint32_t srcatleast1(Mmu *m, uint32_t f) { return srcatleast(&ksrcs[1], m, f); }
static uint32_t srcatleast2(Mmu *m, uint32_t f) { return srcatleast(&ksrcs[2], m, f); }
static uint32_t srcatleast3(Mmu *m, uint32_t f) { return srcatleast(&ksrcs[3], m, f); }
static uint32_t (*const srcatleasts[MAXKSRC])(Mmu *, uint32_t) = {
	srcatleast0, srcatleast1, srcatleast2, srcatleast3
};
static uint32_t srcmisfit0(Mmu *m) { return srcsearch(&ksrcs[0], m, KCmisfit, 0); }
static uint32_t srcmisfit1(Mmu *m) { return srcsearch(&ksrcs[1], m, KCmisfit, 0); }
static uint32_t srcmisfit2(Mmu *m) { return srcsearch(&ksrcs[2], m, KCmisfit, 0); }
static uint32_t srcmisfit3(Mmu *m) { return srcsearch(&ksrcs[3], m, KCmisfit, 0); }
static uint32_t (*const srcmisfits[MAXKSRC])(Mmu *) = {
	srcmisfit0, srcmisfit1, srcmisfit2, srcmisfit3
};

/* Policy.vmapalloc has no room for whose: one function per file. */
static uint32_t srcalloc0(Mmu *m, uint32_t s) { return srcalloc(&ksrcs[0], m, s); }
static uint32_t srcalloc1(Mmu *m, uint32_t s) { return srcalloc(&ksrcs[1], m, s); }
static uint32_t srcalloc2(Mmu *m, uint32_t s) { return srcalloc(&ksrcs[2], m, s); }
static uint32_t srcalloc3(Mmu *m, uint32_t s) { return srcalloc(&ksrcs[3], m, s); }
static uint32_t (*const srcallocs[MAXKSRC])(Mmu *, uint32_t) = {
	srcalloc0, srcalloc1, srcalloc2, srcalloc3
};

/* Whether a policy named s is a file: a path, or a name ending in .c. */
int
ksrc_isfile(const char *s)
{
	size_t n;

	n = strlen(s);
	return strchr(s, '/') != NULL || (n > 2 && strcmp(s + n - 2, ".c") == 0);
}

/* Which kernel's signatures a loaded file has; -1 for a built-in. */
int
ksrc_flavour(const Policy *p)
{
	return p->kvmap == srcvmap ? ((const struct ksrc *)p->priv)->flavour :
	    -1;
}

/* Whether a loaded file's vmapalloc runs over page tables. */
int
ksrc_spans(const Policy *p)
{
	return p->kvmap == srcvmap && ((const struct ksrc *)p->priv)->spans;
}

/* The kernel a loaded file's signatures make it, in words; or nil. */
const char *
ksrc_flavourwhy(const Policy *p)
{
	return p->kvmap == srcvmap ? ((const struct ksrc *)p->priv)->sigwhy :
	    NULL;
}

/* How that was found, in words; nil for a built-in. */
const char *
ksrc_spanwhy(const Policy *p)
{
	return p->kvmap == srcvmap ? ((const struct ksrc *)p->priv)->spanwhy :
	    NULL;
}

/* The name a file's policy is shown by: its file's, made text. */
static void
shownbase(const char *path, char *base, size_t len)
{
	const char *b;
	char *shown;

	b = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	shown = text_clean(b, 0);
	snprintf(base, len, "%s", shown);
	text_mend(base, len);
	free(shown);
}

/* A file's policy's name: the file's, with its bytes' hash if taken. */
static void
policyname(char *name, size_t len, const char *base, const char *sum)
{
	int i;

	snprintf(name, len, "%s", base);
	for (i = 0; policyfind(name) != NULL; i++)
		snprintf(name, len, i ? "%.40s@%.6s-%d" : "%.40s@%.6s", base,
		    sum, i);
	text_mend(name, len);
}

/* The policy of the file loaded already, whatever names it; or nil. */
static const Policy *
already(const struct stat *st, const char *sum)
{
	int i;

	for (i = 0; i < nksrc; i++)
		if (ksrcs[i].pol.priv != NULL && ksrcs[i].dev == st->st_dev &&
		    ksrcs[i].ino == st->st_ino && strcmp(ksrcs[i].sum, sum) == 0)
			return &ksrcs[i].pol;
	return NULL;
}

/* File k's policy, loaded from path: its name said, its hooks. */
static void
makepolicy(struct ksrc *k, const char *path)
{
	char *shown;

	shown = text_clean(path, 0);
	snprintf(k->summary, sizeof k->summary, "%s (%s signatures), run "
	    "as compiled", shown, k->flavour == Klabs ? "Bell Labs" :
	    "9front");
	text_mend(k->summary, sizeof k->summary);
	free(shown);
	k->pol.name = k->name;
	k->pol.summary = k->summary;
	k->pol.vmapalloc = srcallocs[nksrc];
	k->pol.largest = srclargests[nksrc];
	k->pol.atleast = srcatleasts[nksrc];
	k->pol.misfit = srcmisfits[nksrc];
	k->pol.ownkernel = k->flavour + 1;
	k->pol.unmapfall = Fallcan;
	k->pol.spans = k->spans;
	k->pol.kvmap = srcvmap;
	k->pol.kvunmap = srcvunmap;
	k->pol.priv = k;
}

/*
 * The policy of the pc/mmu.c at path: compiled (or found compiled),
 * loaded and registered.  The same file twice is the same policy.
 * Returns nil with err.
 */
const Policy *
ksrc_load(const char *path, char *err, size_t elen)
{
	struct kfn fn[Nfn];
	struct ksrc *k;
	struct stat st;
	struct sha256 sh;
	const Policy *had;
	char *text, *src, so[PATH_MAX], base[64], sum[65];
	char sigwhy[192];
	size_t len;
	int f, flavour, sofd;

	if ((text = ks_slurp(path, &len, &st, err, elen)) == NULL)
		return NULL;
	sha256_init(&sh);
	sha256_add(&sh, text, len);
	sha256_hex(&sh, sum);
	/* the policy's name and summary are shown: a file's name made text */
	shownbase(path, base, sizeof base);
	/* one policy a file, whatever path or link names it */
	if ((had = already(&st, sum)) != NULL) {
		free(text);
		return had;
	}
	memset(fn, 0, sizeof fn);
	ks_findfns(text, len, fn);
	for (f = 0; f < Nfn; f++)
		if (!fn[f].found) {
			snprintf(err, elen, "%s: no definition of %s (its return "
			    "type on a line of its own, the name at the start of "
			    "the next)", path, fnnames[f]);
			free(text);
			return NULL;
		}
	if ((flavour = ks_flavourof(text, fn, sigwhy, sizeof sigwhy, err,
	    elen)) < 0) {
		free(text);
		return NULL;
	}
	src = ks_generate(text, len, fn, flavour, path,
	    ks_uses(text, 0, len, "didmmuinit", 10));
	if (nksrc == MAXKSRC) {
		snprintf(err, elen, "%s: at most %d kernel source files at once",
		    path, MAXKSRC);
		free(src);
		free(text);
		return NULL;
	}
	if (ks_compile(src, path, text, len, so, sizeof so, &sofd, err,
	    elen) < 0) {
		free(src);
		free(text);
		return NULL;
	}
	k = &ksrcs[nksrc];
	memset(k, 0, sizeof *k);
	k->flavour = flavour;
	snprintf(k->sigwhy, sizeof k->sigwhy, "%s", sigwhy);
	free(src);
	k->dev = st.st_dev;
	k->ino = st.st_ino;
	memcpy(k->sum, sum, sizeof k->sum);
	policyname(k->name, sizeof k->name, base, sum);
	/* the object checked, loaded by its descriptor in its own process */
	if (kchild_init(&k->child, k->name, sofd, err, elen) < 0) {
		close(sofd);
		free(text);
		return NULL;
	}
	spanstest(k, flavour);
	unmapstest(k, flavour);
	makepolicy(k, path);
	free(text);
	if (policyregister(&k->pol) < 0) {
		snprintf(err, elen, "%s: no room for another policy", path);
		return NULL;
	}
	nksrc++;
	return &k->pol;
}
