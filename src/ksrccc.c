/*
 * A kernel file's program compiled (ksrcint.h): with $CC (or cc) into a
 * shared object kept in a cache that trusts no one under a hash of the
 * file and the compiler.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kchild.h"
#include "keyhash.h"
#include "ksrc.h"
#include "ksrcint.h"
#include "p9fmt.h"
#include "sha256.h"
#include "text.h"
#include "util.h"


/* The compiler's command, split at blanks into argv (at most 16). */
static int
ccargv(char **argv, char *buf, size_t len)
{
	const char *cc;
	char *p;
	int n;

	if ((cc = getenv("CC")) == NULL || cc[0] == '\0')
		cc = "cc";
	snprintf(buf, len, "%s", cc);
	n = 0;
	for (p = strtok(buf, " \t"); p != NULL && n < 16; p = strtok(NULL, " \t"))
		argv[n++] = p;
	argv[n] = NULL;
	return n;
}

/*
 * Run argv, its standard output to out (or /dev/null when nil) and its
 * errors to ours.  Returns its exit status, or -1 when it cannot run.
 */
static int
run(char *const *argv, char *out, size_t outlen)
{
	int fd[2], st;
	ssize_t r;
	size_t n;
	pid_t pid;

	if (pipe(fd) < 0)
		return -1;
	fflush(stderr);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	n = 0;
	while (out != NULL && n + 1 < outlen &&
	    (r = read(fd[0], out + n, outlen - n - 1)) > 0)
		n += r;
	if (out != NULL)
		out[n] = '\0';
	while (read(fd[0], &st, sizeof st) > 0)
		;
	close(fd[0]);
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * Whether the directory or file st may be trusted: owned by us, not a
 * link, writable by nobody else.  Returns nil, or why not.
 */
static const char *
untrusted(const struct stat *st, int dir)
{
	if (S_ISLNK(st->st_mode))
		return "a symbolic link";
	if (dir ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode))
		return dir ? "not a directory" : "not a regular file";
	if (st->st_uid != geteuid())
		return "owned by another user";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "writable by group or others";
	return NULL;
}

/*
 * Make dir (mode 0700), and those above it as mkdir -p does; then hold
 * it to untrusted, and its parent to being writable by us alone or
 * sticky (as /tmp is): a directory another user could rename is no
 * home for code.  Returns 0, or -1 with the reason in err.
 */
