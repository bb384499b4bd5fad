/*
 * vmapview check: traces validated as they are read, none replayed;
 * memory follows the live ids.
 */
#include <stdio.h>

#include "cmd.h"

static int	cmd_check_exec(struct args *);

static const struct cmd_option options[] = {
	OPT_END
};

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.operands = "TRACE...",
	.minargs = 1,
	.maxargs = -1,
	.help = "validate traces without replaying them",
	.options = options,
	.exec = cmd_check_exec,
};

/* check's sink: the events are checked as they are read; nothing more. */
static void
check_event(void *arg, struct trace *t, const struct event *e)
{
	(void)arg;
	(void)t;
	(void)e;
}

static int
cmd_check_exec(struct args *a)
{
	struct tracesink sk = { .event = check_event };
	struct trace t;
	char err[512], buf[1024];
	int i, status;

	status = EXITOK;
	for (i = 0; i < a->argc; i++) {
		if (trace_stream(&t, args_trace(a, i, buf, sizeof buf), &sk,
		    err, sizeof err) < 0) {
			fprintf(stderr, "%s\n", err);
			status = EXITUSAGE;
			continue;
		}
		printf("%s: ok, %zu events\n", t.file, t.nev);
		trace_free(&t);
	}
	return cmd_finish(status);
}
