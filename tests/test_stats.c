/*
 * The measures: hand-computed states (the devtest transcript's, and one
 * where the span patch maps 8 MiB but panics on 4 MiB + 4 KiB), and a
 * differential test of the fast largest-vmap against the reference that
 * asks vmapalloc for every size, on random states of small machines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "tap.h"

static uint32_t
largest(const char *policy)
{
	return largestvmap(&m, policyfind(policy));
}

/* The devtest transcript under plan9, after the seventh poke. */
static void
test_devtest(void)
{
	Stats s;
	int i;

	machine("plan9", Klabs, 1, VMAP, 248 * MB, 0);
	mapok(0xFEE00000, 1024);
	mapok(0xFEC00000, 1024);
	mapok(0xD0000000, 8 * MB);
	for (i = 0; i < 7; i++)
		vunmap(&m, mapok(0x2000, 32 * MB), 32 * MB);
	mmustats(&m, &s);
	tap_equ(s.pde[Pblank], 3, "devtest: 3 blank PDEs");
	tap_equ(s.pde[Pbig], 2, "devtest: 2 big");
	tap_equ(s.pde[Ptable], 1, "devtest: 1 table");
	tap_equ(s.pde[Pstale], 56, "devtest: 56 stale");
	tap_equ(s.mapped, 2 + 2048, "devtest: mapped = 2 PTEs + two 4M pages");
	tap_equ(s.free, 3 * 1024 + 1022 + 56 * 1024, "devtest: free pages");
	tap_equ(s.largestrun, 59 * 1024,
	    "devtest: largest run = 56 stale + 3 blank PDEs");
	tap_ok(s.frag > 0.0166 && s.frag < 0.0167,
	    "devtest: fragmentation 1 - 60416/61438");
	tap_equ(s.ptinuse, 57, "devtest: 57 page-table pages");
	tap_equ(largest("plan9"), 3 * 1024, "devtest: plan9 largest 12M");
	tap_equ(largest("reclaim"), 3 * 1024,
	    "devtest: reclaim's vmapalloc is plan9's: 12M here");
	tap_equ(largest("span"), 56 * 1024,
	    "devtest: span largest 224M over the stale tables");
	tap_equ(largest("span-fixed"), 56 * 1024,
	    "devtest: span-fixed largest 224M");
	for (i = 0; i < npolicy(); i++)
		tap_equ(largestvmap_ref(&m, policyat(i)),
		    largestvmap(&m, policyat(i)), "devtest: reference agrees");
	mmufree(&m);
}

/*
 * PDEs 0-4 (20M, no PSE): PT0 holds the APIC, PT1 is empty, PT2 only
 * its entry 0, PT3 and PT4 are empty.  Under span 4M+4K takes PT1 and
 * a page of PT2, whose first free page is entry 1: the address is one
 * page off and pdbmap panics.  8M finds PT1+PT2 short, resets, and maps
 * PT3+PT4.  A larger request succeeds where a smaller one fails.
 */
static void
nonmonotonic(void)
{
	mmufree(&m);
	machine("span", Klabs, 0, VMAP, 20 * MB, 0);
	mapok(0xFEE00000, 4096);
	mapok(0x10001000, 16 * MB);
	vunmap(&m, VMAP + 4 * MB, 4 * MB);
	vunmap(&m, VMAP + 8 * MB + BY2PG, 4 * MB - BY2PG);
	vunmap(&m, VMAP + 12 * MB, 8 * MB);
}

