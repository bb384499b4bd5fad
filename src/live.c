/*
 * The live mappings of a run, one event at a time (live.h).  A vmap
 * that returned an address joins the set; a vunmap that ran (or
 * panicked) takes out the vmap of its id, or else the first live one
 * at the very address it names, as replay_live has it.  The set is the
 * event indices in order; a map from an address to the first live vmap
 * there, and how many share it, finds the one a vunmap by address
 * takes.  Two live vmaps at one address happen only on a machine a
 * panic has left; then the next one is found by a scan.
 */
#include <stdlib.h>
#include <string.h>

#include "live.h"
#include "xmalloc.h"

void
live_init(struct liveset *ls)
{
	memset(ls, 0, sizeof *ls);
}

/* Where k is in the set, or where it would go. */
static size_t
findslot(const struct liveset *ls, int k)
{
	size_t lo, hi, mid;

	lo = 0;
	hi = ls->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ls->v[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Vmap k, returning va, joins the set (after every index in it). */
static void
join(struct liveset *ls, int k, uint32_t va)
{
	struct vaent *ve;

	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? 2 * ls->cap : 64;
		ls->v = xreallocarray(ls->v, ls->cap, sizeof *ls->v);
	}
	ls->v[ls->n++] = k;
	ve = vamap_add(&ls->byva, va);
	if (ve->a < 0) {
		ve->a = k;
		ve->b = 0;
	}
	ve->b++;
}

/* Vmap k, returning va, leaves the set, if it is in it. */
static void
leave(struct liveset *ls, const struct replay *rp, int k, uint32_t va)
{
	struct vaent *ve;
	size_t i, j;

	i = findslot(ls, k);
	if (i == ls->n || ls->v[i] != k)
		return;
	memmove(&ls->v[i], &ls->v[i + 1], (ls->n - i - 1) * sizeof *ls->v);
	ls->n--;
	if ((ve = vamap_find(&ls->byva, va)) == NULL)
		return;
	if (--ve->b == 0) {
		vamap_delete(&ls->byva, ve);
		return;
	}
	if (ve->a != k)
		return;
	/* the next live one at va, later than k */
	for (j = i; j < ls->n && rp->r[ls->v[j]].va != va; j++)
		;
	ve->a = j < ls->n ? ls->v[j] : -1;
}

/* Event i of rp's run, its result known, moves the set on. */
void
live_step(struct liveset *ls, const struct replay *rp, size_t i)
{
	const struct event *e;
	const struct result *r;
	struct vaent *ve;

	e = &rp->t->ev[i];
	r = &rp->r[i];
	if (e->op == OPvmap && r->kind == Rok) {
		join(ls, i, r->va);
		return;
	}
	if (e->op != OPvunmap || (r->kind != Rok && r->kind != Rpanic))
		return;
	if (e->ref >= 0) {
		leave(ls, rp, e->ref, rp->r[e->ref].va);
		return;
	}
	if ((ve = vamap_find(&ls->byva, e->va)) != NULL)
		leave(ls, rp, ve->a, e->va);
}

/* The set becomes the n vmaps of v (in order), of rp's run. */
void
live_set(struct liveset *ls, const struct replay *rp, const int *v, size_t n)
{
	size_t i;

	ls->n = 0;
	vamap_free(&ls->byva);
	for (i = 0; i < n; i++)
		join(ls, v[i], rp->r[v[i]].va);
}

/* A copy of the set's indices (nil when empty), for a checkpoint. */
int *
live_copy(const struct liveset *ls)
{
	int *v;

	if (ls->n == 0)
		return NULL;
	v = xreallocarray(NULL, ls->n, sizeof *v);
	memcpy(v, ls->v, ls->n * sizeof *v);
	return v;
}

void
live_free(struct liveset *ls)
{
	free(ls->v);
	vamap_free(&ls->byva);
	memset(ls, 0, sizeof *ls);
}
