/*
 * The view's time travel against the plain replay, its reference: the
 * events its store hands out, their results, the words for each and
 * the measures' history are those of a replay from the start that keeps
 * every result; after random seeks, forward and back across checkpoints
 * and the finer ones, the cursor's machine holds the very words, and
 * its live mappings are those replay_live finds, of such a replay to
 * that event.  So for a timeline opened on a trace, one that grows as
 * its trace is read (timeline_begin, timeline_add), and one read from a
 * file in one pass (timeline_load, with and without a thread).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"
#include "tap.h"
#include "xmalloc.h"
#include "timeline.h"

/* Whether s and t are both nil or the same string. */
static int
samestr(const char *s, const char *t)
{
	return s == NULL ? t == NULL : t != NULL && strcmp(s, t) == 0;
}

/* Whether x, as the store hands it out, is the event y of a trace. */
static int
sameev(const struct event *x, const struct event *y)
{
	int k;

	if (x->op != y->op || (x->flags & ~EVOWNID) != (y->flags & ~EVOWNID) ||
	    x->size != y->size || x->ref != y->ref ||
	    (x->op == OPvmap ? x->pa != y->pa : x->va != y->va) ||
	    !samestr(x->id, y->id) || !samestr(x->text, y->text) ||
	    !samestr(x->note, y->note) ||
	    ((y->flags & EVTIME) && x->t != y->t))
		return 0;
	for (k = 0; k < MAXPOLICY; k++)
		if (x->expect[k].kind != y->expect[k].kind ||
		    x->expect[k].addr != y->expect[k].addr)
			return 0;
	return 1;
}

/* A replay of t under p from the start that keeps every result. */
static void
reference(struct replay *ref, const struct trace *t, const Policy *p,
    const struct replayopts *ro, size_t n)
{
	struct replayopts o;

	o = *ro;
	o.measure = 1;
	o.history = 1;
	o.stream = 0;
	replay_init(ref, t, p, &o);
	replay_run(ref, n);
}

/*
 * nseek seeks of tl, each against a replay of t from the start: the
 * machine, and the live mappings against replay_live's search from the
 * first event; bad ones.
 */
static int
seeks(struct timeline *tl, const struct trace *t, const Policy *p,
    const struct replayopts *ro, uint64_t r, int nseek)
{
	struct replay ref;
	size_t n, k, j, nlive;
	int bad, *live;

	bad = 0;
	for (k = 0; k < (size_t)nseek; k++) {
		r = r * 6364136223846793005ull + 1442695040888963407ull;
		/* a timeline still being read: what it has */
		n = (r >> 33) % (tl->vs->n + 1);
		if (k % 3 == 0 && n > 0)
			n = tl->cur.pos > 0 ? tl->cur.pos - 1 : 0;
		if (k % 5 == 0 && tl->cur.pos > 3)
			n = tl->cur.pos - 3;
		timeline_seek(tl, n);
		reference(&ref, t, p, ro, n);
		if (!mmusame(&tl->cur.m, &ref.m) ||
		    tl->cur.panicked != ref.panicked)
			bad++;
		nlive = replay_live(&ref, n, &live);
		if (nlive != tl->live.n)
			bad++;
		for (j = 0; j < nlive && nlive == tl->live.n; j++)
			if (live[j] != tl->live.v[j].i ||
			    ref.r[live[j]].va != tl->live.v[j].va)
				bad++;
		free(live);
		replay_free(&ref);
	}
	return bad;
}

/*
 * Events of timeline a whose event, result or words differ from those
 * of t replayed from the start keeping every result, and measure
 * histories that differ.
 */
