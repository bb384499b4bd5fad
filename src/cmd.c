/*
 * The shared parser of the commands (cmd.h): getopt_long's table built
 * from a command's entry, each argument checked by its kind, the
 * operands counted; the usage, a command's --help and the synopses
 * written from the entries; and the few things every command does
 * (load a trace, refuse to write over it, flush the output).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "import.h"
#include "kchild.h"
#include "ksrc.h"
#include "outfile.h"
#include "util.h"

#define MAXOPT		(sizeof ((struct args *)0)->v /		\
			    sizeof ((struct args *)0)->v[0])
#define SYNWIDTH	76	/* where a synopsis line wraps */

static int	 checkarg(struct args *, const struct cmd_option *,
		     struct argvalue *, const char *);
static int	 policylist(struct args *, const char *, struct argvalue *);
static const struct cmd_option *otheroption(const struct cmd_entry *const *,
		     const char *);
static int	 nopts(const struct cmd_entry *);

/* How many options e declares. */
static int
nopts(const struct cmd_entry *e)
{
	int n;

	for (n = 0; e->options[n].name != NULL; n++)
		;
	return n;
}

/*
 * A usage error of the command a is for: one line naming the command, a
 * pointer to its --help, status 2 (returned).
 */
int
cmd_usageerr(const struct args *a, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", progname, a->entry->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s %s --help'.\n", progname, a->entry->name);
	return EXITUSAGE;
}

/* An option named name that some command of table declares, or nil. */
static const struct cmd_option *
otheroption(const struct cmd_entry *const *table, const char *name)
{
	const struct cmd_option *o;
	size_t len;

	if (table == NULL || strncmp(name, "--", 2) != 0)
		return NULL;
	name += 2;
	len = strcspn(name, "=");
	for (; *table != NULL; table++)
		for (o = (*table)->options; o->name != NULL; o++)
			if (strlen(o->name) == len &&
			    strncmp(o->name, name, len) == 0)
				return o;
	return NULL;
}

/*
 * The policies of a comma-separated list into v.  Returns -1 after a
 * usage error.
 */
static int
policylist(struct args *a, const char *arg, struct argvalue *v)
{
	char name[PATH_MAX], err[1024];
	const char *p, *q;
	const Policy *pol;
	size_t len;
	int i;

	v->npol = 0;
	for (p = arg;; p = q + 1) {
		q = strchr(p, ',');
		len = q ? (size_t)(q - p) : strlen(p);
		if (len >= sizeof name)
			len = sizeof name - 1;
		memcpy(name, p, len);
		name[len] = '\0';
		/* a kernel source file: its vmap path, compiled */
		if (ksrc_isfile(name)) {
			if ((pol = ksrc_load(name, err, sizeof err)) == NULL) {
				fprintf(stderr, "%s: %s\n", progname, err);
				return -1;
			}
		} else if ((pol = policyfind(name)) == NULL)
			return cmd_usageerr(a, "no policy '%s' (see %s "
			    "policies)", name, progname), -1;
		for (i = 0; i < v->npol; i++)
			if (v->pol[i] == pol)
				return cmd_usageerr(a, "policy '%s' named twice",
				    name), -1;
		if (v->npol == MAXPOLICY)
			return cmd_usageerr(a, "%s: too many policies", arg), -1;
		v->pol[v->npol++] = pol;
		if (q == NULL)
			return 0;
	}
}

/* Whether s is a real number in (lo, hi] (open: lo excluded) into *f. */
static int
realin(const char *s, double lo, int open, double hi, double *f)
{
	char *end;

	errno = 0;
	*f = strtod(s, &end);
	return *s != '\0' && *end == '\0' && errno == 0 &&
	    (open ? *f > lo : *f >= lo) && *f <= hi;
}

/*
 * An event number, or with range set a range A..B of them, into v; nil,
 * or what is wrong with s.
 */
static const char *
eventarg(const char *s, int range, struct argvalue *v)
{
	const char *hi;
	char *end;
	long at;

	errno = 0;
	at = strtol(s, &end, 10);
	v->num = v->hi = at;
	if (range && *s != '\0' && end[0] == '.' && end[1] == '.' &&
	    errno == 0 && at >= 0) {
		hi = end + 2;
		at = strtol(hi, &end, 10);
		v->hi = at;
		if (*hi == '\0' || *end != '\0' || errno != 0 || at < 0)
			return "is not a range of events A..B, A <= B";
		if (at < (long)v->num)
			return "is a range the wrong way round: A..B wants A <= B";
		return NULL;
	}
	if (*s == '\0' || *end != '\0' || errno != 0 || at < 0)
		return range ? "is not an event number or a range A..B" :
		    "is not an event number";
	return NULL;
}

