/*
 * The relay (relay.h).  A ring of DEPTH batches: the reader fills the
 * batch at tail, the sink's thread empties the one at head.  An event's
 * strings are copied into its batch's buffer, so that nothing malloc
 * gave one thread is freed by the other: frees across threads make
 * malloc's arenas fight and cost more than they save.  The sink is
 * given a trace of its own that holds the machine as it was when the
 * batch was filled and the count of events before each one, so that
 * it never reads what the reader is writing.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "idtab.h"
#include "relay.h"
#include "util.h"
#include "xmalloc.h"

enum {
	BATCH = 512,	/* events handed over at once */
	DEPTH = 32,	/* batches read ahead, at most */
	WAKE = 8,	/* batches waiting that wake the sink's thread */
	NSTR = 3	/* strings of an event: id, text, note */
};

#define NOSTR	SIZE_MAX

struct batch {
	struct event	 ev[BATCH];
	size_t		 off[BATCH][NSTR];	/* in buf, or NOSTR */
	int		 n;
	size_t		 nev0;		/* events the trace had before ev[0] */
	struct machine	 machine;
	struct idtab	*ids;		/* the reader's, as trace_stream sets */
	char		*buf;
	size_t		 len;
	size_t		 cap;
};

struct relay {
	struct tracesink to;		/* the sink, run on the thread */
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 filled;	/* tail moved, or done */
	pthread_cond_t	 emptied;	/* head moved */
	struct batch	 b[DEPTH];
	unsigned	 head;		/* batches the sink has emptied */
	unsigned	 tail;		/* batches the reader has filled */
	int		 done;		/* the reader has no more */
	int		 sleeping;	/* the sink's thread waits for WAKE */
	struct batch	*cur;		/* b[tail % DEPTH], being filled */
	struct idtab	*ids;		/* the reader's, kept for the sink */
};

/*
 * How far behind the reader the sink may be, in events: when the
 * reader takes a batch to fill, the sink has emptied all but DEPTH-1.
 */
#define LAG	((size_t)(DEPTH + 1) * BATCH)

/* Copy s (and its NUL) into b's buffer; its offset, NOSTR for nil. */
static size_t
keepstr(struct batch *b, const char *s)
{
	size_t n, off;

	if (s == NULL)
		return NOSTR;
	n = strlen(s) + 1;
	xgrow(&b->buf, &b->cap, b->len + n, 1);
	off = b->len;
	memcpy(b->buf + off, s, n);
	b->len += n;
	return off;
}

/* Point the batch's events at their strings, now that buf stays put. */
static void
settle(struct batch *b)
{
	char **s[NSTR];
	int i, k;

	for (i = 0; i < b->n; i++) {
		s[0] = &b->ev[i].id;
		s[1] = &b->ev[i].text;
		s[2] = &b->ev[i].note;
		for (k = 0; k < NSTR; k++)
			*s[k] = b->off[i][k] == NOSTR ? NULL :
			    b->buf + b->off[i][k];
	}
}

/* Batch b's events to sink to, with t as the trace it sees. */
static void
deliver(const struct batch *b, const struct tracesink *to, struct trace *t)
{
	int i;

	t->machine = b->machine;
	t->ids = b->ids;
	for (i = 0; i < b->n; i++) {
		t->nev = b->nev0 + i + 1;
		to->event(to->arg, t, &b->ev[i]);
	}
}

/* The sink's thread. */
static void *
run(void *arg)
{
	struct relay *r;
	struct trace t;
	int end;

	r = arg;
	trace_init(&t);
	for (;;) {
		pthread_mutex_lock(&r->lock);
		if (r->head == r->tail && !r->done) {
			/*
			 * Ahead of the reader: sleep until there are a few
			 * batches, not one, so that each wake-up, a system
			 * call, pays for more events.
			 */
			r->sleeping = 1;
			while (r->tail - r->head < WAKE && !r->done)
				pthread_cond_wait(&r->filled, &r->lock);
			r->sleeping = 0;
		}
		end = r->head == r->tail;
		pthread_mutex_unlock(&r->lock);
		if (end)
			break;
		deliver(&r->b[r->head % DEPTH], &r->to, &t);
		pthread_mutex_lock(&r->lock);
		r->head++;
		pthread_cond_signal(&r->emptied);
		pthread_mutex_unlock(&r->lock);
	}
	return NULL;
}

