/*
 * A Plan 9 pc/mmu.c as a policy (ksrc.c): its vmap path taken from the
 * file, compiled with the system's C compiler against a small kernel of
 * vmapview's own, and run on the modeled page directory and tables.
 */
#ifndef VMAPVIEW_KSRC_H
#define VMAPVIEW_KSRC_H

#include <stddef.h>

#include "mmu.h"

/* The kernel whose signatures a file has. */
int		 ksrc_flavour(const Policy *);
int		 ksrc_isfile(const char *);
const Policy	*ksrc_load(const char *, char *, size_t);
int		 ksrc_spans(const Policy *);
const char	*ksrc_spanwhy(const Policy *);
const char	*ksrc_flavourwhy(const Policy *);

#endif
