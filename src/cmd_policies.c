/*
 * vmapview policies: the registry of allocation policies, a line each,
 * and what a real kernel would differ in, where a policy says.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static int	cmd_policies_exec(struct args *);

static const struct cmd_option options[] = {
	OPT_END
};

const struct cmd_entry cmd_policies_entry = {
	.name = "policies",
	.help = "list the allocation policies",
	.options = options,
	.exec = cmd_policies_exec,
};

static int
cmd_policies_exec(struct args *a)
{
	const Policy *p;
	const char *s, *nl;
	int i;

	(void)a;
	for (i = 0; i < npolicy(); i++) {
		p = policyat(i);
		printf("%-11s %s\n", p->name, p->summary);
		for (s = p->caveat; s != NULL && *s != '\0'; s = nl) {
			nl = strchr(s, '\n');
			nl = nl ? nl + 1 : s + strlen(s);
			printf("%-11s %.*s", "", (int)(nl - s), s);
		}
		if (p->caveat != NULL)
			putchar('\n');
	}
	return cmd_finish(EXITOK);
}
