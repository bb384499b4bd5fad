/*
 * Time travel for the view.  The trace is replayed once in full, each
 * result kept in six bytes (its kind, expectation and step; its
 * address), the reasons of fails, refusals and panics and the panics'
 * own words in tables beside; every interval events the machine,
 * packed (its page tables as runs of frames), and its live mappings
 * are copied into a checkpoint.  Seeking to event n
 * copies the last checkpoint at or before n and runs the few events
 * after it again, results already known, so stepping back costs what
 * stepping forward does, at any event.  The interval doubles as the
 * trace grows, so that there are at most MAXCP checkpoints, and, but
 * for the first MINCP, they hold at most a budget that grows with the
 * events (cpbudget): a seek in a long trace runs as few events as in a
 * short one; the trace may grow while it is replayed (timeline_add).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "relay.h"
#include "text.h"
#include "timeline.h"
#include "xmalloc.h"

#define MAXCP		16384
#define MINCP		128	/* kept unless they hold twice the budget */
#define CPMINBYTES	(4u << 20)	/* the budget, at least */
#define CPEVENTBYTES	2	/* the budget, for each event run */
#define FEWCP		16	/* kept whatever they hold */
#define MININTERVAL	64
#define NEAR		16	/* finer checkpoints, made as the cursor goes */
#define MAXLOAD		2	/* timelines loaded at once */

static int	owner(const void *, size_t, uint32_t, size_t *, const char **);
static void	nearfree(struct timeline *);

/* The bytes checkpoint c holds. */
static size_t
cpsize(const struct checkpoint *c)
{
	return sizeof *c + mmupackbytes(&c->m) + c->livelen;
}

/*
 * The bytes the checkpoints may hold: a few for each event run so far,
 * so that a long trace's are near enough together for a seek to run
 * few events, while a short one's cost little.
 */
static size_t
cpbudget(const struct timeline *tl)
{
	size_t b;

	b = CPEVENTBYTES * tl->full.pos;
	return b > CPMINBYTES ? b : CPMINBYTES;
}

/* Copy the machine as it is now into a new checkpoint. */
static void
checkpoint(struct timeline *tl)
{
	struct checkpoint *c;
	size_t i;

	if (tl->ncp == MAXCP || (tl->ncp > MINCP && tl->cpbytes >
	    cpbudget(tl)) || (tl->ncp > FEWCP && tl->cpbytes > 2 *
	    cpbudget(tl))) {
		/* keep every other one, twice as far apart */
		for (i = 1; i < tl->ncp; i += 2) {
			tl->cpbytes -= cpsize(&tl->cp[i]);
			mmupackfree(&tl->cp[i].m);
			free(tl->cp[i].live);
		}
		for (i = 2; i < tl->ncp; i += 2)
			tl->cp[i / 2] = tl->cp[i];
		tl->ncp = (tl->ncp + 1) / 2;
		tl->interval *= 2;
		if (tl->full.pos % tl->interval != 0)
			return;
	}
	c = &tl->cp[tl->ncp];
	mmupack(&c->m, &tl->full.m);
	c->pos = tl->full.pos;
	c->panicked = tl->full.panicked;
	c->live = live_pack(&tl->flive, &c->livelen);
	c->nlive = tl->flive.n;
	tl->cpbytes += cpsize(c);
	tl->ncp++;
}

/* The self-references of a timeline that has moved in memory. */
void
timeline_moved(struct timeline *tl)
{
	tl->full.ownerarg = tl;
	tl->cur.ownerarg = tl;
}

/*
 * Start a timeline of the events of vs under p, on t's machine (t holds
 * the header); its events, already there or added later, are run by
 * timeline_add, and timeline_end makes it ready to seek.  expect is how
 * many events there will be, roughly, or 0: the interval starts where
 * it need not grow.
 */
