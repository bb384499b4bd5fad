/*
 * The replay as a trace sink: what replay, dump, probe and shrink run
 * as a trace is read, each of them then only its options and its
 * output.
 */
#include <stdint.h>
#include <string.h>

#include "replay.h"

static void
rs_begin(void *arg, struct trace *t)
{
	struct replaysink *rs;
	int i;

	rs = arg;
	for (i = 0; i < rs->n; i++) {
		replay_init(&rs->rp[i], t, rs->p[i], rs->ro);
		memset(&rs->made[i], 0, sizeof rs->made[i]);
	}
	rs->seen = 0;
}

static void
rs_event(void *arg, struct trace *t, const struct event *e)
{
	struct result res[MAXPOLICY];
	struct replaysink *rs;
	int i;

	rs = arg;
	if (rs->seen++ >= rs->upto)
		return;
	for (i = 0; i < rs->n; i++)
		replay_feedslot(&rs->rp[i], &rs->made[i], e, &res[i]);
	if (rs->ran != NULL)
		rs->ran(rs->arg, t, e, res);
	for (i = 0; i < rs->n; i++)
		replay_clear(&res[i]);
}

static void
rs_reset(void *arg)
{
	struct replaysink *rs;

	rs = arg;
	replaysink_free(rs);
	if (rs->ro->console != NULL)
		replay_consoleforget(rs->ro->console);
	if (rs->forget != NULL)
		rs->forget(rs->arg);
}

/*
 * Make rs the replay of the n policies p with options ro, and sk its
 * sink; the caller then sets what it wants of upto, ran, forget and
 * arg.  Its replays are begun by the sink's begin (relay_run).
 */
void
replaysink_init(struct replaysink *rs, const Policy *const *p, int n,
    const struct replayopts *ro, struct tracesink *sk)
{
	memset(rs, 0, sizeof *rs);
	rs->p = p;
	rs->n = n < MAXPOLICY ? n : MAXPOLICY;
	rs->ro = ro;
	rs->upto = SIZE_MAX;
	memset(sk, 0, sizeof *sk);
	sk->begin = rs_begin;
	sk->event = rs_event;
	sk->reset = rs_reset;
	sk->arg = rs;
}

/* The trace read, t its header: the replays' from now on. */
void
replaysink_settrace(struct replaysink *rs, const struct trace *t)
{
	int i;

	for (i = 0; i < rs->n; i++)
		rs->rp[i].t = t;
}

/* Free the replays begun (forget is not told: it is the caller's). */
void
replaysink_free(struct replaysink *rs)
{
	int i;

	for (i = 0; i < rs->n; i++) {
		replay_free(&rs->rp[i]);
		madetab_free(&rs->made[i]);
		memset(&rs->made[i], 0, sizeof rs->made[i]);
	}
	rs->seen = 0;
}
