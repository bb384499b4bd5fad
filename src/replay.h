/*
 * Replay: a loaded trace through the model under one policy, one event
 * at a time, with each event's result and the check of its expectation.
 */
#ifndef VMAPVIEW_REPLAY_H
#define VMAPVIEW_REPLAY_H

#include "idtab.h"
#include "mmu.h"
#include "trace.h"
#include "vamap.h"

enum {
	Rnotrun,	/* zero: what an event is before it runs */
	Rok,
	Rfail,
	Rrefused,
	Rskipped,
	Rpanic,
	Rcrash,		/* a kernel file's code died (a signal, an exit) */
	Rhang,		/* a kernel file's code did not return in time */
	Nresult
};

/*
 * Whether a result stopped the kernel: a panic, or a kernel file's
 * crash or hang (after which nothing of it runs, keeping going or not).
 */
#define RSTOPS(k)	((k) >= Rpanic)
#define RDEAD(k)	((k) == Rcrash || (k) == Rhang)

/* How two policies' results of an event differ (replay_divkind). */
enum {
	Daddress,	/* both mapped it, at different addresses */
	Dresult,	/* ok, fail, refused or skipped against another */
	Dpanic,		/* one of them panicked */
	Dhalted,	/* one kernel had panicked before: it did not run */
	Ndiv
};

/* How an expectation came out. */
enum {
	Enone,		/* none for this policy */
	Eheld,
	Efailed,
	Eunchecked	/* the event did not run */
};

struct result {
	uint8_t		 kind;
	uint8_t		 exp;
	uint8_t		 step;		/* the Reason's code (RSblankrun, ...) */
	uint32_t	 va;		/* vmap: the address; vunmap: the va */
	uint32_t	 size;		/* vunmap: the size it was given */
	Panic		*panic;		/* a panic's own, or nil */
	Reason		*why;		/* fail, refused, panic: the model's */
};

/*
 * The first of each kind of trouble a replay met, kept as it goes even
 * when it keeps no results (replay --summary): the event, its id and
 * why, in words.
 */
struct first {
	size_t		 seq;		/* 1-based; 0: none */
	char		 id[48];
	char		 why[400];
};

/*
 * A measure's history over a run in at most 2*HISTN buckets, each the
 * lowest and highest value of its events: when they run out, pairs
 * merge and a bucket holds twice as many.  Bounded whatever the run's
 * length, and fine enough for any picture or screen.
 */
#define HISTN	1024

struct hist {
	size_t		 n;		/* values added */
	size_t		 per;		/* values a bucket: a power of two */
	uint32_t	 lo[2 * HISTN];
	uint32_t	 hi[2 * HISTN];
};

/* The histories a replay keeps. */
enum {
	Hlargest,	/* its policy's largest vmap, pages */
	Hstale,		/* stale tables */
	Hfree,		/* free pages */
	Nhist
};

void	hist_add(struct hist *, uint32_t);
int	hist_range(const struct hist *, size_t, size_t, int, uint32_t *);
int	hist_column(const struct hist *, int, int, int, uint32_t *);

/* What a vmap would do now (replay_probe). */
struct probe {
	struct event	 ev;		/* the vmap, as an event */
	struct result	 r;		/* its result */
	Reason		 why;
	Panic		 panic;
};

struct replay {
	const struct trace	*t;
	const struct madetab	*made;		/* streamed: the live ids' vmaps */
	Mmu			 m;
	int			 pidx;		/* the policy's index in the registry */
	int			 keepgoing;
	int			 panicked;	/* the kernel is halted */
	int			 dead;		/* a kernel file's code is gone */
	size_t			 pos;		/* events run so far */
	struct result		*r;		/* one per event */
	size_t			 cap;		/* of r, and of the history */
	size_t			 count[Nresult];
	size_t			 expheld;
	size_t			 expfailed;
	size_t			 expunchecked;
	size_t			 unexpectedpanics;
	size_t			 unexpectedat;	/* the first's event, 1-based */
	int			 unexpectedkind; /* its result: a panic, ... */

	/* measures after each event, when asked */
	int			 measure;
	int			 firstsonly;	/* replayopts' */
	Stats			 now;		/* after the last event run */
	uint32_t		 minlargest;	/* of this policy, pages */
	size_t			 minlargestat;	/* events run then */
	int			 maxstale;
	size_t			 maxstaleat;
	struct hist		*hist;		/* Hlargest, Hstale, Hfree; or nil */

	/* results already known: run events for the state alone */
	int			 rerun;

	/*
	 * What the kernel prints, in the console form import reads, the
	 * event's number for the time; nil: nowhere.  The replay must
	 * stay where it is while it runs with one (its Mmu points at it).
	 */
	FILE			*console;

	/*
	 * Where results are kept elsewhere (the view's timelines): the
	 * live mapping before event upto that covers va, its event
	 * (1-based) and id; 0 when there is none.
	 */
	int			(*owner)(const void *, size_t, uint32_t,
				    size_t *, const char **);
	const void		*ownerarg;

	/* the first failure, panic and failed expectation */
	struct first		 firstfail;
	struct first		 firstpanic;
	struct first		 firstexp;

	/*
	 * The options that changed the trace's machine ("--kernel 9front"),
	 * or "": its expectations were recorded for its own machine and
	 * are not checked on another.
	 */
	char			 override[40];
};

