/*
 * Trace generators: devtest (the patch's test driver), boot (a plausible
 * PC's boot-time devices), churn (random drivers holding the vmap near a
 * fill level) and staircase (the fragmentation lesson in ten events).
 * A generator is a table entry and a function; its randomness comes from
 * a seeded splitmix64, so the same seed gives the same trace, byte for
 * byte, on every machine.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "gen.h"
#include "idtab.h"
#include "replay.h"
#include "mmu.h"
#include "util.h"

struct rng {
	uint64_t	s;
};

static void	gen_devtest(struct trace *, const struct genopts *);
static void	gen_boot(struct trace *, const struct genopts *);
static void	gen_churn(struct trace *, const struct genopts *);
static void	gen_staircase(struct trace *, const struct genopts *);
static void	gen_unmapva(struct trace *, const struct genopts *);
static void	gen_fragment(struct trace *, const struct genopts *);

const struct generator generators[] = {
	{ "devtest", gen_devtest,
	  "the patch's test driver: APICs, a framebuffer, --pokes 32M pokes",
	  GOpokes, 0 },
	{ "boot", gen_boot,
	  "a plausible PC's boot-time devices, chosen by --seed", 0, 0 },
	{ "churn", gen_churn,
	  "--events random maps and unmaps, live set near --fill of the vmap",
	  GOevents | GOfill, 0 },
	{ "staircase", gen_staircase,
	  "a stale table in each of --pdes PDEs, then one large request",
	  GOpdes, 0 },
	{ "unmapva", gen_unmapva,
	  "churn with its vunmaps by address and size, not by id",
	  GOevents | GOfill, 1 },
	{ "fragment", gen_fragment,
	  "every page mapped, every other unmapped, then large requests",
	  GOevents, 0 },
};
const int ngenerators = sizeof generators / sizeof generators[0];

/* The generator named s, or nil. */
const struct generator *
gen_find(const char *s)
{
	int i;

	for (i = 0; i < ngenerators; i++)
		if (strcmp(s, generators[i].name) == 0)
			return &generators[i];
	return NULL;
}

/* splitmix64: the next 64 random bits. */
static uint64_t
rnext(struct rng *r)
{
	uint64_t z;

	z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A uniform integer in [0, n). */
static uint32_t
rbelow(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rnext(r) >> 32) * (uint64_t)n) >> 32);
}

/* A uniform double in [0, 1). */
static double
runit(struct rng *r)
{
	return (rnext(r) >> 11) * (1.0 / 9007199254740992.0);
}

/*
 * Where add() sends events while gen_write writes a trace as it is
 * made: its writer, opened on the first event (the generator has set
 * the header by then).  Nil: add() keeps them in the trace.
 */
static struct genout {
	struct tracewriter	 w;
	FILE			*f;
	int			 open;
} *genout;

/* An event of op with the given fields; id and text are copied. */
static void
add(struct trace *t, int op, uint32_t pa, uint32_t size, const char *id,
    const char *text)
{
	struct event e;

	memset(&e, 0, sizeof e);
	e.op = op;
	e.pa = pa;
	e.size = size;
	e.ref = -1;
	e.slot = -1;
	if (op == OPvmap || (op == OPvunmap && id == NULL))
		e.flags |= EVSIZE;
	if (id != NULL) {
		e.id = genout != NULL ? NULL : xstrdup(id);
		e.flags |= EVOWNID;
	}
	if (genout != NULL) {
		if (!genout->open++)
			trace_writeopen(&genout->w, genout->f, t);
		e.id = (char *)id;
		e.text = (char *)text;
		e.flags &= ~EVOWNID;
		trace_writeevent(&genout->w, &e);
		t->nev++;		/* counted, not kept */
		return;
	}
	if (text != NULL)
		e.text = xstrdup(text);
	trace_append(t, &e);
}

/*
 * Each vunmap by id to the vmap it names, as the reader links them
 * (traceread.c): its ref, the vmap's id and slot, EVBYID.  So a trace
 * made in memory replays as the one written and read back does.
 */
