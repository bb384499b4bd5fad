/*
 * A spool (spool.c): a temporary file written, then read from its
 * start, through a buffer of its own.  Its records are a few small
 * pieces each, and a stdio call for each, locked once a second thread
 * runs, costs more than copying it.
 */
#ifndef VMAPVIEW_SPOOL_H
#define VMAPVIEW_SPOOL_H

#include <stddef.h>
#include <stdio.h>

enum { SPOOLBUF = 64 * 1024 };

struct spoolfile {
	FILE		*f;		/* nil: not open */
	unsigned char	*buf;		/* SPOOLBUF bytes */
	size_t		 len;		/* in buf: written, or read */
	size_t		 pos;		/* reading: taken of len */
	int		 bad;		/* a write failed */
};

int	spoolfile_open(struct spoolfile *);
void	spoolfile_put(struct spoolfile *, const void *, size_t);
int	spoolfile_rewind(struct spoolfile *);
size_t	spoolfile_get(struct spoolfile *, void *, size_t);
int	spoolfile_failed(const struct spoolfile *);
void	spoolfile_empty(struct spoolfile *);
void	spoolfile_close(struct spoolfile *);

#endif