static size_t
differ(const struct trace *t, const struct timeline *a, const Policy *p,
    const struct replayopts *ro)
{
	const struct result *v;
	struct replay ref;
	struct result u;
	struct event e;
	char wa[1024], wb[1024];
	size_t i, bad;

	if (a->vs->n != t->nev)
		return (size_t)-1;
	reference(&ref, t, p, ro, t->nev);
	bad = 0;
	for (i = 0; i < t->nev; i++) {
		vstore_event(a->vs, i, &e);
		timeline_result(a, i, &u);
		v = &ref.r[i];
		if (!sameev(&e, &t->ev[i]) || u.kind != v->kind ||
		    u.va != v->va || u.exp != v->exp || u.step != v->step ||
		    u.size != v->size ||
		    (u.why == NULL) != (v->why == NULL) ||
		    (u.why && memcmp(u.why, v->why, sizeof *u.why) != 0) ||
		    (u.panic == NULL) != (v->panic == NULL))
			bad++;
		replay_answer(wa, sizeof wa, &a->full, &e, &u, i);
		replay_answer(wb, sizeof wb, &ref, &t->ev[i], v, i);
		if (strcmp(wa, wb) != 0) {
			if (bad++ == 0)
				fprintf(stderr, "# event %zu: %s\n#  not %s\n",
				    i + 1, wa, wb);
		}
	}
	/* the histories, bucket by bucket */
	for (i = 0; i < Nhist; i++)
		if (memcmp(&a->full.hist[i], &ref.hist[i],
		    sizeof a->full.hist[i]) != 0)
			bad++;
	replay_free(&ref);
	return bad;
}

/* Checkpoints where they should be: at most 1024, interval apart. */
static int
spaced(const struct timeline *tl)
{
	size_t k;

	if (tl->ncp == 0 || tl->ncp > 1024)
		return 0;
	for (k = 0; k < tl->ncp; k++)
		if (tl->cp[k].pos != k * tl->interval)
			return 0;
	return tl->ncp == tl->full.pos / tl->interval + 1;
}

/* Grown event by event, not knowing how many will come. */
static void
grownone(const struct trace *t, const Policy *p,
    const struct replayopts *ro, int j)
{
	struct timeline grown;
	struct vstore grow;
	char what[128];
	size_t i;

	vstore_init(&grow);
	timeline_begin(&grown, &grow, t, p, ro, 0);
	for (i = 0; i < t->nev; i++) {
		vstore_add(&grow, &t->ev[i]);
		timeline_add(&grown);
	}
	timeline_end(&grown);
	snprintf(what, sizeof what, "%s: grown from nothing, %zu "
	    "checkpoints every %zu events", p->name, grown.ncp,
	    grown.interval);
	tap_ok(grown.interval > 64 && spaced(&grown), what);
	snprintf(what, sizeof what, "%s: grown, the same events, "
	    "results, words and history as a replay", p->name);
	tap_equ(differ(t, &grown, p, ro), 0, what);
	snprintf(what, sizeof what, "%s: grown, 20 seeks", p->name);
	tap_equ(seeks(&grown, t, p, ro, 777 + j, 20), 0, what);
	timeline_free(&grown);
	vstore_free(&grow);
}

/*
 * Read a little at a time, as the view does, seeking as it comes: each
 * seek as a replay from the start has it.
 */
static void
readasview(const char *path, const struct trace *t, const Policy *p,
    const struct replayopts *ro, int j)
{
	struct timeline loaded, *tp[1];
	struct vstore lvs;
	struct trace back;
	struct tlload *ld;
	char err[512], what[128];
	int k, bad;

	tp[0] = &loaded;
	ld = timeline_loadopen(path, &p, 1, ro, &lvs, tp, NULL);
	bad = ld == NULL;
	for (k = 0; ld != NULL && timeline_loadsome(ld, 0.0005); k++)
		if (k % 7 == 0 && lvs.n > 0)
			bad += seeks(&loaded, t, p, ro, 5 + k, 3);
	if (ld != NULL && timeline_loadclose(ld, 0, &back, err,
	    sizeof err) < 0)
		bad++;
	snprintf(what, sizeof what, "%s: read as the view reads it, "
	    "seeks while it reads, %d takes", p->name, k);
	tap_equ(bad, 0, what);
	if (ld == NULL || bad != 0)
		return;
	snprintf(what, sizeof what, "%s: read as the view reads it, the "
	    "same events, results, words and history", p->name);
	tap_equ(differ(t, &loaded, p, ro), 0, what);
	tap_equ(seeks(&loaded, t, p, ro, 42 + j, 20), 0,
	    "and 20 seeks once it is read");
	timeline_free(&loaded);
	vstore_free(&lvs);
	trace_free(&back);
}

