/*
 * What a replay says of its results, in words: a panic's message as the
 * kernel prints it, what a kernel file printed, whose page was in the
 * way, why a result is what it is (replay_why), and a probe's answer.
 * Every reason is made from the state, by the model's own reasons
 * (why.c); the replay engine is replay.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idtab.h"
#include "replay.h"
#include "text.h"
#include "vamap.h"
#include "xmalloc.h"

/*
 * The message of result r's panic, as the replay's kernel prints it, in
 * buf; "" when r did not panic.  Returns buf.
 */
char *
replay_panicmsg(char *buf, size_t len, const struct replay *rp,
    const struct result *r)
{
	if (r->panic == NULL) {
		buf[0] = '\0';
		return buf;
	}
	return panicfmt(buf, len, r->panic, rp->m.kernel);
}

/*
 * What the kernel printed for event e's result r, as data: a kernel
 * file's own words (its refusal's print), or, for a built-in policy,
 * the line its kernel prints when it refuses (Bell Labs' "vmap pa=0",
 * 9front's "vmap pa=... size=..."), without the caller's pc.  "" when
 * it printed nothing.  Into buf; returns buf.
 */
char *
replay_printed(char *buf, size_t len, const struct event *e,
    const struct result *r)
{
	buf[0] = '\0';
	if (r->kind != Rrefused || r->why == NULL)
		return buf;
	switch (r->why->code) {
	case RSsaid:
		snprintf(buf, len, "%s", saidtext(r->why->n[0]));
		break;
	case RSpage0:
		snprintf(buf, len, "vmap pa=0");
		break;
	case RSlowpa:
	case RSnosize:
	case RSpast4g:
	case RSpawide:
	case RStoobig:
		snprintf(buf, len, "vmap pa=%llx size=%lld",
		    (unsigned long long)e->pa, (long long)(int32_t)e->size);
		break;
	}
	return buf;
}

/*
 * What the kernel printed during the event now running (rp->pos, its
 * number, stands for the time): each line of text as the console has
 * it, "[N] LINE", its bytes made text.  The Mmu's print hook.
 */
void
replay_consoleprint(void *arg, const char *text)
{
	struct replay *rp;
	const char *p;
	char *line;
	size_t n;

	rp = arg;
	for (p = text; *p != '\0'; p += n + (p[n] == '\n')) {
		n = strcspn(p, "\n");
		if (n == 0)
			continue;
		line = text_cleann(p, n, 0);
		fprintf(rp->console, "[%zu] %s\n", rp->pos, line);
		free(line);
	}
}

/* Forget what a console has (its events come again: a late machine). */
void
replay_consoleforget(FILE *f)
{
	fflush(f);
	rewind(f);
	if (ftruncate(fileno(f), 0) < 0)
		clearerr(f);
}

/*
 * What a built-in kernel prints for event e's result r (its refusals'
 * lines), and a panic as the console shows it, after the event ran.  A
 * kernel file's own prints went through the hook as it ran them.
 */
void
replay_consoleafter(struct replay *rp, const struct event *e,
    const struct result *r)
{
	char buf[PANICLEN + 64];

	if (r->kind == Rrefused && r->why != NULL && r->why->code != RSsaid &&
	    replay_printed(buf, sizeof buf, e, r)[0] != '\0')
		replay_consoleprint(rp, buf);
	if (r->panic != NULL && r->kind == Rpanic) {
		snprintf(buf, sizeof buf, "panic: ");
		replay_panicmsg(buf + 7, sizeof buf - 7, rp, r);
		replay_consoleprint(rp, buf);
	}
}

/*
 * The kernel rp's policy runs: a kernel file's own (its signatures say
 * which, whatever the trace's machine says), else the machine's.
 */
int
replay_kernel(const struct replay *rp)
{
	int k;

	k = policyat(rp->pidx)->ownkernel;
	return k > 0 ? k - 1 : rp->m.kernel;
}

/* Free what result r holds of its own: its panic and its reason. */
void
replay_clear(struct result *r)
{
	free(r->panic);
	free(r->why);
	r->panic = NULL;
	r->why = NULL;
}

/*
 * Why panic p happened, for the event e of rp (index i; results before
 * it, when kept, name the mapping in the way).  Into buf, after its
 * message.
 */
/*
 * Of the vmaps live in mt after the first upto events, the first made
 * that covers va, as replay_live would order them: its event and id.
 * Each slot's vmap is the reader's record, or in a loaded trace the
 * last vmap of that slot before upto.  Returns 0 when there is none.
 */
