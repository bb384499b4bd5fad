/*
 * vmapview dump: the state of the vmap after an event, a row per PDE,
 * and the mappings live then.
 */
#include <stdio.h>

#include "cmd.h"
#include "report.h"

static int	cmd_dump_exec(struct args *);

static const struct cmd_option options[] = {
	OPT_AT,
	{ Opolicy, "policy", 'p', ARGpolicies, "POLICY",
	    "the allocation policy (default plan9)" },
	OPT_KERNEL("K"),
	OPT_PSE,
	OPT_KEEPGOING,
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

static int
cmd_dump_exec(struct args *a)
{
	struct trace t;
	struct replay rp;

	if (cmd_replayto(a, &t, &rp) < 0)
		return EXITUSAGE;
	dump_text(stdout, &rp);
	replay_free(&rp);
	trace_free(&t);
	return cmd_finish(EXITOK);
}