/* Read in one pass, on one thread and on two. */
static void
onepass(const char *path, const struct trace *t, const Policy *p,
    const struct replayopts *ro, int j)
{
	struct timeline loaded;
	struct vstore lvs;
	struct trace back;
	char err[512], what[128];
	int th;

	for (th = 0; th < 2; th++) {
		setenv("VMAPVIEW_THREADS", th ? "2" : "1", 1);
		if (timeline_load(&back, path, &p, 1, ro, &lvs, &loaded, NULL,
		    err, sizeof err) < 0) {
			tap_ok(0, err);
			continue;
		}
		snprintf(what, sizeof what, "%s: read in one pass%s, the same "
		    "events, results, words and history", p->name,
		    th ? " on two threads" : "");
		tap_equ(differ(t, &loaded, p, ro), 0, what);
		snprintf(what, sizeof what, "%s: read in one pass%s, 20 seeks",
		    p->name, th ? " on two threads" : "");
		tap_equ(seeks(&loaded, t, p, ro, 99 + j, 20), 0, what);
		tap_ok(spaced(&loaded) && back.nev == t->nev &&
		    back.ev == NULL, "and its checkpoints spaced, the header "
		    "alone kept");
		timeline_free(&loaded);
		vstore_free(&lvs);
		trace_free(&back);
	}
	unsetenv("VMAPVIEW_THREADS");
}

/*
 * A trace long enough that a timeline grown from nothing thins its
 * checkpoints: grown, and read from a file with and without a thread,
 * against timeline_open.
 */
static void
growing(void)
{
	struct genopts go = { .seed = 9, .events = 70000, .pokes = 11,
	    .pdes = 4, .fill = 0.6 };
	struct replayopts ro = { .kernel = -1, .pse = -1, .keepgoing = 1 };
	struct trace t;
	char path[] = "/tmp/vmapview-tl-XXXXXX", err[512];
	int j, fd;

	gen_run(gen_find("churn"), &go, &t);
	if ((fd = mkstemp(path)) < 0) {
		tap_ok(0, "gen churn and a file for it");
		return;
	}
	close(fd);
	if (trace_writefile(path, &t, err, sizeof err) < 0) {
		tap_ok(0, err);
		unlink(path);
		return;
	}
	/* as the file gives it back: slots, ids shared by vunmaps */
	trace_free(&t);
	if (trace_load(&t, path, err, sizeof err) < 0) {
		tap_ok(0, err);
		unlink(path);
		return;
	}
	for (j = 0; j < npolicy(); j++) {
		grownone(&t, policyat(j), &ro, j);
		readasview(path, &t, policyat(j), &ro, j);
		onepass(path, &t, policyat(j), &ro, j);
	}
	trace_free(&t);
	unlink(path);
}

/*
 * A history of n values, against the values themselves: each column's
 * lowest and highest are those of the whole buckets its events lie in.
 */
static void
test_hist(size_t n, int w)
{
	struct hist *h;
	uint32_t *v, lo, hi, got;
	size_t i, a, b, per;
	uint64_t x;
	int c, bad;

	h = xcalloc(1, sizeof *h);
	v = xcalloc(n, sizeof *v);
	x = 12345;
	for (i = 0; i < n; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		v[i] = (uint32_t)(x >> 40);
		hist_add(h, v[i]);
	}
	per = h->per;
	bad = 0;
	for (c = 0; c < w; c++) {
		a = (size_t)c * n / w;
		b = (size_t)(c + 1) * n / w;
		if (b <= a)
			b = a + 1;
		if (b > n)
			b = n;
		lo = UINT32_MAX;
		hi = 0;
		for (i = a / per * per; i < n && i < ((b - 1) / per + 1) * per;
		    i++) {
			lo = v[i] < lo ? v[i] : lo;
			hi = v[i] > hi ? v[i] : hi;
		}
		if (hist_column(h, c, w, 0, &got) < 0 || got != lo)
			bad++;
		if (hist_column(h, c, w, 1, &got) < 0 || got != hi)
			bad++;
	}
	tap_ok(bad == 0 && (n <= 2 * HISTN || per > 1) &&
	    n / per <= 2 * HISTN, "a history of values in at most 2*HISTN "
	    "buckets, each column its buckets' lowest and highest");
	free(v);
	free(h);
}

