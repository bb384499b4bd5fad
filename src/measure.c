/*
 * The measures as rows (measure.h), and the outputs that iterate them:
 * the report's lines, its YAML, and the view's lines.  Compare's
 * summary takes its cells from measure_words.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "measure.h"
#include "util.h"

/* The report's lines, in order, each its first word. */
enum { Lpdes, Lpages, Llargest, Lwhatif, Lptpages, Lextremes, Ntextline };
static const char *const textlines[Ntextline] = {
	"pdes", "pages", "largest", "what-if", "ptpages", "extremes"
};

/*
 * The getters: a row's value from the replay rp and its Stats s, and
 * (where it has one) the event it was at, or another number it shows.
 */
#define GETAT(name, value, where)					\
static double								\
g_##name(const struct replay *rp, const Stats *s, size_t *at)		\
{									\
	(void)rp;							\
	(void)s;							\
	*at = (where);							\
	return (value);							\
}
#define GET(name, value)	GETAT(name, value, 0)

GET(pdes, vpdbsize(&rp->m))
GET(blank, s->pde[Pblank])
GET(big, s->pde[Pbig])
GET(table, s->pde[Ptable])
GET(stale, s->pde[Pstale])
GET(inuse, s->ptinuse)
GET(leaked, s->ptleaked)
GET(mapped, s->mapped)
GET(free, s->free)
GET(run, s->largestrun)
GET(frag, s->frag)
GET(largest, s->largest[rp->pidx])
GET(allocfrag, allocfrag(s, rp->pidx))
/* the what-if's value is every policy's: valuestr reads them */
GET(whatif, s->largest[rp->pidx])
GETAT(lowest, rp->minlargest, rp->minlargestat)
GETAT(moststale, rp->maxstale, rp->maxstaleat)
/* compare's cell: page-table pages in use, and the leaked ones */
GETAT(ptpages, s->ptinuse, s->ptleaked)

/* A row's place on line l of an output: after sep when not first. */
#define AT(l, sep, words)	{ (l), (sep), (words), 0 }
#define NOPLACE			{ -1, "", "", 0 }

