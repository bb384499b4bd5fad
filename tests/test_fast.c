/*
 * The fast paths against the kernel-shaped code: random traces (fixed
 * seeds; every policy, both kernels, PSE on and off, with and without
 * a page-table budget, keeping going after panics) replayed both ways,
 * with the same result, address and panic for every event and the same
 * page-directory and page-table words after it.  And the extremes a
 * summary keeps (it does not measure where the largest vmap cannot have
 * gone down) against the lowest and highest of a history measured
 * after every event.  And the first fits found down the tree over the
 * PDEs against the kernel-shaped vmapalloc, on states built PDE by PDE
 * (blank, an empty table, a full one, runs of pages) for every size.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "replay.h"
#include "tap.h"

static uint64_t rng;

static uint32_t
rnd(uint32_t n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)((rng >> 33) % n);
}

/*
 * A random trace on a small vmap: maps of every size class, unmaps by
 * id (whole, or a size of their own) and raw unmaps of random ranges.
 */
static void
randomtrace(struct trace *t, int nev)
{
	struct event e;
	int live[256], nlive, i, k, v;
	char id[16];

	trace_init(t);
	/* small, or past SCANPDES: searched a PDE at a time, or down the tree */
	t->machine.vmapsize = (rnd(3) == 0 ? SCANPDES + 1 + rnd(40) :
	    2 + rnd(10)) * PGDIRSIZE;
	if (t->machine.vmapsize > SCANPDES * PGDIRSIZE)
		t->machine.vmap = 0x40000000u;
	t->machine.ptpages = rnd(4) == 0 ? 3 + rnd(8) : 0;
	nlive = 0;
	for (i = 0; i < nev; i++) {
		memset(&e, 0, sizeof e);
		e.ref = -1;
		e.flags = EVSIZE;
		v = rnd(10);
		if (v < 3 && nlive > 0) {
			k = rnd(nlive);
			e.op = OPvunmap;
			e.ref = live[k];
			e.id = t->ev[live[k]].id;
			if (rnd(4) == 0)
				e.size = rnd(3 * PGDIRSIZE);
			else
				e.flags = 0;
			live[k] = live[--nlive];
		} else if (v < 4) {
			e.op = OPvunmap;
			e.flags |= EVVA;
			e.va = t->machine.vmap + rnd(t->machine.vmapsize);
			e.size = rnd(2 * PGDIRSIZE);
		} else {
			e.op = OPvmap;
			switch (rnd(4)) {
			case 0:
				e.size = 1 + rnd(8 * BY2PG);
				break;
			case 1:
				e.size = 1 + rnd(PGDIRSIZE);
				break;
			case 2:
				e.size = PGDIRSIZE + rnd(2 * PGDIRSIZE);
				break;
			default:
				e.size = (1 + rnd(3)) * PGDIRSIZE;
				break;
			}
			e.pa = rnd(3) == 0 ? (1 + rnd(64)) * PGDIRSIZE :
			    rnd(0x10000000) + 1;
			if (nlive < 256) {
				snprintf(id, sizeof id, "r%d", i);
				e.id = strdup(id);
				e.flags |= EVOWNID;
				live[nlive++] = t->nev;
			}
		}
		trace_append(t, &e);
	}
}

/* Whether two results' panics (or none) are the same, field by field. */
static int
panicsame(const Panic *a, const Panic *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return a->kind == b->kind && a->cause == b->cause && a->va == b->va &&
	    a->pa == b->pa && a->word == b->word && a->allocva == b->allocva &&
	    a->size == b->size;
}

/* Whether two results' reasons are the same (both nil, or equal). */
static int
whysame(const Reason *a, const Reason *b)
{
	int i;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->code != b->code)
		return 0;
	for (i = 0; i < NREASONNUM; i++)
		if (a->n[i] != b->n[i])
			return 0;
	return 1;
}