void
timeline_begin(struct timeline *tl, const struct vstore *vs,
    const struct trace *t, const Policy *p, const struct replayopts *o,
    size_t expect)
{
	struct replayopts ro;

	memset(tl, 0, sizeof *tl);
	tl->vs = vs;
	ro = *o;
	ro.measure = 1;
	ro.history = 1;
	ro.stream = 1;
	tl->interval = expect / MAXCP + 1;
	if (tl->interval < MININTERVAL)
		tl->interval = MININTERVAL;
	tl->cp = xcalloc(MAXCP, sizeof *tl->cp);
	replay_init(&tl->full, t, p, &ro);
	tl->full.owner = owner;
	timeline_moved(tl);
	checkpoint(tl);
}

/*
 * The result of event i, whole, in *out: its reason and panic point
 * into tl, to be read, not freed.  Returns out.
 */
const struct result *
timeline_result(const struct timeline *tl, size_t i, struct result *out)
{
	const struct vev *v;
	size_t k;
	int kx;

	memset(out, 0, sizeof *out);
	kx = tl->kx[i];
	out->kind = kx & 0xf;
	out->exp = (kx >> 4) & 0xf;
	out->step = kx >> 8;
	out->va = tl->va[i];
	v = &tl->vs->ev[i];
	if (v->op == OPvunmap && out->kind != Rskipped &&
	    out->kind != Rnotrun)
		out->size = vstore_size(tl->vs, i);
	if (out->kind == Rfail || out->kind == Rrefused ||
	    RSTOPS(out->kind)) {
		k = vstore_first(tl->why, tl->nwhy, sizeof *tl->why, i);
		if (k < tl->nwhy && tl->why[k].i == i)
			out->why = &tl->reasons[tl->why[k].r];
	}
	if (RSTOPS(out->kind)) {
		k = vstore_first(tl->pan, tl->npan, sizeof *tl->pan, i);
		if (k < tl->npan && tl->pan[k].i == i)
			out->panic = &tl->pan[k].p;
	}
	return out;
}

/* Event i of tl's store in *e, and, for a vunmap by id, its vmap's. */
static void
eventat(const struct timeline *tl, size_t i, struct event *e,
    struct result *made, const struct result **madep, uint32_t *srcsize)
{
	vstore_event(tl->vs, i, e);
	*madep = NULL;
	*srcsize = 0;
	if (e->ref >= 0) {
		*madep = timeline_result(tl, e->ref, made);
		*srcsize = tl->vs->ev[e->ref].size;
	}
}

/* Whether two reasons say the same. */
static int
samewhy(const Reason *a, const Reason *b)
{
	return a->code == b->code && memcmp(a->n, b->n, sizeof a->n) == 0;
}

/*
 * Event i's reason: the last one kept again when it is the same (a
 * failure that repeats while the machine stands still), else a new one.
 */
static void
keepwhy(struct timeline *tl, size_t i, const Reason *why)
{
	if (tl->nreason == 0 || !samewhy(&tl->reasons[tl->nreason - 1], why)) {
		xgrow(&tl->reasons, &tl->reasoncap, tl->nreason + 1,
		    sizeof *tl->reasons);
		tl->reasons[tl->nreason++] = *why;
	}
	xgrow(&tl->why, &tl->whycap, tl->nwhy + 1, sizeof *tl->why);
	tl->why[tl->nwhy].i = i;
	tl->why[tl->nwhy++].r = tl->nreason - 1;
}

/*
 * Run the store's next event, keeping its result, and a checkpoint
 * every interval events; when there would be more than MAXCP, every
 * other one goes and the interval doubles.
 */
void
timeline_add(struct timeline *tl)
{
	const struct result *made;
	struct result mr, res;
	struct event e;
	uint32_t srcsize;
	size_t i;

	i = tl->full.pos;
	if (i >= tl->vs->n)
		return;
	eventat(tl, i, &e, &mr, &made, &srcsize);
	if (i >= tl->cap) {
		xgrow(&tl->kx, &tl->cap, i + 1, sizeof *tl->kx);
		tl->va = xreallocarray(tl->va, tl->cap, sizeof *tl->va);
	}
	tl->feeding = 1;
	replay_feed(&tl->full, &e, made, srcsize, &res);
	tl->feeding = 0;
	tl->kx[i] = res.kind | res.exp << 4 | res.step << 8;
	tl->va[i] = res.va;
	if (res.why != NULL)
		keepwhy(tl, i, res.why);
	if (res.panic != NULL) {
		xgrow(&tl->pan, &tl->pancap, tl->npan + 1, sizeof *tl->pan);
		tl->pan[tl->npan].i = i;
		tl->pan[tl->npan++].p = *res.panic;
	}
	live_step(&tl->flive, i, &e, &res);
	replay_clear(&res);
	if (tl->full.pos % tl->interval == 0)
		checkpoint(tl);
}

