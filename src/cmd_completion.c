/*
 * vmapview help --completion: bash completion for vmapview, made from
 * the table of commands (each one's options, by the kind of argument
 * each takes, and its operands), the generators and the bundled traces
 * found now; the policies are asked of 'vmapview policies' as words
 * are completed, so that a registry that grows needs nothing here.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "gen.h"
#include "shrink.h"
#include "text.h"
#include "util.h"
#include "xmalloc.h"

/* The words an option's argument completes to, by its kind. */
enum { CWnone, CWpolicies, CWfiles, CWwords };

static int
argwords(const struct cmd_option *o, const char **words)
{
	static char until[128];
	size_t n;
	int k;

	*words = NULL;
	switch (o->kind) {
	case ARGnone:
		return -1;		/* takes no argument */
	case ARGpolicies:
		return CWpolicies;
	case ARGfile:
		return CWfiles;
	case ARGkernel:
		*words = "labs 9front";
		return CWwords;
	case ARGonoff:
		*words = "on off";
		return CWwords;
	case ARGformat:
		*words = "text yaml";
		return CWwords;
	}
	if (o->id == Ountil) {
		for (n = 0, k = 0; k < Nwhat && n < sizeof until; k++) {
			snprintf(until + n, sizeof until - n, "%s%s",
			    k ? " " : "", whatnames[k]);
			n += strlen(until + n);
		}
		*words = until;
		return CWwords;
	}
	return CWnone;
}

/* Whether option o of command i was met in an earlier command. */
static int
seenbefore(const struct cmd_entry *const *table, int i,
    const struct cmd_option *o)
{
	const struct cmd_option *p;
	int j;

	for (j = 0; j < i; j++)
		for (p = table[j]->options; p->name != NULL; p++)
			if (strcmp(p->name, o->name) == 0)
				return 1;
	return 0;
}

/* case $prev: each option that takes an argument, once. */
static void
prevcases(FILE *f, const struct cmd_entry *const *table)
{
	const struct cmd_option *o;
	const char *words;
	int i, cw;

	fputs("\tcase $prev in\n", f);
	for (i = 0; table[i] != NULL; i++)
		for (o = table[i]->options; o->name != NULL; o++) {
			if (o->help == NULL || seenbefore(table, i, o) ||
			    (cw = argwords(o, &words)) < 0)
				continue;
			if (o->letter)
				fprintf(f, "\t-%c|", o->letter);
			else
				fputc('\t', f);
			fprintf(f, "--%s)\n\t\t", o->name);
			if (cw == CWpolicies)
				fputs("COMPREPLY=($(compgen -W \"$(vmapview "
				    "policies 2>/dev/null |\n\t\t    awk '/^[^ ]/ "
				    "{ print $1 }')\" -- \"$cur\"))\n\t\t", f);
			else if (cw == CWfiles)
				fputs("COMPREPLY=($(compgen -f -- \"$cur\"))\n"
				    "\t\t", f);
			else if (cw == CWwords)
				fprintf(f, "COMPREPLY=($(compgen -W \"%s\" -- "
				    "\"$cur\"))\n\t\t", words);
			fputs("return ;;\n", f);
		}
	fputs("\tesac\n", f);
}

static int
byname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The bundled traces' names, as the program would find them now (in
 * the first of their directories that is there), in order.
 */
