/*
 * A map from an address to two numbers (vamap.c): open addressing on
 * the address, entries deleted without tombstones.  For the mappings
 * found by the address vmap returned: the live set and a stream's ids.
 */
#ifndef VMAPVIEW_VAMAP_H
#define VMAPVIEW_VAMAP_H

#include <stddef.h>
#include <stdint.h>

struct vaent {
	uint32_t	 va;
	int		 used;
	long		 a, b;
};

struct vamap {
	struct vaent	*e;
	size_t		 n;
	size_t		 cap;		/* a power of two */
};

struct vaent	*vamap_find(const struct vamap *, uint32_t);
struct vaent	*vamap_add(struct vamap *, uint32_t);
void		 vamap_delete(struct vamap *, struct vaent *);
void		 vamap_free(struct vamap *);

#endif
