/*
 * vmapview probe: what a vmap would do now.  The trace is replayed to
 * event N under each policy as it is read (the rest only counted, as
 * dump does: memory follows the live mappings), and vmap(PA, SIZE) is
 * run on a copy of each state: where it would land, or why it would
 * fail, be refused or panic.  With --sizes, per policy, the largest
 * vmap that would succeed and the first size that would not, with its
 * reason.
 */
#include <stdio.h>
#include <string.h>

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
	struct livemap	 lm;		/* the live mappings, with their ids */
	struct probe	 pr;		/* SIZE, or the first that fails */
	uint32_t	 largest;	/* --sizes: pages */
};

/* What probe adds to the replay sink: the live mappings, by policy. */
struct probing {
	struct replaysink	 rs;		/* up to event N */
	struct answer		*an;
	struct wasset		 was;		/* what the live vmaps were */
};

/*
 * Policy i's live map begun: with others, what each vmap was is kept
 * once for all of them.
 */
static void
answerinit(struct probing *pg, int i)
{
	livemap_init(&pg->an[i].lm);
	if (pg->rs.n > 1)
		livemap_share(&pg->an[i].lm, &pg->was);
}

static void
probe_ran(void *arg, struct trace *t, const struct event *e,
    struct result *res)
{
	struct probing *pg;
	int i;

	pg = arg;
	for (i = 0; i < pg->rs.n; i++)
		livemap_step(&pg->an[i].lm, t, pg->rs.seen - 1, e, &res[i]);
}

/* Forget every event (a machine that came late: they come again). */
static void
probe_forget(void *arg)
{
	struct probing *pg;
	int i;

	pg = arg;
	for (i = 0; i < pg->rs.n; i++)
		livemap_free(&pg->an[i].lm);
	wasset_free(&pg->was);
	for (i = 0; i < pg->rs.n; i++)
		answerinit(pg, i);
}

/* "ok at 0xe0c00000: why", or "fail: why". */
static void
answertext(char *buf, size_t len, const struct answer *an)
{
	replay_answer(buf, len, an->rp, &an->pr.ev, &an->pr.r, an->rp->pos);
}

static void
probetext(FILE *f, const struct trace *t, struct answer *an, int n,
    size_t at, int sizes)
{
	char line[640], b[24], c[24];
	int j, w;

	fprintf(f, "trace %s after event %zu of %zu, kernel %s, pse %s\n",
	    trace_name(t), at, t->nev, kernelnames[an[0].rp->m.kernel],
	    an[0].rp->m.pse ? "on" : "off");
	if (!sizes)
		fprintf(f, "vmap(0x%.8llx, %s):\n",
		    (unsigned long long)an[0].pr.ev.pa,
		    fmtbytes(b, sizeof b, an[0].pr.ev.size));
	else
		fprintf(f, "the largest vmap, and the first size that fails "
		    "(pa 0x%.8llx):\n", (unsigned long long)an[0].pr.ev.pa);
	for (w = 0, j = 0; j < n; j++)
		if ((int)strlen(policyat(an[j].rp->pidx)->name) > w)
			w = strlen(policyat(an[j].rp->pidx)->name);
	for (j = 0; j < n; j++) {
		answertext(line, sizeof line, &an[j]);
		if (!sizes || an[j].pr.r.kind == Rnotrun)
			fprintf(f, "  %-*s  %s\n", w,
			    policyat(an[j].rp->pidx)->name, line);
		else
			fprintf(f, "  %-*s  largest %s; %s %s\n", w,
			    policyat(an[j].rp->pidx)->name, an[j].largest ?
			    fmtbytes(b, sizeof b, (uint64_t)an[j].largest *
			    BY2PG) : "none", fmtbytes(c, sizeof c,
			    an[j].pr.ev.size), line);
	}
}

