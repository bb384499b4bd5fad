/*
 * The trace reader: a vmaptrace file through libyaml's event parser, one
 * event at a time, into a struct trace.  It is strict: anything the
 * format does not allow stops the load with one message that names
 * FILE:LINE:COLUMN, before anything is replayed.  Nothing is skipped,
 * so an unexpected mapping or sequence is refused where it starts and
 * deep nesting never gets deep.  Here the reader's ways, the machine and
 * the top-level keys; each event is traceevents.c's; their shared state
 * is loader.h's.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "loader.h"
#include "text.h"
#include "util.h"
#include "xmalloc.h"
#include "ypipe.h"

/* A message for file at mk (nil: none) into err. */
static void
vfailinto(char *err, size_t errlen, const char *file, const yaml_mark_t *mk,
    const char *fmt, va_list ap)
{
	int n;

	if (mk != NULL)
		n = snprintf(err, errlen, "%s:%zu:%zu: ", file, mk->line + 1,
		    mk->column + 1);
	else
		n = snprintf(err, errlen, "%s: ", file);
	if (n < 0 || (size_t)n >= errlen)
		return;
	vsnprintf(err + n, errlen - n, fmt, ap);
}

static int
failinto(char *err, size_t errlen, const char *file, const yaml_mark_t *mk,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfailinto(err, errlen, file, mk, fmt, ap);
	va_end(ap);
	return -1;
}

