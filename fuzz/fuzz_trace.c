/*
 * The fuzz target: bytes through the trace reader and, when they make a
 * trace, through replay under every policy and both kernels (half of
 * them keeping going after a panic), the reports, the dump, the comparison
 * and the trace writer.  Built with libFuzzer by 'make fuzz'; built
 * with FUZZ_MAIN as a plain program that runs it over files, which is
 * how 'make check' replays the seed corpus and every crash once found.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "report.h"
#include "trace.h"

#define MAXFUZZEVENTS	1000	/* keep each input quick */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	const Policy *all[MAXPOLICY];
	struct replayopts o;
	struct replay rp;
	struct compare c;
	struct trace t;
	char err[512];
	int p, k;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		abort();
	if (trace_loadmem(&t, "fuzz", data, size, err, sizeof err) < 0)
		return 0;
	if (t.nev > MAXFUZZEVENTS) {
		trace_free(&t);
		return 0;
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
			report_text(null, &rp);
			report_yaml(null, &rp);
			dump_text(null, &rp);
			replay_free(&rp);
		}
	}
	memset(&o, 0, sizeof o);
	o.kernel = o.pse = -1;
	compare_run(&c, &t, all, npolicy(), &o);
	compare_text(null, &c);
	compare_yaml(null, &c);
	compare_free(&c);
	trace_write(null, &t);
	trace_free(&t);
	return 0;
}

#ifdef FUZZ_MAIN
/* Run the target over each file named, as TAP. */
int
main(int argc, char **argv)
{
	FILE *f;
	char *buf;
	size_t n, cap;
	int i;

	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL) {
			printf("not ok %d - %s: cannot open\n", i, argv[i]);
			continue;
		}
		cap = 1 << 16;
		n = 0;
		buf = malloc(cap);
		while (buf != NULL && (n += fread(buf + n, 1, cap - n, f)) == cap)
			buf = realloc(buf, cap *= 2);
		fclose(f);
		if (buf == NULL)
			abort();
		LLVMFuzzerTestOneInput((const uint8_t *)buf, n);
		free(buf);
		printf("ok %d - %s\n", i, argv[i]);
	}
	printf("1..%d\n", argc - 1);
	return 0;
}
#endif