static int
probeyaml(FILE *f, const struct trace *t, struct answer *an, int n,
    size_t at, int sizes)
{
	struct emitter *em;
	const struct probe *pr;
	int j, rv;

	if ((em = emit_open(f)) == NULL)
		return -1;
	rv = -1;
	if (emit_start(em) < 0 || emitmap(em, 0) < 0 ||
	    emitkv(em, "vmapprobe", "1") < 0 ||
	    emitkv(em, "trace", trace_name(t)) < 0 ||
	    emitnum(em, "after", at) < 0 ||
	    emitkv(em, "kernel", kernelnames[an[0].rp->m.kernel]) < 0 ||
	    emitkv(em, "pse", an[0].rp->m.pse ? "true" : "false") < 0 ||
	    emithex(em, "pa", an[0].pr.ev.pa) < 0 ||
	    (!sizes && emitnum(em, "size", an[0].pr.ev.size) < 0) ||
	    emitstr(em, "policies") < 0 || emitmap(em, 0) < 0)
		goto out;
	for (j = 0; j < n; j++) {
		pr = &an[j].pr;
		if (emitstr(em, policyat(an[j].rp->pidx)->name) < 0 ||
		    emitmap(em, 0) < 0)
			goto out;
		if (sizes && (emitnum(em, "largest", (unsigned long long)
		    an[j].largest * BY2PG) < 0 ||
		    emitnum(em, "first-failing-size", pr->ev.size) < 0))
			goto out;
		if (emitkv(em, "result", resultnames[pr->r.kind]) < 0 ||
		    (pr->r.kind == Rok && emithex(em, "va", pr->r.va) < 0) ||
		    (RSTOPS(pr->r.kind) && emithex(em, "vmapalloc",
		    pr->panic.allocva) < 0) ||
		    report_emitreason(em, an[j].rp, &pr->ev, &pr->r,
		    an[j].rp->pos) < 0 || emitend(em) < 0)
			goto out;
	}
	if (emitend(em) < 0 || emitend(em) < 0 || emit_finish(em) < 0)
		goto out;
	rv = 0;
out:
	emit_close(em);
	return rv;
}

/*
 * Each of the n answers asked at the state reached: where vmap(pa,
 * size) lands, or with sizes, the largest vmap and the first size
 * that fails, asked in its stead.
 */
static void
answerall(struct answer *an, const Policy *const *p, int n,
    const struct trace *t, int sizes, uint64_t pa, uint64_t size)
{
	int i;

	for (i = 0; i < n; i++) {
		/* the reader is done: the owners from the live set */
		an[i].rp->t = t;
		an[i].rp->owner = livemap_owner;
		an[i].rp->ownerarg = &an[i].lm;
		if (sizes) {
			an[i].largest = largestvmap(&an[i].rp->m, p[i]);
			size = (uint64_t)firstmisfit(&an[i].rp->m) * BY2PG;
			if (size > INT32_MAX)
				size = INT32_MAX & ~(BY2PG - 1);
		}
		replay_probe(an[i].rp, pa, size, &an[i].pr);
	}
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
	static struct answer an[MAXPOLICY];
	const struct argvalue *v, *atv;
	struct tracesink sk;
	struct probing pg;
	char buf[1024], err[512];
	const Policy *p[MAXPOLICY];
	struct replayopts ro;
	struct trace t;
	uint64_t size, pa;
	size_t at;
	int i, n, sizes, rv;

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
	args_replayopts(a, &ro);
	ro.stream = 1;
	memset(&pg, 0, sizeof pg);
	replaysink_init(&pg.rs, p, n, &ro, &sk);
	pg.an = an;
	for (i = 0; i < n; i++) {
		an[i].rp = &pg.rs.rp[i];
		answerinit(&pg, i);
	}
	atv = args_get(a, Oat);
	pg.rs.upto = atv->set ? atv->num : SIZE_MAX;
	pg.rs.ran = probe_ran;
	pg.rs.forget = probe_forget;
	pg.rs.arg = &pg;
	/* on the reader's thread: the live maps hold slots of its table */
	sk.light = 1;
	if (relay_run(&t, args_trace(a, 0, buf, sizeof buf), &sk, err,
	    sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		probe_forget(&pg);
		return EXITUSAGE;
	}
	if (atv->set && atv->num > t.nev) {
		fprintf(stderr, "%s: --at %s: %s has %zu events\n", progname,
		    atv->str, a->argv[0], t.nev);
		replaysink_free(&pg.rs);
		probe_forget(&pg);
		trace_free(&t);
		return EXITUSAGE;
	}
	at = pg.rs.seen < pg.rs.upto ? pg.rs.seen : pg.rs.upto;
	answerall(an, p, n, &t, sizes, pa, size);
	if (args_get(a, Oformat)->val)
		rv = probeyaml(stdout, &t, an, n, at, sizes);
	else {
		probetext(stdout, &t, an, n, at, sizes);
		rv = 0;
	}
	if (rv < 0)
		fprintf(stderr, "%s: writing the answer failed\n", progname);
	replaysink_free(&pg.rs);
	probe_forget(&pg);
	trace_free(&t);
	return cmd_finish(EXITOK);
}
