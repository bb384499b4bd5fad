/*
 * Helpers for every command: the impossible-state exit and the human
 * form of sizes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/*
 * Write a file through fn: to a temporary file beside path, flushed and
 * synced, then renamed into place, so that an error never leaves a
 * truncated or clobbered file.  "-" is standard output.  Returns -1
 * with a message in err.
 */
int
writeatomic(const char *path, int (*fn)(FILE *, void *), void *arg,
    char *err, size_t errlen)
{
	char *tmp;
	FILE *f;
	mode_t um;
	int fd, rv, saved;

	if (strcmp(path, "-") == 0) {
		if (fn(stdout, arg) < 0 || fflush(stdout) != 0) {
			snprintf(err, errlen, "writing the output: %s",
			    strerror(errno));
			return -1;
		}
		return 0;
	}
	if ((tmp = malloc(strlen(path) + 16)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	sprintf(tmp, "%s.tmp.XXXXXX", path);
	f = NULL;
	if ((fd = mkstemp(tmp)) < 0 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return -1;
	}
	/* mkstemp makes it 0600; a new file gets what umask allows */
	um = umask(0);
	umask(um);
	fchmod(fd, 0666 & ~um);
	errno = 0;
	rv = fn(f, arg);
	saved = errno;
	if (fflush(f) != 0 || ferror(f)) {
		rv = -1;
		saved = errno;
	}
	if (rv == 0 && fsync(fileno(f)) != 0) {
		rv = -1;
		saved = errno;
	}
	if (fclose(f) != 0 && rv == 0) {
		rv = -1;
		saved = errno;
	}
	if (rv == 0 && rename(tmp, path) != 0) {
		rv = -1;
		saved = errno;
	}
	if (rv < 0) {
		unlink(tmp);
		snprintf(err, errlen, "%s: %s", path, saved ? strerror(saved) :
		    "the writer failed");
	}
	free(tmp);
	return rv;
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
