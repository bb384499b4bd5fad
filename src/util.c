/*
 * Helpers for every command: the impossible-state exit and the human
 * form of sizes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

const char *progname = "vmapview";

/* Run before fatal prints: the view restores the terminal here. */
void (*fatalhook)(void);

/* An impossible state or out of memory: say so and exit 2. */
void
fatal(const char *fmt, ...)
{
	va_list ap;

	if (fatalhook != NULL)
		fatalhook();
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/*
 * Write v as the trace format would: with a G, M or K suffix when it is
 * a whole multiple, else in decimal.  Returns buf.
 */
char *
fmtbytes(char *buf, size_t len, uint64_t v)
{
	static const struct {
		uint64_t	unit;
		char		suffix;
	} units[] = {
		{ 1ull << 30, 'G' }, { 1ull << 20, 'M' }, { 1ull << 10, 'K' }
	};
	size_t i;

	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (v != 0 && v % units[i].unit == 0) {
			snprintf(buf, len, "%llu%c",
			    (unsigned long long)(v / units[i].unit),
			    units[i].suffix);
			return buf;
		}
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}