static const struct measure builtin[] = {
	{ .name = "pdes", .get = g_pdes, .text = AT(Lpdes, "", "%v:"),
	  .view = NOPLACE },
	{ .name = "blank", .get = g_blank,
	  .text = AT(Lpdes, " ", "%v blank"), .view = AT(0, "", "blank %v"),
	  .ygroup = "pdes", .ykey = "blank", .clabel = "blank PDEs" },
	{ .name = "big", .get = g_big,
	  .text = AT(Lpdes, ", ", "%v big"), .view = AT(0, "  ", "big %v"),
	  .ygroup = "pdes", .ykey = "big", .clabel = "4M pages" },
	{ .name = "table", .get = g_table,
	  .text = AT(Lpdes, ", ", "%v table"), .view = AT(0, "  ", "table %v"),
	  .ygroup = "pdes", .ykey = "table", .clabel = "tables" },
	{ .name = "stale", .get = g_stale,
	  .text = AT(Lpdes, ", ", "%v stale"), .view = AT(0, "  ", "stale %v"),
	  .ygroup = "pdes", .ykey = "stale", .clabel = "stale tables" },
	{ .name = "ptpages", .get = g_inuse,
	  .text = AT(Lptpages, "", "%v in use"), .view = AT(4, "", "ptpages %v"),
	  .ykey = "ptpages" },
	{ .name = "leaked", .get = g_leaked,
	  .text = AT(Lptpages, ", ", "%v leaked"),
	  .view = AT(4, ", ", "%v leaked"), .ykey = "leaked" },
	{ .name = "mapped", .get = g_mapped,
	  .text = AT(Lpages, "", "%v mapped"), .view = AT(2, "", "mapped %v"),
	  .ykey = "mapped" },
	{ .name = "free", .get = g_free,
	  .text = AT(Lpages, ", ", "%v free"), .view = AT(2, ", ", "free %v"),
	  .ykey = "free", .clabel = "free pages" },
	{ .name = "largest free run", .unit = MUrun, .get = g_run,
	  .text = AT(Lpages, ", ", "largest free run %v"),
	  .view = AT(2, ", ", "run %v"), .ykey = "largest-free-run",
	  .clabel = "largest free run" },
	{ .name = "page fragmentation", .unit = MUfrac, .get = g_frag,
	  .text = AT(Lpages, ", ", "page fragmentation %v"),
	  .view = AT(3, ", ", "page %v"), .ykey = "page-fragmentation",
	  .clabel = "page fragmentation" },
	{ .name = "largest vmap", .unit = MUsize, .get = g_largest,
	  .text = AT(Llargest, "", "vmap %v (%p, on its own state)"),
	  .view = AT(1, "", "largest vmap (%p) %v"), .ykey = "largest-vmap",
	  .clabel = "largest vmap" },
	{ .name = "allocator fragmentation", .unit = MUfrac, .get = g_allocfrag,
	  .text = AT(Llargest, "; ", "allocator fragmentation %v"),
	  /* the view says it first */
	  .view = { 3, ", ", "frag: allocator %v", -1 },
	  .ykey = "allocator-fragmentation",
	  .clabel = "allocator fragmentation" },
	{ .name = "on this state, each allocator could place",
	  .unit = MUwhatif, .get = g_whatif,
	  .text = AT(Lwhatif, "", "on this state, each allocator could "
	      "place:%v"),
	  .view = AT(5, "", "on this state, could place:"),
	  .ykey = "on-this-state-could-place" },
	{ .name = "lowest largest vmap", .unit = MUsize, .flags = MEXTREME,
	  .get = g_lowest,
	  .text = AT(Lextremes, "", "%p's largest vmap lowest %v after event "
	      "%a"),
	  .view = NOPLACE, .ygroup = "extremes", .ykey = "lowest-largest-vmap",
	  .ysub = "bytes", .clabel = "lowest, after", .cwords = "%v @%a" },
	{ .name = "most stale", .flags = MEXTREME, .get = g_moststale,
	  .text = AT(Lextremes, "; ", "stale tables most %v after event %a"),
	  .view = NOPLACE, .ygroup = "extremes", .ykey = "most-stale",
	  .ysub = "tables", .clabel = "most stale, after", .cwords = "%v @%a" },
	/* compare's one cell for both */
	{ .name = "ptpages", .get = g_ptpages, .text = NOPLACE,
	  .view = NOPLACE, .clabel = "ptpages (leaked)", .cwords = "%v (%a)" },
};
#define NBUILTIN	((int)(sizeof builtin / sizeof builtin[0]))

/* Rows added at run time (tests), after the built-in ones. */
#define MAXEXTRA	4
static struct measure extra[MAXEXTRA];
static int nextra;

int
measure_count(void)
{
	return NBUILTIN + nextra;
}

const struct measure *
measure_at(int i)
{
	return i < NBUILTIN ? &builtin[i] : &extra[i - NBUILTIN];
}

/* Add row m after the others; -1 when there is no room. */
int
measure_add(const struct measure *m)
{
	if (nextra == MAXEXTRA)
		return -1;
	extra[nextra++] = *m;
	return 0;
}

/* A size in pages: 244M, or none. */
static char *
sizestr(char *buf, size_t len, double pages)
{
	if (pages == 0) {
		snprintf(buf, len, "none");
		return buf;
	}
	return fmtbytes(buf, len, (uint64_t)pages * BY2PG);
}

/* The what-if's value in a report's line: " plan9 244M, span 244M". */
static void
whatifstr(char *buf, size_t len, const Stats *s)
{
	char b[24];
	size_t n;
	int i;

	buf[0] = '\0';
	for (n = 0, i = 0; i < npolicy() && n < len; i++) {
		snprintf(buf + n, len - n, "%s %s %s", i ? "," : "",
		    policyat(i)->name, sizestr(b, sizeof b, s->largest[i]));
		n += strlen(buf + n);
	}
}

