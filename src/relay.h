/*
 * A relay: a trace sink run on a thread of its own.  The reader hands
 * each checked event to the relay, which copies it into a batch; the
 * sink's thread takes the batches in order.  Reading the next part of
 * a trace then overlaps replaying the part before, and the sink sees
 * exactly the events, in the order, that it would see unrelayed.
 */
#ifndef VMAPVIEW_RELAY_H
#define VMAPVIEW_RELAY_H

#include "trace.h"

/*
 * A sink's course, kept for it: it is begun once the machine is known,
 * on its first event or, when there is none, from the header at the
 * end (sinkrun_begin); reset only once begun, and begun again after.
 * Give the reader via.
 */
struct sinkrun {
	struct tracesink	 via;
	const struct tracesink	*to;
	int			 begun;
};

void	sinkrun_init(struct sinkrun *, const struct tracesink *);
void	sinkrun_begin(struct sinkrun *, struct trace *);
void	sinkrun_reset(struct sinkrun *);

int	relay_run(struct trace *, const char *, const struct tracesink *,
	    char *, size_t);
void	relay_give(struct trace *, const struct tracesink *);

struct relayfeed;
struct relayfeed *relay_feed(const char *, size_t *);
int	relay_take(struct relayfeed *, const struct tracesink *, double);
int	relay_feedclose(struct relayfeed *, int, struct trace *, char *,
	    size_t);

#endif