/* Record an error at mark (or at the file alone).  Returns -1. */
int
ld_failat(struct loader *L, const yaml_mark_t *mk, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfailinto(L->err, L->errlen, L->file, mk, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Whether the scanner stopped at a tab where indentation goes: libyaml
 * says it found a character that cannot start a token, and it is a
 * tab (the scanner has not moved past it), or it names the tab itself.
 */
static int
tabindent(const yaml_parser_t *p)
{
	if (p->error != YAML_SCANNER_ERROR || p->problem == NULL)
		return 0;
	if (strstr(p->problem, "tab character") != NULL)
		return 1;
	return strcmp(p->problem, "found character that cannot start any "
	    "token") == 0 && p->buffer.pointer < p->buffer.last &&
	    *p->buffer.pointer == '\t';
}

/*
 * What stopped the parser, into err: for a reader error, a read error
 * or the limit on a value (the feed's), or bad UTF-8, known to libyaml
 * only by its byte offset, whose line and column the feed says; prevend
 * is where the event before ended (nil: none).  Returns -1.
 */
static int
parseerr(const yaml_parser_t *p, const struct feed *fd,
    const yaml_mark_t *prevend, const char *file, char *err, size_t errlen)
{
	yaml_mark_t mk;
	size_t line, col;

	if (p->error == YAML_MEMORY_ERROR)
		fatal("out of memory");
	if (p->error != YAML_READER_ERROR) {
		if (tabindent(p))
			return failinto(err, errlen, file, &p->problem_mark,
			    "a tab indents this line, and YAML forbids tabs "
			    "for indentation: use spaces");
		if (p->context != NULL)
			return failinto(err, errlen, file, &p->problem_mark,
			    "%s %s", p->problem, p->context);
		return failinto(err, errlen, file, &p->problem_mark, "%s",
		    p->problem ? p->problem : "bad YAML");
	}
	if (fd->err != 0)
		return failinto(err, errlen, file, NULL, "%s",
		    strerror(fd->err));
	if (fd->toolong)
		return failinto(err, errlen, file, prevend, "a value (or a "
		    "comment) longer than %d bytes follows: a value is at "
		    "most %d", MAXGAP / 2, MAXSCALAR);
	memset(&mk, 0, sizeof mk);
	if (feed_where(fd, p->problem_offset, &line, &col) < 0)
		return failinto(err, errlen, file, NULL, "%s (at byte %zu)",
		    p->problem ? p->problem : "cannot read the input",
		    p->problem_offset);
	mk.line = line;
	mk.column = col;
	if (p->problem_value == -1)
		return failinto(err, errlen, file, &mk, "%s", p->problem);
	return failinto(err, errlen, file, &mk, "%s (byte %#x)", p->problem,
	    p->problem_value);
}

/* ypipe's: the parser's error, on its thread, into err. */
static void
parsefail(void *arg, const yaml_mark_t *prevend, char *err, size_t errlen)
{
	struct loader *L = arg;

	(void)parseerr(&L->parser, &L->feed, prevend, L->file, err, errlen);
}

/*
 * Whether the current scalar may be read at all: not too long, and
 * text by text.c's rule once libyaml has decoded its escapes (a NUL,
 * an ESC or a bad byte in a value, a key or a number is refused where
 * the value starts, and never echoed).
 */
static int
scalarok(struct loader *L)
{
	const char *why;
	char shown[16];
	size_t n, at, k;

	n = L->ev->data.scalar.length;
	if (n > MAXSCALAR)
		return ld_failat(L, &L->ev->start_mark, "a value of %zu bytes: "
		    "at most %d", n, MAXSCALAR);
	if ((L->evbreaks = text_check((const char *)L->ev->data.scalar.value,
	    n, 1, &at, &why)) >= 0)
		return 0;
	for (k = 1; k < 4 && at + k < n &&
	    (L->ev->data.scalar.value[at + k] & 0xc0) == 0x80; k++)
		;
	text_visn(shown, sizeof shown,
	    (const char *)L->ev->data.scalar.value + at, k);
	return ld_failat(L, &L->ev->start_mark, "%s (%s) in a value, at its "
	    "byte %zu", why, shown, at + 1);
}

/*
 * The next parser event into L->ev (the one before stays until it
 * does, for the place of a read error).  Parser errors, aliases,
 * anchors and scalars that scalarok refuses become load errors.
 */
int
ld_next(struct loader *L)
{
	yaml_char_t *anchor;
	yaml_event_t *ev;

	ev = L->ev == &L->evs[0] ? &L->evs[1] : &L->evs[0];
	if (L->pipe != NULL) {
		if (ypipe_next(L->pipe, ev, L->err, L->errlen) < 0)
			return -1;
	} else {
		if (!yaml_parser_parse(&L->parser, ev))
			return parseerr(&L->parser, &L->feed, L->haveev ?
			    &L->ev->end_mark : NULL, L->file, L->err,
			    L->errlen);
		feed_mark(&L->feed);
		if (L->haveev)
			yaml_event_delete(L->ev);
	}
	L->ev = ev;
	L->haveev = 1;
	if (L->ev->type == YAML_SCALAR_EVENT && scalarok(L) < 0)
		return -1;
	anchor = NULL;
	switch (L->ev->type) {
	case YAML_ALIAS_EVENT:
		return ld_failat(L, &L->ev->start_mark,
		    "YAML aliases are not allowed in a trace");
	case YAML_SCALAR_EVENT:
		anchor = L->ev->data.scalar.anchor;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = L->ev->data.sequence_start.anchor;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = L->ev->data.mapping_start.anchor;
		break;
	default:
		break;
	}
	if (anchor != NULL)
		return ld_failat(L, &L->ev->start_mark,
		    "YAML anchors are not allowed in a trace");
	return 0;
}

/* What the current event is, in words, for messages. */
const char *
ld_evkind(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return "a scalar";
	case YAML_SEQUENCE_START_EVENT:
		return "a sequence";
	case YAML_MAPPING_START_EVENT:
		return "a mapping";
	case YAML_DOCUMENT_START_EVENT:
		return "a second document";
	default:
		return "the end";
	}
}

/* Read the next event and insist on its type; what names the value. */
int
ld_expect(struct loader *L, yaml_event_type_t type, const char *what)
{
	if (ld_next(L) < 0)
		return -1;
	if (L->ev->type == type)
		return 0;
	return ld_failat(L, &L->ev->start_mark, "%s, not %s", what,
	    ld_evkind(L->ev));
}

/* The current event as a number for key name, no larger than max. */
int
ld_getnum(struct loader *L, const char *name, int suffix, uint64_t max,
    uint64_t *vp)
{
	const char *s;
	int rv;

	if (L->ev->type != YAML_SCALAR_EVENT)
		return ld_failat(L, &L->ev->start_mark,
		    "%s: expected a number, not %s", name, ld_evkind(L->ev));
	s = (const char *)L->ev->data.scalar.value;
	if ((rv = trace_parsenum(s, suffix, vp)) == -2)
		return ld_failat(L, &L->ev->start_mark,
		    "%s: %.40s is out of range (at most %#llx)", name, s,
		    (unsigned long long)max);
	if (rv < 0) {
		if (s[0] == '-')
			return ld_failat(L, &L->ev->start_mark,
			    "%s: '%.40s' is negative", name, s);
		return ld_failat(L, &L->ev->start_mark,
		    "%s: '%.40s' is not a number%s", name, s,
		    suffix ? " (decimal or 0x hex, K M or G suffix)" :
		    " (decimal or 0x hex)");
	}
	if (*vp > max)
		return ld_failat(L, &L->ev->start_mark,
		    "%s: %.40s is out of range (at most %#llx)", name, s,
		    (unsigned long long)max);
	return 0;
}

/* Whether the current event is a string that may be name's value. */
static int
strok(struct loader *L, const char *name, int lines)
{
	if (L->ev->type != YAML_SCALAR_EVENT)
		return ld_failat(L, &L->ev->start_mark,
		    "%s: expected a string, not %s", name, ld_evkind(L->ev));
	if (!lines && L->evbreaks)
		return ld_failat(L, &L->ev->start_mark, "%s: a newline or a tab "
		    "in a value of one line", name);
	return 0;
}

/*
 * The current event as a string for key name, of lines when lines is
 * set (else a newline or a tab is refused too).  Caller frees.
 */
int
ld_getstr(struct loader *L, const char *name, int lines, char **sp)
{
	if (strok(L, name, lines) < 0)
		return -1;
	free(*sp);
	if (L->pipe != NULL) {
		*sp = xmalloc(L->ev->data.scalar.length + 1);
		memcpy(*sp, L->ev->data.scalar.value,
		    L->ev->data.scalar.length + 1);
		return 0;
	}
	/* the event's buffer, taken: it is the parser's malloc */
	*sp = (char *)L->ev->data.scalar.value;
	L->ev->data.scalar.value = NULL;
	L->ev->data.scalar.length = 0;
	return 0;
}

/*
 * An event's string, as ld_getstr, into *sp: for a sink, which keeps
 * nothing of an event past its call, copied into the loader's buffer
 * k (not the event's own: *sp is not freed); else the event's own.
 */
int
ld_getlent(struct loader *L, const char *name, int lines, int k, char **sp)
{
	size_t n;

	if (L->sk == NULL)
		return ld_getstr(L, name, lines, sp);
	if (strok(L, name, lines) < 0)
		return -1;
	n = L->ev->data.scalar.length + 1;
	if (n > L->lent[k].cap)
		xgrow(&L->lent[k].p, &L->lent[k].cap, n, 1);
	memcpy(L->lent[k].p, L->ev->data.scalar.value, n);
	*sp = L->lent[k].p;
	return 0;
}

/* The current event as a YAML 1.1 boolean. */
static int
getbool(struct loader *L, const char *name, int *bp)
{
	static const char *const yes[] = {
		"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"
	};
	static const char *const no[] = {
		"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"
	};
	const char *s;
	size_t i;

	if (L->ev->type == YAML_SCALAR_EVENT) {
		s = (const char *)L->ev->data.scalar.value;
		for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
			if (strcmp(s, yes[i]) == 0) {
				*bp = 1;
				return 0;
			}
			if (strcmp(s, no[i]) == 0) {
				*bp = 0;
				return 0;
			}
		}
	}
	return ld_failat(L, &L->ev->start_mark, "%s: expected true or false",
	    name);
}

