/*
 * libyaml's parser on a thread of its own (ypipe.c), handing its events
 * to the trace reader in batches: the parse, which is most of the work
 * of reading a trace, runs beside what the reader makes of its events.
 */
#ifndef VMAPVIEW_YPIPE_H
#define VMAPVIEW_YPIPE_H

#include <stddef.h>

#include <yaml.h>

struct feed;
struct ypipe;

/*
 * What the parser thread calls when yaml_parser_parse fails: the
 * message into err, with prevend the end of the event before (nil for
 * none).  It may read the parser and the feed, and nothing the reader
 * changes.
 */
typedef void	 ypipe_failfn(void *, const yaml_mark_t *, char *, size_t);

int		 ypipe_wanted(void);
struct ypipe	*ypipe_start(yaml_parser_t *, struct feed *, ypipe_failfn *,
		     void *);
int		 ypipe_next(struct ypipe *, yaml_event_t *, char *, size_t);
void		 ypipe_stop(struct ypipe *);

#endif
