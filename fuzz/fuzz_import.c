/*
 * import's fuzz target: any bytes as a console log.  import either
 * says what is wrong (a message that names the log) or gives events,
 * and the trace written of them is one the reader takes, with as many
 * events, whatever bytes the log's callers, times and numbers held.
 * Strict and lenient both, expectations for plan9 or none.  A breach
 * aborts.  Built with libFuzzer by 'make fuzz'; with FUZZ_MAIN, a
 * plain program over files that 'make check' runs on the seeds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "import.h"
#include "trace.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Each event, written as it comes. */
static int
writeevent(void *arg, const struct event *e)
{
	trace_writeevent(arg, e);
	return 0;
}

/* One input, one way.  Returns the events it gave, or -1 (refused). */
static long
importone(const uint8_t *data, size_t size, int strict, int pidx)
{
	struct importstats st;
	struct importsink sk;
	struct tracewriter w;
	struct trace hdr, back;
	char err[512], *buf;
	size_t n;
	FILE *in, *out;
	int rv;

	if ((in = fmemopen((void *)data, size, "r")) == NULL) {
		if (size == 0)
			return 0;
		abort();
	}
	if ((out = open_memstream(&buf, &n)) == NULL)
		abort();
	trace_init(&hdr);
	if (trace_writeopen(&w, out, &hdr) < 0)
		abort();
	memset(&st, 0, sizeof st);
	st.strict = strict;
	sk.event = writeevent;
	sk.arg = &w;
	rv = import_log(in, "fuzz.log", pidx, &sk, &st);
	fclose(in);
	if (trace_writeclose(&w) < 0)
		abort();
	fclose(out);
	if (rv < 0) {
		/* refused: a message, and one that names the log */
		if (strncmp(st.err, "fuzz.log", 8) != 0) {
			fprintf(stderr, "a refusal without its place: %s\n",
			    st.err);
			abort();
		}
		free(buf);
		return -1;
	}
	if (trace_loadmem(&back, "imported", buf, n, err, sizeof err) < 0) {
		fprintf(stderr, "import wrote what the reader refuses: %s\n"
		    "--- written:\n%.*s\n---\n", err, (int)n, buf);
		abort();
	}
	if (back.nev != st.events) {
		fprintf(stderr, "%zu events imported, %zu read back\n",
		    st.events, back.nev);
		abort();
	}
	trace_free(&back);
	trace_free(&hdr);
	free(buf);
	return (long)st.events;
}

/* Every way: strict or not, expectations or not.  Returns the events. */
static int
fuzzone(const uint8_t *data, size_t size)
{
	long n;

	n = importone(data, size, 0, 0);
	importone(data, size, 1, 0);
	importone(data, size, 0, -1);
	return (int)n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzzone(data, size);
	return 0;
}

#ifdef FUZZ_MAIN
#include "fuzzmain.h"

int
main(int argc, char **argv)
{
	return fuzzmain(argc, argv, fuzzone, "imported, and read back");
}
#endif
