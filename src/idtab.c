/*
 * The id table of the trace reader: the ids live while a trace is read,
 * by open addressing on a string hash, deleted by backward shift so that
 * no tombstones are left and the table stays as large as the live set.
 * Each id gets a slot number, small and reused once its vunmap is read,
 * so that a sink can keep what a vmap made in an array.
 */
#include <stdlib.h>
#include <string.h>

#include "idtab.h"
#include "xmalloc.h"

/* FNV-1a. */
static uint32_t
strhash(const char *s)
{
	uint32_t h;

	h = 2166136261u;
	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Where s is, or the empty entry where it would go.  cap > 0. */
static struct idslot *
probe(const struct idtab *tab, const char *s, uint32_t h)
{
	struct idslot *sl;
	size_t i;

	for (i = h & (tab->cap - 1);; i = (i + 1) & (tab->cap - 1)) {
		sl = &tab->ids[i];
		if (sl->key == NULL || (sl->hash == h && strcmp(sl->key, s) == 0))
			return sl;
	}
}

/* The live id s, or nil. */
struct idslot *
idtab_find(const struct idtab *tab, const char *s)
{
	struct idslot *sl;

	if (tab->cap == 0)
		return NULL;
	sl = probe(tab, s, strhash(s));
	return sl->key != NULL ? sl : NULL;
}

/* Twice as many entries, each where its hash puts it now. */
static void
grow(struct idtab *tab)
{
	struct idslot *old;
	size_t i, j, oldcap;

	old = tab->ids;
	oldcap = tab->cap;
	tab->cap = oldcap ? 2 * oldcap : 64;
	tab->ids = xcalloc(tab->cap, sizeof *tab->ids);
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		j = old[i].hash & (tab->cap - 1);
		while (tab->ids[j].key != NULL)
			j = (j + 1) & (tab->cap - 1);
		tab->ids[j] = old[i];
	}
	free(old);
}

/*
 * The entry of id s: the live one, or a new one with a slot of its own
 * (live -1).  A new entry holds the caller's string until the caller
 * sets ownkey.
 */
struct idslot *
idtab_add(struct idtab *tab, char *s)
{
	struct idslot *sl;
	uint32_t h;

	if ((tab->n + 1) * 2 > tab->cap)
		grow(tab);
	h = strhash(s);
	sl = probe(tab, s, h);
	if (sl->key != NULL)
		return sl;
	sl->key = s;
	sl->ownkey = 0;
	sl->hash = h;
	sl->live = -1;
	sl->line = 0;
	sl->slot = tab->nfree > 0 ? tab->freeslots[--tab->nfree] :
	    tab->nslots++;
	tab->n++;
	return sl;
}

/* Delete entry i, whose slot is free again. */
void
idtab_delete(struct idtab *tab, size_t i)
{
	size_t j, k, mask;

	if (tab->nfree == tab->freecap) {
		tab->freecap = tab->freecap ? 2 * tab->freecap : 64;
		tab->freeslots = xreallocarray(tab->freeslots, tab->freecap,
		    sizeof *tab->freeslots);
	}
	tab->freeslots[tab->nfree++] = tab->ids[i].slot;
	mask = tab->cap - 1;
	if (tab->ids[i].ownkey)
		free(tab->ids[i].key);
	for (j = i;;) {
		j = (j + 1) & mask;
		if (tab->ids[j].key == NULL)
			break;
		k = tab->ids[j].hash & mask;
		/* entry j may move to i unless its home lies in (i, j] */
		if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
			tab->ids[i] = tab->ids[j];
			i = j;
		}
	}
	tab->ids[i].key = NULL;
	tab->n--;
}

/* Free the table and the keys it owns. */
void
idtab_free(struct idtab *tab)
{
	size_t i;

	for (i = 0; i < tab->cap; i++)
		if (tab->ids[i].key != NULL && tab->ids[i].ownkey)
			free(tab->ids[i].key);
	free(tab->ids);
	free(tab->freeslots);
	memset(tab, 0, sizeof *tab);
}
