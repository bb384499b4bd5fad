/*
 * vmapview compare: a trace under several policies in step, read once:
 * the events whose results differ, the summaries side by side and, for
 * every pair, the first divergence of each kind explained.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "compare.h"
#include "relay.h"
#include "util.h"

static int	cmd_compare_exec(struct args *);

static const struct cmd_option options[] = {
	{ Opolicy, "policy", 'p', ARGpolicies, "P1,P2[,...]",
	    "the policies, two or more (default: all)" },
	OPT_KERNEL("K"),
	OPT_PSE,
	OPT_KEEPGOING,
	OPT_KTIMEOUT,
	OPT_CONSOLE,
	{ Osummary, "summary", 0, ARGnone, NULL,
	    "counts per pair and kind and the first few, not every event" },
	OPT_FORMAT,
	OPT_END
};

const struct cmd_entry cmd_compare_entry = {
	.name = "compare",
	.operands = "TRACE",
	.minargs = 1,
	.maxargs = 1,
	.help = "replay TRACE under several policies (default all) side by "
	    "side",
	.options = options,
	.exec = cmd_compare_exec,
};

/* compare's sink: every event to every policy, begun on the machine. */
struct cmpstream {
	struct compare		 c;
	const Policy		**p;
	int			 n;
	const struct replayopts	*ro;
	int			 summary;
};

static void
compare_begin(void *arg, struct trace *t)
{
	struct cmpstream *cs;

	cs = arg;
	compare_init(&cs->c, t, cs->p, cs->n, cs->ro, cs->summary);
}

static void
compare_event(void *arg, struct trace *t, const struct event *e)
{
	(void)t;
	compare_feed(&((struct cmpstream *)arg)->c, e);
}

static void
compare_reset(void *arg)
{
	struct cmpstream *cs;
	int j;

	cs = arg;
	compare_free(&cs->c);
	for (j = 0; cs->ro->consoles != NULL && j < cs->n; j++)
		if (cs->ro->consoles[j] != NULL)
			replay_consoleforget(cs->ro->consoles[j]);
}

/* The n consoles closed (written when status says the run went well). */
static int
consoles(struct args *a, const Policy **p, const char *path, FILE **con,
    int n, int status)
{
	int i;

	for (i = 0; i < n; i++)
		status = cmd_closeconsole(a, p[i]->name, path, con[i], status);
	return status;
}

static int
cmd_compare_exec(struct args *a)
{
	const Policy *p[MAXPOLICY];
	struct replayopts ro;
	struct tracesink sk;
	struct cmpstream cs;
	struct trace t;
	const struct argvalue *v;
	const char *path;
	char buf[1024], err[512];
	FILE *con[MAXPOLICY];
	int i, n, status;

	v = args_get(a, Opolicy);
	n = v->npol;
	for (i = 0; i < n; i++)
		p[i] = v->pol[i];
	if (n == 0)
		for (n = 0; n < npolicy(); n++)
			p[n] = policyat(n);
	if (n < 2)
		return cmd_usageerr(a, "-p names two policies or more");
	args_replayopts(a, &ro);
	path = args_trace(a, 0, buf, sizeof buf);
	/* --console: a file a policy, FILE.POLICY */
	memset(con, 0, sizeof con);
	for (i = 0; i < n; i++)
		if (cmd_openconsole(a, p[i]->name, path, &con[i]) < 0)
			return consoles(a, p, path, con, i, EXITUSAGE);
	ro.consoles = args_has(a, Oconsole) ? con : NULL;
	/* streamed: the events are not kept, only those that differ */
	memset(&cs, 0, sizeof cs);
	cs.p = p;
	cs.n = n;
	cs.ro = &ro;
	cs.summary = args_has(a, Osummary);
	memset(&sk, 0, sizeof sk);
	sk.begin = compare_begin;
	sk.event = compare_event;
	sk.reset = compare_reset;
	sk.arg = &cs;
	if (relay_run(&t, path, &sk, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return consoles(a, p, path, con, n, EXITUSAGE);
	}
	compare_settrace(&cs.c, &t);
	/* as diff and cmp: 1 where the policies part, 0 where they agree */
	status = cs.c.ndiff > 0 ? EXITFAIL : EXITOK;
	if (args_get(a, Oformat)->val) {
		if (compare_yaml(stdout, &cs.c) < 0) {
			fprintf(stderr, "%s: writing the comparison failed\n",
			    progname);
			status = EXITUSAGE;
		}
	} else
		compare_text(stdout, &cs.c);
	compare_free(&cs.c);
	trace_free(&t);
	return consoles(a, p, path, con, n, cmd_finish(status));
}
