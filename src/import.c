/*
 * vmapview import: a console or trace log into a vmaptrace.  The lines
 * it reads (vmaptrace(5), IMPORT):
 *
 *	[SECONDS] CALLER: vmap PA SIZE -> VA
 *	[SECONDS] CALLER: vunmap VA [SIZE]
 *	[SECONDS] CALLER: vmap(PA, SIZE) = VA
 *	[SECONDS] CALLER: vunmap(VA, SIZE)
 *
 * with the timestamp and the caller optional, "=>" for "->", and a VA
 * of 0 or nil for a vmap that failed.  Other lines are skipped and
 * counted; one that names vmap or vunmap is warned of.  A vunmap is
 * tied to the live vmap that returned its address and refers to it by
 * id (ids are made up); one of an address a vmap returned that is no
 * longer live is kept as a raw va; one of an address no vmap of the log
 * returned (a log that starts mid-run) is an orphan, dropped with a
 * warning unless kept.  The vmaps' results become the expectations of
 * a policy, so that the imported trace checks the allocator that
 * recorded it.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "mmu.h"
#include "text.h"
#include "util.h"
#include "vamap.h"
#include "xmalloc.h"

/*
 * The bytes of a caller (a console line's, a vmallocinfo line's) that
 * an id and a note keep; each bad one is made three (U+FFFD).
 */
#define CALLERMAX	63

/* A read of a log: where it is, and its buffers, freed however it ends. */
struct reader {
	const char		*name;
	int			 pidx;		/* whose expectations, or -1 */
	const struct importsink	*sk;
	struct importstats	*st;
	size_t			 lineno;
	int			 serial;	/* ids made so far */
	double			 lastt;
	char			*line;
	size_t			 linecap;
	char			*text;		/* the line as read, for warnings */
	size_t			 textcap;
	/* the live vmaps by the address they returned: id (a), size (b) */
	struct vamap		 live;
	/* every address a vmap of the log returned */
	struct vamap		 seen;
	int			 cform;		/* this line's call is in C's form */
};

/* What a line says before its call: [SECONDS] CALLER: */
struct head {
	int	 op;		/* the word of the call */
	int	 hast;
	double	 t;
	char	 caller[3 * CALLERMAX + 1];	/* of the log, made text */
};

/* Split line into at most max whitespace-separated words. */
static int
split(char *line, char **w, int max)
{
	int n;
	char *p;

	n = 0;
	for (p = strtok(line, " \t\r\n"); p != NULL && n < max;
	    p = strtok(NULL, " \t\r\n"))
		w[n++] = p;
	return n;
}

/* A number of the log: decimal or 0x hex (sizes may end in K, M, G). */
static int
number(const char *s, int suffix, uint64_t max, uint32_t *v)
{
	uint64_t x;

	if (trace_parsenum(s, suffix, &x) < 0 || x > max)
		return -1;
	*v = x;
	return 0;
}

/*
 * A VA of the log: 32 bits, or 64 (a 64-Linux's, kept only to tie a
 * vunmap to its vmap); all ones is no address.
 */
static int
address(const char *s, uint64_t *va)
{
	return trace_parsenum(s, 0, va) == 0 && *va != VAFREE;
}

