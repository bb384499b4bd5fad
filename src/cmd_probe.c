/*
 * vmapview probe: what a vmap would do now.  The trace is replayed to
 * event N as it is read (the rest only counted, as dump does: memory
 * follows the live mappings), a policy at a time, each in a reading of
 * its own, and vmap(PA, SIZE) is run on a copy of its state: where it
 * would land, or why it would fail, be refused or panic.  With --sizes,
 * per policy, the largest vmap that would succeed and the first size
 * that would not, with its reason.  A trace that cannot be read again
 * (standard input, a pipe) is loaded once and given to each policy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cmd.h"
#include "emit.h"
#include "livemap.h"
#include "relay.h"
#include "util.h"

static int	cmd_probe_exec(struct args *);

static const struct cmd_option options[] = {
	OPT_AT,
	{ Opolicy, "policy", 'p', ARGpolicies, "P1[,P2...]",
	    "the policies (default: all)" },
	OPT_KERNEL("K"),
	OPT_PSE,
	OPT_KEEPGOING,
	OPT_KTIMEOUT,
	{ Osizes, "sizes", 0, ARGnone, NULL,
	    "the largest vmap and the first size that fails, not SIZE" },
	OPT_FORMAT,
	OPT_END
};

const struct cmd_entry cmd_probe_entry = {
	.name = "probe",
	.operands = "TRACE [SIZE [PA]]",
	.minargs = 1,
	.maxargs = 3,
	.help = "where vmap(PA, SIZE) would land after event N, or why not",
	.options = options,
	.exec = cmd_probe_exec,
};

/* A page-aligned pa that is not 4 MiB-aligned: every page gets a PTE. */
#define DEFAULTPA	0x1000u

/* What one policy answers. */
struct answer {
	struct replay	*rp;		/* the state after event N */
	struct probe	 pr;		/* SIZE, or the first that fails */
	uint32_t	 largest;	/* --sizes: pages */
};

/* A policy's pass: its replay, and its live mappings with their ids. */
struct probing {
	struct replaysink	 rs;		/* up to event N */
	struct livemap		 lm;
};

static void
probe_ran(void *arg, struct trace *t, const struct event *e,
    struct result *res)
{
	struct probing *pg;

	pg = arg;
	livemap_step(&pg->lm, t, pg->rs.seen - 1, e, &res[0]);
}

/* Forget every event (a machine that came late: they come again). */
static void
probe_forget(void *arg)
{
	struct probing *pg;

	pg = arg;
	livemap_free(&pg->lm);
	livemap_init(&pg->lm);
}

/* "ok at 0xe0c00000: why", or "fail: why". */
static void
answertext(char *buf, size_t len, const struct answer *an)
{
	replay_answer(buf, len, an->rp, &an->pr.ev, &an->pr.r, an->rp->pos);
}

/* The width of the policies' names, for the text's column. */
static int
namewidth(const Policy *const *p, int n)
{
	int j, w;

	for (w = 0, j = 0; j < n; j++)
		if ((int)strlen(p[j]->name) > w)
			w = strlen(p[j]->name);
	return w;
}

static void
probetexthead(FILE *f, const struct trace *t, const struct answer *an,
    size_t at, int sizes)
{
	char b[24];

	fprintf(f, "trace %s after event %zu of %zu, kernel %s, pse %s\n",
	    trace_name(t), at, t->nev, kernelnames[an->rp->m.kernel],
	    an->rp->m.pse ? "on" : "off");
	if (!sizes)
		fprintf(f, "vmap(0x%.8llx, %s):\n",
		    (unsigned long long)an->pr.ev.pa,
		    fmtbytes(b, sizeof b, an->pr.ev.size));
	else
		fprintf(f, "the largest vmap, and the first size that fails "
		    "(pa 0x%.8llx):\n", (unsigned long long)an->pr.ev.pa);
}

static void
probetextline(FILE *f, const struct answer *an, int w, int sizes)
{
	char line[640], b[24], c[24];
	const char *name;

	name = policyat(an->rp->pidx)->name;
	answertext(line, sizeof line, an);
	if (!sizes || an->pr.r.kind == Rnotrun)
		fprintf(f, "  %-*s  %s\n", w, name, line);
	else
		fprintf(f, "  %-*s  largest %s; %s %s\n", w, name, an->largest ?
		    fmtbytes(b, sizeof b, (uint64_t)an->largest * BY2PG) :
		    "none", fmtbytes(c, sizeof c, an->pr.ev.size), line);
}

