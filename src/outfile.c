/*
 * Output files (-o, --record-expect) written without destroying what
 * is at the path.  A regular file, or a path where nothing is yet, is
 * replaced atomically: a temporary file in the same directory, synced,
 * then renamed over it, keeping the old file's mode (and owner, where
 * the process may set it).  A symbolic link is followed and its target
 * replaced so; the link stays.  Anything that is not a regular file (a
 * device, a FIFO, a socket) or that names a file descriptor
 * (/dev/stdout, /dev/fd/N, /proc/PID/fd/N) is written through in place,
 * as "cat > PATH" would.  "-" is standard output.  While a temporary
 * file is being written, a SIGINT, SIGTERM or SIGHUP removes it before
 * the process ends as the signal says, and a file size limit
 * (SIGXFSZ) is a write error like any other: nothing is left behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "xmalloc.h"

#define MAXLINKS	40	/* as the kernel's own limit on a lookup */

/* What a path names once its links are followed. */
struct outpath {
	char		*real;		/* the path that is written; caller frees */
	int		 inplace;	/* write through, not replace */
	int		 exists;
	struct stat	 st;		/* when it exists */
};

/* The temporary file being written, for the signals that end us. */
static char			 tmpnow[PATH_MAX];
static volatile sig_atomic_t	 havetmp;
static const int		 endsigs[] = { SIGINT, SIGTERM, SIGHUP };
#define NENDSIGS	((int)(sizeof endsigs / sizeof endsigs[0]))

struct sigsaved {
	struct sigaction	 end[NENDSIGS];
	struct sigaction	 xfsz;
};

static int	 fdname(const char *);
static int	 resolve(const char *, struct outpath *);
static char	*dirof(const char *);
static int	 writefd(FILE *, int (*)(FILE *, void *), void *, int);
static int	 writeinplace(const char *, int (*)(FILE *, void *), void *,
		     char *, size_t);
static int	 writereplace(const struct outpath *,
		     int (*)(FILE *, void *), void *, char *, size_t);

/* A signal that ends the process: the temporary file goes first. */
static void
ontmpsignal(int sig)
{
	if (havetmp)
		unlink(tmpnow);
	havetmp = 0;
	signal(sig, SIG_DFL);
	raise(sig);	/* delivered as the handler returns */
}

/* Guard the temporary file tmp until guardend, keeping the old actions. */
static void
guardtmp(const char *tmp, struct sigsaved *sv)
{
	struct sigaction sa;
	int i;

	if (strlen(tmp) >= sizeof tmpnow)
		return;
	memcpy(tmpnow, tmp, strlen(tmp) + 1);
	havetmp = 1;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = ontmpsignal;
	for (i = 0; i < NENDSIGS; i++) {
		sigaction(endsigs[i], NULL, &sv->end[i]);
		/* a signal the caller ignores stays ignored (nohup) */
		if (sv->end[i].sa_handler != SIG_IGN)
			sigaction(endsigs[i], &sa, NULL);
	}
	sa.sa_handler = SIG_IGN;
	sigaction(SIGXFSZ, &sa, &sv->xfsz);
}

/* The temporary file is renamed or removed: the old actions again. */
static void
guardend(struct sigsaved *sv)
{
	int i;

	if (!havetmp)
		return;
	for (i = 0; i < NENDSIGS; i++)
		sigaction(endsigs[i], &sv->end[i], NULL);
	sigaction(SIGXFSZ, &sv->xfsz, NULL);
	havetmp = 0;
}

/*
 * Whether p names a file descriptor of the process: its target is
 * whatever the descriptor holds, so it is written through, never
 * replaced.
 */
static int
fdname(const char *p)
{
	const char *q;

	if (strncmp(p, "/dev/fd/", 8) == 0 || strcmp(p, "/dev/stdin") == 0 ||
	    strcmp(p, "/dev/stdout") == 0 || strcmp(p, "/dev/stderr") == 0)
		return 1;
	if (strncmp(p, "/proc/", 6) != 0 || (q = strchr(p + 6, '/')) == NULL)
		return 0;
	return strncmp(q, "/fd/", 4) == 0;
}

/* The directory part of p ("." for a bare name).  Caller frees. */
static char *
dirof(const char *p)
{
	const char *s;
	char *d;

	if ((s = strrchr(p, '/')) == NULL)
		return xstrdup(".");
	if (s == p)
		return xstrdup("/");
	d = xstrdup(p);
	d[s - p] = '\0';
	return d;
}

/*
 * Follow path's symbolic links to what it names, into *op.  Returns -1
 * with errno set when a link cannot be read or they loop.
 */
static int
resolve(const char *path, struct outpath *op)
{
	char target[PATH_MAX], *cur, *next, *dir;
	ssize_t n;
	int hops;

	memset(op, 0, sizeof *op);
	cur = xstrdup(path);
	for (hops = 0;; hops++) {
		if (hops == MAXLINKS) {
			free(cur);
			errno = ELOOP;
			return -1;
		}
		if (fdname(cur)) {
			op->inplace = 1;
			op->exists = stat(cur, &op->st) == 0;
			break;
		}
		if (lstat(cur, &op->st) < 0) {
			if (errno != ENOENT) {
				free(cur);
				return -1;
			}
			break;		/* a new file, or a dangling link's */
		}
		if (!S_ISLNK(op->st.st_mode)) {
			op->exists = 1;
			op->inplace = !S_ISREG(op->st.st_mode);
			break;
		}
		if ((n = readlink(cur, target, sizeof target - 1)) < 0) {
			free(cur);
			return -1;
		}
		target[n] = '\0';
		if (target[0] == '/')
			next = xstrdup(target);
		else {
			dir = dirof(cur);
			next = xmalloc(strlen(dir) + n + 2);
			sprintf(next, "%s/%s", dir, target);
			free(dir);
		}
		free(cur);
		cur = next;
	}
	op->real = cur;
	return 0;
}