/* Row m's value v as the style has it. */
static void
valuestr(char *buf, size_t len, const struct measure *m, int style,
    double v, const Stats *s)
{
	char b[24];

	switch (m->unit) {
	case MUrun:
		if (style == MStext)
			snprintf(buf, len, "%.0f (%s)", v,
			    sizestr(b, sizeof b, v));
		else if (style == MSview)
			fmtbytes(buf, len, (uint64_t)v * BY2PG);
		else
			snprintf(buf, len, "%.0f", v);
		break;
	case MUsize:
		sizestr(buf, len, v);
		break;
	case MUfrac:
		snprintf(buf, len, "%.1f%%", 100 * v);
		break;
	case MUwhatif:
		whatifstr(buf, len, s);
		break;
	default:
		snprintf(buf, len, "%.0f", v);
		break;
	}
}

/*
 * Row m's words, in style, on the state of rp (measured: s): %v its
 * value, %a the event it was at, %p the policy's name.
 */
char *
measure_words(char *buf, size_t len, const struct measure *m,
    const char *words, int style, const struct replay *rp, const Stats *s)
{
	char val[160];
	const char *w;
	size_t n, at;
	double v;

	at = 0;
	v = m->get(rp, s, &at);
	valuestr(val, sizeof val, m, style, v, s);
	for (n = 0, w = words; *w != '\0' && n + 1 < len; w++) {
		if (w[0] != '%' || w[1] == '\0') {
			buf[n++] = *w;
			continue;
		}
		w++;
		if (*w == 'v')
			snprintf(buf + n, len - n, "%s", val);
		else if (*w == 'a')
			snprintf(buf + n, len - n, "%zu", at);
		else if (*w == 'p')
			snprintf(buf + n, len - n, "%s",
			    policyat(rp->pidx)->name);
		else
			snprintf(buf + n, len - n, "%c", *w);
		n += strlen(buf + n);
	}
	buf[n < len ? n : len - 1] = '\0';
	return buf;
}

/* Whether row m is said for rp: an extreme only where they are kept. */
static int
said(const struct measure *m, int extremes)
{
	return extremes || !(m->flags & MEXTREME);
}

/*
 * Line L of an output (text: the report's, or else the view's) into
 * buf: the words of its rows by their order, each after its separator
 * but the first.  Returns how many rows it has.
 */
static int
lineof(char *buf, size_t len, int view, int L, const struct replay *rp,
    const Stats *s, int extremes)
{
	const struct measure *m, *on[NBUILTIN + MAXEXTRA];
	const struct mplace *pl;
	size_t n;
	int i, j, k;

	for (k = 0, i = 0; i < measure_count(); i++) {
		m = measure_at(i);
		pl = view ? &m->view : &m->text;
		if (pl->line != L || !said(m, extremes))
			continue;
		/* by order, ties as the rows stand */
		for (j = k++; j > 0 && (view ? on[j - 1]->view.order :
		    on[j - 1]->text.order) > pl->order; j--)
			on[j] = on[j - 1];
		on[j] = m;
	}
	buf[0] = '\0';
	for (n = 0, i = 0; i < k && n + 1 < len; i++) {
		pl = view ? &on[i]->view : &on[i]->text;
		if (i > 0)
			snprintf(buf + n, len - n, "%s", pl->sep);
		n += strlen(buf + n);
		measure_words(buf + n, len - n, on[i], pl->words,
		    view ? MSview : MStext, rp, s);
		n += strlen(buf + n);
	}
	return k;
}

/*
 * The measures of a state as the report's lines (the replay summary's
 * and the dump's); extremes: the lines of what was kept over the run.
 */
void
measure_text(FILE *f, const struct replay *rp, const Stats *s, int extremes)
{
	char line[1024];
	int L;

	for (L = 0; L < Ntextline; L++)
		if (lineof(line, sizeof line, 0, L, rp, s, extremes) > 0)
			fprintf(f, "%-10s%s\n", textlines[L], line);
}

