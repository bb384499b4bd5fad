/*
 * Trace generators for vmapview gen: each makes a valid trace in memory
 * from a seed and a few numbers.
 */
#ifndef VMAPVIEW_GEN_H
#define VMAPVIEW_GEN_H

#include <stdint.h>
#include <stdio.h>

#include "trace.h"

struct genopts {
	uint64_t	seed;
	size_t		events;		/* churn */
	uint32_t	pokes;		/* devtest */
	uint32_t	pdes;		/* staircase */
	double		fill;		/* churn: target live fraction */
};

/* The settings a generator takes, beyond the seed every one takes. */
enum {
	GOevents = 1 << 0,
	GOpokes = 1 << 1,
	GOpdes = 1 << 2,
	GOfill = 1 << 3
};

struct generator {
	const char	*name;
	void		(*run)(struct trace *, const struct genopts *);
	const char	*summary;
	unsigned	 takes;		/* GOevents, ... */
	int		 whole;		/* it needs its events all at once */
};

extern const struct generator	generators[];
extern const int		ngenerators;

const struct generator	*gen_find(const char *);
void			 gen_run(const struct generator *,
			     const struct genopts *, struct trace *);
int			 gen_write(const struct generator *,
			     const struct genopts *, FILE *);

#endif