/* Replay t slow and fast in step; returns the events that differed. */
static int
differential(const struct trace *t, const Policy *p, int kernel, int pse,
    int *events)
{
	struct replayopts o = { .kernel = kernel, .pse = pse, .keepgoing = 1 };
	struct replayopts so = { .kernel = kernel, .pse = pse, .keepgoing = 1,
	    .slow = 1 };
	struct replay slow, fast;
	const struct result *a, *b;
	char am[PANICLEN], bm[PANICLEN];
	uint32_t sfree, ffree;
	int bad, sstale, fstale;

	replay_init(&slow, t, p, &so);
	replay_init(&fast, t, p, &o);
	bad = 0;
	while (replay_step(&slow) > 0 && replay_step(&fast) > 0) {
		(*events)++;
		a = &slow.r[slow.pos - 1];
		b = &fast.r[fast.pos - 1];
		/* the counts: kept by the fast paths, counted after slow */
		leancount(&slow.m, &sstale, &sfree);
		leancount(&fast.m, &fstale, &ffree);
		if (sstale != fstale || sfree != ffree ||
		    a->kind != b->kind || a->va != b->va ||
		    !panicsame(a->panic, b->panic) || !whysame(a->why, b->why) ||
		    !mmusame(&slow.m, &fast.m)) {
			if (bad++ == 0)
				printf("# %s %s pse %d: event %zu differs: "
				    "%s 0x%x %s / %s 0x%x %s\n", p->name,
				    kernelnames[kernel], pse, slow.pos,
				    resultnames[a->kind], a->va,
				    replay_panicmsg(am, sizeof am, &slow, a),
				    resultnames[b->kind], b->va,
				    replay_panicmsg(bm, sizeof bm, &fast, b));
		}
	}
	replay_free(&slow);
	replay_free(&fast);
	return bad;
}

/*
 * The extremes of a summary replay of t against the state measured
 * after every event of an unmeasured one; returns 1 when they differ.
 */
static int
extremes(const struct trace *t, const Policy *p, int kernel, int pse)
{
	struct replayopts lean = { .kernel = kernel, .pse = pse,
	    .keepgoing = 1, .measure = 1 };
	struct replayopts plain = { .kernel = kernel, .pse = pse,
	    .keepgoing = 1 };
	struct replay a, b;
	size_t minat, maxat;
	uint32_t min, v, free;
	int max, stale, bad;

	replay_init(&a, t, p, &lean);
	replay_run(&a, t->nev);
	replay_init(&b, t, p, &plain);
	min = UINT32_MAX;
	max = -1;
	minat = maxat = 0;
	do {
		if (b.pos > 0 && t->ev[b.pos - 1].op == OPnote)
			continue;	/* not a measured event */
		if (b.pos > 0 && b.r[b.pos - 1].kind == Rnotrun)
			continue;
		recount(&b.m, &stale, &free);
		if ((v = largestvmap(&b.m, p)) < min) {
			min = v;
			minat = b.pos;
		}
		if (stale > max) {
			max = stale;
			maxat = b.pos;
		}
	} while (replay_step(&b) > 0);
	bad = a.minlargest != min || a.minlargestat != minat ||
	    a.maxstale != max || a.maxstaleat != maxat;
	if (bad)
		printf("# %s %s pse %d: lowest %u @%zu, history %u @%zu; "
		    "most stale %d @%zu, history %d @%zu\n", p->name,
		    kernelnames[kernel], pse, a.minlargest, a.minlargestat,
		    min, minat, a.maxstale, a.maxstaleat, max, maxat);
	replay_free(&a);
	replay_free(&b);
	return bad;
}

/*
 * ptsummary, a word at a time, against counting bit by bit: random
 * bitmaps of runs of every length, across words and inside them.
 */
static void
summaries(void)
{
	Ptpage pg;
	int k, j, len, bad, best, run, head, tail, used;

	bad = 0;
	for (k = 0; k < 20000; k++) {
		memset(&pg, 0, sizeof pg);
		used = rnd(2);
		for (j = 0; j < WD2PG; j += len) {
			/* runs short and long: 1-3, up to 70, up to 300 */
			len = 1 + rnd(k % 3 == 0 ? 3 : k % 3 == 1 ? 70 : 300);
			if (used)
				for (run = j; run < j + len && run < WD2PG; run++)
					pg.used[run / 64] |= 1ull << (run % 64);
			used = rnd(3) != 0 ? !used : used;
		}
		best = run = head = 0;
		for (j = 0; j < WD2PG; j++) {
			if ((pg.used[j / 64] >> (j % 64)) & 1)
				run = 0;
			else if (++run > best)
				best = run;
			if (run == j + 1)
				head = run;
		}
		tail = run;
		pg.dirty = 1;
		ptsummary(&pg);
		if (pg.maxhole != best || pg.head != head || pg.tail != tail) {
			if (bad++ == 0)
				printf("# bitmap %d: hole %d head %d tail %d, "
				    "counted %d %d %d\n", k, pg.maxhole,
				    pg.head, pg.tail, best, head, tail);
		}
	}
	tap_equ(bad, 0, "ptsummary: 20000 random bitmaps, counted bit by bit");
}

