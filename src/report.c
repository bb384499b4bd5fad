/*
 * Replay reports: a table for people and the vmapreport document of the
 * spec (section 5) for programs, the latter through libyaml's emitter
 * so that every value is quoted as YAML needs.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "measure.h"
#include "xmalloc.h"
#include "replay.h"
#include "report.h"
#include "util.h"

/* The most a row's parts before its remarks take (textparts). */
#define TEXTFIXED	160


/* The heading shared by the text report and the dump. */
void
report_heading(FILE *f, const struct replay *rp)
{
	int k;

	k = replay_kernel(rp);
	fprintf(f, "trace %s, policy %s, kernel %s", trace_name(rp->t),
	    policyat(rp->pidx)->name, kernelnames[k]);
	if (k != rp->m.kernel)
		fprintf(f, " (the file's own; the machine's is %s)",
		    kernelnames[rp->m.kernel]);
	fprintf(f, ", pse %s\n", rp->m.pse ? "on" : "off");
	if (rp->t->description != NULL)
		fprintwrap(f, "  ", rp->t->description, 78);
}

/*
 * What the report says of event e (index i), result r: its row, made
 * from the replay as it stands just after the event (the owner of a
 * panic's page, a reason's numbers).  needwhy: the words of the reason
 * even for an ok row, and its numbers (which the text leaves out).  The
 * row's strings point into e and into row.
 */
void
report_row(const struct replay *rp, const struct event *e,
    const struct result *r, size_t i, int needwhy, struct row *row)
{
	memset(row, 0, offsetof(struct row, whyb));
	row->seq = i + 1;
	row->op = e->op;
	row->kind = r->kind;
	row->id = e->id;
	row->text = e->text;
	row->note = e->note;
	row->pa = e->pa;
	if (e->op == OPvmap) {
		row->hassize = 1;
		row->size = e->size;
		row->hasva = r->kind == Rok;
	} else if (e->op == OPvunmap) {
		row->hasva = r->kind == Rok || RSTOPS(r->kind);
		row->hassize = row->hasva || (e->flags & EVSIZE);
		row->size = row->hasva ? r->size : e->size;
	}
	row->va = r->va;
	if (needwhy || r->kind != Rok)
		replay_reason(rp, e, r, &row->rs);
	else
		row->rs = (Reason){ r->step, { 0 } };
	row->why = "";
	/* an ok's reason with --why; one outside the vmap always */
	row->outside = r->kind == Rok && r->step == RSoutside;
	if (needwhy || r->kind != Rok || row->outside)
		row->why = replay_why(row->whyb, sizeof row->whyb, rp, e, r, i);
	if (r->panic != NULL) {
		row->haspanic = 1;
		row->panic = replay_panicmsg(row->panicb, sizeof row->panicb, rp,
		    r);
		row->pkind = r->panic->kind;
		row->pcause = r->panic->cause;
		row->pat = r->panic->va;
		row->allocva = r->panic->allocva;
	}
	if (r->exp == Efailed) {
		row->expfailed = 1;
		row->expected = trace_expectstr(row->expb, sizeof row->expb,
		    &e->expect[rp->pidx]);
	}
}

/* Whether a row has words after the address. */
static int
hasremark(const struct row *row, int whyall)
{
	return row->expfailed || row->kind != Rok || row->outside ||
	    row->text != NULL ||
	    row->note != NULL || (whyall && row->op != OPnote);
}

/*
 * s at p, then spaces to width columns, as "%-*s" does, unchecked: for
 * the parts of a row whose lengths are known.  Returns the end.
 */
static char *
putpad(char *p, const char *s, int width)
{
	int k;

	for (k = 0; s[k] != '\0'; k++)
		*p++ = s[k];
	for (; k < width; k++)
		*p++ = ' ';
	return p;
}

/*
 * s after the n bytes at buf (len in all), cut short where it would
 * not fit, as snprintf does; NUL-terminated.  Returns the new length.
 */
static size_t
putrest(char *buf, size_t len, size_t n, const char *s)
{
	size_t k;

	if (n + 1 >= len)
		return n;
	k = strnlen(s, len - 1 - n);
	memcpy(buf + n, s, k);
	n += k;
	buf[n] = '\0';
	return n;
}

/* seq at buf as "%5zu" does it (len at least 24).  Returns its length. */
static size_t
putseq(char *buf, size_t len, size_t seq)
{
	char d[24];
	int k, n;

	k = 0;
	do
		d[k++] = '0' + seq % 10;
	while ((seq /= 10) != 0);
	for (n = 0; n < 5 - k; n++)
		buf[n] = ' ';
	while (k > 0 && (size_t)n + 1 < len)
		buf[n++] = d[--k];
	buf[n] = '\0';
	return n;
}

