/*
 * vmapview: the command line.  Each command is an entry in a table with
 * its own options; they load a trace, replay it and write what the
 * replay found.  Exit status: 0 done (and as expected), 1 an expectation
 * failed or the kernel panicked unexpectedly, 2 bad usage or a bad trace.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "compare.h"
#include "export.h"
#include "gen.h"
#include "import.h"
#include "relay.h"
#include "ui.h"
#include "replay.h"
#include "report.h"
#include "trace.h"
#include "outfile.h"
#include "util.h"

#define EXITUSAGE	2

struct cmd {
	const char	*name;
	int		(*run)(int, char **);
	const char	*usage;
	const char	*help;
};

struct opts {
	const Policy		*policy;
	const Policy		*plist[MAXPOLICY];	/* -p A,B,... */
	int			 nplist;
	struct replayopts	 ro;
	int			 yaml;
	long			 at;		/* -1: the end */
	const char		*recordexpect;
	const char		*output;
	const char		*keys;
	const char		*savescreen;
	int			 ascii;
	int			 summary;
	int			 noexpect;
	int			 plot;
	int			 strict;
	uint64_t		 vmap;		/* 0: the default */
	uint64_t		 vmapsize;
	const char		*name;
	struct genopts		 gen;
};

static int	cmd_replay(int, char **);
static int	cmd_check(int, char **);
static int	cmd_dump(int, char **);
static int	cmd_compare(int, char **);
static int	cmd_gen(int, char **);
static int	cmd_view(int, char **);
static int	cmd_import(int, char **);
static int	cmd_export(int, char **);
static int	cmd_policies(int, char **);
static int	cmd_help(int, char **);
static int	cmd_version(int, char **);

static const struct cmd cmds[] = {
	{ "view", cmd_view,
	  "[view] [-p POLICY[,POLICY]] [--kernel K] [--pse on|off]\n"
	  "                [--keep-going] [--ascii] TRACE",
	  "the interactive view (two policies: side by side); ? for keys" },
	{ "replay", cmd_replay,
	  "replay [-p POLICY] [--kernel labs|9front] [--pse on|off]\n"
	  "                [--format text|yaml] [--keep-going] [--summary]\n"
	  "                [--record-expect OUT] TRACE",
	  "replay TRACE under a policy: one result per event and a summary" },
	{ "check", cmd_check, "check TRACE...",
	  "validate traces without replaying them" },
	{ "dump", cmd_dump,
	  "dump [--at N] [-p POLICY] [--kernel K] [--pse on|off]\n"
	  "                [--keep-going] TRACE",
	  "the state of the vmap after event N (default: the last)" },
	{ "compare", cmd_compare,
	  "compare [-p P1,P2[,...]] [--kernel K] [--pse on|off]\n"
	  "                [--format text|yaml] TRACE",
	  "replay TRACE under several policies (default all) side by side" },
	{ "gen", cmd_gen,
	  "gen devtest|boot|churn|staircase [--seed N] [--events N]\n"
	  "                [--pokes N] [--pdes N] [--fill F] [-o FILE]",
	  "write a generated trace (to standard output by default)" },
	{ "import", cmd_import,
	  "import [-p POLICY | --no-expect] [--strict] [--kernel K]\n"
	  "                [--pse on|off] [--vmap ADDR] [--vmapsize SIZE]\n"
	  "                [--name NAME] [-o FILE] LOG",
	  "a console log of vmap/vunmap lines into a trace (vmaptrace(5))" },
	{ "export", cmd_export,
	  "export [--at N] [-p POLICY] [--plot] [--kernel K] [--pse on|off]\n"
	  "                [-o FILE] TRACE",
	  "the map after event N (or, --plot, the measures) as SVG" },
	{ "policies", cmd_policies, "policies",
	  "list the allocation policies" },
	{ "help", cmd_help, "help", "this text" },
	{ "version", cmd_version, "version", "the version" },
};
#define NCMD	(sizeof cmds / sizeof cmds[0])

enum {
	Okernel = 256,
	Opse,
	Oformat,
	Okeepgoing,
	Oat,
	Orecord,
	Oseed,
	Oevents,
	Opokes,
	Opdes,
	Ofill,
	Okeys,
	Osave,
	Oascii,
	Osummary,
	Onoexpect,
	Oplot,
	Ostrict,
	Ovmap,
	Ovmapsize,
	Oname
};

