/*
 * Helpers for every command: the human form of sizes and the bundled
 * traces by name.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/*
 * Write v as the trace format would: with a G, M or K suffix when it is
 * a whole multiple, else in decimal.  Returns buf.
 */
char *
fmtbytes(char *buf, size_t len, uint64_t v)
{
	char d[24];
	size_t n, k;
	int shift;

	/* by hand, not snprintf: a table's every row writes a size */
	shift = 0;
	if (v != 0)
		for (shift = 30; shift > 0 && v % (1ull << shift) != 0;
		    shift -= 10)
			;
	k = sizeof d;
	if (shift > 0)
		d[--k] = shift == 30 ? 'G' : shift == 20 ? 'M' : 'K';
	v >>= shift;
	do
		d[--k] = '0' + v % 10;
	while ((v /= 10) != 0);
	if (len == 0)
		return buf;
	n = sizeof d - k < len ? sizeof d - k : len - 1;
	memcpy(buf, d + k, n);
	buf[n] = '\0';
	return buf;
}

/*
 * Words wrapped to width columns: the next line of s, with its length
 * in *n (it ends at a blank or a newline where it can, else mid-word).
 * Returns where the line starts, past blanks, or nil when s holds no
 * more words.  Every byte counts as a column.
 */
const char *
wrapnext(const char *s, int width, int *n)
{
	int i, brk;

	while (*s == ' ' || *s == '\n')
		s++;
	if (*s == '\0')
		return NULL;
	if (width < 1)
		width = 1;
	brk = -1;
	for (i = 0; s[i] != '\0' && s[i] != '\n'; i++) {
		if (i == width)
			break;
		if (s[i] == ' ')
			brk = i;
	}
	if (s[i] == '\0' || s[i] == '\n' || s[i] == ' ' || brk <= 0)
		*n = i;
	else
		*n = brk;
	while (*n > 0 && s[*n - 1] == ' ')
		(*n)--;
	return s;
}

/* s wrapped to width columns, each line after indent. */
void
fprintwrap(FILE *f, const char *indent, const char *s, int width)
{
	int n;

	width -= strlen(indent);
	while ((s = wrapnext(s, width, &n)) != NULL) {
		fprintf(f, "%s%.*s\n", indent, n, s);
		s += n;
	}
}

/*
 * The directories the bundled traces are looked for in, in turn:
 * $VMAPVIEW_TRACES, the installed ones, and traces/ beside the program
 * (a build tree).  Returns how many, up to max, into dirs (the last in
 * buf).
 */
int
tracedirs(const char **dirs, int max, char *buf, size_t len)
{
	const char *d;
	char *slash;
	ssize_t n;
	int k;

	k = 0;
	if ((d = getenv("VMAPVIEW_TRACES")) != NULL && d[0] != '\0' && k < max)
		dirs[k++] = d;
	if (k < max)
		dirs[k++] = PKGDATADIR;
	if (k < max && len > 8 &&
	    (n = readlink("/proc/self/exe", buf, len - 8)) > 0) {
		buf[n] = '\0';
		if ((slash = strrchr(buf, '/')) != NULL) {
			strcpy(slash + 1, "traces");
			dirs[k++] = buf;
		}
	}
	return k;
}

/*
 * Where bundled traces are looked for, in words, into out: "looked for
 * in A and B; VMAPVIEW_TRACES names another".  Returns out.
 */
char *
tracedirs_said(char *out, size_t olen)
{
	const char *dirs[3];
	char buf[4096];
	size_t o;
	int k, n;

	n = tracedirs(dirs, 3, buf, sizeof buf);
	o = snprintf(out, olen, "looked for in");
	for (k = 0; k < n && o < olen; k++)
		o += snprintf(out + o, olen - o, "%s %s", k == 0 ? "" :
		    k == n - 1 ? " and" : ",", dirs[k]);
	if (o < olen)
		snprintf(out + o, olen - o, "; VMAPVIEW_TRACES names another");
	return out;
}

/*
 * A bundled trace by its bare name: "devtest" is devtest.yaml in the
 * first of tracedirs that has it.  Returns name itself when it is a
 * file, has a '/', or no bundled trace has it; else the path, in buf.
 */
const char *
findtrace(const char *name, char *buf, size_t len)
{
	const char *dirs[3];
	char self[4096];
	int k, n;

	if (strchr(name, '/') != NULL || strcmp(name, "-") == 0 ||
	    access(name, F_OK) == 0)
		return name;
	n = tracedirs(dirs, 3, self, sizeof self);
	for (k = 0; k < n; k++) {
		snprintf(buf, len, "%s/%s%s", dirs[k], name,
		    strstr(name, ".yaml") ? "" : ".yaml");
		if (access(buf, R_OK) == 0)
			return buf;
	}
	return name;
}

/* Seconds on a clock that only goes forward, for measuring spans. */
double
monotime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Whether a second thread pays on nproc processors whose load average
 * over the last minute is load (negative: not known): when one of them
 * is idle.  On a machine busy on every processor the second thread
 * gets no processor of its own; it would only add hand-overs to the
 * CPU time.
 */
int
threadspay(long nproc, double load)
{
	if (nproc < 2)
		return 0;
	return load < 0 || load < nproc - 0.25;
}

/*
 * Whether to work on a second thread (the parser's, a relay's):
 * VMAPVIEW_THREADS says, 1 for no and a larger number for yes; else
 * threadspay, asked once.
 */
int
threadswanted(void)
{
	static int wanted = -1;		/* any thread may ask */
	const char *s;
	double load;
	int w;

	if ((s = getenv("VMAPVIEW_THREADS")) != NULL && *s != '\0')
		return atoi(s) > 1;
	if ((w = __atomic_load_n(&wanted, __ATOMIC_RELAXED)) < 0) {
		if (getloadavg(&load, 1) != 1)
			load = -1;
		w = threadspay(sysconf(_SC_NPROCESSORS_ONLN), load);
		__atomic_store_n(&wanted, w, __ATOMIC_RELAXED);
	}
	return w;
}
