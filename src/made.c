/*
 * What each vmap with an id made, by the id's slot, for a replay fed as
 * the trace is read (replay.h's struct madetab): a vunmap by id gets
 * there the address and the result its vmap had, and the live ones are
 * found by address too once a vunmap names one so.
 */
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "vamap.h"
#include "xmalloc.h"

/* Chunks in mt up to chunk k. */
static void
madegrow(struct madetab *mt, size_t k)
{
	mt->c = xreallocarray(mt->c, k + 1, sizeof *mt->c);
	while (mt->nc <= k)
		mt->c[mt->nc++] = xcalloc(1, sizeof **mt->c);
}

/* Slot sl's entry in mt, made when new. */
static inline void
madeslot(struct madetab *mt, long sl, uint32_t **va, uint8_t **st)
{
	size_t k;

	k = sl / MADECHUNK;
	if (k >= mt->nc)
		madegrow(mt, k);
	*va = &mt->c[k]->va[sl % MADECHUNK];
	*st = &mt->c[k]->st[sl % MADECHUNK];
}

/*
 * Live vmap sl of mt enters the map by address unless one live made
 * before it returned the same address: of two live at one address,
 * which only unmaps of part of one can leave, the first made is found.
 */
static void
byvaadd(const struct replay *rp, struct madetab *mt, long sl, size_t seq)
{
	struct vaent *ve;
	const struct idrec *r;

	ve = vamap_add(&mt->byva, madetab_va(mt, sl));
	if (ve->a < 0 || ((r = replay_slotrec(rp, ve->a)) != NULL && r->seq > seq))
		ve->a = sl;
}

/*
 * The map by address, begun at the first vunmap by address; from the
 * start when the trace is loaded, where each vmap enters it in order.
 */
static void
byvaon(const struct replay *rp, struct madetab *mt)
{
	const struct idrec *r;
	size_t sl, n;

	mt->byvaon = 1;
	n = mt->nc * MADECHUNK;
	for (sl = 0; sl < n; sl++)
		if (madetab_st(mt, sl) & MADELIVE)
			byvaadd(rp, mt, sl, (r = replay_slotrec(rp, sl)) ? r->seq : 0);
}

/* Vmap sl of mt is gone. */
static void
madegone(struct madetab *mt, long sl)
{
	struct vaent *ve;
	uint32_t *va;
	uint8_t *st;

	madeslot(mt, sl, &va, &st);
	*st &= ~MADELIVE;
	if (mt->byvaon && (ve = vamap_find(&mt->byva, *va)) != NULL &&
	    ve->a == sl)
		vamap_delete(&mt->byva, ve);
}

/*
 * Feed e, as trace_stream gives it, to rp: a vunmap by id gets what the
 * vmap with its slot made, from mt, and a vmap with an id leaves there
 * what it made.  Fills *res as replay_feed.
 */
void
replay_feedslot(struct replay *rp, struct madetab *mt, const struct event *e,
    struct result *res)
{
	const struct idrec *r;
	struct result made;
	struct vaent *ve;
	uint32_t srcsize, *va;
	uint8_t *st;
	long sl;
	int byid, k;

	rp->made = mt;
	if (!mt->byvaon && rp->t != NULL && rp->t->ids == NULL)
		mt->byvaon = 1;
	byid = e->op == OPvunmap && (e->flags & EVBYID) && e->slot >= 0 &&
	    (k = madetab_st(mt, e->slot)) != 0;
	srcsize = 0;
	if (byid) {
		memset(&made, 0, sizeof made);
		made.kind = k & ~(MADELIVE | MADESET);
		made.va = madetab_va(mt, e->slot);
		if ((r = replay_slotrec(rp, e->slot)) != NULL)
			srcsize = r->size;
		else if (e->ref >= 0)
			srcsize = rp->t->ev[e->ref].size;
	} else if (e->op == OPvunmap && !mt->byvaon)
		byvaon(rp, mt);
	replay_feed(rp, e, byid ? &made : NULL, srcsize, res);
	if (e->op == OPvunmap) {
		/* gone, as replay_live has it: by id, or by its address */
		sl = -1;
		if (byid)
			sl = e->slot;
		else if ((res->kind == Rok || RSTOPS(res->kind)) &&
		    (ve = vamap_find(&mt->byva, e->va)) != NULL)
			sl = ve->a;
		if (sl >= 0)
			madegone(mt, sl);
	}
	if (e->op != OPvmap || e->slot < 0)
		return;
	if (madetab_st(mt, e->slot) & MADELIVE)
		madegone(mt, e->slot);
	madeslot(mt, e->slot, &va, &st);
	*va = res->va;
	*st = res->kind | MADESET | (res->kind == Rok ? MADELIVE : 0);
	if (res->kind == Rok && mt->byvaon)
		byvaadd(rp, mt, e->slot, rp->pos);
}

/* Free what mt holds. */
void
madetab_free(struct madetab *mt)
{
	size_t k;

	for (k = 0; k < mt->nc; k++)
		free(mt->c[k]);
	free(mt->c);
	vamap_free(&mt->byva);
	memset(mt, 0, sizeof *mt);
}