/* Every event has been added: the tables trimmed, the cursor made. */
void
timeline_end(struct timeline *tl)
{
	if (tl->full.pos > 0 && tl->full.pos < tl->cap) {
		tl->cap = tl->full.pos;
		tl->kx = xreallocarray(tl->kx, tl->cap, sizeof *tl->kx);
		tl->va = xreallocarray(tl->va, tl->cap, sizeof *tl->va);
	}
	if (tl->nreason > 0) {
		tl->reasoncap = tl->nreason;
		tl->reasons = xreallocarray(tl->reasons, tl->nreason,
		    sizeof *tl->reasons);
	}
	if (tl->nwhy > 0) {
		tl->whycap = tl->nwhy;
		tl->why = xreallocarray(tl->why, tl->nwhy, sizeof *tl->why);
	}
	if (tl->npan > 0) {
		tl->pancap = tl->npan;
		tl->pan = xreallocarray(tl->pan, tl->npan, sizeof *tl->pan);
	}
	timeline_cursor(tl);
	tl->cur.t = tl->full.t;
}

/*
 * Make the cursor, at event 0, if it is not there yet: a timeline can
 * be seeked while its trace is still read (timeline_loadsome).
 */
void
timeline_cursor(struct timeline *tl)
{
	if (tl->hascur)
		return;
	/* The cursor's machine: the run's counts, its own state. */
	tl->cur = tl->full;
	tl->cur.rerun = 1;
	tl->cur.hist = NULL;
	memset(&tl->cur.m.pt, 0, sizeof tl->cur.m.pt);
	tl->cur.m.tree = NULL;
	mmuunpack(&tl->cur.m, &tl->cp[0].m);
	tl->cur.pos = 0;
	tl->cur.panicked = 0;
	timeline_moved(tl);
	live_unpack(&tl->live, tl->cp[0].live, tl->cp[0].nlive);
	tl->hascur = 1;
}

/* Replay the events of vs (on t's machine) under p into tl. */
void
timeline_open(struct timeline *tl, const struct vstore *vs,
    const struct trace *t, const Policy *p, const struct replayopts *o)
{
	timeline_begin(tl, vs, t, p, o, vs->n);
	while (tl->full.pos < vs->n)
		timeline_add(tl);
	timeline_end(tl);
}

/*
 * Run events for the state alone until n have run: the machine m and
 * the live mappings ls, when not nil.
 */
static void
runto(const struct timeline *tl, struct replay *m, struct liveset *ls,
    size_t n)
{
	const struct result *made;
	struct result mr, r;
	struct event e;
	uint32_t srcsize;
	size_t i;

	while (m->pos < n) {
		i = m->pos;
		eventat(tl, i, &e, &mr, &made, &srcsize);
		replay_rerun(m, &e, made, srcsize);
		if (ls != NULL)
			live_step(ls, i, &e, timeline_result(tl, i, &r));
	}
}

/* The last checkpoint at or before n. */
static const struct checkpoint *
checkbefore(const struct timeline *tl, size_t n)
{
	size_t k;

	k = n / tl->interval;
	if (k >= tl->ncp)
		k = tl->ncp - 1;
	return &tl->cp[k];
}

/* Forget the finer checkpoints. */
static void
nearfree(struct timeline *tl)
{
	int j;

	for (j = 0; j < NEAR && tl->near != NULL; j++)
		if (tl->nearhave & 1u << j) {
			mmupackfree(&tl->near[j].m);
			free(tl->near[j].live);
		}
	tl->nearhave = 0;
}

/* The cursor's state from checkpoint c. */
static void
restore(struct timeline *tl, const struct checkpoint *c)
{
	mmuunpack(&tl->cur.m, &c->m);
	tl->cur.pos = c->pos;
	tl->cur.panicked = c->panicked;
	live_unpack(&tl->live, c->live, c->nlive);
}

