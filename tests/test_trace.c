/*
 * Tests of the trace reader that look inside the loaded trace: number
 * syntax, machine defaults and settings, expectations per policy, and
 * vunmap by id tied to the right vmap when ids are reused; the id
 * table against a plain list, its slots given again only after the lag,
 * and the records a sink reads while the trace streams, on one thread
 * and on two.  Error messages are tested from the command line by
 * errors.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idtab.h"
#include "keyhash.h"
#include "mmu.h"
#include "relay.h"
#include "text.h"
#include "replay.h"
#include "tap.h"
#include "corpus.h"
#include "trace.h"
#include "util.h"
#include "vamap.h"

static char path[] = "/tmp/vmapview-test-XXXXXX";

/* Load text as a trace; returns 0 or -1 with the message in err. */
static int
loadtext(struct trace *t, const char *text, char *err, size_t len)
{
	FILE *f;
	int fd;

	strcpy(path, "/tmp/vmapview-test-XXXXXX");
	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "w")) == NULL)
		return -1;
	fputs(text, f);
	fclose(f);
	fd = trace_load(t, path, err, len);
	unlink(path);
	return fd;
}

static void
test_numbers(void)
{
	uint64_t v;

	tap_ok(trace_parsenum("4096", 0, &v) == 0 && v == 4096, "decimal");
	tap_ok(trace_parsenum("0xFEE00000", 0, &v) == 0 && v == 0xFEE00000,
	    "hex, upper case");
	tap_ok(trace_parsenum("4K", 1, &v) == 0 && v == 4096, "K suffix");
	tap_ok(trace_parsenum("248M", 1, &v) == 0 && v == 248u << 20,
	    "M suffix");
	tap_ok(trace_parsenum("0x10M", 1, &v) == 0 && v == 16u << 20,
	    "hex with a suffix");
	tap_ok(trace_parsenum("1G", 1, &v) == 0 && v == 1u << 30, "G suffix");
	tap_ok(trace_parsenum("4K", 0, &v) < 0, "no suffix on an address");
	tap_ok(trace_parsenum("4k", 1, &v) < 0, "lower-case suffix refused");
	tap_ok(trace_parsenum("-1", 0, &v) < 0, "negative refused");
	tap_ok(trace_parsenum("0x", 0, &v) < 0, "bare 0x refused");
	tap_ok(trace_parsenum("K", 1, &v) < 0, "bare suffix refused");
	tap_ok(trace_parsenum("18446744073709551615", 0, &v) == 0 &&
	    v == UINT64_MAX, "2^64-1");
	tap_ok(trace_parsenum("18446744073709551616", 0, &v) < 0,
	    "2^64 overflows");
	tap_ok(trace_parsenum("17179869184G", 1, &v) < 0,
	    "suffix overflow");
}

