/*
 * The commands.  Each cmd_*.c file defines one entry: its name, its
 * operands, a line of help, its own options with the kind of argument
 * each takes, and the function that runs it (tmux's cmd_entry).  The
 * shared parser (cmd.c) builds getopt_long's table from the entry,
 * checks every argument by its kind and the operands by their count,
 * and hands the command its parsed arguments; the usage, each
 * command's --help and the synopses come from the entries too.
 */
#ifndef VMAPVIEW_CMD_H
#define VMAPVIEW_CMD_H

#include <stdint.h>

#include "replay.h"
#include "trace.h"
#include "util.h"	/* the exit statuses */

/* The kinds of an option's argument, each checked by the parser. */
enum {
	ARGnone,	/* a flag */
	ARGstring,	/* text, not empty */
	ARGfile,	/* a path; - is standard input or output */
	ARGpolicies,	/* policies, comma-separated */
	ARGkernel,	/* labs or 9front */
	ARGonoff,	/* on or off */
	ARGformat,	/* text or yaml */
	ARGlogformat,	/* auto, console or vmallocinfo */
	ARGcount,	/* 1 to 100000000 */
	ARGnumber,	/* 0 up, decimal or 0x */
	ARGpdes,	/* 1 to 1023 */
	ARGfraction,	/* 0 to 1 */
	ARGevent,	/* an event number, 0 up */
	ARGevents,	/* one, or a range A..B */
	ARGvmap,	/* where a vmap starts: 4 MiB-aligned, not 0 */
	ARGvmapsize,	/* a vmap's size: a multiple of 4M */
	ARGkeys,	/* a --keys script */
	ARGseconds	/* a time: more than 0, at most an hour */
};

/*
 * Options by what they mean, whichever command takes them: a short
 * option's letter, or a number past the characters.
 */
enum {
	Ooutput = 'o',
	Opolicy = 'p',
	Oascii = 256,
	Oanswers,
	Oat,
	Obudget,
	Ocheck,
	Ocompletion,
	Oconsole,
	Ocount,
	Oevents,
	Ofill,
	Ofailon,
	Oformat,
	Okeepgoing,
	Okernel,
	Okerneltimeout,
	Okeeporphans,
	Okeys,
	Oname,
	Onoexpect,
	Opdes,
	Oplot,
	Opokes,
	Opse,
	Orecordexpect,
	Osavescreen,
	Oseed,
	Osizes,
	Ostats,
	Ostrict,
	Otests,
	Otraces,
	Osummary,
	Ountil,
	Ovmap,
	Ovmapsize,
	Owhy
};

/*
 * An option of a command.  One without help is for tests: taken, but
 * not in the synopsis, the command's --help or completion.
 */
struct cmd_option {
	int		 id;		/* Opolicy, ... */
	const char	*name;		/* long, without -- */
	int		 letter;	/* short, or 0 */
	int		 kind;		/* ARGnone, ... */
	const char	*arg;		/* the argument in the synopsis */
	const char	*help;		/* one line, for the command's --help */
};

/* The options every command that replays a trace may take. */
#define OPT_KERNEL(arg)	{ Okernel, "kernel", 0, ARGkernel, arg,		\
	"the kernel modeled, instead of the trace's" }
#define OPT_PSE		{ Opse, "pse", 0, ARGonoff, "on|off",		\
	"4 MiB pages or not, instead of the trace's" }
#define OPT_KEEPGOING	{ Okeepgoing, "keep-going", 0, ARGnone, NULL,	\
	"after a panic, run the later events on what it left" }
#define OPT_KTIMEOUT	{ Okerneltimeout, "kernel-timeout", 0, ARGseconds,	\
	"SECONDS", "how long a kernel file's call may take (3)" }
#define OPT_AT		{ Oat, "at", 0, ARGevent, "N",			\
	"the state after event N (default: the last)" }
#define OPT_OUTPUT	{ Ooutput, "output", 'o', ARGfile, "FILE",	\
	"write to FILE (default: standard output)" }
#define OPT_FORMAT	{ Oformat, "format", 0, ARGformat, "text|yaml",	\
	"the report for people, or a YAML document" }
#define OPT_CONSOLE	{ Oconsole, "console", 0, ARGfile, "FILE",	\
	"what the kernel prints, as a console log to FILE" }
#define OPT_END		{ 0, NULL, 0, 0, NULL, NULL }

struct args;

struct cmd_entry {
	const char		*name;
	const char		*lead;		/* operands before the options */
	const char		*(*leadof)(void); /* or made from a table */
	const char		*operands;	/* after them, as the synopsis has */
	int			 minargs;	/* operands, counted */
	int			 maxargs;	/* -1: no limit */
	const char		*help;		/* one line */
	const struct cmd_option	*options;	/* ended by OPT_END */
	int			(*exec)(struct args *);
};

/* A parsed option: its argument as given, and as its kind reads it. */
struct argvalue {
	int		 set;
	const char	*str;
	uint64_t	 num;		/* counts, numbers, addresses, sizes */
	uint64_t	 hi;		/* the end of a range of events */
	double		 frac;
	int		 val;		/* a kernel, on/off, a format */
	const Policy	*pol[MAXPOLICY];	/* policies, as listed */
	int		 npol;
};

/* What a command gets: its entry, its options and its operands. */
struct args {
	const struct cmd_entry		*entry;
	const struct cmd_entry *const	*table;	/* every command, for help */
	struct argvalue			 v[32];	/* as entry->options */
	int				 argc;	/* the operands */
	char				**argv;
};

/* cmd.c: the parser */
int		 cmd_run(const struct cmd_entry *, const struct cmd_entry *const *,
		     int, char **);
int		 cmd_parse(const struct cmd_entry *,
		     const struct cmd_entry *const *, int, char **,
		     struct args *);
int		 cmd_usageerr(const struct args *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
void		 cmd_usage(FILE *, const struct cmd_entry *const *);
void		 cmd_synopsis(FILE *, const struct cmd_entry *, int, int);
void		 cmd_help(FILE *, const struct cmd_entry *);
const char	*cmd_lead(const struct cmd_entry *);

/* cmd_completion.c */
void		 cmd_completion(FILE *, const struct cmd_entry *const *);

/* cmd.c: what the commands share */
const struct argvalue *args_get(const struct args *, int);
int		 args_has(const struct args *, int);
const char	*args_name(const struct args *, int);
const char	*args_str(const struct args *, int, const char *);
const Policy	*args_policy(struct args *);
int		 args_replayopts(const struct args *, struct replayopts *);
const char	*args_trace(const struct args *, int, char *, size_t);
int		 cmd_load(struct trace *, const char *);
int		 cmd_loadat(struct args *, struct trace *, size_t *);
int		 cmd_replayto(struct args *, struct trace *, struct replay *);
int		 cmd_savetrace(const struct trace *, const char *);
int		 cmd_notinput(const char *, const char *, const char *);
int		 cmd_openconsole(const struct args *, const char *,
		     const char *, FILE **);
int		 cmd_closeconsole(const struct args *, const char *,
		     const char *, FILE *, int);
int		 cmd_finish(int);

#endif
