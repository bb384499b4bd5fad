/*
 * vmapview export: the map after an event, or with --plot the measures
 * over the whole run under every policy, as SVG.
 */
#include <stdio.h>

#include "cmd.h"
#include "export.h"
#include "outfile.h"
#include "util.h"

static int	cmd_export_exec(struct args *);

static const struct cmd_option options[] = {
	OPT_AT,
	{ Opolicy, "policy", 'p', ARGpolicies, "POLICY",
	    "the allocation policy (default plan9); with --plot, drawn first" },
	{ Oplot, "plot", 0, ARGnone, NULL,
	    "the measures over the run, every policy, not the map" },
	OPT_KERNEL("K"),
	OPT_PSE,
	OPT_KEEPGOING,
	OPT_OUTPUT,
	OPT_END
};

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.operands = "TRACE",
	.minargs = 1,
	.maxargs = 1,
	.help = "the map after event N (or, --plot, the measures) as SVG",
	.options = options,
	.exec = cmd_export_exec,
};

/* What export writes: the map of one replay, or the plot of several. */
struct exportjob {
	struct replay	*rp;
	int		 n;
	int		 plot;
};

static int
writeexport(FILE *f, void *arg)
{
	struct exportjob *j;

	j = arg;
	return j->plot ? export_plot(f, j->rp, j->n) : export_map(f, j->rp);
}

/*
 * The plot's replays into rps: every policy, the chosen one (rps[0]'s,
 * replayed to the end) first, each with its history.  Returns how many.
 */
static int
plotreplays(const struct args *a, struct trace *t, struct replay *rps)
{
	struct replayopts ro;
	const Policy *p;
	int i, n;

	p = policyat(rps[0].pidx);
	replay_free(&rps[0]);
	args_replayopts(a, &ro);
	ro.measure = 1;
	ro.history = 1;
	replay_init(&rps[0], t, p, &ro);
	replay_run(&rps[0], t->nev);
	n = 1;
	for (i = 0; i < npolicy(); i++) {
		if (policyat(i) == p)
			continue;
		replay_init(&rps[n], t, policyat(i), &ro);
		replay_run(&rps[n++], t->nev);
	}
	return n;
}

static int
cmd_export_exec(struct args *a)
{
	struct replay rps[MAXPOLICY];
	struct exportjob job;
	struct trace t;
	const char *out;
	char buf[1024], err[512];
	int i, status;

	if (args_has(a, Oplot) && args_has(a, Oat))
		return cmd_usageerr(a, "--plot draws the whole run; no --at");
	out = args_str(a, Ooutput, "-");
	if (cmd_notinput(out, args_trace(a, 0, buf, sizeof buf), "trace") < 0)
		return EXITUSAGE;
	if (cmd_replayto(a, &t, &rps[0]) < 0)
		return EXITUSAGE;
	job.rp = rps;
	job.n = args_has(a, Oplot) ? plotreplays(a, &t, rps) : 1;
	job.plot = args_has(a, Oplot);
	status = EXITOK;
	if (outfile_write(out, writeexport, &job, err, sizeof err) < 0) {
		fprintf(stderr, "%s: %s\n", progname, err);
		status = EXITUSAGE;
	}
	for (i = 0; i < job.n; i++)
		replay_free(&rps[i]);
	trace_free(&t);
	return status ? status : cmd_finish(EXITOK);
}