/*
 * Run fn on f and flush it; sync it too when asked.  Returns 0, or -1
 * with errno saying why.
 */
static int
writefd(FILE *f, int (*fn)(FILE *, void *), void *arg, int sync)
{
	int rv, saved;

	errno = 0;
	rv = fn(f, arg);
	saved = errno;
	if (fflush(f) != 0 || ferror(f)) {
		rv = -1;
		saved = errno;
	}
	if (rv == 0 && sync && fsync(fileno(f)) != 0) {
		rv = -1;
		saved = errno;
	}
	errno = saved;
	return rv;
}

/*
 * Write through path in place: a device, a FIFO (which waits for its
 * reader, as cat would), a descriptor's name.  A reader that went away
 * is not an error of ours.
 */
static int
writeinplace(const char *path, int (*fn)(FILE *, void *), void *arg,
    char *err, size_t errlen)
{
	FILE *f;
	int fd, rv, saved;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY, 0666))
	    < 0 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	rv = writefd(f, fn, arg, 0);
	saved = errno;
	if (fclose(f) != 0 && rv == 0) {
		rv = -1;
		saved = errno;
	}
	if (rv < 0 && saved == EPIPE)
		return 0;
	if (rv < 0)
		snprintf(err, errlen, "%s: %s", path, saved ? strerror(saved) :
		    "the writer failed");
	return rv;
}

/*
 * Replace op->real with a new file through a temporary one beside it,
 * with the old file's mode and owner, or a new file's mode.
 */
static int
writereplace(const struct outpath *op, int (*fn)(FILE *, void *), void *arg,
    char *err, size_t errlen)
{
	char *dir, *tmp;
	const char *base;
	struct sigsaved sv;
	FILE *f;
	mode_t um;
	int fd, rv, saved;

	dir = dirof(op->real);
	base = strrchr(op->real, '/');
	base = base ? base + 1 : op->real;
	tmp = xmalloc(strlen(dir) + strlen(base) + 16);
	sprintf(tmp, "%s/.%s.XXXXXX", dir, base);
	f = NULL;
	if ((fd = mkstemp(tmp)) < 0 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: cannot write a temporary file in "
		    "%s: %s", op->real, dir, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		free(dir);
		return -1;
	}
	free(dir);
	guardtmp(tmp, &sv);
	if (op->exists) {
		/* the owner first: a change of owner clears set-id bits */
		if (fchown(fd, op->st.st_uid, op->st.st_gid) != 0 &&
		    fchown(fd, (uid_t)-1, op->st.st_gid) != 0) {
			/* not ours to give away: the writer owns it */
		}
		fchmod(fd, op->st.st_mode & 07777);
	} else {
		um = umask(0);
		umask(um);
		fchmod(fd, 0666 & ~um);
	}
	rv = writefd(f, fn, arg, 1);
	saved = errno;
	if (fclose(f) != 0 && rv == 0) {
		rv = -1;
		saved = errno;
	}
	if (rv == 0 && rename(tmp, op->real) != 0) {
		rv = -1;
		saved = errno;
	}
	if (rv < 0)
		unlink(tmp);
	guardend(&sv);
	if (rv < 0)
		snprintf(err, errlen, "%s: %s", op->real, saved ?
		    strerror(saved) : "the writer failed");
	free(tmp);
	return rv;
}

/*
 * Write a file through fn, as the paragraph at the top says.  Returns
 * 0, or -1 with a message in err; what was at the path is then as it
 * was (or, written through in place, as far as it got).
 */
int
outfile_write(const char *path, int (*fn)(FILE *, void *), void *arg,
    char *err, size_t errlen)
{
	struct outpath op;
	int rv;

	if (strcmp(path, "-") == 0) {
		if (writefd(stdout, fn, arg, 0) < 0 && errno != EPIPE) {
			snprintf(err, errlen, "writing the output: %s",
			    errno ? strerror(errno) : "the writer failed");
			return -1;
		}
		return 0;
	}
	if (resolve(path, &op) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (op.exists && S_ISDIR(op.st.st_mode)) {
		snprintf(err, errlen, "%s: %s", path, strerror(EISDIR));
		rv = -1;
	} else if (op.inplace)
		rv = writeinplace(path, fn, arg, err, errlen);
	else
		rv = writereplace(&op, fn, arg, err, errlen);
	free(op.real);
	return rv;
}

/*
 * Whether writing out would overwrite the file in that is being read
 * ("-": standard input): the same regular file, by any name or link.
 */
int
outfile_isinput(const char *out, const char *in)
{
	struct stat so, si;

	if (strcmp(out, "-") == 0 || stat(out, &so) != 0 ||
	    !S_ISREG(so.st_mode))
		return 0;
	if (strcmp(in, "-") == 0 ? fstat(STDIN_FILENO, &si) != 0 :
	    stat(in, &si) != 0)
		return 0;
	return so.st_dev == si.st_dev && so.st_ino == si.st_ino;
}