static void
test_load(void)
{
	struct trace t;
	char err[256];
	int rv;

	rv = loadtext(&t,
	    "vmaptrace: 1\n"
	    "events:\n"
	    "  - {op: vmap, pa: 0xfee00000, size: 1K, id: a,"
	    " expect: {span: 0xe0000000, plan9: ok}}\n"
	    "  - {op: vunmap, id: a, t: 1.5}\n"
	    "  - {op: vmap, pa: 0x2000, size: 32M, id: a, expect: fail}\n"
	    "  - {op: note, text: hi, t: 2}\n"
	    "  - {op: vunmap, id: a, size: 4M}\n"
	    "  - {op: vunmap, va: 0xe0001000, size: 4096}\n",
	    err, sizeof err);
	tap_ok(rv == 0, "a small trace loads");
	if (rv != 0) {
		printf("# %s\n", err);
		return;
	}
	tap_equ(t.nev, 6, "six events");
	tap_equ(t.machine.vmap, 0xE0000000, "default vmap");
	tap_equ(t.machine.vmapsize, 248u << 20, "default vmapsize");
	tap_equ(t.machine.pse, 1, "pse on by default");
	tap_equ(t.machine.kernel, Klabs, "labs by default");
	tap_equ(t.ev[0].expect[policyindex(policyfind("span"))].kind, Xaddr,
	    "expect mapping: span an address");
	tap_equ(t.ev[0].expect[policyindex(policyfind("span"))].addr,
	    0xE0000000, "... that address");
	tap_equ(t.ev[0].expect[policyindex(policyfind("reclaim"))].kind,
	    Xnone, "... reclaim none");
	tap_equ(t.ev[2].expect[3].kind, Xfail, "expect scalar: every policy");
	tap_equ(t.ev[1].ref, 0, "first vunmap a -> event 1");
	tap_equ(t.ev[4].ref, 2, "second vunmap a -> event 3 (id reused)");
	tap_equ(t.ev[4].size, 4 << 20, "vunmap's own size");
	tap_equ(t.ev[5].ref, (unsigned long long)-1, "raw va: no ref");
	tap_ok(t.ev[3].text && strcmp(t.ev[3].text, "hi") == 0, "note text");
	tap_ok(t.ev[1].t == 1.5, "t read");
	trace_free(&t);

	rv = loadtext(&t,
	    "vmaptrace: 1\n"
	    "machine: {vmap: 0x40000000, vmapsize: 16M, pse: off,"
	    " kernel: 9front, ptpages: 3}\n"
	    "events: []\n", err, sizeof err);
	tap_ok(rv == 0, "machine settings load");
	if (rv == 0) {
		tap_equ(t.machine.vmap, 0x40000000, "machine.vmap");
		tap_equ(t.machine.vmapsize, 16u << 20, "machine.vmapsize");
		tap_equ(t.machine.pse, 0, "machine.pse off");
		tap_equ(t.machine.kernel, K9front, "machine.kernel");
		tap_equ(t.machine.ptpages, 3, "machine.ptpages");
		tap_equ(t.nev, 0, "no events");
		trace_free(&t);
	}
}

static void
test_replay(void)
{
	struct trace t;
	struct replay rp;
	char err[256], msg[PANICLEN];

	if (loadtext(&t,
	    "vmaptrace: 1\n"
	    "events:\n"
	    "  - {op: vmap, pa: 0xd0000000, size: 4M, id: fb, expect: ok}\n"
	    "  - {op: vunmap, id: fb, expect: ok}\n"
	    "  - {op: vmap, pa: 0, size: 4K, id: z, expect: refused}\n"
	    "  - {op: vunmap, id: z}\n"
	    "  - {op: vmap, pa: 0x1000, size: 4K, expect: 0xe0000000}\n",
	    err, sizeof err) < 0) {
		tap_ok(0, "replay trace loads");
		printf("# %s\n", err);
		return;
	}
	replay_init(&rp, &t, policyfind("plan9"), NULL);
	replay_run(&rp, t.nev);
	tap_equ(rp.r[1].kind, Rpanic, "labs: vunmap of a 4M page panics");
	tap_eqs(replay_panicmsg(msg, sizeof msg, &rp, &rp.r[1]),
	    "vunmap: not mapped", "... with its message");
	tap_equ(rp.r[1].panic->kind == PNnotmapped &&
	    rp.r[1].panic->cause == PCcleared4m, 1,
	    "... as data: the 4M PDE labs has just cleared");
	tap_equ(rp.r[1].exp, Efailed, "... against expect ok");
	tap_equ(rp.r[2].kind, Rnotrun, "after a panic: not-run");
	tap_equ(rp.r[4].exp, Eunchecked, "not-run expectations unchecked");
	tap_equ(replay_status(&rp), 1, "status 1");
	replay_free(&rp);

	{
		struct replayopts o = { .kernel = K9front, .pse = -1 };

		replay_init(&rp, &t, policyfind("plan9"), &o);
		replay_run(&rp, t.nev);
		tap_equ(rp.r[1].kind, Rok, "9front: clean");
		tap_equ(rp.r[2].kind, Rrefused, "pa 0 refused");
		tap_equ(rp.r[3].kind, Rskipped, "vunmap of a refused vmap: skipped");
		tap_equ(rp.r[4].va, 0xE0000000, "the PDE was freed of its 4M page");
		tap_equ(replay_status(&rp), 0, "status 0");
		replay_free(&rp);
	}
	{
		struct replayopts o = { .kernel = -1, .pse = -1, .keepgoing = 1 };

		replay_init(&rp, &t, policyfind("plan9"), &o);
		replay_run(&rp, t.nev);
		tap_equ(rp.r[2].kind, Rrefused, "keep going: runs on");
		tap_equ(rp.unexpectedpanics, 1, "keep going: one panic counted");
		replay_free(&rp);
	}
	trace_free(&t);
}

