/*
 * The reasons against the state: over the bundled traces and generated
 * ones, every policy, both kernels, PSE on and off, every result that
 * is not ok carries a reason, and each reason's numbers agree with the
 * state it was made from (the longest blank run it names is the
 * longest, the hole it names is the largest, the PTE a panic names is
 * valid and its owner live, the PDEs a placement names are where the
 * mapping went).  Then probe: what replay_probe answers equals what the
 * same vmap appended to the trace does, on random states.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "tap.h"
#include "corpus.h"
#include "replay.h"
#include "xmalloc.h"

static int bad;
static size_t seen[Nreason];	/* results checked, by their reason's code */

/* Say what broke (the first few), and count it. */
static void
broke(const char *name, const struct replay *rp, const char *what)
{
	if (bad++ < 5)
		printf("# %s %s %s pse %d event %zu: %s\n", name,
		    policyat(rp->pidx)->name, kernelnames[rp->m.kernel],
		    rp->m.pse, rp->pos, what);
}

/* The vmap's PDEs as the state has them, measured here the plain way. */
struct shape {
	uint32_t	blankrun, blankat;
	uint32_t	stale;
	uint32_t	hole;		/* the longest run of free PTEs in a table */
	uint32_t	empties;	/* the most empty tables in a row */
	uint32_t	maxhole[NPDE];	/* each PDE's table's longest hole */
	int		anyblank;
};

static void
shape(const Mmu *m, struct shape *s)
{
	uint32_t i, first, run, k, free_, *pt, empties;
	int np;

	memset(s, 0, sizeof *s);
	first = PDX(m->vmap);
	np = vpdbsize(m);
	run = empties = 0;
	for (i = 0; i < (uint32_t)np; i++) {
		empties = pdekind(m, first + i) == Pstale ? empties + 1 : 0;
		if (empties > s->empties)
			s->empties = empties;
		if (pdekind(m, first + i) == Pblank) {
			s->anyblank = 1;
			if (++run > s->blankrun) {
				s->blankrun = run;
				s->blankat = first + i + 1 - run;
			}
			continue;
		}
		run = 0;
		if (pdekind(m, first + i) == Pbig)
			continue;
		s->stale += pdekind(m, first + i) == Pstale;
		pt = pdetable(m, m->pdb[first + i]);
		for (free_ = 0, k = 0; k < WD2PG; k++) {
			free_ = (pt[k] & PTEVALID) ? 0 : free_ + 1;
			if (free_ > s->maxhole[i])
				s->maxhole[i] = free_;
		}
		if (s->maxhole[i] > s->hole)
			s->hole = s->maxhole[i];
	}
}

/* Whether PTE x of the table in PDE pdx is valid. */
static int
ptevalid(const Mmu *m, uint32_t pdx, uint32_t x)
{
	if (pdekind(m, pdx) < Ptable)
		return 0;
	return (pdetable(m, m->pdb[pdx])[x] & PTEVALID) != 0;
}

