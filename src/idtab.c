/*
 * The id table of the trace reader: the ids live while a trace is read,
 * by open addressing on a string hash, deleted by backward shift so that
 * no tombstones are left and the table stays as large as the live set.
 * Each id gets a slot number, small and reused once its vunmap is read
 * (and, for a sink behind the reader, once that sink is past it), so
 * that a sink can keep what a vmap made in an array.  A bucket holds
 * only the slot; the key, and what the vmap was, are in the slot's
 * record, 24 bytes, with a short key inside it.
 */
#include <stdlib.h>
#include <string.h>

#include "idtab.h"
#include "keyhash.h"
#include "xmalloc.h"

/*
 * How a key field holds its key: key[IDSHORT].  Kshort is 0, so that
 * it ends a short key of IDSHORT bytes too.
 */
enum { Kshort, Klent, Kowned };

/* The pointer a key field with a long key keeps. */
static char *
longkey(const char *key)
{
	char *p;

	memcpy(&p, key, sizeof p);
	return p;
}

/*
 * Key s into the IDSHORT+1 bytes at key: inside, when short; else
 * copied, or pointed to when lent (it outlives the field).
 */
void
idkey_set(char *key, const char *s, int lend)
{
	size_t n;
	char *p;

	if ((n = strlen(s)) <= IDSHORT) {
		memcpy(key, s, n + 1);
		key[IDSHORT] = Kshort;
		return;
	}
	p = lend ? (char *)s : xstrdup(s);
	memcpy(key, &p, sizeof p);
	key[IDSHORT] = lend ? Klent : Kowned;
}

/* The key a key field holds. */
const char *
idkey_get(const char *key)
{
	return key[IDSHORT] == Kshort ? key : longkey(key);
}

/* The field empty, what it owned freed. */
void
idkey_free(char *key)
{
	if (key[IDSHORT] == Kowned)
		free(longkey(key));
	memset(key, 0, IDSHORT + 1);
}

/*
 * The ids are the trace's, anybody's: keyed (SipHash), so that no
 * trace can put them all in one run of buckets.
 */
static uint32_t
strhash(const char *s)
{
	return keyhash(s);
}

/* The key of record r. */
const char *
idrec_key(const struct idrec *r)
{
	return idkey_get(r->key);
}

/* Whether slot sl is set in the bit array a. */
static int
bit(const uint64_t *a, uint32_t sl)
{
	return a[sl / 64] >> (sl % 64) & 1;
}

/* The bucket where s is, or the empty one where it would go.  cap > 0. */
static size_t
probe(const struct idtab *tab, const char *s, uint32_t h)
{
	size_t i;
	uint32_t b;

	for (i = h & (tab->cap - 1);; i = (i + 1) & (tab->cap - 1)) {
		b = tab->bucket[i];
		if (b == 0 || strcmp(idrec_key(idtab_rec(tab, b - 1)), s) == 0)
			return i;
	}
}

/*
 * The slot of the live id s, or -1; when live, its bucket into *at (not
 * nil), for idtab_remove to find it by.
 */
long
idtab_find(const struct idtab *tab, const char *s, size_t *at)
{
	uint32_t b;
	size_t i;

	if (tab->cap == 0)
		return -1;
	i = probe(tab, s, strhash(s));
	if ((b = tab->bucket[i]) == 0)
		return -1;
	if (at != NULL)
		*at = i;
	return (long)b - 1;
}

/* Where the id of bucket value b hashes to. */
static size_t
home(const struct idtab *tab, uint32_t b)
{
	return strhash(idrec_key(idtab_rec(tab, b - 1))) & (tab->cap - 1);
}

/*
 * Twice as many buckets, each id where its hash puts it now, placed
 * again from the records of the live ids: the old buckets are freed
 * first, so that the two are never held at once.
 */
static void
grow(struct idtab *tab)
{
	uint32_t s;
	size_t j;

	free(tab->bucket);
	tab->cap = tab->cap ? 2 * tab->cap : 64;
	tab->bucket = xcalloc(tab->cap, sizeof *tab->bucket);
	for (s = 0; s < tab->nslots; s++) {
		if (!bit(tab->live, s))
			continue;
		for (j = home(tab, s + 1); tab->bucket[j] != 0;
		    j = (j + 1) & (tab->cap - 1))
			;
		tab->bucket[j] = s + 1;
	}
}

/* Slot s at the end of list l. */
static void
push(struct idtab *tab, struct idfree *l, uint32_t s)
{
	idtab_rec(tab, s)->line = 0;
	if (l->tail != 0)
		idtab_rec(tab, l->tail - 1)->line = s + 1;
	else
		l->head = s + 1;
	l->tail = s + 1;
}

/* List b after list a; b empty. */
static void
join(struct idtab *tab, struct idfree *a, struct idfree *b)
{
	if (b->head == 0)
		return;
	if (a->tail != 0)
		idtab_rec(tab, a->tail - 1)->line = b->head;
	else
		a->head = b->head;
	a->tail = b->tail;
	b->head = b->tail = 0;
}

/*
 * Slots freed two epochs of lag events ago are ready: the sink behind
 * is past their vunmaps.
 */
static void
age(struct idtab *tab, uint64_t now)
{
	uint64_t e;

	if (tab->lag == 0)
		return;
	e = now / tab->lag;
	while (tab->epoch < e && (tab->aging.head != 0 || tab->fresh.head != 0)) {
		join(tab, &tab->ready, &tab->aging);
		tab->aging = tab->fresh;
		tab->fresh.head = tab->fresh.tail = 0;
		tab->epoch++;
	}
	tab->epoch = e;
}

