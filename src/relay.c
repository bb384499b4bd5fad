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
#include <unistd.h>

#include "relay.h"
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
};

/*
 * Whether to relay: VMAPVIEW_THREADS says, 1 for no and a larger number
 * for yes; else yes unless there is one processor, where a relay only
 * adds hand-overs.
 */
static int
wanted(void)
{
	const char *s;

	if ((s = getenv("VMAPVIEW_THREADS")) != NULL && *s != '\0')
		return atoi(s) > 1;
	return sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

/* Copy s (and its NUL) into b's buffer; its offset, NOSTR for nil. */
static size_t
keepstr(struct batch *b, const char *s)
{
	size_t n, off;

	if (s == NULL)
		return NOSTR;
	n = strlen(s) + 1;
	if (b->cap - b->len < n) {
		if (b->cap == 0)
			b->cap = 8192;
		while (b->cap - b->len < n)
			b->cap *= 2;
		b->buf = xrealloc(b->buf, b->cap);
	}
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

/* The sink's thread. */
static void *
run(void *arg)
{
	struct relay *r;
	struct batch *b;
	struct trace t;
	int i, end;

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
		b = &r->b[r->head % DEPTH];
		t.machine = b->machine;
		for (i = 0; i < b->n; i++) {
			t.nev = b->nev0 + i + 1;
			r->to.event(r->to.arg, &t, &b->ev[i]);
		}
		pthread_mutex_lock(&r->lock);
		r->head++;
		pthread_cond_signal(&r->emptied);
		pthread_mutex_unlock(&r->lock);
	}
	return NULL;
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

	if (!wanted())
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
	via->reset = NULL;
	via->arg = r;
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
	if (r->cur != NULL)
		publish(r);
	pthread_mutex_lock(&r->lock);
	r->done = 1;
	pthread_cond_signal(&r->filled);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	for (k = 0; k < DEPTH; k++)
		free(r->b[k].buf);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->filled);
	pthread_cond_destroy(&r->emptied);
	free(r);
}

/*
 * trace_stream(t, path, sk, ...) with sk on a thread of its own when
 * there is one.  When trace_stream returns, the sink has run every
 * event.  Returns 0, or -1 with the message in err.
 */
int
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
 * header and, when loaded whole, the events.  Returns 0, or -1 with
 * the message in err and the sink reset.
 */
int
relay_run(struct trace *t, const char *path, const struct tracesink *sk,
    char *err, size_t errlen)
{
	size_t i;

	if (trace_rereadable(path)) {
		if (relay_stream(t, path, sk, err, errlen) < 0) {
			sk->reset(sk->arg);
			return -1;
		}
		if (!t->machinelate)
			return 0;
		sk->reset(sk->arg);
		trace_free(t);
	}
	if (trace_load(t, path, err, errlen) < 0)
		return -1;
	for (i = 0; i < t->nev; i++)
		sk->event(sk->arg, t, &t->ev[i]);
	return 0;
}
