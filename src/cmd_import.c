/*
 * vmapview import: a console log of vmap and vunmap lines (import.c)
 * into a trace, with the machine and name the options give.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "import.h"
#include "util.h"

static int	cmd_import_exec(struct args *);

static const struct cmd_option options[] = {
	{ Opolicy, "policy", 'p', ARGpolicies, "POLICY",
	    "whose expectations the log's results are (plan9)" },
	{ Onoexpect, "no-expect", 0, ARGnone, NULL, "write no expectations" },
	{ Ostrict, "strict", 0, ARGnone, NULL,
	    "a line that names vmap but is no call is an error" },
	OPT_KERNEL("K"),
	OPT_PSE,
	{ Ovmap, "vmap", 0, ARGvmap, "ADDR", "the trace's machine.vmap" },
	{ Ovmapsize, "vmapsize", 0, ARGvmapsize, "SIZE",
	    "the trace's machine.vmapsize" },
	{ Oname, "name", 0, ARGstring, "NAME",
	    "the trace's name (default: the log's file name)" },
	OPT_OUTPUT,
	OPT_END
};

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.operands = "LOG",
	.minargs = 1,
	.maxargs = 1,
	.help = "a console log of vmap/vunmap lines into a trace "
	    "(vmaptrace(5))",
	.options = options,
	.exec = cmd_import_exec,
};

/* The machine the options set, over the defaults t has.  -1: bad. */
static int
setmachine(struct args *a, struct trace *t)
{
	struct machine *mc;

	mc = &t->machine;
	if (args_has(a, Ovmap))
		mc->vmap = args_get(a, Ovmap)->num;
	if (args_has(a, Ovmapsize))
		mc->vmapsize = args_get(a, Ovmapsize)->num;
	if ((uint64_t)mc->vmap + mc->vmapsize > 1ull << 32) {
		cmd_usageerr(a, "--vmap and --vmapsize end past 2^32");
		return -1;
	}
	if (args_has(a, Okernel))
		mc->kernel = args_get(a, Okernel)->val;
	if (args_has(a, Opse))
		mc->pse = args_get(a, Opse)->val;
	return 0;
}

/* What was read, on standard error. */
static void
tell(const char *base, const struct importstats *st)
{
	fprintf(stderr, "%s: %zu lines, %zu events, %zu skipped", base,
	    st->lines, st->events, st->skipped);
	if (st->unknown)
		fprintf(stderr, " (%zu vunmaps of unknown addresses without a "
		    "size)", st->unknown);
	if (st->malformed)
		fprintf(stderr, ", %zu of them naming vmap or vunmap",
		    st->malformed);
	if (st->rawunmaps)
		fprintf(stderr, ", %zu vunmaps kept as raw addresses",
		    st->rawunmaps);
	fputc('\n', stderr);
}

static int
cmd_import_exec(struct args *a)
{
	struct importstats st;
	struct trace t;
	char desc[512];
	const char *path, *base;
	FILE *f;
	int rv;

	if (args_get(a, Opolicy)->npol > 1)
		return cmd_usageerr(a, "one policy, please");
	path = a->argv[0];
	if (cmd_notinput(args_str(a, Ooutput, NULL), path, "log") < 0)
		return EXITUSAGE;
	if (strcmp(path, "-") == 0) {
		f = stdin;
		base = path = "stdin";
	} else if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, path, strerror(errno));
		return EXITUSAGE;
	} else {
		base = strrchr(path, '/');
		base = base ? base + 1 : path;
	}
	st.strict = args_has(a, Ostrict);
	st.warn = stderr;
	rv = import_log(f, path, args_has(a, Onoexpect) ? -1 :
	    policyindex(args_policy(a)), &t, &st);
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
	if (setmachine(a, &t) < 0) {
		trace_free(&t);
		return EXITUSAGE;
	}
	snprintf(desc, sizeof desc, "Imported from %s: %zu lines, %zu "
	    "events, %zu lines skipped.%s\n", base, st.lines, st.events,
	    st.skipped, args_has(a, Onoexpect) ? "" : "  The addresses the "
	    "kernel gave are the expectations of its policy.");
	t.name = xstrdup(args_str(a, Oname, base));
	t.description = xstrdup(desc);
	tell(base, &st);
	rv = cmd_savetrace(&t, args_str(a, Ooutput, "-"));
	trace_free(&t);
	return rv;
}