/* x as "0x%.8x" does it, into buf (11 bytes), at a row's rate. */
static void
hex8(char *buf, uint32_t x)
{
	static const char digits[] = "0123456789abcdef";
	int k;

	buf[0] = '0';
	buf[1] = 'x';
	for (k = 0; k < 8; k++)
		buf[2 + k] = digits[x >> (28 - 4 * k) & 0xf];
	buf[10] = '\0';
}

/*
 * The word of n bytes just made at p, padded with spaces to width
 * columns, unchecked; *w, when w is not nil, widened to it.  Returns
 * the end.
 */
static char *
madeword(char *p, size_t n, int *w, size_t width)
{
	if (w != NULL && (int)n > *w)
		*w = n;
	for (p += n; n < width; n++)
		*p++ = ' ';
	return p;
}

/*
 * A row of the table in two parts, before and after its id: the seq
 * and the op; the rest to the end of the line.  Into buf; *after is
 * where the second part starts in it.  cw, when not nil, widened to
 * the pa and size written (report_colwidths).
 */
static void
textparts(const struct row *row, int whyall, char *buf, size_t len,
    size_t *after, struct colw *cw)
{
	const char *sep;
	size_t n, k;
	char *p;

	/*
	 * as "%5zu  %-6s  ", then "  %-10s  %-6s  %-7s  %-*s", by hand: at
	 * most TEXTFIXED bytes (a seq of 20 digits, a pa of 18, a size of
	 * 23, each name's longest), which len leaves room for; the numbers
	 * made in place
	 */
	if (len < TEXTFIXED)
		fatal("textparts: %zu bytes, not %d", len, TEXTFIXED);
	p = buf + putseq(buf, len, row->seq);
	p = putpad(p, "  ", 0);
	p = putpad(p, opnames[row->op], 6);
	p = putpad(p, "  ", 0);
	*p++ = '\0';
	*after = p - buf;
	p = putpad(p, "  ", 0);
	if (row->op == OPvmap && row->pa >> 32 == 0) {
		hex8(p, row->pa);
		p += 10;
	} else if (row->op == OPvmap)	/* past 4G: every digit */
		p = madeword(p, (size_t)snprintf(p, 24, "0x%llx",
		    (unsigned long long)row->pa), cw ? &cw->pa : NULL, 10);
	else
		p = putpad(p, "-", 10);
	p = putpad(p, "  ", 0);
	if (row->hassize)
		p = madeword(p, strlen(fmtbytes(p, 24, row->size)),
		    cw ? &cw->size : NULL, 6);
	else
		p = putpad(p, "-", 6);
	p = putpad(p, "  ", 0);
	p = putpad(p, resultnames[row->kind], 7);
	p = putpad(p, "  ", 0);
	k = hasremark(row, whyall) ? 10 : 0;
	if (row->hasva) {
		hex8(p, row->va);
		p += 10;
	} else
		p = putpad(p, "-", k);
	*p = '\0';
	n = p - buf;
	sep = "  ";
	if (row->expfailed) {
		n = putrest(buf, len, n, sep);
		n = putrest(buf, len, n, "EXPECTED ");
		n = putrest(buf, len, n, row->expected);
		sep = "; ";
	}
	if (row->kind != Rok || row->outside || (whyall && row->op != OPnote)) {
		n = putrest(buf, len, n, sep);
		n = putrest(buf, len, n, row->why);
		sep = "; ";
	}
	if (row->text != NULL) {
		n = putrest(buf, len, n, sep);
		n = putrest(buf, len, n, row->text);
		sep = "; ";
	}
	if (row->note != NULL) {
		n = putrest(buf, len, n, sep);
		n = putrest(buf, len, n, "# ");
		(void)putrest(buf, len, n, row->note);
	}
}

/*
 * The columns event numbers take in a table of a trace of nev events:
 * five, or as many as its last needs.
 */
static int
seqwidth(size_t nev)
{
	int w;

	for (w = 1; nev >= 10; nev /= 10)
		w++;
	return w < 5 ? 5 : w;
}

/*
 * The spaces that put the event number a row's parts begin with (five
 * columns, or its digits) in seqw columns.
 */
static void
padseq(FILE *f, const char *part, size_t len, int seqw)
{
	size_t k;

	for (k = 0; k < len && part[k] == ' '; k++)
		;
	while (k < len && part[k] >= '0' && part[k] <= '9')
		k++;
	for (; (int)k < seqw; k++)
		putc(' ', f);
}