/*
 * Bring the cursor's machine to the state after n events: on from
 * where it is when that is between n and the checkpoint before n, else
 * from the latest checkpoint, or finer one, at or before n; each finer
 * one passed on the way is made.
 */
void
timeline_seek(struct timeline *tl, size_t n)
{
	const struct checkpoint *c;
	size_t sub, next;
	int j, best;

	if (n > tl->vs->n)
		n = tl->vs->n;
	c = checkbefore(tl, n);
	if (tl->near == NULL)
		tl->near = xcalloc(NEAR, sizeof *tl->near);
	sub = tl->interval / NEAR;
	if (sub < 16)
		sub = 16;
	/* the finer ones are of one checkpoint, at one spacing */
	if (tl->nearfrom != c->pos || tl->nearsub != sub) {
		nearfree(tl);
		tl->nearfrom = c->pos;
		tl->nearsub = sub;
	}
	if (!(tl->cur.pos >= c->pos && tl->cur.pos <= n)) {
		best = -1;
		for (j = 1; j < NEAR && c->pos + j * sub <= n; j++)
			if (tl->nearhave & 1u << j)
				best = j;
		restore(tl, best >= 0 ? &tl->near[best] : c);
	}
	for (;;) {
		j = (tl->cur.pos - c->pos) / sub + 1;
		next = c->pos + j * sub;
		if (j >= NEAR || next > n)
			break;
		runto(tl, &tl->cur, &tl->live, next);
		if (!(tl->nearhave & 1u << j)) {
			mmupack(&tl->near[j].m, &tl->cur.m);
			tl->near[j].pos = tl->cur.pos;
			tl->near[j].panicked = tl->cur.panicked;
			tl->near[j].live = live_pack(&tl->live,
			    &tl->near[j].livelen);
			tl->near[j].nlive = tl->live.n;
			tl->nearhave |= 1u << j;
		}
	}
	runto(tl, &tl->cur, &tl->live, n);
	live_compact(&tl->live);
}

/*
 * The replay's owner hook: the live mapping before event upto that
 * covers va.  While full runs event upto, its live mappings are those;
 * else they are made again from the checkpoint before.
 */
static int
owner(const void *arg, size_t upto, uint32_t va, size_t *seq,
    const char **id)
{
	const struct timeline *tl;
	const struct checkpoint *c;
	const struct liveset *ls;
	struct liveset tmp;
	struct result r;
	struct event e;
	uint32_t base, o;
	size_t k, i;
	int found;

	tl = arg;
	live_init(&tmp);
	ls = &tl->flive;
	if (!(tl->feeding && tl->full.pos == upto + 1)) {
		c = checkbefore(tl, upto);
		live_unpack(&tmp, c->live, c->nlive);
		for (i = c->pos; i < upto; i++)
			live_step(&tmp, i, vstore_event(tl->vs, i, &e),
			    timeline_result(tl, i, &r));
		ls = &tmp;
	}
	found = 0;
	for (k = 0; k < ls->n && !found; k++) {
		if (ls->v[k].i < 0)
			continue;	/* it has left (live_compact) */
		o = ls->v[k].va & (BY2PG - 1);
		base = ls->v[k].va - o;
		if (va >= base && va - base < ROUND(tl->vs->ev[ls->v[k].i].size +
		    o, BY2PG)) {
			*seq = ls->v[k].i + 1;
			*id = vstore_id(tl->vs, ls->v[k].i);
			found = 1;
		}
	}
	live_free(&tmp);
	return found;
}

/* Free the run, the checkpoints and the cursor. */
void
timeline_free(struct timeline *tl)
{
	size_t i;

	for (i = 0; i < tl->ncp; i++) {
		mmupackfree(&tl->cp[i].m);
		free(tl->cp[i].live);
	}
	free(tl->cp);
	nearfree(tl);
	free(tl->near);
	live_free(&tl->flive);
	live_free(&tl->live);
	mmufree(&tl->cur.m);
	replay_free(&tl->full);
	free(tl->kx);
	free(tl->va);
	free(tl->why);
	free(tl->reasons);
	free(tl->pan);
	memset(tl, 0, sizeof *tl);
}

