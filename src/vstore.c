/*
 * The view's events, kept small (vstore.h).  An event is 16 bytes: its
 * op, flags, two numbers and a third that is a vmap's id or a note's
 * text (in the arena) or, for a vunmap by id, the index of its vmap,
 * whose id it shares.  Remarks, times, ids that are no vmap's and
 * expectations are rare in long traces; each sits in a table of its
 * own, in event order, found by a binary search.
 */
#define _GNU_SOURCE		/* memmem */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "vstore.h"
#include "xmalloc.h"

#define VBIT(a, i)	((a)[(i) / 8] >> ((i) % 8) & 1)

void
vstore_init(struct vstore *vs)
{
	memset(vs, 0, sizeof *vs);
}

/* s into the arena: its offset + 1, or 0 for nil. */
static uint32_t
keep(struct vstore *vs, const char *s)
{
	size_t n, at;

	if (s == NULL)
		return 0;
	n = strlen(s) + 1;
	xgrow(&vs->arena, &vs->acap, vs->alen + n, 1);
	at = vs->alen;
	memcpy(vs->arena + at, s, n);
	vs->alen += n;
	if (at + 1 > UINT32_MAX)
		fatal("more than 4 GB of ids and notes");
	return at + 1;
}

/*
 * Add event e, as the reader gives it (a vunmap by id tied to its vmap
 * by ref, or by the slot its id had) or as a loaded trace holds it.
 */
void
vstore_add(struct vstore *vs, const struct event *e)
{
	struct vev *v;
	struct vextra *x;
	struct vexpect *xp;
	uint32_t idoff;
	size_t i;
	long ref;
	int k;

	xgrow(&vs->ev, &vs->cap, vs->n + 1, sizeof *vs->ev);
	i = vs->n++;
	if (i >= UINT32_MAX)
		fatal("more than 4G events");
	if (i / VBLOCK == vs->nblock) {
		xgrow(&vs->lastb, &vs->blockcap, vs->nblock + 1,
		    sizeof *vs->lastb);
		vs->lastb[vs->nblock] = vs->nblock ?
		    vs->lastb[vs->nblock - 1] : 0;
		vs->nblock++;
	}
	v = &vs->ev[i];
	memset(v, 0, sizeof *v);
	v->op = e->op;
	v->flags = e->flags & ~EVOWNID;
	v->size = e->size;
	ref = e->ref;
	if (ref < 0 && (e->flags & EVBYID) && e->slot >= 0 &&
	    (size_t)e->slot < vs->slotcap)
		ref = vs->slotev[e->slot];
	idoff = 0;
	switch (e->op) {
	case OPvmap:
		v->a = (uint32_t)e->pa;
		v->b = keep(vs, e->id);
		if (v->b != 0)
			vs->lastb[i / VBLOCK] = v->b;
		if (e->slot >= 0) {
			xgrow(&vs->slotev, &vs->slotcap, (size_t)e->slot + 1,
			    sizeof *vs->slotev);
			vs->slotev[e->slot] = i;
		}
		break;
	case OPvunmap:
		v->a = e->va;
		if (ref >= 0) {
			v->b = ref + 1;
			vs->ev[ref].unmapd = i - ref < VFAR ? i - ref : VFAR;
		} else
			idoff = keep(vs, e->id);
		break;
	default:
		v->a = e->va;
		v->b = keep(vs, e->text);
		idoff = keep(vs, e->id);
		break;
	}
	if (e->note != NULL || (e->flags & EVTIME) || idoff != 0 ||
	    (e->op == OPvmap && e->pa >> 32 != 0)) {
		xgrow(&vs->x, &vs->xcap, vs->nx + 1, sizeof *vs->x);
		x = &vs->x[vs->nx++];
		x->i = i;
		x->note = keep(vs, e->note);
		x->id = idoff;
		x->pahigh = e->op == OPvmap ? e->pa >> 32 : 0;
		for (k = 8; k < 16 && x->pahigh >> (4 * (k - 8)) != 0; k++)
			;
		if (x->pahigh != 0 && k > vs->pawide)
			vs->pawide = k;
		x->t = e->t;
		v->flags |= VXextra;
	}
	for (k = 0; k < MAXPOLICY; k++) {
		if (e->expect[k].kind == Xnone)
			continue;
		xgrow(&vs->xp, &vs->xpcap, vs->nxp + 1, sizeof *vs->xp);
		xp = &vs->xp[vs->nxp++];
		xp->i = i;
		xp->pidx = k;
		xp->kind = e->expect[k].kind;
		xp->addr = e->expect[k].addr;
		v->flags |= VXexpect;
	}
}