static int
madeowner(const struct replay *rp, const struct madetab *mt, size_t upto,
    uint32_t va, size_t *seq, const char **id)
{
	const struct idrec *r;
	const struct event *e;
	uint32_t base;
	size_t sl, n, best, *at;

	n = mt->nc * MADECHUNK;
	at = NULL;
	if (rp->t->ids == NULL && rp->t->ev == NULL)
		return 0;	/* neither records nor events: the stream is over */
	if (rp->t->ids == NULL) {
		/* loaded: each slot's last vmap, looking back */
		at = xcalloc(n ? n : 1, sizeof *at);
		for (sl = upto; sl-- > 0;) {
			e = &rp->t->ev[sl];
			if (e->op == OPvmap && e->slot >= 0 &&
			    (size_t)e->slot < n && at[e->slot] == 0)
				at[e->slot] = sl + 1;
		}
	}
	best = 0;
	for (sl = 0; sl < n; sl++) {
		if (!(madetab_st(mt, sl) & MADELIVE))
			continue;
		base = madetab_va(mt, sl) & ~(BY2PG - 1);
		if (va < base)
			continue;
		if ((r = replay_slotrec(rp, sl)) != NULL) {
			if (va - base < ROUND(r->size + (madetab_va(mt, sl) - base),
			    BY2PG) && (best == 0 || r->seq < best)) {
				best = r->seq;
				*id = idrec_key(r);
			}
		} else if (at[sl] != 0) {
			e = &rp->t->ev[at[sl] - 1];
			if (va - base < ROUND(e->size + (madetab_va(mt, sl) - base),
			    BY2PG) && (best == 0 || at[sl] < best)) {
				best = at[sl];
				*id = e->id;
			}
		}
	}
	free(at);
	*seq = best;
	return best != 0;
}

/*
 * The live mapping before event index upto whose pages cover va: its
 * event (1-based) and id (nil if none), from the results kept or,
 * streamed, from the vmaps of the live ids.  Returns 0 when there is
 * none, or it cannot be known.
 */
static int
ownerof(const struct replay *rp, size_t upto, uint32_t va, size_t *seq,
    const char **id)
{
	long k;

	*id = NULL;
	if (rp->owner != NULL)
		return rp->owner(rp->ownerarg, upto, va, seq, id);
	if (rp->r != NULL) {
		if ((k = replay_owner(rp, upto, va)) < 0)
			return 0;
		*seq = k + 1;
		*id = rp->t->ev[k].id;
		return 1;
	}
	if (rp->made == NULL)
		return 0;
	return madeowner(rp, rp->made, upto, va, seq, id);
}

/*
 * A kernel file's panic: what, before the call, stood in its way (the
 * page in use, and whose; the PDE or PTE not mapped), appended to buf.
 */
static void
inwaywhy(char *buf, size_t len, const struct replay *rp, const Panic *p,
    size_t i)
{
	const char *id;
	size_t n, seq;

	n = strlen(buf);
	switch (p->cause) {
	case PCinuse4m:
		if (p->allocva == 0) {
			/* a vunmap: every page mapped, this one a 4M page */
			snprintf(buf + n, len - n, "; before the call, every page "
			    "of the range was mapped, 0x%.8x a 4M page (PDE %u)",
			    p->va, PDX(p->va));
			break;
		}
		/* FALLTHROUGH */
	case PCinuse:
		n += snprintf(buf + n, len - n, "; before the call, the %s 0x%.8x "
		    "was in use", p->cause == PCinuse4m ? "4M page at" :
		    "page at", p->va);
		if (n < len && ownerof(rp, i, p->va, &seq, &id))
			snprintf(buf + n, len - n, " by %s (event %zu)",
			    id ? id : "a mapping", seq);
		break;
	case PCblankpde:
		snprintf(buf + n, len - n, "; before the call, the PDE for "
		    "0x%.8x was blank", p->va);
		break;
	case PCfreepte:
		snprintf(buf + n, len - n, "; before the call, the PTE for "
		    "0x%.8x was not mapped", p->va);
		break;
	}
}

/*
 * A vmap's panic where its own pdbmap found a page in use (PNvmappde,
 * PNvmappte): what vmapalloc returned, the page, whose it was, and the
 * policy's bug where it has one; after the n bytes in buf.
 */