/* Read a whole file; caller frees.  nil on error. */
static char *
slurp(const char *file, size_t *len)
{
	FILE *f;
	char *buf;

	if ((f = fopen(file, "rb")) == NULL)
		return NULL;
	buf = malloc(1 << 20);
	*len = buf ? fread(buf, 1, 1 << 20, f) : 0;
	fclose(f);
	return buf;
}

/* Every bundled trace, written and read back, is the same trace. */
static void
test_roundtrip(void)
{
	struct corpus c;
	struct trace a, b;
	char out[64], out2[64], err[256], what[96], *x, *y;
	const char *name;
	size_t nx, ny;
	int same;

	corpus_open(&c);
	while (corpus_next(&c, &a, &name)) {
		snprintf(out, sizeof out, "/tmp/vmapview-rt-%d-1.yaml",
		    (int)getpid());
		snprintf(out2, sizeof out2, "/tmp/vmapview-rt-%d-2.yaml",
		    (int)getpid());
		same = trace_writefile(out, &a, err, sizeof err) == 0 &&
		    trace_load(&b, out, err, sizeof err) == 0;
		snprintf(what, sizeof what, "round trip %s: reads back",
		    name);
		tap_ok(same, what);
		if (!same) {
			trace_free(&a);
			continue;
		}
		same = trace_same(&a, &b);
		snprintf(what, sizeof what, "round trip %s: the same trace",
		    name);
		tap_ok(same, what);
		trace_writefile(out2, &b, err, sizeof err);
		x = slurp(out, &nx);
		y = slurp(out2, &ny);
		snprintf(what, sizeof what, "round trip %s: written twice, "
		    "the same bytes", name);
		tap_ok(x && y && nx == ny && memcmp(x, y, nx) == 0, what);
		free(x);
		free(y);
		unlink(out);
		unlink(out2);
		trace_free(&a);
		trace_free(&b);
	}
	corpus_close(&c);
}

/* A small generator of numbers, the same on every machine. */
static uint32_t
rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/*
 * The keyed hash: its rounds are SipHash's (the paper's 2-4 vectors for
 * key 00..0f and messages 00.., of lengths 0, 1, 2, 7, 8, 15 and 63),
 * and its 1-3 form differs from them.  (That a crafted trace no longer
 * lands in one bucket: tests/ids.sh, bench/adversarial.)
 */
static void
test_keyhash(void)
{
	static const struct {
		size_t		len;
		uint64_t	want;
	} v[] = {
		{ 0, 0x726fdb47dd0e0e31ull }, { 1, 0x74f839c593dc67fdull },
		{ 2, 0x0d6c8009d9a94f5aull }, { 3, 0x85676696d7fb7e2dull },
		{ 4, 0xcf2794e0277187b7ull }, { 5, 0x18765564cd99a68dull },
		{ 6, 0xcbc9466e58fee3ceull }, { 7, 0xab0200f58b01d137ull },
		{ 8, 0x93f5f5799a932462ull }, { 15, 0xa129ca6149be45e5ull },
		{ 63, 0x958a324ceb064572ull }
	};
	const uint64_t k0 = 0x0706050403020100ull, k1 = 0x0f0e0d0c0b0a0908ull;
	unsigned char msg[64];
	size_t i;
	int bad, same;

	for (i = 0; i < sizeof msg; i++)
		msg[i] = i;
	bad = same = 0;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		bad += siphash24(k0, k1, msg, v[i].len) != v[i].want;
		same += siphash13(k0, k1, msg, v[i].len) == v[i].want;
	}
	tap_equ(bad, 0, "keyhash: SipHash-2-4 gives the paper's vectors");
	tap_equ(same, 0, "keyhash: its 1-3 form is another function");
	tap_ok(keyhash("m1") != keyhash("m2") && keyhash("m1") == keyhash("m1"),
	    "keyhash: one id, one hash; two ids, two");
}

/*
 * The table against a list of live ids, in random adds and removes
 * with keys short and long (and of IDSHORT bytes, whose NUL is the
 * byte that says how the key is kept), copied and lent, the table
 * growing as it goes: each id found at its slot,
 * no slot given twice while live, the count, and each record's key.
 */