/*
 * The sink of timeline_load: each event kept, in the store, and run at
 * once under every policy.
 */
struct keeper {
	struct vstore		*vs;
	struct trace		 hdr;		/* the machine */
	struct timeline		*tl[MAXLOAD];
	const Policy *const	*p;
	int			 n;
	const struct replayopts	*o;
	size_t			 expect;	/* events, from the file's size */
	struct loadwatch	*w;
};

/* Begin the timelines, the machine known: t's. */
static void
keep_begin(void *arg, struct trace *t)
{
	struct keeper *k;
	int j;

	k = arg;
	k->hdr.machine = t->machine;
	for (j = 0; j < k->n; j++)
		timeline_begin(k->tl[j], k->vs, &k->hdr, k->p[j], k->o,
		    k->expect);
}

static void
keep_event(void *arg, struct trace *t, const struct event *e)
{
	struct keeper *k;
	int j;

	(void)t;
	k = arg;
	vstore_add(k->vs, e);
	for (j = 0; j < k->n; j++)
		timeline_add(k->tl[j]);
}

/* Forget the events kept and the timelines begun. */
static void
keep_reset(void *arg)
{
	struct keeper *k;
	int j;

	k = arg;
	for (j = 0; j < k->n; j++)
		timeline_free(k->tl[j]);
	vstore_free(k->vs);
	vstore_init(k->vs);
}

/*
 * Read the trace in path into vs, with its header in t, and open a
 * timeline of it under each of the n policies p, in one pass: each
 * event is kept and run as it is read, on a thread of its own when
 * there is one (relay.h); w, when not nil, is kept up to date and
 * may stop it.  Returns 0, or -1 with the message in err (t, vs and tl
 * then hold nothing).
 */
int
timeline_load(struct trace *t, const char *path, const Policy *const *p,
    int n, const struct replayopts *o, struct vstore *vs,
    struct timeline *tl, struct loadwatch *w, char *err, size_t errlen)
{
	struct tracesink sk;
	struct keeper k;
	struct trace hdr;
	struct stat st;
	int j;

	memset(&k, 0, sizeof k);
	vstore_init(vs);
	k.vs = vs;
	for (j = 0; j < n && j < MAXLOAD; j++)
		k.tl[j] = &tl[j];
	k.p = p;
	k.n = n;
	k.o = o;
	k.w = w;
	/* an event takes 32 bytes or more: more would only thin them */
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		k.expect = st.st_size / 32;
	memset(&sk, 0, sizeof sk);
	sk.begin = keep_begin;
	sk.event = keep_event;
	sk.reset = keep_reset;
	sk.arg = &k;
	if (w != NULL) {
		sk.bytes = &w->bytes;
		sk.stop = &w->stop;
	}
	if (relay_run(t, path, &sk, err, errlen) < 0)
		return -1;
	vstore_trim(vs);
	/* the header alone: the events are the store's */
	trace_init(&hdr);
	hdr.file = t->file;
	hdr.name = t->name;
	hdr.description = t->description;
	hdr.machine = t->machine;
	hdr.nev = vs->n;
	t->file = t->name = t->description = NULL;
	trace_free(t);
	*t = hdr;
	for (j = 0; j < n; j++) {
		tl[j].full.t = t;
		timeline_end(&tl[j]);
	}
	return 0;
}

/*
 * A load the view drives: the trace read on a thread of its own (a
 * relay feed) and its events kept and run on the view's, when it will,
 * so that the view answers keys on what is loaded while the rest comes.
 */
struct tlload {
	struct keeper		 k;
	struct relayfeed	*feed;
	struct tracesink	 sk;
	struct sinkrun		 run;		/* sk's course */
	char			*path;
	int			 ended;
};

/* Whether a load's timelines are begun: it has had its first event. */
int
timeline_loadready(const struct tlload *ld)
{
	return ld->run.begun;
}

/* The header of a load, as much as is known: its file, its machine. */
struct trace *
timeline_loadheader(struct tlload *ld)
{
	return &ld->k.hdr;
}

