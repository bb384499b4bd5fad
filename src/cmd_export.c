/*
 * vmapview export: the map after an event, or with --plot the measures
 * over the whole run under every policy, as SVG.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "export.h"
#include "outfile.h"
#include "relay.h"
#include "util.h"

static int	cmd_export_exec(struct args *);

static const struct cmd_option options[] = {
	{ Oat, "at", 0, ARGevents, "N|A..B",
	    "after event N (default: the last); A..B: a picture each, in -o DIR" },
	{ Opolicy, "policy", 'p', ARGpolicies, "P[,P2]",
	    "the policy (default %P); two: side by side; with --plot, "
	    "drawn first" },
	{ Oplot, "plot", 0, ARGnone, NULL,
	    "the measures over the run, every policy, not the map" },
	OPT_KERNEL("K"),
	OPT_PSE,
	OPT_KEEPGOING,
	OPT_KTIMEOUT,
	{ Ooutput, "output", 'o', ARGfile, "FILE|DIR",
	    "write to FILE (default: standard output); with A..B, into DIR" },
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

/* What export writes: the maps of one or two replays, or the plot. */
struct exportjob {
	struct replay	*rp;
	int		 n;
	struct plotrun	*plot;
	int		 minw, minh;	/* a series' pictures: all one size */
	const struct trace *t;		/* to replay a series again */
	const Policy	*pol[MAXPOLICY];
	const struct replayopts *ro;
};

static int
writeexport(FILE *f, void *arg)
{
	const struct replay *maps[MAXPOLICY];
	struct exportjob *j;
	int i;

	j = arg;
	if (j->plot != NULL)
		return export_plot(f, j->plot);
	for (i = 0; i < j->n; i++)
		maps[i] = &j->rp[i];
	return export_map(f, maps, j->n, j->minw, j->minh);
}

/* The plot's sink: every event to every policy, begun on the machine. */
struct plotstream {
	struct plotrun		*pr;
	const Policy		*first;
	const struct replayopts	*ro;
};

static void
plot_begin(void *arg, struct trace *t)
{
	struct plotstream *ps;

	ps = arg;
	export_plotinit(ps->pr, t, ps->first, ps->ro);
}

static void
plot_event(void *arg, struct trace *t, const struct event *e)
{
	(void)t;
	export_plotfeed(((struct plotstream *)arg)->pr, e);
}

static void
plot_reset(void *arg)
{
	export_plotfree(((struct plotstream *)arg)->pr);
}

/*
 * export --plot: the trace read once, every policy replayed as it is
 * read; nothing of the events kept but their measures' histories.
 */
static int
plot(struct args *a, const char *input, const char *out)
{
	struct replayopts ro;
	struct exportjob job;
	struct plotstream ps;
	struct tracesink sk;
	struct trace t;
	char err[512];
	int j, status;

	args_replayopts(a, &ro);
	memset(&ps, 0, sizeof ps);
	ps.pr = xcalloc(1, sizeof *ps.pr);
	ps.first = args_policy(a);
	ps.ro = &ro;
	memset(&sk, 0, sizeof sk);
	sk.begin = plot_begin;
	sk.event = plot_event;
	sk.reset = plot_reset;
	sk.arg = &ps;
	if (relay_run(&t, input, &sk, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		free(ps.pr);
		return EXITUSAGE;
	}
	for (j = 0; j < ps.pr->n; j++)
		ps.pr->rp[j].t = &t;
	memset(&job, 0, sizeof job);
	job.plot = ps.pr;
	status = EXITOK;
	if (outfile_write(out, writeexport, &job, err, sizeof err) < 0) {
		fprintf(stderr, "%s: %s\n", progname, err);
		status = EXITUSAGE;
	}
	export_plotfree(ps.pr);
	free(ps.pr);
	trace_free(&t);
	return status ? status : cmd_finish(EXITOK);
}

/*
 * Make the directory dir and those above it that are missing, as
 * mkdir -p does.  Returns 0, or -1 with errno set.
 */
static int
mkdirs(const char *dir)
{
	char *p, *s;
	int rv;

	p = xstrdup(dir);
	rv = 0;
	for (s = p + 1; rv == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		if (s[-1] != '/') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777) < 0 && errno != EEXIST)
				rv = -1;
			*s = c;
		}
		if (*s == '\0')
			break;
	}
	free(p);
	return rv;
}

/* The picture of event pos in dir, its number width digits wide. */
static void
framepath(char *buf, size_t len, const char *dir, int width, size_t pos)
{
	snprintf(buf, len, "%s/%0*zu.svg", dir, width, pos);
}