/* Every event of t. */
void
vstore_fromtrace(struct vstore *vs, const struct trace *t)
{
	size_t i;

	vstore_init(vs);
	for (i = 0; i < t->nev; i++)
		vstore_add(vs, &t->ev[i]);
	vstore_trim(vs);
}

static const char *
str(const struct vstore *vs, uint32_t off)
{
	return off ? vs->arena + off - 1 : NULL;
}

/*
 * The first element of table a (n elements of size sz, each beginning
 * with the uint32_t index of its event, in order) at index i or later.
 */
size_t
vstore_first(const void *a, size_t n, size_t sz, size_t i)
{
	size_t lo, hi, mid;

	lo = 0;
	hi = n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (*(const uint32_t *)((const char *)a + mid * sz) < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The id of event i (a vunmap by id: its vmap's), or nil. */
const char *
vstore_id(const struct vstore *vs, size_t i)
{
	const struct vev *v;
	size_t k;

	v = &vs->ev[i];
	if (v->op == OPvmap)
		return str(vs, v->b);
	if (v->op == OPvunmap && v->b != 0)
		return str(vs, vs->ev[v->b - 1].b);
	if (v->flags & VXextra) {
		k = vstore_first(vs->x, vs->nx, sizeof *vs->x, i);
		return str(vs, vs->x[k].id);
	}
	return NULL;
}

/*
 * The size a vunmap event i unmaps, as a replay has it: its own, or
 * its vmap's when it is by id and gives none; a vmap's size.
 */
uint32_t
vstore_size(const struct vstore *vs, size_t i)
{
	const struct vev *v;

	v = &vs->ev[i];
	if (v->op == OPvunmap && v->b != 0 && !(v->flags & EVSIZE))
		return vs->ev[v->b - 1].size;
	return v->size;
}

/*
 * Event i whole, in *e: its strings are the store's, to be read while
 * the store stands and not freed.  Returns e.
 */
const struct event *
vstore_event(const struct vstore *vs, size_t i, struct event *e)
{
	const struct vev *v;
	const struct vextra *x;
	const struct vexpect *xp;
	size_t k;

	v = &vs->ev[i];
	memset(e, 0, sizeof *e);
	e->op = v->op;
	e->flags = v->flags & ~(VXextra | VXexpect);
	e->size = v->size;
	e->ref = -1;
	e->slot = -1;
	switch (v->op) {
	case OPvmap:
		e->pa = v->a;
		break;
	case OPvunmap:
		e->va = v->a;
		if (v->b != 0)
			e->ref = v->b - 1;
		break;
	default:
		e->va = v->a;
		e->text = (char *)str(vs, v->b);
		break;
	}
	e->id = (char *)vstore_id(vs, i);
	if (v->flags & VXextra) {
		x = &vs->x[vstore_first(vs->x, vs->nx, sizeof *vs->x, i)];
		e->note = (char *)str(vs, x->note);
		e->t = x->t;
		e->pa |= (uint64_t)x->pahigh << 32;
	}
	if (v->flags & VXexpect)
		for (k = vstore_first(vs->xp, vs->nxp, sizeof *vs->xp, i);
		    k < vs->nxp && vs->xp[k].i == i; k++) {
			xp = &vs->xp[k];
			e->expect[xp->pidx].kind = xp->kind;
			e->expect[xp->pidx].addr = xp->addr;
		}
	return e;
}

/*
 * The vmap whose id is the arena's string at off (offset + 1): found in
 * its block, the last ids of the blocks being in order.  Or -1.
 */
long
vstore_vmapof(const struct vstore *vs, uint32_t off)
{
	size_t lo, hi, mid, i, end;

	lo = 0;
	hi = vs->nblock;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (vs->lastb[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == vs->nblock)
		return -1;
	end = (lo + 1) * VBLOCK < vs->n ? (lo + 1) * VBLOCK : vs->n;
	for (i = lo * VBLOCK; i < end; i++)
		if (vs->ev[i].b == off && vs->ev[i].op == OPvmap)
			return i;
	return -1;
}

/* The vunmap by id of vmap k, or -1. */
long
vstore_unmapof(const struct vstore *vs, size_t k)
{
	size_t i;

	if (vs->ev[k].unmapd == 0)
		return -1;
	if (vs->ev[k].unmapd < VFAR)
		return k + vs->ev[k].unmapd;
	for (i = k + VFAR; i < vs->n; i++)
		if (vs->ev[i].b == k + 1 && vs->ev[i].op == OPvunmap)
			return i;
	return -1;
}

/* The strings of the store's arena that hold a needle, from a to end. */
struct hits {
	const struct vstore	*vs;
	const char		*a, *end, *needle;
	size_t			 len;
	uint32_t		*hit;	/* each string's arena offset + 1 */
	size_t			 nh, hcap;
};

static void *
findhits(void *arg)
{
	struct hits *h = arg;
	const char *a, *q, *st, *arena;

	arena = h->vs->arena;
	for (a = h->a; h->len > 0 && a < h->end && (q = memmem(a, h->end - a,
	    h->needle, h->len)) != NULL; a = q + strlen(q) + 1) {
		for (st = q; st > arena && st[-1] != '\0'; st--)
			;
		xgrow(&h->hit, &h->hcap, h->nh + 1, sizeof *h->hit);
		h->hit[h->nh++] = st - arena + 1;
	}
	return NULL;
}

/*
 * The arena's strings that hold needle, in order, into h[0]: past
 * vstore_searchsplit bytes (tests make it small), the second half, from
 * a string's start, is searched on a thread of its own.
 */
size_t vstore_searchsplit = 32u << 20;

static void
searcharena(const struct vstore *vs, const char *needle, struct hits *h)
{
	const char *mid, *end;
	pthread_t th;
	int threaded;

	memset(h, 0, 2 * sizeof *h);
	end = vs->arena + vs->alen;
	h[0].vs = h[1].vs = vs;
	h[0].needle = h[1].needle = needle;
	h[0].len = h[1].len = strlen(needle);
	h[0].a = vs->arena;
	h[0].end = h[1].a = h[1].end = end;
	threaded = 0;
	if (vs->alen > vstore_searchsplit && (mid = memchr(vs->arena + vs->alen / 2,
	    '\0', end - (vs->arena + vs->alen / 2))) != NULL) {
		h[0].end = h[1].a = mid + 1;
		threaded = pthread_create(&th, NULL, findhits, &h[1]) == 0;
		if (!threaded)
			h[0].end = end;
	}
	findhits(&h[0]);
	if (!threaded)
		return;
	pthread_join(th, NULL);
	if (h[1].nh > 0) {
		xgrow(&h[0].hit, &h[0].hcap, h[0].nh + h[1].nh,
		    sizeof *h[0].hit);
		memcpy(h[0].hit + h[0].nh, h[1].hit, h[1].nh * sizeof *h->hit);
		h[0].nh += h[1].nh;
	}
	free(h[1].hit);
}

/*
 * The events whose ids hold needle, a bit each set in bits (a byte per
 * 8 events, zeroed by the caller): the store's strings are searched at
 * once (memmem); a vmap whose id is hit matches, and so does its vunmap
 * by id, and an event with an id of its own that holds needle.  A few
 * hits are each found in their block (vstore_vmapof, vstore_unmapof);
 * many, in one walk of the events, whose ids are in event order.
 */
void
vstore_search(const struct vstore *vs, const char *needle, uint8_t *bits)
{
	const struct vev *v, *ev;
	struct hits h[2];
	uint32_t *hit, bv, r, isvm, isun, bit, m, byte;
	uint8_t *mb;
	size_t nh, hcap, k, i, j, n, len;
	long vk;

	len = strlen(needle);
	searcharena(vs, needle, h);
	hit = h[0].hit;
	nh = h[0].nh;
	hcap = h[0].hcap;
	if (nh <= vs->nblock + 16) {
		/* few: each hit's vmap from its block, and its vunmap */
		for (k = 0; k < nh; k++) {
			if ((vk = vstore_vmapof(vs, hit[k])) < 0)
				continue;
			bits[vk / 8] |= 1 << (vk % 8);
			if ((vk = vstore_unmapof(vs, vk)) >= 0)
				bits[vk / 8] |= 1 << (vk % 8);
		}
		nh = 0;
	}
	/* a last hit past every string, so that hit[k] is always there */
	if (nh == hcap)
		hit = xreallocarray(hit, ++hcap, sizeof *hit);
	hit[nh] = UINT32_MAX;
	/*
	 * Many: one pass, a byte of bits at a time, a vmap matching when
	 * the next hit is its id, a vunmap by id as its vmap did.
	 */
	mb = bits;
	ev = vs->ev;
	n = nh > 0 ? vs->n : 0;
	for (i = k = 0; i < n; i += 8) {
		byte = 0;
		for (j = 0; j < 8 && i + j < n; j++) {
			/* selects, not branches: ops come in no order */
			v = &ev[i + j];
			isvm = v->op == OPvmap;
			isun = (v->op == OPvunmap) & (v->b != 0);
			bv = v->b & -isvm;
			while (hit[k] < bv)
				k++;
			m = (bv != 0) & (hit[k] == bv);
			r = (v->b - 1) & -isun;
			if (r >= i)	/* its vmap is in this byte */
				bit = byte >> (r - i) & 1;
			else
				bit = VBIT(mb, r);
			byte |= (m | (isun & bit)) << j;
		}
		mb[i / 8] = byte;
	}
	/* the few with an id of their own */
	for (k = 0; k < vs->nx && len > 0; k++)
		if (vs->x[k].id != 0 && strstr(vs->arena + vs->x[k].id - 1,
		    needle) != NULL)
			bits[vs->x[k].i / 8] |= 1 << (vs->x[k].i % 8);
	free(hit);
}

/* Every table as long as it holds, now that no more will come. */
void
vstore_trim(struct vstore *vs)
{
	if (vs->n > 0) {
		vs->ev = xreallocarray(vs->ev, vs->n, sizeof *vs->ev);
		vs->cap = vs->n;
	}
	if (vs->alen > 0) {
		vs->arena = xrealloc(vs->arena, vs->alen);
		vs->acap = vs->alen;
	}
	if (vs->nx > 0) {
		vs->x = xreallocarray(vs->x, vs->nx, sizeof *vs->x);
		vs->xcap = vs->nx;
	}
	if (vs->nxp > 0) {
		vs->xp = xreallocarray(vs->xp, vs->nxp, sizeof *vs->xp);
		vs->xpcap = vs->nxp;
	}
	free(vs->slotev);
	vs->slotev = NULL;
	vs->slotcap = 0;
}

static char *
dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/*
 * The events into t (its header untouched), each with strings of its
 * own, as trace_load would give them: a vmap owns its id, a vunmap by
 * id shares it.
 */
void
vstore_totrace(const struct vstore *vs, struct trace *t)
{
	struct event e, *d;
	size_t i;

	t->ev = xcalloc(vs->n ? vs->n : 1, sizeof *t->ev);
	t->nev = vs->n;
	for (i = 0; i < vs->n; i++) {
		vstore_event(vs, i, &e);
		d = &t->ev[i];
		*d = e;
		d->text = dup(e.text);
		d->note = dup(e.note);
		if (e.ref >= 0)
			d->id = t->ev[e.ref].id;
		else if (e.id != NULL) {
			d->id = xstrdup(e.id);
			d->flags |= EVOWNID;
		}
	}
}

void
vstore_free(struct vstore *vs)
{
	free(vs->ev);
	free(vs->arena);
	free(vs->x);
	free(vs->xp);
	free(vs->slotev);
	free(vs->lastb);
	memset(vs, 0, sizeof *vs);
}
