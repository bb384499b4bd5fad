/*
 * The live ids of a trace being read (idtab.c): each id live from its
 * vmap to the vunmap that names it, with the small slot number the
 * reader gives it (trace.h) and a record of its vmap under that slot.
 *
 * A record outlives its id: a slot is given again only once the events
 * up to its vunmap have reached a sink that runs behind the reader
 * (lag events behind at most), so such a sink may read the record of
 * any slot it holds live while the reader goes on.  A sink on the
 * reader's own thread (lag 0) may hold a slot for longer, past its
 * vunmap (idtab_hold): its record stays, id and all, until released.
 */
#ifndef VMAPVIEW_IDTAB_H
#define VMAPVIEW_IDTAB_H

#include <stddef.h>
#include <stdint.h>

enum {
	IDCHUNK = 4096,		/* records to a chunk */
	IDCHUNKS = 512,		/* chunks at most: never moved */
	IDSHORT = 11		/* the longest key kept in its record */
};

/*
 * What a slot's vmap was: 24 bytes.  A short key is kept NUL-terminated
 * in key; a long one's pointer is in its first bytes, and key[IDSHORT]
 * says which (idtab.c).  A trace has at most IDMAXEVENTS events, so
 * that seq fits.
 */
struct idrec {
	char		 key[IDSHORT + 1];
	uint32_t	 seq;		/* the vmap's event, 1-based */
	uint32_t	 size;		/* the size it was given */
	uint32_t	 line;		/* its line; free: the next free slot+1 */
};

#define IDMAXEVENTS	((uint64_t)INT32_MAX)

/* Free slots in the order they were freed: slot+1 at each end, or 0. */
struct idfree {
	uint32_t	 head;
	uint32_t	 tail;
};

struct idtab {
	uint32_t	*bucket;	/* open addressing: slot+1, or 0 */
	size_t		 n;		/* live ids */
	size_t		 cap;		/* buckets, a power of two */
	struct idrec	*chunk[IDCHUNKS];
	uint32_t	 nslots;	/* slots ever given */
	uint64_t	*live;		/* a bit a slot: its id is in the table */
	uint64_t	*held;		/* a bit a slot: not to be given again */
	size_t		 livecap;	/* words of live, and of held */
	size_t		 lag;		/* events a freed slot waits; 0: none */
	uint64_t	 epoch;		/* now / lag, when fresh was begun */
	struct idfree	 ready;		/* to be given again */
	struct idfree	 aging;		/* freed an epoch ago */
	struct idfree	 fresh;		/* freed this epoch */
	int		 kept;		/* by a relay, which frees it */
};

#define IDMAXSLOTS	((size_t)IDCHUNK * IDCHUNKS)

#define IDNOWHERE	((size_t)-1)	/* idtab_remove: no bucket known */

long		 idtab_find(const struct idtab *, const char *, size_t *);
long		 idtab_add(struct idtab *, const char *, int, uint64_t, int *);
void		 idtab_remove(struct idtab *, long, size_t, uint64_t);
void		 idtab_hold(struct idtab *, long);
void		 idtab_release(struct idtab *, long);
void		 idtab_settle(struct idtab *);
void		 idtab_free(struct idtab *);
const char	*idrec_key(const struct idrec *);
void		 idkey_set(char *, const char *, int);
const char	*idkey_get(const char *);
void		 idkey_free(char *);

/* The record of slot sl, which has been given. */
static inline struct idrec *
idtab_rec(const struct idtab *it, long sl)
{
	return &it->chunk[sl / IDCHUNK][sl % IDCHUNK];
}

#endif