/*
 * One picture per event lo..hi into the directory dir (made, and those
 * above it, if need be), numbered so that they sort in order: 0020.svg,
 * ...  No frame is written if any of them is the trace being read.
 * Returns the exit status.
 */
static int
exportrange(struct exportjob *job, const char *dir, const char *input,
    size_t lo, size_t hi)
{
	const struct replay *maps[MAXPOLICY];
	char path[4096], err[512];
	size_t pos;
	int i, width, w, h;

	if (mkdirs(dir) < 0) {
		fprintf(stderr, "%s: %s: %s\n", progname, dir, strerror(errno));
		return EXITUSAGE;
	}
	for (width = 4, pos = job->rp[0].t->nev; pos >= 10000; pos /= 10)
		width++;
	for (pos = lo; pos <= hi; pos++) {
		framepath(path, sizeof path, dir, width, pos);
		if (cmd_notinput(path, input, "trace") < 0)
			return EXITUSAGE;
	}
	/* one size for them all: the largest any of them needs */
	for (pos = lo; pos <= hi; pos++) {
		for (i = 0; i < job->n; i++) {
			replay_run(&job->rp[i], pos);
			maps[i] = &job->rp[i];
		}
		export_mapsize(maps, job->n, &w, &h);
		job->minw = w > job->minw ? w : job->minw;
		job->minh = h > job->minh ? h : job->minh;
	}
	for (i = 0; i < job->n; i++) {
		replay_free(&job->rp[i]);
		replay_init(&job->rp[i], job->t, job->pol[i], job->ro);
		replay_run(&job->rp[i], lo);
	}
	for (pos = lo; pos <= hi; pos++) {
		for (i = 0; i < job->n; i++)
			replay_run(&job->rp[i], pos);
		framepath(path, sizeof path, dir, width, pos);
		if (outfile_write(path, writeexport, job, err, sizeof err) < 0) {
			fprintf(stderr, "%s: %s\n", progname, err);
			return EXITUSAGE;
		}
	}
	return EXITOK;
}

static int
cmd_export_exec(struct args *a)
{
	struct replay rps[MAXPOLICY];
	struct replayopts ro;
	struct exportjob job;
	struct trace t;
	const struct argvalue *pol, *at;
	const char *out, *input, *dot;
	char buf[1024], err[512];
	size_t n;
	int i, status, range;

	pol = args_get(a, Opolicy);
	at = args_get(a, Oat);
	range = at->set && strstr(at->str, "..") != NULL;
	if (args_has(a, Oplot) && at->set)
		return cmd_usageerr(a, "--plot draws the whole run; no --at");
	if (args_has(a, Oplot) && pol->npol > 1)
		return cmd_usageerr(a, "--plot draws every policy; -p names the "
		    "one drawn first");
	if (pol->npol > 2)
		return cmd_usageerr(a, "-p: one policy, or two side by side");
	if (range && !args_has(a, Ooutput))
		return cmd_usageerr(a, "--at A..B draws a picture per event: "
		    "name their directory with -o DIR");
	out = args_str(a, Ooutput, "-");
	/* SVG only: a picture named .png would not be one */
	if (!range && (dot = strrchr(out, '.')) != NULL &&
	    strchr(dot, '/') == NULL && strcmp(dot, ".svg") != 0)
		return cmd_usageerr(a, "-o %s: export writes SVG; name the "
		    "file .svg (or convert it: rsvg-convert, inkscape)", out);
	input = args_trace(a, 0, buf, sizeof buf);
	if (!range && cmd_notinput(out, input, "trace") < 0)
		return EXITUSAGE;
	if (args_has(a, Oplot))
		return plot(a, input, out);
	if (cmd_loadat(a, &t, &n) < 0)
		return EXITUSAGE;
	args_replayopts(a, &ro);
	memset(&job, 0, sizeof job);
	job.n = pol->npol > 1 ? pol->npol : 1;
	job.t = &t;
	job.ro = &ro;
	for (i = 0; i < job.n; i++) {
		job.pol[i] = pol->npol ? pol->pol[i] : policyat(0);
		replay_init(&rps[i], &t, job.pol[i], &ro);
		replay_run(&rps[i], n);
	}
	job.rp = rps;
	job.plot = NULL;
	status = EXITOK;
	if (range)
		status = exportrange(&job, out, input, at->num, at->hi);
	else if (outfile_write(out, writeexport, &job, err, sizeof err) < 0) {
		fprintf(stderr, "%s: %s\n", progname, err);
		status = EXITUSAGE;
	}
	for (i = 0; i < job.n; i++)
		replay_free(&rps[i]);
	trace_free(&t);
	return status ? status : cmd_finish(EXITOK);
}