/* The columns a row's pa and size take, widening cw to them. */
void
report_colwidths(const struct row *row, struct colw *cw)
{
	char b[24];
	int n;

	if (row->op == OPvmap && row->pa >> 32 != 0) {
		n = snprintf(b, sizeof b, "0x%llx", (unsigned long long)row->pa);
		if (n > cw->pa)
			cw->pa = n;
	}
	if (row->hassize &&
	    (n = (int)strlen(fmtbytes(b, sizeof b, row->size))) > cw->size)
		cw->size = n;
}

/*
 * A field of s (n bytes) at *i into p: sep bytes, then a word padded
 * to at least min columns, as textparts wrote it; the word padded to
 * w columns instead.  *i moves past it.  Returns the end of what it
 * wrote.
 */
static char *
field(char *p, const char *s, size_t n, size_t *i, size_t sep, size_t min,
    int w)
{
	size_t at, end, k;

	at = *i + sep;
	for (end = at; end < n && s[end] != ' '; end++)
		;
	if ((end - at < min ? at + min : end) > n) {
		memcpy(p, s + *i, n - *i);
		p += n - *i;
		*i = n;
		return p;
	}
	memcpy(p, s + *i, end - *i);
	p += end - *i;
	for (k = end - at; (int)k < w; k++)
		*p++ = ' ';
	*i = end - at < min ? at + min : end;
	return p;
}

/*
 * The part of a row after its id (n bytes) into p, its pa and size in
 * their columns' widths: textparts gives them ten and six, or as many
 * as they need.  Returns the end of what it wrote (at most n +
 * cw->pa + cw->size bytes).
 */
static char *
afterinto(char *p, const char *after, size_t n, const struct colw *cw)
{
	size_t i;

	i = 0;
	p = field(p, after, n, &i, 2, 10, cw->pa);
	p = field(p, after, n, &i, 2, 6, cw->size);
	memcpy(p, after + i, n - i);
	return p + n - i;
}

/* A row of the table, its number in seqw columns, its id in idw. */
static void
textrow(FILE *f, const struct row *row, int seqw, int idw,
    const struct colw *cw, int whyall)
{
	char buf[2048], rest[2048 + 64], *end;
	size_t after;

	textparts(row, whyall, buf, sizeof buf, &after, NULL);
	padseq(f, buf, after, seqw);
	fprintf(f, "%s%-*.*s", buf, idw, idw, row->id ? row->id : "-");
	end = afterinto(rest, buf + after, strlen(buf + after), cw);
	fwrite(rest, 1, end - rest, f);
	putc('\n', f);
}

/*
 * Write the table row of row to the spool sf, its id apart, to be put
 * in its column once the widest is known (report_textunspool).
 */
void
report_textspool(struct spoolfile *sf, const struct row *row, int whyall,
    struct colw *cw)
{
	char buf[2048];
	const char *s[3];
	uint32_t n[3];
	size_t after;
	int k;

	textparts(row, whyall, buf, sizeof buf, &after, cw);
	s[0] = buf;
	s[1] = row->id ? row->id : "-";
	s[2] = buf + after;
	/* the three lengths, then the three strings */
	for (k = 0; k < 3; k++)
		n[k] = strlen(s[k]);
	spoolfile_put(sf, n, sizeof n);
	for (k = 0; k < 3; k++)
		spoolfile_put(sf, s[k], n[k]);
}

/*
 * The spooled table rows to out, the event numbers seqw wide, the id
 * column idw.  Returns 0, or
 * -1 when the spool cannot be read back.
 */
int
report_textunspool(FILE *out, struct spool *sp, int seqw, int idw,
    const struct colw *cw)
{
	uint32_t n[3];
	size_t len, k, id, need;
	char *line, *p;

	for (;;) {
		if ((k = spoolfile_get(sp->sf, n, sizeof n)) != sizeof n)
			return k == 0 && !spoolfile_failed(sp->sf) ? 0 : -1;
		len = (size_t)n[0] + n[1] + n[2];
		/* the record, then the line made of it: one write a row */
		need = 2 * len + seqw + idw + cw->pa + cw->size + 1;
		if (need > sp->cap) {
			sp->cap = need < 4096 ? 4096 : need;
			sp->buf = xrealloc(sp->buf, sp->cap);
		}
		if (len > 0 && spoolfile_get(sp->sf, sp->buf, len) != len)
			return -1;
		/* as "%s%-*.*s%s\n" would, without parsing it a million times */
		p = line = sp->buf + len;
		for (k = 0; k < n[0] && sp->buf[k] == ' '; k++)
			;
		while (k < n[0] && sp->buf[k] >= '0' && sp->buf[k] <= '9')
			k++;
		for (; (int)k < seqw; k++)
			*p++ = ' ';
		memcpy(p, sp->buf, n[0]);
		p += n[0];
		id = n[1] > (uint32_t)idw ? (size_t)idw : n[1];
		memcpy(p, sp->buf + n[0], id);
		p += id;
		for (k = id; k < (size_t)idw; k++)
			*p++ = ' ';
		p = afterinto(p, sp->buf + n[0] + n[1], n[2], cw);
		*p++ = '\n';
		fwrite(line, 1, p - line, out);
	}
}