static int
isidc(int c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/*
 * Where text names vmap or vunmap, as a word of its own (not vmapalloc,
 * not myvmap): the name's start, or nil.
 */
static char *
namescall(char *text)
{
	char *p;
	size_t k;

	for (p = text; (p = strstr(p, "v")) != NULL; p++) {
		if (p > text && isidc((unsigned char)p[-1]))
			continue;
		k = strncmp(p, "vmap", 4) == 0 ? 4 : strncmp(p, "vunmap", 6) ==
		    0 ? 6 : 0;
		if (k > 0 && !isidc((unsigned char)p[k]))
			return p;
	}
	return NULL;
}

/* Whether the line names vmap or vunmap: a line about them. */
static int
mentions(const struct reader *r)
{
	return namescall(r->text) != NULL;
}

/*
 * The C-call form, vmap(PA, SIZE) = VA and vunmap(VA, SIZE), made the
 * words of the other: its parentheses, commas and '=' blanks.  Returns
 * 1 when line has a call in that form (then in r->cform), else 0.
 */
static int
cform(struct reader *r)
{
	char *p, *q, *close;

	r->cform = 0;
	if ((p = namescall(r->line)) == NULL)
		return 0;
	q = p + (p[1] == 'm' ? 4 : 6);
	while (*q == ' ' || *q == '\t')
		q++;
	if (*q != '(' || (close = strchr(q, ')')) == NULL)
		return 0;
	for (; q <= close; q++)
		if (*q == '(' || *q == ',' || *q == ')')
			*q = ' ';
	while (*q == ' ' || *q == '\t')
		q++;
	if (*q == '=')
		*q = ' ';
	r->cform = 1;
	return 1;
}

/*
 * A line that names vmap or vunmap but is no call of the grammar:
 * skipped with a warning that quotes it (the first IMPORTWARNMAX), or,
 * strict, an error.  why is a format for one string, arg.  Returns -1
 * for an error (the message in st->err), else 0.
 */
static int
malformed(struct importstats *st, const char *name, size_t line,
    const char *text, const char *why, const char *arg)
{
	char reason[128], shown[81];
	int k, len, cut;

	snprintf(reason, sizeof reason, why, arg);
	len = (int)strcspn(text, "\r\n");
	cut = len > 80;
	if (cut)
		len = 80;
	for (k = 0; k < len; k++)	/* no terminal controls from the log */
		shown[k] = ((unsigned char)text[k] < ' ' && text[k] != '\t') ||
		    text[k] == 0x7f ? '?' : text[k];
	shown[len] = '\0';
	if (st->strict) {
		snprintf(st->err, sizeof st->err, "%s:%zu: %s: \"%s%s\"",
		    name, line, reason, shown, cut ? "..." : "");
		return -1;
	}
	if (st->warn != NULL && st->malformed < IMPORTWARNMAX)
		fprintf(st->warn, "%s:%zu: skipped, %s: \"%s%s\"\n", name,
		    line, reason, shown, cut ? "..." : "");
	st->malformed++;
	st->skipped++;
	return 0;
}

/*
 * Parse the words w[0..n) of a line that begins with vmap or vunmap
 * into e (op, pa, size), and the address it names into *va.  Returns
 * 0, or -1 after malformed, whose own result is left in *bad.
 */
static int
parsecall(struct importstats *st, const char *name, size_t line,
    const char *text, char **w, int n, int cform, struct event *e,
    uint64_t *va, int *bad)
{
	const char *why, *arg;
	uint64_t pa;
	uint32_t size;

	pa = size = *va = 0;
	why = arg = NULL;
	if (strcmp(w[0], "vmap") == 0) {
		e->op = OPvmap;
		e->flags |= EVSIZE;
		if (cform ? n != 4 : n != 5 || (strcmp(w[3], "->") != 0 &&
		    strcmp(w[3], "=>") != 0))
			why = cform ? "expected vmap(PA, SIZE) = VA" :
			    "expected vmap PA SIZE -> VA";
		else if (trace_parsenum(w[1], 0, &pa) < 0)
			why = "pa '%.40s' is not an address below 2^64", arg = w[1];
		else if (number(w[2], SUFFIXANY, INT32_MAX, &size) < 0)
			why = "size '%.40s' is not a size below 2^31", arg = w[2];
		else if (strcmp(w[n - 1], "nil") != 0 &&
		    strcmp(w[n - 1], "(nil)") != 0 && !address(w[n - 1], va))
			why = "va '%.40s' is not an address below 2^64 - 1",
			    arg = w[n - 1];
	} else {
		e->op = OPvunmap;
		if (cform ? n != 3 : n != 2 && n != 3)
			why = cform ? "expected vunmap(VA, SIZE)" :
			    "expected vunmap VA [SIZE]";
		else if (!address(w[1], va))
			why = "va '%.40s' is not an address below 2^64 - 1",
			    arg = w[1];
		else if (n == 3 && number(w[2], SUFFIXANY, INT32_MAX, &size) < 0)
			why = "size '%.40s' is not a size below 2^31", arg = w[2];
	}
	if (why != NULL) {
		*bad = malformed(st, name, line, text, arg ? why : "%s",
		    arg ? arg : why);
		return -1;
	}
	e->pa = pa;
	e->size = size;
	return 0;
}

/*
 * The head of the words w[0..n) of a line: a time in brackets ("[" and
 * "]" may stand apart, as dmesg pads them) and a caller, both optional.
 * Returns 0 with h->op the index of vmap or vunmap; 1 for a line that
 * is not a call (skipped, and warned of if it names one); -1 for an
 * error.
 */
static int
linehead(struct reader *r, char **w, int n, struct head *h)
{
	char *p, *end;
	int i;

	memset(h, 0, sizeof *h);
	i = 0;
	if (n > 0 && w[0][0] == '[') {
		p = w[0] + 1;
		if (*p == '\0' && n > 1)
			p = w[++i];
		errno = 0;
		h->t = strtod(p, &end);
		if (end == p || errno != 0 || (*end != ']' && *end != '\0') ||
		    !isfinite(h->t) || h->t < 0) {
			if (!mentions(r)) {
				r->st->skipped++;
				return 1;
			}
			return malformed(r->st, r->name, r->lineno, r->text,
			    "'%.40s' is not a time in seconds", w[0]) < 0 ?
			    -1 : 1;
		}
		if (*end == '\0' && i + 1 < n && strcmp(w[i + 1], "]") == 0)
			i++;
		h->hast = 1;
		i++;
	}
	if (i + 1 < n && w[i][strlen(w[i]) - 1] == ':') {
		/* an id and a note: anybody's bytes made text */
		p = text_cleann(w[i], strlen(w[i]) - 1 < CALLERMAX ?
		    strlen(w[i]) - 1 : CALLERMAX, 0);
		snprintf(h->caller, sizeof h->caller, "%s", p);
		free(p);
		i++;
	}
	if (i < n && (strcmp(w[i], "vmap") == 0 || strcmp(w[i], "vunmap") == 0)) {
		h->op = i;
		return 0;
	}
	if (!mentions(r)) {
		r->st->skipped++;
		return 1;
	}
	return malformed(r->st, r->name, r->lineno, r->text, "%s",
	    "not a vmap or vunmap call") < 0 ? -1 : 1;
}

/*
 * A vmap that returned va: its expectation, and, when it mapped, a
 * made-up id tied to the address for the vunmap that names it.
 */
static void
tievmap(struct reader *r, struct event *e, uint64_t va, const char *caller)
{
	struct vaent *ve;
	char id[sizeof ((struct head *)0)->caller + 16];

	if (r->pidx >= 0) {
		/*
		 * nil for a pa in page 0 or past 4G is the kernel's
		 * refusal (Bell Labs' cannot even be called with one)
		 */
		e->expect[r->pidx].kind = va ? Xaddr : e->pa < BY2PG ||
		    e->pa >> 32 != 0 ? Xrefused : Xfail;
		e->expect[r->pidx].addr = va;
		/* a 64-bit VA is no address of the modeled vmap */
		if (va >> 32 != 0)
			e->expect[r->pidx].kind = Xnone;
	}
	if (va >> 32 != 0)
		r->st->wideva++;
	if (va == 0)
		return;
	(void)vamap_add(&r->seen, va);
	snprintf(id, sizeof id, "%s%s%d", caller[0] ? caller : "m",
	    caller[0] ? "-" : "", ++r->serial);
	e->id = xstrdup(id);
	ve = vamap_add(&r->live, va);
	if (ve->a >= 0)
		free((char *)ve->a);
	ve->a = (long)xstrdup(id);
	ve->b = e->size;
}

/*
 * A vunmap of va (sized: with its size): by id when a live vmap
 * returned va, else as a raw va.  Sets *id to the vmap's id (the
 * caller frees it) or nil.  Returns 0, or 1 when it cannot be kept: no
 * size, and no vmap to take it from.
 */
static int
tievunmap(struct reader *r, struct event *e, uint64_t va, int sized,
    char **id)
{
	struct vaent *ve;

	*id = NULL;
	if ((ve = vamap_find(&r->live, va)) != NULL) {
		*id = (char *)ve->a;
		e->id = *id;
		if (sized && e->size != (uint32_t)ve->b)
			e->flags |= EVSIZE;
		else
			e->size = 0;
		vamap_delete(&r->live, ve);
		/* a 64-bit VA's vmap has no expectation: nor its vunmap */
		if (r->pidx >= 0 && va >> 32 == 0)
			e->expect[r->pidx].kind = Xok;
		return 0;
	}
	if (vamap_find(&r->seen, va) == NULL) {
		/* an orphan: no vmap of the log returned va */
		r->st->orphans++;
		if (!r->st->keeporphans || !sized || va >> 32 != 0) {
			if (r->st->warn != NULL && r->st->orphans <= IMPORTWARNMAX)
				fprintf(r->st->warn, "%s:%zu: dropped, vunmap of "
				    "0x%.8llx, which no vmap of the log returned "
				    "(a log that starts mid-run?)%s\n", r->name,
				    r->lineno, (unsigned long long)va,
				    va >> 32 != 0 ? "; a 64-bit address only ties "
				    "a vunmap to its vmap" : sized ? "" : "; it has "
				    "no size to keep it by");
			r->st->skipped++;
			r->st->dropped++;
			return 1;
		}
	} else if (va >> 32 != 0) {
		/* unmapped twice: no raw va can stand for a 64-bit one */
		if (r->st->warn != NULL)
			fprintf(r->st->warn, "%s:%zu: dropped, vunmap of 0x%llx, "
			    "which is no longer mapped: a 64-bit address only "
			    "ties a vunmap to its vmap\n", r->name, r->lineno,
			    (unsigned long long)va);
		r->st->skipped++;
		r->st->widegone++;
		return 1;
	} else if (!sized) {
		r->st->skipped++;
		r->st->unknown++;
		return 1;
	}
	e->va = va;
	e->flags |= EVVA | EVSIZE;
	r->st->rawunmaps++;
	return 0;
}

/* Event e to the sink, and counted.  Returns -1 for an error. */
static int
give(struct reader *r, const struct event *e)
{
	if (r->sk->event(r->sk->arg, e) < 0) {
		snprintf(r->st->err, sizeof r->st->err, "%s: %s", r->name,
		    strerror(errno));
		return -1;
	}
	r->st->events++;
	return 0;
}

/*
 * Linux's /proc/vmallocinfo: a line a live area of its vmalloc space,
 *
 *	0xSTART-0xEND SIZE [CALLER+OFF/LEN] [pages=N] [phys=PA] KIND [N0=N]
 *
 * SIZE counting the guard page after it.  An ioremap is a device
 * mapping: a vmap of SIZE less the guard page at PA, its caller's name
 * the id's prefix and the note.  The other kinds (vmalloc, vmap, user,
 * an unpurged vm_area, ...) are counted and skipped.  The addresses,
 * Linux's own (hashed, where it hides them), say nothing of the
 * modeled vmap and are not kept.
 */
const char *const importformats[Nimportformat] = {
	"auto", "console", "vmallocinfo"
};

static const char *const vmkinds[] = {
	"ioremap", "vmalloc", "vmap", "user", "dma-coherent", "vpages",
	"vm_area", "vm_map_ram"
};

/* Whether s is 0x and 1 to 16 hex digits, up to end (or its NUL). */
static int
ishex(const char *s, const char *end)
{
	const char *p;

	if (s[0] != '0' || s[1] != 'x')
		return 0;
	for (p = s + 2; p != end && *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
		    (*p >= 'A' && *p <= 'F')))
			return 0;
	return p - s > 2 && p - s <= 18;
}

