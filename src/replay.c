/*
 * The replay engine: runs a trace's events in order on a modeled machine
 * and records what each gave.  vunmap by id uses the address its vmap
 * returned and the size that vmap was given (or the event's own size),
 * and is skipped when that vmap did not succeed.  A panic halts the
 * modeled kernel: later events are not run, unless asked to keep going,
 * when they run on the state the panic left.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idtab.h"
#include "replay.h"
#include "vamap.h"
#include "xmalloc.h"

const char *const resultnames[Nresult] = {
	"not-run", "ok", "fail", "refused", "skipped", "panic", "crash",
	"hang"
};

static void	 keepfirst(struct replay *, struct first *,
		     const struct event *, const struct result *);
static uint8_t	 checkexpect(const struct expect *, const struct result *);
static void	 extremes(struct replay *, int);

/*
 * Prepare a replay of t under p, with the trace's machine as o
 * overrides it.
 */
void
replay_init(struct replay *rp, const struct trace *t, const Policy *p,
    const struct replayopts *o)
{
	const struct machine *mc;
	Mmuconf conf;
	int kernel, pse;

	memset(rp, 0, sizeof *rp);
	mc = &t->machine;
	kernel = o && o->kernel >= 0 ? o->kernel : mc->kernel;
	pse = o && o->pse >= 0 ? o->pse : mc->pse;
	conf = (Mmuconf){ .policy = p, .kernel = kernel, .pse = pse,
	    .vmap = mc->vmap, .vmapsize = mc->vmapsize,
	    .ptpages = mc->ptpages, .slow = o ? o->slow : 0 };
	mmuinit(&rp->m, &conf);
	if (kernel != mc->kernel)
		snprintf(rp->override, sizeof rp->override, "--kernel %s",
		    kernelnames[kernel]);
	if (pse != mc->pse)
		snprintf(rp->override + strlen(rp->override),
		    sizeof rp->override - strlen(rp->override), "%s--pse %s",
		    rp->override[0] ? " " : "", pse ? "on" : "off");
	rp->t = t;
	rp->pidx = policyindex(p);
	rp->keepgoing = o ? o->keepgoing : 0;
	rp->measure = o ? o->measure : 0;
	rp->firstsonly = o ? o->firstsonly : 0;
	if (o != NULL && o->console != NULL) {
		rp->console = o->console;
		rp->m.print = replay_consoleprint;
		rp->m.printarg = rp;
	}
	if ((o == NULL || !o->stream) && t->nev > 0) {
		rp->r = xcalloc(t->nev, sizeof *rp->r);
		rp->cap = t->nev;
	}
	if (rp->measure && o->history)
		rp->hist = xcalloc(Nhist, sizeof *rp->hist);
	if (rp->measure)
		extremes(rp, 1);
}

/*
 * Measure the state into s, with every policy's largest vmap.  The
 * model keeps per-table summaries, so this is cheap after each event.
 * A measure reads the machine: what it writes are the model's caches
 * (the summaries and the tree of PDEs, brought up to date), so a
 * replay that is not to change may be measured; the one cast is here.
 */
void
replay_measure(const struct replay *rp, Stats *s)
{
	Mmu *m;
	int i;

	m = (Mmu *)&rp->m;
	mmustats(m, s);
	for (i = 0; i < npolicy(); i++)
		s->largest[i] = largestvmap(m, policyat(i));
}

/*
 * Measure the state the events so far left and keep the extremes: the
 * lowest largest vmap of this replay's policy, the most stale tables.
 * The first of equal values is kept.  Without largest, the largest vmap
 * is known not to have gone down: it is not measured, and now.largest
 * is left as it was.  Without a history, now.largest need only be
 * exact below the lowest so far (largestvmap_floor).
 */
