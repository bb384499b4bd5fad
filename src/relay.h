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

int	relay_stream(struct trace *, const char *, const struct tracesink *,
	    char *, size_t);
int	relay_run(struct trace *, const char *, const struct tracesink *,
	    char *, size_t);

struct relayfeed;
struct relayfeed *relay_feed(const char *, size_t *);
int	relay_take(struct relayfeed *, const struct tracesink *, double);
int	relay_feedclose(struct relayfeed *, int, struct trace *, char *,
	    size_t);

#endif
