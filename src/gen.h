/*
 * Trace generators for vmapview gen: each makes a valid trace in memory
 * from a seed and a few numbers.
 */
#ifndef VMAPVIEW_GEN_H
#define VMAPVIEW_GEN_H

#include <stdint.h>

#include "trace.h"

struct genopts {
	uint64_t	seed;
	size_t		events;		/* churn */
	uint32_t	pokes;		/* devtest */
	uint32_t	pdes;		/* staircase */
	double		fill;		/* churn: target live fraction */
};

struct generator {
	const char	*name;
	int		(*run)(struct trace *, const struct genopts *);
	const char	*summary;
};

extern const struct generator	generators[];
extern const int		ngenerators;

const struct generator	*gen_find(const char *);
int			 gen_run(const struct generator *,
			     const struct genopts *, struct trace *);

#endif
