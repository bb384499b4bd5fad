/*
 * The registry of policies grows at run time: a policy defined here
 * alone, last fit over blank PDEs, is registered, then named in a
 * trace's expectations, replayed, compared with plan9 and measured, as
 * the built-in ones are.  Nothing outside this file knows it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "replay.h"
#include "tap.h"
#include "trace.h"

/* Last fit: the highest run of whole blank PDEs that holds size. */
static uint32_t
lastfit_vmapalloc(Mmu *m, uint32_t size)
{
	uint32_t *pd, n, run;
	int i;

	pd = vpdb(m);
	n = HOWMANY(size, PGDIRSIZE);
	if (n == 0)
		n = 1;
	run = 0;
	for (i = vpdbsize(m) - 1; i >= 0; i--) {
		run = pd[i] == 0 ? run + 1 : 0;
		if (run >= n)
			return m->vmap + (uint32_t)i * PGDIRSIZE;
	}
	return 0;
}

static const Policy lastfit = {
	.name = "lastfit",
	.summary = "the highest run of blank PDEs, a test's own",
	.vmapalloc = lastfit_vmapalloc,
};

/*
 * A trace that names lastfit in its expectations: four PDEs; plan9
 * fills from the bottom, lastfit from the top.
 */
static const char tracetext[] =
    "vmaptrace: 1\n"
    "machine: {vmap: 0xe0000000, vmapsize: 16M}\n"
    "events:\n"
    "  - {op: vmap, pa: 0xfee00000, size: 1K, id: a,\n"
    "     expect: {plan9: 0xe0000000, lastfit: 0xe0c00000}}\n"
    "  - {op: vmap, pa: 0x2000, size: 8M, id: b,\n"
    "     expect: {plan9: 0xe0400000, lastfit: 0xe0400000}}\n"
    "  - {op: vunmap, id: a, expect: ok}\n"
    "  - {op: vmap, pa: 0x2000, size: 4M, id: c,\n"
    "     expect: {plan9: 0xe0c00000, lastfit: 0xe0000000}}\n";

/* Registered, and found by its name. */
static int
test_register(void)
{
	int k;

	tap_ok(policyfind("lastfit") == NULL, "not there before");
	k = policyregister(&lastfit);
	tap_equ(k, 4, "registered after the four built-in policies");
	tap_equ(npolicy(), 5, "five policies now");
	tap_ok(policyfind("lastfit") == &lastfit, "found by its name");
	tap_equ(policyregister(&lastfit), (uint64_t)-1,
	    "a name taken is refused");
	tap_ok(policycolour(k)[0] == '#', "a colour from the palette");
	return k;
}

/* Read, written, replayed and measured; policy k is lastfit. */
static void
test_replay(struct trace *t, int k)
{
	struct replayopts ro = { .kernel = -1, .pse = -1, .measure = 1 };
	struct replay rp;
	Stats s;
	char *buf;
	size_t len;
	FILE *f;

	tap_equ(t->ev[0].expect[k].addr, 0xe0c00000,
	    "the trace's expectation for lastfit");
	f = open_memstream(&buf, &len);
	trace_write(f, t);
	fclose(f);
	tap_ok(strstr(buf, "lastfit: 0xe0c00000") != NULL,
	    "the trace writer names it");
	free(buf);

	replay_init(&rp, t, &lastfit, &ro);
	replay_run(&rp, t->nev);
	tap_equ(rp.r[0].va, 0xe0c00000, "the first map takes the last PDE");
	tap_equ(rp.r[3].va, 0xe0000000,
	    "after its unmap, the last blank PDE left: the first");
	tap_equ(rp.expheld, 4, "its four expectations hold");
	tap_equ(rp.expfailed, 0, "none fails");

	/* the search by dry runs, as it gives no largest of its own */
	replay_measure(&rp, &s);
	tap_equ(s.largest[k], largestvmap_ref(&rp.m, &lastfit),
	    "its largest vmap, by the search");
	tap_equ(s.largest[k], 0, "nothing fits: no blank PDE is left");
	replay_free(&rp);
}

/* Compared with plan9. */
static void
test_compare(const struct trace *t)
{
	struct replayopts ro = { .kernel = -1, .pse = -1 };
	const Policy *both[2];
	struct compare c;

	both[0] = policyfind("plan9");
	both[1] = &lastfit;
	compare_run(&c, t, both, 2, &ro, 0);
	tap_equ(c.npair, 1, "compare: one pair");
	tap_equ(c.pair[0].first[Daddress][0].seq, 1,
	    "... they part at the first event, by address");
	tap_equ(c.ndiff, 2, "... and differ at two events");
	tap_ok(strncmp(c.pair[0].first[Daddress][0].why[1],
	    "lastfit ok at 0xe0c00000: ", 26) == 0, "... explained by name");
	compare_free(&c);
}

/* The registry is bounded by MAXPOLICY. */
static void
test_bound(void)
{
	static Policy extra[MAXPOLICY];
	static char names[MAXPOLICY][16];
	int k;

	for (k = 0; k < MAXPOLICY; k++) {
		extra[k] = lastfit;
		snprintf(names[k], sizeof names[k], "extra%d", k);
		extra[k].name = names[k];
	}
	for (k = 0; policyregister(&extra[k]) >= 0; k++)
		;
	tap_equ(npolicy(), MAXPOLICY, "registered up to MAXPOLICY");
	tap_equ(k, MAXPOLICY - 5, "... and refused past it");
}

int
main(void)
{
	struct trace t;
	char err[256];
	int k;

	k = test_register();
	if (trace_loadmem(&t, "registry", tracetext, sizeof tracetext - 1,
	    err, sizeof err) < 0) {
		tap_ok(0, err);
		return tap_done();
	}
	test_replay(&t, k);
	test_compare(&t);
	trace_free(&t);
	test_bound();
	return tap_done();
}
