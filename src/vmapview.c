/*
 * vmapview: the command line.  main finds the command in the table of
 * entries (one cmd_*.c file each) and runs it; a trace named without a
 * command opens the view.  Exit status: 0 done (and as expected), 1 an
 * expectation failed or the kernel panicked unexpectedly, 2 bad usage
 * or a bad trace.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "text.h"
#include "util.h"

/* The entries, one per cmd_*.c file. */
extern const struct cmd_entry	cmd_check_entry;
extern const struct cmd_entry	cmd_compare_entry;
extern const struct cmd_entry	cmd_dump_entry;
extern const struct cmd_entry	cmd_export_entry;
extern const struct cmd_entry	cmd_gen_entry;
extern const struct cmd_entry	cmd_help_entry;
extern const struct cmd_entry	cmd_import_entry;
extern const struct cmd_entry	cmd_policies_entry;
extern const struct cmd_entry	cmd_quiz_entry;
extern const struct cmd_entry	cmd_probe_entry;
extern const struct cmd_entry	cmd_replay_entry;
extern const struct cmd_entry	cmd_shrink_entry;
extern const struct cmd_entry	cmd_verify_entry;
extern const struct cmd_entry	cmd_version_entry;
extern const struct cmd_entry	cmd_view_entry;

/* The commands, the default (the view) first, as usage lists them. */
static const struct cmd_entry *const cmds[] = {
	&cmd_view_entry,
	&cmd_replay_entry,
	&cmd_check_entry,
	&cmd_dump_entry,
	&cmd_compare_entry,
	&cmd_probe_entry,
	&cmd_shrink_entry,
	&cmd_verify_entry,
	&cmd_quiz_entry,
	&cmd_gen_entry,
	&cmd_import_entry,
	&cmd_export_entry,
	&cmd_policies_entry,
	&cmd_help_entry,
	&cmd_version_entry,
	NULL
};

/*
 * Whether argv[1] starts the default command: an option, or a trace
 * (a path, or the bare name of a bundled one).
 */
static int
isdefault(const char *arg)
{
	char buf[1024];

	return arg[0] == '-' || strchr(arg, '.') != NULL ||
	    strchr(arg, '/') != NULL || findtrace(arg, buf, sizeof buf) != arg;
}

/*
 * Standard input, output and error, held open: one that was closed
 * gets /dev/null opened the wrong way round, so that no file the
 * program opens takes its number (a spool read as the input, a trace
 * written over a message) and any use of it fails as a read or write
 * error would, and is said.
 */
static void
holdstdfds(void)
{
	int fd, want;

	for (want = 0; want <= 2; want++) {
		if (fcntl(want, F_GETFD) >= 0 || errno != EBADF)
			continue;
		fd = open("/dev/null", want == 0 ? O_WRONLY : O_RDONLY);
		if (fd >= 0 && fd != want) {
			dup2(fd, want);
			close(fd);
		}
	}
}

int
main(int argc, char **argv)
{
	static char obuf[1 << 16];
	char buf[4096];
	size_t i;

	holdstdfds();
	/* messages quote file names and traces: no control byte gets out */
	stderr = text_guard(stderr);
	/* reports of a million events: fewer, larger writes */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	if (argc < 2) {
		cmd_usage(stderr, cmds);
		return EXITUSAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_run(&cmd_help_entry, cmds, argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return cmd_run(&cmd_version_entry, cmds, argc - 1, argv + 1);
	for (i = 0; cmds[i] != NULL; i++)
		if (strcmp(argv[1], cmds[i]->name) == 0)
			return cmd_run(cmds[i], cmds, argc - 1, argv + 1);
	if (isdefault(argv[1])) {
		/* argv[0] stands for the command's name, as if given */
		argv[0] = (char *)cmds[0]->name;
		return cmd_run(cmds[0], cmds, argc, argv);
	}
	/* no command, no file: say where bundled traces were looked for */
	fprintf(stderr, "%s: '%s' is no command, no file and no bundled trace "
	    "(%s)\nTry '%s --help'.\n", progname, argv[1],
	    tracedirs_said(buf, sizeof buf), progname);
	return EXITUSAGE;
}