static void
inusewhy(char *buf, size_t len, size_t n, const struct replay *rp,
    const Panic *p, const Reason *w, size_t i)
{
	const char *id;
	size_t seq;

	n += snprintf(buf + n, len - n, ": vmapalloc returned 0x%.8x for "
	    "PDE%s %u", p->allocva, w->n[0] == w->n[1] ? "" : "s", w->n[0]);
	if (n < len && w->n[1] != w->n[0])
		n += snprintf(buf + n, len - n, "-%u", w->n[1]);
	if (n < len)
		n += snprintf(buf + n, len - n, "; %s 0x%.8x is in use",
		    p->kind == PNvmappde ? "the 4M page at" : "the page at",
		    p->va);
	if (n < len && ownerof(rp, i, p->va, &seq, &id))
		n += snprintf(buf + n, len - n, " by %s (event %zu)",
		    id ? id : "a mapping", seq);
	if (n < len && p->kind == PNvmappte && w->n[2] < WD2PG &&
	    w->n[2] > PTX(p->va))
		n += snprintf(buf + n, len - n, ", and the hole in that "
		    "table starts at PTE %u", w->n[2]);
	if (n < len && policyat(rp->pidx)->mapbug != NULL)
		snprintf(buf + n, len - n, ": %s", policyat(rp->pidx)->mapbug);
}

/* Why result r, a panic, is one: after what buf holds, in words. */
static void
panicwhy(char *buf, size_t len, const struct replay *rp,
    const struct event *e, const struct result *r, size_t i)
{
	const Panic *p;
	const Reason *w;
	size_t n;

	p = r->panic;
	w = r->why;
	n = strlen(buf);
	switch (p->kind) {
	case PNvmappde:
	case PNvmappte:
		inusewhy(buf, len, n, rp, p, w, i);
		break;
	case PNxspan:
		snprintf(buf + n, len - n, ": no page-table page left for 0x%.8x: "
		    "all %u of ptpages are in use", p->va, rp->m.pt.budget);
		break;
	case PNrange:
		if (p->cause == PCnegative)
			snprintf(buf + n, len - n, ": the size rounds past "
			    "2^31-1 and is negative as an int");
		else if (p->cause == PCbelow)
			snprintf(buf + n, len - n, ": 0x%.8x is below VMAP "
			    "(0x%.8x)", p->va, rp->m.vmap);
		else if (p->cause == PCwrapped)
			snprintf(buf + n, len - n, ": the vmap ends at 2^32, so "
			    "VMAP+VMAPSIZE is 0 in 32 bits and every range is "
			    "past it");
		else
			snprintf(buf + n, len - n, ": the range ends past "
			    "VMAP+VMAPSIZE (0x%.8x)", rp->m.vmap + rp->m.vmapsize);
		break;
	case PNnotmapped:
		if (p->cause == PCcleared4m)
			snprintf(buf + n, len - n, ": 0x%.8x is a 4M page: Bell "
			    "Labs' pdbunmap clears it, then rounds va up to a 4M "
			    "boundary, which an aligned va already is, so the next "
			    "turn finds the PDE blank", p->va);
		else
			snprintf(buf + n, len - n, ": the %s for 0x%.8x %s",
			    p->cause == PCblankpde ? "PDE" : "PTE", p->va,
			    p->cause == PCblankpde ? "is blank" : "is not mapped");
		break;
	case PNmisaligned:
		snprintf(buf + n, len - n, ": 9front unmaps a 4M page only from "
		    "its start");
		break;
	case PNsaid:
		if (p->allocva != 0 && w != NULL && w->code == RSpanic)
			snprintf(buf + n, len - n, ": its vmapalloc returned 0x%.8x "
			    "for PDEs %u-%u%s", p->allocva, w->n[0], w->n[1],
			    w->n[0] < PDX(rp->m.vmap) || w->n[1] > PDX(rp->m.vmap +
			    rp->m.vmapsize - 1) ? ", outside the vmap's" : "");
		if (p->allocva != 0 && w != NULL && w->code == RSpanic &&
		    (w->n[0] < PDX(rp->m.vmap) || w->n[1] > PDX(rp->m.vmap +
		    rp->m.vmapsize - 1)))
			snprintf(buf + strlen(buf), len - strlen(buf), " (%u-%u)",
			    PDX(rp->m.vmap), PDX(rp->m.vmap + rp->m.vmapsize - 1));
		inwaywhy(buf, len, rp, p, i);
		break;
	}
	(void)e;
}

/*
 * Why event e (index i of the trace) gave result r in rp, in words:
 * the model's reason (reasonfmt), with what the replay knows beside it
 * (the mapping in a panic's way, the vmap a skipped vunmap names, the
 * panic that stopped the kernel).  Into buf; returns buf.
 */
