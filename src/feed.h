/*
 * A trace's bytes into libyaml, counted, with a read error kept and
 * the place of any byte of the last two chunks (feed.c).
 */
#ifndef VMAPVIEW_FEED_H
#define VMAPVIEW_FEED_H

#include <stddef.h>
#include <stdio.h>

#include <yaml.h>

#define FEEDCHUNK	16384

struct feedchunk {
	size_t		 off;		/* of its first byte in the input */
	size_t		 line;		/* where it begins, 0-based */
	size_t		 col;
	size_t		 len;
	unsigned char	 bytes[FEEDCHUNK];
};

struct feed {
	FILE			*f;
	const unsigned char	*buf;	/* when f is nil */
	size_t			 len;
	size_t			 pos;
	size_t			 total;	/* bytes given to libyaml */
	int			 err;	/* errno of a read error, or 0 */
	size_t			 limit;	/* bytes between two marks, or 0 */
	size_t			 mark;
	int			 toolong; /* the limit was reached */
	size_t			 line;	/* where the input stands */
	size_t			 col;
	int			 cur;	/* the newer chunk */
	struct feedchunk	 chunk[2];
};

void	feed_start(struct feed *, yaml_parser_t *, FILE *,
	    const unsigned char *, size_t, size_t);
void	feed_mark(struct feed *);
int	feed_where(const struct feed *, size_t, size_t *, size_t *);

#endif