static void
test_nonmonotonic(void)
{
	Stats s;
	uint32_t va;

	nonmonotonic();
	mmustats(&m, &s);
	tap_equ(s.pde[Pstale], 3, "nonmono: three empty tables");
	tap_equ(s.largestrun, 1023 + 2048, "nonmono: run PT2 tail + PT3 + PT4");
	tap_equ(largest("span"), 2048, "nonmono: span largest is 8M");
	tap_equ(largest("plan9"), 1023, "nonmono: plan9 largest 4M-4K");
	tap_equ(largest("span-fixed"), 3071, "nonmono: span-fixed 12M-4K");
	tap_equ(vmap(&m, 0x30001000, 1025 * BY2PG, &va), Vpanic,
	    "nonmono: span panics on 1025 pages");
	nonmonotonic();
	tap_equ(vmap(&m, 0x30001000, 2048 * BY2PG, &va), Vok,
	    "nonmono: ... and maps 2048");
	tap_equ(va, VMAP + 12 * MB, "nonmono: in PT3 and PT4");
	nonmonotonic();
	tap_equ(largestvmap_ref(&m, policyfind("span")), 2048,
	    "nonmono: the reference agrees for span");
	mmufree(&m);
}

/* The ptpages budget: step 1 needs a table per blank PDE. */
static void
test_budget(void)
{
	machine("plan9", Klabs, 0, VMAP, 16 * MB, 2);
	mapok(0xFEE00000, 4096);
	tap_equ(largest("plan9"), 1024, "budget 2, one used: 4M");
	tap_equ(largestvmap_ref(&m, policyfind("plan9")), 1024,
	    "budget: the reference agrees");
	mapok(0x1001000, 4 * MB);
	tap_equ(largest("plan9"), 1023, "budget spent: a hole of 1023 in PT0");
	mmufree(&m);
}

/*
 * span-fixed's first misfit where its search must stop at 4 MiB: one
 * page free in PT0, then a run of 3069 pages to the end of PT2; PDE 3
 * blank and the budget of 3 tables spent.  Below 4 MiB the run takes
 * the request; at 4 MiB the blank PDE comes first and wants a fourth
 * table; past it, two blank PDEs are wanted, there are none, and the
 * run takes it again.  A search that went from 513 pages to 1025 at
 * one address would miss 1024.
 */
static void
test_misfit4m(void)
{
	uint32_t a, b;

	machine("span-fixed", Klabs, 0, VMAP, 16 * MB, 3);
	vunmap(&m, mapok(0x10000000, 12 * MB), 12 * MB);
	a = mapok(0x10000000, 4096);
	b = mapok(0x10001000, 4096);
	(void)mapok(0x10002000, 4096);
	vunmap(&m, b, 4096);
	tap_equ(a, VMAP, "misfit at 4M: the first page is PT0's");
	tap_equ(firstmisfit_ref(&m), 1024, "misfit at 4M: dry runs of 1, 2, "
	    "... pages stop at 1024 (the blank PDE wants a table)");
	tap_equ(firstmisfit(&m), 1024, "misfit at 4M: span-fixed's search "
	    "stops there too");
	tap_ok(spanfixed_vmapalloc(&m, 1025 * BY2PG) == VMAP + 3 * BY2PG,
	    "misfit at 4M: 1025 pages are placed on the run again");
	mmufree(&m);
}

/* A deterministic generator for the random states. */
static uint64_t rng = 88172645463325252ull;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static int midbad, midchecks, misbad, misfits, misfitsof[MAXPOLICY];

/*
 * The largest vmap of every policy against the reference in the state
 * so far, on the way to a random state: the tree the fast measure keeps
 * is then updated a few PDEs at a time, not built whole.
 */
static void
midcheck(void)
{
	uint32_t a, b;
	int i;

	midchecks++;
	for (i = 0; i < npolicy(); i++)
		if (largestvmap(&m, policyat(i)) !=
		    largestvmap_ref(&m, policyat(i)))
			midbad++;
	/* the first misfit of its own vmapalloc: the fast one's, if any */
	if (m.policy->misfit != NULL && (a = m.policy->misfit(&m)) !=
	    (b = firstmisfit_ref(&m)) && misbad++ < 5)
		printf("# %s: first misfit %u, by dry runs %u\n",
		    m.policy->name, a, b);
	if (m.policy->misfit != NULL) {
		misfits++;
		misfitsof[policyindex(m.policy)]++;
	}
}

