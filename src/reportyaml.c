/*
 * The vmapreport document of the spec (section 5), for programs: its
 * head and summary through the emitter (emit.c), so that every value is
 * quoted as YAML needs, and its rows either through it too or through a
 * fast writer that writes them as it would (tests/emitter.sh holds the
 * two to the same bytes).  The rows are report.c's.
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

/*
 * Where a row's parts go: a key and its value (a scalar), a key with a
 * flow mapping after it, the mapping's end.  The libyaml emitter is one
 * such place; the fast writer another.  Each returns -1 on failure.
 */
struct rowsink {
	int	(*kv)(void *, const char *, const char *);
	int	(*open)(void *, const char *);
	int	(*close)(void *);
	void	*arg;
};

/* v in decimal, as %llu writes it (a row's numbers, many). */
static int
sinknum(const struct rowsink *sk, const char *k, unsigned long long v)
{
	char buf[24], *p;

	p = buf + sizeof buf;
	*--p = '\0';
	do
		*--p = '0' + v % 10;
	while ((v /= 10) != 0);
	return sk->kv(sk->arg, k, p);
}

/* v as 0x and eight hex digits, as %.8x writes them. */
static int
sinkhex(const struct rowsink *sk, const char *k, uint32_t v)
{
	char buf[11];
	int i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 9; i >= 2; i--, v >>= 4)
		buf[i] = "0123456789abcdef"[v & 0xf];
	buf[10] = '\0';
	return sk->kv(sk->arg, k, buf);
}

/*
 * A row's reason: reason: {code: ..., text: ..., and its numbers}, a
 * panic's kind, cause and where.
 */
static int
rowreason(const struct rowsink *sk, const struct row *row)
{
	static const char *const kinds[] = {
		[PNone] = "", [PNvmappde] = "pde", [PNvmappte] = "pte",
		[PNxspan] = "xspanalloc", [PNrange] = "range",
		[PNnotmapped] = "not-mapped", [PNmisaligned] = "misaligned",
		[PNsaid] = "said", [PNcrash] = "crash", [PNhang] = "hang"
	};
	_Static_assert(sizeof kinds / sizeof kinds[0] == PNhang + 1,
	    "a name for every kind of panic");
	static const char *const causes[] = {
		"", "blank-pde", "free-pte", "cleared-4m", "negative", "below",
		"above", "wrapped", "in-use", "in-use-4m"
	};
	_Static_assert(sizeof causes / sizeof causes[0] == PCinuse4m + 1,
	    "a name for every cause of a panic");
	const char *field;
	int k;

	if (sk->open(sk->arg, "reason") < 0 ||
	    sk->kv(sk->arg, "code", row->kind == Rnotrun ? "not-run" :
	    reasonname(row->rs.code)) < 0 ||
	    sk->kv(sk->arg, "text", row->why) < 0)
		return -1;
	for (k = 0; (field = reasonfield(row->rs.code, k)) != NULL; k++)
		if (sinknum(sk, field, row->rs.n[k]) < 0)
			return -1;
	if (row->haspanic && (sk->kv(sk->arg, "kind", kinds[row->pkind]) < 0 ||
	    (row->pcause != PCnone && sk->kv(sk->arg, "cause",
	    causes[row->pcause]) < 0) || sinkhex(sk, "at", row->pat) < 0))
		return -1;
	return sk->close(sk->arg);
}

/* One row: seq, op, id, text, result, va, panic, reason, expected. */
static int
rowparts(const struct rowsink *sk, const struct row *row)
{
	if (sinknum(sk, "seq", row->seq) < 0 ||
	    sk->kv(sk->arg, "op", opnames[row->op]) < 0)
		return -1;
	if (row->id != NULL && sk->kv(sk->arg, "id", row->id) < 0)
		return -1;
	if (row->text != NULL && sk->kv(sk->arg, "text", row->text) < 0)
		return -1;
	if (sk->kv(sk->arg, "result", resultnames[row->kind]) < 0)
		return -1;
	if (row->hasva && sinkhex(sk, "va", row->va) < 0)
		return -1;
	if (row->haspanic && sk->kv(sk->arg, "panic", row->panic) < 0)
		return -1;
	if (row->haspanic && row->op == OPvmap &&
	    sinkhex(sk, "vmapalloc", row->allocva) < 0)
		return -1;
	if (rowreason(sk, row) < 0)
		return -1;
	if (row->expfailed && sk->kv(sk->arg, "expected", row->expected) < 0)
		return -1;
	return 0;
}