static void
test_idtab(void)
{
	enum { N = 3000 };
	static char keys[N][40];
	long slot[N];
	struct idtab tab;
	size_t at;
	uint32_t x;
	int i, k, had, bad, dup;
	long s;
	unsigned char *used;

	memset(&tab, 0, sizeof tab);
	/* long ones, short ones, and ones of IDSHORT bytes and one more */
	for (i = 0; i < N; i++) {
		snprintf(keys[i], sizeof keys[i], i % 4 == 0 ? "m%d" :
		    i % 4 == 1 ? "a-long-id-of-device-number-%d" :
		    i % 4 == 2 ? "k%010d" : "k%011d", i);
		slot[i] = -1;
	}
	x = 7;
	bad = 0;
	for (k = 0; k < 40000; k++) {
		i = rnd(&x) % N;
		if (slot[i] < 0) {
			s = idtab_add(&tab, keys[i], i % 2, k, &had);
			if (had || strcmp(idrec_key(idtab_rec(&tab, s)),
			    keys[i]) != 0)
				bad++;
			slot[i] = s;
		} else {
			if (idtab_find(&tab, keys[i], &at) != slot[i])
				bad++;
			/* by the bucket found, by none, or by a wrong one */
			idtab_remove(&tab, slot[i], k % 3 == 0 ? at :
			    k % 3 == 1 ? IDNOWHERE : at + 1, k);
			slot[i] = -1;
		}
	}
	used = calloc(tab.nslots, 1);
	dup = 0;
	for (i = 0, k = 0; i < N; i++) {
		if (slot[i] < 0) {
			bad += idtab_find(&tab, keys[i], NULL) != -1;
			continue;
		}
		k++;
		bad += idtab_find(&tab, keys[i], NULL) != slot[i];
		dup += used[slot[i]]++ != 0;
	}
	tap_equ(bad, 0, "id table: every id found at its slot, or not at all");
	tap_equ(dup, 0, "id table: no slot held by two live ids");
	tap_equ(tab.n, k, "id table: its count is the live ids'");
	tap_ok(tab.nslots <= N, "id table: slots given again without a lag");
	free(used);
	idtab_free(&tab);

	/* with a lag of 100 events: not again before two epochs have gone */
	memset(&tab, 0, sizeof tab);
	tab.lag = 100;
	s = idtab_add(&tab, "a-long-id-of-the-first-device", 0, 5, &had);
	idtab_rec(&tab, s)->seq = 6;
	idtab_rec(&tab, s)->size = 4096;
	idtab_remove(&tab, s, IDNOWHERE, 10);
	bad = 0;
	for (k = 11; k < 200; k++) {
		snprintf(keys[0], sizeof keys[0], "n%d", k);
		if (idtab_add(&tab, keys[0], 0, k, &had) == s)
			bad++;
	}
	tap_equ(bad, 0, "lag: a freed slot is not given again within it");
	tap_eqs(idrec_key(idtab_rec(&tab, s)), "a-long-id-of-the-first-device",
	    "lag: the freed slot's record keeps its key");
	tap_ok(idtab_rec(&tab, s)->seq == 6 && idtab_rec(&tab, s)->size == 4096,
	    "lag: and its vmap's event and size");
	tap_equ(idtab_add(&tab, "late", 0, 200, &had), s,
	    "lag: given again once two epochs have gone");
	idtab_free(&tab);
}

/*
 * A sink that checks, at each vunmap by id, that the record of its slot
 * is its vmap's: the event, the size and the id, as the loaded trace
 * has them.  (The slot numbers themselves differ where a sink lags.)
 */
struct recsink {
	const struct trace	*whole;
	size_t			 n;
	size_t			 checked;
	size_t			 bad;
	int			 noids;
	int			 slow;
};

static void
recsink_event(void *arg, struct trace *t, const struct event *e)
{
	struct recsink *rs;
	const struct idrec *r;
	const struct event *w, *v;

	rs = arg;
	w = &rs->whole->ev[rs->n++];
	if (rs->slow && rs->n % 4096 == 0)
		usleep(20000);	/* the reader runs the ring full ahead */
	if (t->ids == NULL) {
		rs->noids++;
		return;
	}
	if (e->op != OPvunmap || !(e->flags & EVBYID))
		return;
	v = &rs->whole->ev[w->ref];
	r = idtab_rec(t->ids, e->slot);
	rs->checked++;
	if (r->seq != (uint64_t)w->ref + 1 || r->size != v->size ||
	    strcmp(idrec_key(r), v->id) != 0)
		rs->bad++;
}

