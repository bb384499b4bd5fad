/*
 * vmapview import: reading a kernel's console log of vmap and vunmap
 * calls into a trace.
 */
#ifndef VMAPVIEW_IMPORT_H
#define VMAPVIEW_IMPORT_H

#include <stdio.h>

#include "trace.h"

/* Warnings printed, at most; the rest are counted. */
#define IMPORTWARNMAX	10
#define IMPORTMAXLINE	65536	/* bytes in a line of a log */

/* The formats of a log. */
enum {
	IFauto,		/* by its shape: its first line of either */
	IFconsole,	/* a kernel's console: vmap and vunmap lines */
	IFvmallocinfo,	/* Linux's /proc/vmallocinfo: its live mappings */
	Nimportformat
};

extern const char *const importformats[Nimportformat];

/* The kinds of a vmallocinfo line counted, the rest as "other". */
#define IMPORTKINDS	8

struct importstats {
	/* set by the caller */
	int	strict;		/* a line that names vmap but is no call: error */
	FILE	*warn;		/* where warnings go, or nil */
	int	keeporphans;	/* keep a sized orphan vunmap as a raw va */
	int	format;		/* IFauto, or the format to read */

	size_t	lines;
	size_t	events;
	size_t	skipped;	/* lines that are not ours, and ... */
	size_t	unknown;	/* ... vunmaps of unknown addresses, no size */
	size_t	malformed;	/* ... lines that name vmap but are no call */
	size_t	rawunmaps;	/* vunmaps kept as a raw va */
	size_t	orphans;	/* vunmaps of addresses no vmap returned */
	size_t	dropped;	/* ... of them dropped */
	size_t	widegone;	/* vunmaps of a 64-bit address no longer mapped */
	size_t	wideva;		/* vmaps that returned a 64-bit address */
	int	found;		/* the format read (IFauto: none seen) */
	/* vmallocinfo: the lines of each kind but ioremap, skipped */
	struct {
		char	name[16];
		size_t	n;
	}	kind[IMPORTKINDS];
	int	nkind;
	char	err[256];
};

/* Where the events go, one by one: -1 (errno set) stops the reading. */
struct importsink {
	int	(*event)(void *, const struct event *);
	void	*arg;
};

int	import_log(FILE *, const char *, int, const struct importsink *,
	    struct importstats *);

#endif
