/*
 * vmapview shrink: the smallest trace that still shows what went wrong
 * in TRACE (shrink.c), written as a trace with its expectations, a note
 * before the event that shows it, and a description of whence it came.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "shrink.h"
#include "util.h"

static int	cmd_shrink_exec(struct args *);

static const struct cmd_option options[] = {
	{ Opolicy, "policy", 'p', ARGpolicies, "P[,Q]",
	    "the policy (default %P); with Q, for --until diverge" },
	{ Ountil, "until", 0, ARGstring, "WHAT",
	    "fail, panic, diverge, expect or refused (default: diverge with "
	    "two policies, else the first)" },
	{ Obudget, "budget", 0, ARGcount, "SECONDS",
	    "stop by then, with the best trace found so far" },
	OPT_KERNEL("K"),
	OPT_PSE,
	OPT_KEEPGOING,
	OPT_KTIMEOUT,
	OPT_OUTPUT,
	{ Ostats, "stats", 0, ARGnone, NULL, NULL },
	{ Otests, "stop-after", 0, ARGcount, "N", NULL },
	OPT_END
};

const struct cmd_entry cmd_shrink_entry = {
	.name = "shrink",
	.operands = "TRACE",
	.minargs = 1,
	.maxargs = 1,
	.help = "the fewest events of TRACE that still show what went wrong",
	.options = options,
	.exec = cmd_shrink_exec,
};

static volatile sig_atomic_t interrupted;

static void
oninterrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/*
 * What to shrink for, from -p and --until, into so: the policies, and
 * what goes wrong (-1: the first thing that does).  Returns 0, or the
 * usage error's status.
 */
static int
shrinkfor(struct args *a, struct shrinkopts *so)
{
	const struct argvalue *v;
	const char *until;
	int i;

	v = args_get(a, Opolicy);
	so->pol[0] = v->npol > 0 ? v->pol[0] : policyat(0);
	so->pol[1] = v->npol > 1 ? v->pol[1] : NULL;
	if (v->npol > 2)
		return cmd_usageerr(a, "-p: one policy, or two for diverge");
	so->what = -1;
	if ((until = args_str(a, Ountil, NULL)) != NULL) {
		for (i = 0; i < Nwhat && strcmp(until, whatnames[i]) != 0; i++)
			;
		if (i == Nwhat)
			return cmd_usageerr(a, "--until: '%s' is not fail, panic, "
			    "diverge, expect or refused", until);
		so->what = i;
	}
	/* two policies: what tells them apart, unless told otherwise */
	if (so->what == -1 && so->pol[1] != NULL)
		so->what = Wdiverge;
	if (so->what == Wdiverge && so->pol[1] == NULL)
		return cmd_usageerr(a, "--until diverge: name two policies, "
		    "-p P,Q");
	return 0;
}

/* The progress line, on a terminal. */
static void
progress(void *arg, const struct shrinkstat *st)
{
	(void)arg;
	fprintf(stderr, "\rshrink: %zu tests, %zu of %zu events left, %.1f s ",
	    st->tests, st->events, st->before, st->seconds);
}

static int
cmd_shrink_exec(struct args *a)
{
	struct sigaction sa, old;
	struct shrinkopts so;
	struct shrinkstat st;
	struct target tg;
	struct trace t, out;
	const char *dest, *input;
	int none;
	char buf[1024], err[512];
	int status;

	memset(&so, 0, sizeof so);
	if ((status = shrinkfor(a, &so)) != 0)
		return status;
	so.budget = args_has(a, Obudget) ? args_get(a, Obudget)->num : 0;
	so.maxtests = args_has(a, Otests) ? args_get(a, Otests)->num : 0;
	args_replayopts(a, &so.ro);
	dest = args_str(a, Ooutput, "-");
	input = args_trace(a, 0, buf, sizeof buf);
	if (cmd_notinput(dest, input, "trace") < 0)
		return EXITUSAGE;
	/* the events up to the first that goes wrong, no more */
	if (shrink_read(&t, input, &so, &so.total, &none, err,
	    sizeof err) < 0) {
		if (!none) {
			fprintf(stderr, "%s\n", err);
			return EXITUSAGE;
		}
		fprintf(stderr, "%s: shrink: %s: %s\n", progname, a->argv[0], err);
		return EXITFAIL;
	}
	if (shrink_find(&t, &so, 0, &tg, err, sizeof err) < 0) {
		fprintf(stderr, "%s: shrink: %s: %s\n", progname, a->argv[0], err);
		trace_free(&t);
		return EXITFAIL;
	}
	interrupted = 0;
	so.stop = &interrupted;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = oninterrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	if (isatty(STDERR_FILENO))
		so.progress = progress;
	shrink_run(&t, &so, &tg, &out, &st);
	sigaction(SIGINT, &old, NULL);
	if (so.progress != NULL)
		fprintf(stderr, "\r%*s\r", 60, "");
	status = cmd_savetrace(&out, dest);
	if (st.stopped)
		fprintf(stderr, "%s: shrink: %s after %.1f s: the best so far, %zu "
		    "events, is written; it is not minimal\n", progname,
		    interrupted ? "interrupted" : so.maxtests > 0 &&
		    st.tests >= so.maxtests ? "stopped" : "out of budget",
		    st.seconds,
		    out.nev);
	if (args_has(a, Ostats))
		fprintf(stderr, "shrink: %zu events to %zu in %.2f s, %zu tests\n",
		    st.before, out.nev, st.seconds, st.tests);
	trace_free(&out);
	trace_free(&t);
	if (status != EXITOK)
		return status;
	return cmd_finish(EXITOK);
}