static void
extremes(struct replay *rp, int largest)
{
	Stats *s;

	/* only what the extremes need: the rest is measured on demand */
	s = &rp->now;
	leancount(&rp->m, &s->pde[Pstale], &s->free);
	if (largest)
		s->largest[rp->pidx] = largestvmap_floor(&rp->m,
		    policyat(rp->pidx), rp->pos == 0 || rp->hist != NULL ? 0 :
		    rp->minlargest);
	if (rp->pos == 0 || s->largest[rp->pidx] < rp->minlargest) {
		rp->minlargest = s->largest[rp->pidx];
		rp->minlargestat = rp->pos;
	}
	if (rp->pos == 0 || s->pde[Pstale] > rp->maxstale) {
		rp->maxstale = s->pde[Pstale];
		rp->maxstaleat = rp->pos;
	}
	if (rp->hist != NULL) {
		hist_add(&rp->hist[Hlargest], s->largest[rp->pidx]);
		hist_add(&rp->hist[Hstale], s->pde[Pstale]);
		hist_add(&rp->hist[Hfree], s->free);
	}
}

/*
 * Make room for results of n events (and their history, if kept), for
 * a trace that grows while it is replayed.
 */
void
replay_reserve(struct replay *rp, size_t n)
{
	size_t old;

	old = rp->cap;
	xgrow(&rp->r, &rp->cap, n, sizeof *rp->r);
	if (rp->cap > old)
		memset(rp->r + old, 0, (rp->cap - old) * sizeof *rp->r);
}

/* Free the replay's results and machine. */
void
replay_free(struct replay *rp)
{
	size_t i;

	/* every result it has room for: the trace may have shrunk since */
	if (rp->r != NULL)
		for (i = 0; i < rp->cap; i++)
			replay_clear(&rp->r[i]);
	free(rp->r);
	free(rp->hist);
	mmufree(&rp->m);
	memset(rp, 0, sizeof *rp);
}

/* A note: no effect. */
static int
op_note(struct replay *rp, const struct event *e, struct result *res,
    const struct result *made, uint32_t srcsize)
{
	(void)rp;
	(void)e;
	(void)made;
	(void)srcsize;
	res->step = RSnote;
	return Rok;
}

/*
 * The result of a call that did not return: a panic, or a kernel
 * file's code that crashed or hung.
 */
static int
stopkind(const Mmu *m)
{
	return m->panic.kind == PNcrash ? Rcrash : m->panic.kind == PNhang ?
	    Rhang : Rpanic;
}

/* A vmap: the kernel's answer, and the address it gave. */
static int
op_vmap(struct replay *rp, const struct event *e, struct result *res,
    const struct result *made, uint32_t srcsize)
{
	uint32_t va;
	int rv;

	(void)made;
	(void)srcsize;
	va = 0;
	rv = vmap(&rp->m, e->pa, (int32_t)e->size, &va);
	res->step = rp->m.why.code;
	switch (rv) {
	case Vok:
		res->va = va;
		return Rok;
	case Vfail:
		return Rfail;
	case Vrefused:
		return Rrefused;
	default:
		return stopkind(&rp->m);
	}
}

/*
 * A vunmap: by id, of the address its vmap made (made) with the size
 * that vmap was given (srcsize) or its own; skipped when that vmap did
 * not succeed.  Else of its raw va and size.
 */
static int
op_vunmap(struct replay *rp, const struct event *e, struct result *res,
    const struct result *made, uint32_t srcsize)
{
	uint32_t va;
	int32_t size;
	int rv;

	if (made != NULL) {
		if (made->kind != Rok) {
			res->step = RSskipped;
			return Rskipped;
		}
		va = made->va;
		size = (e->flags & EVSIZE) ? e->size : srcsize;
	} else {
		va = e->va;
		size = e->size;
	}
	res->va = va;
	res->size = size;
	rv = vunmap(&rp->m, va, size);
	res->step = rp->m.why.code;
	return rv < 0 ? stopkind(&rp->m) : Rok;
}

/* What each op does to the machine: the result's kind. */
static int (*const ops[Nop])(struct replay *, const struct event *,
    struct result *, const struct result *, uint32_t) = {
	[OPvmap] = op_vmap,
	[OPvunmap] = op_vunmap,
	[OPnote] = op_note,
};

/*
 * Run one event on the machine; fills res.  For a vunmap by id, made is
 * what its vmap gave and srcsize what that vmap was given.  Returns the
 * result's kind.
 */
int
replay_runevent(struct replay *rp, const struct event *e, struct result *res,
    const struct result *made, uint32_t srcsize)
{
	return ops[e->op](rp, e, res, made, srcsize);
}