/* Free the reader's id table, which the sink no longer reads. */
static void
freeids(struct relay *r)
{
	if (r->ids == NULL)
		return;
	idtab_free(r->ids);
	free(r->ids);
	r->ids = NULL;
}

/* Hand the batch being filled to the sink's thread. */
static void
publish(struct relay *r)
{
	settle(r->cur);
	pthread_mutex_lock(&r->lock);
	r->tail++;
	if (r->sleeping && r->tail - r->head >= WAKE)
		pthread_cond_signal(&r->filled);
	pthread_mutex_unlock(&r->lock);
	r->cur = NULL;
}

/* The reader has no more: the batch being filled goes, and it says so. */
static void
readerdone(struct relay *r)
{
	if (r->cur != NULL)
		publish(r);
	pthread_mutex_lock(&r->lock);
	r->done = 1;
	pthread_cond_signal(&r->filled);
	pthread_mutex_unlock(&r->lock);
}

/* The reader's side: copy e into the batch being filled. */
static void
relay_event(void *arg, struct trace *t, const struct event *e)
{
	struct relay *r;
	struct batch *b;

	r = arg;
	if (r->cur == NULL) {
		pthread_mutex_lock(&r->lock);
		while (r->tail - r->head == DEPTH)
			pthread_cond_wait(&r->emptied, &r->lock);
		pthread_mutex_unlock(&r->lock);
		b = r->cur = &r->b[r->tail % DEPTH];
		b->n = 0;
		b->len = 0;
		b->nev0 = t->nev - 1;
		b->machine = t->machine;
		b->ids = t->ids;
		if (t->ids != NULL && r->ids == NULL) {
			/* its records are read until the sink is done */
			r->ids = t->ids;
			r->ids->kept = 1;
		}
	}
	b = r->cur;
	b->ev[b->n] = *e;
	b->off[b->n][0] = keepstr(b, e->id);
	b->off[b->n][1] = keepstr(b, e->text);
	b->off[b->n][2] = keepstr(b, e->note);
	b->ev[b->n].flags &= ~EVOWNID;
	if (++b->n == BATCH)
		publish(r);
}

/*
 * Start running sink to on a thread of its own and set via to the sink
 * to give trace_stream instead.  Returns nil when no thread is wanted or
 * none could be had: then give to itself.
 */
static struct relay *
relay_start(const struct tracesink *to, struct tracesink *via)
{
	struct relay *r;

	if (!threadswanted() || to->light)
		return NULL;
	r = xcalloc(1, sizeof *r);
	r->to = *to;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->filled, NULL);
	pthread_cond_init(&r->emptied, NULL);
	if (pthread_create(&r->thread, NULL, run, r) != 0) {
		pthread_mutex_destroy(&r->lock);
		pthread_cond_destroy(&r->filled);
		pthread_cond_destroy(&r->emptied);
		free(r);
		return NULL;
	}
	*via = *to;
	via->event = relay_event;
	via->begin = NULL;
	via->reset = NULL;
	via->arg = r;
	via->lag = LAG;
	return r;
}

/*
 * Wait for the sink to run every event handed over, then free the
 * relay.  Nil: nothing to do.
 */
static void
relay_finish(struct relay *r)
{
	int k;

	if (r == NULL)
		return;
	readerdone(r);
	pthread_join(r->thread, NULL);
	freeids(r);
	for (k = 0; k < DEPTH; k++)
		free(r->b[k].buf);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->filled);
	pthread_cond_destroy(&r->emptied);
	free(r);
}

