/*
 * The view's events, kept small (vstore.c): 16 bytes an event, its
 * strings in one arena, what few events have beside (a remark, a time,
 * an id of their own, expectations) in tables of their own.  An event
 * is handed out whole, as a struct event, when it is wanted.
 */
#ifndef VMAPVIEW_VSTORE_H
#define VMAPVIEW_VSTORE_H

#include "trace.h"

struct vev {
	uint8_t		 op;
	uint8_t		 flags;		/* the event's, and VXextra, VXexpect */
	uint16_t	 unmapd;	/* vmap: events on to its vunmap by id;
					   0 none, VFAR 65535 or more */
	uint32_t	 a;		/* vmap: pa; vunmap: va */
	uint32_t	 size;
	uint32_t	 b;		/* vmap: id, note: text (arena offset + 1);
					   vunmap by id: its vmap's index + 1 */
};

/* flags beside the event's own */
enum {
	VXextra = 0x40,
	VXexpect = 0x80
};

#define VFAR	0xffff

/* Events a block, of which the last vmap id is kept (lastb). */
#define VBLOCK	4096

/*
 * What few events have beside: a remark, a time, an id of their own,
 * a pa past 4G.
 */
struct vextra {
	uint32_t	 i;
	uint32_t	 note;		/* arena offset + 1, or 0 */
	uint32_t	 id;		/* arena offset + 1, or 0 */
	uint32_t	 pahigh;	/* the pa's high 32 bits */
	double		 t;
};

/* One policy's expectation of one event. */
struct vexpect {
	uint32_t	 i;
	uint8_t		 pidx;
	uint8_t		 kind;
	uint32_t	 addr;
};

struct vstore {
	struct vev	*ev;
	size_t		 n;
	size_t		 cap;
	char		*arena;
	size_t		 alen;
	size_t		 acap;
	struct vextra	*x;
	size_t		 nx;
	size_t		 xcap;
	struct vexpect	*xp;
	size_t		 nxp;
	size_t		 xpcap;
	int		*slotev;	/* while read: a live id's slot, its vmap */
	size_t		 slotcap;
	int		 pawide;	/* digits of the widest pa past 4G; 0: none */
	/* per VBLOCK events: the last vmap id (arena offset + 1) by then */
	uint32_t	*lastb;
	size_t		 nblock;
	size_t		 blockcap;
};

void		 vstore_init(struct vstore *);
void		 vstore_add(struct vstore *, const struct event *);
void		 vstore_fromtrace(struct vstore *, const struct trace *);
const struct event *vstore_event(const struct vstore *, size_t, struct event *);
const char	*vstore_id(const struct vstore *, size_t);
uint32_t	 vstore_size(const struct vstore *, size_t);
long		 vstore_vmapof(const struct vstore *, uint32_t);
long		 vstore_unmapof(const struct vstore *, size_t);
void		 vstore_trim(struct vstore *);
size_t		 vstore_first(const void *, size_t, size_t, size_t);
void		 vstore_search(const struct vstore *, const char *, uint8_t *);
extern size_t	 vstore_searchsplit;
void		 vstore_totrace(const struct vstore *, struct trace *);
void		 vstore_free(struct vstore *);

#endif