/* How expectation x fares against result r. */
static uint8_t
checkexpect(const struct expect *x, const struct result *r)
{
	static const uint8_t want[] = {
		[Xok] = Rok, [Xfail] = Rfail, [Xrefused] = Rrefused,
		[Xskipped] = Rskipped, [Xpanic] = Rpanic, [Xaddr] = Rok
	};

	if (x->kind == Xnone)
		return Enone;
	if (r->kind == Rnotrun)
		return Eunchecked;
	if (r->kind != want[x->kind])
		return Efailed;
	if (x->kind == Xaddr && r->va != x->addr)
		return Efailed;
	return Eheld;
}

/*
 * Whether a result may have changed the machine: a failed, refused or
 * skipped event leaves it as it was (vmapalloc's search writes nothing),
 * and so do events not run.
 */
static int
changes(int kind)
{
	return kind == Rok || RSTOPS(kind);
}

/*
 * Whether the largest vmap under m's policy never goes down when
 * mappings go.  An unmap only clears PTEs and PDEs: holes in tables
 * grow, runs of blank PDEs grow, and page tables are only given back
 * (reclaim), which leaves a blank PDE that serves every size an empty
 * table did, with a page of the budget to spare for it.  A size that
 * plan9's vmapalloc (plan9, reclaim) placed and mapped, it still does.
 * So does span-fixed's without a budget of page tables; with one, a new
 * run of blank PDEs can take a size its run over tables served, and
 * then want tables the budget lacks.  span's run over tables may start
 * at the wrong address, which a new blank PDE can bring about.  Where
 * it cannot go down, the lowest largest vmap is never after a vunmap
 * and a summary need not measure there (tests/test_fast.c holds it to a
 * replay measured after every event).
 */
static int
growsonunmap(const Mmu *m)
{
	return m->policy->unmapfall == Fallnever ||
	    (m->policy->unmapfall == Fallbudget && m->pt.budget == 0);
}

/*
 * Run event e, the next one, and account for it: counts, expectation,
 * measures.  made and srcsize are for a vunmap by id (see runevent), nil
 * and 0 otherwise.  Fills *res; its panic is the caller's to free.
 */
void
replay_feed(struct replay *rp, const struct event *e,
    const struct result *made, uint32_t srcsize, struct result *res)
{
	static const struct expect none;
	const struct expect *x;

	/* on a machine other than the trace's, as if none were written */
	x = rp->override[0] ? &none : &e->expect[rp->pidx];
	rp->pos++;
	memset(res, 0, sizeof *res);
	if (rp->panicked && (!rp->keepgoing || rp->dead))
		res->kind = Rnotrun;
	else {
		rp->m.panicked = 0;
		/*
		 * Where only the firsts are read (replay --summary), a
		 * failure after the first, with no expectation that may fail
		 * first, need not be explained.
		 */
		rp->m.skipwhy = rp->firstsonly && rp->firstfail.seq != 0 &&
		    (x->kind == Xnone || rp->firstexp.seq != 0);
		res->kind = replay_runevent(rp, e, res, made, srcsize);
	}
	if (RSTOPS(res->kind)) {
		rp->panicked = 1;
		rp->dead |= RDEAD(res->kind);
		res->panic = xmalloc(sizeof *res->panic);
		*res->panic = rp->m.panic;
		if (x->kind != Xpanic && rp->unexpectedpanics++ == 0) {
			rp->unexpectedat = rp->pos;
			rp->unexpectedkind = res->kind;
		}
	}
	if (res->kind == Rfail || res->kind == Rrefused || RSTOPS(res->kind)) {
		res->why = xmalloc(sizeof *res->why);
		*res->why = rp->m.why;
	}
	res->exp = checkexpect(x, res);
	if (rp->override[0] && e->expect[rp->pidx].kind != Xnone)
		res->exp = Eunchecked;
	if (res->kind == Rfail && rp->firstfail.seq == 0)
		keepfirst(rp, &rp->firstfail, e, res);
	if (RSTOPS(res->kind) && rp->firstpanic.seq == 0)
		keepfirst(rp, &rp->firstpanic, e, res);
	if (res->exp == Efailed && rp->firstexp.seq == 0)
		keepfirst(rp, &rp->firstexp, e, res);
	if (res->exp == Eheld)
		rp->expheld++;
	else if (res->exp == Efailed)
		rp->expfailed++;
	else if (res->exp == Eunchecked)
		rp->expunchecked++;
	rp->count[res->kind]++;
	if (rp->console != NULL)
		replay_consoleafter(rp, e, res);
	if (rp->measure && e->op != OPnote && changes(res->kind))
		extremes(rp, rp->hist != NULL || e->op != OPvunmap ||
		    !growsonunmap(&rp->m));
	else if (rp->hist != NULL) {
		/* nothing changed: the last values again */
		hist_add(&rp->hist[Hlargest], rp->now.largest[rp->pidx]);
		hist_add(&rp->hist[Hstale], rp->now.pde[Pstale]);
		hist_add(&rp->hist[Hfree], rp->now.free);
	}
}

