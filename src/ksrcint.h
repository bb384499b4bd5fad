/*
 * What the parts of a kernel file's policy share (ksrc.c, ksrcscan.c,
 * ksrcgen.c, ksrccc.c): the functions taken from the file, where each
 * is, and the scanning, generating and compiling.  Not for the rest of
 * the program: ksrc.h is their face.
 */
#ifndef VMAPVIEW_KSRCINT_H
#define VMAPVIEW_KSRCINT_H

#include <sys/stat.h>

#include <stddef.h>

#define KSRCMAX		(4 << 20)	/* bytes in a kernel file */
#define KSRCMAXS	"4 MiB"

/* The functions taken from the file, in the order they are put back. */
enum {
	Fmmuwalk, Ffindhole, Fvmapalloc, Fpdbmap, Fpdbunmap, Fvmap, Fvunmap,
	Nfn
};
extern const char *const fnnames[Nfn];

/* Where a function of the file is. */
struct kfn {
	size_t		 start;		/* its return type's line */
	size_t		 name;		/* its name's line */
	size_t		 open;		/* the body's { */
	size_t		 end;		/* past the body's } */
	int		 line;		/* of start, 1-based */
	int		 found;
};

/* ksrcscan.c: the file read and scanned */
char	*ks_slurp(const char *, size_t *, struct stat *, char *, size_t);
size_t	 ks_skiplit(const char *, size_t, size_t);
int	 ks_isid(int);
int	 ks_lineof(const char *, size_t);
void	 ks_findfns(const char *, size_t, struct kfn *);
int	 ks_uses(const char *, size_t, size_t, const char *, size_t);
int	 ks_flavourof(const char *, const struct kfn *, char *, size_t, char *,
	     size_t);

/* ksrcgen.c: the C made of it */
char	*ks_generate(const char *, size_t, const struct kfn *, int,
	     const char *, int);

/* ksrccc.c: compiled, and kept in the cache */
int	 ks_compile(const char *, const char *, const char *, size_t, char *,
	     size_t, int *, char *, size_t);

#endif