/* The libyaml emitter as a row's sink. */
static int
emkv(void *em, const char *k, const char *v)
{
	return emitkv(em, k, v);
}

static int
emopen(void *em, const char *k)
{
	return emitstr(em, k) < 0 || emitmap(em, 1) < 0 ? -1 : 0;
}

static int
emclose(void *em)
{
	return emitend(em);
}

static int
emitrowreason(struct emitter *em, const struct row *row)
{
	struct rowsink sk = { emkv, emopen, emclose, em };

	return rowreason(&sk, row);
}

/* A result's reason, as the document has it (probe's answers). */
int
report_emitreason(struct emitter *em, const struct replay *rp,
    const struct event *e, const struct result *r, size_t i)
{
	struct row row;

	report_row(rp, e, r, i, 1, &row);
	return emitrowreason(em, &row);
}

/* The first of a kind as {seq, id, reason}, under key, if there was one. */
static int
emitfirst(struct emitter *em, const char *key, const struct first *fi)
{
	if (fi->seq == 0)
		return 0;
	if (emitstr(em, key) < 0 || emitmap(em, 1) < 0 ||
	    emitnum(em, "seq", fi->seq) < 0 || emitkv(em, "id", fi->id) < 0 ||
	    emitkv(em, "reason", fi->why) < 0)
		return -1;
	return emitend(em);
}

/* One row as a flow mapping, through libyaml. */
static int
emitrow(struct emitter *em, const struct row *row)
{
	struct rowsink sk = { emkv, emopen, emclose, em };

	if (emitmap(em, 1) < 0 || rowparts(&sk, row) < 0)
		return -1;
	return emitend(em);
}

/*
 * The fast writer: a row written as libyaml writes it in a block
 * sequence, "- {key: value, ...}", each value as libyaml would have it
 * in a flow mapping.  Most are plain words and numbers; the rest are
 * given to libyaml alone, one at a time (flowscalar).
 */
struct fast {
	FILE	*f;
	int	 first;		/* no part yet in this mapping */
	char	*buf;		/* for a value libyaml quotes */
	size_t	 cap;
	char	*line;		/* the row, written at once */
	size_t	 len;
	size_t	 linecap;
};

/* s at the end of the row. */
static void
put(struct fast *fw, const char *s)
{
	size_t n;

	n = strlen(s);
	xgrow(&fw->line, &fw->linecap, fw->len + n + 1, 1);
	memcpy(fw->line + fw->len, s, n);
	fw->len += n;
}

/*
 * Whether libyaml writes s plain in a flow mapping: a letter or digit
 * first and last, and between them only letters, digits, single spaces
 * and - _ . ; ( ) / = +, none of which makes it quote.  Others may be
 * plain too; they go the slow way.
 */
static int
plainword(const char *s)
{
	const char *p;
	int c;

	for (p = s; (c = (unsigned char)*p) != '\0'; p++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			continue;
		if (p == s || strchr("-_.;()/=+ ", c) == NULL)
			return 0;
		if (c == ' ' && (p[1] == ' ' || p[1] == '\0'))
			return 0;
	}
	return p != s;
}

/*
 * s as libyaml writes it as a value in a flow mapping: s itself when it
 * is a plain word, else what libyaml makes of {k: s}, between "{k: "
 * and "}".  Returns nil when libyaml cannot.
 */
