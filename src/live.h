/*
 * The live mappings of a run, kept as it moves (live.c): the same set
 * replay_live finds from the first event, updated one event at a time,
 * so that the view's checkpoints can hold it and a seek need not look
 * back past the checkpoint it starts from.
 */
#ifndef VMAPVIEW_LIVE_H
#define VMAPVIEW_LIVE_H

#include "replay.h"
#include "vamap.h"

/* A live vmap: its event's index and the address it returned. */
struct liventry {
	int		 i;
	uint32_t	 va;
};

struct liveset {
	struct liventry	*v;	/* in event order; see live_compact */
	size_t		 n;
	size_t		 ndead;	/* of the n, those that have left */
	size_t		 cap;
	/* address -> the first live vmap there (a) and how many (b) */
	int		 byvaon;	/* since the first vunmap by address */
	struct vamap	 byva;
	/*
	 * optional: xsize bytes beside each vmap, moved with it, and what
	 * is told of them (with xarg) as its vmap leaves (livemap)
	 */
	unsigned char	*x;
	size_t		 xsize;
	void		(*xleave)(void *, void *);
	void		*xarg;
};

void		 live_init(struct liveset *);
uint8_t		*live_pack(struct liveset *, size_t *);
void		 live_unpack(struct liveset *, const uint8_t *, size_t);
long		 live_step(struct liveset *, size_t, const struct event *,
		     const struct result *);
void		 live_compact(struct liveset *);
void		*live_x(const struct liveset *, size_t);
void		 live_free(struct liveset *);

#endif