/*
 * Begin loading the trace at path into vs and the n timelines tl under
 * policies p, as timeline_load, but a little at a time
 * (timeline_loadsome): the timelines are begun, with their cursors, on
 * the first event.  Nil when the trace cannot be read so (standard
 * input, a pipe, no thread): then timeline_load it.
 */
struct tlload *
timeline_loadopen(const char *path, const Policy *const *p, int n,
    const struct replayopts *o, struct vstore *vs,
    struct timeline *const *tl, struct loadwatch *w)
{
	struct tlload *ld;
	struct stat st;
	int j;

	if (!trace_rereadable(path))
		return NULL;
	ld = xcalloc(1, sizeof *ld);
	vstore_init(vs);
	trace_init(&ld->k.hdr);
	ld->k.hdr.file = text_clean(path, 0);	/* as shown */
	ld->k.vs = vs;
	for (j = 0; j < n && j < MAXLOAD; j++)
		ld->k.tl[j] = tl[j];
	ld->k.p = p;
	ld->k.n = n;
	ld->k.o = o;
	ld->k.w = w;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		ld->k.expect = st.st_size / 32;
	ld->sk.begin = keep_begin;
	ld->sk.event = keep_event;
	ld->sk.reset = keep_reset;
	ld->sk.arg = &ld->k;
	sinkrun_init(&ld->run, &ld->sk);
	ld->path = xstrdup(path);
	if ((ld->feed = relay_feed(path, w ? &w->bytes : NULL)) == NULL) {
		free(ld->k.hdr.file);
		free(ld->path);
		free(ld);
		return NULL;
	}
	while (!ld->run.begun && !ld->ended)
		timeline_loadsome(ld, 0.05);
	return ld;
}

/*
 * Take the events read so far, for about secs at most.  Returns 1 when
 * more may come, 0 when the reading has ended (timeline_loadclose says
 * how).
 */
int
timeline_loadsome(struct tlload *ld, double secs)
{
	int j;

	if (ld->ended)
		return 0;
	if (!relay_take(ld->feed, &ld->run.via, secs))
		ld->ended = 1;
	ld->k.hdr.nev = ld->k.vs->n;
	for (j = 0; j < ld->k.n && ld->run.begun; j++)
		timeline_cursor(ld->k.tl[j]);
	return !ld->ended;
}

/*
 * End a load (with stop, before the trace's end): the header into t and
 * the timelines made whole, as timeline_load leaves them.  A trace whose
 * machine follows its events is read again, whole.  Returns 0, or -1
 * with the message in err (t, vs and the timelines then hold nothing).
 */
int
timeline_loadclose(struct tlload *ld, int stop, struct trace *t, char *err,
    size_t errlen)
{
	struct timeline again[MAXLOAD];
	struct trace hdr;
	struct keeper *k;
	int j, rv;

	k = &ld->k;
	rv = relay_feedclose(ld->feed, stop, &hdr, err, errlen);
	if (rv == 0 && hdr.machinelate) {
		/* its events were run on the default machine: again */
		sinkrun_reset(&ld->run);
		trace_free(&hdr);
		rv = timeline_load(t, ld->path, k->p, k->n, k->o, k->vs,
		    again, k->w, err, errlen);
		for (j = 0; j < k->n && rv == 0; j++) {
			*k->tl[j] = again[j];
			timeline_moved(k->tl[j]);
		}
		goto out;
	}
	if (rv < 0) {
		sinkrun_reset(&ld->run);
		trace_free(&hdr);
		goto out;
	}
	sinkrun_begin(&ld->run, &hdr);	/* if no event came */
	vstore_trim(k->vs);
	trace_init(t);
	t->file = hdr.file;
	t->name = hdr.name;
	t->description = hdr.description;
	t->machine = hdr.machine;
	t->nev = k->vs->n;
	hdr.file = hdr.name = hdr.description = NULL;
	trace_free(&hdr);
	for (j = 0; j < k->n; j++) {
		k->tl[j]->full.t = t;
		timeline_end(k->tl[j]);
	}
out:
	free(k->hdr.file);
	free(ld->path);
	free(ld);
	return rv;
}
