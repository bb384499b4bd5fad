/*
 * A vmaptrace file in memory (vmaptrace(5)): the machine it asks for and
 * its events, validated, with each vunmap by id tied to the vmap that
 * made the mapping.  Loading is the only part that knows YAML; this
 * header does not include it.
 */
#ifndef VMAPVIEW_TRACE_H
#define VMAPVIEW_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mmu.h"

enum {
	OPvmap,
	OPvunmap,
	OPnote,
	Nop
};

/* What an event is expected to give. */
enum {
	Xnone,
	Xok,
	Xfail,
	Xrefused,
	Xskipped,
	Xpanic,
	Xaddr		/* ok, at exactly this address */
};

struct expect {
	uint8_t		kind;
	uint32_t	addr;
};

/* flags of an event */
#define EVSIZE	0x01	/* size given */
#define EVVA	0x02	/* va given */
#define EVTIME	0x04	/* t given */
#define EVOWNID	0x08	/* id is this event's own copy */
#define EVBYID	0x10	/* a vunmap by id */

struct event {
	uint8_t		 op;
	uint8_t		 flags;
	uint64_t	 pa;		/* 64 bits: a device past 4G */
	uint32_t	 va;
	uint32_t	 size;
	int		 ref;		/* vunmap by id: index of its vmap; else -1 */
	int		 slot;		/* the id's slot while live; else -1 */
	int		 line;		/* where the event starts, 1-based */
	int		 col;
	char		*id;
	char		*text;		/* a note event's text */
	char		*note;		/* a remark on the event */
	double		 t;
	struct expect	 expect[MAXPOLICY];
};

struct machine {
	uint32_t	vmap;
	uint32_t	vmapsize;
	int		pse;
	int		kernel;
	uint32_t	ptpages;
};

struct idtab;

struct trace {
	int		 machinelate;	/* streamed: machine came after events */
	/*
	 * Streamed, while the events are given: the reader's live ids and
	 * the record of each slot's vmap (idtab.h), to read; not owned.
	 */
	struct idtab	*ids;
	char		*file;
	char		*name;
	char		*description;
	struct machine	 machine;
	struct event	*ev;
	size_t		 nev;
	size_t		 evcap;
};

/*
 * Where trace_stream sends events.  A vmap with an id and the vunmap by
 * that id have the same slot: a small number, given to the vmap and
 * free again after the vunmap, so that a sink can keep what the vmap
 * made in an array as large as the most ids live at once.
 */
struct tracesink {
	/*
	 * The machine is known (t's): before the first event, or, for a
	 * trace with none, at its end (relay_run and a sinkrun call it).
	 */
	void	(*begin)(void *, struct trace *);
	void	(*event)(void *, struct trace *, const struct event *);
	void	(*reset)(void *);	/* undo begin and every event */
	void	*arg;
	/*
	 * For a reader on a thread of its own, when not nil: where the
	 * reader leaves the bytes of the file it has read, and where it
	 * is told to stop (reading then ends in an error "stopped").
	 * Both are read and written atomically.
	 */
	size_t	*bytes;
	int	*stop;
	/*
	 * How many events the sink may run behind the reader: a slot's
	 * record is kept that long after its vunmap is read.
	 */
	size_t	 lag;
	/*
	 * The sink runs on the reader's thread, the parse on its own: it
	 * costs less than checking the events (a relay would add a third
	 * thread to two processors), or it holds slots of the reader's
	 * table (idtab_hold).
	 */
	int	 light;
};

extern const char *const opnames[Nop];
extern const char *const expectnames[];

void		 trace_init(struct trace *);
int		 trace_load(struct trace *, const char *, char *, size_t);
int		 trace_loadmem(struct trace *, const char *, const void *, size_t,
		     char *, size_t);
int		 trace_stream(struct trace *, const char *,
		     const struct tracesink *, char *, size_t);
int		 trace_rereadable(const char *);
void		 trace_append(struct trace *, const struct event *);
int		 trace_write(FILE *, const struct trace *);
int		 trace_writefile(const char *, const struct trace *, char *,
		     size_t);
void		 trace_free(struct trace *);
const char	*trace_name(const struct trace *);
int		 trace_sameevent(const struct event *, const struct event *);
int		 trace_same(const struct trace *, const struct trace *);
const char	*trace_expectstr(char *, size_t, const struct expect *);
#define SUFFIXANY	2	/* trace_parsenum: k, m, g too */
int		 trace_parsenum(const char *, int, uint64_t *);
const char	*trace_vmapbad(char *, size_t, uint64_t);
const char	*trace_vmapsizebad(uint64_t);

#endif
