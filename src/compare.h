/*
 * compare: a trace replayed under several policies in step, the events
 * where they differ and why the first difference happened.
 */
#ifndef VMAPVIEW_COMPARE_H
#define VMAPVIEW_COMPARE_H

#include <stdio.h>

#include "replay.h"

struct compare {
	const struct trace	*t;
	int			 n;
	struct replay		 rp[MAXPOLICY];
	size_t			 ndiff;		/* events that differ */
	size_t			 first;		/* seq of the first; 0: none */
	char			 why[MAXPOLICY][320];
};

int	compare_run(struct compare *, const struct trace *, const Policy **,
	    int, const struct replayopts *);
void	compare_free(struct compare *);
void	compare_text(FILE *, const struct compare *);
int	compare_yaml(FILE *, const struct compare *);

#endif
