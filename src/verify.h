/*
 * verify: a policy against another on random traces, result by result,
 * and the first difference shrunk to the fewest events that show it.
 */
#ifndef VMAPVIEW_VERIFY_H
#define VMAPVIEW_VERIFY_H

#include "replay.h"

struct verifyopts {
	const Policy	*pol[2];	/* the file's, the built-in one */
	int		 kernel;	/* the kernels the traces are for */
	int		 traces;
	uint64_t	 seed;
	FILE		*console;	/* the file's prints, or nil */
};

/* Where they first differ, if they do. */
struct verdict {
	int		 differ;
	int		 words;		/* in the words written, not results */
	int		 trace;		/* which of the traces, 0-based */
	size_t		 at;		/* its event, 0-based */
	size_t		 traces;	/* run */
	size_t		 events;	/* run, all traces */
	char		 why[2][640];	/* each side's result there */
};

void	verify_trace(struct trace *, uint64_t, int);
int	verify_run(const struct verifyopts *, struct verdict *,
	    struct trace *);

#endif