/*
 * Check the argument s of option o by its kind into v.  Returns -1
 * after a usage error.
 */
static int
checkarg(struct args *a, const struct cmd_option *o, struct argvalue *v,
    const char *s)
{
	const char *bad;
	char why[64];

	v->set = 1;
	v->str = s;
	bad = NULL;
	switch (o->kind) {
	case ARGnone:
		return 0;
	case ARGstring:
	case ARGfile:
	case ARGkeys:
		if (*s == '\0')
			bad = "is empty";
		break;
	case ARGpolicies:
		return policylist(a, s, v);
	case ARGkernel:
		if ((v->val = kernelfind(s)) < 0)
			bad = "is not labs or 9front";
		break;
	case ARGonoff:
		if (strcmp(s, "on") != 0 && strcmp(s, "off") != 0)
			bad = "is not on or off";
		v->val = strcmp(s, "on") == 0;
		break;
	case ARGlogformat:
		for (v->val = 0; v->val < Nimportformat &&
		    strcmp(s, importformats[v->val]) != 0; v->val++)
			;
		if (v->val == Nimportformat)
			bad = "is not auto, console or vmallocinfo";
		break;
	case ARGformat:
		if (strcmp(s, "text") != 0 && strcmp(s, "yaml") != 0)
			bad = "is not text or yaml";
		v->val = strcmp(s, "yaml") == 0;
		break;
	case ARGcount:
	case ARGpdes:
		if (trace_parsenum(s, 0, &v->num) < 0 || v->num == 0 ||
		    v->num > 100000000)
			bad = "is not a count";
		else if (o->kind == ARGpdes && v->num > 1023)
			bad = "is more than 1023";
		break;
	case ARGnumber:
		if (trace_parsenum(s, 0, &v->num) < 0)
			bad = "is not a number";
		break;
	case ARGseconds:
		if (!realin(s, 0, 1, 3600, &v->frac))
			bad = "is not a time in seconds, more than 0 and at most "
			    "3600";
		break;
	case ARGfraction:
		if (!realin(s, 0, 0, 1, &v->frac))
			bad = "is not a fraction from 0 to 1";
		break;
	case ARGevent:
	case ARGevents:
		bad = eventarg(s, o->kind == ARGevents, v);
		break;
	case ARGvmap:
		if (trace_parsenum(s, 0, &v->num) < 0)
			bad = "is not a number";
		else if ((bad = trace_vmapbad(why, sizeof why, v->num)) != NULL)
			return cmd_usageerr(a, "--%s: %s", o->name, bad), -1;
		break;
	case ARGvmapsize:
		if (trace_parsenum(s, SUFFIXANY, &v->num) < 0)
			bad = "is not a size";
		else if ((bad = trace_vmapsizebad(v->num)) != NULL)
			return cmd_usageerr(a, "--%s: %s", o->name, bad), -1;
		break;
	default:
		fatal("option --%s: no kind %d", o->name, o->kind);
	}
	if (bad != NULL)
		return cmd_usageerr(a, "--%s: '%s' %s", o->name, s, bad), -1;
	return 0;
}

/*
 * Parse argv (argv[0] the command's name) by e's options into a.
 * Returns 0, 1 when --help was asked for (and printed), or -1 after a
 * usage error (reported).
 */