/* A failure's reason against the shape before it. */
static void
checkfail(const char *name, struct replay *rp, const Reason *w,
    const struct shape *before, const uint8_t *kinds)
{
	uint32_t k, first;

	first = PDX(rp->m.vmap);
	switch (w->code) {
	case RSfailblank:
		if (w->n[1] != before->blankrun)
			broke(name, rp, "no-blank-run: not the longest run");
		else if (w->n[1] > 0 && w->n[2] != before->blankat)
			broke(name, rp, "no-blank-run: not where it starts");
		if (w->n[3] != before->stale)
			broke(name, rp, "no-blank-run: not the stale tables");
		if (w->n[1] >= w->n[0])
			broke(name, rp, "no-blank-run: the run was long enough");
		break;
	case RSfailhole:
		if (w->n[1] != before->hole)
			broke(name, rp, "no-hole: not the largest hole");
		if (before->anyblank)
			broke(name, rp, "no-hole: yet a PDE was blank");
		if (w->n[1] >= w->n[0])
			broke(name, rp, "no-hole: the hole was large enough");
		break;
	case RSfailrun:
	case RSfailspan:
		if (w->n[1] > 0 && w->n[2] != before->blankrun)
			broke(name, rp, "a run search: not the longest blank run");
		if (w->code == RSfailrun)
			break;
		/* span: E empty tables, then a table with a hole of R */
		k = (w->n[0] - 1) / WD2PG;
		if (w->n[4] != before->empties)
			broke(name, rp, "no-span-run: not the most empty tables");
		else if (w->n[4] > k)
			broke(name, rp, "no-span-run: a longer run would do");
		else if (w->n[4] == k && k > 0 && w->n[5] + k - first <
		    (uint32_t)vpdbsize(&rp->m) && kinds[w->n[5] + k - first] >=
		    Ptable && before->maxhole[w->n[5] + k - first] >=
		    w->n[0] - k * WD2PG)
			broke(name, rp, "no-span-run: the table after has the "
			    "hole");
		break;
	}
}

/* A panic's reason: the PTE it names is valid, its owner live. */
static void
checkpanic(const char *name, struct replay *rp, size_t i, const Reason *w)
{
	const struct result *r;
	size_t nlive, j;
	int *live, found;
	long owner;

	r = &rp->r[i];
	if (r->panic == NULL) {
		broke(name, rp, "panic reason without a panic");
		return;
	}
	if (r->panic->kind != PNvmappte)
		return;
	if (!ptevalid(&rp->m, PDX(r->panic->va), PTX(r->panic->va)))
		broke(name, rp, "panic: the PTE it names is not valid");
	owner = replay_owner(rp, i, r->panic->va);
	nlive = replay_live(rp, i, &live);
	for (found = 0, j = 0; j < nlive; j++)
		found |= live[j] == owner;
	free(live);
	if (!found)
		broke(name, rp, "panic: its page has no live owner");
	if (w->n[2] < WD2PG && (ptevalid(&rp->m, PDX(r->panic->va),
	    w->n[2]) || (w->n[2] > 0 && !ptevalid(&rp->m,
	    PDX(r->panic->va), w->n[2] - 1))))
		broke(name, rp, "panic: the hole is not where it says");
}

/*
 * Check the result of the event just run (index i) against the state:
 * before, the shape and PDE kinds before it; rp, the state after.
 */
static void
checkone(const char *name, struct replay *rp, size_t i,
    const struct shape *before, const uint8_t *kinds)
{
	const struct event *e;
	const struct result *r;
	const Reason *w;
	Reason rs;
	char why[512];
	uint32_t k, first;

	e = &rp->t->ev[i];
	r = &rp->r[i];
	first = PDX(rp->m.vmap);
	replay_why(why, sizeof why, rp, e, r, i);
	if (r->kind != Rok && why[0] == '\0')
		broke(name, rp, "a result that is not ok says nothing");
	if ((r->kind == Rfail || r->kind == Rrefused || r->kind == Rpanic) &&
	    (r->why == NULL || r->why->code == RSnone))
		broke(name, rp, "no reason kept");
	if (r->kind == Rnotrun || r->kind == Rskipped || e->op == OPnote)
		return;
	replay_reason(rp, e, r, &rs);
	w = &rs;
	seen[w->code]++;
	switch (w->code) {
	case RSfailblank:
	case RSfailhole:
	case RSfailrun:
	case RSfailspan:
		checkfail(name, rp, w, before, kinds);
		break;
	case RSblankrun:
	case RSnewtable:
		if (PDX(r->va) != w->n[w->code == RSblankrun ? 1 : 0])
			broke(name, rp, "placed: not at the PDE it names");
		for (k = 0; k < (w->code == RSblankrun ? w->n[0] : 1); k++)
			if (kinds[PDX(r->va) + k - first] != Pblank)
				broke(name, rp, "placed: a PDE named blank was not");
		break;
	case RShole:
		if (PDX(r->va) != w->n[2] || PTX(r->va) != w->n[1])
			broke(name, rp, "hole: not where the mapping went");
		if (kinds[w->n[2] - first] < Ptable)
			broke(name, rp, "hole: its PDE held no table");
		break;
	case RSrun:
		if (PDX(r->va) != w->n[1] || PTX(r->va) != w->n[3])
			broke(name, rp, "table-run: not where the mapping went");
		break;
	case RSpanic:
		checkpanic(name, rp, i, w);
		break;
	}
}

