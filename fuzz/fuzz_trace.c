/*
 * The fuzz target: bytes through the trace reader and, when they make a
 * trace, through replay under every policy and both kernels (half of
 * them keeping going after a panic), the reports, the dump, the
 * comparison and the trace writer.  After each replay the model's
 * invariants must hold, and what the writer writes must read back as a
 * trace of as many events: a breach aborts, so that the fuzzer finds
 * wrong states as well as crashes.  Built with libFuzzer by 'make fuzz';
 * built with FUZZ_MAIN as a plain program that runs it over files and
 * says what each did, which is how 'make check' replays the seed corpus
 * and every crash once found.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "report.h"
#include "trace.h"

#define MAXFUZZEVENTS	1000	/* keep each input quick */

/* What one input did. */
struct outcome {
	int	loaded;		/* it is a trace */
	size_t	nev;
	int	replays;	/* replays run, each with its invariants held */
	int	rewritten;	/* written and read back, as many events */
};

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The trace t written out and read back: as many events?  0 or -1. */
static int
rewrite(const struct trace *t)
{
	struct trace back;
	char err[512], *buf;
	size_t len;
	FILE *f;
	int rv;

	if ((f = open_memstream(&buf, &len)) == NULL)
		abort();
	trace_write(f, t);
	fclose(f);
	rv = trace_loadmem(&back, "rewritten", buf, len, err, sizeof err);
	free(buf);
	if (rv < 0)
		return -1;
	rv = back.nev == t->nev ? 0 : -1;
	trace_free(&back);
	return rv;
}

/* Run one input, into *out.  A broken invariant aborts. */
static void
fuzzone(const uint8_t *data, size_t size, struct outcome *out)
{
	static FILE *null;
	const Policy *all[MAXPOLICY];
	struct replayopts o;
	struct replay rp;
	struct compare c;
	struct trace t;
	const char *why;
	struct probe pr;
	char err[512], line[640];
	int p, k, q;

	memset(out, 0, sizeof *out);
	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		abort();
	if (trace_loadmem(&t, "fuzz", data, size, err, sizeof err) < 0)
		return;
	out->loaded = 1;
	out->nev = t.nev;
	if (t.nev > MAXFUZZEVENTS) {
		trace_free(&t);
		return;
	}
	for (p = 0; p < npolicy(); p++) {
		all[p] = policyat(p);
		for (k = 0; k < Nkernel; k++) {
			/* each policy and kernel once, keeping going or not */
			memset(&o, 0, sizeof o);
			o.kernel = k;
			o.pse = -1;
			o.keepgoing = (p + k) % 2;
			o.measure = 1;
			replay_init(&rp, &t, policyat(p), &o);
			replay_run(&rp, t.nev);
			if ((why = mmucheck(&rp.m)) != NULL) {
				fprintf(stderr, "%s %s: %s\n", policyat(p)->name,
				    kernelnames[k], why);
				abort();
			}
			out->replays++;
			/* what-ifs on the state it left: a pa of each sort */
			for (q = 0; q < 3; q++) {
				replay_probe(&rp, q == 0 ? 0x1000 : q == 1 ?
				    0x400000 : 0x800, (uint32_t)((size + 1) *
				    4099u * (q + 1)) % (64u << 20) + 1, &pr);
				replay_answer(line, sizeof line, &rp, &pr.ev,
				    &pr.r, rp.pos);
			}
			report_text(null, &rp, 1);
			report_yaml(null, &rp);
			dump_text(null, &rp);
			replay_free(&rp);
		}
	}
	memset(&o, 0, sizeof o);
	o.kernel = o.pse = -1;
	compare_run(&c, &t, all, npolicy(), &o, 0);
	compare_text(null, &c);
	compare_yaml(null, &c);
	compare_free(&c);
	if (rewrite(&t) < 0)
		abort();
	out->rewritten = 1;
	trace_free(&t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outcome out;

	fuzzone(data, size, &out);
	return 0;
}

#ifdef FUZZ_MAIN
#include "fuzzmain.h"

/*
 * Run the target over each file named, as TAP: a file under traces/
 * must be a trace whose every replay holds the invariants and that
 * reads back as written; one under tests/bad/ must be refused; any
 * other (an input that once crashed) must only run to its end.
 */
int
main(int argc, char **argv)
{
	struct outcome out;
	char *buf;
	size_t n;
	int i, good;

	for (i = 1; i < argc; i++) {
		if ((buf = fuzzread(argv[i], &n)) == NULL) {
			printf("not ok %d - %s: cannot open\n", i, argv[i]);
			continue;
		}
		fuzzone((const uint8_t *)buf, n, &out);
		free(buf);
		if (strstr(argv[i], "traces/") != NULL)
			good = out.loaded && out.nev > 0 &&
			    out.replays == npolicy() * Nkernel && out.rewritten;
		else if (strstr(argv[i], "tests/bad/") != NULL)
			good = !out.loaded;
		else
			good = 1;
		printf("%sok %d - %s: %s, %zu events, %d replays with their "
		    "invariants%s\n", good ? "" : "not ", i, argv[i], out.loaded ?
		    "a trace" : "refused", out.nev, out.replays, out.rewritten ?
		    ", read back as written" : "");
	}
	printf("1..%d\n", argc - 1);
	return 0;
}
#endif
