/*
 * vmapview import: a console log of vmap and vunmap lines (import.c)
 * into a trace, with the machine and name the options give.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "emit.h"
#include "import.h"
#include "outfile.h"
#include "text.h"
#include "util.h"
#include "xmalloc.h"

static int	cmd_import_exec(struct args *);

static const struct cmd_option options[] = {
	{ Opolicy, "policy", 'p', ARGpolicies, "POLICY",
	    "whose expectations the log's results are (%P)" },
	{ Onoexpect, "no-expect", 0, ARGnone, NULL, "write no expectations" },
	{ Ostrict, "strict", 0, ARGnone, NULL,
	    "a line that names vmap but is no call is an error" },
	{ Okeeporphans, "keep-orphans", 0, ARGnone, NULL,
	    "keep a vunmap of an address no vmap of the log returned" },
	{ Oformat, "format", 0, ARGlogformat, "auto|console|vmallocinfo",
	    "the log's format (auto: by its shape)" },
	OPT_KERNEL("K"),
	OPT_PSE,
	{ Ovmap, "vmap", 0, ARGvmap, "ADDR", "the trace's machine.vmap" },
	{ Ovmapsize, "vmapsize", 0, ARGvmapsize, "SIZE",
	    "the trace's machine.vmapsize" },
	{ Oname, "name", 0, ARGstring, "NAME",
	    "the trace's name (default: the log's file name, less its "
	    "extension)" },
	OPT_OUTPUT,
	OPT_END
};

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.operands = "LOG",
	.minargs = 1,
	.maxargs = 1,
	.help = "a console log of vmap/vunmap lines, or /proc/vmallocinfo, "
	    "into a trace",
	.options = options,
	.exec = cmd_import_exec,
};

/* The machine the options set, over the defaults t has.  -1: bad. */
static int
setmachine(struct args *a, struct trace *t)
{
	struct machine *mc;

	mc = &t->machine;
	if (args_has(a, Ovmap))
		mc->vmap = args_get(a, Ovmap)->num;
	if (args_has(a, Ovmapsize))
		mc->vmapsize = args_get(a, Ovmapsize)->num;
	if ((uint64_t)mc->vmap + mc->vmapsize > 1ull << 32) {
		cmd_usageerr(a, "--vmap and --vmapsize end past 2^32");
		return -1;
	}
	if (args_has(a, Okernel))
		mc->kernel = args_get(a, Okernel)->val;
	if (args_has(a, Opse))
		mc->pse = args_get(a, Opse)->val;
	return 0;
}

/* What was read, on standard error. */
static void
tell(const char *base, const struct importstats *st)
{
	fprintf(stderr, "%s: %zu lines, %zu events, %zu skipped", base,
	    st->lines, st->events, st->skipped);
	if (st->unknown)
		fprintf(stderr, " (%zu vunmaps of unknown addresses without a "
		    "size)", st->unknown);
	if (st->malformed)
		fprintf(stderr, ", %zu of them naming vmap or vunmap",
		    st->malformed);
	if (st->rawunmaps)
		fprintf(stderr, ", %zu vunmaps kept as raw addresses",
		    st->rawunmaps);
	if (st->dropped)
		fprintf(stderr, ", %zu orphan vunmap%s dropped", st->dropped,
		    st->dropped == 1 ? "" : "s");
	if (st->widegone)
		fprintf(stderr, ", %zu vunmap%s of a 64-bit address no longer "
		    "mapped dropped", st->widegone, st->widegone == 1 ? "" : "s");
	if (st->orphans > st->dropped)
		fprintf(stderr, ", %zu orphan vunmap%s kept",
		    st->orphans - st->dropped, st->orphans - st->dropped == 1 ?
		    "" : "s");
	fputc('\n', stderr);
}

/*
 * The spool: each event as it is read, to a temporary file, so that the
 * trace's header, which counts them, can be written before them and
 * nothing of the log is held.  A record: the event's numbers, then its
 * id and its remark, each its length and its bytes.
 */
struct rec {
	uint8_t		op;
	uint8_t		flags;
	uint8_t		xkind;		/* the policy's expectation */
	uint8_t		pad;
	uint64_t	pa;
	uint32_t	va;
	uint32_t	size;
	uint32_t	xaddr;
	uint16_t	idlen;
	uint16_t	notelen;
	double		t;
};

struct spool {
	FILE		*f;
	int		 pidx;
	struct trace	 hdr;
};

