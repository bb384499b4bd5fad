/*
 * A map from an address (or any 64-bit key but VAFREE) to two numbers:
 * open addressing with linear probing on a keyed multiply-shift hash
 * (the key and an odd multiplier drawn at start: addresses come from
 * traces and logs, which could otherwise crowd one run), grown at half
 * full; an entry is deleted by moving later ones of its run back (no
 * tombstones), so the table stays as large as what it holds.
 */
#include <stdlib.h>
#include <string.h>

#include "keyhash.h"
#include "vamap.h"
#include "xmalloc.h"

static size_t
home(const struct vamap *m, uint64_t va)
{
	return (size_t)(((va ^ m->kx) * m->km) >> m->shift);
}

/* The entry of va, or nil. */
struct vaent *
vamap_find(const struct vamap *m, uint64_t va)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = home(m, va); m->e[i].va != VAFREE; i = (i + 1) & (m->cap - 1))
		if (m->e[i].va == va)
			return &m->e[i];
	return NULL;
}

/* A table of cap entries, all free. */
static struct vaent *
freeents(size_t cap)
{
	struct vaent *e;
	size_t i;

	e = xreallocarray(NULL, cap, sizeof *e);
	for (i = 0; i < cap; i++)
		e[i].va = VAFREE;
	return e;
}

/* Twice the room, each entry where its hash puts it now. */
static void
grow(struct vamap *m)
{
	struct vaent *old;
	size_t i, j, oldcap;

	old = m->e;
	oldcap = m->cap;
	if (oldcap == 0)
		keymult(&m->kx, &m->km);
	m->cap = oldcap ? 2 * oldcap : 256;
	m->shift = 64 - __builtin_ctzll(m->cap);
	m->e = freeents(m->cap);
	for (i = 0; i < oldcap; i++) {
		if (old[i].va == VAFREE)
			continue;
		for (j = home(m, old[i].va); m->e[j].va != VAFREE;
		    j = (j + 1) & (m->cap - 1))
			;
		m->e[j] = old[i];
	}
	free(old);
}

/* The entry of va, made (a = b = -1) if there was none. */
struct vaent *
vamap_add(struct vamap *m, uint64_t va)
{
	struct vaent *e;
	size_t i;

	if ((e = vamap_find(m, va)) != NULL)
		return e;
	if (2 * (m->n + 1) > m->cap)
		grow(m);
	for (i = home(m, va); m->e[i].va != VAFREE; i = (i + 1) & (m->cap - 1))
		;
	m->e[i].va = va;
	m->e[i].a = m->e[i].b = -1;
	m->n++;
	return &m->e[i];
}

/* Take entry e out. */
void
vamap_delete(struct vamap *m, struct vaent *e)
{
	size_t i, j, k, mask;

	mask = m->cap - 1;
	i = e - m->e;
	for (j = i;;) {
		j = (j + 1) & mask;
		if (m->e[j].va == VAFREE)
			break;
		k = home(m, m->e[j].va);
		/* entry j may move to i unless its home lies in (i, j] */
		if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
			m->e[i] = m->e[j];
			i = j;
		}
	}
	m->e[i].va = VAFREE;
	m->n--;
}

void
vamap_free(struct vamap *m)
{
	free(m->e);
	memset(m, 0, sizeof *m);
}
