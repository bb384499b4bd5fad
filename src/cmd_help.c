/*
 * vmapview help: every command with its synopsis, from the table.
 */
#include <stdio.h>

#include "cmd.h"

static int	cmd_help_exec(struct args *);

static const struct cmd_option options[] = {
	{ Ocompletion, "completion", 0, ARGnone, NULL,
	  "bash completion for vmapview, made from this table" },
	OPT_END
};

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.help = "this text",
	.options = options,
	.exec = cmd_help_exec,
};

static int
cmd_help_exec(struct args *a)
{
	if (args_has(a, Ocompletion))
		cmd_completion(stdout, a->table);
	else
		cmd_usage(stdout, a->table);
	return cmd_finish(EXITOK);
}