static int
probeyamlhead(struct emitter *em, const struct trace *t,
    const struct answer *an, size_t at, int sizes)
{
	if (emit_start(em) < 0 || emitmap(em, 0) < 0 ||
	    emitkv(em, "vmapprobe", "1") < 0 ||
	    emitkv(em, "trace", trace_name(t)) < 0 ||
	    emitnum(em, "after", at) < 0 ||
	    emitkv(em, "kernel", kernelnames[an->rp->m.kernel]) < 0 ||
	    emitkv(em, "pse", an->rp->m.pse ? "true" : "false") < 0 ||
	    emithex(em, "pa", an->pr.ev.pa) < 0 ||
	    (!sizes && emitnum(em, "size", an->pr.ev.size) < 0) ||
	    emitstr(em, "policies") < 0 || emitmap(em, 0) < 0)
		return -1;
	return 0;
}

static int
probeyamlpolicy(struct emitter *em, const struct answer *an, int sizes)
{
	const struct probe *pr;

	pr = &an->pr;
	if (emitstr(em, policyat(an->rp->pidx)->name) < 0 ||
	    emitmap(em, 0) < 0)
		return -1;
	if (sizes && (emitnum(em, "largest", (unsigned long long)
	    an->largest * BY2PG) < 0 ||
	    emitnum(em, "first-failing-size", pr->ev.size) < 0))
		return -1;
	if (emitkv(em, "result", resultnames[pr->r.kind]) < 0 ||
	    (pr->r.kind == Rok && emithex(em, "va", pr->r.va) < 0) ||
	    (RSTOPS(pr->r.kind) && emithex(em, "vmapalloc",
	    pr->panic.allocva) < 0) ||
	    report_emitreason(em, an->rp, &pr->ev, &pr->r, an->rp->pos) < 0 ||
	    emitend(em) < 0)
		return -1;
	return 0;
}

/*
 * The answer of policy p at the state its pass reached: where vmap(pa,
 * size) lands, or with sizes, the largest vmap and the first size that
 * fails, asked in its stead.  What the pass no longer needs (the table
 * of what each id made, the reader's buckets) is freed first, so that
 * the copy the vmap is run on takes their room.
 */
static void
answer(struct answer *an, struct probing *pg, const Policy *p,
    const struct trace *t, int sizes, uint64_t pa, uint64_t size)
{
	an->rp = &pg->rs.rp[0];
	madetab_free(&pg->rs.made[0]);
	an->rp->made = NULL;
	livemap_settle(&pg->lm);
	/* the reader is done: the owners from the live set */
	an->rp->t = t;
	an->rp->owner = livemap_owner;
	an->rp->ownerarg = &pg->lm;
	if (sizes) {
		an->largest = largestvmap(&an->rp->m, p);
		size = (uint64_t)firstmisfit(&an->rp->m) * BY2PG;
		if (size > INT32_MAX)
			size = INT32_MAX & ~(BY2PG - 1);
	}
	replay_probe(an->rp, pa, size, &an->pr);
}

/* Operand i as a number in [lo, hi], K/M/G allowed with suffix. */
static int
operand(struct args *a, int i, const char *what, int suffix, uint64_t lo,
    uint64_t hi, uint64_t *v)
{
	if (trace_parsenum(a->argv[i], suffix ? SUFFIXANY : 0, v) < 0 ||
	    *v < lo || *v > hi)
		return cmd_usageerr(a, "%s '%.40s' is not a number from %llu "
		    "to %llu%s", what, a->argv[i], (unsigned long long)lo,
		    (unsigned long long)hi, suffix ? " (K, M, G allowed, in "
		    "either case)" : "");
	return 0;
}