static void
sinkrun_event(void *arg, struct trace *t, const struct event *e)
{
	struct sinkrun *sr;

	sr = arg;
	if (!sr->begun)
		sinkrun_begin(sr, t);
	sr->to->event(sr->to->arg, t, e);
}

static void
sinkrun_forget(void *arg)
{
	sinkrun_reset(arg);
}

void
sinkrun_init(struct sinkrun *sr, const struct tracesink *to)
{
	sr->to = to;
	sr->begun = 0;
	sr->via = *to;
	sr->via.begin = NULL;
	sr->via.event = sinkrun_event;
	sr->via.reset = sinkrun_forget;
	sr->via.arg = sr;
}

/* Begin the sink on t's machine, unless it has begun. */
void
sinkrun_begin(struct sinkrun *sr, struct trace *t)
{
	if (sr->begun)
		return;
	sr->begun = 1;
	if (sr->to->begin != NULL)
		sr->to->begin(sr->to->arg, t);
}

/* Undo the sink's begin and its events, if it has begun. */
void
sinkrun_reset(struct sinkrun *sr)
{
	if (!sr->begun)
		return;
	sr->begun = 0;
	if (sr->to->reset != NULL)
		sr->to->reset(sr->to->arg);
}

/*
 * trace_stream(t, path, sk, ...) with sk on a thread of its own when
 * there is one.  When it returns, the sink has run every event.
 * Returns 0, or -1 with the message in err.
 */
static int
relay_stream(struct trace *t, const char *path, const struct tracesink *sk,
    char *err, size_t errlen)
{
	struct tracesink via;
	struct relay *r;
	int rv;

	r = relay_start(sk, &via);
	rv = trace_stream(t, path, r ? &via : sk, err, errlen);
	relay_finish(r);
	return rv;
}

/*
 * Give every event of the trace at path, checked, to sink, in order:
 * as it is read (relay_stream) when the file can be read again, else
 * from the trace loaded whole (standard input, a pipe).  A trace whose
 * machine follows its events was given under the default machine: the
 * sink is reset and given them again, loaded whole.  t holds the
 * header and, when loaded whole, the events.  Returns 0 with the sink
 * begun (on the header's machine when there was no event); or -1 with
 * the message in err and the sink not begun, or reset.
 */
int
relay_run(struct trace *t, const char *path, const struct tracesink *sk,
    char *err, size_t errlen)
{
	struct sinkrun sr;

	sinkrun_init(&sr, sk);
	if (trace_rereadable(path)) {
		if (relay_stream(t, path, &sr.via, err, errlen) < 0) {
			sinkrun_reset(&sr);
			return -1;
		}
		if (!t->machinelate) {
			sinkrun_begin(&sr, t);
			return 0;
		}
		sinkrun_reset(&sr);
		trace_free(t);
	}
	if (trace_load(t, path, err, errlen) < 0)
		return -1;
	relay_give(t, sk);
	return 0;
}

/*
 * Give every event of t, loaded whole, to sink, and begin it, as
 * relay_run does once it has loaded a trace: t may be given again.
 */
void
relay_give(struct trace *t, const struct tracesink *sk)
{
	struct sinkrun sr;
	size_t i;

	sinkrun_init(&sr, sk);
	for (i = 0; i < t->nev; i++)
		sr.via.event(&sr, t, &t->ev[i]);
	sinkrun_begin(&sr, t);
}

/*
 * A feed: the relay turned about, the reader on a thread of its own and
 * the events taken by whoever opened it, when it will (relay_take): the
 * view reads a trace while it answers keys, and all its state stays on
 * its own thread.
 */
struct relayfeed {
	struct relay	 r;
	pthread_t	 reader;
	char		*path;
	struct trace	 t;		/* the reader's */
	struct trace	 seen;		/* what the taker's sink is given */
	struct tracesink via;
	int		 stop;
	int		 rv;
	char		 err[512];
};

