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