/*
 * A pool packed and unpacked gives its tables back word for word:
 * zeros, a mapping's frames, two mappings and a hole, words that make
 * no runs (kept as they are), two leaked tables, the first before the
 * rest (the pack keeps the others by their index, and a leaked one as
 * nothing but its index's absence); unpacked into a pool with more
 * pages and words of its own, and into an empty one.
 */
static void
test_pack(void)
{
	Ptpool a, b, c;
	Ptpack k;
	uint64_t x;
	int i, j, bad;

	ptinit(&a, 0);
	for (i = 0; i < 6; i++)
		ptalloc(&a);
	x = 99;
	for (j = 0; j < WD2PG; j++) {
		a.pg[1].pte[j] = (0x12345000 + j * BY2PG) | PTEVALID;
		a.pg[2].pte[j] = j < 300 ? (0x40000000 + j * BY2PG) | 3 :
		    j < 700 ? 0 : (0x7000000 + j * BY2PG) | 1;
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		a.pg[3].pte[j] = (uint32_t)(x >> 32) | PTEVALID;
		a.pg[4].pte[j] = j % 2 ? 0 : (0x1000 * j) | PTEVALID;
	}
	ptorphan(&a, 0);
	ptorphan(&a, 5);
	ptpack(&k, &a);
	tap_equ(k.nkept, 4, "a pool packed: the pages not leaked, alone");
	ptinit(&b, 0);
	for (i = 0; i < 9; i++) {
		j = ptalloc(&b);
		memset(b.pg[j].pte, 0xee, WD2PG * 4);
	}
	ptunpack(&b, &k);
	memset(&c, 0, sizeof c);
	ptunpack(&c, &k);
	bad = b.n != a.n || c.n != a.n || b.inuse != a.inuse ||
	    b.leaked != 2 || c.leaked != 2;
	for (i = 0; i < a.n && !bad; i++) {
		bad += b.pg[i].state != a.pg[i].state;
		bad += c.pg[i].state != a.pg[i].state;
		if (a.pg[i].state != Pgtable)
			continue;
		bad += memcmp(a.pg[i].pte, b.pg[i].pte, WD2PG * 4) != 0;
		bad += memcmp(a.pg[i].pte, c.pg[i].pte, WD2PG * 4) != 0;
		bad += a.pg[i].nvalid != b.pg[i].nvalid;
	}
	tap_ok(bad == 0 && k.nw < 5 * WD2PG, "a pool packed (runs, and words "
	    "that make none) and unpacked: the same tables, the same pages "
	    "leaked");
	ptpackfree(&k);
	ptpoolfree(&a);
	ptpoolfree(&b);
	ptpoolfree(&c);
}

/*
 * The store's search against every event's id searched one by one:
 * needles with many hits (one walk) and few (each from its block), none,
 * and one that is a note's text, not an id.
 */
/*
 * A live set packed for a checkpoint and unpacked: the same vmaps in
 * the same order, with addresses that rise, fall and jump, and vmaps
 * far apart, after some have left.
 */
static void
test_livepack(void)
{
	struct liveset ls, back;
	struct event e;
	struct result r;
	uint8_t *buf;
	size_t len, i, n;
	uint32_t x, va;
	int bad;

	live_init(&ls);
	live_init(&back);
	memset(&e, 0, sizeof e);
	memset(&r, 0, sizeof r);
	x = 3;
	n = 0;
	for (i = 0; i < 20000; i++) {
		x = x * 1103515245u + 12345u;
		e.op = OPvmap;
		r.kind = Rok;
		va = (x >> 8) % 5 == 0 ? x : (x % 3 == 0 ? 0xffffe000u - i :
		    0x1000 * (uint32_t)i);
		r.va = va;
		n += 1 + (x >> 26);	/* rising, far apart at times */
		live_step(&ls, n, &e, &r);
	}
	for (i = 0; i < 20000; i += 3) {
		e.op = OPvunmap;
		e.ref = ls.v[i].i < 0 ? ~ls.v[i].i : ls.v[i].i;
		live_step(&ls, 0, &e, &r);
	}
	buf = live_pack(&ls, &len);
	live_unpack(&back, buf, ls.n);
	bad = back.n != ls.n;
	for (i = 0; !bad && i < ls.n; i++)
		bad = back.v[i].i != ls.v[i].i || back.v[i].va != ls.v[i].va;
	tap_ok(!bad && ls.n > 10000 && len < ls.n * sizeof *ls.v,
	    "a live set packed and unpacked: the same, in fewer bytes");
	free(buf);
	live_free(&ls);
	live_free(&back);
}

