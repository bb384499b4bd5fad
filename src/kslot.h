/*
 * What vmapview and a kernel file's child share (kchild.c, kchildmain.c):
 * the talk between them, a word at a time, and the slot a call travels
 * in.  Not for the rest of the program: kchild.h is their face.
 */
#ifndef VMAPVIEW_KSLOT_H
#define VMAPVIEW_KSLOT_H

#include <stdint.h>

#include "kchild.h"

#define NFN	7		/* the functions taken from the file */

/*
 * One way of the talk between vmapview and the child: a word at a
 * time in shared memory, counted by seq.  The receiver watches seq for
 * a while (when there is a processor for each side), then says it
 * sleeps and waits on the socket; the sender rings the socket only
 * then.  A ring is a wake-up, nothing more: what was said is in word,
 * so a ring left over is harmless.
 */
struct kchan {
	_Alignas(64) _Atomic uint32_t seq;
	_Atomic int	 word;
	_Atomic int	 sleeping;
};

/* A call, in the shared pages: what the child runs on, and its answer. */
struct kslot {
	struct kchan	 down;		/* to the child */
	struct kchan	 up;		/* from it */
	uint32_t	 pdb[NPDE];
	uint32_t	 vmapat;
	uint32_t	 vmaplen;
	int		 pse;
	int		 op;
	uint64_t	 pa;		/* vmap: pa; vunmap: va */
	int64_t		 size;
	int		 npte;		/* the pool's pages, by index */
	int		 ptecap;
	uint32_t	**pte;		/* in the shared pages too */
	int		 newpage;	/* the page xspanalloc got, or -1 */
	uint32_t	 budget;	/* the pool's, for a dry pdbmap */
	uint32_t	 inuse;
	int64_t		 after;		/* a call's search after: floor; or -1 */
	char		 was[KDIRTY][BY2PG];	/* written pages, before */
	struct kanswer	 ans;
	int		 exited;	/* it called exit */
	int		 exitcode;
	int		 sig;		/* the signal that ended it */
	char		 where[64];	/* the function it died in */
	char		 loaderr[256];	/* why the child could not start */
};

int	kchan_spinus(void);
int	kchan_say(struct kchan *, int, char);
int	kchan_watch(struct kchan *, uint32_t *);
int	kchan_sleepon(struct kchan *, uint32_t *);
void	kchild_childmain(struct kchild *, int);

#endif