/* Whether a line's words begin as a vmallocinfo line's: a range. */
static int
vmshaped(char **w, int n)
{
	char *dash;

	return n > 0 && (dash = strchr(w[0], '-')) != NULL &&
	    ishex(w[0], dash) && ishex(dash + 1, NULL);
}

/* Count a line of vmallocinfo kind k, skipped. */
static void
countkind(struct importstats *st, const char *k)
{
	int i;

	st->skipped++;
	for (i = 0; i < st->nkind; i++)
		if (strcmp(st->kind[i].name, k) == 0)
			break;
	if (i == st->nkind && st->nkind < IMPORTKINDS) {
		snprintf(st->kind[i].name, sizeof st->kind[i].name, "%s", k);
		st->nkind++;
	}
	if (i < st->nkind)
		st->kind[i].n++;
}

/* One vmallocinfo line, its words w[0..n).  -1 for an error. */
static int
vmline(struct reader *r, char **w, int n)
{
	const char *kind, *phys, *why, *arg;
	/* the caller, each bad byte of it made three, and -serial */
	char id[3 * CALLERMAX + 16], *caller;
	struct event e;
	uint64_t size, pa;
	size_t k;
	int i, rv;

	kind = phys = NULL;
	caller = NULL;
	for (i = 2; i < n; i++) {
		if (strncmp(w[i], "phys=", 5) == 0)
			phys = w[i] + 5;
		else if (i == 2 && strchr(w[i], '+') != NULL)
			caller = w[i];
		for (k = 0; k < sizeof vmkinds / sizeof vmkinds[0]; k++)
			if (strcmp(w[i], vmkinds[k]) == 0)
				kind = w[i];
	}
	why = arg = NULL;
	if (n < 3 || kind == NULL)
		why = "a /proc/vmallocinfo line cut short: no kind of area";
	else if (trace_parsenum(w[1], 0, &size) < 0)
		why = "size '%.40s' is not a number", arg = w[1];
	else if (strcmp(kind, "ioremap") != 0) {
		countkind(r->st, kind);
		return 0;
	} else if (phys == NULL)
		why = "an ioremap line cut short: no phys=";
	else if (trace_parsenum(phys, 0, &pa) < 0)
		why = "phys= '%.40s' is not a number", arg = phys;
	else if (size % BY2PG != 0)
		why = "size %.40s is not a multiple of the page", arg = w[1];
	else if (size <= BY2PG || size - BY2PG > INT32_MAX)
		why = "size %.40s is not a guard page and a vmap's size",
		    arg = w[1];
	if (why != NULL)
		return malformed(r->st, r->name, r->lineno, r->text,
		    arg ? why : "%s", arg ? arg : why) < 0 ? -1 : 0;
	memset(&e, 0, sizeof e);
	e.op = OPvmap;
	e.flags = EVSIZE;
	e.pa = pa;
	e.size = size - BY2PG;
	e.ref = e.slot = -1;
	e.line = r->lineno;
	/* the caller's function, without its offset: anybody's bytes */
	if (caller != NULL)
		caller = text_cleann(caller, strcspn(caller, "+") < CALLERMAX ?
		    strcspn(caller, "+") : CALLERMAX, 0);
	snprintf(id, sizeof id, "%s-%d", caller ? caller : "ioremap",
	    ++r->serial);
	e.id = id;
	e.note = caller;
	rv = give(r, &e);
	free(caller);
	return rv;
}