static const struct option longopts[] = {
	{ "policy", required_argument, NULL, 'p' },
	{ "kernel", required_argument, NULL, Okernel },
	{ "pse", required_argument, NULL, Opse },
	{ "format", required_argument, NULL, Oformat },
	{ "keep-going", no_argument, NULL, Okeepgoing },
	{ "at", required_argument, NULL, Oat },
	{ "record-expect", required_argument, NULL, Orecord },
	{ "seed", required_argument, NULL, Oseed },
	{ "events", required_argument, NULL, Oevents },
	{ "pokes", required_argument, NULL, Opokes },
	{ "pdes", required_argument, NULL, Opdes },
	{ "fill", required_argument, NULL, Ofill },
	{ "output", required_argument, NULL, 'o' },
	{ "keys", required_argument, NULL, Okeys },
	{ "save-screen", required_argument, NULL, Osave },
	{ "ascii", no_argument, NULL, Oascii },
	{ "summary", no_argument, NULL, Osummary },
	{ "no-expect", no_argument, NULL, Onoexpect },
	{ "plot", no_argument, NULL, Oplot },
	{ "strict", no_argument, NULL, Ostrict },
	{ "vmap", required_argument, NULL, Ovmap },
	{ "vmapsize", required_argument, NULL, Ovmapsize },
	{ "name", required_argument, NULL, Oname },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Print the usage of every command to f. */
static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: %s [COMMAND] [OPTION]... [TRACE]...\n\n", progname);
	for (i = 0; i < NCMD; i++)
		fprintf(f, "  %s %s\n      %s\n", progname, cmds[i].usage,
		    cmds[i].help);
	fprintf(f, "\n  %s --help | --version\n\n"
	    "Policies: plan9 (default), span, span-fixed, reclaim.\n"
	    "Exit status: 0 as expected, 1 an expectation failed or the\n"
	    "kernel panicked unexpectedly, 2 a bad trace or bad usage.\n"
	    "See vmapview(1) and vmaptrace(5).\n", progname);
}

/* A usage error: one line, a pointer to --help, status 2. */
static int
usageerr(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", progname);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s --help'.\n", progname);
	return EXITUSAGE;
}