/*
 * The next item of the mapping or sequence begun, which ends with an
 * event of type end: 1 with the parser at it, 0 at the end, -1 after an
 * error; an item that is not of type want is refused, in the words
 * "PREFIX WHAT, not KIND".
 */
int
ld_nextitem(struct loader *L, yaml_event_type_t end, yaml_event_type_t want,
    const char *prefix, const char *what)
{
	if (ld_next(L) < 0)
		return -1;
	if (L->ev->type == end)
		return 0;
	if (L->ev->type != want)
		return ld_failat(L, &L->ev->start_mark, "%s%s, not %s", prefix,
		    what, ld_evkind(L->ev));
	return 1;
}

/*
 * Read the keys of the mapping just begun, to its end: each one of ks,
 * none twice; for each, with the parser at its value, call fn with the
 * key's index.  Sets *have to the keys seen and mk[k] to where key k
 * was.  Returns -1 after an error.
 */
int
ld_keyloop(struct loader *L, const struct keyset *ks, unsigned *have,
    yaml_mark_t *mk, int (*fn)(struct loader *, int, void *), void *arg)
{
	const char *s;
	int k;

	*have = 0;
	for (;;) {
		if ((k = ld_nextitem(L, YAML_MAPPING_END_EVENT,
		    YAML_SCALAR_EVENT, "expected ", ks->kind)) <= 0)
			return k;
		s = (const char *)L->ev->data.scalar.value;
		k = ld_findname(ks->names, ks->n, s, L->ev->data.scalar.length);
		if (*have == 0 && ks->first >= 0 && k != ks->first)
			return ld_failat(L, &L->ev->start_mark, "the first key must "
			    "be %s, not '%.40s'", ks->names[ks->first], s);
		if (k == ks->n)
			return ld_failat(L, &L->ev->start_mark, "%s '%.40s'",
			    ks->unknown, s);
		if (*have & (1u << k))
			return ld_failat(L, &L->ev->start_mark, "%s%s given twice",
			    ks->prefix, ks->names[k]);
		*have |= 1u << k;
		mk[k] = L->ev->start_mark;
		if (ld_next(L) < 0 || fn(L, k, arg) < 0)
			return -1;
	}
}