/* Build a random state: maps, whole and partial unmaps, panics and all. */
static void
randomstate(void)
{
	uint32_t live[64], lsize[64], va, size, pa, off, len;
	int nlive, i, ops, k;

	machine(policyat(rnd(npolicy()))->name, rnd(2), rnd(2), VMAP,
	    (2 + rnd(5)) * 4 * MB, rnd(3) == 0 ? 2 + rnd(4) : 0);
	nlive = 0;
	ops = 10 + rnd(40);
	for (i = 0; i < ops; i++) {
		m.panicked = 0;
		/* measured as a replay measures, now and then checked */
		(void)largestvmap(&m, m.policy);
		if (i % 8 == 7)
			midcheck();
		if (nlive > 0 && (nlive == 64 || rnd(5) < 2)) {
			k = rnd(nlive);
			if (rnd(3) == 0) {
				/* a part of it */
				off = rnd(lsize[k] / BY2PG) * BY2PG;
				len = (1 + rnd((lsize[k] - off) / BY2PG)) * BY2PG;
				vunmap(&m, live[k] + off, len);
			} else
				vunmap(&m, live[k], lsize[k]);
			live[k] = live[--nlive];
			lsize[k] = lsize[nlive];
			continue;
		}
		switch (rnd(4)) {
		case 0:
			size = (1 + rnd(8)) * BY2PG;
			break;
		case 1:
			size = (1 + rnd(1024)) * BY2PG;
			break;
		case 2:
			size = (1024 + rnd(2048)) * BY2PG;
			break;
		default:
			size = (1 + rnd(3)) * 4 * MB;
			break;
		}
		pa = rnd(4) == 0 ? (1 + rnd(64)) * 4 * MB :
		    (1 + rnd(0x80000)) * BY2PG;
		if (vmap(&m, pa, size, &va) == Vok) {
			live[nlive] = va;
			lsize[nlive++] = size;
		}
	}
	m.panicked = 0;
}

static void
test_differential(void)
{
	char what[96];
	uint32_t fast, ref;
	int n, i, bad, full, offby, few;
	Stats s;

	bad = full = offby = 0;
	for (n = 0; n < 150; n++) {
		randomstate();
		mmustats(&m, &s);
		if (s.pde[Pblank] == 0 && s.pde[Pstale] > 0)
			full++;
		/* states where span's placement of its largest+1 panics */
		fast = largestvmap(&m, policyfind("span"));
		if (fast < s.free && span_vmapalloc(&m, (fast + 1) * BY2PG))
			offby++;
		for (i = 0; i < npolicy(); i++) {
			fast = largestvmap(&m, policyat(i));
			ref = largestvmap_ref(&m, policyat(i));
			if (fast != ref) {
				if (bad++ < 5)
					printf("# state %d, %s: fast %u, "
					    "reference %u\n", n,
					    policyat(i)->name, fast, ref);
			}
		}
	}
	snprintf(what, sizeof what, "differential: largest vmap, 150 random "
	    "states x %d policies", npolicy());
	tap_equ(bad, 0, what);
	snprintf(what, sizeof what, "differential: and %d states on the way "
	    "there, measured as they changed", midchecks);
	tap_equ(midbad, 0, what);
	/* plan9's, reclaim's: largest + 1; span's: a search by address */
	snprintf(what, sizeof what, "differential: each policy's first "
	    "misfit as dry runs of 1, 2, ... pages find it, %d states", misfits);
	few = 0;
	for (i = 0; i < npolicy(); i++) {
		printf("# %s: %d states\n", policyat(i)->name, misfitsof[i]);
		few += policyat(i)->misfit != NULL && misfitsof[i] < 10;
	}
	tap_ok(misbad == 0 && few == 0, what);
	printf("# %d states with stale tables and no blank PDE, %d where "
	    "span places a larger size it cannot map\n", full, offby);
	tap_ok(full >= 10 && offby >= 5, "differential: the random states "
	    "reach the hard cases");
	mmufree(&m);
}

int
main(void)
{
	test_devtest();
	test_nonmonotonic();
	test_budget();
	test_misfit4m();
	test_differential();
	return tap_done();
}
