/*
 * A temporary file written, then read back from its start, a buffer
 * of SPOOLBUF bytes between it and its records (spool.h).  A write
 * that fails is remembered, and said when the spool is turned to be
 * read.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"
#include "xmalloc.h"

/* A new, empty spool in sf.  Returns 0, or -1 with errno set. */
int
spoolfile_open(struct spoolfile *sf)
{
	memset(sf, 0, sizeof *sf);
	if ((sf->f = tmpfile()) == NULL)
		return -1;
	sf->buf = xmalloc(SPOOLBUF);
	return 0;
}

/* What is in the buffer, to the file. */
static void
flush(struct spoolfile *sf)
{
	if (sf->len > 0 && fwrite(sf->buf, sf->len, 1, sf->f) != 1)
		sf->bad = 1;
	sf->len = 0;
}

/* n bytes at p after what was written. */
void
spoolfile_put(struct spoolfile *sf, const void *p, size_t n)
{
	if (sf->len + n > SPOOLBUF)
		flush(sf);
	if (n > SPOOLBUF) {
		if (fwrite(p, n, 1, sf->f) != 1)
			sf->bad = 1;
		return;
	}
	memcpy(sf->buf + sf->len, p, n);
	sf->len += n;
}

/*
 * What was written, to be read from its start.  Returns 0, or -1 when
 * any of it could not be written.
 */
int
spoolfile_rewind(struct spoolfile *sf)
{
	flush(sf);
	if (fflush(sf->f) != 0)
		sf->bad = 1;
	rewind(sf->f);
	sf->len = sf->pos = 0;
	return sf->bad ? -1 : 0;
}

/*
 * Up to n bytes of the spool into p: n, or fewer at its end or when it
 * cannot be read (spoolfile_failed says which).
 */
size_t
spoolfile_get(struct spoolfile *sf, void *p, size_t n)
{
	unsigned char *q;
	size_t k, got;

	for (q = p, got = 0; got < n; got += k) {
		if (sf->pos == sf->len) {
			sf->len = fread(sf->buf, 1, SPOOLBUF, sf->f);
			sf->pos = 0;
			if (sf->len == 0)
				break;
		}
		k = sf->len - sf->pos < n - got ? sf->len - sf->pos : n - got;
		memcpy(q + got, sf->buf + sf->pos, k);
		sf->pos += k;
	}
	return got;
}

/* Whether reading the spool failed, not ended. */
int
spoolfile_failed(const struct spoolfile *sf)
{
	return ferror(sf->f) != 0;
}

/* Everything written forgotten: the spool as new. */
void
spoolfile_empty(struct spoolfile *sf)
{
	sf->len = sf->pos = 0;
	rewind(sf->f);
	if (ftruncate(fileno(sf->f), 0) < 0)
		sf->bad = 1;
}

void
spoolfile_close(struct spoolfile *sf)
{
	if (sf->f != NULL)
		fclose(sf->f);
	free(sf->buf);
	memset(sf, 0, sizeof *sf);
}