/* Replay t every way, checking each result's reason. */
static void
checkall(const struct trace *t, const char *name)
{
	struct replayopts o;
	struct replay rp;
	struct shape before;
	uint8_t kinds[NPDE];
	char what[128];
	int p, k, pse, events, np, i;

	events = 0;
	bad = 0;
	for (p = 0; p < npolicy(); p++)
		for (k = 0; k < Nkernel; k++)
			for (pse = 0; pse < 2; pse++) {
				memset(&o, 0, sizeof o);
				o.kernel = k;
				o.pse = pse;
				o.keepgoing = 1;
				replay_init(&rp, t, policyat(p), &o);
				np = vpdbsize(&rp.m);
				for (;;) {
					shape(&rp.m, &before);
					for (i = 0; i < np; i++)
						kinds[i] = pdekind(&rp.m,
						    PDX(rp.m.vmap) + i);
					if (replay_step(&rp) <= 0)
						break;
					events++;
					checkone(name, &rp, rp.pos - 1, &before,
					    kinds);
				}
				replay_free(&rp);
			}
	snprintf(what, sizeof what, "%s: the reasons of %d results agree with "
	    "the state", name, events);
	tap_equ(bad, 0, what);
}

static uint64_t rng = 88172645463325252ull;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

/* A pa of every sort vmap treats apart. */
static uint32_t
anypa(void)
{
	switch (rnd(7)) {
	case 0:
		return 0;
	case 1:
		return 1 + rnd(BY2PG - 1);
	case 2:
		return rnd(0x100000) * BY2PG;
	case 3:
		return rnd(0x400) * PGDIRSIZE;
	case 4:
		return 0xFFFFF000u - rnd(16) * BY2PG;
	default:
		return rnd(0xFFFFFFFFu);
	}
}

/* A size from a page to 64M, now and then one that rounds past 2^31. */
static uint32_t
anysize(void)
{
	if (rnd(20) == 0)
		return 0x7FFFFFFFu - rnd(BY2PG);
	return 1 + rnd(BY2PG << rnd(15));
}

/* Whether two results, with their reasons and panics, are the same. */
static int
same(const struct replay *a, const struct event *ea, const struct result *ra,
    const struct replay *b, const struct event *eb, const struct result *rb)
{
	Reason wa, wb;

	if (ra->kind != rb->kind || ra->va != rb->va || ra->step != rb->step)
		return 0;
	replay_reason(a, ea, ra, &wa);
	replay_reason(b, eb, rb, &wb);
	if (memcmp(&wa, &wb, sizeof wa) != 0)
		return 0;
	if ((ra->panic == NULL) != (rb->panic == NULL))
		return 0;
	return ra->panic == NULL || (ra->panic->kind == rb->panic->kind &&
	    ra->panic->va == rb->panic->va &&
	    ra->panic->allocva == rb->panic->allocva);
}

/*
 * Probe t after random events under every policy, both kernels, PSE on
 * and off, and replay the trace cut there with the same vmap appended;
 * that vmap's reason is checked as the trace's are.
 */