static void
test_records(void)
{
	static const char *const name[2] = { "one thread", "two" };
	struct trace whole, t;
	struct tracesink sk;
	struct recsink rs;
	char err[256], buf[64];
	FILE *f;
	uint32_t x;
	int fd, i, k, nlive, live[64], pass;

	/* ids that come back, long and short, over more than the lag */
	strcpy(path, "/tmp/vmapview-test-XXXXXX");
	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "w")) == NULL) {
		tap_ok(0, "a temporary file");
		return;
	}
	fputs("vmaptrace: 1\nmachine: {vmapsize: 64M}\nevents:\n", f);
	x = 11;
	nlive = 0;
	for (k = 0; k < 60000; k++) {
		if (nlive > 0 && (nlive == 64 || rnd(&x) % 2)) {
			i = rnd(&x) % nlive;
			fprintf(f, "- {op: vunmap, id: %s%d}\n",
			    live[i] % 2 ? "a-long-name-for-device-" : "d",
			    live[i]);
			live[i] = live[--nlive];
			continue;
		}
		do {
			live[nlive] = rnd(&x) % 500;
			for (i = 0; i < nlive && live[i] != live[nlive]; i++)
				;
		} while (i < nlive);
		snprintf(buf, sizeof buf, "%s%d", live[nlive] % 2 ?
		    "a-long-name-for-device-" : "d", live[nlive]);
		fprintf(f, "- {op: vmap, pa: 0x%x000, size: %uK, id: %s}\n",
		    k % 4096, 4 * (1 + rnd(&x) % 64), buf);
		nlive++;
	}
	fclose(f);
	if (trace_load(&whole, path, err, sizeof err) < 0) {
		tap_ok(0, err);
		unlink(path);
		return;
	}
	for (pass = 0; pass < 2; pass++) {
		memset(&sk, 0, sizeof sk);
		memset(&rs, 0, sizeof rs);
		rs.whole = &whole;
		rs.slow = pass;
		sk.event = recsink_event;
		sk.arg = &rs;
		setenv("VMAPVIEW_THREADS", pass ? "2" : "1", 1);
		snprintf(buf, sizeof buf, "records, %s: each vunmap's slot "
		    "holds its vmap", name[pass]);
		if (relay_run(&t, path, &sk, err, sizeof err) < 0)
			tap_ok(0, err);
		else
			tap_ok(rs.bad == 0 && rs.noids == 0 &&
			    rs.checked > 25000 && rs.n == whole.nev, buf);
		trace_free(&t);
	}
	unsetenv("VMAPVIEW_THREADS");
	trace_free(&whole);
	unlink(path);
}

/*
 * text_check's eight-bytes-at-a-time path skips no byte it must look
 * at: on strings of printable ASCII with an edge byte somewhere, it
 * answers as it does from the first byte that is not printable ASCII,
 * where that path cannot run (and with no such byte: 0).
 */
static void
test_textcheck(void)
{
	static const unsigned char edge[] = {
		0x00, 0x09, 0x0a, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xbf, 0xc2,
		0xe2, 0xf0, 0xff, '~', ' ', 'a'
	};
	const char *why, *why2;
	unsigned char b[48];
	unsigned x;
	size_t n, i, j, at, at2;
	int k, r, r2, bad;

	x = 12345;
	bad = 0;
	for (k = 0; k < 200000; k++) {
		x = x * 1103515245 + 12345;
		n = (x >> 8) % 40;
		for (i = 0; i < n; i++) {
			x = x * 1103515245 + 12345;
			b[i] = (x >> 16) % 8 == 0 ? edge[(x >> 20) % sizeof edge] :
			    0x20 + (x >> 20) % 0x5f;
		}
		for (j = 0; j < n && b[j] >= 0x20 && b[j] < 0x7f; j++)
			;
		at = at2 = 0;
		why = why2 = NULL;
		r = text_check((const char *)b, n, 1, &at, &why);
		if (j == n) {
			bad += r != 0;
			continue;
		}
		/* a control character is never passed */
		if (b[j] < 0x20 || b[j] == 0x7f)
			bad += r == 0;
		r2 = text_check((const char *)b + j, n - j, 1, &at2, &why2);
		if (r != r2 || (r < 0 && (at != at2 + j || why != why2)))
			bad++;
	}
	tap_equ(bad, 0, "text_check: the fast path skips no byte it must see");
}

