/*
 * vmapview export: the map at an event and the measures over a run, as
 * SVG pictures.
 */
#ifndef VMAPVIEW_EXPORT_H
#define VMAPVIEW_EXPORT_H

#include <stdio.h>

#include "replay.h"

int	export_map(FILE *, const struct replay *const *, int, int, int);
void	export_mapsize(const struct replay *const *, int, int *, int *);
/*
 * A plot's replays, every policy's (the chosen one first), fed an
 * event at a time as the trace is read: their measures' histories and
 * where each failed and panicked, in buckets (replay.h's struct hist),
 * so that memory follows the live mappings, not the trace's length.
 */
struct plotrun {
	int			 n;
	struct replay		 rp[MAXPOLICY];
	struct madetab		 made[MAXPOLICY];
	struct hist		 fails[MAXPOLICY];
	struct hist		 panics[MAXPOLICY];
};

void	export_plotinit(struct plotrun *, const struct trace *,
	    const Policy *, const struct replayopts *);
void	export_plotfeed(struct plotrun *, const struct event *);
void	export_plotfree(struct plotrun *);
int	export_plot(FILE *, const struct plotrun *);

#endif