/* One line of the log.  Returns -1 for an error (in r->st->err). */
static int
readline(struct reader *r)
{
	struct event e;
	struct head h;
	char *w[16], *id;
	uint64_t va;
	int n, rv, bad;

	cform(r);
	n = split(r->line, w, 16);
	if (r->st->format != IFconsole && vmshaped(w, n)) {
		if (r->st->found == IFconsole)
			return malformed(r->st, r->name, r->lineno, r->text, "%s",
			    "a /proc/vmallocinfo line in a console log") < 0 ?
			    -1 : 0;
		r->st->found = IFvmallocinfo;
		return vmline(r, w, n);
	}
	if (r->st->found == IFvmallocinfo ||
	    r->st->format == IFvmallocinfo) {
		if (n == 0) {
			r->st->skipped++;
			return 0;
		}
		return malformed(r->st, r->name, r->lineno, r->text, "%s",
		    "not a /proc/vmallocinfo line (a log of two formats?)") <
		    0 ? -1 : 0;
	}
	if ((rv = linehead(r, w, n, &h)) != 0)
		return rv < 0 ? -1 : 0;
	r->st->found = IFconsole;
	memset(&e, 0, sizeof e);
	e.ref = -1;
	e.line = r->lineno;
	if (parsecall(r->st, r->name, r->lineno, r->text, w + h.op, n - h.op,
	    r->cform, &e, &va, &bad) < 0)
		return bad < 0 ? -1 : 0;
	if (h.hast) {
		if (h.t < r->lastt) {
			snprintf(r->st->err, sizeof r->st->err, "%s:%zu: %s: "
			    "the time goes back", r->name, r->lineno, w[0]);
			return -1;
		}
		r->lastt = h.t;
		e.t = h.t;
		e.flags |= EVTIME;
	}
	id = NULL;
	if (e.op == OPvmap)
		tievmap(r, &e, va, h.caller);
	else if (tievunmap(r, &e, va, n - h.op == 3, &id) != 0)
		return 0;
	if (e.op == OPvmap)
		id = e.id;
	if (h.caller[0] != '\0')
		e.note = h.caller;
	rv = give(r, &e);
	free(id);
	return rv;
}