static int
cmd_probe_exec(struct args *a)
{
	const struct argvalue *v, *atv;
	struct emitter *em;
	struct tracesink sk;
	struct probing pg;
	struct answer an;
	struct trace t, whole, *tp;
	struct machine m0;
	size_t nev0;
	char buf[1024], err[512];
	const Policy *p[MAXPOLICY];
	const char *path;
	struct replayopts ro;
	uint64_t size, pa;
	size_t at, olen;
	char *obuf;
	FILE *out;
	int i, n, w, sizes, yaml, reread, rv;

	sizes = args_has(a, Osizes);
	if (sizes && a->argc > 1)
		return cmd_usageerr(a, "--sizes takes the trace alone");
	if (!sizes && a->argc < 2)
		return cmd_usageerr(a, "which SIZE? (or --sizes)");
	size = 0;
	pa = DEFAULTPA;
	if (a->argc > 1 && operand(a, 1, "SIZE", 1, 1, INT32_MAX, &size) != 0)
		return EXITUSAGE;
	if (a->argc > 2 && operand(a, 2, "PA", 0, 0, UINT32_MAX, &pa) != 0)
		return EXITUSAGE;
	v = args_get(a, Opolicy);
	for (n = 0; n < v->npol; n++)
		p[n] = v->pol[n];
	if (n == 0)
		for (n = 0; n < npolicy(); n++)
			p[n] = policyat(n);
	w = namewidth(p, n);
	yaml = args_get(a, Oformat)->val;
	args_replayopts(a, &ro);
	ro.stream = 1;
	atv = args_get(a, Oat);
	path = args_trace(a, 0, buf, sizeof buf);
	/* read once, and kept, when it cannot be read again */
	reread = trace_rereadable(path);
	trace_init(&whole);
	if (!reread && trace_load(&whole, path, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return EXITUSAGE;
	}
	/* the answer made whole before any of it is written */
	obuf = NULL;
	olen = 0;
	if ((out = open_memstream(&obuf, &olen)) == NULL)
		fatal("out of memory");
	em = NULL;
	rv = EXITOK;
#ifdef __GLIBC__
	/*
	 * Each pass's large arrays mapped on their own, as the first's
	 * were: glibc would raise the bar once they are freed, and then
	 * grow the next pass's in the heap, leaving its old copies there.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	for (i = 0; i < n && rv == EXITOK; i++) {
		memset(&pg, 0, sizeof pg);
		livemap_init(&pg.lm);
		replaysink_init(&pg.rs, &p[i], 1, &ro, &sk);
		pg.rs.upto = atv->set ? atv->num : SIZE_MAX;
		pg.rs.ran = probe_ran;
		pg.rs.forget = probe_forget;
		pg.rs.arg = &pg;
		/* on the reader's thread: the live map holds slots of its table */
		sk.light = 1;
		trace_init(&t);
		tp = reread ? &t : &whole;
		if (!reread)
			relay_give(&whole, &sk);
		else if (relay_run(&t, path, &sk, err, sizeof err) < 0) {
			fprintf(stderr, "%s\n", err);
			rv = EXITUSAGE;
		}
		if (rv == EXITOK && i == 0) {
			nev0 = tp->nev;
			m0 = tp->machine;
			if (atv->set && atv->num > tp->nev) {
				fprintf(stderr, "%s: --at %s: %s has %zu events\n",
				    progname, atv->str, a->argv[0], tp->nev);
				rv = EXITUSAGE;
			}
		} else if (rv == EXITOK && (tp->nev != nev0 ||
		    memcmp(&tp->machine, &m0, sizeof m0) != 0)) {
			/* read again for this policy: not what it was */
			fprintf(stderr, "%s: %s: changed while it was read\n",
			    progname, tp->file);
			rv = EXITUSAGE;
		}
		if (rv == EXITOK) {
			at = pg.rs.seen < pg.rs.upto ? pg.rs.seen : pg.rs.upto;
			answer(&an, &pg, p[i], tp, sizes, pa, size);
			if (yaml) {
				if (i == 0 && ((em = emit_open(out)) == NULL ||
				    probeyamlhead(em, tp, &an, at, sizes) < 0))
					rv = -1;
				if (rv == EXITOK && probeyamlpolicy(em, &an,
				    sizes) < 0)
					rv = -1;
			} else {
				if (i == 0)
					probetexthead(out, tp, &an, at, sizes);
				probetextline(out, &an, w, sizes);
			}
		}
		replaysink_free(&pg.rs);
		livemap_free(&pg.lm);
		trace_free(&t);
	}
	if (rv == EXITOK && yaml && (emitend(em) < 0 || emitend(em) < 0 ||
	    emit_finish(em) < 0))
		rv = -1;
	if (em != NULL)
		emit_close(em);
	if (fclose(out) != 0)
		fatal("out of memory");
	if (rv < 0) {
		fprintf(stderr, "%s: writing the answer failed\n", progname);
		rv = EXITOK;
	} else if (rv == EXITOK)
		fwrite(obuf, 1, olen, stdout);
	free(obuf);
	trace_free(&whole);
	if (rv != EXITOK)
		return rv;
	return cmd_finish(EXITOK);
}
