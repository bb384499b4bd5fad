/*
 * shrink: the smallest trace that still shows what went wrong.  Whole
 * units of events are taken out (a vmap with its vunmaps, a raw-va
 * vunmap, a note) by delta debugging until no one unit can go, then
 * values are made round and the machine plain, and the ids renamed.
 */
#ifndef VMAPVIEW_SHRINK_H
#define VMAPVIEW_SHRINK_H

#include <signal.h>

#include "replay.h"

/* What the shrunk trace must still show at its last event. */
enum {
	Wfail,		/* a vmap fails under P, for the same reason */
	Wpanic,		/* P panics, the same kind of panic */
	Wdiverge,	/* P and Q part, the same kind of divergence */
	Wexpect,	/* an expectation of P fails, the same result */
	Wrefused,	/* P refuses a vmap, by the same check */
	Nwhat
};

extern const char *const whatnames[Nwhat];

/* The outcome kept: its kind, and what must be the same. */
struct target {
	int		 what;
	int		 code;		/* reason code, panic or divergence kind,
					   or the result an expectation got */
	size_t		 at;		/* the event of the original, 0-based */
	int		 roomy;		/* a failure with the pages free */
	char		 why[1024];	/* the original's words for it */
};

/* How far it got. */
struct shrinkstat {
	size_t		 tests;		/* replays of a candidate */
	size_t		 before;	/* events of the original */
	size_t		 events;	/* of the best so far */
	double		 seconds;
	int		 stopped;	/* by the budget or a signal */
};

struct shrinkopts {
	const Policy		*pol[2];	/* P, and Q or nil */
	int			 what;		/* Wfail, ...; -1: the first */
	double			 budget;	/* seconds; 0: none */
	size_t			 maxtests;	/* tests at most; 0: no limit */
	struct replayopts	 ro;		/* the machine options */
	volatile sig_atomic_t	*stop;		/* set: stop, keep the best */
	void			(*progress)(void *, const struct shrinkstat *);
	void			*arg;
	size_t			 total;		/* the trace's events, when
						   only some were read; or 0 */
};

int	shrink_find(const struct trace *, const struct shrinkopts *, size_t,
	    struct target *, char *, size_t);
int	shrink_read(struct trace *, const char *, const struct shrinkopts *,
	    size_t *, int *, char *, size_t);
void	shrink_run(const struct trace *, const struct shrinkopts *,
	    const struct target *, struct trace *, struct shrinkstat *);

/* shrink.c's, for shrinkread.c */
int	shrink_wrongat(const struct shrinkopts *, const struct event *,
	    const struct result *, const struct result *, struct target *);
void	shrink_nothing(char *, size_t, const struct shrinkopts *, size_t,
	    const struct replay *);

#endif