/* The keys of machine, and where each value was. */
enum { Mvmap, Mvmapsize, Mpse, Mkernel, Mptpages, Nmachinekey };
static const char *const machinekeys[Nmachinekey] = {
	"vmap", "vmapsize", "pse", "kernel", "ptpages"
};

struct machineread {
	struct machine	*mc;
	yaml_mark_t	 mk[Nmachinekey];	/* of the values */
};

/* The value of machine key k. */
static int
machinekey(struct loader *L, int k, void *arg)
{
	struct machineread *mr;
	struct machine *mc;
	const char *bad;
	char why[64];
	uint64_t v;
	int kern;

	mr = arg;
	mc = mr->mc;
	mr->mk[k] = L->ev->start_mark;
	switch (k) {
	case Mvmap:
		if (ld_getnum(L, "machine.vmap", 0, UINT32_MAX, &v) < 0)
			return -1;
		if ((bad = trace_vmapbad(why, sizeof why, v)) != NULL)
			return ld_failat(L, &mr->mk[k], "machine.vmap: %s", bad);
		mc->vmap = v;
		return 0;
	case Mvmapsize:
		if (ld_getnum(L, "machine.vmapsize", 1, 1ull << 32, &v) < 0)
			return -1;
		if ((bad = trace_vmapsizebad(v)) != NULL)
			return ld_failat(L, &mr->mk[k], "machine.vmapsize: %s", bad);
		mc->vmapsize = v;
		return 0;
	case Mpse:
		return getbool(L, "machine.pse", &mc->pse);
	case Mkernel:
		if (L->ev->type != YAML_SCALAR_EVENT || (kern = kernelfind(
		    (const char *)L->ev->data.scalar.value)) < 0)
			return ld_failat(L, &mr->mk[k], "machine.kernel: expected "
			    "labs or 9front");
		mc->kernel = kern;
		return 0;
	case Mptpages:
		if (ld_getnum(L, "machine.ptpages", 0, INT32_MAX, &v) < 0)
			return -1;
		mc->ptpages = v;
		return 0;
	}
	return 0;
}

