/*
 * vmapview replay: a trace under one policy, a result per event and a
 * summary, as text or as the vmapreport document.  With --summary the
 * trace is replayed as it is read and no event is kept; with
 * --record-expect the results become the trace's expectations.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "relay.h"
#include "report.h"
#include "util.h"

static int	cmd_replay_exec(struct args *);

static const struct cmd_option options[] = {
	{ Opolicy, "policy", 'p', ARGpolicies, "POLICY",
	    "the allocation policy (default %P)" },
	OPT_KERNEL("labs|9front"),
	OPT_PSE,
	OPT_FORMAT,
	OPT_KEEPGOING,
	OPT_KTIMEOUT,
	OPT_CONSOLE,
	{ Owhy, "why", 0, ARGnone, NULL,
	    "say why for every row, ok ones too (else for the rest)" },
	{ Osummary, "summary", 0, ARGnone, NULL,
	    "the summary alone, replayed as read: no event kept" },
	{ Orecordexpect, "record-expect", 0, ARGfile, "OUT",
	    "write the trace to OUT with these results expected" },
	{ Ofailon, "fail-on", 0, ARGstring, "RESULTS",
	    "exit 1 when any of these results occurs: fail, refused, skipped, "
	    "panic, comma-separated" },
	OPT_END
};

/*
 * The results --fail-on names, as a mask of result kinds: fail,
 * refused, skipped, panic (a crash or a hang of a kernel file's code
 * being panics of their own kind), crash, hang.  -1 for a word that
 * is none, said as a usage error.
 */
static int
failon(struct args *a, unsigned *mask)
{
	static const struct {
		const char	*name;
		unsigned	 mask;
	} words[] = {
		{ "fail", 1u << Rfail }, { "refused", 1u << Rrefused },
		{ "skipped", 1u << Rskipped },
		{ "panic", 1u << Rpanic | 1u << Rcrash | 1u << Rhang },
		{ "crash", 1u << Rcrash }, { "hang", 1u << Rhang }
	};
	const char *s, *e;
	size_t i, n;

	*mask = 0;
	if ((s = args_str(a, Ofailon, NULL)) == NULL)
		return 0;
	for (; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, ",");
		n = e - s;
		for (i = 0; i < sizeof words / sizeof words[0]; i++)
			if (strlen(words[i].name) == n &&
			    strncmp(words[i].name, s, n) == 0)
				break;
		if (i == sizeof words / sizeof words[0]) {
			cmd_usageerr(a, "--fail-on: '%.*s' is not fail, refused, "
			    "skipped, panic, crash or hang", (int)(n > 40 ? 40 :
			    n), s);
			return -1;
		}
		*mask |= words[i].mask;
	}
	return 0;
}

/* The exit status of rp: replay_status's, or 1 for a result in mask. */
static int
exitof(const struct replay *rp, unsigned mask)
{
	int k;

	for (k = 0; k < Nresult; k++)
		if ((mask & 1u << k) && rp->count[k] > 0)
			return EXITFAIL;
	return replay_status(rp);
}

const struct cmd_entry cmd_replay_entry = {
	.name = "replay",
	.operands = "TRACE",
	.minargs = 1,
	.maxargs = 1,
	.help = "replay TRACE under a policy: one result per event and a "
	    "summary",
	.options = options,
	.exec = cmd_replay_exec,
};

/*
 * What replay adds to the replay sink: each row spooled as its event
 * runs, for the full report.
 */
struct stream {
	struct replaysink	 rs;
	struct spoolfile	 spool;
	int			 yaml;		/* rows for the document, or lines */
	int			 whyall;
	int			 needwhy;
	size_t			 longest;	/* id */
	struct colw		 cw;		/* the pa and size columns */
};

static void
stream_ran(void *arg, struct trace *t, const struct event *e,
    struct result *res)
{
	struct stream *st;
	struct replay *rp;
	struct row row;

	(void)t;
	st = arg;
	rp = &st->rs.rp[0];
	report_row(rp, e, res, rp->pos - 1, st->needwhy, &row);
	if (st->yaml)
		report_spool(&st->spool, &row);
	else
		report_textspool(&st->spool, &row, st->whyall, &st->cw);
	if (e->id != NULL && strlen(e->id) > st->longest)
		st->longest = strlen(e->id);
}

/* What was spooled went by a machine that came late: again. */
static void
stream_forget(void *arg)
{
	struct stream *st;

	st = arg;
	spoolfile_empty(&st->spool);
	st->longest = 0;
	st->cw.pa = 10;
	st->cw.size = 6;
}

/*
 * replay, streamed: the trace through the replay as it is read, keeping
 * no event; memory follows the live mappings.  With --summary the
 * summary alone.  Else each row goes to a spool file as its event runs,
 * and the report is written from it once the whole trace has been read
 * and found good (nothing is written for a trace with an error).
 */
