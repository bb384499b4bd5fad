/*
 * A kernel file read and scanned (ksrcint.h): its text, at most
 * KSRCMAX bytes of a regular file; its functions of the vmap path,
 * found by their definitions (the return type on a line of its own,
 * the name at the start of the next, the body to its matching brace,
 * comments, strings and characters skipped); and which kernel's vmap it
 * is, by the signatures.
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


const char *const fnnames[Nfn] = {
	"mmuwalk", "findhole", "vmapalloc", "pdbmap", "pdbunmap", "vmap",
	"vunmap"
};

/*
 * The file's text, with a NUL; nil after saying why in err.  It must be
 * a regular file of at most KSRCMAX bytes (a pc/mmu.c is some 30K):
 * a device or a FIFO could give without end.
 */
char *
ks_slurp(const char *path, size_t *len, struct stat *stp, char *err,
    size_t elen)
{
	struct stat st;
	FILE *f;
	char *buf;
	size_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)) < 0) {
		snprintf(err, elen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > KSRCMAX) {
		snprintf(err, elen, "%s: %s", path, !S_ISREG(st.st_mode) ?
		    "not a regular file: a kernel file must be one" :
		    "larger than " KSRCMAXS ": a kernel file is at most that");
		close(fd);
		return NULL;
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		snprintf(err, elen, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	buf = xmalloc(KSRCMAX + 2);
	n = fread(buf, 1, KSRCMAX + 1, f);
	if (ferror(f) || n > KSRCMAX) {
		snprintf(err, elen, "%s: %s", path, ferror(f) ?
		    strerror(errno) : "it grew past " KSRCMAXS " while read");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	*stp = st;
	return buf;
}

/* Past the comment, string or character literal at s[i], if one is. */
size_t
ks_skiplit(const char *s, size_t n, size_t i)
{
	char q;

	if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
		for (i += 2; i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'); i++)
			;
		return i + 2 <= n ? i + 2 : n;
	}
	if (s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
		while (i < n && s[i] != '\n')
			i++;
		return i;
	}
	if (s[i] == '"' || s[i] == '\'') {
		q = s[i++];
		while (i < n && s[i] != q && s[i] != '\n') {
			if (s[i] == '\\' && i + 1 < n)
				i++;
			i++;
		}
		return i < n ? i + 1 : n;
	}
	return i;
}

int
ks_isid(int c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* The line number of offset o. */
int
ks_lineof(const char *s, size_t o)
{
	size_t i;
	int line;

	for (line = 1, i = 0; i < o; i++)
		line += s[i] == '\n';
	return line;
}

/*
 * Find the functions' definitions at file scope: a line starting with
 * a name and a parenthesis, whose parameter list is followed by a
 * brace, the line before holding the return type.
 */
void
ks_findfns(const char *s, size_t n, struct kfn *fn)
{
	size_t i, j, k, line, last;
	int depth, f, par, bol;

	depth = 0;
	bol = 1;		/* only blanks so far on this line */
	line = last = 0;	/* where this line and the last one start */
	for (i = 0; i < n;) {
		if ((j = ks_skiplit(s, n, i)) != i) {
			/* a comment over lines: its last line is this one */
			for (k = i; k < j; k++)
				if (s[k] == '\n')
					line = k + 1;
			bol = 0;
			i = j;
			continue;
		}
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}')
			depth--;
		if (depth == 0 && bol && i == line && ks_isid(s[i])) {
			for (j = i; j < n && ks_isid(s[j]); j++)
				;
			for (f = 0; f < Nfn; f++)
				if (strlen(fnnames[f]) == j - i &&
				    memcmp(s + i, fnnames[f], j - i) == 0)
					break;
			k = j;
			while (k < n && (s[k] == ' ' || s[k] == '\t'))
				k++;
			if (f < Nfn && !fn[f].found && k < n && s[k] == '(') {
				/* past the parameters, to a { or not */
				for (par = 0; k < n; k++) {
					if (s[k] == '(')
						par++;
					else if (s[k] == ')' && --par == 0)
						break;
				}
				for (k++; k < n && (s[k] == ' ' || s[k] == '\t' ||
				    s[k] == '\n'); k++)
					;
				if (k < n && s[k] == '{') {
					fn[f].found = 1;
					fn[f].start = last;
					fn[f].name = i;
					fn[f].open = k;
					fn[f].line = ks_lineof(s, last);
					for (depth = 0; k < n;) {
						if ((j = ks_skiplit(s, n, k)) != k) {
							k = j;
							continue;
						}
						if (s[k] == '{')
							depth++;
						else if (s[k] == '}' && --depth == 0)
							break;
						k++;
					}
					fn[f].end = k < n ? k + 1 : n;
					i = fn[f].end;
					depth = 0;
					bol = 0;
					continue;
				}
			}
		}
		if (s[i] == '\n') {
			if (!bol)
				last = line;
			line = i + 1;
			bol = 1;
		} else if (s[i] != ' ' && s[i] != '\t')
			bol = 0;
		i++;
	}
}

/* Whether the word w (of length wl) occurs in s[a, b). */
int
ks_uses(const char *s, size_t a, size_t b, const char *w, size_t wl)
{
	size_t i;

	for (i = a; i + wl <= b; i++)
		if (memcmp(s + i, w, wl) == 0 && (i == a || !ks_isid(s[i - 1])) &&
		    (i + wl == b || !ks_isid(s[i + wl])))
			return 1;
	return 0;
}

/*
 * The parameters of function f into buf, a blank only between two
 * words: "ulong pa,int size", "void*v,vlong size".
 */
static void
params(const char *s, const struct kfn *f, char *buf, size_t len)
{
	size_t i, o;
	int blank;

	o = 0;
	blank = 0;
	for (i = f->name; i < f->open && s[i] != '('; i++)
		;
	for (i++; i < f->open && s[i] != ')' && o + 2 < len; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			blank = 1;
			continue;
		}
		if (blank && o > 0 && ks_isid(buf[o - 1]) && ks_isid(s[i]))
			buf[o++] = ' ';
		blank = 0;
		buf[o++] = s[i];
	}
	buf[o] = '\0';
}

/*
 * Which kernel the file's vmap is, from its parameters: Bell Labs'
 * takes a ulong pa, 9front's a uvlong pa (and checks it); the sizes
 * are an int, or (9front, from 2021) a vlong.  -1 with err when
 * neither; else why into why.
 */
int
ks_flavourof(const char *s, const struct kfn *fn, char *why, size_t wlen,
    char *err, size_t elen)
{
	char pv[160], pu[160];
	int vint, uint_;

	params(s, &fn[Fvmap], pv, sizeof pv);
	params(s, &fn[Fvunmap], pu, sizeof pu);
	vint = strstr(pv, ",int ") != NULL;
	uint_ = strstr(pu, ",int ") != NULL;
	if (strncmp(pu, "void*", 5) == 0 && (vint || strstr(pv, ",vlong ")) &&
	    (uint_ || strstr(pu, ",vlong "))) {
		if (strncmp(pv, "ulong ", 6) == 0 && vint && uint_) {
			snprintf(why, wlen, "its vmap and vunmap have Bell Labs' "
			    "signatures (ulong pa, int size)");
			return Klabs;
		}
		if (strncmp(pv, "uvlong ", 7) == 0) {
			snprintf(why, wlen, "its vmap has 9front's signature "
			    "(uvlong pa), its sizes %s", vint && uint_ ?
			    "int (as 9front's before 2021)" : !vint && !uint_ ?
			    "vlong" : "an int and a vlong");
			return K9front;
		}
	}
	snprintf(err, elen, "vmap(%s) and vunmap(%s) have neither Bell Labs' "
	    "signatures (ulong pa, int size; void *v, int size) nor 9front's "
	    "(uvlong pa, vlong or int size; void *v, the same)", pv, pu);
	return -1;
}