/* machine: the modeled machine's settings, each optional. */
static int
loadmachine(struct loader *L)
{
	static const struct keyset keys = {
		machinekeys, Nmachinekey, "a machine key",
		"unknown machine key", "machine.", -1
	};
	struct machineread mr;
	yaml_mark_t keymk[Nmachinekey];
	unsigned have;

	if (L->ev->type != YAML_MAPPING_START_EVENT)
		return ld_failat(L, &L->ev->start_mark, "machine: expected a "
		    "mapping, not %s", ld_evkind(L->ev));
	mr.mc = &L->t->machine;
	if (ld_keyloop(L, &keys, &have, keymk, machinekey, &mr) < 0)
		return -1;
	if ((uint64_t)mr.mc->vmap + mr.mc->vmapsize > 1ull << 32)
		return ld_failat(L, (have & (1u << Mvmapsize)) ?
		    &mr.mk[Mvmapsize] : &mr.mk[Mvmap],
		    "machine: vmap+vmapsize is past 2^32");
	return 0;
}

/* The keys of the document. */
enum { Tvmaptrace, Tname, Tdescription, Tmachine, Tevents, Ntopkey };
static const char *const topkeys[Ntopkey] = {
	"vmaptrace", "name", "description", "machine", "events"
};

/* The value of the document's key k. */
static int
topkey(struct loader *L, int k, void *arg)
{
	uint64_t v;

	(void)arg;
	switch (k) {
	case Tvmaptrace:
		if (ld_getnum(L, "vmaptrace", 0, UINT32_MAX, &v) < 0)
			return -1;
		if (v != 1)
			return ld_failat(L, &L->ev->start_mark, "vmaptrace version "
			    "%llu is not supported (this is version 1)",
			    (unsigned long long)v);
		return 0;
	case Tname:
		return ld_getstr(L, "name", 0, &L->t->name);
	case Tdescription:
		return ld_getstr(L, "description", 1, &L->t->description);
	case Tmachine:
		if (L->inevents)
			L->t->machinelate = 1;
		else
			L->machinefirst = 1;
		return loadmachine(L);
	case Tevents:
		L->inevents = 1;
		return ld_loadevents(L);
	}
	return 0;
}

/* The document: a mapping whose first key is vmaptrace. */
static int
loadtop(struct loader *L)
{
	static const struct keyset keys = {
		topkeys, Ntopkey, "a key", "unknown key", "", Tvmaptrace
	};
	yaml_mark_t mk, keymk[Ntopkey];
	unsigned have;

	if (ld_expect(L, YAML_STREAM_START_EVENT, "a stream") < 0)
		return -1;
	if (ld_next(L) < 0)
		return -1;
	if (L->ev->type != YAML_DOCUMENT_START_EVENT)
		return ld_failat(L, &L->ev->start_mark,
		    "empty file: a trace needs vmaptrace: 1 and events");
	if (ld_next(L) < 0)
		return -1;
	if (L->ev->type != YAML_MAPPING_START_EVENT)
		return ld_failat(L, &L->ev->start_mark,
		    "a trace is a mapping, not %s", ld_evkind(L->ev));
	mk = L->ev->start_mark;
	if (ld_keyloop(L, &keys, &have, keymk, topkey, NULL) < 0)
		return -1;
	if (!(have & (1u << Tvmaptrace)))
		return ld_failat(L, &mk, "no vmaptrace key: not a trace");
	if (!(have & (1u << Tevents)))
		return ld_failat(L, &mk, "no events key");
	if (ld_expect(L, YAML_DOCUMENT_END_EVENT, "the end of the document") < 0)
		return -1;
	if (ld_next(L) < 0)
		return -1;
	if (L->ev->type != YAML_STREAM_END_EVENT)
		return ld_failat(L, &L->ev->start_mark,
		    "a second document: a trace is one document");
	return 0;
}

/*
 * A trace may not hold more live ids at once than its vmap has pages:
 * every mapping that succeeds takes a page at least.  Checked once the
 * machine is known (it may follow the events).
 */
int
ld_checklive(struct loader *L)
{
	yaml_mark_t mk;
	size_t limit;

	limit = L->t->machine.vmapsize / BY2PG;
	if (L->maxlive <= limit)
		return 0;
	memset(&mk, 0, sizeof mk);
	mk.line = L->maxat[limit / PDEPAGES].line - 1;
	mk.column = L->maxat[limit / PDEPAGES].col - 1;
	return ld_failat(L, &mk, "%zu ids live at once: more than the %zu pages "
	    "of the vmap", limit + 1, limit);
}