static const char *
flowscalar(struct fast *fw, const char *s)
{
	struct emitter *em;
	const char *p;
	size_t n, need;
	int c, flowmark;

	if (plainword(s))
		return s;
	need = 6 * strlen(s) + 64;
	if (need > fw->cap) {
		fw->cap = need;
		fw->buf = xrealloc(fw->buf, fw->cap);
	}
	/*
	 * Printable ASCII with a , [ ] { } in it is never plain in a flow
	 * mapping, and always single-quoted: ' doubled, nothing folded.
	 */
	flowmark = 0;
	for (p = s; (c = (unsigned char)*p) >= 0x20 && c < 0x7f; p++)
		flowmark |= strchr(",[]{}", c) != NULL;
	if (*p == '\0' && flowmark) {
		n = 0;
		fw->buf[n++] = '\'';
		for (p = s; *p != '\0'; p++) {
			if (*p == '\'')
				fw->buf[n++] = '\'';
			fw->buf[n++] = *p;
		}
		fw->buf[n++] = '\'';
		fw->buf[n] = '\0';
		return fw->buf;
	}
	if ((em = emit_openbuf(fw->buf, fw->cap - 1, &n)) == NULL)
		return NULL;
	if (emit_start(em) < 0 || emitmap(em, 1) < 0 ||
	    emitkv(em, "k", s) < 0 || emitend(em) < 0 ||
	    emit_finish(em) < 0 || n < 6 || memcmp(fw->buf, "{k: ", 4) != 0 ||
	    memcmp(fw->buf + n - 2, "}\n", 2) != 0) {
		emit_close(em);
		return NULL;
	}
	emit_close(em);
	fw->buf[n - 2] = '\0';
	return fw->buf + 4;
}

static int
fastkv(void *arg, const char *k, const char *v)
{
	struct fast *fw;

	fw = arg;
	if ((v = flowscalar(fw, v)) == NULL)
		return -1;
	if (!fw->first)
		put(fw, ", ");
	put(fw, k);
	put(fw, ": ");
	put(fw, v);
	fw->first = 0;
	return 0;
}

static int
fastopen(void *arg, const char *k)
{
	struct fast *fw;

	fw = arg;
	if (!fw->first)
		put(fw, ", ");
	put(fw, k);
	put(fw, ": {");
	fw->first = 1;
	return 0;
}

static int
fastclose(void *arg)
{
	struct fast *fw;

	fw = arg;
	put(fw, "}");
	fw->first = 0;
	return 0;
}

static int
fastrow(struct fast *fw, const struct row *row)
{
	struct rowsink sk = { fastkv, fastopen, fastclose, fw };

	fw->len = 0;
	put(fw, "- {");
	fw->first = 1;
	if (rowparts(&sk, row) < 0)
		return -1;
	put(fw, "}\n");
	return fwrite(fw->line, fw->len, 1, fw->f) == 1 ? 0 : -1;
}

/* A replay's summary mapping (the value of a summary key). */
int
report_yamlsummary(struct emitter *em, const struct replay *rp)
{
	Stats s;
	int k;

	replay_measure(rp, &s);
	if (emitmap(em, 0) < 0 || emitnum(em, "events", rp->t->nev) < 0)
		return -1;
	for (k = Rok; k < Nresult; k++)
		if ((k <= Rpanic || rp->count[k] != 0) &&
		    emitnum(em, resultnames[k], rp->count[k]) < 0)
			return -1;
	if (emitnum(em, resultnames[Rnotrun], rp->count[Rnotrun]) < 0 ||
	    emitstr(em, "expectations") < 0 || emitmap(em, 1) < 0 ||
	    emitnum(em, "held", rp->expheld) < 0 ||
	    emitnum(em, "failed", rp->expfailed) < 0 ||
	    emitnum(em, "unchecked", rp->expunchecked) < 0 ||
	    (replay_unchecked(rp) != NULL && emitkv(em, "not-checked",
	    replay_unchecked(rp)) < 0) ||
	    emitend(em) < 0 ||
	    emitnum(em, "unexpected-panics", rp->unexpectedpanics) < 0 ||
	    emitfirst(em, "first-fail", &rp->firstfail) < 0 ||
	    emitfirst(em, "first-panic", &rp->firstpanic) < 0 ||
	    emitfirst(em, "first-failed-expectation", &rp->firstexp) < 0 ||
	    measure_yaml(em, rp, &s) < 0)
		return -1;
	return emitend(em);
}