static int
spoolevent(void *arg, const struct event *e)
{
	struct spool *sp;
	struct rec r;

	sp = arg;
	memset(&r, 0, sizeof r);
	r.op = e->op;
	r.flags = e->flags & ~EVOWNID;
	if (sp->pidx >= 0) {
		r.xkind = e->expect[sp->pidx].kind;
		r.xaddr = e->expect[sp->pidx].addr;
	}
	r.pa = e->pa;
	r.va = e->va;
	r.size = e->size;
	r.t = e->t;
	r.idlen = e->id ? strlen(e->id) : 0;
	r.notelen = e->note ? strlen(e->note) : 0;
	if (fwrite(&r, sizeof r, 1, sp->f) != 1 ||
	    fwrite(e->id ? e->id : "", 1, r.idlen, sp->f) != r.idlen ||
	    fwrite(e->note ? e->note : "", 1, r.notelen, sp->f) != r.notelen)
		return -1;
	return 0;
}

/* The trace: its header, then the spooled events one by one. */
static int
writeimport(FILE *f, void *arg)
{
	struct tracewriter w;
	struct spool *sp;
	struct event e;
	struct rec r;
	char id[65536], note[65536];

	sp = arg;
	if (fseek(sp->f, 0, SEEK_SET) < 0)
		return -1;
	if (trace_writeopen(&w, f, &sp->hdr) < 0 && w.bad < 0)
		return -1;
	while (fread(&r, sizeof r, 1, sp->f) == 1) {
		if (fread(id, 1, r.idlen, sp->f) != r.idlen ||
		    fread(note, 1, r.notelen, sp->f) != r.notelen) {
			w.bad = 1;
			break;
		}
		id[r.idlen] = note[r.notelen] = '\0';
		memset(&e, 0, sizeof e);
		e.op = r.op;
		e.flags = r.flags;
		e.pa = r.pa;
		e.va = r.va;
		e.size = r.size;
		e.t = r.t;
		e.ref = e.slot = -1;
		e.id = r.idlen ? id : NULL;
		e.note = r.notelen ? note : NULL;
		if (sp->pidx >= 0) {
			e.expect[sp->pidx].kind = r.xkind;
			e.expect[sp->pidx].addr = r.xaddr;
		}
		trace_writeevent(&w, &e);
	}
	if (ferror(sp->f))
		w.bad = 1;
	return trace_writeclose(&w);
}

/*
 * The log at path into *f (standard input for "-"), and its file's
 * name in *base; -1 after saying why not.
 */
static int
openlog(const char **path, FILE **f, const char **base)
{
	if (strcmp(*path, "-") == 0) {
		*f = stdin;
		*base = *path = "stdin";
		return 0;
	}
	if ((*f = fopen(*path, "r")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, *path,
		    strerror(errno));
		return -1;
	}
	*base = strrchr(*path, '/') ? strrchr(*path, '/') + 1 : *path;
	return 0;
}

/*
 * A description of what a /proc/vmallocinfo said: the device mappings
 * of a Linux machine, live when it was read, the rest counted by kind.
 */
static void
vmdescribe(char *desc, size_t len, const char *base,
    const struct importstats *st)
{
	char raw[1024];
	size_t n, other;
	FILE *f;
	int i;

	n = snprintf(raw, sizeof raw, "Imported from %s, a Linux machine's "
	    "/proc/vmallocinfo: the %zu ioremap areas live when it was read, "
	    "each a vmap of its size less the guard page, in the file's "
	    "order.  No vunmap, and no expectations: Linux chose its own "
	    "addresses.  %zu lines in all; skipped:", base, st->events,
	    st->lines);
	for (other = st->skipped, i = 0; i < st->nkind && n < sizeof raw;
	    i++) {
		n += snprintf(raw + n, sizeof raw - n, "%s %zu %s", i ? "," : "",
		    st->kind[i].n, st->kind[i].name);
		other -= st->kind[i].n;
	}
	if (n < sizeof raw && (other > 0 || st->nkind == 0))
		n += snprintf(raw + n, sizeof raw - n, "%s %zu other",
		    st->nkind ? "," : "", other);
	if (n < sizeof raw)
		snprintf(raw + n, sizeof raw - n, ".");
	desc[0] = '\0';
	if ((f = fmemopen(desc, len, "w")) != NULL) {
		fprintwrap(f, "", raw, 72);
		fclose(f);
	}
}