int
cmd_parse(const struct cmd_entry *e, const struct cmd_entry *const *table,
    int argc, char **argv, struct args *a)
{
	struct option lo[MAXOPT + 2];
	const struct cmd_option *o;
	char shortopts[2 * MAXOPT + 4], *sp;
	int n, i, ch, idx;

	memset(a, 0, sizeof *a);
	a->entry = e;
	a->table = table;
	if ((n = nopts(e)) > (int)MAXOPT)
		fatal("%s: more than %zu options", e->name, MAXOPT);
	sp = shortopts;
	*sp++ = ':';		/* a missing argument is ':', not '?' */
	*sp++ = 'h';
	for (i = 0; i < n; i++) {
		o = &e->options[i];
		lo[i] = (struct option){ o->name, o->kind == ARGnone ?
		    no_argument : required_argument, NULL, o->id };
		if (o->letter != 0) {
			*sp++ = o->letter;
			if (o->kind != ARGnone)
				*sp++ = ':';
		}
	}
	*sp = '\0';
	lo[n] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n + 1] = (struct option){ NULL, 0, NULL, 0 };
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, lo, &idx)) != -1) {
		if (ch == 'h') {
			cmd_help(stdout, e);
			return 1;
		}
		if (ch == ':')
			return cmd_usageerr(a, "%s needs an argument",
			    argv[optind - 1]), -1;
		if (ch == '?') {
			if (optopt != 0 && optopt < 256)
				return cmd_usageerr(a, "unknown option -%c",
				    optopt), -1;
			if ((o = otheroption(table, argv[optind - 1])) != NULL)
				return cmd_usageerr(a, "takes no --%s",
				    o->name), -1;
			return cmd_usageerr(a, "unknown or incomplete option "
			    "%s", argv[optind - 1]), -1;
		}
		for (i = 0; i < n && e->options[i].id != ch; i++)
			;
		if (i == n)
			fatal("%s: getopt gave %d, no option of its own", e->name,
			    ch);
		if (checkarg(a, &e->options[i], &a->v[i], optarg) < 0)
			return -1;
	}
	a->argc = argc - optind;
	a->argv = argv + optind;
	if (a->argc < e->minargs)
		return cmd_usageerr(a, "which %s?", cmd_lead(e) ?
		    cmd_lead(e) : e->operands), -1;
	if (e->maxargs >= 0 && a->argc > e->maxargs) {
		if (e->maxargs == 0)
			return cmd_usageerr(a, "takes no operands"), -1;
		return cmd_usageerr(a, "one %s, please", cmd_lead(e) ?
		    cmd_lead(e) : e->operands), -1;
	}
	return 0;
}

/*
 * Run the command e on argv (argv[0] its name), table being all of them.
 * Returns the exit status.
 */
int
cmd_run(const struct cmd_entry *e, const struct cmd_entry *const *table,
    int argc, char **argv)
{
	struct args a;

	switch (cmd_parse(e, table, argc, argv, &a)) {
	case -1:
		return EXITUSAGE;
	case 1:
		return cmd_finish(EXITOK);
	}
	if (args_has(&a, Okerneltimeout))
		kchild_timeout(args_get(&a, Okerneltimeout)->frac);
	return e->exec(&a);
}

/*
 * e's synopsis, as usage and the man page have it: its name (in
 * brackets when it is the default, as def says), the options the
 * command's users meet, its operands.  It starts at column col and
 * wraps to column 16.
 */
/* The operands before a command's options: its own, or made. */
const char *
cmd_lead(const struct cmd_entry *e)
{
	return e->leadof != NULL ? e->leadof() : e->lead;
}

