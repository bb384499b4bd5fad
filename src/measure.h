/*
 * The measures of a state, as rows: each its name, its unit, how to
 * read it from a replay and its Stats, and where each output puts it.
 * The text report and the dump, the YAML report, compare's summary and
 * the view's measures all iterate the rows (measure.c); a measure added
 * here appears in every one of them.
 */
#ifndef VMAPVIEW_MEASURE_H
#define VMAPVIEW_MEASURE_H

#include <stdio.h>

#include "replay.h"

struct emitter;

/* How a value reads. */
enum {
	MUcount,	/* things: 12 */
	MUrun,		/* pages, with their size: 63486 (253944K) */
	MUsize,		/* pages as a size: 244M, or none */
	MUfrac,		/* a fraction: 1.6% (0.0160 in YAML) */
	MUwhatif,	/* every allocator's largest vmap on this state */
};

/* Where a row stands in a report of lines: its line, and its words. */
struct mplace {
	int		 line;		/* index into the output's lines; -1: not */
	const char	*sep;		/* before the words, when not the line's first */
	const char	*words;		/* %v the value, %a its event, %p the policy */
	int		 order;		/* on its line, lowest first; ties as the rows */
};

#define MEXTREME	0x1	/* kept over the run: only where measures are */

struct measure {
	const char	*name;		/* as the man page's MEASURES has it */
	int		 unit;
	int		 flags;
	/* its value; *at, where it has one, the event it was at */
	double		(*get)(const struct replay *, const Stats *, size_t *);
	struct mplace	 text;		/* the report's and the dump's lines */
	struct mplace	 view;		/* the view's measures */
	const char	*ygroup;	/* YAML: the mapping it is in, or nil */
	const char	*ykey;		/* its key, or nil: not in YAML */
	const char	*ysub;		/* with an event: the value's key beside after */
	const char	*clabel;	/* compare's summary row, or nil */
	const char	*cwords;	/* that row's cell: %v, %a; nil: "%v" */
};

/* The styles of a value: in a report's line, the view's, a cell. */
enum { MStext, MSview, MScell };

int		 measure_count(void);
const struct measure *measure_at(int);
int		 measure_add(const struct measure *);
char		*measure_words(char *, size_t, const struct measure *,
		     const char *, int, const struct replay *, const Stats *);
void		 measure_text(FILE *, const struct replay *, const Stats *, int);
int		 measure_yaml(struct emitter *, const struct replay *,
		     const Stats *);
int		 measure_viewlines(char (*)[96], int, const struct replay *,
		     const Stats *);

#endif
