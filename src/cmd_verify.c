/*
 * vmapview verify: is the model the kernel?  A kernel source file
 * against a built-in policy on random traces (verify.c); on the first
 * difference, the trace shrunk to the fewest events that show it
 * (shrink.c), printed whole with both sides' results.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "ksrc.h"
#include "report.h"
#include "shrink.h"
#include "util.h"
#include "verify.h"

static int	cmd_verify_exec(struct args *);

static const struct cmd_option options[] = {
	{ Opolicy, "policy", 'p', ARGpolicies, "BUILTIN",
	    "the policy to hold it to (default plan9, or span for a file "
	    "whose vmapalloc runs over tables)" },
	OPT_KERNEL("K"),
	{ Otraces, "traces", 0, ARGcount, "N",
	    "how many random traces (default 200)" },
	{ Oseed, "seed", 0, ARGnumber, "S", "the first trace's seed (1)" },
	OPT_KTIMEOUT,
	OPT_CONSOLE,
	OPT_END
};

const struct cmd_entry cmd_verify_entry = {
	.name = "verify",
	.operands = "FILE.c",
	.minargs = 1,
	.maxargs = 1,
	.help = "a pc/mmu.c against a built-in policy, on random traces",
	.options = options,
	.exec = cmd_verify_exec,
};

/* The trace under both policies, each as replay reports it. */
static void
bothsides(const struct trace *t, const struct verifyopts *vo)
{
	struct replayopts ro;
	struct replay rp;
	int j;

	memset(&ro, 0, sizeof ro);
	ro.kernel = ro.pse = -1;
	for (j = 0; j < 2; j++) {
		replay_init(&rp, t, vo->pol[j], &ro);
		replay_run(&rp, t->nev);
		putchar('\n');
		report_text(stdout, &rp, 1);
		replay_free(&rp);
	}
}

/*
 * The difference shrunk: the fewest events of the trace that still
 * show the two policies part as they did; when they part only in a
 * panic's words, the trace up to that event.
 */
static void
shrinkdiff(struct trace *t, const struct verifyopts *vo,
    const struct verdict *v)
{
	struct shrinkopts so;
	struct shrinkstat st;
	struct target tg;
	struct trace out;
	char err[512];
	size_t nev;

	memset(&so, 0, sizeof so);
	so.pol[0] = vo->pol[0];
	so.pol[1] = vo->pol[1];
	so.what = Wdiverge;
	so.ro.kernel = so.ro.pse = -1;
	if (!v->words && shrink_find(t, &so, v->at, &tg, err, sizeof err) ==
	    0 && tg.at == v->at) {
		shrink_run(t, &so, &tg, &out, &st);
		printf("shrunk to %zu event%s, of the %zu up to where they "
		    "part (the trace has %zu):\n\n", out.nev - 1,
		    out.nev == 2 ? "" : "s", v->at + 1, t->nev);
		trace_write(stdout, &out);
		bothsides(&out, vo);
		trace_free(&out);
		return;
	}
	/* the events past it stay the trace's, to be freed with it */
	nev = t->nev;
	t->nev = v->at + 1;
	printf("the trace up to there (they part in %s, which shrink does not "
	    "keep):\n\n", v->words ? "the words of the page tables" :
	    "a panic's words");
	trace_write(stdout, t);
	bothsides(t, vo);
	t->nev = nev;
}

/*
 * Why the file was held to that policy under that kernel: what its
 * vmapalloc did on a vmap made to tell (ksrc.c), and its signatures;
 * or that the command line said so.
 */
static void
heldto(const struct verifyopts *vo, int named, int kernel)
{
	printf("  held to %s: %s; under %s: %s\n", vo->pol[1]->name, named ?
	    "named with -p" : ksrc_spanwhy(vo->pol[0]), kernelnames[vo->kernel],
	    kernel ? "named with --kernel" : ksrc_flavourwhy(vo->pol[0]));
}

static int
cmd_verify_exec(struct args *a)
{
	const struct argvalue *v;
	struct verifyopts vo;
	struct verdict vd;
	struct trace t;
	char err[1024];

	memset(&vo, 0, sizeof vo);
	if (!ksrc_isfile(a->argv[0]))
		return cmd_usageerr(a, "'%s' is not a file (a path, or a name "
		    "ending in .c)", a->argv[0]);
	if ((vo.pol[0] = ksrc_load(a->argv[0], err, sizeof err)) == NULL) {
		fprintf(stderr, "%s: %s\n", progname, err);
		return EXITUSAGE;
	}
	v = args_get(a, Opolicy);
	if (v->npol > 1)
		return cmd_usageerr(a, "-p: one built-in policy");
	vo.pol[1] = v->npol ? v->pol[0] : policyfind(ksrc_spans(vo.pol[0]) ?
	    "span" : "plan9");
	if (ksrc_flavour(vo.pol[1]) >= 0)
		return cmd_usageerr(a, "-p: a built-in policy, not a file");
	vo.kernel = args_has(a, Okernel) ? args_get(a, Okernel)->val :
	    ksrc_flavour(vo.pol[0]);
	vo.traces = args_has(a, Otraces) ? (int)args_get(a, Otraces)->num : 200;
	vo.seed = args_has(a, Oseed) ? args_get(a, Oseed)->num : 1;
	/* the file's prints, every trace's, not over the file */
	if (cmd_openconsole(a, NULL, a->argv[0], &vo.console) < 0)
		return EXITUSAGE;
	if (verify_run(&vo, &vd, &t) == 0) {
		printf("%s agrees with %s under %s: %zu random traces, %zu "
		    "events, every result, address, panic and word of the "
		    "page tables the same\n",
		    vo.pol[0]->name, vo.pol[1]->name, kernelnames[vo.kernel],
		    vd.traces, vd.events);
		heldto(&vo, v->npol > 0, args_has(a, Okernel));
		return cmd_closeconsole(a, NULL, a->argv[0], vo.console,
		    cmd_finish(EXITOK));
	}
	printf("%s and %s differ under %s: trace %d (seed %llu), %s event "
	    "%zu, %s\n  %s %s\n  %s %s\n", vo.pol[0]->name, vo.pol[1]->name,
	    kernelnames[vo.kernel], vd.trace + 1,
	    (unsigned long long)(vo.seed + vd.trace), vd.words ?
	    "in the words of the page tables after" : "at",
	    vd.at + 1, opnames[t.ev[vd.at].op], vo.pol[0]->name, vd.why[0],
	    vo.pol[1]->name, vd.why[1]);
	heldto(&vo, v->npol > 0, args_has(a, Okernel));
	shrinkdiff(&t, &vo, &vd);
	trace_free(&t);
	cmd_finish(EXITOK);
	return cmd_closeconsole(a, NULL, a->argv[0], vo.console, EXITFAIL);
}