/*
 * Run the next event of the loaded trace.  Returns 1 when there was one
 * to run, 0 at the end of the trace.
 */
int
replay_step(struct replay *rp)
{
	const struct event *e;
	const struct result *made;
	uint32_t srcsize;

	if (rp->pos >= rp->t->nev)
		return 0;
	e = &rp->t->ev[rp->pos];
	made = NULL;
	srcsize = 0;
	if (e->ref >= 0) {
		made = &rp->r[e->ref];
		srcsize = rp->t->ev[e->ref].size;
	}
	if (rp->rerun) {
		replay_rerun(rp, e, made, srcsize);
		return 1;
	}
	replay_feed(rp, e, made, srcsize, &rp->r[rp->pos]);
	return 1;
}

/*
 * Run event e, the next one, for the machine's state alone: its result
 * is known.  made and srcsize as for replay_feed.
 */
void
replay_rerun(struct replay *rp, const struct event *e,
    const struct result *made, uint32_t srcsize)
{
	struct result scratch;

	rp->pos++;
	if (rp->panicked && (!rp->keepgoing || rp->dead))
		return;
	rp->m.panicked = 0;
	memset(&scratch, 0, sizeof scratch);
	if (RSTOPS(replay_runevent(rp, e, &scratch, made, srcsize))) {
		rp->panicked = 1;
		rp->dead |= RDEAD(scratch.kind);
	}
}

/* Run events until n have run (or the trace ends). */
void
replay_run(struct replay *rp, size_t n)
{
	while (rp->pos < n && replay_step(rp) > 0)
		;
}

/* Exit status per spec section 5: 0, or 1 on a failed expectation or panic. */
int
replay_status(const struct replay *rp)
{
	return rp->expfailed > 0 || rp->unexpectedpanics > 0;
}

/*
 * Make this replay's results the expectations of its policy in t, the
 * trace it replayed; events that did not run keep theirs.  Expectations
 * are for the trace's own machine: on another (--kernel, --pse), t
 * gets that machine, and the other policies' expectations, which were
 * for the old one, go.  Returns 1 when they went, else 0.
 */
int
replay_record(const struct replay *rp, struct trace *t)
{
	static const uint8_t kinds[Nresult] = {
		[Rok] = Xok, [Rfail] = Xfail, [Rrefused] = Xrefused,
		[Rskipped] = Xskipped, [Rpanic] = Xpanic
	};
	struct expect *x;
	size_t i;
	int j;

	if (rp->override[0] != '\0') {
		t->machine.kernel = rp->m.kernel;
		t->machine.pse = rp->m.pse;
		for (i = 0; i < t->nev; i++)
			for (j = 0; j < MAXPOLICY; j++)
				if (j != rp->pidx)
					t->ev[i].expect[j].kind = Xnone;
	}
	for (i = 0; i < t->nev; i++) {
		if (t->ev[i].op == OPnote || rp->r[i].kind == Rnotrun)
			continue;
		x = &t->ev[i].expect[rp->pidx];
		x->kind = kinds[rp->r[i].kind];
		x->addr = 0;
		if (t->ev[i].op == OPvmap && rp->r[i].kind == Rok) {
			x->kind = Xaddr;
			x->addr = rp->r[i].va;
		}
	}
	return rp->override[0] != '\0';
}

