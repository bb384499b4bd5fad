/*
 * The parser on a thread of its own (ypipe.h).  A ring of DEPTH batches
 * of events: the parser's thread fills the batch at tail, each event's
 * type and marks, a scalar's bytes copied into the batch, and deletes
 * libyaml's event there, so that nothing malloc gave one thread is
 * freed by the other; the reader takes the events of the batch at head
 * in order.  A parse error ends a batch, its message made on the
 * parser's thread (by the reader's function, from the parser and the
 * feed, which only that thread touches while it runs), and is given to
 * the reader where the events before it end.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "loader.h"
#include "util.h"
#include "xmalloc.h"
#include "ypipe.h"

enum {
	BATCH = 512,	/* events handed over at once */
	DEPTH = 16,	/* batches parsed ahead, at most */
	WAKE = 4,	/* batches waiting that wake the reader */
	ERRLEN = 640
};

enum { Emore, Eend, Eerror };

/*
 * An event as the reader reads it, in 32 bytes, the fewer cache lines
 * to pass between the threads: where it starts, the byte after it (for
 * a progress line), a scalar's length, whether it had an anchor.  A
 * scalar's bytes follow the ones before it in buf, with a NUL after
 * them; those of one longer than the reader takes are not kept.
 */
struct pev {
	uint8_t		 type;
	uint8_t		 anchored;
	uint32_t	 column;
	uint64_t	 line;
	uint64_t	 end;
	uint64_t	 len;
};

_Static_assert(offsetof(yaml_event_t, data.scalar.anchor) ==
    offsetof(yaml_event_t, data.sequence_start.anchor) &&
    offsetof(yaml_event_t, data.scalar.anchor) ==
    offsetof(yaml_event_t, data.mapping_start.anchor),
    "ypipe_next sets every anchor as a scalar's");

/* The bytes a scalar of n takes in a batch's buf. */
#define KEPT(n)		((n) <= MAXSCALAR ? (n) + 1 : 0)

struct pbatch {
	struct pev	 ev[BATCH];
	int		 n;
	int		 end;		/* Emore, or how the events end */
	char		*buf;
	size_t		 len;
	size_t		 cap;
	char		 err[ERRLEN];	/* Eerror: the message */
};

struct ypipe {
	yaml_parser_t	*parser;
	struct feed	*feed;
	ypipe_failfn	*fail;
	void		*arg;
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 filled;
	pthread_cond_t	 emptied;
	struct pbatch	 b[DEPTH];
	unsigned	 head;		/* batches the reader is done with */
	unsigned	 tail;		/* batches the parser has filled */
	int		 stop;		/* the reader wants no more */
	int		 ended;		/* the parser has no more */
	int		 sleeping;	/* the reader waits for WAKE batches */
	struct pbatch	*cur;		/* b[head % DEPTH], being read */
	int		 i;		/* its next event */
	size_t		 off;		/* the bytes of its next scalar */
};

/* Whether to parse on a thread: as the relay is wanted. */
int
ypipe_wanted(void)
{
	return threadswanted();
}

/*
 * n bytes from s to d: most scalars are short, and two loads that may
 * overlap copy them without a call.
 */
static inline void
copy(char *d, const unsigned char *s, size_t n)
{
	uint64_t a, z;
	uint32_t a4, z4;

	if (n >= 8 && n <= 16) {
		memcpy(&a, s, 8);
		memcpy(&z, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &z, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(&a4, s, 4);
		memcpy(&z4, s + n - 4, 4);
		memcpy(d, &a4, 4);
		memcpy(d + n - 4, &z4, 4);
	} else if (n < 4) {
		while (n-- > 0)
			*d++ = (char)*s++;
	} else
		memcpy(d, s, n);
}

/* Event ev into batch b, a scalar's bytes with it. */
static void
keep(struct pbatch *b, const yaml_event_t *ev)
{
	struct pev *pe;
	size_t n;

	pe = &b->ev[b->n++];
	pe->type = ev->type;
	pe->line = ev->start_mark.line;
	pe->column = ev->start_mark.column;
	pe->end = ev->end_mark.index;
	pe->len = 0;
	pe->anchored = 0;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		pe->anchored = ev->data.scalar.anchor != NULL;
		pe->len = n = ev->data.scalar.length;
		if (KEPT(n) == 0)	/* refused by its length alone */
			break;
		if (b->len + n + 1 > b->cap)
			xgrow(&b->buf, &b->cap, b->len + n + 1, 1);
		copy(b->buf + b->len, ev->data.scalar.value, n);
		b->buf[b->len + n] = '\0';
		b->len += n + 1;
		break;
	case YAML_SEQUENCE_START_EVENT:
		pe->anchored = ev->data.sequence_start.anchor != NULL;
		break;
	case YAML_MAPPING_START_EVENT:
		pe->anchored = ev->data.mapping_start.anchor != NULL;
		break;
	default:
		break;
	}
}

/* Fill batch b from the parser; the end of the event before in *prev. */
static void
fill(struct ypipe *yp, struct pbatch *b, yaml_mark_t *prev, int *haveprev)
{
	yaml_event_t ev;

	b->n = 0;
	b->len = 0;
	b->end = Emore;
	while (b->n < BATCH) {
		if (!yaml_parser_parse(yp->parser, &ev)) {
			yp->fail(yp->arg, *haveprev ? prev : NULL, b->err,
			    sizeof b->err);
			b->end = Eerror;
			return;
		}
		feed_mark(yp->feed);
		keep(b, &ev);
		*prev = ev.end_mark;
		*haveprev = 1;
		yaml_event_delete(&ev);
		if (b->ev[b->n - 1].type == YAML_STREAM_END_EVENT) {
			b->end = Eend;
			return;
		}
	}
}

