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

	ev = *e;
	if ((e->flags & EVBYID) && ev.ref < 0 && t->ids != NULL &&
	    e->slot >= 0)
		ev.ref = (int)(idtab_rec(t->ids, e->slot)->seq - 1);
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

	w = live_x(&lm->live, j);
	m->k = lm->live.v[j].i;
	m->va = lm->live.v[j].va;
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

	for (j = 0; j < lm->live.n; j++)
		idkey_free(((struct livewas *)live_x(&lm->live, j))->id);
	live_free(&lm->live);
	memset(lm, 0, sizeof *lm);
}