char *
replay_why(char *buf, size_t len, const struct replay *rp,
    const struct event *e, const struct result *r, size_t i)
{
	Reason rs;

	buf[0] = '\0';
	switch (r->kind) {
	case Rnotrun:
		snprintf(buf, len, "the kernel panicked at event %zu",
		    rp->firstpanic.seq);
		return buf;
	case Rskipped:
		if (e->ref >= 0)
			snprintf(buf, len, "its vmap (event %d) did not succeed",
			    e->ref + 1);
		else if (replay_slotrec(rp, e->slot) != NULL)
			/* streamed: the vmap of its slot */
			snprintf(buf, len, "its vmap (event %llu) did not succeed",
			    (unsigned long long)replay_slotrec(rp, e->slot)->seq);
		else
			snprintf(buf, len, "its vmap did not succeed");
		return buf;
	case Rpanic:
	case Rcrash:
	case Rhang:
		panicfmt(buf, len, r->panic, rp->m.kernel);
		panicwhy(buf, len, rp, e, r, i);
		return buf;
	case Rfail:
	case Rrefused:
		return reasonfmt(buf, len, r->why);
	}
	if (e->op == OPnote) {
		snprintf(buf, len, "a note: the kernel is not called");
		return buf;
	}
	replay_reason(rp, e, r, &rs);
	return reasonfmt(buf, len, &rs);
}

/*
 * What vmap(pa, size) would do to the state rp has reached, run on a
 * copy of its machine: pr->r is the result, as an appended event would
 * have it (its why and panic point into pr, which must stay where it
 * is), pr->ev that event.  rp is left as it was.  A kernel that has
 * panicked runs nothing, unless rp keeps going.
 */
void
replay_probe(const struct replay *rp, uint32_t pa, uint32_t size,
    struct probe *pr)
{
	struct replay tmp;

	memset(pr, 0, sizeof *pr);
	pr->ev.op = OPvmap;
	pr->ev.pa = pa;
	pr->ev.size = size;
	pr->ev.ref = -1;
	pr->ev.slot = -1;
	if (rp->panicked && (!rp->keepgoing || rp->dead)) {
		pr->r.kind = Rnotrun;
		return;
	}
	tmp = *rp;
	mmucopy(&tmp.m, &rp->m);
	tmp.m.panicked = 0;
	pr->r.kind = replay_runevent(&tmp, &pr->ev, &pr->r, NULL, 0);
	pr->why = tmp.m.why;
	pr->panic = tmp.m.panic;
	if (RSTOPS(pr->r.kind))
		pr->r.panic = &pr->panic;
	if (pr->r.kind == Rfail || pr->r.kind == Rrefused ||
	    RSTOPS(pr->r.kind))
		pr->r.why = &pr->why;
	mmufree(&tmp.m);
}

/*
 * Result r of event e (index i) with its reason, as one phrase: "ok at
 * 0xe0c00000: a run of ...", "fail: needs ...", "panic: vmap: ...".
 * Into buf; returns buf.
 */
char *
replay_answer(char *buf, size_t len, const struct replay *rp,
    const struct event *e, const struct result *r, size_t i)
{
	char why[480];
	int n;

	n = snprintf(buf, len, "%s", resultnames[r->kind]);
	if (n > 0 && (size_t)n < len && r->kind == Rok && e->op == OPvmap)
		n += snprintf(buf + n, len - n, " at 0x%.8x", r->va);
	if (n > 0 && (size_t)n < len)
		snprintf(buf + n, len - n, ": %s", replay_why(why, sizeof why,
		    rp, e, r, i));
	return buf;
}

/*
 * The model's reason for result r of event e: the one kept, or, for an
 * ok result, the numbers of its step made again from where it went.
 */
void
replay_reason(const struct replay *rp, const struct event *e,
    const struct result *r, Reason *rs)
{
	uint32_t o, size;

	if (r->why != NULL) {
		*rs = *r->why;
		return;
	}
	*rs = (Reason){ r->step, { 0 } };
	if (r->kind != Rok || e->op == OPnote)
		return;
	o = r->va & (BY2PG - 1);
	if (e->op == OPvunmap) {
		size = replay_unmapsize(r);
		*rs = (Reason){ RSunmapped, { size / BY2PG, PDX(r->va - o),
		    PDX(r->va - o + (size ? size - 1 : 0)) } };
		return;
	}
	placedreason(&rp->m, r->step, e->pa & ~(BY2PG - 1), r->va - o,
	    ROUND(e->size + o, BY2PG), rs);
}

