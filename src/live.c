/*
 * The live mappings of a run, one event at a time (live.h).  A vmap
 * that returned an address joins the set; a vunmap that ran (or
 * panicked) takes out the vmap of its id, or else the first live one
 * at the very address it names, as replay_live has it.  The set is the
 * vmaps in event order, each with the address it returned; a map from
 * an address to the first live vmap there, and how many share it,
 * finds the one a vunmap by address takes; it is made at the first
 * such vunmap, so that a trace that unmaps by id never hashes, and a
 * set restored from a checkpoint is a copy.  Two live vmaps at one
 * address happen only on a machine a panic has left; then the next one
 * is found by a scan.
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

/*
 * A vmap that has left stays in the array, its index complemented
 * (~i), till they are more than the living: a leave costs no move, and
 * the array stays in order of the indices, as they were.
 */
#define DEAD(e)		((e)->i < 0)
#define INDEX(e)	((e)->i < 0 ? ~(e)->i : (e)->i)

/* Where vmap k is in the array, or where it would go. */
static size_t
findslot(const struct liveset *ls, int k)
{
	size_t lo, hi, mid;

	lo = 0;
	hi = ls->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (INDEX(&ls->v[mid]) < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The bytes beside the vmap at index i (xsize set). */
void *
live_x(const struct liveset *ls, size_t i)
{
	return ls->x + i * ls->xsize;
}

/* The array without the vmaps that have left. */
void
live_compact(struct liveset *ls)
{
	size_t i, j;

	if (ls->ndead == 0)
		return;
	for (i = j = 0; i < ls->n; i++) {
		if (DEAD(&ls->v[i]))
			continue;
		if (ls->xsize != 0 && i != j)
			memcpy(live_x(ls, j), live_x(ls, i), ls->xsize);
		ls->v[j++] = ls->v[i];
	}
	ls->n = j;
	ls->ndead = 0;
}

/* Vmap k, returning va, enters the map by address. */
static void
byvaadd(struct liveset *ls, int k, uint32_t va)
{
	struct vaent *ve;

	ve = vamap_add(&ls->byva, va);
	if (ve->a < 0) {
		ve->a = k;
		ve->b = 0;
	}
	ve->b++;
}

/* The map by address, from the set in order. */
static void
byvaon(struct liveset *ls)
{
	size_t i;

	ls->byvaon = 1;
	for (i = 0; i < ls->n; i++)
		if (!DEAD(&ls->v[i]))
			byvaadd(ls, ls->v[i].i, ls->v[i].va);
}

/* Vmap k, returning va, joins the set (after every index in it). */
static void
join(struct liveset *ls, int k, uint32_t va)
{
	if (ls->n == ls->cap) {
		live_compact(ls);
		if (ls->n == ls->cap) {
			ls->cap = ls->cap ? 2 * ls->cap : 64;
			ls->v = xreallocarray(ls->v, ls->cap, sizeof *ls->v);
			if (ls->xsize != 0)
				ls->x = xreallocarray(ls->x, ls->cap,
				    ls->xsize);
		}
	}
	if (ls->xsize != 0)
		memset(live_x(ls, ls->n), 0, ls->xsize);
	ls->v[ls->n].i = k;
	ls->v[ls->n++].va = va;
	if (ls->byvaon)
		byvaadd(ls, k, va);
}

/* Vmap k leaves the set, if it is in it.  Returns k, or -1. */
static long
leave(struct liveset *ls, int k)
{
	struct vaent *ve;
	uint32_t va;
	size_t i, j;

	i = findslot(ls, k);
	if (i == ls->n || ls->v[i].i != k)
		return -1;
	va = ls->v[i].va;
	ls->v[i].i = ~k;
	ls->ndead++;
	if (ls->xleave != NULL)
		ls->xleave(ls->xarg, live_x(ls, i));
	if (ls->byvaon && (ve = vamap_find(&ls->byva, va)) != NULL) {
		if (--ve->b == 0)
			vamap_delete(&ls->byva, ve);
		else if (ve->a == k) {
			/* the next live one at va, later than k */
			for (j = i + 1; j < ls->n && (DEAD(&ls->v[j]) ||
			    ls->v[j].va != va); j++)
				;
			ve->a = j < ls->n ? ls->v[j].i : -1;
		}
	}
	if (2 * ls->ndead > ls->n)
		live_compact(ls);
	return k;
}

/*
 * Event i, e, with its result r, moves the set on.  Returns the index
 * of the vmap that left, or -1.
 */
long
live_step(struct liveset *ls, size_t i, const struct event *e,
    const struct result *r)
{
	struct vaent *ve;

	if (e->op == OPvmap && r->kind == Rok) {
		join(ls, i, r->va);
		return -1;
	}
	if (e->op != OPvunmap || (r->kind != Rok && !RSTOPS(r->kind)))
		return -1;
	if (e->ref >= 0)
		return leave(ls, e->ref);
	if (!ls->byvaon)
		byvaon(ls);
	if ((ve = vamap_find(&ls->byva, e->va)) != NULL)
		return leave(ls, ve->a);
	return -1;
}

/* x as 7 bits a byte, low first, the top bit saying more follow. */
static uint8_t *
putvar(uint8_t *p, uint32_t x)
{
	while (x >= 0x80) {
		*p++ = (uint8_t)(x | 0x80);
		x >>= 7;
	}
	*p++ = (uint8_t)x;
	return p;
}

static const uint8_t *
getvar(const uint8_t *p, uint32_t *x)
{
	uint32_t v;
	int sh;

	v = 0;
	for (sh = 0; *p & 0x80; sh += 7)
		v |= (uint32_t)(*p++ & 0x7f) << sh;
	*x = v | (uint32_t)*p++ << sh;
	return p;
}

/*
 * The set packed for a checkpoint (nil when empty), its bytes in *len:
 * each vmap as how far its index is past the one before, and how far
 * its address is from the one before, signed, in variable-length
 * numbers: 2 to 4 bytes for most, where a copy took 8.
 */
uint8_t *
live_pack(struct liveset *ls, size_t *len)
{
	uint8_t *buf, *p;
	uint32_t va, d;
	size_t i;
	int k;

	live_compact(ls);
	*len = 0;
	if (ls->n == 0)
		return NULL;
	p = buf = xreallocarray(NULL, ls->n, 10);
	k = 0;
	va = 0;
	for (i = 0; i < ls->n; i++) {
		p = putvar(p, (uint32_t)(ls->v[i].i - k));
		d = ls->v[i].va - va;
		p = putvar(p, (d << 1) ^ (uint32_t)-(int32_t)(d >> 31));
		k = ls->v[i].i;
		va = ls->v[i].va;
	}
	*len = p - buf;
	return xrealloc(buf, *len);
}

/* The set becomes the n vmaps packed in buf (live_pack), in order. */
void
live_unpack(struct liveset *ls, const uint8_t *buf, size_t n)
{
	const uint8_t *p;
	uint32_t x, va;
	size_t i;
	int k;

	if (ls->xsize != 0)
		fatal("live_unpack: a set with bytes beside");
	if (n > ls->cap) {
		ls->cap = n;
		ls->v = xreallocarray(ls->v, ls->cap, sizeof *ls->v);
	}
	p = buf;
	k = 0;
	va = 0;
	for (i = 0; i < n; i++) {
		p = getvar(p, &x);
		k += (int)x;
		p = getvar(p, &x);
		va += (x >> 1) ^ (uint32_t)-(int32_t)(x & 1);
		ls->v[i].i = k;
		ls->v[i].va = va;
	}
	ls->n = n;
	ls->ndead = 0;
	vamap_free(&ls->byva);
	ls->byvaon = 0;
}

void
live_free(struct liveset *ls)
{
	free(ls->v);
	free(ls->x);
	vamap_free(&ls->byva);
	memset(ls, 0, sizeof *ls);
}
