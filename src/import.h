/*
 * vmapview import: reading a kernel's console log of vmap and vunmap
 * calls into a trace.
 */
#ifndef VMAPVIEW_IMPORT_H
#define VMAPVIEW_IMPORT_H

#include <stdio.h>

#include "trace.h"

struct importstats {
	size_t	lines;
	size_t	events;
	size_t	skipped;	/* lines that are not ours, and ... */
	size_t	unknown;	/* ... vunmaps of unknown addresses, no size */
	size_t	rawunmaps;	/* vunmaps kept as a raw va */
	char	err[256];
};

int	import_log(FILE *, const char *, int, struct trace *,
	    struct importstats *);

#endif