static void *
run(void *arg)
{
	struct ypipe *yp = arg;
	struct pbatch *b;
	yaml_mark_t prev;
	int haveprev, end;

	haveprev = 0;
	memset(&prev, 0, sizeof prev);
	for (end = Emore; end == Emore;) {
		pthread_mutex_lock(&yp->lock);
		while (yp->tail - yp->head == DEPTH && !yp->stop)
			pthread_cond_wait(&yp->emptied, &yp->lock);
		if (yp->stop) {
			pthread_mutex_unlock(&yp->lock);
			break;
		}
		b = &yp->b[yp->tail % DEPTH];
		pthread_mutex_unlock(&yp->lock);
		fill(yp, b, &prev, &haveprev);
		end = b->end;
		/* the reader woken only for a few batches, or the last */
		pthread_mutex_lock(&yp->lock);
		yp->tail++;
		yp->ended = end != Emore;
		if (yp->sleeping && (yp->tail - yp->head >= WAKE || yp->ended))
			pthread_cond_signal(&yp->filled);
		pthread_mutex_unlock(&yp->lock);
	}
	return NULL;
}

/*
 * Parse with parser, fed by feed, on a thread of its own; fail makes a
 * parse error's message.  Nil when no thread can be made: parse here.
 */
struct ypipe *
ypipe_start(yaml_parser_t *parser, struct feed *feed, ypipe_failfn *fail,
    void *arg)
{
	struct ypipe *yp;

	yp = xcalloc(1, sizeof *yp);
	yp->parser = parser;
	yp->feed = feed;
	yp->fail = fail;
	yp->arg = arg;
	pthread_mutex_init(&yp->lock, NULL);
	pthread_cond_init(&yp->filled, NULL);
	pthread_cond_init(&yp->emptied, NULL);
	if (pthread_create(&yp->thread, NULL, run, yp) != 0) {
		pthread_mutex_destroy(&yp->lock);
		pthread_cond_destroy(&yp->filled);
		pthread_cond_destroy(&yp->emptied);
		free(yp);
		return NULL;
	}
	return yp;
}

/*
 * The next event into ev, which the caller zeroed before the first
 * call, as yaml_parser_parse gives it but for what the reader does not
 * read (tags, styles; an anchor only as there or not; of the marks,
 * where it starts and the byte after it): its bytes are the pipe's,
 * good until the batch after it is begun, and not to be deleted.
 * Returns 0, or -1 with the parse error's message in err.
 */
int
ypipe_next(struct ypipe *yp, yaml_event_t *ev, char *err, size_t errlen)
{
	static yaml_char_t anchor[] = "&";
	const struct pev *pe;
	struct pbatch *b;

	b = yp->cur;
	if (b != NULL && yp->i == b->n && b->end == Emore) {
		pthread_mutex_lock(&yp->lock);
		yp->head++;
		pthread_cond_signal(&yp->emptied);
		pthread_mutex_unlock(&yp->lock);
		b = yp->cur = NULL;
	}
	if (b == NULL) {
		pthread_mutex_lock(&yp->lock);
		if (yp->head == yp->tail) {
			yp->sleeping = 1;
			while (yp->tail - yp->head < WAKE && !yp->ended)
				pthread_cond_wait(&yp->filled, &yp->lock);
			yp->sleeping = 0;
		}
		b = yp->cur = &yp->b[yp->head % DEPTH];
		pthread_mutex_unlock(&yp->lock);
		yp->i = 0;
		yp->off = 0;
	}
	if (yp->i == b->n) {
		snprintf(err, errlen, "%s", b->end == Eerror ? b->err :
		    "the input has ended");
		return -1;
	}
	pe = &b->ev[yp->i++];
	/*
	 * Only the fields the reader reads, and every one of them, each
	 * time: the rest of ev stays as the reader zeroed it, since only
	 * this function writes it.  The anchor is the first field of a
	 * scalar's, a sequence's and a mapping's data alike.
	 */
	ev->type = pe->type;
	ev->start_mark.line = pe->line;
	ev->start_mark.column = pe->column;
	ev->end_mark.index = pe->end;
	ev->data.scalar.anchor = pe->anchored ? anchor : NULL;
	ev->data.scalar.value = NULL;
	ev->data.scalar.length = 0;
	if (pe->type == YAML_SCALAR_EVENT) {
		/* one not kept is refused by its length: no byte is read */
		ev->data.scalar.value = KEPT(pe->len) ? (yaml_char_t *)b->buf +
		    yp->off : (yaml_char_t *)"";
		ev->data.scalar.length = pe->len;
		yp->off += KEPT(pe->len);
	}
	return 0;
}

/* Stop the parser's thread, wherever it is, and free the pipe. */
void
ypipe_stop(struct ypipe *yp)
{
	int i;

	if (yp == NULL)
		return;
	pthread_mutex_lock(&yp->lock);
	yp->stop = 1;
	pthread_cond_signal(&yp->emptied);
	pthread_mutex_unlock(&yp->lock);
	pthread_join(yp->thread, NULL);
	for (i = 0; i < DEPTH; i++)
		free(yp->b[i].buf);
	pthread_mutex_destroy(&yp->lock);
	pthread_cond_destroy(&yp->filled);
	pthread_cond_destroy(&yp->emptied);
	free(yp);
}