/*
 * Where span-fixed's largest vmap goes down at a vunmap: two 4 MiB
 * pages go, and the 6M its run over an empty table and a free head
 * took now goes to the new blank PDEs, which need tables a budget of
 * two lacks.  A summary must measure there.
 */
static void
budgetdrop(void)
{
	static const struct { int op, ref; uint32_t pa, size; } ev[] = {
		{ OPvmap, -1, 0x40000000, 8 * MB },	/* 0: PDE 0-1, 4M pages */
		{ OPvmap, -1, 0x1000, 4 * MB },		/* 1: table T, full */
		{ OPvmap, -1, 0x1000, 2 * MB },		/* 2: table U, head */
		{ OPvmap, -1, 0x1000, 2 * MB },		/* 3: U, tail */
		{ OPvunmap, 2, 0, 0 },			/* U's head free */
		{ OPvunmap, 1, 0, 0 },			/* T empty */
		{ OPvunmap, 0, 0, 0 },			/* PDE 0-1 blank */
	};
	struct replayopts o = { .kernel = K9front, .pse = 1, .measure = 1 };
	struct replay rp;
	struct trace t;
	struct event e;
	uint32_t before;
	size_t i;

	trace_init(&t);
	t.machine.vmap = DEFVMAP;
	t.machine.vmapsize = 16 * MB;
	t.machine.ptpages = 2;
	for (i = 0; i < sizeof ev / sizeof ev[0]; i++) {
		memset(&e, 0, sizeof e);
		e.op = ev[i].op;
		e.ref = ev[i].ref;
		e.pa = ev[i].pa;
		e.size = ev[i].size;
		e.slot = -1;
		trace_append(&t, &e);
	}
	replay_init(&rp, &t, policyfind("span-fixed"), &o);
	replay_run(&rp, t.nev - 1);
	before = largestvmap(&rp.m, rp.m.policy);
	replay_run(&rp, t.nev);
	tap_ok(before == 1536 && largestvmap(&rp.m, rp.m.policy) == 1023 &&
	    rp.count[Rok] == t.nev, "span-fixed, a budget of 2: the last "
	    "vunmap takes the largest vmap from 6M to 4M-4K");
	tap_ok(rp.now.largest[rp.pidx] == 1023,
	    "... and a summary measures it there");
	replay_free(&rp);
	trace_free(&t);
}

/*
 * A state of npde PDEs, each blank, an empty table, a full table or a
 * table with random runs of pages mapped, written by the kernel-shaped
 * pdbmap and pdbunmap (so the tree is built again when searched).
 */
static void
buildstate(Mmu *m, const Policy *p, int npde)
{
	/* a vmap past SCANPDES from 1G, where it ends below 4G */
	Mmuconf c = { .policy = p, .kernel = K9front, .pse = 0,
	    .vmap = npde > SCANPDES ? 0x40000000u : DEFVMAP,
	    .vmapsize = npde * PGDIRSIZE };
	uint32_t va, j, len;
	int i, used;

	mmuinit(m, &c);
	for (i = 0; i < npde; i++) {
		va = c.vmap + i * PGDIRSIZE;
		switch (rnd(5)) {
		case 0:
			break;
		case 1:
			pdbmap(m, 0x1000 | PTEWRITE | PTEVALID, va, BY2PG);
			pdbunmap(m, va, BY2PG);
			break;
		case 2:
			pdbmap(m, 0x1000 | PTEWRITE | PTEVALID, va, PGDIRSIZE);
			break;
		default:
			used = rnd(2);
			for (j = 0; j < WD2PG; j += len) {
				len = 1 + rnd(rnd(2) ? 40 : 700);
				if (len > WD2PG - j)
					len = WD2PG - j;
				if (used)
					pdbmap(m, 0x1000 | PTEWRITE | PTEVALID,
					    va + j * BY2PG, len * BY2PG);
				used = !used;
			}
			if (!(m->pdb[PDX(va)] & PTEVALID)) {
				pdbmap(m, 0x1000 | PTEWRITE | PTEVALID, va,
				    BY2PG);
				pdbunmap(m, va, BY2PG);
			}
			break;
		}
	}
}