static void *
readfeed(void *arg)
{
	struct relayfeed *f;
	struct relay *r;

	f = arg;
	r = &f->r;
	f->rv = trace_stream(&f->t, f->path, &f->via, f->err, sizeof f->err);
	readerdone(r);
	return NULL;
}

/*
 * Start reading the trace at path on a thread of its own (bytes, when
 * not nil, kept up to date as trace_stream does).  Returns nil when
 * there is no thread to be had.
 */
struct relayfeed *
relay_feed(const char *path, size_t *bytes)
{
	struct relayfeed *f;
	struct relay *r;

	f = xcalloc(1, sizeof *f);
	r = &f->r;
	f->path = xstrdup(path);
	trace_init(&f->seen);
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->filled, NULL);
	pthread_cond_init(&r->emptied, NULL);
	f->via.event = relay_event;
	f->via.arg = r;
	f->via.bytes = bytes;
	f->via.stop = &f->stop;
	f->via.lag = LAG;
	if (pthread_create(&f->reader, NULL, readfeed, f) != 0) {
		pthread_mutex_destroy(&r->lock);
		pthread_cond_destroy(&r->filled);
		pthread_cond_destroy(&r->emptied);
		free(f->path);
		free(f);
		return NULL;
	}
	return f;
}

/*
 * Give sk the events read so far, batch by batch, for about secs at
 * most, waiting for them within that time.  Returns 1 when more may
 * come, 0 at the end of the reading (relay_feedclose says how it went).
 */
int
relay_take(struct relayfeed *f, const struct tracesink *sk, double secs)
{
	struct relay *r;
	struct timespec ts;
	double end, left;

	r = &f->r;
	end = monotime() + secs;
	for (;;) {
		pthread_mutex_lock(&r->lock);
		while (r->head == r->tail && !r->done &&
		    (left = end - monotime()) > 0) {
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += (time_t)left;
			ts.tv_nsec += (long)((left - (time_t)left) * 1e9);
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			r->sleeping = 1;
			pthread_cond_timedwait(&r->filled, &r->lock, &ts);
			r->sleeping = 0;
		}
		if (r->head == r->tail) {
			pthread_mutex_unlock(&r->lock);
			return !r->done;
		}
		pthread_mutex_unlock(&r->lock);
		deliver(&r->b[r->head % DEPTH], sk, &f->seen);
		pthread_mutex_lock(&r->lock);
		r->head++;
		pthread_cond_signal(&r->emptied);
		pthread_mutex_unlock(&r->lock);
		if (monotime() >= end)
			return 1;
	}
}

/*
 * End a feed: the reading stopped if it had not ended (stop set), the
 * thread joined, the header into t.  Returns 0, or -1 with the reader's
 * message in err ("stopped" when it was).
 */
int
relay_feedclose(struct relayfeed *f, int stop, struct trace *t, char *err,
    size_t errlen)
{
	struct relay *r;
	int k, rv;

	r = &f->r;
	if (stop)
		__atomic_store_n(&f->stop, 1, __ATOMIC_RELAXED);
	/* take what is left unseen, so that the reader is never held up */
	pthread_mutex_lock(&r->lock);
	while (!r->done || r->head != r->tail) {
		r->head = r->tail;
		pthread_cond_signal(&r->emptied);
		if (!r->done) {
			r->sleeping = 1;
			pthread_cond_wait(&r->filled, &r->lock);
			r->sleeping = 0;
		}
	}
	pthread_mutex_unlock(&r->lock);
	pthread_join(f->reader, NULL);
	freeids(r);
	rv = f->rv;
	if (rv < 0)
		snprintf(err, errlen, "%s", f->err);
	*t = f->t;
	for (k = 0; k < DEPTH; k++)
		free(r->b[k].buf);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->filled);
	pthread_cond_destroy(&r->emptied);
	free(f->path);
	free(f);
	return rv;
}