static void
linkids(struct trace *t)
{
	struct idtab ids;
	struct event *e;
	size_t i, at;
	long s;
	int had;

	memset(&ids, 0, sizeof ids);
	for (i = 0; i < t->nev; i++) {
		e = &t->ev[i];
		if (e->id == NULL || e->op == OPnote)
			continue;
		if (e->op == OPvmap) {
			s = idtab_add(&ids, e->id, 1, i, &had);
			idtab_rec(&ids, s)->seq = i + 1;
			e->slot = s;
			continue;
		}
		if ((s = idtab_find(&ids, e->id, &at)) < 0)
			continue;
		e->flags |= EVBYID;
		e->ref = (int)(idtab_rec(&ids, s)->seq - 1);
		e->slot = s;
		free(e->id);
		e->id = t->ev[e->ref].id;
		e->flags &= ~EVOWNID;
		idtab_remove(&ids, s, at, i);
	}
	idtab_free(&ids);
}

/* The trace's name and description. */
static void
setmeta(struct trace *t, const char *name, const char *desc)
{
	t->name = xstrdup(name);
	t->description = xstrdup(desc);
}

/* The patch's test driver: boot, then pokes of vmap(0x2000, 32M). */
static void
gen_devtest(struct trace *t, const struct genopts *o)
{
	char id[32];
	uint32_t i;

	setmeta(t, "devtest", "The mmu.c-span-pdes test driver: the local "
	    "and I/O APICs share the table of the vmap's first PDE, an 8 MiB "
	    "framebuffer takes two 4 MiB pages, then each poke maps 32 MiB at "
	    "pa 0x2000 (eight page tables) and unmaps it.\n");
	add(t, OPvmap, 0xFEE00000, 1024, "lapic", NULL);
	add(t, OPvmap, 0xFEC00000, 1024, "ioapic", NULL);
	add(t, OPvmap, 0xD0000000, 8 * MB, "fb", NULL);
	for (i = 1; i <= o->pokes; i++) {
		snprintf(id, sizeof id, "poke%u", i);
		add(t, OPvmap, 0x2000, 32 * MB, id, NULL);
		add(t, OPvunmap, 0, 0, id, NULL);
	}
}

/* A device that may be present: its name, BAR window and size. */
struct device {
	const char	*name;
	uint32_t	 base;		/* where its BAR may lie */
	uint32_t	 span;		/* how far above base */
	uint32_t	 size;
	int		 chance;	/* in 4 */
};

/* A PC's boot: interrupt controllers, firmware tables, display, devices. */
static void
gen_boot(struct trace *t, const struct genopts *o)
{
	static const struct device devs[] = {
		{ "ether0", 0xFEB00000, 0x80000, 128 * 1024, 4 },
		{ "ether1", 0xFEB00000, 0x80000, 128 * 1024, 1 },
		{ "sdiahci", 0xFEBF0000, 0x8000, 8 * 1024, 3 },
		{ "usbehci", 0xFEBF8000, 0x4000, 1024, 3 },
		{ "usbxhci", 0xFEA00000, 0x80000, 64 * 1024, 3 },
		{ "audiohda", 0xFEBF4000, 0x4000, 16 * 1024, 2 },
		{ "sdnvme", 0xFE800000, 0x100000, 16 * 1024, 2 },
		{ "wifi", 0xFE900000, 0x100000, 8 * 1024, 1 },
	};
	static const uint32_t fbsizes[] = { 4 * MB, 8 * MB, 16 * MB, 32 * MB };
	struct rng r;
	uint32_t pa, fb, k, size;
	size_t i;

	r.s = o->seed;
	setmeta(t, "boot", "A PC's boot-time device mappings: APICs, HPET, a "
	    "scan of the BIOS area, ACPI tables, VGA, a framebuffer and the "
	    "registers of the devices the seed chose.\n");
	add(t, OPvmap, 0xFEE00000, 1024, "lapic", NULL);
	add(t, OPvmap, 0xFEC00000, 1024, "ioapic", NULL);
	add(t, OPvmap, 0xFED00000, 1024, "hpet", NULL);
	add(t, OPvmap, 0xE0000, 128 * 1024, "biosarea", NULL);
	add(t, OPvunmap, 0, 0, "biosarea", NULL);
	pa = 0x7FF00000 - rbelow(&r, 64) * 0x100000 + rbelow(&r, 16) * 0x1000;
	size = 0x20000 + rbelow(&r, 8) * 0x1000;
	add(t, OPvmap, pa, size, "acpi", NULL);
	add(t, OPvmap, 0xA0000, 128 * 1024, "vga", NULL);
	fb = fbsizes[rbelow(&r, 4)];
	/* a framebuffer BAR is aligned to its size, below 0xfe000000 */
	pa = 0xC0000000 + rbelow(&r, 0x3E000000 / fb) * fb;
	add(t, OPvmap, pa, fb, "fb", NULL);
	for (i = 0; i < sizeof devs / sizeof devs[0]; i++) {
		if (rbelow(&r, 4) >= (uint32_t)devs[i].chance)
			continue;
		k = devs[i].span / devs[i].size;
		pa = devs[i].base + rbelow(&r, k ? k : 1) * devs[i].size;
		add(t, OPvmap, pa, devs[i].size, devs[i].name, NULL);
	}
	add(t, OPvunmap, 0, 0, "acpi", NULL);
	add(t, OPnote, 0, 0, NULL, "boot done");
}