/*
 * The trace's name and description, from the log's file (base, and
 * stem, its name less the extension) and what was read of it; and what
 * was left unsaid of the lines skipped, said.
 */
static void
describe(struct args *a, struct spool *sp, const struct importstats *st,
    const char *base, const char *stem)
{
	char desc[512];

	if (st->malformed > IMPORTWARNMAX)
		fprintf(stderr, "%s: %zu more lines that name vmap or vunmap "
		    "but are no call, skipped\n", base,
		    st->malformed - IMPORTWARNMAX);
	if (st->orphans > IMPORTWARNMAX && st->dropped > 0)
		fprintf(stderr, "%s: %zu more orphan vunmaps\n", base,
		    st->orphans - IMPORTWARNMAX);
	if (st->found == IFvmallocinfo)
		vmdescribe(desc, sizeof desc, base, st);
	else
		snprintf(desc, sizeof desc, "Imported from %s: %zu lines, %zu "
		    "events, %zu lines skipped.%s\n", base, st->lines,
		    st->events, st->skipped, args_has(a, Onoexpect) ? "" :
		    st->wideva > 0 ? "  Its addresses are 64-bit: they tie "
		    "each vunmap to its vmap, and are no expectations." :
		    "  The addresses the kernel gave are the expectations of "
		    "its policy.");
	sp->hdr.name = text_clean(args_str(a, Oname, stem), 0);
	sp->hdr.description = xstrdup(desc);
}

/*
 * Read the log, each event spooled as it is read; then write the trace
 * from the spool, its header saying how many lines and events there
 * were.  Nothing is written when the log has an error.
 */
static int
cmd_import_exec(struct args *a)
{
	struct importstats st;
	struct importsink sk;
	struct spool sp;
	char err[512];
	const char *path, *base;
	char *shown, *stem, *dot;
	FILE *f;
	int rv;

	if (args_get(a, Opolicy)->npol > 1)
		return cmd_usageerr(a, "one policy, please");
	path = a->argv[0];
	if (cmd_notinput(args_str(a, Ooutput, NULL), path, "log") < 0)
		return EXITUSAGE;
	memset(&sp, 0, sizeof sp);
	trace_init(&sp.hdr);
	if (setmachine(a, &sp.hdr) < 0)
		return EXITUSAGE;
	if (openlog(&path, &f, &base) < 0)
		return EXITUSAGE;
	/* the name as written into the trace: anybody's bytes made text */
	base = shown = text_clean(base, 0);
	/* the trace's own name: the file's, less its extension */
	stem = xstrdup(base);
	if ((dot = strrchr(stem, '.')) != NULL && dot != stem)
		*dot = '\0';
	if ((sp.f = tmpfile()) == NULL) {
		fprintf(stderr, "%s: a temporary file: %s\n", progname,
		    strerror(errno));
		if (f != stdin)
			fclose(f);
		free(shown);
		free(stem);
		return EXITUSAGE;
	}
	sp.pidx = args_has(a, Onoexpect) ? -1 : policyindex(args_policy(a));
	sk.event = spoolevent;
	sk.arg = &sp;
	st.strict = args_has(a, Ostrict);
	st.format = args_has(a, Oformat) ? args_get(a, Oformat)->val : IFauto;
	st.keeporphans = args_has(a, Okeeporphans);
	st.warn = stderr;
	rv = import_log(f, path, sp.pidx, &sk, &st);
	if (f != stdin)
		fclose(f);
	if (rv == 0 && fflush(sp.f) != 0) {
		snprintf(st.err, sizeof st.err, "%s: a temporary file: %s",
		    progname, strerror(errno));
		rv = -1;
	}
	if (rv < 0) {
		fprintf(stderr, "%s\n", st.err);
		fclose(sp.f);
		free(shown);
		free(stem);
		return EXITUSAGE;
	}
	describe(a, &sp, &st, base, stem);
	tell(base, &st);
	rv = EXITOK;
	if (outfile_write(args_str(a, Ooutput, "-"), writeimport, &sp, err,
	    sizeof err) < 0) {
		fprintf(stderr, "%s: %s\n", progname, err);
		rv = EXITUSAGE;
	}
	fclose(sp.f);
	trace_free(&sp.hdr);
	free(shown);
	free(stem);
	return rv == EXITOK ? cmd_finish(EXITOK) : rv;
}
