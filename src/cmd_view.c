/*
 * vmapview view, and vmapview TRACE: the interactive view of a trace
 * under one policy, or two side by side (ui.c).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "ui.h"
#include "util.h"

static int	cmd_view_exec(struct args *);

static const struct cmd_option options[] = {
	{ Opolicy, "policy", 'p', ARGpolicies, "POLICY[,POLICY]",
	    "one policy, or two side by side (default %P)" },
	OPT_KERNEL("K"),
	OPT_PSE,
	OPT_KEEPGOING,
	OPT_KTIMEOUT,
	{ Oascii, "ascii", 0, ARGnone, NULL, "draw with ASCII only" },
	/* for tests */
	{ Okeys, "keys", 0, ARGkeys, "SCRIPT", NULL },
	{ Osavescreen, "save-screen", 0, ARGfile, "FILE", NULL },
	OPT_END
};

const struct cmd_entry cmd_view_entry = {
	.name = "view",
	.operands = "TRACE",
	.minargs = 1,
	.maxargs = 1,
	.help = "the interactive view (two policies: side by side); ? for keys",
	.options = options,
	.exec = cmd_view_exec,
};

static int
cmd_view_exec(struct args *a)
{
	const struct argvalue *pv;
	struct replayopts ro;
	struct timeline tl[2];
	struct vstore vs;
	const Policy *pl[2];
	struct trace t;
	const char *keys, *save;
	char buf[1024], err[512];
	int status, n;

	pv = args_get(a, Opolicy);
	if (pv->npol > 2)
		return cmd_usageerr(a, "one or two policies");
	keys = args_str(a, Okeys, NULL);
	save = args_str(a, Osavescreen, NULL);
	if (save != NULL && keys == NULL)
		return cmd_usageerr(a, "--save-screen goes with --keys");
	args_replayopts(a, &ro);
	pl[0] = args_policy(a);
	pl[1] = pv->npol == 2 ? pv->pol[1] : NULL;
	n = pl[1] ? 2 : 1;
	if (keys == NULL && strcmp(a->argv[0], "-") == 0 &&
	    isatty(STDIN_FILENO)) {
		fprintf(stderr, "%s: view -: standard input is the terminal; "
		    "name the trace or pipe it in\n", progname);
		return EXITUSAGE;
	}
	/*
	 * The trace on standard input, the screen a terminal: read it
	 * first, and the keys from the terminal, as less does.
	 */
	if (keys == NULL && strcmp(a->argv[0], "-") == 0 &&
	    !isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) &&
	    ui_keysfrom() < 0) {
		fprintf(stderr, "%s: view -: no terminal for the keys "
		    "(/dev/tty)\n", progname);
		return EXITUSAGE;
	}
	/* at a terminal, the view comes at once and the trace as it is read */
	if (keys == NULL && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		if ((status = ui_usable(NULL)) != 0)
			return status;
		return cmd_finish(ui_view(args_trace(a, 0, buf, sizeof buf), &t,
		    &vs, pl, n, &ro, args_has(a, Oascii)));
	}
	if (timeline_load(&t, args_trace(a, 0, buf, sizeof buf), pl,
	    n, &ro, &vs, tl, NULL, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return EXITUSAGE;
	}
	if ((status = ui_usable(keys)) != 0) {
		while (--n >= 0)
			timeline_free(&tl[n]);
	} else
		status = ui_main(&t, &vs, pl[0], pl[1], tl, &ro, keys, save,
		    args_has(a, Oascii));
	trace_free(&t);
	vstore_free(&vs);
	return status;
}
