/*
 * vmapview dump: the state of the vmap after an event, a row per PDE,
 * and the mappings live then.  The trace is replayed as it is read, up
 * to that event, and the rest only counted: memory follows the live
 * mappings, not the trace's length.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "idtab.h"
#include "livemap.h"
#include "relay.h"
#include "report.h"
#include "xmalloc.h"

static int	cmd_dump_exec(struct args *);

static const struct cmd_option options[] = {
	OPT_AT,
	{ Opolicy, "policy", 'p', ARGpolicies, "POLICY",
	    "the allocation policy (default %P)" },
	OPT_KERNEL("K"),
	OPT_PSE,
	OPT_KEEPGOING,
	OPT_KTIMEOUT,
	OPT_END
};

const struct cmd_entry cmd_dump_entry = {
	.name = "dump",
	.operands = "TRACE",
	.minargs = 1,
	.maxargs = 1,
	.help = "the state of the vmap after event N (default: the last)",
	.options = options,
	.exec = cmd_dump_exec,
};

/* The dump fed by the trace as it is read. */
struct dumping {
	const Policy		*policy;
	struct replayopts	 ro;
	struct replaysink	 rs;		/* up to --at */

	/* what the last event run said */
	char			 line[640];
	char			 why[512];
	struct event		 last;		/* its strings in lastbuf */
	struct result		 lastres;	/* its own reason and panic */
	char			*lastbuf;
	size_t			 lastcap;
	int			 said;		/* line and why made already */

	/* the live mappings, and what each vmap was */
	struct livemap		 lm;
};

/*
 * Keep e, and r (whose reason and panic become the dump's), as the last:
 * its id, text and note copied into lastbuf one after another.
 */
static void
keeplast(struct dumping *d, const struct event *e, struct result *r)
{
	size_t ni, nt, nn;
	char *p;

	replay_clear(&d->lastres);
	d->lastres = *r;
	memset(r, 0, sizeof *r);
	d->last = *e;
	d->last.flags &= ~EVOWNID;
	ni = e->id != NULL ? strlen(e->id) + 1 : 0;
	nt = e->text != NULL ? strlen(e->text) + 1 : 0;
	nn = e->note != NULL ? strlen(e->note) + 1 : 0;
	if (ni + nt + nn + 1 > d->lastcap)
		xgrow(&d->lastbuf, &d->lastcap, ni + nt + nn + 1, 1);
	p = d->lastbuf;
	if (e->id != NULL)
		d->last.id = memcpy(p, e->id, ni);
	if (e->text != NULL)
		d->last.text = memcpy(p + ni, e->text, nt);
	if (e->note != NULL)
		d->last.note = memcpy(p + ni + nt, e->note, nn);
}

static void
dump_ran(void *arg, struct trace *t, const struct event *e, struct result *res)
{
	struct dumping *d;

	d = arg;
	livemap_step(&d->lm, t, d->rs.seen - 1, e, res);
	/* a stop's reason needs the reader's records: said now */
	d->said = RSTOPS(res->kind);
	if (d->said)
		dump_whyof(&d->rs.rp[0], e, res, d->rs.seen - 1, d->line,
		    sizeof d->line, d->why, sizeof d->why);
	keeplast(d, e, res);
	/*
	 * A skipped vunmap's reason names its vmap's event, read now from its
	 * slot's record, while that lasts: said at the end, if it is last.
	 */
	if (d->lastres.kind == Rskipped && d->last.ref < 0 &&
	    t->ids != NULL && e->slot >= 0)
		d->last.ref = (int)(idtab_rec(t->ids, e->slot)->seq - 1);
}

/* Forget every event (a machine that came late: they come again). */
static void
dump_forget(void *arg)
{
	struct dumping *d;

	d = arg;
	replay_clear(&d->lastres);
	livemap_free(&d->lm);
	livemap_init(&d->lm);
	free(d->lastbuf);
	d->lastbuf = NULL;
	d->lastcap = 0;
}

static int
cmd_dump_exec(struct args *a)
{
	const struct argvalue *at;
	struct dumping d;
	struct dumplist live;
	struct replay *rp;
	struct tracesink sk;
	struct trace t;
	char err[512], buf[1024];

	if (args_get(a, Opolicy)->npol > 1) {
		cmd_usageerr(a, "one policy, please (compare takes several)");
		return EXITUSAGE;
	}
	memset(&d, 0, sizeof d);
	d.policy = args_policy(a);
	args_replayopts(a, &d.ro);
	d.ro.stream = 1;
	livemap_init(&d.lm);
	replaysink_init(&d.rs, &d.policy, 1, &d.ro, &sk);
	at = args_get(a, Oat);
	d.rs.upto = at->set ? at->num : SIZE_MAX;
	d.rs.ran = dump_ran;
	d.rs.forget = dump_forget;
	d.rs.arg = &d;
	/* on the reader's thread: the live map holds slots of its table */
	sk.light = 1;
	if (relay_run(&t, args_trace(a, 0, buf, sizeof buf), &sk, err,
	    sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		dump_forget(&d);
		return EXITUSAGE;
	}
	if (at->set && (at->num > t.nev || at->hi > t.nev)) {
		fprintf(stderr, "%s: --at %s: %s has %zu events\n", progname,
		    at->str, a->argv[0], t.nev);
		replaysink_free(&d.rs);
		dump_forget(&d);
		livemap_free(&d.lm);
		trace_free(&t);
		return EXITUSAGE;
	}
	replaysink_settrace(&d.rs, &t);
	livemap_settle(&d.lm);
	rp = &d.rs.rp[0];
	if (rp->pos > 0 && !d.said)
		dump_whyof(rp, &d.last, &d.lastres, rp->pos - 1, d.line,
		    sizeof d.line, d.why, sizeof d.why);
	/* the live mappings, in the order of their events */
	livemap_list(&d.lm, &live);
	dump_state(stdout, rp, t.nev, rp->pos > 0 ? d.line : NULL, d.why,
	    &live);
	replaysink_free(&d.rs);
	dump_forget(&d);
	livemap_free(&d.lm);
	trace_free(&t);
	return cmd_finish(EXITOK);
}