/*
 * The next line of f into r->line, at most IMPORTMAXLINE bytes: 1, or
 * 0 at the end, or -1 for a line too long or a read error (the message
 * in r->st->err).  A line is refused before it is held whole.
 */
static int
nextline(FILE *f, struct reader *r)
{
	size_t n;
	int c;

	if (r->linecap == 0) {
		r->linecap = IMPORTMAXLINE + 2;
		r->line = xmalloc(r->linecap);
		r->text = xmalloc(r->linecap);
	}
	n = 0;
	while ((c = getc_unlocked(f)) != EOF) {
		if (n == IMPORTMAXLINE) {
			snprintf(r->st->err, sizeof r->st->err, "%s:%zu: a line "
			    "longer than %d bytes: a log's line is at most "
			    "that", r->name, r->lineno + 1, IMPORTMAXLINE);
			return -1;
		}
		r->line[n++] = c;
		if (c == '\n')
			break;
	}
	if (ferror(f)) {
		snprintf(r->st->err, sizeof r->st->err, "%s:%zu: %s", r->name,
		    r->lineno + 1, strerror(errno));
		return -1;
	}
	if (n == 0)
		return 0;
	r->line[n] = '\0';
	if (memchr(r->line, '\0', n) != NULL)	/* strtok would stop there */
		for (c = 0; (size_t)c < n; c++)
			if (r->line[c] == '\0')
				r->line[c] = ' ';
	return 1;
}