/* The id column's width for ids of at most longest bytes. */
int
report_idwidth(size_t longest)
{
	return longest < 2 ? 2 : longest > 24 ? 24 : (int)longest;
}

/*
 * The table of results from rows (each from next, until it gives 0),
 * the ids in idw columns, and the summary, for people.  Every row that
 * is not ok says why; with whyall, every row.
 */
void
report_textrows(FILE *f, const struct replay *rp, int whyall, int idw,
    const struct colw *cw, int (*next)(void *, struct row *), void *arg)
{
	struct row row;

	report_heading(f, rp);
	fprintf(f, "%*s  %-6s  %-*s  %-*s  %-*s  %-7s  %s\n",
	    seqwidth(rp->t->nev), "seq", "op", idw, "id", cw->pa, "pa",
	    cw->size, "size", "result", "address");
	while (next(arg, &row))
		textrow(f, &row, seqwidth(rp->t->nev), idw, cw, whyall);
	fputc('\n', f);
	report_summary(f, rp);
}

/*
 * The same, of the rows report_textspool wrote to sp.  Returns -1 when
 * the spool cannot be read back.
 */
int
report_textspooled(FILE *f, const struct replay *rp, int idw,
    const struct colw *cw, struct spool *sp)
{
	report_heading(f, rp);
	fprintf(f, "%*s  %-6s  %-*s  %-*s  %-*s  %-7s  %s\n",
	    seqwidth(rp->t->nev), "seq", "op", idw, "id", cw->pa, "pa",
	    cw->size, "size", "result", "address");
	if (report_textunspool(f, sp, seqwidth(rp->t->nev), idw, cw) < 0)
		return -1;
	fputc('\n', f);
	report_summary(f, rp);
	return 0;
}

/* The next row of a replay that kept its results (struct kept). */
int
report_nextkept(void *arg, struct row *row)
{
	struct kept *k;

	k = arg;
	if (k->i >= k->rp->t->nev)
		return 0;
	report_row(k->rp, &k->rp->t->ev[k->i], &k->rp->r[k->i], k->i,
	    k->needwhy, row);
	k->i++;
	return 1;
}

/*
 * The table of results and the summary, for people, of a replay that
 * kept its results.
 */
void
report_text(FILE *f, const struct replay *rp, int whyall)
{
	struct kept k;
	struct row row;
	struct colw cw;
	size_t i, n, longest;

	longest = 0;
	for (i = 0; i < rp->t->nev; i++)
		if (rp->t->ev[i].id != NULL &&
		    (n = strlen(rp->t->ev[i].id)) > longest)
			longest = n;
	/* the pa and size columns as wide as their widest */
	cw.pa = 10;
	cw.size = 6;
	k.rp = rp;
	k.i = 0;
	k.needwhy = 0;
	while (report_nextkept(&k, &row))
		report_colwidths(&row, &cw);
	k.i = 0;
	k.needwhy = whyall;
	report_textrows(f, rp, whyall, report_idwidth(longest), &cw,
	    report_nextkept, &k);
}

/*
 * Rows spooled: a streamed replay writes each row to a file as its
 * event runs and the report is written from the file once the trace
 * has been read whole and found good.  The row's numbers as they are,
 * then the lengths of its six strings (NOLEN for nil), then their bytes;
 * a table row, the lengths of its three parts, then their bytes.
 */
#define NOLEN	UINT32_MAX

/* The strings of a row, in the spool's order. */
static const char **
rowstr(struct row *row, int k)
{
	switch (k) {
	case 0:
		return &row->id;
	case 1:
		return &row->text;
	case 2:
		return &row->note;
	case 3:
		return &row->why;
	case 4:
		return &row->panic;
	default:
		return &row->expected;
	}
}

/*
 * Write row to the spool sf: its numbers, the six strings' lengths
 * (NOLEN for none), their bytes.
 */
