/*
 * The bytes of a trace on their way into libyaml's parser: from a file
 * or a string, counted, with a read error told from the end of the
 * input, and with the last two chunks kept with the line and column
 * where each began.  libyaml knows a reader error (bad UTF-8) only by
 * its byte offset; the chunks give it a line and a column whatever the
 * input is (standard input cannot be read again).  The count lets the
 * reader refuse a value that grows past its limit before libyaml has
 * buffered the whole of it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "feed.h"

/*
 * Where the input stands after the n bytes at p: its line, and its
 * column in characters as libyaml counts them (a UTF-8 sequence is
 * one).
 */
static void
advance(struct feed *fd, const unsigned char *p, size_t n)
{
	const unsigned char *nl, *end;

	end = p + n;
	while ((nl = memchr(p, '\n', end - p)) != NULL) {
		fd->line++;
		fd->col = 0;
		p = nl + 1;
	}
	for (; p < end; p++)
		fd->col += (*p & 0xc0) != 0x80;
}

/* libyaml's read handler: at most FEEDCHUNK bytes into buf. */
static int
feedread(void *arg, unsigned char *buf, size_t size, size_t *got)
{
	struct feed *fd = arg;
	struct feedchunk *c;
	size_t n;

	if (size > FEEDCHUNK)
		size = FEEDCHUNK;
	if (fd->limit != 0 && fd->total - fd->mark > fd->limit) {
		fd->toolong = 1;
		*got = 0;
		return 0;
	}
	if (fd->f != NULL) {
		n = fread(buf, 1, size, fd->f);
		if (n == 0 && ferror(fd->f)) {
			fd->err = errno ? errno : EIO;
			*got = 0;
			return 0;	/* libyaml: an input error */
		}
	} else {
		n = fd->len - fd->pos < size ? fd->len - fd->pos : size;
		memcpy(buf, fd->buf + fd->pos, n);
		fd->pos += n;
	}
	*got = n;
	if (n == 0)
		return 1;
	fd->cur ^= 1;
	c = &fd->chunk[fd->cur];
	c->off = fd->total;
	c->line = fd->line;
	c->col = fd->col;
	c->len = n;
	memcpy(c->bytes, buf, n);
	advance(fd, buf, n);
	fd->total += n;
	return 1;
}

/*
 * Feed parser from f, or from the len bytes at buf when f is nil.  When
 * limit is not 0, the parser is given no more than limit bytes past
 * the count at the last feed_mark: then it sees an input error, and
 * toolong is set.
 */
void
feed_start(struct feed *fd, yaml_parser_t *parser, FILE *f,
    const unsigned char *buf, size_t len, size_t limit)
{
	memset(fd, 0, sizeof *fd);
	fd->limit = limit;
	fd->f = f;
	fd->buf = buf;
	fd->len = len;
	yaml_parser_set_input(parser, feedread, fd);
}

/*
 * The line and column (0-based) of byte off of the input, if it lies
 * in the chunks kept.  Returns 0, or -1.
 */
int
feed_where(const struct feed *fd, size_t off, size_t *line, size_t *col)
{
	const struct feedchunk *c;
	struct feed at;
	int i;

	for (i = 0; i < 2; i++) {
		c = &fd->chunk[i];
		if (c->len == 0 || off < c->off || off > c->off + c->len)
			continue;
		memset(&at, 0, sizeof at);
		at.line = c->line;
		at.col = c->col;
		advance(&at, c->bytes, off - c->off);
		*line = at.line;
		*col = at.col;
		return 0;
	}
	return -1;
}

/* Count the limit from here: the parser has made an event. */
void
feed_mark(struct feed *fd)
{
	fd->mark = fd->total;
}
