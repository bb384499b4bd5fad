/*
 * The trace reader's state and its ways (traceread.c), shared with what
 * reads an event (traceevents.c).  Not for the rest of the program:
 * trace.h is the reader's face.
 */
#ifndef VMAPVIEW_LOADER_H
#define VMAPVIEW_LOADER_H

#include <stdint.h>
#include <stdio.h>

#include <yaml.h>

#include "feed.h"
#include "idtab.h"
#include "mmu.h"
#include "trace.h"

#define MAXSCALAR	(1 << 20)	/* bytes in one value */
/*
 * Bytes libyaml may read between two events: a value and its key at
 * their limits, and what libyaml reads ahead.  Past it the input is
 * refused before libyaml has buffered more.
 */
#define MAXGAP		(2 * MAXSCALAR + 4 * FEEDCHUNK)

/*
 * Where the live set first grew past each multiple of the pages of a
 * PDE, for the limit on live ids: a vmap has a multiple of them.
 */
#define PDEPAGES	(PGDIRSIZE / BY2PG)
#define MAXPDES		((size_t)(1ull << 32) / PGDIRSIZE)

struct livemark {
	int	line;
	int	col;
};

struct loader {
	yaml_parser_t	 parser;
	yaml_event_t	 evs[2];	/* the current one, and the one before */
	yaml_event_t	*ev;		/* the current one, of evs */
	int		 haveev;
	int		 evbreaks;	/* its scalar has a newline or a tab */
	struct ypipe	*pipe;		/* the parser's thread; nil: parse here */
	const char	*file;
	const char	*path;		/* to read again; nil for stdin */
	FILE		*f;		/* the input, or nil for a string */
	struct feed	 feed;		/* its bytes into the parser */
	size_t		 nlive;		/* ids live now */
	size_t		 maxlive;
	struct livemark	 maxat[MAXPDES];	/* [k]: where k*PDEPAGES+1 were */
	int		 machinefirst;	/* machine came before the events */
	const struct tracesink *sk;	/* events go here, not into the trace */
	int		 inevents;	/* the events key has been read */
	long		 unmapped;	/* its id, to delete after the sink */
	size_t		 unmappedat;	/* its bucket (idtab_find) */
	char		*err;
	size_t		 errlen;
	struct trace	*t;

	struct idtab	*ids;		/* the live ids */
	/* a sink's event's id, text and note: lent to it, kept here */
	struct {
		char	*p;
		size_t	 cap;
	}		 lent[3];
	double		 lastt;
	int		 lastline;
};

/* The keys a mapping may have, and how their errors word them. */
struct keyset {
	const char *const	*names;
	int			 n;
	const char		*kind;		/* "an event key" */
	const char		*unknown;	/* "unknown event key" */
	const char		*prefix;	/* before a key given twice */
	int			 first;		/* the key that must be first, or -1 */
};

int	 ld_failat(struct loader *, const yaml_mark_t *, const char *, ...)
	     __attribute__((format(printf, 3, 4)));
int	 ld_next(struct loader *);
int	 ld_expect(struct loader *, yaml_event_type_t, const char *);
int	 ld_nextitem(struct loader *, yaml_event_type_t, yaml_event_type_t,
	     const char *, const char *);
int	 ld_getnum(struct loader *, const char *, int, uint64_t, uint64_t *);
int	 ld_getstr(struct loader *, const char *, int, char **);
int	 ld_getlent(struct loader *, const char *, int, int, char **);
const char *ld_evkind(const yaml_event_t *);
int	 ld_keyloop(struct loader *, const struct keyset *, unsigned *,
	     yaml_mark_t *, int (*)(struct loader *, int, void *), void *);
int	 ld_loadevents(struct loader *);
int	 ld_checklive(struct loader *);

/*
 * The index of the n bytes at s in names[0..nn), or nn.  The bytes are
 * a scalar, which scalarok holds to have no NUL: so a name that
 * matches them has at least n bytes.
 */
static inline int
ld_findname(const char *const *names, int nn, const char *s, size_t n)
{
	const char *t;
	size_t k;
	int i;

	for (i = 0; i < nn; i++) {
		/* a name's NUL differs from every byte of s: k stops there */
		t = names[i];
		for (k = 0; k < n && t[k] == s[k]; k++)
			;
		if (k == n && t[n] == '\0')
			return i;
	}
	return nn;
}

#endif