/*
 * Random drivers: sizes log-uniform from 4K to 16M, a quarter of them
 * at 4M-aligned pa, the live set (as the trace's text has it) held near
 * fill of the vmap, a random live mapping unmapped.
 */
static void
gen_churn(struct trace *t, const struct genopts *o)
{
	struct rng r;
	uint32_t *lsize, nlive, pages, size, pa, k, serial;
	uint64_t livebytes, target;
	char **lid, id[32];
	size_t i;
	int domap;

	r.s = o->seed;
	/* Bell Labs' vunmap panics on the first 4 MiB page it meets. */
	t->machine.kernel = K9front;
	setmeta(t, "churn", "Random device mappings: sizes log-uniform from "
	    "4 KiB to 16 MiB, a quarter at 4 MiB-aligned physical addresses, "
	    "mapped and unmapped so that the live set stays near a fill level "
	    "of the vmap.  The kernel is 9front: under labs the first unmap "
	    "of a 4 MiB page panics.\n");
	lid = xcalloc(o->events + 1, sizeof *lid);
	lsize = xcalloc(o->events + 1, sizeof *lsize);
	target = (uint64_t)(o->fill * t->machine.vmapsize);
	nlive = serial = 0;
	livebytes = 0;
	for (i = 0; i < o->events; i++) {
		if (nlive == 0)
			domap = 1;
		else if (livebytes < target)
			domap = rbelow(&r, 5) < 4;
		else
			domap = rbelow(&r, 5) == 0;
		if (!domap) {
			k = rbelow(&r, nlive);
			add(t, OPvunmap, 0, 0, lid[k], NULL);
			free(lid[k]);
			livebytes -= lsize[k];
			nlive--;
			lid[k] = lid[nlive];
			lsize[k] = lsize[nlive];
			continue;
		}
		pages = (uint32_t)exp(log(1.0) + runit(&r) * log(4096.0));
		if (pages < 1)
			pages = 1;
		size = pages * BY2PG;
		if (rbelow(&r, 4) == 0)
			pa = (1 + rbelow(&r, (0xF0000000u - size) / PGDIRSIZE))
			    * PGDIRSIZE;
		else
			pa = (1 + rbelow(&r, (0xF0000000u - size) / BY2PG - 1))
			    * BY2PG;
		snprintf(id, sizeof id, "m%u", ++serial);
		add(t, OPvmap, pa, size, id, NULL);
		lid[nlive] = xstrdup(id);
		lsize[nlive++] = size;
		livebytes += size;
	}
	for (k = 0; k < nlive; k++)
		free(lid[k]);
	free(lid);
	free(lsize);
}

/*
 * churn, with every vunmap by the address plan9 gave its vmap and its
 * size, not by id: the trace that makes finding a mapping by its address
 * the work (replayed under plan9; other policies place elsewhere).
 */
static void
gen_unmapva(struct trace *t, const struct genopts *o)
{
	struct replayopts ro;
	struct replay rp;
	struct event *e;
	size_t i, j;

	gen_churn(t, o);
	linkids(t);
	memset(&ro, 0, sizeof ro);
	ro.kernel = ro.pse = -1;
	replay_init(&rp, t, policyfind("plan9"), &ro);
	replay_run(&rp, t->nev);
	/* first the addresses, then the events that have none go */
	for (i = 0; i < t->nev; i++) {
		e = &t->ev[i];
		if (e->op != OPvunmap || e->ref < 0)
			continue;
		e->op = rp.r[e->ref].kind == Rok ? OPvunmap : OPnote;
		e->va = rp.r[e->ref].va;
		e->size = t->ev[e->ref].size;
		e->flags = EVVA | EVSIZE;
		e->id = NULL;
		e->ref = e->slot = -1;
	}
	/* no ids: nothing unmaps by one */
	for (i = j = 0; i < t->nev; i++) {
		e = &t->ev[i];
		if (e->op == OPvmap && e->id != NULL) {
			free(e->id);
			e->id = NULL;
			e->flags &= ~EVOWNID;
			e->slot = -1;
		}
		if (e->op != OPnote)
			t->ev[j++] = *e;
	}
	t->nev = j;
	replay_free(&rp);
	free(t->name);
	free(t->description);
	setmeta(t, "unmapva", "churn with every vunmap by the address plan9 "
	    "gave its vmap and its size, not by id.\n");
}

