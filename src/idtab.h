/*
 * The live ids of a trace being read (idtab.c): each id live from its
 * vmap to the vunmap that names it, with the small slot number the
 * reader gives it (trace.h).
 */
#ifndef VMAPVIEW_IDTAB_H
#define VMAPVIEW_IDTAB_H

#include <stddef.h>
#include <stdint.h>

/* A live id: the vmap that made it.  Gone when unmapped. */
struct idslot {
	char		*key;		/* the vmap's id, or ownkey: the table's */
	int		 ownkey;
	uint32_t	 hash;
	int		 live;		/* index of the vmap event, if stored */
	int		 line;		/* the vmap's line */
	int		 slot;		/* the event's slot (trace.h) */
};

struct idtab {
	struct idslot	*ids;		/* open addressing on a string hash */
	size_t		 n;
	size_t		 cap;		/* a power of two */
	int		*freeslots;	/* slots of ids unmapped, to use again */
	size_t		 nfree;
	size_t		 freecap;
	int		 nslots;	/* slots ever given */
};

struct idslot	*idtab_find(const struct idtab *, const char *);
struct idslot	*idtab_add(struct idtab *, char *);
void		 idtab_delete(struct idtab *, size_t);
void		 idtab_free(struct idtab *);

#endif