/*
 * Load from f (a file; nil for the string buf of len bytes) into t,
 * naming it name in messages and path (nil: cannot be read again).
 */
static int
loadfrom(struct trace *t, const char *name, const char *path, FILE *f,
    const unsigned char *buf, size_t len, const struct tracesink *sk,
    char *err, size_t errlen)
{
	struct loader L;
	int rv, k;

	trace_init(t);
	memset(&L, 0, sizeof L);
	L.ev = &L.evs[0];
	L.file = name;
	L.path = path;
	L.f = f;
	L.err = err;
	L.errlen = errlen;
	L.t = t;
	L.sk = sk;
	L.ids = xcalloc(1, sizeof *L.ids);
	if (sk != NULL) {
		/* a sink that keeps no events reads the records */
		L.ids->lag = sk->lag;
		t->ids = L.ids;
	}
	/* the name as shown: a file's name is anybody's bytes */
	t->file = text_clean(name, 0);
	L.file = t->file;
	if (!yaml_parser_initialize(&L.parser))
		fatal("out of memory");
	feed_start(&L.feed, &L.parser, f, buf, len, MAXGAP);
	if (ypipe_wanted())
		L.pipe = ypipe_start(&L.parser, &L.feed, parsefail, &L);
	rv = loadtop(&L);
	ypipe_stop(L.pipe);
	if (rv == 0 && L.feed.err != 0) {
		snprintf(err, errlen, "%s: %s", L.file, strerror(L.feed.err));
		rv = -1;
	}
	if (rv == 0)
		rv = ld_checklive(&L);
	if (L.haveev && L.pipe == NULL)
		yaml_event_delete(L.ev);
	yaml_parser_delete(&L.parser);
	for (k = 0; k < 3; k++)
		free(L.lent[k].p);
	t->ids = NULL;
	if (!L.ids->kept) {
		idtab_free(L.ids);
		free(L.ids);
	}
	if (rv < 0)
		trace_free(t);
	return rv;
}

/* Load path ("-" is standard input), with or without a sink. */
static int
loadpath(struct trace *t, const char *path, const struct tracesink *sk,
    char *err, size_t errlen)
{
	char dirs[512];
	FILE *f;
	int rv;

	if (strcmp(path, "-") == 0)
		return loadfrom(t, "<stdin>", NULL, stdin, NULL, 0, sk, err,
		    errlen);
	if ((f = fopen(path, "rb")) == NULL) {
		trace_init(t);
		/* a bare name may have meant a bundled trace: say where */
		if (errno == ENOENT && strchr(path, '/') == NULL)
			snprintf(err, errlen, "%s: no such file, and no bundled "
			    "trace of that name (%s)", path,
			    tracedirs_said(dirs, sizeof dirs));
		else
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rv = loadfrom(t, path, path, f, NULL, 0, sk, err, errlen);
	fclose(f);
	return rv;
}

/*
 * Load the trace in path ("-" is standard input) into t.  Returns 0, or
 * -1 with the message in err, and t left empty.
 */
int
trace_load(struct trace *t, const char *path, char *err, size_t errlen)
{
	return loadpath(t, path, NULL, err, errlen);
}

/*
 * Read the trace in path, giving each event to sk instead of keeping it:
 * memory follows the live ids, not the trace's length.  t gets the
 * header and the count of events.  The events are checked as they come:
 * an error may follow events already given, and then nothing the sink
 * made of them stands.  If machine follows events, t->machinelate is
 * set: the sink saw them under the default machine.
 */
int
trace_stream(struct trace *t, const char *path, const struct tracesink *sk,
    char *err, size_t errlen)
{
	return loadpath(t, path, sk, err, errlen);
}

/* Load a trace from the len bytes at buf, named name in messages. */
int
trace_loadmem(struct trace *t, const char *name, const void *buf, size_t len,
    char *err, size_t errlen)
{
	return loadfrom(t, name, NULL, NULL, buf, len, NULL, err, errlen);
}

