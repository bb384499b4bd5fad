/*
 * vmapview gen: a generated trace, written as it is made.  Each
 * generator (gen.c) says which of the settings below it takes.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "gen.h"
#include "outfile.h"
#include "util.h"

static int	cmd_gen_exec(struct args *);

static const struct cmd_option options[] = {
	{ Oseed, "seed", 0, ARGnumber, "N",
	    "the seed of the random choices (default 1)" },
	{ Oevents, "events", 0, ARGcount, "N",
	    "churn: how many maps and unmaps (1000)" },
	{ Opokes, "pokes", 0, ARGcount, "N", "devtest: how many pokes (11)" },
	{ Opdes, "pdes", 0, ARGpdes, "N",
	    "staircase: how many PDEs the vmap has (4)" },
	{ Ofill, "fill", 0, ARGfraction, "F",
	    "churn: the live set, as a fraction of the vmap (0.5)" },
	OPT_OUTPUT,
	OPT_END
};

/* The generators' names, as the synopsis has them: devtest|boot|... */
static const char *
genlead(void)
{
	static char lead[256];
	size_t n;
	int k;

	if (lead[0] == '\0')
		for (n = 0, k = 0; k < ngenerators && n < sizeof lead; k++) {
			snprintf(lead + n, sizeof lead - n, "%s%s", k ? "|" : "",
			    generators[k].name);
			n += strlen(lead + n);
		}
	return lead;
}

const struct cmd_entry cmd_gen_entry = {
	.name = "gen",
	.leadof = genlead,
	.minargs = 1,
	.maxargs = 1,
	.help = "write a generated trace (to standard output by default)",
	.options = options,
	.exec = cmd_gen_exec,
};

/* The settings only some generators take: the option, the setting. */
static const struct {
	int		 opt;
	unsigned	 go;
} knobs[] = {
	{ Oevents, GOevents }, { Opokes, GOpokes }, { Opdes, GOpdes },
	{ Ofill, GOfill }
};

/* What writegen writes: a generator's trace. */
struct genjob {
	const struct generator	*g;
	const struct genopts	*o;
};

static int
writegen(FILE *f, void *arg)
{
	struct genjob *j;

	j = arg;
	return gen_write(j->g, j->o, f);
}

static int
cmd_gen_exec(struct args *a)
{
	const struct generator *g;
	struct genopts go = {
		.seed = 1, .events = 1000, .pokes = 11, .pdes = 4, .fill = 0.5
	};
	struct genjob job;
	char err[512];
	size_t i;

	if ((g = gen_find(a->argv[0])) == NULL)
		return cmd_usageerr(a, "no generator '%s' (devtest, boot, churn, "
		    "staircase)", a->argv[0]);
	for (i = 0; i < sizeof knobs / sizeof knobs[0]; i++)
		if (args_has(a, knobs[i].opt) && !(g->takes & knobs[i].go))
			return cmd_usageerr(a, "%s takes no --%s", g->name,
			    args_name(a, knobs[i].opt));
	if (args_has(a, Oseed))
		go.seed = args_get(a, Oseed)->num;
	if (args_has(a, Oevents))
		go.events = args_get(a, Oevents)->num;
	if (args_has(a, Opokes))
		go.pokes = args_get(a, Opokes)->num;
	if (args_has(a, Opdes))
		go.pdes = args_get(a, Opdes)->num;
	if (args_has(a, Ofill))
		go.fill = args_get(a, Ofill)->frac;
	/* written as it is made: no event kept */
	job.g = g;
	job.o = &go;
	if (outfile_write(args_str(a, Ooutput, "-"), writegen, &job, err,
	    sizeof err) < 0) {
		fprintf(stderr, "%s: %s\n", progname, err);
		return EXITUSAGE;
	}
	return cmd_finish(EXITOK);
}
