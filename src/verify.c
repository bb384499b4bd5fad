/*
 * verify: is the model the kernel?  Random traces, made here to reach
 * every path of vmap and vunmap (churn in small and large vmaps, in
 * windows low, high and ending at 2^32, a budget of page tables run
 * out, sizes of 0, tiny, pages, about every 4 MiB multiple and huge,
 * addresses in the first two pages, unaligned, 4 MiB-aligned and near
 * 2^32, PSE on and off, unmaps by id and by raw address, misaligned
 * too, and long traces that fill the window and drain it), replayed under two
 * policies, and each result compared: its kind, its address, a panic's
 * words, the line the kernel printed; then the words the event wrote,
 * every PDE and PTE of its range,
 * and at the end of each trace every word of the vmap, as dump shows
 * them.  The first difference is kept with the trace it came in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify.h"
#include "xmalloc.h"

/* splitmix64: the same traces for the same seed everywhere. */
static uint64_t
next(uint64_t *s)
{
	uint64_t z;

	z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint32_t
below(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)(next(s) % n) : 0;
}

/* A pa of one of the sorts vmap treats apart. */
static uint32_t
anypa(uint64_t *s)
{
	switch (below(s, 11)) {
	case 10:
		return BY2PG + below(s, BY2PG);	/* 9front's first page taken */
	case 0:
		return 0;
	case 1:
		return below(s, BY2PG);
	case 2:
		return 0xFFFFF000u - below(s, 16) * BY2PG;
	case 3:
	case 4:
		return below(s, 0x400) * PGDIRSIZE;
	case 5:
		return (uint32_t)next(s);
	default:
		return below(s, 0x100000) * BY2PG;
	}
}

/*
 * A size of one of the sorts: none, tiny, pages, 4 MiB multiples and a
 * page either side of any of them, huge.
 */
static uint32_t
anysize(uint64_t *s)
{
	switch (below(s, 14)) {
	case 12:
		return 0;
	case 13:
		return (1 + below(s, 64)) * PGDIRSIZE + (below(s, 3) - 1) * BY2PG;
	case 0:
		return 1 + below(s, BY2PG - 1);
	case 1:
	case 2:
	case 3:
		return (1 + below(s, 64)) * BY2PG;
	case 4:
	case 5:
		return (1 + below(s, 8)) * PGDIRSIZE;
	case 6:
		return (1 + below(s, 4)) * PGDIRSIZE + (below(s, 3) - 1) * BY2PG;
	case 7:
		return 0x7FFFFFFFu - below(s, 2 * BY2PG);
	default:
		return 1 + below(s, 64 * MB);
	}
}

/* Append e to t. */
static void
add(struct trace *t, const struct event *e)
{
	trace_append(t, e);
}

/*
 * Random trace number seed for kernel into t (trace_free it).  Its ids
 * are linked as the reader links them: a vunmap by id has the vmap's
 * index in ref.
 */
