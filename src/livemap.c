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

void
livemap_init(struct livemap *lm)
{
	memset(lm, 0, sizeof *lm);
	live_init(&lm->live);
	lm->freemap = -1;
}

/* Vmap k, e, returned r->va: what it was, kept while it is live. */
static void
remember(struct livemap *lm, long k, const struct event *e,
    const struct result *r)
{
	struct dumpmap *m;
	long j;

	if (lm->freemap >= 0) {
		j = lm->freemap;
		lm->freemap = lm->map[j].k;
	} else {
		xgrow(&lm->map, &lm->mapcap, lm->nmap + 1, sizeof *lm->map);
		j = lm->nmap++;
	}
	m = &lm->map[j];
	m->k = k;
	m->id = e->id != NULL ? xstrdup(e->id) : NULL;
	m->va = r->va;
	m->pa = e->pa;
	m->size = e->size;
	vamap_add(&lm->byk, (uint32_t)k)->a = j;
}

/* Vmap k has left: its entry is free. */
static void
forget(struct livemap *lm, long k)
{
	struct vaent *ve;
	long j;

	if ((ve = vamap_find(&lm->byk, (uint32_t)k)) == NULL)
		return;
	j = ve->a;
	vamap_delete(&lm->byk, ve);
	free(lm->map[j].id);
	lm->map[j].id = NULL;
	lm->map[j].k = lm->freemap;
	lm->freemap = j;
}

/*
 * Event i, e, of the trace t being read, gave res: the live set moves
 * (a vunmap by id names its vmap by the reader's record, while it is
 * there).
 */
void
livemap_step(struct livemap *lm, const struct trace *t, size_t i,
    const struct event *e, const struct result *res)
{
	struct event ev;
	long k;

	ev = *e;
	if ((e->flags & EVBYID) && ev.ref < 0 && t->ids != NULL &&
	    e->slot >= 0)
		ev.ref = (int)(idtab_rec(t->ids, e->slot)->seq - 1);
	if ((k = live_step(&lm->live, i, &ev, res)) >= 0)
		forget(lm, k);
	if (e->op == OPvmap && res->kind == Rok)
		remember(lm, (long)i, e, res);
}

/*
 * The live mappings, in the order of their events, into *out (the
 * caller frees the array, not what it points into).  Returns how many.
 */
size_t
livemap_list(struct livemap *lm, struct dumpmap **out)
{
	struct vaent *ve;
	size_t n, j;

	live_compact(&lm->live);
	*out = xreallocarray(NULL, lm->live.n + 1, sizeof **out);
	for (n = j = 0; j < lm->live.n; j++)
		if ((ve = vamap_find(&lm->byk, (uint32_t)lm->live.v[j].i)) !=
		    NULL)
			(*out)[n++] = lm->map[ve->a];
	return n;
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
	const struct dumpmap *m;
	const struct vaent *ve;
	uint32_t base, o;
	size_t j;

	(void)upto;
	for (j = 0; j < lm->nmap; j++) {
		m = &lm->map[j];
		/* a free entry's k links the free ones: not its event's */
		if (m->k < 0 || (ve = vamap_find(&lm->byk, (uint32_t)m->k)) ==
		    NULL || ve->a != (long)j)
			continue;
		o = m->va & (BY2PG - 1);
		base = m->va - o;
		if (va >= base && va - base < ROUND(m->size + o, BY2PG)) {
			*seq = (size_t)m->k + 1;
			*id = m->id;
			return 1;
		}
	}
	return 0;
}

void
livemap_free(struct livemap *lm)
{
	size_t j;

	for (j = 0; j < lm->nmap; j++)
		free(lm->map[j].id);
	free(lm->map);
	live_free(&lm->live);
	vamap_free(&lm->byk);
	livemap_init(lm);
}