/*
 * plan9's, span's and span-fixed's fast vmapalloc, whose first fits go
 * down the tree past SCANPDES, against their kernel-shaped forms: 400
 * states of 2 to 40 PDEs or of SCANPDES+1 to SCANPDES+40, every size up
 * to three tables and more.
 */
static void
treesearch(void)
{
	static const char *const names[] = { "plan9", "span", "span-fixed" };
	uint32_t (*const slow[])(Mmu *, uint32_t) = { plan9_vmapalloc,
	    span_vmapalloc, spanfixed_vmapalloc };
	uint32_t (*const fast[])(Mmu *, uint32_t) = { plan9_vmapalloc_fast,
	    span_vmapalloc_fast, spanfixed_vmapalloc_fast };
	char what[128];
	uint32_t n, a, b;
	int k, j, bad, tried;
	Mmu m;

	for (j = 0; j < 3; j++) {
		bad = tried = 0;
		for (k = 0; k < 400; k++) {
			buildstate(&m, policyfind(names[j]), rnd(2) ?
			    2 + rnd(39) : SCANPDES + 1 + rnd(40));
			for (n = 1; n <= 3 * WD2PG + 8; n += 1 + rnd(9)) {
				a = slow[j](&m, n * BY2PG);
				b = fast[j](&m, n * BY2PG);
				tried++;
				if (a != b && bad++ == 0)
					printf("# %s, state %d, %u pages: "
					    "0x%08x, fast 0x%08x\n", names[j], k,
					    n, a, b);
			}
			mmufree(&m);
		}
		snprintf(what, sizeof what, "%s: the first fit down the tree, "
		    "as vmapalloc finds it (%d sizes in 400 states)", names[j],
		    tried);
		tap_equ(bad, 0, what);
	}
}

int
main(void)
{
	struct genopts go = { .seed = 11, .events = 3000, .pokes = 11,
	    .pdes = 4, .fill = 0.8 };
	struct trace t;
	char what[128];
	int s, p, k, pse, bad, events;

	treesearch();
	for (p = 0; p < npolicy(); p++) {
		bad = events = 0;
		for (s = 0; s < 12; s++) {
			rng = 1000 + s;
			randomtrace(&t, 400);
			for (k = 0; k < Nkernel; k++)
				for (pse = 0; pse < 2; pse++)
					bad += differential(&t, policyat(p), k,
					    pse, &events);
			trace_free(&t);
		}
		gen_run(gen_find("churn"), &go, &t);
		for (k = 0; k < Nkernel; k++)
			bad += differential(&t, policyat(p), k, 1, &events);
		trace_free(&t);
		snprintf(what, sizeof what, "%s: fast and kernel-shaped agree "
		    "on %d events, words and all", policyat(p)->name, events);
		tap_equ(bad, 0, what);
	}
	summaries();
	budgetdrop();
	for (p = 0; p < npolicy(); p++) {
		bad = events = 0;
		for (s = 0; s < 40; s++) {
			rng = 5000 + s;
			randomtrace(&t, 300);
			for (k = 0; k < Nkernel; k++)
				for (pse = 0; pse < 2; pse++) {
					bad += extremes(&t, policyat(p), k,
					    pse);
					events++;
				}
			trace_free(&t);
		}
		snprintf(what, sizeof what, "%s: a summary's extremes, measured "
		    "after every event, %d replays", policyat(p)->name, events);
		tap_equ(bad, 0, what);
	}
	return tap_done();
}
