/*
 * A map from an address to two numbers (vamap.c): open addressing on
 * the address, entries deleted without tombstones.  For the mappings
 * found by the address vmap returned: the live set and a stream's ids.
 */
#ifndef VMAPVIEW_VAMAP_H
#define VMAPVIEW_VAMAP_H

#include <stddef.h>
#include <stdint.h>

/* The key no entry may have: a free entry's. */
#define VAFREE		UINT64_MAX

struct vaent {
	uint64_t	 va;		/* VAFREE: free */
	long		 a, b;
};

struct vamap {
	struct vaent	*e;
	size_t		 n;
	size_t		 cap;		/* a power of two */
	int		 shift;		/* 64 less its bits */
	uint64_t	 kx, km;	/* the hash's key and odd multiplier */
};

struct vaent	*vamap_find(const struct vamap *, uint64_t);
struct vaent	*vamap_add(struct vamap *, uint64_t);
void		 vamap_delete(struct vamap *, struct vaent *);
void		 vamap_free(struct vamap *);

#endif