static void
probeall(const struct trace *t, const char *name, int tries)
{
	struct replayopts o;
	struct replay rp, ap;
	struct probe pr;
	struct trace cut;
	struct shape before;
	uint8_t kinds[NPDE];
	uint32_t pa, size;
	int np, q;
	char what[1200], wa[512], wb[512];
	size_t n;
	int p, k, pse, i, probes;

	bad = 0;
	probes = 0;
	for (p = 0; p < npolicy(); p++)
		for (k = 0; k < Nkernel; k++)
			for (pse = 0; pse < 2; pse++)
				for (i = 0; i < tries; i++) {
					memset(&o, 0, sizeof o);
					o.kernel = k;
					o.pse = pse;
					o.keepgoing = rnd(2);
					n = rnd(t->nev + 1);
					replay_init(&rp, t, policyat(p), &o);
					replay_run(&rp, n);
					shape(&rp.m, &before);
					np = vpdbsize(&rp.m);
					for (q = 0; q < np; q++)
						kinds[q] = pdekind(&rp.m,
						    PDX(rp.m.vmap) + q);
					pa = anypa();
					size = anysize();
					replay_probe(&rp, pa, size, &pr);
					cut = *t;
					cut.ev = xcalloc(n + 1, sizeof *cut.ev);
					memcpy(cut.ev, t->ev, n * sizeof *cut.ev);
					/* the same vmap, made here */
					cut.ev[n].op = OPvmap;
					cut.ev[n].pa = pa;
					cut.ev[n].size = size;
					cut.ev[n].ref = cut.ev[n].slot = -1;
					cut.nev = n + 1;
					replay_init(&ap, &cut, policyat(p), &o);
					replay_run(&ap, n + 1);
					probes++;
					replay_why(wa, sizeof wa, &rp, &pr.ev,
					    &pr.r, n);
					replay_why(wb, sizeof wb, &ap, &cut.ev[n],
					    &ap.r[n], n);
					if (!same(&rp, &pr.ev, &pr.r, &ap, &cut.ev[n],
					    &ap.r[n]) || strcmp(wa, wb) != 0) {
						snprintf(what, sizeof what,
						    "probe vmap(0x%llx, %u): %s, "
						    "appended: %s",
						    (unsigned long long)pr.ev.pa,
						    pr.ev.size, wa, wb);
						broke(name, &rp, what);
					}
					/* the appended vmap's reason, too */
					checkone(name, &ap, n, &before, kinds);
					replay_free(&ap);
					free(cut.ev);
					replay_free(&rp);
				}
	snprintf(what, sizeof what, "%s: %d probes answer as the vmap "
	    "appended does", name, probes);
	tap_equ(bad, 0, what);
}

int
main(void)
{
	struct genopts go = { .seed = 5, .events = 800, .pokes = 11,
	    .pdes = 6, .fill = 0.8 };
	struct corpus c;
	struct trace t;
	char what[128];
	const char *name;
	int g;

	corpus_open(&c);
	while (corpus_next(&c, &t, &name)) {
		checkall(&t, name);
		probeall(&t, name, 6);
		trace_free(&t);
	}
	corpus_close(&c);
	for (g = 0; g < ngenerators; g++) {
		gen_run(&generators[g], &go, &t);
		/* churn in a small vmap within a budget: failures, panics */
		if (generators[g].takes & GOevents) {
			t.machine.vmapsize = 32u << 20;
			t.machine.ptpages = 6;
		}
		checkall(&t, generators[g].name);
		probeall(&t, generators[g].name, 12);
		trace_free(&t);
	}
	/*
	 * The checks above met every code a trace can bring about under
	 * the built-in policies: not RSfail (a policy without a whyfail),
	 * not RSnosize (a trace's sizes are 1 to 2^31-1), not RSsaid and
	 * RSoutside (a kernel source file's words and addresses; ksrc.sh
	 * and kguard.sh have those).
	 */
	for (g = 0; g < Nreason; g++)
		if (g != RSnone && g != RSnote && g != RSskipped &&
		    g != RSfail && g != RSnosize && g != RSsaid &&
		    g != RSoutside) {
			snprintf(what, sizeof what, "results with reason %s: %zu",
			    reasonname(g), seen[g]);
			tap_ok(seen[g] > 0, what);
		}
	return tap_done();
}
