/*
 * compare: a trace replayed under several policies in step, the events
 * where they differ and why the first difference happened.
 */
#ifndef VMAPVIEW_COMPARE_H
#define VMAPVIEW_COMPARE_H

#include <stdio.h>

#include "replay.h"
#include "spool.h"

/* An event whose results differ: what the report shows of it. */
struct diff {
	size_t		seq;		/* 1-based */
	uint8_t		op;
	size_t		id;		/* in the id pool, or NOID */
	uint8_t		kind[MAXPOLICY];
	uint32_t	va[MAXPOLICY];
};

#define NOID	((size_t)-1)

/* The first divergences of a kind kept per pair; with --summary, more. */
#define MAXFIRST	3

/* A divergence of a pair, as the report explains it. */
struct divat {
	size_t		 seq;		/* 1-based; 0: none */
	struct event	 ev;		/* without its strings */
	size_t		 id;		/* in the id pool, or NOID */
	char		 why[2][480];	/* each side: result and reason */
};

/* Two of the policies compared, and where they part. */
struct pair {
	int		 a, b;		/* indices into rp[] */
	size_t		 ndiff;		/* events whose results differ */
	size_t		 count[Ndiv];
	struct divat	 first[Ndiv][MAXFIRST];
};

struct compare {
	const struct trace	*t;
	int			 n;
	struct replay		 rp[MAXPOLICY];
	struct madetab		 made[MAXPOLICY];
	size_t			 pos;		/* events fed */
	struct spoolfile	 spool;		/* the events that differ */
	size_t			 ndiff;
	char			*ids;		/* their ids, each ended by NUL */
	size_t			 idlen;
	size_t			 idcap;
	struct pair		*pair;		/* every pair, in order */
	int			 npair;
	int			 nfirst;	/* kept of each kind: 1..MAXFIRST */
	int			 summary;	/* the report leaves out d[] */
};

void	compare_init(struct compare *, const struct trace *, const Policy **,
	    int, const struct replayopts *, int);
void	compare_feed(struct compare *, const struct event *);
void	compare_settrace(struct compare *, const struct trace *);
void	compare_run(struct compare *, const struct trace *, const Policy **,
	    int, const struct replayopts *, int);
void	compare_free(struct compare *);
void	compare_text(FILE *, struct compare *);
int	compare_yaml(FILE *, struct compare *);

#endif