/*
 * Keep the first of a kind: the event, its id, and why (with, for an
 * expectation that failed, what was expected).
 */
static void
keepfirst(struct replay *rp, struct first *f, const struct event *e,
    const struct result *r)
{
	const char *x;
	char xb[16];
	size_t n;

	f->seq = rp->pos;
	snprintf(f->id, sizeof f->id, "%s", e->id ? e->id : "-");
	if (f != &rp->firstexp) {
		replay_why(f->why, sizeof f->why, rp, e, r, rp->pos - 1);
		return;
	}
	/* what came: the address where there is one, then why */
	x = trace_expectstr(xb, sizeof xb, &e->expect[rp->pidx]);
	if (r->kind == Rok && e->op == OPvmap)
		n = snprintf(f->why, sizeof f->why, "expected %s, got 0x%.8x (",
		    x, r->va);
	else
		n = snprintf(f->why, sizeof f->why, "expected %s, got %s (", x,
		    resultnames[r->kind]);
	if (n >= sizeof f->why - 2)
		return;
	replay_why(f->why + n, sizeof f->why - n - 1, rp, e, r, rp->pos - 1);
	n = strlen(f->why);
	snprintf(f->why + n, sizeof f->why - n, ")");
}

/*
 * Why the expectations were not checked, in words, or nil when they
 * were.  Returns a static buffer.
 */
const char *
replay_unchecked(const struct replay *rp)
{
	static char buf[96];

	if (rp->override[0] == '\0')
		return NULL;
	snprintf(buf, sizeof buf, "the trace's machine was overridden (%s)",
	    rp->override);
	return buf;
}

/*
 * The bytes a successful vmap event i holds: its size, grown by the
 * address's offset in its page and rounded to pages, as vmap does.
 */
uint32_t
replay_mapsize(const struct replay *rp, int i)
{
	uint32_t o;

	o = rp->r[i].va & (BY2PG - 1);
	return ROUND(rp->t->ev[i].size + o, BY2PG);
}

/*
 * The mappings live after the first upto events (at most those run so
 * far): vmaps that returned an address and that no vunmap has since
 * removed, by id or by the very address vmap returned.  Sets *live to
 * their event indices in trace order (caller frees) and returns how
 * many.
 */
size_t
replay_live(const struct replay *rp, size_t upto, int **live)
{
	const struct event *e;
	struct vamap byva;
	struct vaent *ve;
	uint8_t *gone;
	size_t i, j, n;
	long k, *next;
	int *v;

	*live = NULL;
	if (upto > rp->pos)
		upto = rp->pos;
	if (upto == 0)
		return 0;
	gone = xcalloc(upto, 1);
	v = xcalloc(upto, sizeof *v);
	/* the vmaps by the address they returned, first made first */
	next = xcalloc(upto, sizeof *next);
	memset(&byva, 0, sizeof byva);
	n = 0;
	for (i = 0; i < upto; i++) {
		e = &rp->t->ev[i];
		if (e->op == OPvmap && rp->r[i].kind == Rok) {
			v[n++] = i;
			next[i] = -1;
			ve = vamap_add(&byva, rp->r[i].va);
			if (ve->b >= 0)
				next[ve->b] = i;
			else
				ve->a = i;
			ve->b = i;
		}
		if (e->op != OPvunmap || (rp->r[i].kind != Rok &&
		    !RSTOPS(rp->r[i].kind)))
			continue;
		if (e->ref >= 0) {
			gone[e->ref] = 1;
			continue;
		}
		/* the first of that address not gone (by id) yet */
		if ((ve = vamap_find(&byva, e->va)) == NULL)
			continue;
		for (k = ve->a; k >= 0 && gone[k]; k = next[k])
			;
		if (k >= 0) {
			gone[k] = 1;
			k = next[k];
		}
		if ((ve->a = k) < 0)
			vamap_delete(&byva, ve);
	}
	for (i = j = 0; i < n; i++)
		if (!gone[v[i]])
			v[j++] = v[i];
	free(gone);
	free(next);
	vamap_free(&byva);
	*live = v;
	return j;
}