static void
test_search(const struct trace *t)
{
	static const char *needles[] = { "m1", "m12", "m123", "m9999",
	    "m", "1", "no-such-id", "poke", "boot", "apic", "m1234", "far" };
	struct vstore vs;
	const char *id;
	uint8_t *bits;
	size_t i, nfound;
	int k, bad, want;
	char what[96];

	vstore_fromtrace(&vs, t);
	for (k = 0; k < 24; k++) {
		/* the second time round, the ids searched on two threads */
		vstore_searchsplit = k < 12 ? (size_t)32 << 20 : 64;
		bits = xcalloc(vs.n / 8 + 1, 1);
		vstore_search(&vs, needles[k % 12], bits);
		bad = 0;
		nfound = 0;
		for (i = 0; i < vs.n; i++) {
			id = vstore_id(&vs, i);
			want = id != NULL && strstr(id, needles[k % 12]) != NULL;
			bad += want != (bits[i / 8] >> (i % 8) & 1);
			nfound += want;
		}
		snprintf(what, sizeof what, "%s, search %s%s: %zu events of %zu, "
		    "as each id searched alone", trace_name(t), needles[k % 12],
		    k < 12 ? "" : " (two threads)", nfound, vs.n);
		tap_ok(bad == 0, what);
		free(bits);
	}
	vstore_searchsplit = (size_t)32 << 20;
	vstore_free(&vs);
}

/* A vunmap far from its vmap: 70000 notes between; then a long churn. */
static void
farsearch(void)
{
	struct genopts go = { .seed = 7, .events = 150000, .pokes = 11,
	    .pdes = 4, .fill = 0.6 };
	struct trace t;
	struct event e;
	int i;

	trace_init(&t);
	t.name = "far-unmap";
	memset(&e, 0, sizeof e);
	e.op = OPvmap;
	e.pa = 0x1000;
	e.size = 4096;
	e.id = "far1";
	e.ref = e.slot = -1;
	trace_append(&t, &e);
	e.op = OPnote;
	e.id = NULL;
	e.text = "between";
	for (i = 0; i < 70000; i++)
		trace_append(&t, &e);
	e.op = OPvunmap;
	e.id = "far1";
	e.text = NULL;
	e.ref = 0;
	e.flags = EVBYID;
	trace_append(&t, &e);
	test_search(&t);
	free(t.ev);		/* its strings are not its own */
	/* long enough for blocks, and for vunmaps far from their vmaps */
	gen_run(gen_find("churn"), &go, &t);
	test_search(&t);
	trace_free(&t);
}

/* Generated traces: checkpoints, events, results and seeks. */
static void
generated(const struct replayopts *ro)
{
	struct genopts go = { .seed = 7, .events = 3000, .pokes = 11,
	    .pdes = 4, .fill = 0.6 };
	static const char *gens[] = { "churn", "unmapva", "fragment" };
	struct timeline tl;
	struct vstore vs;
	struct trace t;
	char what[128];
	int g, i, bad;

	for (g = 0; g < 3; g++) {
		gen_run(gen_find(gens[g]), &go, &t);
		vstore_fromtrace(&vs, &t);
		for (i = 0; i < npolicy(); i++) {
			timeline_open(&tl, &vs, &t, policyat(i), ro);
			snprintf(what, sizeof what, "%s, %s: %zu checkpoints "
			    "every %zu events", gens[g], policyat(i)->name,
			    tl.ncp, tl.interval);
			tap_ok(tl.ncp == t.nev / tl.interval + 1, what);
			snprintf(what, sizeof what, "%s, %s: the same events, "
			    "results, words and history as a replay", gens[g],
			    policyat(i)->name);
			tap_equ(differ(&t, &tl, policyat(i), ro), 0, what);
			bad = seeks(&tl, &t, policyat(i), ro, 12345 + i, 60);
			snprintf(what, sizeof what, "%s, %s: 60 seeks, the same "
			    "machine and live mappings as a replay from the "
			    "start", gens[g], policyat(i)->name);
			tap_equ(bad, 0, what);
			timeline_free(&tl);
		}
		vstore_free(&vs);
		trace_free(&t);
	}
}