/* vamap: 64-bit keys added, found and deleted at random as an array has them. */
static void
test_vamap(void)
{
	enum { N = 3000 };
	static uint64_t key[N];
	static int in[N];
	struct vamap m;
	struct vaent *e;
	uint64_t x;
	size_t i;
	int k, bad;

	memset(&m, 0, sizeof m);
	x = 88172645463325252ull;
	for (i = 0; i < N; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		key[i] = i % 3 == 0 ? x : i % 3 == 1 ? x >> 32 :
		    0xffffb4e000000000ull + ((uint64_t)i << 12);
	}
	for (bad = 0, k = 0; k < 60000; k++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		i = x % N;
		if (!in[i]) {
			e = vamap_add(&m, key[i]);
			bad += e->a != -1;
			e->a = (long)i;
			in[i] = 1;
		} else if ((e = vamap_find(&m, key[i])) == NULL ||
		    e->a != (long)i)
			bad++;
		else if (x & 0x100) {
			vamap_delete(&m, e);
			in[i] = 0;
		}
	}
	for (i = 0; i < N; i++)
		bad += (vamap_find(&m, key[i]) != NULL) != in[i];
	tap_equ(bad, 0, "vamap: 64-bit keys added, found and deleted as an "
	    "array has them");
	vamap_free(&m);
	vamap_free(&m);
}

/* A second thread where a processor is idle, and only there. */
static void
test_threadspay(void)
{
	tap_ok(!threadspay(1, 0.0), "one processor: one thread");
	tap_ok(threadspay(2, 0.0), "two idle processors: two threads");
	tap_ok(threadspay(2, 1.3), "two with a load of 1.3 (one about idle): "
	    "two threads");
	tap_ok(!threadspay(2, 1.9), "two, both busy: one thread");
	tap_ok(threadspay(2, -1), "two, load not known: two threads");
	tap_ok(threadspay(8, 6.5), "eight with a load of 6.5: two threads");
}

/* A sink that writes down its course: B(kernel) at begin, E, R. */
struct course {
	char	log[256];
};

static void
course_add(struct course *c, const char *s)
{
	if (strlen(c->log) + strlen(s) + 2 < sizeof c->log) {
		if (c->log[0] != '\0')
			strcat(c->log, " ");
		strcat(c->log, s);
	}
}

static void
course_begin(void *arg, struct trace *t)
{
	char buf[32];

	snprintf(buf, sizeof buf, "B(%s)", kernelnames[t->machine.kernel]);
	course_add(arg, buf);
}

static void
course_event(void *arg, struct trace *t, const struct event *e)
{
	(void)t;
	(void)e;
	course_add(arg, "E");
}

static void
course_reset(void *arg)
{
	course_add(arg, "R");
}

/*
 * relay_run keeps the sink's course: begun once on the machine before
 * its first event, or at the end with none; reset only once begun, and
 * begun again on the right machine when the machine came late.
 */