/* Row m's value as YAML: a number, a fraction, every policy's size. */
static int
yamlvalue(struct emitter *em, const struct measure *m, const char *key,
    double v, const Stats *s)
{
	char b[24];
	int i;

	switch (m->unit) {
	case MUfrac:
		snprintf(b, sizeof b, "%.4f", v);
		return emitkv(em, key, b);
	case MUsize:
		return emitnum(em, key, (unsigned long long)v * BY2PG);
	case MUwhatif:
		if (emitstr(em, key) < 0 || emitmap(em, 1) < 0)
			return -1;
		for (i = 0; i < npolicy(); i++)
			if (emitnum(em, policyat(i)->name,
			    (unsigned long long)s->largest[i] * BY2PG) < 0)
				return -1;
		return emitend(em);
	default:
		return emitnum(em, key, (unsigned long long)v);
	}
}

/* Whether a YAML group holds mappings (a block) or values (a flow). */
static int
groupflow(const char *group)
{
	int i;

	for (i = 0; i < measure_count(); i++)
		if (measure_at(i)->ygroup != NULL &&
		    strcmp(measure_at(i)->ygroup, group) == 0 &&
		    measure_at(i)->ysub != NULL)
			return 0;
	return 1;
}

/*
 * The measures as keys of the YAML summary mapping being written, in
 * the rows' order; rows of one group in a mapping of its name.
 */
int
measure_yaml(struct emitter *em, const struct replay *rp, const Stats *s)
{
	const struct measure *m;
	const char *open;
	size_t at;
	double v;
	int i;

	open = NULL;
	for (i = 0; i < measure_count(); i++) {
		m = measure_at(i);
		if (m->ykey == NULL || !said(m, rp->measure))
			continue;
		if (open != NULL && (m->ygroup == NULL ||
		    strcmp(open, m->ygroup) != 0)) {
			if (emitend(em) < 0)
				return -1;
			open = NULL;
		}
		if (m->ygroup != NULL && open == NULL) {
			if (emitstr(em, m->ygroup) < 0 ||
			    emitmap(em, groupflow(m->ygroup)) < 0)
				return -1;
			open = m->ygroup;
		}
		at = 0;
		v = m->get(rp, s, &at);
		if (m->ysub == NULL) {
			if (yamlvalue(em, m, m->ykey, v, s) < 0)
				return -1;
			continue;
		}
		if (emitstr(em, m->ykey) < 0 || emitmap(em, 1) < 0 ||
		    yamlvalue(em, m, m->ysub, v, s) < 0 ||
		    emitnum(em, "after", at) < 0 || emitend(em) < 0)
			return -1;
	}
	return open != NULL ? emitend(em) : 0;
}

/* The what-if as the view has it: two policies a line. */
static int
whatiflines(char (*lines)[96], int max, const Stats *s)
{
	char c[MAXPOLICY][40], b[24];
	int i, n, cw;

	for (cw = 16, i = 0; i < npolicy() && i < MAXPOLICY; i++) {
		snprintf(c[i], sizeof c[i], "%s %s", policyat(i)->name,
		    sizestr(b, sizeof b, s->largest[i]));
		if (i % 2 == 0 && (int)strlen(c[i]) > cw)
			cw = strlen(c[i]);
	}
	for (n = 0, i = 0; i < npolicy() && i < MAXPOLICY && n < max;
	    i += 2, n++)
		snprintf(lines[n], sizeof lines[n], " %-*.40s %.40s", cw,
		    c[i], i + 1 < npolicy() ? c[i + 1] : "");
	return n;
}

/*
 * The view's lines of measures for rp (measured: s), at most max;
 * returns how many.
 */
int
measure_viewlines(char (*lines)[96], int max, const struct replay *rp,
    const Stats *s)
{
	int L, i, n, nl, whatif;

	for (nl = 0, i = 0; i < measure_count(); i++)
		if (measure_at(i)->view.line >= nl)
			nl = measure_at(i)->view.line + 1;
	for (n = 0, L = 0; L < nl && n < max; L++) {
		if (lineof(lines[n], sizeof lines[n], 1, L, rp, s, 1) == 0)
			continue;
		n++;
		for (whatif = 0, i = 0; i < measure_count(); i++)
			if (measure_at(i)->view.line == L &&
			    measure_at(i)->unit == MUwhatif)
				whatif = 1;
		if (whatif)
			n += whatiflines(lines + n, max - n, s);
	}
	return n;
}