/* Strings, remarks, times, expectations: traces that have them. */
static void
withstrings(const struct replayopts *ro)
{
	static const char *files[] = { "traces/devtest.yaml",
	    "traces/span-bug.yaml", "tests/kernel/top.yaml" };
	struct timeline tl;
	struct vstore vs;
	struct trace t, whole;
	char what[128], err[512], path[1024];
	int g, i, bad;

	for (g = 0; g < 3; g++) {
		snprintf(path, sizeof path, "%s/%s", getenv("top_srcdir") ?
		    getenv("top_srcdir") : ".", files[g]);
		if (trace_load(&t, path, err, sizeof err) < 0) {
			tap_ok(0, err);
			continue;
		}
		if (g == 0)
			test_search(&t);
		vstore_fromtrace(&vs, &t);
		for (i = 0; i < npolicy(); i++) {
			timeline_open(&tl, &vs, &t, policyat(i), ro);
			snprintf(what, sizeof what, "%s, %s: the same events, "
			    "results, words and history as a replay", files[g],
			    policyat(i)->name);
			tap_equ(differ(&t, &tl, policyat(i), ro), 0, what);
			timeline_free(&tl);
		}
		/* and whole again, as shrink takes it from the view */
		whole = t;
		whole.ev = NULL;
		vstore_totrace(&vs, &whole);
		for (i = bad = 0; (size_t)i < t.nev; i++)
			bad += !sameev(&whole.ev[i], &t.ev[i]) ||
			    (whole.ev[i].ref >= 0 && whole.ev[i].id !=
			    whole.ev[whole.ev[i].ref].id);
		snprintf(what, sizeof what, "%s: whole again, the same "
		    "events", files[g]);
		tap_equ(bad, 0, what);
		whole.file = whole.name = whole.description = NULL;
		trace_free(&whole);
		vstore_free(&vs);
		trace_free(&t);
	}
}

/* A pa past 4G kept whole by the store, and replayed as a replay does. */
static void
widepa(const struct replayopts *ro)
{
	static const uint64_t pas[] = { 0x4000000000ull, 0xfee00000,
	    0xffffffffffff0000ull, 0x100000000ull };
	struct timeline tl;
	struct vstore vs;
	struct event e, back;
	struct trace t;
	size_t i;
	int bad, k;

	trace_init(&t);
	t.name = "wide";
	t.machine.kernel = K9front;
	for (i = 0; i < 4; i++) {
		memset(&e, 0, sizeof e);
		e.op = OPvmap;
		e.pa = pas[i];
		e.size = 8192;
		e.ref = e.slot = -1;
		trace_append(&t, &e);
	}
	vstore_fromtrace(&vs, &t);
	for (bad = 0, i = 0; i < t.nev; i++)
		bad += vstore_event(&vs, i, &back)->pa != t.ev[i].pa;
	tap_equ(bad, 0, "the store keeps a pa past 4G whole");
	for (k = 0; k < Nkernel; k++) {
		t.machine.kernel = k;
		timeline_open(&tl, &vs, &t, policyat(0), ro);
		tap_equ(differ(&t, &tl, policyat(0), ro), 0, k == Klabs ?
		    "labs: pas past 4G, the same results as a replay" :
		    "9front: pas past 4G, the same results as a replay");
		timeline_free(&tl);
	}
	vstore_free(&vs);
	free(t.ev);
}

int
main(void)
{
	struct replayopts ro = { .kernel = -1, .pse = -1, .keepgoing = 1 };

	test_hist(100000, 300);
	test_hist(1500, 700);
	test_pack();
	test_livepack();
	farsearch();
	generated(&ro);
	withstrings(&ro);
	growing();
	widepa(&ro);
	return tap_done();
}
