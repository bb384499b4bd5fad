/*
 * A timeline: a trace replayed once under a policy, with every result,
 * the history of its measures, and checkpoints of the machine, so that
 * the state after any event can be had quickly, backwards as forwards.
 */
#ifndef VMAPVIEW_TIMELINE_H
#define VMAPVIEW_TIMELINE_H

#include "live.h"
#include "replay.h"

struct checkpoint {
	size_t	 pos;
	int	 panicked;
	Mmu	 m;
	int	*live;		/* the live mappings then, in order */
	size_t	 nlive;
};

struct timeline {
	struct replay		 full;	/* the whole run: results, history */
	struct replay		 cur;	/* the machine at the cursor */
	struct liveset		 flive;	/* the live mappings, at full's end */
	struct liveset		 live;	/* the live mappings, at the cursor */
	struct checkpoint	*cp;
	size_t			 ncp;
	size_t			 interval;	/* events between checkpoints */
};

void	timeline_open(struct timeline *, const struct trace *, const Policy *,
	    const struct replayopts *);
void	timeline_begin(struct timeline *, const struct trace *,
	    const Policy *, const struct replayopts *, size_t);
void	timeline_add(struct timeline *);
void	timeline_end(struct timeline *);
int	timeline_load(struct trace *, const char *, const Policy *const *, int,
	    const struct replayopts *, struct timeline *, char *, size_t);
void	timeline_seek(struct timeline *, size_t);
void	timeline_free(struct timeline *);

#endif
