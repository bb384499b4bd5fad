/*
 * The live mappings of a replay fed as the trace is read, each with
 * what its vmap was: the live set as replay_live has it (live.c), and
 * beside it, by the vmap's event, its pa and where its id and size are
 * read.  A streamed vmap with an id holds its id's slot in the reader's
 * table while it is live (idtab_hold), so that its record, key and
 * size, is not given to another id though the vunmap that names it has
 * been read: a vunmap that did not run, or a panic, leaves the vmap
 * live past its id.  Once the reader is done the table is the live
 * map's to free.  A loaded trace keeps its events: they are read there.
 */
#include <stdlib.h>
#include <string.h>

#include "idtab.h"
#include "livemap.h"
#include "xmalloc.h"

/*
 * What a live vmap was, beside it in the set: 12 bytes.  A pa above
 * 4G is a user's kernel's to return (the models refuse it), so it is
 * kept whole, in two halves.
 */
struct livewas {
	uint32_t	 palo;
	uint32_t	 pahi;
	int32_t		 rec;		/* its id's held slot, or ~size */
};

/*
 * Where what the vmaps were is read, set from t on its first event:
 * the reader's table, taken over, or the loaded trace.
 */
static void
wasfrom_set(struct wasfrom *f, struct trace *t)
{
	if (t->ids != NULL && f->ids == NULL) {
		if (t->ids->kept)
			fatal("livemap: the reader's table is kept already");
		/* the reader leaves it when done, held slots and all */
		t->ids->kept = 1;
		f->ids = t->ids;
	}
	if (t->ids == NULL)
		f->t = t;
}

/* The vmap of event k, e, as kept: its slot held when it has one. */
static void
wasfrom_keep(struct wasfrom *f, struct livewas *w, const struct event *e)
{
	w->palo = (uint32_t)e->pa;
	w->pahi = (uint32_t)(e->pa >> 32);
	if (f->ids != NULL && e->slot >= 0) {
		idtab_hold(f->ids, e->slot);
		w->rec = e->slot;
	} else
		w->rec = ~(int32_t)e->size;
}

/* The vmap w has left: its slot, if held, is the reader's again. */
static void
wasfrom_let(struct wasfrom *f, const struct livewas *w)
{
	if (w->rec >= 0)
		idtab_release(f->ids, w->rec);
}

/* Vmap k, w, as a dump lists it (k, va set). */
static void
wasfrom_get(const struct wasfrom *f, const struct livewas *w,
    struct dumpmap *m)
{
	const struct idrec *r;

	m->pa = (uint64_t)w->pahi << 32 | w->palo;
	m->id = NULL;
	if (w->rec >= 0) {
		r = idtab_rec(f->ids, w->rec);
		m->size = r->size;
		m->id = idrec_key(r);
	} else {
		m->size = (uint32_t)~w->rec;
		if (f->ids == NULL && f->t != NULL)
			m->id = f->t->ev[m->k].id;
	}
	if (m->id != NULL && m->id[0] == '\0')
		m->id = NULL;
}

/* Free what f holds: the reader's table, when it was left to it. */
static void
wasfrom_free(struct wasfrom *f)
{
	if (f->ids != NULL) {
		idtab_free(f->ids);
		free(f->ids);
	}
	memset(f, 0, sizeof *f);
}

/* A vmap of lm has left its set (live.c's xleave). */
static void
wasleft(void *arg, void *x)
{
	struct livemap *lm = arg;

	wasfrom_let(&lm->from, x);
}

void
livemap_init(struct livemap *lm)
{
	memset(lm, 0, sizeof *lm);
	live_init(&lm->live);
	lm->live.xsize = sizeof (struct livewas);
	lm->live.xleave = wasleft;
	lm->live.xarg = lm;
}

/*
 * Event i, e, of the trace t being read, gave res: the live set moves
 * (a vunmap by id names its vmap by the reader's record, while it is
 * there), and what a vmap that joins it was is kept beside it.
 */
void
livemap_step(struct livemap *lm, struct trace *t, size_t i,
    const struct event *e, const struct result *res)
{
	struct event ev;

	ev = *e;
	if ((e->flags & EVBYID) && ev.ref < 0 && t->ids != NULL &&
	    e->slot >= 0)
		ev.ref = (int)(idtab_rec(t->ids, e->slot)->seq - 1);
	wasfrom_set(&lm->from, t);
	(void)live_step(&lm->live, i, &ev, res);
	if (e->op == OPvmap && res->kind == Rok)
		wasfrom_keep(&lm->from, live_x(&lm->live, lm->live.n - 1), e);
}

/* Entry j of the set, as a dump lists it. */
static void
entry(const void *arg, size_t j, struct dumpmap *m)
{
	const struct livemap *lm = arg;

	m->k = lm->live.v[j].i;
	m->va = lm->live.v[j].va;
	wasfrom_get(&lm->from, live_x(&lm->live, j), m);
}

/*
 * The reader is done: what it needed only to read (its table's
 * buckets) is freed.
 */
void
livemap_settle(struct livemap *lm)
{
	if (lm->from.ids != NULL)
		idtab_settle(lm->from.ids);
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

/* Free lm, and the reader's table if it was left to lm. */
void
livemap_free(struct livemap *lm)
{
	live_free(&lm->live);
	wasfrom_free(&lm->from);
	memset(lm, 0, sizeof *lm);
}