void
verify_trace(struct trace *t, uint64_t seed, int kernel)
{
	static const uint32_t sizes[] = { 4, 8, 12, 16, 32, 64, 248 };
	struct event e;
	uint64_t s;
	size_t *live, nlive, n, i, k, fill;
	char id[24];

	s = seed * 0x2545F4914F6CDD1Dull + 1;
	trace_init(t);
	t->name = xstrdup("verify");
	t->machine.kernel = kernel;
	t->machine.pse = below(&s, 2);
	t->machine.vmapsize = sizes[below(&s, sizeof sizes / sizeof sizes[0])] *
	    MB;
	/* windows elsewhere: low, high, and ending at 2^32 (VMAP+VMAPSIZE 0) */
	switch (below(&s, 8)) {
	case 0:
		t->machine.vmap = 0x80000000u;
		break;
	case 1:
		t->machine.vmap = 0xF0000000u - t->machine.vmapsize;
		break;
	case 2:
		t->machine.vmap = 0u - t->machine.vmapsize;
		break;
	}
	t->machine.ptpages = below(&s, 3) == 0 ? 1 + below(&s, 16) : 0;
	/* one in ten long: thousands of events that fill, then drain */
	n = below(&s, 10) == 0 ? 2000 + below(&s, 2000) : 20 + below(&s, 200);
	fill = n / 2;
	live = xcalloc(n, sizeof *live);
	nlive = 0;
	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof e);
		e.ref = e.slot = -1;
		k = below(&s, 20);
		if (n > 1000)	/* the first half maps more, the second unmaps */
			k = i < fill ? (k < 14 ? 0 : k) : (k < 8 ? 11 : k);
		if (k < 11 || nlive == 0) {
			e.op = OPvmap;
			e.pa = anypa(&s);
			e.size = anysize(&s);
			e.flags = EVSIZE | EVOWNID;
			snprintf(id, sizeof id, "v%zu", i);
			e.id = xstrdup(id);
			live[nlive++] = t->nev;
		} else if (k < 18) {
			e.op = OPvunmap;
			k = below(&s, nlive);
			e.ref = live[k];
			e.id = t->ev[live[k]].id;
			e.flags = EVBYID;
			if (below(&s, 6) == 0) {
				e.size = anysize(&s);
				e.flags |= EVSIZE;
			}
			live[k] = live[--nlive];
		} else if (k < 19) {
			e.op = OPvunmap;
			e.va = t->machine.vmap + below(&s, t->machine.vmapsize /
			    BY2PG + 8) * BY2PG - 4 * BY2PG;
			if (below(&s, 4) == 0)	/* misaligned */
				e.va += 1 + below(&s, BY2PG - 1);
			e.size = anysize(&s);
			e.flags = EVVA | EVSIZE;
		} else {
			e.op = OPnote;
			e.text = xstrdup("a note");
		}
		add(t, &e);
	}
	free(live);
}

/* Whether a's and b's result of event i differ, words and all. */
static int
differ(const struct replay *a, const struct replay *b, size_t i)
{
	const struct result *ra, *rb;
	char ma[PANICLEN], mb[PANICLEN];

	ra = &a->r[i];
	rb = &b->r[i];
	if (replay_differ(&a->t->ev[i], ra, rb))
		return 1;
	if (ra->kind == Rok && a->t->ev[i].op == OPvunmap && ra->va != rb->va)
		return 1;
	if (strcmp(replay_printed(ma, sizeof ma, &a->t->ev[i], ra),
	    replay_printed(mb, sizeof mb, &b->t->ev[i], rb)) != 0)
		return 1;
	if (!RSTOPS(ra->kind))
		return 0;
	return strcmp(replay_panicmsg(ma, sizeof ma, a, ra),
	    replay_panicmsg(mb, sizeof mb, b, rb)) != 0;
}

/*
 * The words of a's and b's vmaps in [lo, hi] (addresses, page-aligned,
 * clipped to the window): each PDE, and each PTE where both PDEs are
 * page tables.  Returns 1 with the first that differs said into each
 * side's why, else 0.
 */
static int
wordsdiffer(const struct replay *a, const struct replay *b, uint32_t lo,
    uint32_t hi, char why[2][640])
{
	const struct replay *rp[2] = { a, b };
	uint32_t va, end, pde[2], pte[2];
	uint64_t x;
	int j;

	end = a->m.vmap + (a->m.vmapsize - 1);
	if (lo < a->m.vmap)
		lo = a->m.vmap;
	if (hi > end)
		hi = end;
	for (x = lo & ~(uint32_t)(BY2PG - 1); x <= hi; x += BY2PG) {
		va = (uint32_t)x;
		for (j = 0; j < 2; j++)
			pde[j] = rp[j]->m.pdb[PDX(va)];
		if (pde[0] != pde[1]) {
			for (j = 0; j < 2; j++)
				snprintf(why[j], sizeof why[j], "the PDE %u (va "
				    "0x%.8x) holds 0x%.8x", PDX(va), va & ~(PGDIRSIZE -
				    1), pde[j]);
			return 1;
		}
		if (!ispt(pde[0])) {
			/* a blank or 4 MiB PDE: on to the next */
			x = (x | (PGDIRSIZE - 1)) + 1 - BY2PG;
			continue;
		}
		for (j = 0; j < 2; j++)
			pte[j] = pdetable(&rp[j]->m, pde[j])[PTX(va)];
		if (pte[0] != pte[1]) {
			for (j = 0; j < 2; j++)
				snprintf(why[j], sizeof why[j], "the PTE %u of PDE "
				    "%u (va 0x%.8x) holds 0x%.8x", PTX(va), PDX(va),
				    va, pte[j]);
			return 1;
		}
	}
	return 0;
}