static void
test_course(void)
{
	static const struct {
		const char	*text;
		int		 rv;
		const char	*want;
		const char	*what;
	} c[] = {
		{ "vmaptrace: 1\nmachine: {kernel: 9front}\nevents:\n"
		  "- {op: vmap, pa: 0x1000, size: 4K, id: a}\n"
		  "- {op: vunmap, id: a}\n", 0, "B(9front) E E",
		  "begun once, on the machine, before the first event" },
		{ "vmaptrace: 1\nmachine: {kernel: 9front}\nevents: []\n", 0,
		  "B(9front)", "no event: begun at the end, on the header's" },
		{ "vmaptrace: 1\nevents:\n"
		  "- {op: vmap, pa: 0x1000, size: 4K, id: a}\n"
		  "- {op: vunmap, id: a}\nmachine: {kernel: 9front}\n", 0,
		  "B(labs) E E R B(9front) E E",
		  "machine late: reset, then begun again on its machine" },
		{ "vmaptrace: 1\nmachine: {kernel: 9front}\nevents:\n"
		  "- {op: vmap, pa: 0x1000, size: 4K, id: a}\n"
		  "- {op: vunmap, id: b}\n", -1, "B(9front) E R",
		  "an error after an event: reset" },
		{ "vmaptrace: 1\nmachine: {kernel: 9front}\nevents:\n"
		  "- {op: vmup}\n", -1, "",
		  "an error before any event: neither begun nor reset" },
	};
	struct tracesink sk;
	struct course co;
	struct trace t;
	char err[512], what[160];
	size_t i;
	int fd, th, rv;
	FILE *f;

	for (th = 1; th <= 2; th++) {
		setenv("VMAPVIEW_THREADS", th == 1 ? "1" : "2", 1);
		for (i = 0; i < sizeof c / sizeof c[0]; i++) {
			strcpy(path, "/tmp/vmapview-test-XXXXXX");
			if ((fd = mkstemp(path)) < 0 ||
			    (f = fdopen(fd, "w")) == NULL) {
				tap_ok(0, "a temporary file");
				continue;
			}
			fputs(c[i].text, f);
			fclose(f);
			memset(&co, 0, sizeof co);
			memset(&sk, 0, sizeof sk);
			sk.begin = course_begin;
			sk.event = course_event;
			sk.reset = course_reset;
			sk.arg = &co;
			trace_init(&t);
			rv = relay_run(&t, path, &sk, err, sizeof err);
			snprintf(what, sizeof what, "%s (%d thread%s)",
			    c[i].what, th, th > 1 ? "s" : "");
			tap_eqs(co.log, c[i].want, what);
			tap_equ(rv, c[i].rv, "and relay_run's return");
			if (rv == 0)
				trace_free(&t);
			unlink(path);
		}
	}
	unsetenv("VMAPVIEW_THREADS");
}

/*
 * fmtbytes writes what the trace format would, as printf did it: a
 * whole number of G, M or K, else decimal; cut to the buffer.
 */
static void
test_fmtbytes(void)
{
	static const uint64_t v[] = {
		0, 1, 9, 10, 1023, 1024, 1025, 4096, 444 << 10, 1 << 20,
		(3 << 20) + 1, (3 << 20) + 4096, 1ull << 30, 3ull << 30,
		(1ull << 30) + (1 << 20), 1ull << 32, 1ull << 63,
		UINT64_MAX, UINT64_MAX - 1023
	};
	char got[32], want[32];
	size_t i, len;
	int bad, cut;

	bad = cut = 0;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		if (v[i] != 0 && v[i] % (1ull << 30) == 0)
			snprintf(want, sizeof want, "%lluG",
			    (unsigned long long)(v[i] >> 30));
		else if (v[i] != 0 && v[i] % (1ull << 20) == 0)
			snprintf(want, sizeof want, "%lluM",
			    (unsigned long long)(v[i] >> 20));
		else if (v[i] != 0 && v[i] % (1ull << 10) == 0)
			snprintf(want, sizeof want, "%lluK",
			    (unsigned long long)(v[i] >> 10));
		else
			snprintf(want, sizeof want, "%llu",
			    (unsigned long long)v[i]);
		bad += strcmp(fmtbytes(got, sizeof got, v[i]), want) != 0;
		/* cut short: what fits, and its NUL */
		for (len = 1; len <= strlen(want) + 1; len++) {
			memset(got, 'x', sizeof got);
			fmtbytes(got, len, v[i]);
			cut += strlen(got) != len - 1 ||
			    strncmp(got, want, len - 1) != 0 || got[len] != 'x';
		}
	}
	memset(got, 'x', sizeof got);
	fmtbytes(got, 0, 4096);
	cut += got[0] != 'x';
	tap_equ(bad, 0, "fmtbytes: G, M or K when whole, else decimal");
	tap_equ(cut, 0, "fmtbytes: cut to its buffer, with a NUL, past it nothing");
}

int
main(void)
{
	test_numbers();
	test_load();
	test_replay();
	test_roundtrip();
	test_keyhash();
	test_fmtbytes();
	test_idtab();
	test_records();
	test_course();
	test_textcheck();
	test_threadspay();
	test_vamap();
	return tap_done();
}