/* Whether the space-separated list allowed holds the word name. */
static int
takes(const char *allowed, const char *name)
{
	size_t n;
	const char *p;

	n = strlen(name);
	for (p = allowed; (p = strstr(p, name)) != NULL; p += n)
		if ((p == allowed || p[-1] == ' ') &&
		    (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/*
 * A comma-separated list of policies into o->plist.  Returns -1 after a
 * usage error (reported).
 */
static int
policylist(const char *arg, struct opts *o)
{
	char name[64];
	const char *p, *q;
	const Policy *pol;
	size_t len;
	int i;

	o->nplist = 0;
	for (p = arg;; p = q + 1) {
		q = strchr(p, ',');
		len = q ? (size_t)(q - p) : strlen(p);
		if (len >= sizeof name)
			len = sizeof name - 1;
		memcpy(name, p, len);
		name[len] = '\0';
		if ((pol = policyfind(name)) == NULL) {
			usageerr("no policy '%s' (see vmapview policies)",
			    name);
			return -1;
		}
		for (i = 0; i < o->nplist; i++)
			if (o->plist[i] == pol) {
				usageerr("policy '%s' named twice", name);
				return -1;
			}
		if (o->nplist == MAXPOLICY) {
			usageerr("%s: too many policies", arg);
			return -1;
		}
		o->plist[o->nplist++] = pol;
		if (q == NULL)
			return 0;
	}
}

/*
 * Parse the options of command c into o; allowed lists the long options
 * it takes.  Returns the index of the first operand, or -1 after a
 * usage error (reported).
 */
static int
parseopts(int argc, char **argv, const char *allowed, struct opts *o)
{
	const char *name, *bad;
	uint64_t v;
	char *end, why[64];
	int ch, idx;

	memset(o, 0, sizeof *o);
	o->policy = policyat(0);
	o->ro.kernel = -1;
	o->ro.pse = -1;
	o->at = -1;
	o->gen.seed = 1;
	o->gen.events = 1000;
	o->gen.pokes = 11;
	o->gen.pdes = 4;
	o->gen.fill = 0.5;
	optind = 1;
	opterr = 0;
	for (;;) {
		idx = -1;
		ch = getopt_long(argc, argv, "p:o:h", longopts, &idx);
		if (ch == -1)
			break;
		if (ch == '?') {
			if (optopt != 0 && optopt < 256)
				fprintf(stderr, "%s: %s: unknown or incomplete "
				    "option -%c\n", progname, argv[0], optopt);
			else
				fprintf(stderr, "%s: %s: unknown or incomplete "
				    "option %s\n", progname, argv[0],
				    argv[optind - 1]);
			fprintf(stderr, "Try '%s --help'.\n", progname);
			return -1;
		}
		name = ch == 'p' ? "policy" : ch == 'h' ? "help" :
		    ch == 'o' ? "output" : longopts[idx].name;
		if (ch != 'h' && !takes(allowed, name)) {
			fprintf(stderr, "%s: %s takes no --%s\nTry '%s "
			    "--help'.\n", progname, argv[0], name, progname);
			return -1;
		}
		switch (ch) {
		case 'h':
			usage(stdout);
			exit(0);
		case 'p':
			if (policylist(optarg, o) < 0)
				return -1;
			o->policy = o->plist[0];
			break;
		case Okernel:
			if ((o->ro.kernel = kernelfind(optarg)) < 0) {
				usageerr("--kernel: '%s' is not labs or 9front",
				    optarg);
				return -1;
			}
			break;
		case Opse:
			if (strcmp(optarg, "on") == 0)
				o->ro.pse = 1;
			else if (strcmp(optarg, "off") == 0)
				o->ro.pse = 0;
			else {
				usageerr("--pse: '%s' is not on or off", optarg);
				return -1;
			}
			break;
		case Oformat:
			if (strcmp(optarg, "yaml") == 0)
				o->yaml = 1;
			else if (strcmp(optarg, "text") != 0) {
				usageerr("--format: '%s' is not text or yaml",
				    optarg);
				return -1;
			}
			break;
		case Okeepgoing:
			o->ro.keepgoing = 1;
			break;
		case Orecord:
			o->recordexpect = optarg;
			break;
		case Okeys:
			o->keys = optarg;
			break;
		case Osave:
			o->savescreen = optarg;
			break;
		case Oascii:
			o->ascii = 1;
			break;
		case Osummary:
			o->summary = 1;
			break;
		case Onoexpect:
			o->noexpect = 1;
			break;
		case Oplot:
			o->plot = 1;
			break;
		case Ostrict:
			o->strict = 1;
			break;
		case Oname:
			if (*optarg == '\0') {
				usageerr("--name: '%s' is empty", optarg);
				return -1;
			}
			o->name = optarg;
			break;
		case Ovmap:
			if (trace_parsenum(optarg, 0, &v) < 0 ||
			    (bad = trace_vmapbad(why, sizeof why, v)) != NULL) {
				usageerr("--vmap: %s", bad ? bad :
				    "not a number");
				return -1;
			}
			o->vmap = v;
			break;
		case Ovmapsize:
			if (trace_parsenum(optarg, 1, &v) < 0 ||
			    (bad = trace_vmapsizebad(v)) != NULL) {
				usageerr("--vmapsize: %s", bad ? bad :
				    "not a size");
				return -1;
			}
			o->vmapsize = v;
			break;
		case 'o':
			o->output = optarg;
			break;
		case Oseed:
		case Oevents:
		case Opokes:
		case Opdes:
			if (trace_parsenum(optarg, 0, &v) < 0 ||
			    (ch != Oseed && (v == 0 || v > 100000000))) {
				fprintf(stderr, "%s: --%s: '%s' is not a count\n"
				    "Try '%s --help'.\n", progname, name, optarg,
				    progname);
				return -1;
			}
			if (ch == Oseed)
				o->gen.seed = v;
			else if (ch == Oevents)
				o->gen.events = v;
			else if (ch == Opokes)
				o->gen.pokes = v;
			else if (ch == Opdes && v > 1023) {
				usageerr("--pdes: at most 1023", optarg);
				return -1;
			} else
				o->gen.pdes = v;
			break;
		case Ofill:
			errno = 0;
			o->gen.fill = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    !(o->gen.fill >= 0 && o->gen.fill <= 1)) {
				usageerr("--fill: '%s' is not a fraction from "
				    "0 to 1", optarg);
				return -1;
			}
			break;
		case Oat:
			errno = 0;
			o->at = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    o->at < 0) {
				usageerr("--at: '%s' is not an event number",
				    optarg);
				return -1;
			}
			break;
		}
	}
	return optind;
}

/*
 * Refuse to write out (nil: nothing) over in, the file being read, by
 * any name or link.  Returns -1 after saying so.
 */
static int
notinput(const char *out, const char *in, const char *what)
{
	char buf[1024];

	if (out == NULL || !outfile_isinput(out, findtrace(in, buf,
	    sizeof buf)))
		return 0;
	fprintf(stderr, "%s: %s is the %s being read: nothing written\n",
	    progname, out, what);
	return -1;
}

/* Load one trace, reporting an error.  Returns -1 on error. */
static int
load(struct trace *t, const char *path)
{
	char err[512], buf[1024];

	path = findtrace(path, buf, sizeof buf);
	if (trace_load(t, path, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

/*
 * Flush standard output; a write error is status 2, but a reader that
 * went away (a pipe into head) is not an error of ours.
 */
static int
finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			return status;
		fprintf(stderr, "%s: writing the output: %s\n", progname,
		    strerror(errno));
		return EXITUSAGE;
	}
	return status;
}

/* Load the one trace operand and replay it up to event n (-1: all). */
static int
loadreplay(int argc, char **argv, int first, const struct opts *o,
    struct trace *t, struct replay *rp)
{
	size_t n;

	if (first != argc - 1) {
		usageerr("%s: one TRACE, please", argv[0]);
		return -1;
	}
	if (o->nplist > 1) {
		usageerr("%s: one policy, please (compare takes several)",
		    argv[0]);
		return -1;
	}
	if (load(t, argv[first]) < 0)
		return -1;
	if (o->at > (long)t->nev) {
		fprintf(stderr, "%s: --at %ld: %s has %zu events\n", progname,
		    o->at, argv[first], t->nev);
		trace_free(t);
		return -1;
	}
	n = o->at < 0 ? t->nev : (size_t)o->at;
	if (replay_init(rp, t, o->policy, &o->ro) < 0 ||
	    replay_run(rp, n) < 0)
		fatal("out of memory");
	return 0;
}

/*
 * Write the trace back to path with this replay's results as the
 * expectations of its policy.  Events that did not run keep theirs.
 * Expectations are for the trace's own machine: a replay on another
 * (--kernel, --pse) writes that machine, and drops the other
 * policies' expectations, which were for the old one.
 */
static int
recordexpect(const char *path, struct trace *t, const struct replay *rp)
{
	static const uint8_t kinds[Nresult] = {
		[Rok] = Xok, [Rfail] = Xfail, [Rrefused] = Xrefused,
		[Rskipped] = Xskipped, [Rpanic] = Xpanic
	};
	struct expect *x;
	char err[512];
	size_t i;
	int j;

	if (rp->override[0] != '\0') {
		t->machine.kernel = rp->m.kernel;
		t->machine.pse = rp->m.pse;
		for (i = 0; i < t->nev; i++)
			for (j = 0; j < MAXPOLICY; j++)
				if (j != rp->pidx)
					t->ev[i].expect[j].kind = Xnone;
		fprintf(stderr, "%s: %s: recorded for the machine replayed "
		    "(%s); other policies' expectations dropped\n", progname,
		    path, rp->override);
	}
	for (i = 0; i < t->nev; i++) {
		if (t->ev[i].op == OPnote || rp->r[i].kind == Rnotrun)
			continue;
		x = &t->ev[i].expect[rp->pidx];
		x->kind = kinds[rp->r[i].kind];
		x->addr = 0;
		if (t->ev[i].op == OPvmap && rp->r[i].kind == Rok) {
			x->kind = Xaddr;
			x->addr = rp->r[i].va;
		}
	}
	if (trace_writefile(path, t, err, sizeof err) < 0) {
		fprintf(stderr, "%s: %s\n", progname, err);
		return -1;
	}
	return 0;
}

/* Write t to out ("-" or nil: standard output), free it, and exit's status. */
static int
savetrace(struct trace *t, const char *out)
{
	char err[512];
	int rv;

	rv = trace_writefile(out ? out : "-", t, err, sizeof err);
	if (rv < 0)
		fprintf(stderr, "%s: %s\n", progname, err);
	trace_free(t);
	return rv < 0 ? EXITUSAGE : finish(0);
}

static int
cmd_gen(int argc, char **argv)
{
	const struct generator *g;
	struct opts o;
	struct trace t;
	char allowed[64];
	int first;

	if (argc < 2 || argv[1][0] == '-')
		return usageerr("%s: which kind? devtest, boot, churn or "
		    "staircase", argv[0]);
	if ((g = gen_find(argv[1])) == NULL)
		return usageerr("gen: no generator '%s' (devtest, boot, "
		    "churn, staircase)", argv[1]);
	snprintf(allowed, sizeof allowed, "output seed %s",
	    strcmp(g->name, "churn") == 0 ? "events fill" :
	    strcmp(g->name, "devtest") == 0 ? "pokes" :
	    strcmp(g->name, "staircase") == 0 ? "pdes" : "");
	if ((first = parseopts(argc - 1, argv + 1, allowed, &o)) < 0)
		return EXITUSAGE;
	if (first != argc - 1)
		return usageerr("gen: unexpected operand '%s'",
		    argv[first + 1]);
	if (gen_run(g, &o.gen, &t) < 0)
		fatal("out of memory");
	return savetrace(&t, o.output);
}

/*
 * A replay fed by trace_stream: the event is run under the policy as it
 * is read, nothing of it kept but what a vmap by id made, until its
 * vunmap.  It runs on a thread of its own (relay.h) when it can.
 */
struct stream {
	const struct replayopts	*ro;
	const Policy		*policy;
	struct replay		 rp;
	struct madetab		 made;
	int			 started;
};

static int
stream_event(void *arg, struct trace *t, const struct event *e)
{
	struct stream *st;
	struct result res;
	int rv;

	st = arg;
	if (!st->started) {
		/* the machine is known once events begin (or never) */
		if (replay_init(&st->rp, t, st->policy, st->ro) < 0)
			return -1;
		st->started = 1;
	}
	rv = replay_feedslot(&st->rp, &st->made, e, &res);
	free(res.panic);
	return rv;
}

/*
 * replay --summary: stream the trace through the replay, keeping no
 * event; memory follows the live mappings.  A trace whose machine comes
 * after its events is read again, kept.
 */
static int
replay_summary(const char *path, struct opts *o)
{
	struct tracesink sk;
	struct stream st;
	struct trace t;
	char err[512], buf[1024];
	int status, rv;

	memset(&st, 0, sizeof st);
	o->ro.stream = 1;
	st.ro = &o->ro;
	st.policy = o->policy;
	sk.event = stream_event;
	sk.arg = &st;
	path = findtrace(path, buf, sizeof buf);
	if (!trace_rereadable(path)) {
		/* standard input, a pipe: keep it from the start */
		trace_init(&t);
		goto kept;
	}
	rv = relay_stream(&t, path, &sk, err, sizeof err);
	free(st.made.v);
	if (rv < 0) {
		fprintf(stderr, "%s\n", err);
		if (st.started)
			replay_free(&st.rp);
		return EXITUSAGE;
	}
	if (!st.started || t.machinelate) {
		/* no event, or events seen under the default machine */
		if (st.started)
			replay_free(&st.rp);
		trace_free(&t);
kept:
		if (load(&t, path) < 0)
			return EXITUSAGE;
		o->ro.stream = 0;
		if (replay_init(&st.rp, &t, o->policy, &o->ro) < 0 ||
		    replay_run(&st.rp, t.nev) < 0)
			fatal("out of memory");
	}
	st.rp.t = &t;
	if (o->yaml) {
		if (report_yaml_summary(stdout, &st.rp) < 0)
			fprintf(stderr, "%s: writing the report failed\n",
			    progname);
	} else {
		report_heading(stdout, &st.rp);
		report_summary(stdout, &st.rp);
	}
	status = replay_status(&st.rp);
	replay_free(&st.rp);
	trace_free(&t);
	return finish(status);
}

static int
cmd_replay(int argc, char **argv)
{
	struct opts o;
	struct trace t;
	struct replay rp;
	int first, status;

	if ((first = parseopts(argc, argv, "policy kernel pse format "
	    "keep-going record-expect summary", &o)) < 0)
		return EXITUSAGE;
	o.ro.measure = 1;
	if (o.summary && o.recordexpect == NULL) {
		if (first != argc - 1)
			return usageerr("%s: one TRACE, please", argv[0]);
		if (o.nplist > 1)
			return usageerr("%s: one policy, please (compare takes "
			    "several)", argv[0]);
		return replay_summary(argv[first], &o);
	}
	if (first == argc - 1 && notinput(o.recordexpect, argv[first],
	    "trace") < 0)
		return EXITUSAGE;
	if (loadreplay(argc, argv, first, &o, &t, &rp) < 0)
		return EXITUSAGE;
	if (o.recordexpect != NULL && recordexpect(o.recordexpect, &t, &rp)
	    < 0) {
		replay_free(&rp);
		trace_free(&t);
		return EXITUSAGE;
	}
	if (o.yaml) {
		if (report_yaml(stdout, &rp) < 0)
			fprintf(stderr, "%s: writing the report failed\n",
			    progname);
	} else
		report_text(stdout, &rp);
	status = replay_status(&rp);
	replay_free(&rp);
	trace_free(&t);
	return finish(status);
}

static int
cmd_dump(int argc, char **argv)
{
	struct opts o;
	struct trace t;
	struct replay rp;
	int first;

	if ((first = parseopts(argc, argv, "policy kernel pse keep-going at",
	    &o)) < 0)
		return EXITUSAGE;
	if (loadreplay(argc, argv, first, &o, &t, &rp) < 0)
		return EXITUSAGE;
	if (dump_text(stdout, &rp) < 0)
		fatal("out of memory");
	replay_free(&rp);
	trace_free(&t);
	return finish(0);
}

/* compare's sink: every event to every policy, started on the first. */
struct cmpstream {
	struct compare	 c;
	struct opts	*o;
	int		 started;
};

static int
compare_event(void *arg, struct trace *t, const struct event *e)
{
	struct cmpstream *cs;

	cs = arg;
	if (!cs->started) {
		cs->started = 1;
		if (compare_init(&cs->c, t, cs->o->plist, cs->o->nplist,
		    &cs->o->ro) < 0)
			return -1;
	}
	return compare_feed(&cs->c, e);
}

/*
 * Compare the policies over the trace in path, streamed: the events are
 * not kept, only those whose results differ.  A trace whose machine
 * comes after its events, or that has none, is read again, kept.
 * Returns -1 after saying why.
 */
static int
compare_stream(struct compare *c, struct trace *t, const char *path,
    struct opts *o)
{
	struct tracesink sk;
	struct cmpstream cs;
	char err[512], buf[1024];
	int rv;

	memset(&cs, 0, sizeof cs);
	cs.o = o;
	sk.event = compare_event;
	sk.arg = &cs;
	path = findtrace(path, buf, sizeof buf);
	if (!trace_rereadable(path)) {
		/* standard input, a pipe: keep it from the start */
		trace_init(t);
		goto kept;
	}
	rv = relay_stream(t, path, &sk, err, sizeof err);
	if (rv < 0) {
		fprintf(stderr, "%s\n", err);
		if (cs.started)
			compare_free(&cs.c);
		return -1;
	}
	if (cs.started && !t->machinelate) {
		*c = cs.c;
		compare_settrace(c, t);
		return 0;
	}
	if (cs.started)
		compare_free(&cs.c);
	trace_free(t);
kept:
	if (load(t, path) < 0)
		return -1;
	if (compare_run(c, t, o->plist, o->nplist, &o->ro) < 0)
		fatal("out of memory");
	compare_settrace(c, t);
	return 0;
}

static int
cmd_compare(int argc, char **argv)
{
	struct opts o;
	struct trace t;
	struct compare c;
	int first, i;

	if ((first = parseopts(argc, argv, "policy kernel pse format", &o))
	    < 0)
		return EXITUSAGE;
	if (first != argc - 1)
		return usageerr("%s: one TRACE, please", argv[0]);
	if (o.nplist == 0)
		for (i = 0; i < npolicy(); i++)
			o.plist[o.nplist++] = policyat(i);
	if (o.nplist < 2)
		return usageerr("%s: -p names two policies or more", argv[0]);
	if (compare_stream(&c, &t, argv[first], &o) < 0)
		return EXITUSAGE;
	if (o.yaml) {
		if (compare_yaml(stdout, &c) < 0)
			fprintf(stderr, "%s: writing the comparison failed\n",
			    progname);
	} else
		compare_text(stdout, &c);
	compare_free(&c);
	trace_free(&t);
	return finish(0);
}

static int
cmd_view(int argc, char **argv)
{
	struct opts o;
	struct trace t;
	struct timeline tl[2];
	const Policy *pl[2];
	const char *path;
	char err[512], buf[1024];
	int first, status, n;

	if ((first = parseopts(argc, argv, "policy kernel pse keep-going "
	    "ascii keys save-screen", &o)) < 0)
		return EXITUSAGE;
	if (first != argc - 1)
		return usageerr("%s: one TRACE, please", argv[0]);
	if (o.nplist > 2)
		return usageerr("%s: one or two policies", argv[0]);
	if (o.savescreen != NULL && o.keys == NULL)
		return usageerr("%s: --save-screen goes with --keys", argv[0]);
	pl[0] = o.policy;
	pl[1] = o.nplist == 2 ? o.plist[1] : NULL;
	n = pl[1] ? 2 : 1;
	path = findtrace(argv[first], buf, sizeof buf);
	if (timeline_load(&t, path, pl, n, &o.ro, tl, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return EXITUSAGE;
	}
	if ((status = ui_usable(o.keys)) != 0) {
		while (--n >= 0)
			timeline_free(&tl[n]);
	} else
		status = ui_main(&t, pl[0], pl[1], tl, &o.ro, o.keys,
		    o.savescreen, o.ascii);
	trace_free(&t);
	return status;
}

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

static int
cmd_export(int argc, char **argv)
{
	struct replay rps[MAXPOLICY];
	struct exportjob job;
	struct opts o;
	struct trace t;
	char err[512];
	int first, i, n, status;

	if ((first = parseopts(argc, argv, "policy kernel pse keep-going at "
	    "output plot", &o)) < 0)
		return EXITUSAGE;
	if (o.plot && o.at >= 0)
		return usageerr("%s: --plot draws the whole run; no --at",
		    argv[0]);
	if (first == argc - 1 && notinput(o.output, argv[first], "trace") < 0)
		return EXITUSAGE;
	if (loadreplay(argc, argv, first, &o, &t, &rps[0]) < 0)
		return EXITUSAGE;
	n = 1;
	if (o.plot) {
		/* every policy, the chosen one first, with its history */
		replay_free(&rps[0]);
		o.ro.measure = 1;
		o.ro.history = 1;
		for (i = -1; i < npolicy(); i++) {
			if (i >= 0 && policyat(i) == o.policy)
				continue;
			if (replay_init(&rps[n - (i < 0)], &t, i < 0 ? o.policy :
			    policyat(i), &o.ro) < 0 ||
			    replay_run(&rps[n - (i < 0)], t.nev) < 0)
				fatal("out of memory");
			if (i >= 0)
				n++;
		}
	}
	job.rp = rps;
	job.n = n;
	job.plot = o.plot;
	status = 0;
	if (outfile_write(o.output ? o.output : "-", writeexport, &job, err,
	    sizeof err) < 0) {
		fprintf(stderr, "%s: %s\n", progname, err);
		status = EXITUSAGE;
	}
	for (i = 0; i < n; i++)
		replay_free(&rps[i]);
	trace_free(&t);
	return status ? status : finish(0);
}

static int
cmd_import(int argc, char **argv)
{
	struct importstats st;
	struct machine *mc;
	struct opts o;
	struct trace t;
	char desc[512];
	const char *base;
	FILE *f;
	int first, rv;

	if ((first = parseopts(argc, argv, "policy output no-expect strict "
	    "kernel pse vmap vmapsize name", &o)) < 0)
		return EXITUSAGE;
	if (first != argc - 1)
		return usageerr("%s: one LOG, please", argv[0]);
	if (notinput(o.output, argv[first], "log") < 0)
		return EXITUSAGE;
	if (strcmp(argv[first], "-") == 0) {
		f = stdin;
		base = "stdin";
	} else if ((f = fopen(argv[first], "r")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, argv[first],
		    strerror(errno));
		return EXITUSAGE;
	} else {
		base = strrchr(argv[first], '/');
		base = base ? base + 1 : argv[first];
	}
	st.strict = o.strict;
	st.warn = stderr;
	rv = import_log(f, f == stdin ? base : argv[first], o.noexpect ? -1 :
	    policyindex(o.policy), &t, &st);
	if (f != stdin)
		fclose(f);
	if (rv < 0) {
		fprintf(stderr, "%s\n", st.err);
		trace_free(&t);
		return EXITUSAGE;
	}
	if (st.malformed > IMPORTWARNMAX)
		fprintf(stderr, "%s: %zu more lines that name vmap or vunmap "
		    "but are no call, skipped\n", base,
		    st.malformed - IMPORTWARNMAX);
	mc = &t.machine;
	if (o.vmap != 0)
		mc->vmap = o.vmap;
	if (o.vmapsize != 0)
		mc->vmapsize = o.vmapsize;
	if ((uint64_t)mc->vmap + mc->vmapsize > 1ull << 32) {
		trace_free(&t);
		return usageerr("%s: --vmap and --vmapsize end past 2^32",
		    argv[0]);
	}
	if (o.ro.kernel >= 0)
		mc->kernel = o.ro.kernel;
	if (o.ro.pse >= 0)
		mc->pse = o.ro.pse;
	snprintf(desc, sizeof desc, "Imported from %s: %zu lines, %zu "
	    "events, %zu lines skipped.%s\n", base, st.lines, st.events,
	    st.skipped, o.noexpect ? "" : "  The addresses the kernel gave "
	    "are the expectations of its policy.");
	if ((t.name = strdup(o.name ? o.name : base)) == NULL ||
	    (t.description = strdup(desc)) == NULL)
		fatal("out of memory");
	fprintf(stderr, "%s: %zu lines, %zu events, %zu skipped", base,
	    st.lines, st.events, st.skipped);
	if (st.unknown)
		fprintf(stderr, " (%zu vunmaps of unknown addresses without a "
		    "size)", st.unknown);
	if (st.malformed)
		fprintf(stderr, ", %zu of them naming vmap or vunmap",
		    st.malformed);
	if (st.rawunmaps)
		fprintf(stderr, ", %zu vunmaps kept as raw addresses",
		    st.rawunmaps);
	fputc('\n', stderr);
	return savetrace(&t, o.output);
}

/* check's sink: the events are checked as they are read; nothing more. */
static int
check_event(void *arg, struct trace *t, const struct event *e)
{
	return 0;
}

static int
cmd_check(int argc, char **argv)
{
	struct tracesink sk;
	struct opts o;
	struct trace t;
	char err[512];
	int first, i, status;

	if ((first = parseopts(argc, argv, "", &o)) < 0)
		return EXITUSAGE;
	if (first == argc)
		return usageerr("%s: which TRACE?", argv[0]);
	sk.event = check_event;
	sk.arg = NULL;
	status = 0;
	for (i = first; i < argc; i++) {
		/* streamed: memory follows the live ids */
		if (trace_stream(&t, argv[i], &sk, err, sizeof err) < 0) {
			fprintf(stderr, "%s\n", err);
			status = EXITUSAGE;
			continue;
		}
		printf("%s: ok, %zu events\n", t.file, t.nev);
		trace_free(&t);
	}
	return finish(status);
}

static int
cmd_policies(int argc, char **argv)
{
	struct opts o;
	const char *p, *q;
	int i;

	if (parseopts(argc, argv, "", &o) < 0)
		return EXITUSAGE;
	if (optind != argc)
		return usageerr("%s takes no operands", argv[0]);
	for (i = 0; i < npolicy(); i++) {
		printf("%-11s %s\n", policyat(i)->name, policyat(i)->summary);
		for (p = policyat(i)->caveat; p != NULL && *p != '\0'; p = q) {
			q = strchr(p, '\n');
			q = q ? q + 1 : p + strlen(p);
			printf("%-11s %.*s", "", (int)(q - p), p);
		}
		if (policyat(i)->caveat != NULL)
			putchar('\n');
	}
	return finish(0);
}

static int
cmd_help(int argc, char **argv)
{
	usage(stdout);
	return finish(0);
}

static int
cmd_version(int argc, char **argv)
{
	printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
	return finish(0);
}

int
main(int argc, char **argv)
{
	static char obuf[1 << 16];
	char buf[1024];
	size_t i;

	/* reports of a million events: fewer, larger writes */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	if (argc < 2) {
		usage(stderr);
		return EXITUSAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return cmd_version(argc - 1, argv + 1);
	for (i = 0; i < NCMD; i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].run(argc - 1, argv + 1);
	/*
	 * vmapview TRACE, or options then TRACE: the view, which names
	 * itself in its messages as if asked for by name
	 */
	if (argv[1][0] == '-' || strchr(argv[1], '.') != NULL ||
	    strchr(argv[1], '/') != NULL ||
	    findtrace(argv[1], buf, sizeof buf) != argv[1]) {
		argv[0] = (char *)"view";
		return cmd_view(argc, argv);
	}
	return usageerr("unknown command '%s'", argv[1]);
}
