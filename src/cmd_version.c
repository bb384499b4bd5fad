/*
 * vmapview version: the package's name and version.
 */
#include <stdio.h>

#include "config.h"
#include "cmd.h"

static int	cmd_version_exec(struct args *);

static const struct cmd_option options[] = {
	OPT_END
};

const struct cmd_entry cmd_version_entry = {
	.name = "version",
	.help = "the version",
	.options = options,
	.exec = cmd_version_exec,
};

static int
cmd_version_exec(struct args *a)
{
	(void)a;
	printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
	return cmd_finish(EXITOK);
}