/*
 * The most fragmented vmap: a one-page mapping in every page, every
 * other one unmapped, then requests of 8K, 16K, 4M and 8M that find no
 * room, as many as --events allows.
 */
static void
gen_fragment(struct trace *t, const struct genopts *o)
{
	static const uint32_t asks[] = { 8192, 16384, 4 * MB, 8 * MB };
	uint32_t npage, i, fill;
	size_t n;
	char id[32];

	setmeta(t, "fragment", "Every page of the vmap mapped one by one, "
	    "every other one unmapped, then requests that find no room.\n");
	npage = t->machine.vmapsize / BY2PG;
	fill = o->events / 3 < npage ? (uint32_t)(o->events / 3) : npage;
	for (i = 0; i < fill; i++) {
		snprintf(id, sizeof id, "p%u", i);
		add(t, OPvmap, 0x10000000u + i * BY2PG, BY2PG, id, NULL);
	}
	for (i = 0; i < fill; i += 2) {
		snprintf(id, sizeof id, "p%u", i);
		add(t, OPvunmap, 0, 0, id, NULL);
	}
	for (n = t->nev; n < o->events; n++)
		add(t, OPvmap, 0x20001000u, asks[n % 4], NULL, NULL);
}

/*
 * Each of pdes small mappings (4M less a page) finds no room in the
 * tables before it and takes a blank PDE; unmapped, each leaves a stale
 * table.  Then a request for two PDEs: plan9 finds no two blank PDEs.
 */
static void
gen_staircase(struct trace *t, const struct genopts *o)
{
	char id[32];
	uint32_t i;

	t->machine.vmapsize = o->pdes * PGDIRSIZE;
	setmeta(t, "staircase", "The fragmentation lesson: each small "
	    "mapping (4 MiB less a page) takes a PDE of its own, and leaves "
	    "an empty page table there when it goes.  Then every PDE holds a "
	    "stale table and a request for 8 MiB fails under plan9, though "
	    "the whole vmap is free.\n");
	add(t, OPnote, 0, 0, NULL, "a staircase of small mappings");
	for (i = 0; i < o->pdes; i++) {
		snprintf(id, sizeof id, "step%u", i + 1);
		add(t, OPvmap, 0x10001000 + i * 0x1000000, PGDIRSIZE - BY2PG,
		    id, NULL);
	}
	for (i = 0; i < o->pdes; i++) {
		snprintf(id, sizeof id, "step%u", i + 1);
		add(t, OPvunmap, 0, 0, id, NULL);
	}
	add(t, OPvmap, 0x20001000, 2 * PGDIRSIZE, "big", NULL);
}

/* Make the trace of generator g into t (empty, with default machine). */
void
gen_run(const struct generator *g, const struct genopts *o, struct trace *t)
{
	trace_init(t);
	g->run(t, o);
	linkids(t);
}

/*
 * Write the trace generator g makes to f as it makes it, keeping none
 * of its events (memory follows the generator's own live set), unless
 * the generator needs them all (g->whole).  Returns -1 when writing
 * fails.
 */
int
gen_write(const struct generator *g, const struct genopts *o, FILE *f)
{
	struct genout out;
	struct trace t;
	int rv;

	if (g->whole) {
		gen_run(g, o, &t);
		rv = trace_write(f, &t);
		trace_free(&t);
		return rv;
	}
	memset(&out, 0, sizeof out);
	out.f = f;
	trace_init(&t);
	genout = &out;
	g->run(&t, o);
	genout = NULL;
	if (!out.open)
		trace_writeopen(&out.w, f, &t);
	rv = trace_writeclose(&out.w);
	trace_free(&t);
	return rv;
}
