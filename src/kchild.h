/*
 * A kernel file's compiled code, run in a child process (kchild.c):
 * its crash, its exit or its hang is a result, never vmapview's end.
 */
#ifndef VMAPVIEW_KCHILD_H
#define VMAPVIEW_KCHILD_H

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>

#include "mmu.h"

/*
 * What the compiled code and its host share; the same, field for
 * field, in ksrc.c's kernel[].
 */
struct vvmach {
	int		 machno;
	uint32_t	*pdb;
	uint32_t	 cpuiddx;
	int		 flushmmu;
};

struct vvhost {
	uint32_t	 vmapat;	/* VMAP */
	uint32_t	 vmaplen;	/* VMAPSIZE */
	int		 pse;
	struct vvmach	 mach;
	void		*(*kaddr)(uint32_t);
	uint32_t	 (*paddr)(void *);
	void		*(*xspanalloc)(uint32_t, int, uint32_t);
	void		*(*rampage)(void);
	int		 (*vprint)(const char *, va_list);
	void		 (*vpanic)(const char *, va_list);
	void		 (*vexit)(int, const char *);
	uint32_t	 allocva;	/* what the file's vmapalloc returned */
	int		 allocated;	/* it was called */
};

#define VVABI	2

/* The calls. */
enum {
	KCvmap, KCvunmap, KCvmapalloc,
	KClargest,	/* dry_largest from b pages down, floor a: the pages */
	KCmisfit,	/* dry_misfit: the pages */
	KCvunmapdry	/* vunmap(a, b), dry: which of its first PDEs it cleared */
};

/* How a call ended. */
enum {
	KRreturned,	/* ret holds what it returned */
	KRpanic,	/* it panicked: said */
	KRcrash,	/* it died (a signal, exit): said */
	KRhang		/* it did not return in time: said */
};

/* A call's answer. */
#define KDIRTY	64	/* tables a call's written list can name */
#define KCONSOLE	2048	/* bytes of a call's prints kept */
struct kanswer {
	int		 how;
	uint32_t	 ret;
	int		 printed;	/* it printed (said) */
	int		 allocated;	/* its vmapalloc ran, and returned */
	uint32_t	 allocva;
	int		 searched;	/* after: the largest vmap found then */
	uint32_t	 after;
	int		 ndirty;	/* tables written; -1: any may have been */
	int		 dirty[KDIRTY];	/* the pool's indices */
	int		 wasat[KDIRTY];	/* where each was kept (kchild_was) */
	char		 said[PANICLEN];
	char		 console[KCONSOLE];	/* every print, in order */
};

/* One file's child: parent's side. */
struct kchild {
	const char	*name;		/* for messages */
	int		 sofd;		/* the object, checked, to load */
	pid_t		 pid;		/* 0: none running */
	int		 fd;		/* our end of its socket */
	struct kslot	*slot;		/* in the shared pages */
	int		 hung;		/* a dry run hung: no more of them */
	double		 waits;		/* the socket's receive timeout, s */
	uint32_t	 upseen;	/* the child's words heard */
	pthread_mutex_t	 lock;
};

struct kslot;

void	kchild_timeout(double);
int	kchild_init(struct kchild *, const char *, int, char *, size_t);
void	kchild_call(struct kchild *, Mmu *, int, uint64_t, int64_t,
	    int64_t, struct kanswer *);
const uint32_t *kchild_was(const struct kchild *, const struct kanswer *,
	    int);

#endif