/* The document's head: vmapreport, trace, policy, kernel, pse. */
static int
emithead(struct emitter *em, const struct replay *rp)
{
	return emitkv(em, "vmapreport", "1") < 0 ||
	    emitkv(em, "trace", trace_name(rp->t)) < 0 ||
	    emitkv(em, "policy", policyat(rp->pidx)->name) < 0 ||
	    emitkv(em, "kernel", kernelnames[replay_kernel(rp)]) < 0 ||
	    emitkv(em, "pse", rp->m.pse ? "true" : "false") < 0 ? -1 : 0;
}

/*
 * A document of the top-level keys part writes, alone: as the lines of
 * those keys in the whole document, a block mapping's at column 0.
 */
static int
emitpart(FILE *f, const struct replay *rp,
    int (*part)(struct emitter *, const struct replay *))
{
	struct emitter *em;
	int rv;

	if ((em = emit_open(f)) == NULL)
		return -1;
	rv = emit_start(em) < 0 || emitmap(em, 0) < 0 || part(em, rp) < 0 ||
	    emitend(em) < 0 || emit_finish(em) < 0 ? -1 : 0;
	emit_close(em);
	return rv;
}

static int
emitsummarykey(struct emitter *em, const struct replay *rp)
{
	return emitstr(em, "summary") < 0 || report_yamlsummary(em, rp) < 0 ?
	    -1 : 0;
}

/*
 * Whether the rows go through libyaml's emitter, one event a scalar
 * (VMAPVIEW_EMITTER=libyaml: the reference the fast writer is tested
 * against), or the fast writer.
 */
static int
slowrows(void)
{
	const char *s;

	s = getenv("VMAPVIEW_EMITTER");
	return s != NULL && strcmp(s, "libyaml") == 0;
}

/*
 * The vmapreport document, with the rows next gives as its results
 * (none when next is nil: the summary alone).  The rows are written by
 * the fast writer between a head and a summary libyaml writes, the same
 * bytes as libyaml would write them all; a row the fast writer cannot
 * write (a value libyaml will not take) ends it, and the document is
 * written wrong: -1.
 */
int
report_yamlrows(FILE *f, const struct replay *rp,
    int (*next)(void *, struct row *), void *arg)
{
	struct emitter *em;
	struct fast fw;
	struct row row;
	int rv, have;

	have = next != NULL && next(arg, &row);
	if (have && !slowrows()) {
		memset(&fw, 0, sizeof fw);
		fw.f = f;
		rv = -1;
		if (emitpart(f, rp, emithead) < 0 ||
		    fputs("results:\n", f) == EOF)
			goto fastout;
		do
			if (fastrow(&fw, &row) < 0)
				goto fastout;
		while (next(arg, &row));
		if (emitpart(f, rp, emitsummarykey) < 0)
			goto fastout;
		rv = 0;
fastout:
		free(fw.buf);
		free(fw.line);
		return rv;
	}
	if ((em = emit_open(f)) == NULL)
		return -1;
	rv = -1;
	if (emit_start(em) < 0 || emitmap(em, 0) < 0 || emithead(em, rp) < 0)
		goto out;
	if (next != NULL) {
		if (emitstr(em, "results") < 0 || emitseq(em, 0) < 0)
			goto out;
		for (; have; have = next(arg, &row))
			if (emitrow(em, &row) < 0)
				goto out;
		if (emitseqend(em) < 0)
			goto out;
	}
	if (emitstr(em, "summary") < 0 ||
	    report_yamlsummary(em, rp) < 0 || emitend(em) < 0 ||
	    emit_finish(em) < 0)
		goto out;
	rv = 0;
out:
	emit_close(em);
	return rv;
}

/*
 * The vmapreport document.  Returns 0, or -1 when the emitter or the
 * output fails.
 */
int
report_yaml(FILE *f, const struct replay *rp)
{
	struct kept k;

	k.rp = rp;
	k.i = 0;
	k.needwhy = 1;
	return report_yamlrows(f, rp, report_nextkept, &k);
}

/* The vmapreport document without the results: the summary alone. */
int
report_yaml_summary(FILE *f, const struct replay *rp)
{
	return report_yamlrows(f, rp, NULL, NULL);
}