/* Read the log f, a line at a time.  Returns -1 for an error. */
static int
readlog(FILE *f, struct reader *r)
{
	int rv;

	while ((rv = nextline(f, r)) > 0) {
		r->lineno++;
		r->st->lines++;
		strcpy(r->text, r->line);
		if (readline(r) < 0)
			return -1;
	}
	return rv;
}

/*
 * Read the log f (named name), each event to sk as it is read (its
 * strings are the reader's, for the call alone).  Expectations go to
 * policy pidx (-1: none).  Returns 0, or -1 with the message in
 * st->err.
 */
int
import_log(FILE *f, const char *name, int pidx, const struct importsink *sk,
    struct importstats *st)
{
	struct reader r;
	FILE *warn;
	size_t i;
	int rv, strict, keep, format;

	strict = st->strict;
	warn = st->warn;
	keep = st->keeporphans;
	format = st->format;
	memset(st, 0, sizeof *st);
	st->strict = strict;
	st->warn = warn;
	st->keeporphans = keep;
	st->format = format;
	memset(&r, 0, sizeof r);
	r.name = name;
	r.pidx = pidx;
	r.sk = sk;
	r.st = st;
	rv = readlog(f, &r);
	free(r.line);
	free(r.text);
	for (i = 0; i < r.live.cap; i++)
		if (r.live.e[i].va != VAFREE)
			free((char *)r.live.e[i].a);
	vamap_free(&r.live);
	vamap_free(&r.seen);
	return rv;
}