const char *const divnames[Ndiv] = {
	"address", "result", "panic", "halted"
};

/* How results ra and rb of event e differ, or -1 when they do not. */
int
replay_divkind(const struct event *e, const struct result *ra,
    const struct result *rb)
{
	if (!replay_differ(e, ra, rb))
		return -1;
	if (ra->kind == Rnotrun || rb->kind == Rnotrun)
		return Dhalted;
	if (RSTOPS(ra->kind) || RSTOPS(rb->kind))
		return Dpanic;
	if (ra->kind != rb->kind)
		return Dresult;
	return Daddress;
}

/* Whether two results of the same event e differ. */
int
replay_differ(const struct event *e, const struct result *a,
    const struct result *b)
{
	if (a->kind != b->kind)
		return 1;
	return e->op == OPvmap && a->kind == Rok && a->va != b->va;
}

/*
 * A result of an op as a column shows it: a vmap's address (in buf),
 * else the result's name.
 */
const char *
replay_cell(char *buf, size_t len, int op, int kind, uint32_t va)
{
	if (op == OPvmap && kind == Rok) {
		snprintf(buf, len, "0x%.8x", va);
		return buf;
	}
	return resultnames[kind];
}

/* The bytes vunmap result r removed: its size, grown and rounded. */
uint32_t
replay_unmapsize(const struct result *r)
{
	return ROUND(r->size + (r->va & (BY2PG - 1)), BY2PG);
}

/*
 * The vmap event whose mapping, live after the first upto events,
 * covers va; or -1.
 */
long
replay_owner(const struct replay *rp, size_t upto, uint32_t va)
{
	uint32_t base;
	size_t i, n;
	int *live;
	long k;

	n = replay_live(rp, upto, &live);
	k = -1;
	for (i = 0; i < n && k < 0; i++) {
		base = rp->r[live[i]].va & ~(BY2PG - 1);
		if (va >= base && va - base < replay_mapsize(rp, live[i]))
			k = live[i];
	}
	free(live);
	return k;
}

/* Add the next value to history h; two buckets merge when they run out. */
void
hist_add(struct hist *h, uint32_t v)
{
	size_t k, i;

	if (h->per == 0)
		h->per = 1;
	k = h->n / h->per;
	if (k == 2 * HISTN) {
		for (i = 0; i < HISTN; i++) {
			h->lo[i] = h->lo[2 * i] < h->lo[2 * i + 1] ?
			    h->lo[2 * i] : h->lo[2 * i + 1];
			h->hi[i] = h->hi[2 * i] > h->hi[2 * i + 1] ?
			    h->hi[2 * i] : h->hi[2 * i + 1];
		}
		h->per *= 2;
		k = h->n / h->per;
	}
	if (h->n % h->per == 0)
		h->lo[k] = h->hi[k] = v;
	else {
		if (v < h->lo[k])
			h->lo[k] = v;
		if (v > h->hi[k])
			h->hi[k] = v;
	}
	h->n++;
}

/*
 * Events a..b-1 of history h: the lowest value among them (with hi, the
 * highest), in *out; where h has merged events into buckets, of the
 * buckets that hold them.  Returns 0, or -1 if no event is in range.
 */
int
hist_range(const struct hist *h, size_t a, size_t b, int hi, uint32_t *out)
{
	size_t k;
	uint32_t best;

	if (b > h->n)
		b = h->n;
	if (a >= b)
		return -1;
	best = hi ? 0 : UINT32_MAX;
	for (k = a / h->per; k <= (b - 1) / h->per; k++) {
		if (hi && h->hi[k] > best)
			best = h->hi[k];
		if (!hi && h->lo[k] < best)
			best = h->lo[k];
	}
	*out = best;
	return 0;
}

/*
 * Column c of w of history h: hist_range of the events it covers, at
 * least one.  Returns 0, or -1 past the end.
 */
int
hist_column(const struct hist *h, int c, int w, int hi, uint32_t *out)
{
	size_t a, b;

	a = (size_t)c * h->n / w;
	b = (size_t)(c + 1) * h->n / w;
	if (b <= a)
		b = a + 1;
	return hist_range(h, a, b, hi, out);
}