/* A slot for a new id: a ready one, else the next. */
static uint32_t
newslot(struct idtab *tab)
{
	struct idrec *r;
	uint32_t s;

	if (tab->ready.head != 0) {
		s = tab->ready.head - 1;
		r = idtab_rec(tab, s);
		tab->ready.head = r->line;
		if (tab->ready.head == 0)
			tab->ready.tail = 0;
		idkey_free(r->key);
		return s;
	}
	if (tab->nslots == IDMAXSLOTS)
		fatal("more than %zu ids live at once", IDMAXSLOTS);
	s = tab->nslots++;
	if (s % IDCHUNK == 0)
		tab->chunk[s / IDCHUNK] = xcalloc(IDCHUNK, sizeof (struct idrec));
	if (s / 64 >= tab->livecap) {
		tab->live = xreallocarray(tab->live, tab->livecap + IDCHUNK / 64,
		    sizeof *tab->live);
		tab->held = xreallocarray(tab->held, tab->livecap + IDCHUNK / 64,
		    sizeof *tab->held);
		memset(tab->live + tab->livecap, 0, IDCHUNK / 64 *
		    sizeof *tab->live);
		memset(tab->held + tab->livecap, 0, IDCHUNK / 64 *
		    sizeof *tab->held);
		tab->livecap += IDCHUNK / 64;
	}
	return s;
}

/*
 * The slot of id s at event now (0-based): the live one (*had set), or
 * a new one whose record holds the key and nothing else yet.  A long
 * key is copied, or pointed to when lent: it outlives the table.
 */
long
idtab_add(struct idtab *tab, const char *s, int lend, uint64_t now, int *had)
{
	struct idrec *r;
	size_t i;
	uint32_t sl;

	if ((tab->n + 1) * 4 > tab->cap * 3)
		grow(tab);
	i = probe(tab, s, strhash(s));
	if ((*had = tab->bucket[i] != 0))
		return (long)tab->bucket[i] - 1;
	age(tab, now);
	sl = newslot(tab);
	r = idtab_rec(tab, sl);
	memset(r, 0, sizeof *r);
	idkey_set(r->key, s, lend);
	tab->live[sl / 64] |= 1ull << (sl % 64);
	tab->bucket[i] = sl + 1;
	tab->n++;
	return sl;
}

/*
 * The id of slot sl is unmapped at event now: gone from the table, its
 * slot free to be given again (once no sink holds it), its record kept
 * until then.  at: its bucket, as idtab_find said, when nothing was
 * added since; else IDNOWHERE, and the bucket is found by the id's
 * hash.
 */
void
idtab_remove(struct idtab *tab, long sl, size_t at, uint64_t now)
{
	size_t i, j, k, mask;

	mask = tab->cap - 1;
	if (at <= mask && tab->bucket[at] == (uint32_t)sl + 1)
		i = at;
	else
		for (i = home(tab, sl + 1); tab->bucket[i] != (uint32_t)sl + 1;
		    i = (i + 1) & mask)
			;
	for (j = i;;) {
		j = (j + 1) & mask;
		if (tab->bucket[j] == 0)
			break;
		k = home(tab, tab->bucket[j]);
		/* bucket j may move to i unless its home lies in (i, j] */
		if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
			tab->bucket[i] = tab->bucket[j];
			i = j;
		}
	}
	tab->bucket[i] = 0;
	tab->n--;
	tab->live[sl / 64] &= ~(1ull << (sl % 64));
	age(tab, now);
	if (!bit(tab->held, sl))
		push(tab, tab->lag ? &tab->fresh : &tab->ready, sl);
}

/*
 * Slot sl, given, is held by a sink on the reader's thread: not given
 * again, its record as it is, till idtab_release, though its id leave
 * the table.  A sink behind the reader cannot: by the time it holds
 * a slot the reader may have freed it.
 */
void
idtab_hold(struct idtab *tab, long sl)
{
	if (tab->lag != 0)
		fatal("idtab_hold: a sink behind the reader");
	if ((size_t)sl >= tab->nslots || bit(tab->held, sl))
		fatal("idtab_hold: slot %ld not given, or held", sl);
	tab->held[sl / 64] |= 1ull << (sl % 64);
}

/* Slot sl is held no more: given again once its id is gone, or now. */
void
idtab_release(struct idtab *tab, long sl)
{
	if ((size_t)sl >= tab->nslots || !bit(tab->held, sl))
		fatal("idtab_release: slot %ld not held", sl);
	tab->held[sl / 64] &= ~(1ull << (sl % 64));
	if (!bit(tab->live, sl))
		push(tab, &tab->ready, sl);
}

/*
 * Nothing more is added, found or removed (the reader is done): the
 * buckets are freed, the records kept to be read.
 */
void
idtab_settle(struct idtab *tab)
{
	free(tab->bucket);
	tab->bucket = NULL;
	tab->cap = 0;
}

/* Free the table and the keys it owns. */
void
idtab_free(struct idtab *tab)
{
	struct idrec *r;
	uint32_t s;

	for (s = 0; s < tab->nslots; s++) {
		r = idtab_rec(tab, s);
		idkey_free(r->key);
	}
	for (s = 0; s < IDCHUNKS; s++)
		free(tab->chunk[s]);
	free(tab->bucket);
	free(tab->live);
	free(tab->held);
	memset(tab, 0, sizeof *tab);
}
