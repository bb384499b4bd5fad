/*
 * A timeline: a trace replayed once under a policy, with every result
 * kept small, the history of its measures, and checkpoints of the
 * machine and its live mappings, so that the state after any event can
 * be had quickly, backwards as forwards.  Its events are a vstore's,
 * which the timelines of one view share.
 */
#ifndef VMAPVIEW_TIMELINE_H
#define VMAPVIEW_TIMELINE_H

#include "live.h"
#include "replay.h"
#include "vstore.h"

struct checkpoint {
	size_t		 pos;
	int		 panicked;
	Mmupack		 m;
	uint8_t		*live;		/* the live mappings then (live_pack) */
	size_t		 livelen;
	size_t		 nlive;
};

/*
 * The reason of a fail, refusal or panic (one of the reasons kept, the
 * same one kept once for a run of events that have it), and a panic's
 * own words.
 */
struct tlwhy {
	uint32_t	 i;
	uint32_t	 r;		/* in reasons */
};

struct tlpanic {
	uint32_t	 i;
	Panic		 p;
};

struct timeline {
	const struct vstore	*vs;
	struct replay		 full;	/* the whole run: counts, history */
	struct replay		 cur;	/* the machine at the cursor */
	uint16_t		*kx;	/* per event: kind, exp, step */
	uint32_t		*va;	/* per event: the result's address */
	size_t			 cap;
	struct tlwhy		*why;
	size_t			 nwhy;
	size_t			 whycap;
	Reason			*reasons;
	size_t			 nreason;
	size_t			 reasoncap;
	struct tlpanic		*pan;
	size_t			 npan;
	size_t			 pancap;
	struct liveset		 flive;	/* the live mappings, at full's end */
	struct liveset		 live;	/* the live mappings, at the cursor */
	struct checkpoint	*cp;
	size_t			 ncp;
	size_t			 interval;	/* events between checkpoints */
	size_t			 cpbytes;	/* what they hold */
	/*
	 * Finer ones, made as the cursor passes, between the checkpoint
	 * at nearfrom and the next: a step back costs a few events.
	 */
	struct checkpoint	*near;
	size_t			 nearfrom;
	size_t			 nearsub;	/* events between them */
	uint32_t		 nearhave;	/* a bit per one made */
	int			 feeding;	/* full is running an event */
	int			 hascur;	/* the cursor is made */
};

/* How a load goes, for a progress line on another thread (atomic). */
struct loadwatch {
	size_t	bytes;		/* of the file read */
	int	stop;		/* set: the load ends, "stopped" */
};

void	timeline_begin(struct timeline *, const struct vstore *,
	    const struct trace *, const Policy *, const struct replayopts *,
	    size_t);
void	timeline_add(struct timeline *);
void	timeline_end(struct timeline *);
void	timeline_cursor(struct timeline *);
void	timeline_moved(struct timeline *);
void	timeline_open(struct timeline *, const struct vstore *,
	    const struct trace *, const Policy *, const struct replayopts *);
int	timeline_load(struct trace *, const char *, const Policy *const *, int,
	    const struct replayopts *, struct vstore *, struct timeline *,
	    struct loadwatch *, char *, size_t);
struct tlload;
struct tlload *timeline_loadopen(const char *, const Policy *const *, int,
	    const struct replayopts *, struct vstore *, struct timeline *const *,
	    struct loadwatch *);
int	timeline_loadsome(struct tlload *, double);
struct trace *timeline_loadheader(struct tlload *);
int	timeline_loadready(const struct tlload *);
int	timeline_loadclose(struct tlload *, int, struct trace *, char *,
	    size_t);
void	timeline_seek(struct timeline *, size_t);
const struct result *timeline_result(const struct timeline *, size_t,
	    struct result *);
void	timeline_free(struct timeline *);

#endif