void
cmd_synopsis(FILE *f, const struct cmd_entry *e, int def, int col)
{
	const struct cmd_option *o;
	char item[96];

	col += fprintf(f, "%s%s%s", def ? "[" : "", e->name, def ? "]" : "");
	if (cmd_lead(e) != NULL)
		col += fprintf(f, " %s", cmd_lead(e));
	for (o = e->options;; o++) {
		if (o->name == NULL && e->operands == NULL)
			break;
		if (o->name == NULL)
			snprintf(item, sizeof item, "%s", e->operands);
		else if (o->help == NULL)
			continue;		/* for tests: not shown */
		else if (o->letter != 0)
			snprintf(item, sizeof item, "[-%c%s%s]", o->letter,
			    o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(item, sizeof item, "[--%s%s%s]", o->name,
			    o->arg ? " " : "", o->arg ? o->arg : "");
		if (col + 1 + (int)strlen(item) > SYNWIDTH)
			col = fprintf(f, "\n%16s%s", "", item) - 1;
		else
			col += fprintf(f, " %s", item);
		if (o->name == NULL)
			break;
	}
	fputc('\n', f);
}

/* The usage: every command of table, with its help. */
void
cmd_usage(FILE *f, const struct cmd_entry *const *table)
{
	int i;

	fprintf(f, "usage: %s [COMMAND] [OPTION]... [TRACE]...\n\n", progname);
	for (i = 0; table[i] != NULL; i++) {
		cmd_synopsis(f, table[i], i == 0, fprintf(f, "  %s ",
		    progname));
		fprintf(f, "      %s\n", table[i]->help);
	}
	fprintf(f, "\n  %s --help | --version\n\nPolicies:", progname);
	for (i = 0; i < npolicy(); i++)
		fprintf(f, "%s %s%s", i ? "," : "", policyat(i)->name,
		    i == 0 ? " (default)" : "");
	fprintf(f, ".\nExit status: 0 as expected, 1 an expectation failed or "
	    "the\nkernel panicked unexpectedly, 2 a bad trace or bad usage.\n"
	    "See %s(1) and vmaptrace(5).\n", progname);
}

/*
 * An option's help into buf, "%P" standing for the registry's first
 * policy: the one a command takes when none is named.
 */
static const char *
helpline(char *buf, size_t len, const char *help)
{
	const char *p;

	if ((p = strstr(help, "%P")) == NULL)
		return help;
	snprintf(buf, len, "%.*s%s%s", (int)(p - help), help,
	    policyat(0)->name, p + 2);
	return buf;
}

/* A command's --help: its synopsis, its help and its options. */
void
cmd_help(FILE *f, const struct cmd_entry *e)
{
	const struct cmd_option *o;
	char left[64], line[256];
	const char *h;

	cmd_synopsis(f, e, 0, fprintf(f, "usage: %s ", progname));
	fprintf(f, "%s\n\n", e->help);
	for (o = e->options; o->name != NULL; o++) {
		if (o->help == NULL)
			continue;
		snprintf(left, sizeof left, "%s%c%s--%s%s%s", o->letter ? "-" :
		    " ", o->letter ? o->letter : ' ', o->letter ? ", " : "  ",
		    o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		h = helpline(line, sizeof line, o->help);
		if (strlen(left) > 24)
			fprintf(f, "  %s\n  %24s  %s\n", left, "", h);
		else
			fprintf(f, "  %-24s  %s\n", left, h);
	}
	fprintf(f, "  %-24s  %s\n\nSee %s(1).\n", "-h, --help", "this text",
	    progname);
}

/* The value of option id of a's command (never set if it has none). */
const struct argvalue *
args_get(const struct args *a, int id)
{
	static const struct argvalue none;
	int i;

	for (i = 0; a->entry->options[i].name != NULL; i++)
		if (a->entry->options[i].id == id)
			return &a->v[i];
	return &none;
}

/* The long name of option id of a's command. */
const char *
args_name(const struct args *a, int id)
{
	int i;

	for (i = 0; a->entry->options[i].name != NULL; i++)
		if (a->entry->options[i].id == id)
			return a->entry->options[i].name;
	return "?";
}

/* Whether option id was given. */
int
args_has(const struct args *a, int id)
{
	return args_get(a, id)->set;
}

/* Option id's argument, or def when it was not given. */
const char *
args_str(const struct args *a, int id, const char *def)
{
	return args_has(a, id) ? args_get(a, id)->str : def;
}

/* The policy: the first -p names, else the registry's first. */
const Policy *
args_policy(struct args *a)
{
	const struct argvalue *v;

	v = args_get(a, Opolicy);
	return v->npol > 0 ? v->pol[0] : policyat(0);
}

/*
 * The replay options a's machine options make (--kernel, --pse,
 * --keep-going): -1 keeps the trace's.  Returns 0.
 */
int
args_replayopts(const struct args *a, struct replayopts *ro)
{
	memset(ro, 0, sizeof *ro);
	ro->kernel = args_has(a, Okernel) ? args_get(a, Okernel)->val : -1;
	ro->pse = args_has(a, Opse) ? args_get(a, Opse)->val : -1;
	ro->keepgoing = args_has(a, Okeepgoing);
	return 0;
}

/* Operand i as a trace's path: a bundled trace by its bare name too. */
const char *
args_trace(const struct args *a, int i, char *buf, size_t len)
{
	return findtrace(a->argv[i], buf, len);
}

/*
 * Load the trace of a (its first operand) and say in *n how many of
 * its events --at asks to run (by default all).  Returns -1 after
 * saying why not.
 */
int
cmd_loadat(struct args *a, struct trace *t, size_t *n)
{
	const struct argvalue *at;
	char buf[1024];

	if (cmd_load(t, args_trace(a, 0, buf, sizeof buf)) < 0)
		return -1;
	at = args_get(a, Oat);
	if (at->set && (at->num > t->nev || at->hi > t->nev)) {
		fprintf(stderr, "%s: --at %s: %s has %zu events\n", progname,
		    at->str, a->argv[0], t->nev);
		trace_free(t);
		return -1;
	}
	*n = at->set ? at->num : t->nev;
	return 0;
}

/*
 * Load the one trace of a and replay it under its one policy up to
 * --at (by default the end), for dump and export.  Returns -1 after
 * saying why not.
 */
int
cmd_replayto(struct args *a, struct trace *t, struct replay *rp)
{
	struct replayopts ro;
	size_t n;

	if (args_get(a, Opolicy)->npol > 1) {
		cmd_usageerr(a, "one policy, please (compare takes several)");
		return -1;
	}
	if (cmd_loadat(a, t, &n) < 0)
		return -1;
	args_replayopts(a, &ro);
	replay_init(rp, t, args_policy(a), &ro);
	replay_run(rp, n);
	return 0;
}

/* Write t to out ("-": standard output).  Returns the exit status. */
int
cmd_savetrace(const struct trace *t, const char *out)
{
	char err[512];

	if (trace_writefile(out, t, err, sizeof err) < 0) {
		fprintf(stderr, "%s: %s\n", progname, err);
		return EXITUSAGE;
	}
	return cmd_finish(EXITOK);
}

/* Load the trace at path, saying why not.  Returns -1 on error. */
int
cmd_load(struct trace *t, const char *path)
{
	char err[512];

	if (trace_load(t, path, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

/*
 * Refuse to write out (nil: nothing) over in, the file being read, by
 * any name or link; what names it ("trace", "log").  Returns -1 after
 * saying so.
 */
int
cmd_notinput(const char *out, const char *in, const char *what)
{
	if (out == NULL || !outfile_isinput(out, in))
		return 0;
	fprintf(stderr, "%s: %s is the %s being read: nothing written\n",
	    progname, out, what);
	return -1;
}

/*
 * --console's file (with suffix, when not nil, added after a dot) into
 * path, or "" without the option.  -1 after saying why not: it is the
 * file being read (in).
 */
static int
consolepath(const struct args *a, const char *suffix, const char *in,
    char *path, size_t len)
{
	const char *name;
	char *s;

	path[0] = '\0';
	if ((name = args_str(a, Oconsole, NULL)) == NULL)
		return 0;
	snprintf(path, len, "%s%s%s", name, suffix ? "." : "",
	    suffix ? suffix : "");
	/* a policy's name may be a file's: no directory from it */
	for (s = path + strnlen(path, strlen(name)); *s != '\0'; s++)
		if (*s == '/')
			*s = '_';
	return cmd_notinput(path, in, "trace");
}

/*
 * A console for --console: a temporary file, written to its place by
 * cmd_closeconsole once the run has gone well (nothing is written for
 * a trace with an error).  *f is nil without the option.  Returns -1
 * after saying why not.
 */
int
cmd_openconsole(const struct args *a, const char *suffix, const char *in,
    FILE **f)
{
	char path[4096], *s;
	int ok;

	*f = NULL;
	if (consolepath(a, suffix, in, path, sizeof path) < 0)
		return -1;
	if (path[0] == '\0')
		return 0;
	/* a place it cannot go is said before the run, not after */
	if (strcmp(path, "-") != 0 && (s = strrchr(path, '/')) != NULL) {
		*s = '\0';
		ok = access(path[0] ? path : "/", W_OK) == 0;
		if (!ok) {
			fprintf(stderr, "%s: --console: %s: %s\n", progname,
			    path[0] ? path : "/", strerror(errno));
			return -1;
		}
	}
	if ((*f = tmpfile()) == NULL) {
		fprintf(stderr, "%s: a temporary file for --console: %s\n",
		    progname, strerror(errno));
		return -1;
	}
	return 0;
}

/* What a console's temporary file holds, to f. */
static int
copyconsole(FILE *f, void *arg)
{
	char buf[8192];
	size_t n;
	FILE *from;

	from = arg;
	rewind(from);
	while ((n = fread(buf, 1, sizeof buf, from)) > 0)
		if (fwrite(buf, 1, n, f) != n)
			return -1;
	return ferror(from) ? -1 : 0;
}

/*
 * Close a console opened with cmd_openconsole (the same suffix and in):
 * after a run that went well (status not EXITUSAGE), written to its
 * file.  Returns status, or EXITUSAGE when it cannot be written.
 */
int
cmd_closeconsole(const struct args *a, const char *suffix, const char *in,
    FILE *f, int status)
{
	char path[4096], err[512];

	if (f == NULL)
		return status;
	snprintf(err, sizeof err, "its temporary file failed");
	if (status != EXITUSAGE &&
	    consolepath(a, suffix, in, path, sizeof path) == 0 &&
	    (fflush(f) != 0 || ferror(f) || outfile_write(path, copyconsole,
	    f, err, sizeof err) < 0)) {
		fprintf(stderr, "%s: --console: %s\n", progname, err);
		status = EXITUSAGE;
	}
	fclose(f);
	return status;
}

/*
 * Flush standard output; a write error is status 2, but a reader that
 * went away (a pipe into head) is not an error of ours.
 */
int
cmd_finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			return status;
		fprintf(stderr, "%s: writing the output: %s\n", progname,
		    strerror(errno));
		return EXITUSAGE;
	}
	return status;
}
