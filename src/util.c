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
#include <unistd.h>

#include "util.h"

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
 * A bundled trace by its bare name: "devtest" is devtest.yaml in
 * $VMAPVIEW_TRACES or, by default, the installed traces.  Returns name
 * itself when it is a file, has a '/', or no bundled trace has it;
 * else the path, in buf.
 */
const char *
findtrace(const char *name, char *buf, size_t len)
{
	const char *dir;

	if (strchr(name, '/') != NULL || strcmp(name, "-") == 0 ||
	    access(name, F_OK) == 0)
		return name;
	if ((dir = getenv("VMAPVIEW_TRACES")) == NULL || dir[0] == '\0')
		dir = PKGDATADIR;
	snprintf(buf, len, "%s/%s%s", dir, name,
	    strstr(name, ".yaml") ? "" : ".yaml");
	return access(buf, R_OK) == 0 ? buf : name;
}
