/*
 * The view's time travel against the plain replay: after random seeks,
 * forward and back across checkpoints, the cursor's machine holds the
 * very words a replay from the start to that event holds.  A timeline
 * that grows as its trace is read (timeline_begin, timeline_add), and
 * one read from a file in one pass (timeline_load, with and without a
 * thread), hold the same results, history and words as timeline_open
 * of the loaded trace.
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

/*
 * nseek seeks of tl, each against a replay of t from the start, and its
 * live mappings against replay_live's search from the first event; bad
 * ones.
 */
static int
seeks(struct timeline *tl, const struct trace *t, const Policy *p,
    const struct replayopts *ro, uint64_t r, int nseek)
{
	struct replay ref;
	size_t n, k, nlive;
	int bad, *live;

	bad = 0;
	for (k = 0; k < (size_t)nseek; k++) {
		r = r * 6364136223846793005ull + 1442695040888963407ull;
		n = (r >> 33) % (t->nev + 1);
		if (k % 3 == 0 && n > 0)
			n = tl->cur.pos > 0 ? tl->cur.pos - 1 : 0;
		timeline_seek(tl, n);
		replay_init(&ref, t, p, ro);
		replay_run(&ref, n);
		if (!mmusame(&tl->cur.m, &ref.m) ||
		    tl->cur.panicked != ref.panicked)
			bad++;
		nlive = replay_live(&tl->full, n, &live);
		if (nlive != tl->live.n || (nlive > 0 &&
		    memcmp(live, tl->live.v, nlive * sizeof *live) != 0))
			bad++;
		free(live);
		replay_free(&ref);
	}
	return bad;
}

/* Events of a and b (results of replays of them) that differ. */
static size_t
differ(const struct trace *ta, const struct timeline *a,
    const struct trace *tb, const struct timeline *b)
{
	const struct event *x, *y;
	const struct result *u, *v;
	size_t i, bad;

	if (ta->nev != tb->nev)
		return (size_t)-1;
	bad = 0;
	for (i = 0; i < ta->nev; i++) {
		x = &ta->ev[i];
		y = &tb->ev[i];
		u = &a->full.r[i];
		v = &b->full.r[i];
		if (x->op != y->op || x->pa != y->pa || x->size != y->size ||
		    x->ref != y->ref || x->line != y->line ||
		    (x->id == NULL) != (y->id == NULL) ||
		    (x->id && strcmp(x->id, y->id) != 0) ||
		    u->kind != v->kind || u->va != v->va || u->exp != v->exp ||
		    (u->panic == NULL) != (v->panic == NULL))
			bad++;
	}
	/* the histories, bucket by bucket */
	for (i = 0; i < Nhist; i++)
		if (memcmp(&a->full.hist[i], &b->full.hist[i],
		    sizeof a->full.hist[i]) != 0)
			bad++;
	return bad;
}

/* Checkpoints where they should be: at most 128, interval apart. */
static int
spaced(const struct timeline *tl)
{
	size_t k;

	if (tl->ncp == 0 || tl->ncp > 128)
		return 0;
	for (k = 0; k < tl->ncp; k++)
		if (tl->cp[k].pos != k * tl->interval)
			return 0;
	return tl->ncp == tl->full.pos / tl->interval + 1;
}

/*
 * A trace long enough that a timeline grown from nothing thins its
 * checkpoints: grown, and read from a file with and without a thread,
 * against timeline_open.
 */
static void
growing(void)
{
	struct genopts go = { .seed = 9, .events = 20000, .pokes = 11,
	    .pdes = 4, .fill = 0.6 };
	struct replayopts ro = { .kernel = -1, .pse = -1, .keepgoing = 1 };
	struct timeline open, grown, loaded;
	struct trace t, grow, back;
	const Policy *p;
	char path[] = "/tmp/vmapview-tl-XXXXXX", err[512], what[128];
	size_t i;
	int j, fd, th;

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
		p = policyat(j);
		timeline_open(&open, &t, p, &ro);

		/* grown event by event, not knowing how many will come */
		trace_init(&grow);
		grow.machine = t.machine;
		timeline_begin(&grown, &grow, p, &ro, 0);
		for (i = 0; i < t.nev; i++) {
			trace_append(&grow, &t.ev[i]);
			timeline_add(&grown);
		}
		timeline_end(&grown);
		snprintf(what, sizeof what, "%s: grown from nothing, %zu "
		    "checkpoints every %zu events", p->name, grown.ncp,
		    grown.interval);
		tap_ok(grown.interval > 64 && spaced(&grown), what);
		snprintf(what, sizeof what, "%s: grown, the same results and "
		    "history as opened", p->name);
		tap_equ(differ(&t, &open, &grow, &grown), 0, what);
		snprintf(what, sizeof what, "%s: grown, 20 seeks", p->name);
		tap_equ(seeks(&grown, &t, p, &ro, 777 + j, 20), 0, what);
		timeline_free(&grown);
		free(grow.ev);		/* the events are t's */

		for (th = 0; th < 2; th++) {
			setenv("VMAPVIEW_THREADS", th ? "2" : "1", 1);
			if (timeline_load(&back, path, &p, 1, &ro, &loaded, err,
			    sizeof err) < 0) {
				tap_ok(0, err);
				continue;
			}
			snprintf(what, sizeof what, "%s: read in one pass%s, "
			    "the same events, results and history", p->name,
			    th ? " on two threads" : "");
			tap_equ(differ(&t, &open, &back, &loaded), 0, what);
			snprintf(what, sizeof what, "%s: read in one pass%s, "
			    "20 seeks", p->name, th ? " on two threads" : "");
			tap_equ(seeks(&loaded, &back, p, &ro, 99 + j, 20), 0,
			    what);
			tap_ok(spaced(&loaded), "and its checkpoints spaced");
			timeline_free(&loaded);
			trace_free(&back);
		}
		timeline_free(&open);
	}
	unsetenv("VMAPVIEW_THREADS");
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

int
main(void)
{
	struct genopts go = { .seed = 7, .events = 3000, .pokes = 11,
	    .pdes = 4, .fill = 0.6 };
	struct replayopts ro = { .kernel = -1, .pse = -1, .keepgoing = 1 };
	static const char *gens[] = { "churn", "unmapva", "fragment" };
	struct timeline tl;
	struct trace t;
	char what[128];
	int g, i, bad;

	test_hist(100000, 300);
	test_hist(1500, 700);
	for (g = 0; g < 3; g++) {
		gen_run(gen_find(gens[g]), &go, &t);
		for (i = 0; i < npolicy(); i++) {
			timeline_open(&tl, &t, policyat(i), &ro);
			snprintf(what, sizeof what, "%s, %s: %zu checkpoints "
			    "every %zu events", gens[g], policyat(i)->name,
			    tl.ncp, tl.interval);
			tap_ok(tl.ncp == t.nev / tl.interval + 1, what);
			bad = seeks(&tl, &t, policyat(i), &ro, 12345 + i, 60);
			snprintf(what, sizeof what, "%s, %s: 60 seeks, the same "
			    "words and live mappings as a replay from the start",
			    gens[g], policyat(i)->name);
			tap_equ(bad, 0, what);
			timeline_free(&tl);
		}
		trace_free(&t);
	}
	growing();
	return tap_done();
}