static int
cachemake(char *dir, char *err, size_t elen)
{
	struct stat st;
	const char *why;
	char *p;

	for (p = dir + 1; *p != '\0'; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
				snprintf(err, elen, "%s: %s", dir, strerror(errno));
				*p = '/';
				return -1;
			}
			*p = '/';
		}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, elen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (lstat(dir, &st) < 0) {
		snprintf(err, elen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if ((why = untrusted(&st, 1)) != NULL) {
		snprintf(err, elen, "the cache %s is %s: nothing in it is "
		    "loaded (remove it, or set XDG_CACHE_HOME)", dir, why);
		return -1;
	}
	p = strrchr(dir, '/');
	*p = '\0';
	if (stat(p == dir ? "/" : dir, &st) == 0 && st.st_uid != geteuid() &&
	    st.st_uid != 0 && (st.st_mode & S_IWOTH))
		why = "writable by others";
	else if (stat(p == dir ? "/" : dir, &st) == 0 &&
	    (st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
		why = "writable by group or others, and not sticky";
	*p = '/';
	if (why != NULL) {
		snprintf(err, elen, "the cache %s is in a directory %s: nothing "
		    "in it is loaded (set XDG_CACHE_HOME)", dir, why);
		return -1;
	}
	return 0;
}

/*
 * Where compiled files are kept: $XDG_CACHE_HOME/vmapview, else
 * ~/.cache/vmapview, else (neither set) $TMPDIR or /tmp's
 * vmapview-UID; made and checked by cachemake.
 */
static int
cachedir(char *buf, size_t len, char *err, size_t elen)
{
	const char *x;

	if ((x = getenv("XDG_CACHE_HOME")) != NULL && x[0] == '/')
		snprintf(buf, len, "%s/vmapview", x);
	else if ((x = getenv("HOME")) != NULL && x[0] == '/')
		snprintf(buf, len, "%s/.cache/vmapview", x);
	else
		snprintf(buf, len, "%s/vmapview-%d",
		    getenv("TMPDIR") && getenv("TMPDIR")[0] == '/' ?
		    getenv("TMPDIR") : "/tmp", (int)geteuid());
	return cachemake(buf, err, elen);
}

/*
 * The compiled object at so, opened for loading if it may be trusted
 * (untrusted, opened without following a link).  Returns its
 * descriptor; -1 with errno ENOENT when there is none; else -1 with the
 * reason in err.
 */
static int
cacheopen(const char *so, char *err, size_t elen)
{
	struct stat st;
	const char *why;
	int fd;

	if ((fd = open(so, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return -1;
		snprintf(err, elen, "%s: %s%s", so, strerror(errno),
		    errno == ELOOP ? " (a symbolic link: not loaded)" : "");
		errno = EPERM;
		return -1;
	}
	why = fstat(fd, &st) < 0 ? "unreadable" : untrusted(&st, 0);
	if (why != NULL) {
		snprintf(err, elen, "%s is %s: not loaded (remove it)", so,
		    why);
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

/*
 * The cache's key: SHA-256 over the file's bytes, the program made of
 * it (the shim with the file inside), the whole compiler command and
 * its --version, and the shim's version.
 */
static void
cachekey(char hex[65], const char *text, size_t tlen, const char *src,
    char *const *argv, const char *ver)
{
	const int abi = VVABI;
	struct sha256 s;
	int i;

	sha256_init(&s);
	sha256_field(&s, "vmapview " PACKAGE_VERSION " shim",
	    strlen("vmapview " PACKAGE_VERSION " shim"));
	sha256_field(&s, &abi, sizeof abi);
	sha256_field(&s, text, tlen);
	sha256_field(&s, src, strlen(src));
	for (i = 0; argv[i] != NULL; i++)
		sha256_field(&s, argv[i], strlen(argv[i]));
	sha256_field(&s, ver, strlen(ver));
	sha256_hex(&s, hex);
}

/* The compiler's command for src into out, after its n words in argv. */
static void
ccflags(char **argv, int n, const char *out, const char *src)
{
	static const char *const flags[] = {
		"-std=gnu99", "-shared", "-fPIC", "-fwrapv",
		"-fno-strict-aliasing", "-fvisibility=hidden", "-O1", "-w",
		"-o"
	};
	size_t i;

	for (i = 0; i < sizeof flags / sizeof flags[0]; i++)
		argv[n++] = (char *)flags[i];
	argv[n++] = (char *)out;
	argv[n++] = (char *)src;
	argv[n] = NULL;
}

/*
 * Compile program src for the file at path, or find it compiled: a
 * descriptor of the shared object in *sofd, its path in so.  Every name
 * written is a private temporary one (O_EXCL), renamed into place, so
 * that any number of runs may compile the same file at once.  Returns
 * -1 with err.
 */
int
ks_compile(const char *src, const char *path, const char *text, size_t tlen,
    char *so, size_t solen, int *sofd, char *err, size_t elen)
{
	char dir[PATH_MAX - 128], cbuf[1024], ver[2048], key[65];
	char gen[PATH_MAX], tmp[PATH_MAX], *argv[48];
	FILE *f;
	int n, st, fd;

	n = ccargv(argv, cbuf, sizeof cbuf);
	argv[n] = "--version";
	argv[n + 1] = NULL;
	if (run(argv, ver, sizeof ver) != 0) {
		snprintf(err, elen, "no C compiler to run %s: '%s' does not "
		    "run (set CC)", path, argv[0]);
		return -1;
	}
	if (cachedir(dir, sizeof dir, err, elen) < 0)
		return -1;
	ccflags(argv, n, "OUT", "SRC");
	cachekey(key, text, tlen, src, argv, ver);
	snprintf(so, solen, "%s/%s.so", dir, key);
	if ((*sofd = cacheopen(so, err, elen)) >= 0)
		return 0;
	if (errno != ENOENT)
		return -1;
	fprintf(stderr, "%s: compiling %s with %s (once: kept in %s)\n",
	    progname, path, argv[0], dir);
	snprintf(gen, sizeof gen, "%s/.%s.XXXXXX.c", dir, key);
	snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX.so", dir, key);
	if ((fd = mkstemps(gen, 2)) < 0 || (f = fdopen(fd, "w")) == NULL ||
	    fputs(src, f) < 0 || fclose(f) != 0) {
		snprintf(err, elen, "%s: %s", gen, strerror(errno));
		if (fd >= 0)
			unlink(gen);
		return -1;
	}
	if ((fd = mkstemps(tmp, 3)) < 0) {
		snprintf(err, elen, "%s: %s", tmp, strerror(errno));
		unlink(gen);
		return -1;
	}
	close(fd);
	ccflags(argv, n, tmp, gen);
	st = run(argv, NULL, 0);
	unlink(gen);
	if (st != 0) {
		unlink(tmp);
		snprintf(err, elen, "%s does not compile (%s said why, above)",
		    path, argv[0]);
		return -1;
	}
	/* as it was made: ours, 0700 at most whatever the umask */
	if (chmod(tmp, 0500) < 0 || rename(tmp, so) < 0) {
		snprintf(err, elen, "%s: %s", so, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if ((*sofd = cacheopen(so, err, elen)) < 0) {
		if (errno == ENOENT)
			snprintf(err, elen, "%s: gone as soon as made", so);
		return -1;
	}
	return 0;
}