/* Overrides of the trace's machine; -1 keeps the trace's. */
struct replayopts {
	int	kernel;
	int	pse;
	int	keepgoing;
	int	measure;	/* keep the measures and their extremes */
	int	history;	/* and, with measure, their value after each event */
	int	stream;		/* events come one by one: keep no results */
	int	slow;		/* the kernel-shaped code only (Mmuconf) */
	int	firstsonly;	/* the reasons of the firsts alone are read */
	FILE	*console;	/* what the kernel prints goes here, or nil */
	FILE	*const *consoles;	/* compare: each policy's, or nil */
};

/*
 * For a replay fed by trace_stream: what each vmap with an id made, by
 * the id's slot, until the vunmap by that id; 5 bytes a slot.  What the
 * vmap was given, its event and its id are the reader's (idtab.h), or
 * the loaded trace's.
 */
enum { MADECHUNK = 4096 };

#define MADELIVE	0x80	/* in st: mapped, and not unmapped since */
#define MADESET		0x40	/* in st: the slot's vmap has run */

struct madechunk {
	uint32_t	 va[MADECHUNK];	/* the address it returned */
	uint8_t		 st[MADECHUNK];	/* its result's kind, MADESET, MADELIVE */
};

struct madetab {
	struct madechunk **c;
	size_t		 nc;
	int		 byvaon;	/* since the first vunmap by address */
	struct vamap	 byva;		/* then: the live ones' slots by address */
};

/*
 * The replay as a trace sink (replaysink.c): each event run under n
 * policies as it is read, each with its own table of what an id made,
 * up to event upto.  ran, when not nil, is given each event run with
 * its n results, to take what it will (what it leaves is cleared);
 * forget, when not nil, is told that every event is forgotten (a
 * machine that came late: they come again).
 */
struct replaysink {
	const Policy *const	*p;
	int			 n;
	const struct replayopts	*ro;
	size_t			 upto;		/* events to run */
	size_t			 seen;		/* events given */
	void			(*ran)(void *, struct trace *,
				    const struct event *, struct result *);
	void			(*forget)(void *);
	void			*arg;
	struct replay		 rp[MAXPOLICY];
	struct madetab		 made[MAXPOLICY];
};

extern const char *const resultnames[Nresult];

char	*replay_printed(char *, size_t, const struct event *,
	    const struct result *);
void	 replay_consoleprint(void *, const char *);
void	 replay_consoleforget(FILE *);
void	 replay_consoleafter(struct replay *, const struct event *,
	    const struct result *);
int	 replay_kernel(const struct replay *);
extern const char *const divnames[Ndiv];

void	 replaysink_init(struct replaysink *, const Policy *const *, int,
	     const struct replayopts *, struct tracesink *);
void	 replaysink_settrace(struct replaysink *, const struct trace *);
void	 replaysink_free(struct replaysink *);
void	 replay_init(struct replay *, const struct trace *, const Policy *,
	     const struct replayopts *);
void	 madetab_free(struct madetab *);

/* Slot sl's state in mt: what its vmap's result was, and MADELIVE. */
static inline int
madetab_st(const struct madetab *mt, long sl)
{
	if (sl < 0 || (size_t)sl / MADECHUNK >= mt->nc)
		return 0;
	return mt->c[sl / MADECHUNK]->st[sl % MADECHUNK];
}

/* The address slot sl's vmap returned (its state says it ran). */
static inline uint32_t
madetab_va(const struct madetab *mt, long sl)
{
	return mt->c[sl / MADECHUNK]->va[sl % MADECHUNK];
}

/*
 * The record of slot sl's vmap, when the reader keeps records (the
 * trace is streamed); else nil, and the loaded trace has the event.
 */
static inline const struct idrec *
replay_slotrec(const struct replay *rp, long sl)
{
	if (rp->t == NULL || rp->t->ids == NULL || sl < 0)
		return NULL;
	return idtab_rec(rp->t->ids, sl);
}

/* Run event e on rp's machine (replay.c), its result into res. */
int	 replay_runevent(struct replay *, const struct event *,
	     struct result *, const struct result *, uint32_t);
void	 replay_rerun(struct replay *, const struct event *,
	     const struct result *, uint32_t);

void	 replay_free(struct replay *);
int	 replay_step(struct replay *);
void	 replay_reserve(struct replay *, size_t);
void	 replay_feed(struct replay *, const struct event *,
	     const struct result *, uint32_t, struct result *);
void	 replay_feedslot(struct replay *, struct madetab *,
	     const struct event *, struct result *);
void	 replay_run(struct replay *, size_t);
int	 replay_status(const struct replay *);
int	 replay_record(const struct replay *, struct trace *);
const char *replay_unchecked(const struct replay *);
void	 replay_clear(struct result *);
int	 replay_divkind(const struct event *, const struct result *,
	     const struct result *);
char	*replay_answer(char *, size_t, const struct replay *,
	     const struct event *, const struct result *, size_t);
void	 replay_probe(const struct replay *, uint32_t, uint32_t,
	     struct probe *);
char	*replay_why(char *, size_t, const struct replay *, const struct event *,
	     const struct result *, size_t);
void	 replay_reason(const struct replay *, const struct event *,
	     const struct result *, Reason *);
char	*replay_panicmsg(char *, size_t, const struct replay *,
	     const struct result *);
size_t	 replay_live(const struct replay *, size_t, int **);
uint32_t replay_mapsize(const struct replay *, int);
long	 replay_owner(const struct replay *, size_t, uint32_t);
int	 replay_differ(const struct event *, const struct result *,
	     const struct result *);
const char *replay_cell(char *, size_t, int, int, uint32_t);
uint32_t replay_unmapsize(const struct result *);
void	 replay_measure(const struct replay *, Stats *);


#endif
