/*
 * The live mappings of a replay fed as the trace is read (livemap.c),
 * with what each vmap was (its id, va, pa and size) kept while it is
 * live: for the commands that answer about one state after the reader
 * has gone on (dump, probe).  A streamed vmap's id and size stay in its
 * id's record in the reader's table, held there while it is live (the
 * table is the live map's once the reader is done).  Memory follows the
 * live mappings.
 */
#ifndef VMAPVIEW_LIVEMAP_H
#define VMAPVIEW_LIVEMAP_H

#include "live.h"
#include "report.h"

struct idtab;

/* Where what the live vmaps were is read: the reader's table, or t. */
struct wasfrom {
	struct idtab		*ids;	/* streamed: held, then owned */
	const struct trace	*t;	/* loaded: its events */
};

struct livemap {
	struct liveset	 live;		/* each with a struct livewas beside */
	struct wasfrom	 from;
};

void	livemap_init(struct livemap *);
void	livemap_step(struct livemap *, struct trace *, size_t,
	    const struct event *, const struct result *);
void	livemap_settle(struct livemap *);
void	livemap_list(struct livemap *, struct dumplist *);
int	livemap_owner(const void *, size_t, uint32_t, size_t *,
	    const char **);
void	livemap_free(struct livemap *);

#endif
