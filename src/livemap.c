/*
 * The live mappings of a replay fed as the trace is read, each with
 * what its vmap was: the live set as replay_live has it (live.c), and
 * beside it, by the vmap's event, its id, va, pa and size, held until
 * it leaves.  An entry that leaves is given to the next vmap.
 */
#include <stdlib.h>
#include <string.h>

#include "idtab.h"
#include "livemap.h"
#include "xmalloc.h"

/* What a live vmap was, beside it in the set: 24 bytes. */
struct livewas {
	uint64_t	 pa;
	uint32_t	 size;
	char		 id[IDSHORT + 1];	/* idkey_*; "" for none */
};

/*
 * What a live vmap was, in a set shared by several policies' live sets
 * (a policy a vmap failed under has none of it): 32 bytes.
 */
struct wasrec {
	uint64_t	 pa;
	int32_t		 k;		/* its event's index */
	uint32_t	 size;
	char		 id[IDSHORT + 1];
	uint8_t		 refs;		/* the live sets that have it; 0: none */
};

/* Where the vmap of event k is in ws, or where it would go. */
static size_t
wasfind(const struct wasset *ws, long k)
{
	size_t lo, hi, mid;

	lo = 0;
	hi = ws->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ws->v[mid].k < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The vmaps that no set has any more dropped, when they are the most. */
static void
wascompact(struct wasset *ws)
{
	size_t i, j;

	if (2 * ws->ndead <= ws->n)
		return;
	for (i = j = 0; i < ws->n; i++)
		if (ws->v[i].refs != 0)
			ws->v[j++] = ws->v[i];
	ws->n = j;
	ws->ndead = 0;
}

/* Event k, e, a vmap, has joined one more set. */
static void
wasjoin(struct wasset *ws, long k, const struct event *e)
{
	struct wasrec *w;

	if (ws->n > 0 && ws->v[ws->n - 1].k == k) {
		ws->v[ws->n - 1].refs++;
		return;
	}
	xgrow(&ws->v, &ws->cap, ws->n + 1, sizeof *ws->v);
	w = &ws->v[ws->n++];
	memset(w, 0, sizeof *w);
	w->k = (int32_t)k;
	w->pa = e->pa;
	w->size = e->size;
	w->refs = 1;
	idkey_set(w->id, e->id != NULL ? e->id : "", 0);
}

/* The vmap of event k has left one set. */
static void
wasleave(struct wasset *ws, long k)
{
	struct wasrec *w;
	size_t j;

	if ((j = wasfind(ws, k)) >= ws->n || ws->v[j].k != k)
		fatal("livemap: event %ld left a set it was not in", k);
	w = &ws->v[j];
	if (--w->refs == 0) {
		idkey_free(w->id);
		ws->ndead++;
		wascompact(ws);
	}
}

void
wasset_free(struct wasset *ws)
{
	size_t i;

	for (i = 0; i < ws->n; i++)
		idkey_free(ws->v[i].id);
	free(ws->v);
	memset(ws, 0, sizeof *ws);
}

/* A vmap that left dropped from the set: its id's copy freed. */
static void
wasfree(void *x)
{
	idkey_free(((struct livewas *)x)->id);
}

void
livemap_init(struct livemap *lm)
{
	memset(lm, 0, sizeof *lm);
	live_init(&lm->live);
	lm->live.xsize = sizeof (struct livewas);
	lm->live.xfree = wasfree;
}

/*
 * lm, just begun, keeps what its vmaps were in ws, which other live
 * maps share, each kept once (probe's policies), and not beside them.
 */
void
livemap_share(struct livemap *lm, struct wasset *ws)
{
	lm->live.xsize = 0;
	lm->live.xfree = NULL;
	lm->shared = ws;
}

/*
 * Event i, e, of the trace t being read, gave res: the live set moves
 * (a vunmap by id names its vmap by the reader's record, while it is
 * there), and what a vmap that joins it was is kept beside it.
 */
void
livemap_step(struct livemap *lm, const struct trace *t, size_t i,
    const struct event *e, const struct result *res)
{
	struct livewas *w;
	struct event ev;
	long k;

	ev = *e;
	if ((e->flags & EVBYID) && ev.ref < 0 && t->ids != NULL &&
	    e->slot >= 0)
		ev.ref = (int)(idtab_rec(t->ids, e->slot)->seq - 1);
	if (lm->shared != NULL) {
		if ((k = live_step(&lm->live, i, &ev, res)) >= 0)
			wasleave(lm->shared, k);
		else if (e->op == OPvmap && res->kind == Rok)
			wasjoin(lm->shared, (long)i, e);
		return;
	}
	/* one that leaves keeps its id until it is dropped (wasfree) */
	(void)live_step(&lm->live, i, &ev, res);
	if (e->op == OPvmap && res->kind == Rok) {
		w = live_x(&lm->live, lm->live.n - 1);
		w->pa = e->pa;
		w->size = e->size;
		idkey_set(w->id, e->id != NULL ? e->id : "", 0);
	}
}

/* Entry j of the set, as a dump lists it. */
static void
entry(const void *arg, size_t j, struct dumpmap *m)
{
	const struct livemap *lm = arg;
	const struct livewas *w;
	const struct wasrec *r;
	size_t at;

	m->k = lm->live.v[j].i;
	m->va = lm->live.v[j].va;
	if (lm->shared != NULL) {
		at = wasfind(lm->shared, m->k);
		r = &lm->shared->v[at];
		m->pa = r->pa;
		m->size = r->size;
		m->id = idkey_get(r->id);
		if (m->id[0] == '\0')
			m->id = NULL;
		return;
	}
	w = live_x(&lm->live, j);
	m->pa = w->pa;
	m->size = w->size;
	m->id = idkey_get(w->id);
	if (m->id[0] == '\0')
		m->id = NULL;
}

/*
 * The live mappings, in the order of their events, as a dump reads
 * them, from the set itself: good while lm does not move.
 */
void
livemap_list(struct livemap *lm, struct dumplist *dl)
{
	live_compact(&lm->live);
	dl->n = lm->live.n;
	dl->get = entry;
	dl->arg = lm;
}

/*
 * replay's owner: the live mapping that covers va (upto is the state's
 * own: the set is kept for it alone), its event (1-based) and id.
 */
int
livemap_owner(const void *arg, size_t upto, uint32_t va, size_t *seq,
    const char **id)
{
	const struct livemap *lm = arg;
	struct dumpmap m;
	uint32_t base, o;
	size_t j;

	(void)upto;
	for (j = 0; j < lm->live.n; j++) {
		if (lm->live.v[j].i < 0)	/* left (live.c) */
			continue;
		entry(lm, j, &m);
		o = m.va & (BY2PG - 1);
		base = m.va - o;
		if (va >= base && va - base < ROUND(m.size + o, BY2PG)) {
			*seq = (size_t)m.k + 1;
			*id = m.id;
			return 1;
		}
	}
	return 0;
}

void
livemap_free(struct livemap *lm)
{
	size_t j;

	if (lm->shared == NULL)
		for (j = 0; j < lm->live.n; j++)
			idkey_free(((struct livewas *)live_x(&lm->live, j))->id);
	live_free(&lm->live);
	memset(lm, 0, sizeof *lm);
}