void
report_spool(struct spoolfile *sf, const struct row *row)
{
	const char *str[6];
	uint32_t n[6];
	size_t len[6];
	int k;

	for (k = 0; k < 6; k++) {
		str[k] = *rowstr((struct row *)row, k);
		len[k] = str[k] ? strlen(str[k]) : 0;
		n[k] = str[k] == NULL ? NOLEN : (uint32_t)len[k];
	}
	spoolfile_put(sf, row, offsetof(struct row, id));
	spoolfile_put(sf, n, sizeof n);
	for (k = 0; k < 6; k++)
		spoolfile_put(sf, str[k] ? str[k] : "", len[k]);
}

/*
 * The next row of the spool (report_textrows and report_yamlrows take
 * it as their next): 1, or 0 at its end.
 */
int
report_unspool(void *arg, struct row *row)
{
	struct spool *sp;
	uint32_t n[6];
	size_t total, o;
	int k;

	sp = arg;
	if ((o = spoolfile_get(sp->sf, row, offsetof(struct row, id))) !=
	    offsetof(struct row, id)) {
		sp->bad = o != 0 || spoolfile_failed(sp->sf);
		return 0;
	}
	if (spoolfile_get(sp->sf, n, sizeof n) != sizeof n) {
		sp->bad = 1;
		return 0;
	}
	for (total = k = 0; k < 6; k++)
		total += n[k] == NOLEN ? 1 : (size_t)n[k] + 1;
	if (total > sp->cap) {
		sp->cap = total < 4096 ? 4096 : total;
		sp->buf = xrealloc(sp->buf, sp->cap);
	}
	/* the bytes, each string's NUL made room for afterwards */
	for (o = k = 0; k < 6; k++)
		if (n[k] != NOLEN)
			o += n[k];
	if (o > 0 && spoolfile_get(sp->sf, sp->buf + total - o, o) != o) {
		sp->bad = 1;
		return 0;
	}
	for (o = total - o, total = k = 0; k < 6; k++) {
		if (n[k] == NOLEN) {
			*rowstr(row, k) = NULL;
			continue;
		}
		memmove(sp->buf + total, sp->buf + o, n[k]);
		sp->buf[total + n[k]] = '\0';
		*rowstr(row, k) = sp->buf + total;
		o += n[k];
		total += n[k] + 1;
	}
	return 1;
}

/* "first     fail at event 20 (poke8): why", when there was one. */
static void
reportfirst(FILE *f, const char *what, const struct first *fi)
{
	if (fi->seq == 0)
		return;
	fprintf(f, "first     %s at event %zu (%s): %s\n", what, fi->seq,
	    fi->id, fi->why);
}

/* The summary alone: counts, expectations and the final state. */
/*
 * How the kernel stopped, in words: it panicked, or (a kernel file's
 * code) crashed or hung.
 */
static const char *
stopped(const struct replay *rp)
{
	switch (rp->unexpectedkind) {
	case Rcrash:
		return "file's code crashed";
	case Rhang:
		return "file's code hung";
	default:
		return "panicked";
	}
}

void
report_summary(FILE *f, const struct replay *rp)
{
	Stats s;
	int k;

	fprintf(f, "events    %zu:", rp->t->nev);
	for (k = Rok; k < Nresult; k++)
		if (k <= Rpanic || rp->count[k] != 0)	/* crash, hang: seen */
			fprintf(f, " %zu %s,", rp->count[k], resultnames[k]);
	fprintf(f, " %zu %s\n", rp->count[Rnotrun], resultnames[Rnotrun]);
	fprintf(f, "expect    %zu held, %zu failed, %zu unchecked\n",
	    rp->expheld, rp->expfailed, rp->expunchecked);
	if (replay_unchecked(rp) != NULL)
		fprintf(f, "          expectations not checked: %s\n",
		    replay_unchecked(rp));
	reportfirst(f, "fail", &rp->firstfail);
	reportfirst(f, "panic", &rp->firstpanic);
	reportfirst(f, "failed expectation", &rp->firstexp);
	replay_measure(rp, &s);
	measure_text(f, rp, &s, rp->measure);
	if (rp->unexpectedpanics > 0 && replay_unchecked(rp) != NULL)
		fprintf(f, "status    the kernel %s at event %zu; "
		    "expectations not checked\n", stopped(rp), rp->unexpectedat);
	else if (rp->unexpectedpanics > 0)
		fprintf(f, "status    the kernel %s unexpectedly at event "
		    "%zu\n", stopped(rp), rp->unexpectedat);
	else if (rp->expfailed > 0)
		fprintf(f, "status    expectations failed\n");
	else if (replay_unchecked(rp) != NULL)
		fprintf(f, "status    no panic; expectations not checked\n");
	else
		fprintf(f, "status    as expected\n");
}