static void
tracenames(FILE *f)
{
	const char *dirs[4];
	struct dirent *de;
	char buf[4096], **name;
	size_t n, nn, cap;
	DIR *d;
	int k, i;

	name = NULL;
	nn = cap = 0;
	k = tracedirs(dirs, 4, buf, sizeof buf);
	for (i = 0, d = NULL; i < k && d == NULL; i++)
		d = opendir(dirs[i]);
	while (d != NULL && (de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		/* a name the shell would take as it is */
		if (n > 5 && strcmp(de->d_name + n - 5, ".yaml") == 0 &&
		    text_ok(de->d_name, 0) &&
		    strcspn(de->d_name, " \"$`\\'") == n) {
			xgrow(&name, &cap, nn + 1, sizeof *name);
			name[nn] = xstrdup(de->d_name);
			name[nn++][n - 5] = '\0';
		}
	}
	if (d != NULL)
		closedir(d);
	qsort(name, nn, sizeof *name, byname);
	for (n = 0; n < nn; n++) {
		fprintf(f, "%s%s", n ? " " : "", name[n]);
		free(name[n]);
	}
	free(name);
}

/* pattern) COMPREPLY=(e's options) ;; */
static void
optionsof(FILE *f, const char *pattern, const struct cmd_entry *e)
{
	const struct cmd_option *o;

	fprintf(f, "\t\t%s) COMPREPLY=($(compgen -W \"--help", pattern);
	for (o = e->options; o->name != NULL; o++)
		if (o->help != NULL)
			fprintf(f, " --%s", o->name);
	fputs("\" -- \"$cur\")) ;;\n", f);
}

/*
 * case $cmd, for $cur an option: each command's options; a trace in
 * the command's place is the view's.
 */
static void
optioncases(FILE *f, const struct cmd_entry *const *table)
{
	int i;

	fputs("\tcase $cur in\n\t-*)\n\t\tcase $cmd in\n", f);
	for (i = 0; table[i] != NULL; i++)
		optionsof(f, table[i]->name, table[i]);
	for (i = 0; table[i] != NULL; i++)
		if (strcmp(table[i]->name, "view") == 0)
			optionsof(f, "*", table[i]);
	fputs("\t\tesac ;;\n", f);
}

/* case $cmd, for $cur an operand: by what the command's operands are. */
static void
operandcases(FILE *f, const struct cmd_entry *const *table)
{
	const struct cmd_entry *e;
	int i, k;

	fputs("\t*)\n\t\tcase $cmd in\n", f);
	for (i = 0; table[i] != NULL; i++) {
		e = table[i];
		fprintf(f, "\t\t%s) ", e->name);
		if (cmd_lead(e) != NULL) {
			fputs("COMPREPLY=($(compgen -W \"", f);
			for (k = 0; k < ngenerators; k++)
				fprintf(f, "%s%s", k ? " " : "",
				    generators[k].name);
			fputs("\" -- \"$cur\")) ;;\n", f);
		} else if (e->maxargs == 0 || e->operands == NULL)
			fputs(";;\n", f);
		else if (strstr(e->operands, "TRACE") != NULL)
			fputs("_vmapview_traces ;;\n", f);
		else
			fputs("COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n", f);
	}
	fputs("\t\tesac ;;\n\tesac\n", f);
}

/* The script, for bash: the words of vmapview's command line. */
void
cmd_completion(FILE *f, const struct cmd_entry *const *table)
{
	int i;

	fputs("# bash completion for vmapview(1), made by 'vmapview help "
	    "--completion'\n# from its table of commands, its generators "
	    "and its bundled traces.\n\n", f);
	fputs("# A bundled trace by its name, or a .yaml file.\n"
	    "_vmapview_traces()\n{\n\tCOMPREPLY+=($(compgen -W \"", f);
	tracenames(f);
	fputs("\" -- \"$cur\"))\n\tCOMPREPLY+=($(compgen -f -X '!*.yaml' -- "
	    "\"$cur\"))\n}\n\n", f);
	fputs("_vmapview()\n{\n\tlocal cur prev cmd i\n\tCOMPREPLY=()\n"
	    "\tcur=${COMP_WORDS[COMP_CWORD]}\n"
	    "\tprev=${COMP_WORDS[COMP_CWORD-1]}\n\tcmd=\n"
	    "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	    "\t\tcase ${COMP_WORDS[i]} in\n\t\t-*) ;;\n"
	    "\t\t*) cmd=${COMP_WORDS[i]}; break ;;\n\t\tesac\n\tdone\n", f);
	prevcases(f, table);
	fputs("\tif [ -z \"$cmd\" ]; then\n\t\tCOMPREPLY=($(compgen -W \""
	    "--help --version", f);
	for (i = 0; table[i] != NULL; i++)
		fprintf(f, " %s", table[i]->name);
	fputs("\" -- \"$cur\"))\n\t\t[[ $cur == -* ]] || _vmapview_traces\n"
	    "\t\treturn\n\tfi\n", f);
	optioncases(f, table);
	operandcases(f, table);
	fputs("}\ncomplete -F _vmapview vmapview\n", f);
}