/* The range event i's result wrote, if it wrote: 1 with it, else 0. */
static int
wrote(const struct replay *a, size_t i, uint32_t *lo, uint32_t *hi)
{
	const struct result *r;
	const struct event *e;
	uint32_t va, size, o;

	r = &a->r[i];
	e = &a->t->ev[i];
	if (e->op == OPnote || (r->kind != Rok && !RSTOPS(r->kind)))
		return 0;
	if (e->op == OPvmap && r->kind == Rok) {
		va = r->va;
		size = e->size;
	} else if (e->op == OPvunmap) {
		va = r->va;
		size = r->size;
	} else
		return 2;	/* a vmap that panicked: anywhere it got to */
	o = va & (BY2PG - 1);
	size = ROUND(size + o, BY2PG);
	*lo = va - o;
	*hi = size ? va - o + (size - 1) : va - o;
	if (*hi < *lo)
		*hi = UINT32_MAX;
	return 1;
}

/*
 * Event i's result in rp, as replay gives it, with the line its kernel
 * printed where that is not already said.  Into buf.
 */
static void
answer(char *buf, size_t len, const struct replay *rp, size_t i)
{
	const struct result *r = &rp->r[i];
	char said[PANICLEN];
	size_t n;

	replay_answer(buf, len, rp, &rp->t->ev[i], r, i);
	replay_printed(said, sizeof said, &rp->t->ev[i], r);
	n = strlen(buf);
	if (said[0] != '\0' && r->why != NULL && r->why->code != RSsaid &&
	    n < len)
		snprintf(buf + n, len - n, "; it printed: %s", said);
}

/*
 * Replay o->traces random traces under both policies, result by result.
 * Returns 0 when they agree; 1 with the first difference in v and its
 * trace in out (trace_free it).
 */
int
verify_run(const struct verifyopts *o, struct verdict *v, struct trace *out)
{
	struct replayopts ro;
	struct replay a, b;
	struct trace t;
	uint32_t lo, hi;
	size_t i;
	int n, j, w, words;

	memset(v, 0, sizeof *v);
	memset(&ro, 0, sizeof ro);
	ro.kernel = ro.pse = -1;
	ro.keepgoing = 0;
	for (n = 0; n < o->traces; n++) {
		verify_trace(&t, o->seed + n, o->kernel);
		/* the file's console, a trace after another */
		ro.console = o->console;
		if (o->console != NULL)
			fprintf(o->console, "[0] trace %s, seed %llu\n", t.name,
			    (unsigned long long)(o->seed + n));
		replay_init(&a, &t, o->pol[0], &ro);
		ro.console = NULL;
		replay_init(&b, &t, o->pol[1], &ro);
		v->traces++;
		for (i = 0; i < t.nev; i++) {
			replay_run(&a, i + 1);
			replay_run(&b, i + 1);
			v->events++;
			words = 0;
			if (!differ(&a, &b, i)) {
				/* the words: the event's range, all at the end */
				if ((w = wrote(&a, i, &lo, &hi)) == 2) {
					lo = 0;
					hi = UINT32_MAX;
				}
				if (i + 1 == t.nev || RSTOPS(a.r[i].kind) ||
				    RSTOPS(b.r[i].kind)) {
					w = 1;
					lo = 0;
					hi = UINT32_MAX;
				}
				if (!w || !wordsdiffer(&a, &b, lo, hi, v->why))
					continue;
				words = 1;
			}
			v->differ = 1;
			v->words = words;
			v->trace = n;
			v->at = i;
			for (j = 0; !words && j < 2; j++)
				answer(v->why[j], sizeof v->why[j], j ? &b : &a,
				    i);
			replay_free(&a);
			replay_free(&b);
			*out = t;
			return 1;
		}
		replay_free(&a);
		replay_free(&b);
		trace_free(&t);
	}
	return 0;
}