static int
streamed(const char *path, const Policy *p, struct replayopts *ro, int yaml,
    int rows, int whyall, unsigned mask)
{
	struct tracesink sk;
	struct stream st;
	struct replay *rp;
	struct spool sp;
	struct trace t;
	char err[512];
	int status;

	memset(&st, 0, sizeof st);
	st.cw.pa = 10;
	st.cw.size = 6;
	ro->stream = 1;
	ro->firstsonly = !rows;
	replaysink_init(&st.rs, &p, 1, ro, &sk);
	st.needwhy = yaml || whyall;
	st.yaml = yaml;
	st.whyall = whyall;
	if (rows && spoolfile_open(&st.spool) < 0) {
		fprintf(stderr, "%s: no temporary file for the report: %s\n",
		    progname, strerror(errno));
		return EXITUSAGE;
	}
	if (rows) {
		st.rs.ran = stream_ran;
		st.rs.forget = stream_forget;
		st.rs.arg = &st;
	}
	sk.light = !rows;
	if (relay_run(&t, path, &sk, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		spoolfile_close(&st.spool);
		return EXITUSAGE;
	}
	madetab_free(&st.rs.made[0]);
	replaysink_settrace(&st.rs, &t);
	rp = &st.rs.rp[0];
	memset(&sp, 0, sizeof sp);
	sp.sf = &st.spool;
	if (st.spool.f != NULL && spoolfile_rewind(&st.spool) < 0) {
		fprintf(stderr, "%s: the report's temporary file failed\n",
		    progname);
		status = EXITUSAGE;
		goto out;
	}
	if (yaml) {
		if (report_yamlrows(stdout, rp, rows ? report_unspool :
		    NULL, &sp) < 0)
			fprintf(stderr, "%s: writing the report failed\n",
			    progname);
	} else if (rows) {
		if (report_textspooled(stdout, rp,
		    report_idwidth(st.longest), &st.cw, &sp) < 0)
			sp.bad = 1;
	} else {
		report_heading(stdout, rp);
		report_summary(stdout, rp);
	}
	status = sp.bad ? EXITUSAGE : exitof(rp, mask);
	if (sp.bad)
		fprintf(stderr, "%s: the report's temporary file could not be "
		    "read back\n", progname);
out:
	free(sp.buf);
	spoolfile_close(&st.spool);
	replaysink_free(&st.rs);
	trace_free(&t);
	return status == EXITUSAGE ? status : cmd_finish(status);
}

static int	replaywith(struct args *, struct replayopts *, const char *,
		    unsigned);

static int
cmd_replay_exec(struct args *a)
{
	struct replayopts ro;
	const char *path;
	char buf[1024];
	unsigned mask;
	FILE *con;

	if (args_get(a, Opolicy)->npol > 1)
		return cmd_usageerr(a, "one policy, please (compare takes "
		    "several)");
	if (failon(a, &mask) < 0)
		return EXITUSAGE;
	path = args_trace(a, 0, buf, sizeof buf);
	args_replayopts(a, &ro);
	if (cmd_openconsole(a, NULL, path, &con) < 0)
		return EXITUSAGE;
	ro.console = con;
	return cmd_closeconsole(a, NULL, path, con, replaywith(a, &ro, path,
	    mask));
}

/* replay, its options read: streamed, or loaded whole to record. */
static int
replaywith(struct args *a, struct replayopts *rop, const char *path,
    unsigned mask)
{
	struct replayopts ro;
	struct replay rp;
	struct trace t;
	const Policy *p;
	const char *rec;
	char err[512];
	int yaml, st;

	p = args_policy(a);
	ro = *rop;
	ro.measure = 1;
	yaml = args_get(a, Oformat)->val;
	rec = args_str(a, Orecordexpect, NULL);
	if (rec == NULL)
		return streamed(path, p, &ro, yaml, !args_has(a, Osummary),
		    args_has(a, Owhy), mask);
	if (cmd_notinput(rec, path, "trace") < 0 || cmd_load(&t, path) < 0)
		return EXITUSAGE;
	replay_init(&rp, &t, p, &ro);
	replay_run(&rp, t.nev);
	if (rec != NULL) {
		if (replay_record(&rp, &t))
			fprintf(stderr, "%s: %s: recorded for the machine "
			    "replayed (%s); other policies' expectations "
			    "dropped\n", progname, rec, rp.override);
		if (trace_writefile(rec, &t, err, sizeof err) < 0) {
			fprintf(stderr, "%s: %s\n", progname, err);
			replay_free(&rp);
			trace_free(&t);
			return EXITUSAGE;
		}
	}
	if (yaml) {
		if (report_yaml(stdout, &rp) < 0)
			fprintf(stderr, "%s: writing the report failed\n",
			    progname);
	} else
		report_text(stdout, &rp, args_has(a, Owhy));
	st = exitof(&rp, mask);
	replay_free(&rp);
	trace_free(&t);
	return cmd_finish(st);
}
