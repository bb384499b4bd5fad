/*
 * A Plan 9 pc/mmu.c as a policy.  The vmap path is taken from the file
 * (vmap, vunmap, vmapalloc, findhole, pdbmap, pdbunmap, mmuwalk and the
 * file-scope declarations they use), found by its definitions: the
 * return type on a line of its own, the name at the start of the next,
 * the body to its matching brace, comments, strings and characters
 * skipped.  It is put after a small kernel of vmapview's own (the 386's
 * types, the macros of mem.h, MACHP(0)->pdb, KADDR, xspanalloc, print,
 * panic, ...), with #line so that the compiler's messages point into
 * the user's file, compiled with $CC (or cc) into a shared object kept
 * in the cache under a hash of the file and the compiler, and loaded
 * with dlopen.  Its functions then run on the model's page directory:
 * the host below gives them the machine of the replay at hand, the
 * pool's pages by their modeled addresses, and a longjmp for panic.
 * After each call the pool's counts are made again from the words.
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
#include "p9fmt.h"
#include "sha256.h"
#include "text.h"
#include "util.h"

/*
 * The kernel the file's functions are compiled against: as much of
 * u.h, mem.h, dat.h and fns.h as the vmap path uses, on the host.
 */
static const char kernel[] =
"/* vmapview's kernel for pc/mmu.c's vmap path */\n"
"#include <stdarg.h>\n"
"#include <string.h>\n"
"typedef unsigned int ulong;\n"
"typedef unsigned int uintptr;\n"
"typedef unsigned int uint;\n"
"typedef unsigned int u32int;\n"
"typedef unsigned short ushort;\n"
"typedef unsigned char uchar;\n"
"typedef long long vlong;\n"
"typedef unsigned long long uvlong;\n"
"#define nil ((void*)0)\n"
"#define USED(x) ((void)(x))\n"
"#define nelem(x) (sizeof(x)/sizeof((x)[0]))\n"
"#define SET(x) ((void)0)\n"
"#define ROUND(s, sz) (((s)+((sz)-1))&~((sz)-1))\n"
"#define KB 1024u\n"
"#define MB (1024u*1024u)\n"
"#define BY2WD 4\n"
"#define BY2PG 4096\n"
"#define WD2PG (BY2PG/BY2WD)\n"
"#define PGSHIFT 12\n"
"#define PTEVALID (1<<0)\n"
"#define PTEWRITE (1<<1)\n"
"#define PTERONLY (0<<1)\n"
"#define PTEKERNEL (0<<2)\n"
"#define PTEUSER (1<<2)\n"
"#define PTEWT (1<<3)\n"
"#define PTEUNCACHED (1<<4)\n"
"#define PTESIZE (1<<7)\n"
"#define PTEPAT (1<<7)\n"
"#define PTEDPAT (1<<12)\n"
"#define PTEPCD (1<<4)\n"
"#define PTEGLOBAL (1<<8)\n"
"#define PDX(va) ((((ulong)(va))>>22) & 0x03FF)\n"
"#define PTX(va) ((((ulong)(va))>>12) & 0x03FF)\n"
"#define PPN(x) ((x)&~(BY2PG-1))\n"
"#define Pse (1<<3)\n"
"typedef struct Lock { int key; } Lock;\n"
"typedef struct Mach { int machno; ulong *pdb; ulong cpuiddx; "
    "int flushmmu; } Mach;\n"
"typedef struct Proc { int state; int newtlb; } Proc;\n"
"typedef struct Page Page;\n"
"enum { Dead = 0 };\n"
"struct vvhost {\n"
"	ulong vmapat, vmaplen;\n"
"	int pse;\n"
"	Mach mach;\n"
"	void *(*kaddr)(ulong);\n"
"	ulong (*paddr)(void *);\n"
"	void *(*xspanalloc)(ulong, int, ulong);\n"
"	void *(*rampage)(void);\n"
"	int (*vprint)(const char *, va_list);\n"
"	void (*vpanic)(const char *, va_list);\n"
"	void (*vexit)(int, const char *);\n"
"	ulong allocva;\n"
"	int allocated;\n"
"};\n"
"static struct vvhost *vv;\n"
"#define VMAP (vv->vmapat)\n"
"#define VMAPSIZE (vv->vmaplen)\n"
"#define MACHP(n) (&vv->mach)\n"
"static Mach *m;\n"
"#define up ((Proc*)0)\n"
"#ifdef VV_MACHS_ARRAY\n"
"static struct { int thunderbirdsarego; char machs[32]; int exiting; } "
    "active;\n"
"#else\n"
"static struct { int thunderbirdsarego; ulong machs; int exiting; } "
    "active;\n"
"#endif\n"
"typedef struct Confmem { ulong base; ulong npage; ulong kbase; "
    "ulong klimit; } Confmem;\n"
"static struct { int nproc; int nmach; ulong npage; Confmem mem[16]; } "
    "conf = { 0, 1, 0, { { 0, 1, 0, 0 } } };\n"
"#define KADDR(pa) (vv->kaddr((ulong)(pa)))\n"
"#define PADDR(p) (vv->paddr((void*)(p)))\n"
"static void ilock(Lock *l) { USED(l); }\n"
"static void iunlock(Lock *l) { USED(l); }\n"
"static void lock(Lock *l) { USED(l); }\n"
"static void unlock(Lock *l) { USED(l); }\n"
"static ulong getcr4(void) { return vv->pse ? 0x10 : 0; }\n"
"static void putcr3(ulong x) { USED(x); }\n"
"static void mmuflushtlb(ulong x) { USED(x); }\n"
"static void flushmmu(void) { }\n"
"static void procflushothers(void) { }\n"
"static void coherence(void) { }\n"
"static Proc *proctab(int i) { static Proc p; USED(i); return &p; }\n"
"static uintptr getcallerpc(void *x) { USED(x); return 0; }\n"
"static void *xspanalloc(ulong s, int a, ulong sp) "
    "{ return vv->xspanalloc(s, a, sp); }\n"
"static void *rampage(void) { return vv->rampage(); }\n"
"static int print(char *f, ...) { va_list a; int n; va_start(a, f); "
    "n = vv->vprint(f, a); va_end(a); return n; }\n"
"static void panic(char *f, ...) __attribute__((noreturn));\n"
"static void panic(char *f, ...) { va_list a; va_start(a, f); "
    "vv->vpanic(f, a); va_end(a); for(;;); }\n"
"static void vvexit(int n, const char *f) __attribute__((noreturn));\n"
"static void vvexit(int n, const char *f) { vv->vexit(n, f); for(;;); }\n"
"#define exit(n) vvexit((n), __func__)\n";

/* The functions taken from the file, in the order they are put back. */
enum {
	Fmmuwalk, Ffindhole, Fvmapalloc, Fpdbmap, Fpdbunmap, Fvmap, Fvunmap,
	Nfn
};
static const char *const fnnames[Nfn] = {
	"mmuwalk", "findhole", "vmapalloc", "pdbmap", "pdbunmap", "vmap",
	"vunmap"
};

/* Where a function of the file is. */
struct kfn {
	size_t		 start;		/* its return type's line */
	size_t		 name;		/* its name's line */
	size_t		 open;		/* the body's { */
	size_t		 end;		/* past the body's } */
	int		 line;		/* of start, 1-based */
	int		 found;
};

/* A loaded file. */
struct ksrc {
	Policy		 pol;
	char		 name[80];
	char		 summary[160];
	dev_t		 dev;		/* the file, whatever names it */
	ino_t		 ino;
	char		 sum[65];	/* its bytes' SHA-256 */
	int		 flavour;	/* Klabs, K9front */
	int		 spans;		/* its vmapalloc runs over tables */
	char		 spanwhy[96];	/* how that was found */
	char		 sigwhy[192];	/* its flavour: its signatures, pdbunmap */
	struct kchild	 child;		/* where its code runs */

	/*
	 * The largest vmap, searched for with each vmap and vunmap in the
	 * same round trip once the measures have asked for it: the floor
	 * they asked with last (hint, plus one; 0: never asked), and the
	 * figure for the state the last call left (stamp), with its floor.
	 */
	uint32_t	 hint;
	uint64_t	 stamp;
	uint32_t	 after;
	uint32_t	 afterfloor;
};

#define MAXKSRC	4
#define KSRCMAX		(4 << 20)	/* bytes in a kernel file */
#define KSRCMAXS	"4 MiB"
_Static_assert(MAXKSRC <= MAXPOLICY - 4, "room for the built-in policies");
static struct ksrc ksrcs[MAXKSRC];
static int nksrc;
static uint64_t kstamps;	/* the calls made, to stamp states */

/*
 * The file's text, with a NUL; nil after saying why in err.  It must be
 * a regular file of at most KSRCMAX bytes (a pc/mmu.c is some 30K):
 * a device or a FIFO could give without end.
 */
static char *
slurp(const char *path, size_t *len, struct stat *stp, char *err,
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
static size_t
skiplit(const char *s, size_t n, size_t i)
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

static int
isid(int c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* The line number of offset o. */
static int
lineof(const char *s, size_t o)
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
static void
findfns(const char *s, size_t n, struct kfn *fn)
{
	size_t i, j, k, line, last;
	int depth, f, par, bol;

	depth = 0;
	bol = 1;		/* only blanks so far on this line */
	line = last = 0;	/* where this line and the last one start */
	for (i = 0; i < n;) {
		if ((j = skiplit(s, n, i)) != i) {
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
		if (depth == 0 && bol && i == line && isid(s[i])) {
			for (j = i; j < n && isid(s[j]); j++)
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
					fn[f].line = lineof(s, last);
					for (depth = 0; k < n;) {
						if ((j = skiplit(s, n, k)) != k) {
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
static int
uses(const char *s, size_t a, size_t b, const char *w, size_t wl)
{
	size_t i;

	for (i = a; i + wl <= b; i++)
		if (memcmp(s + i, w, wl) == 0 && (i == a || !isid(s[i - 1])) &&
		    (i + wl == b || !isid(s[i + wl])))
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
		if (blank && o > 0 && isid(buf[o - 1]) && isid(s[i]))
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
static int
flavourof(const char *s, const struct kfn *fn, char *why, size_t wlen,
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

/* Append n bytes of s to the growing buffer b. */
struct buf {
	char	*s;
	size_t	 n, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	xgrow(&b->s, &b->cap, b->n + n + 1, 1);
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void
putf(struct buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	put(b, tmp, n < (int)sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Put s[a, b) back with a #line for where it starts in the file. */
static void
putsrc(struct buf *b, const char *s, size_t a, size_t e, const char *path)
{
	putf(b, "#line %d \"%s\"\n", lineof(s, a), path);
	put(b, s + a, e - a);
	put(b, "\n", 1);
}

/* A name an item declares: where it is in the file. */
struct iname {
	size_t	 at, len;
};

/* A file-scope item: a #define, a declaration to its ';', a function. */
struct item {
	size_t		 a, e;		/* its text */
	int		 define;
	int		 fn;		/* a function's definition: open, its brace */
	size_t		 open;
	int		 put;
	int		 never;		/* a function the kernel has: its stands */
	struct iname	*name;		/* the names it declares */
	size_t		 nname, namecap;
};

/* Note the name at s[w, w+wl) as one that item it declares. */
static void
itemname(struct item *it, size_t w, size_t wl)
{
	if (wl == 0)
		return;
	xgrow(&it->name, &it->namecap, it->nname + 1, sizeof *it->name);
	it->name[it->nname].at = w;
	it->name[it->nname++].len = wl;
}

/*
 * The names a declaration s[a, e) declares: its declarators at depth 0
 * (a name before '=', ';', ',', '[' or ')', none in an initializer), a
 * struct's or enum's tag, and an enum's constants.  0 if it is a
 * prototype or declares a function pointer (a '(' at depth 0 before any
 * '='): the kernel gives what such things are.
 */
static int
declnames(const char *s, size_t a, size_t e, struct item *it)
{
	size_t i, j, k;
	int depth, isenum, init, start;

	depth = 0;
	isenum = 0;
	init = 0;
	start = 1;		/* an enum's constant may start here */
	for (i = a; i < e;) {
		if ((j = skiplit(s, e, i)) != i) {
			i = j;
			continue;
		}
		if (s[i] == '{' || s[i] == '(' || s[i] == '[') {
			if (s[i] == '(' && depth == 0 && !init)
				return 0;
			depth++;
			start = s[i] == '{';
			i++;
			continue;
		}
		if (s[i] == '}' || s[i] == ')' || s[i] == ']') {
			depth--;
			i++;
			continue;
		}
		if (s[i] == '=' && depth == 0)
			init = 1;
		if (s[i] == ',' && depth == 0)
			init = 0;
		if (s[i] == ',' && depth == 1)
			start = 1;
		if (!isid(s[i]) || (i > a && isid(s[i - 1]))) {
			i++;
			continue;
		}
		for (j = i; j < e && isid(s[j]); j++)
			;
		if (j - i == 4 && memcmp(s + i, "enum", 4) == 0 && depth == 0)
			isenum = 1;
		for (k = j; k < e && (s[k] == ' ' || s[k] == '\t' ||
		    s[k] == '\n'); k++)
			;
		if (depth == 0 && !init && k < e && strchr("=;,[{", s[k]))
			itemname(it, i, j - i);
		else if (depth == 1 && isenum && start && !(s[i] >= '0' &&
		    s[i] <= '9'))
			itemname(it, i, j - i);
		start = 0;
		i = j;
	}
	return 1;
}

/*
 * The name a function's definition s[a, e) defines: the word before its
 * first '(', and where its body opens.
 */
static void
fnname(const char *s, size_t a, size_t e, struct item *it)
{
	size_t p, w, j;

	for (p = a; p < e && s[p] != '('; p++)
		if ((j = skiplit(s, e, p)) != p)
			p = j - 1;
	for (w = p; w > a && (s[w - 1] == ' ' || s[w - 1] == '\t' ||
	    s[w - 1] == '\n'); w--)
		;
	for (j = w; j > a && isid(s[j - 1]); j--)
		;
	itemname(it, j, w - j);
	for (it->open = p; it->open < e && s[it->open] != '{'; it->open++)
		if ((j = skiplit(s, e, it->open)) != it->open)
			it->open = j - 1;
}

/* The file's file-scope items, and their names by a hash of each. */
struct scope {
	struct item	*it;
	size_t		 n, cap;
	int		*bucket;	/* item and name: an index of ref + 1 */
	size_t		 nbucket;	/* a power of 2 */
	struct { int item, k; } *ref;	/* every name, as (item, k) */
	int		*chain;		/* the next in ref's bucket + 1, or 0 */
	size_t		 nref;
	int		*work;		/* items put, their names not yet looked at */
	size_t		 nwork;
};

/* A new item of s[a, e) in sc: its index. */
static struct item *
newitem(struct scope *sc, size_t a, size_t e)
{
	struct item *it;

	xgrow(&sc->it, &sc->cap, sc->n + 1, sizeof *sc->it);
	it = &sc->it[sc->n];
	memset(it, 0, sizeof *it);
	it->a = a;
	it->e = e;
	return it;
}

/*
 * The file-scope items, in the file's order, into sc: each #define,
 * each declaration (to its ';' at depth 0, over lines and braces: an
 * enum, a struct, an initialized table) and each definition of a
 * function other than ours.  Other # lines are passed over; so are
 * comments, strings and characters, in which a brace is no brace.
 */
static void
items(const char *s, size_t n, const struct kfn *fn, struct scope *sc)
{
	struct item *it;
	size_t i, j, e, w;
	int f, depth, par, body, keep;

	for (i = 0; i < n;) {
		if ((j = skiplit(s, n, i)) != i || s[i] == ' ' || s[i] == '\t' ||
		    s[i] == '\n' || s[i] == ';') {
			i = j != i ? j : i + 1;
			continue;
		}
		for (f = 0; f < Nfn; f++)
			if (i >= fn[f].start && i < fn[f].end)
				break;
		if (f < Nfn) {
			i = fn[f].end;
			continue;
		}
		if (s[i] == '#') {
			for (e = i; e < n && s[e] != '\n'; e++)
				if (s[e] == '\\' && e + 1 < n && s[e + 1] == '\n')
					e++;
			if (strncmp(s + i, "#define", 7) == 0) {
				it = newitem(sc, i, e);
				it->define = 1;
				for (w = i + 7; w < e && (s[w] == ' ' ||
				    s[w] == '\t'); w++)
					;
				for (j = w; j < e && isid(s[j]); j++)
					;
				itemname(it, w, j - w);
				sc->n += it->nname > 0;
			}
			i = e;
			continue;
		}
		/* to the ';' at depth 0, or a function's body */
		depth = par = body = 0;
		for (e = i; e < n; ) {
			if ((j = skiplit(s, n, e)) != e) {
				e = j;
				continue;
			}
			if (s[e] == '(')
				par++;
			else if (s[e] == ')')
				par--;
			else if (s[e] == '{') {
				if (depth == 0 && par == 0 && body == 0 && e > i &&
				    memchr(s + i, '(', e - i) != NULL &&
				    memchr(s + i, '=', e - i) == NULL)
					body = 1;
				depth++;
			} else if (s[e] == '}') {
				if (--depth == 0 && body) {
					e++;
					break;
				}
			} else if (s[e] == ';' && depth == 0 && par == 0) {
				e++;
				break;
			}
			e++;
		}
		it = newitem(sc, i, e);
		if (body) {
			it->fn = 1;
			fnname(s, i, e, it);
			keep = it->nname > 0;
		} else
			keep = declnames(s, i, e, it);
		if (keep)
			sc->n++;
		else
			free(it->name);
		i = e;
	}
}

/* The bucket of the name s[0, len). */
static size_t
namebucket(const struct scope *sc, const char *s, size_t len)
{
	return keyhashn(s, len) & (sc->nbucket - 1);
}

/* Every name of every item, in buckets by its hash (chained in ref). */
static void
hashnames(const char *s, struct scope *sc)
{
	size_t i, k, nn, b;
	int *next;

	for (nn = i = 0; i < sc->n; i++)
		nn += sc->it[i].nname;
	for (sc->nbucket = 16; sc->nbucket < 2 * nn; sc->nbucket *= 2)
		;
	sc->bucket = xcalloc(sc->nbucket, sizeof *sc->bucket);
	sc->ref = xreallocarray(NULL, nn + 1, sizeof *sc->ref);
	next = xreallocarray(NULL, nn + 1, sizeof *next);
	for (i = 0; i < sc->n; i++)
		for (k = 0; k < sc->it[i].nname; k++) {
			b = namebucket(sc, s + sc->it[i].name[k].at,
			    sc->it[i].name[k].len);
			sc->ref[sc->nref].item = (int)i;
			sc->ref[sc->nref].k = (int)k;
			next[sc->nref] = sc->bucket[b];
			sc->bucket[b] = (int)++sc->nref;
		}
	sc->work = xreallocarray(NULL, sc->n + 1, sizeof *sc->work);
	sc->chain = next;
}

/* The items that declare the name s[w, w+len): each put, and to look at. */
static void
mark(const char *s, struct scope *sc, size_t w, size_t len)
{
	const struct iname *nm;
	struct item *it;
	int r;

	for (r = sc->bucket[namebucket(sc, s + w, len)]; r > 0;
	    r = sc->chain[r - 1]) {
		it = &sc->it[sc->ref[r - 1].item];
		nm = &it->name[sc->ref[r - 1].k];
		if (it->put || it->never || nm->len != len ||
		    memcmp(s + nm->at, s + w, len) != 0)
			continue;
		it->put = 1;
		sc->work[sc->nwork++] = sc->ref[r - 1].item;
	}
}

/* Every name the code of s[a, b) uses (not in comments or strings). */
static void
markuses(const char *s, struct scope *sc, size_t a, size_t b)
{
	size_t i, j;

	for (i = a; i < b;) {
		if ((j = skiplit(s, b, i)) != i) {
			i = j;
			continue;
		}
		if (!isid(s[i]) || (i > a && isid(s[i - 1]))) {
			i++;
			continue;
		}
		for (j = i; j < b && isid(s[j]); j++)
			;
		if (s[i] < '0' || s[i] > '9')
			mark(s, sc, i, j - i);
		i = j;
	}
}

/*
 * The file-scope items the functions use, and those that they use in
 * turn, marked put: each item's code is looked at once, its names
 * found by their hash, so that the work follows the file's length.  A
 * function of the file is taken when the kernel has none of its name
 * (the kernel's flushmmu, lock and the like stand in for the file's).
 */
static void
scope(const char *s, size_t n, const struct kfn *fn, struct scope *sc)
{
	struct item *it;
	size_t i;
	int f;

	memset(sc, 0, sizeof *sc);
	items(s, n, fn, sc);
	for (i = 0; i < sc->n; i++) {
		it = &sc->it[i];
		it->never = it->fn && uses(kernel, 0, sizeof kernel - 1,
		    s + it->name[0].at, it->name[0].len);
	}
	hashnames(s, sc);
	for (f = 0; f < Nfn; f++)
		markuses(s, sc, fn[f].open, fn[f].end);
	while (sc->nwork > 0) {
		it = &sc->it[sc->work[--sc->nwork]];
		markuses(s, sc, it->a, it->e);
	}
}

static void
scopefree(struct scope *sc)
{
	size_t i;

	for (i = 0; i < sc->n; i++)
		free(sc->it[i].name);
	free(sc->it);
	free(sc->bucket);
	free(sc->ref);
	free(sc->chain);
	free(sc->work);
}

/* The items put that are declarations (fns 0) or functions (fns 1). */
static void
putitems(struct buf *b, const char *s, const struct scope *sc, int fns,
    const char *path)
{
	const struct item *it;
	size_t i;

	for (i = 0; i < sc->n; i++) {
		it = &sc->it[i];
		if (!it->put || it->fn != fns)
			continue;
		if (it->define)
			putf(b, "#undef %.*s\n", (int)it->name[0].len, s +
			    it->name[0].at);
		putsrc(b, s, it->a, it->e, path);
	}
}

/* Prototypes of the functions put, each header as the file has it. */
static void
putprotos(struct buf *b, const char *s, const struct scope *sc,
    const char *path)
{
	const struct item *it;
	size_t i;

	for (i = 0; i < sc->n; i++) {
		it = &sc->it[i];
		if (it->put && it->fn) {
			putf(b, "#line %d \"%s\"\n", lineof(s, it->a), path);
			put(b, s + it->a, it->open - it->a);
			put(b, ";\n", 2);
		}
	}
}

/*
 * The program: the kernel, each function's name made vmapview's own
 * (the host has functions of the same names), the file-scope lines,
 * prototypes, the functions; a hook on vmapalloc for vmap, to know
 * what it returned; the entry points.
 */
static char *
generate(const char *s, size_t n, const struct kfn *fn, int flavour,
    const char *path, int didmmuinit)
{
	struct scope sc;
	struct buf b;
	int f;

	memset(&b, 0, sizeof b);
	/* active.machs: a bitmap, or (9front, 2019) an array of flags */
	if (uses(s, 0, n, "machs", 5) && strstr(s, "machs[") != NULL)
		putf(&b, "#define VV_MACHS_ARRAY 1\n");
	putf(&b, "#line 1 \"<vmapview's kernel>\"\n");
	put(&b, kernel, strlen(kernel));
	for (f = 0; f < Nfn; f++)
		putf(&b, "#define %s vvk_%s\n", fnnames[f], fnnames[f]);
	scope(s, n, fn, &sc);
	putitems(&b, s, &sc, 0, path);
	/* prototypes: each header as the file has it */
	for (f = 0; f < Nfn; f++) {
		putf(&b, "#line %d \"%s\"\n", fn[f].line, path);
		put(&b, s + fn[f].start, fn[f].open - fn[f].start);
		put(&b, ";\n", 2);
	}
	putprotos(&b, s, &sc, path);
	/*
	 * vmapalloc hooked where vmap's path calls it (vmap, or a function
	 * of the file's that vmap calls, such as vmapflags), to know what
	 * it returned
	 */
	putf(&b, "#line 1 \"<vmapview's kernel>\"\n"
	    "static ulong vvk_hooked(ulong size) { ulong va = "
	    "vvk_vmapalloc(size); vv->allocva = va; "
	    "vv->allocated = 1; return va; }\n");
	for (f = 0; f < Nfn; f++) {
		if (f == Fvmap)
			putf(&b, "#undef vmapalloc\n#define vmapalloc vvk_hooked\n");
		putsrc(&b, s, fn[f].start, fn[f].end, path);
		if (f == Fvmap)
			putf(&b, "#undef vmapalloc\n#define vmapalloc "
			    "vvk_vmapalloc\n");
	}
	putf(&b, "#undef vmapalloc\n#define vmapalloc vvk_hooked\n");
	putitems(&b, s, &sc, 1, path);
	putf(&b, "#undef vmapalloc\n#define vmapalloc vvk_vmapalloc\n");
	scopefree(&sc);
	putf(&b, "#line 1 \"<vmapview's kernel>\"\n"
	    "#define VVEXPORT __attribute__((visibility(\"default\")))\n"
	    "VVEXPORT int vv_init(struct vvhost *h) { vv = h; m = &h->mach; %s"
	    "return %d; }\n"
	    "VVEXPORT ulong vv_vmap(uvlong pa, vlong size) { "
	    "return (ulong)(unsigned long)vvk_vmap((%s)pa, size); }\n"
	    "VVEXPORT void vv_vunmap(ulong va, vlong size) { "
	    "vvk_vunmap((void*)(unsigned long)va, size); }\n"
	    "VVEXPORT ulong vv_vmapalloc(ulong size) { "
	    "return vvk_vmapalloc(size); }\n"
	    "VVEXPORT void *vv_fns[] = { (void*)vvk_mmuwalk, "
	    "(void*)vvk_findhole, (void*)vvk_vmapalloc, (void*)vvk_pdbmap, "
	    "(void*)vvk_pdbunmap, (void*)vvk_vmap, (void*)vvk_vunmap };\n"
	    "VVEXPORT const char *vv_fnnames[] = { \"mmuwalk\", "
	    "\"findhole\", \"vmapalloc\", \"pdbmap\", \"pdbunmap\", "
	    "\"vmap\", \"vunmap\" };\n",
	    didmmuinit ? "didmmuinit = 1; " : "", VVABI,
	    flavour == Klabs ? "ulong" : "uvlong");
	return b.s;
}

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
static int
compile(const char *src, const char *path, const char *text, size_t tlen,
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

/*
 * PDEs the file's code wrote that point at no page of the pool: the
 * model could not follow them, and no kernel could either.  The first
 * is said as a crash into a (the call had returned); each is cleared.
 * Returns how many there were.
 */
static int
badpdes(Mmu *m, struct kanswer *a)
{
	uint32_t pde;
	int i, n, k;

	n = 0;
	for (i = 0; i < NPDE; i++) {
		pde = m->pdb[i];
		if (!ispt(pde))
			continue;
		k = pde >= PTPOOLBASE ? (int)ptindex(pde) : -1;
		if (k >= 0 && k < m->pt.n && m->pt.pg[k].pte != NULL &&
		    m->pt.pg[k].state != Pgfree)
			continue;
		if (n++ == 0 && a->how != KRcrash && a->how != KRhang) {
			a->how = KRcrash;
			snprintf(a->said, sizeof a->said, "it wrote PDE %d = "
			    "0x%.8x, which points at no page table of the pool",
			    i, pde);
		}
		m->pdb[i] = 0;
	}
	return n;
}

/* Table pg's counts made again from its words. */
static void
tablecount(Ptpage *pg)
{
	int j;

	pg->nvalid = 0;
	memset(pg->used, 0, sizeof pg->used);
	for (j = 0; j < WD2PG; j++)
		if (pg->pte[j] != 0) {
			pg->used[j / 64] |= 1ull << (j % 64);
			pg->nvalid++;
		}
	pg->dirty = 1;
}

/*
 * The pool's counts made again from the words the file's code wrote:
 * the valid PTEs and bitmap of each table a's call wrote (all, where
 * that is not known) and of each table a PDE points at anew (before,
 * the PDEs the call began with); a table no PDE points at any more (a
 * 4 MiB page written over it) leaked.
 */
static void
resync(Mmu *m, const struct kanswer *a, const uint32_t *before)
{
	uint8_t *ref;
	int i, k;

	ref = xcalloc(m->pt.n + 1, 1);
	for (i = 0; i < NPDE; i++) {
		if (!ispt(m->pdb[i]) || m->pdb[i] < PTPOOLBASE ||
		    ptindex(m->pdb[i]) >= m->pt.n)
			continue;
		k = ptindex(m->pdb[i]);
		if (ref[k] != 2 && (a->ndirty < 0 || m->pdb[i] != before[i])) {
			tablecount(mmupage(m, m->pdb[i]));
			ref[k] = 2;	/* counted */
		} else if (ref[k] == 0)
			ref[k] = 1;
	}
	for (i = 0; a->ndirty > 0 && i < a->ndirty; i++) {
		k = a->dirty[i];
		if (k >= 0 && k < m->pt.n && ref[k] == 1) {
			tablecount(&m->pt.pg[k]);
			ref[k] = 2;	/* counted */
		}
	}
	for (i = 0; i < m->pt.n; i++)
		if (m->pt.pg[i].state == Pgtable && !ref[i])
			ptorphan(&m->pt, i);
	free(ref);
	m->counted = 0;
	m->treeok = 0;
}

static struct ksrc *
ksrcof(const Mmu *m)
{
	return m->policy->priv;
}

/* The floor to search for the largest vmap with a call on m, or -1. */
static int64_t
hintof(const Mmu *m)
{
	const struct ksrc *k = ksrcof(m);

	return k->hint == 0 || k->child.hung ? -1 : (int64_t)k->hint - 1;
}

/* The state a call left on m: stamped, and its largest vmap kept. */
static void
afterof(Mmu *m, const struct kanswer *a)
{
	struct ksrc *k = ksrcof(m);

	m->kstamp = ++kstamps;
	if (a->searched) {
		k->stamp = m->kstamp;
		k->after = a->after;
		k->afterfloor = (uint32_t)(k->hint - 1);
	}
}

/*
 * A call that did not return (a panic of the file's own, or its code
 * crashed or hung): the panic at m, with its words.  A crash or a hang
 * is a panic of its own kind, which ends the run whatever keeps going.
 */
static void
callpanic(Mmu *m, const struct kanswer *a, uint32_t va)
{
	mmupanic(m, a->how == KRcrash ? PNcrash : a->how == KRhang ? PNhang :
	    PNsaid, PCnone, va, 0, 0);
	/* a crash's or a hang's words say what; the result, which */
	m->panic.said = saidtext(saidkeep(a->said));
}

/*
 * The PDE of va before the call a answered (before: the PDEs then), and
 * into *pte the PTE then: the table as the call found it (kchild_was)
 * or, unwritten, as it is; 0 for a blank or a 4 MiB PDE.
 */
static uint32_t
wordbefore(Mmu *m, const struct kanswer *a, const uint32_t *before,
    uint32_t va, uint32_t *pte)
{
	const uint32_t *w;
	uint32_t pde;
	int k;

	*pte = 0;
	pde = before[PDX(va)];
	if (!ispt(pde) || pde < PTPOOLBASE || ptindex(pde) >= m->pt.n)
		return pde;
	k = ptindex(pde);
	if ((w = kchild_was(&ksrcof(m)->child, a, k)) == NULL)
		w = m->pt.pg[k].pte;
	if (w != NULL)
		*pte = w[PTX(va)];
	return pde;
}

/*
 * Where the state before the call stood in the way of the file's panic
 * (cause and the page into m->panic): for a vmap, the first page of
 * [va, va+size) in use; for a vunmap, the first one not mapped, else
 * the first 4 MiB page of the range (PCinuse4m), a page a pdbunmap
 * may stumble on.  Said only where every table the call wrote is known
 * as it was.
 */
static void
inway(Mmu *m, const struct kanswer *a, const uint32_t *before, int vmapping,
    uint32_t va, uint32_t size)
{
	uint64_t v, end;
	uint32_t pde, pte;

	if (a->ndirty < 0 || a->how != KRpanic)
		return;
	end = (uint64_t)va + size;
	for (v = va; v < end && v < 1ull << 32;) {
		pde = wordbefore(m, a, before, (uint32_t)v, &pte);
		if ((pde & PTEVALID) && (pde & PTESIZE)) {
			/* a vunmap's: noted, unless a page not mapped follows */
			if (vmapping || m->panic.cause == PCnone) {
				m->panic.cause = PCinuse4m;
				m->panic.va = (uint32_t)v & ~(PGDIRSIZE - 1);
				m->panic.word = pde;
			}
			if (vmapping)
				return;
			v = (v | (PGDIRSIZE - 1)) + 1;
			continue;
		}
		if (!(pde & PTEVALID)) {
			if (!vmapping) {
				m->panic.cause = PCblankpde;
				m->panic.va = (uint32_t)v;
				m->panic.word = pde;
				return;
			}
			v = (v | (PGDIRSIZE - 1)) + 1;
			continue;
		}
		if (vmapping ? (pte & PTEVALID) != 0 : !(pte & PTEVALID)) {
			m->panic.cause = vmapping ? PCinuse : PCfreepte;
			m->panic.va = (uint32_t)v;
			m->panic.word = pte;
			return;
		}
		v += BY2PG;
	}
}

/* vmap, by the file's own. */
static int
srcvmap(Mmu *m, uint32_t pa, int32_t size, uint32_t *vap)
{
	struct kanswer a;
	uint32_t before[NPDE], va, o, rsize;
	int code;

	memcpy(before, m->pdb, sizeof before);
	o = pa & (BY2PG - 1);
	rsize = ROUND((uint32_t)size + o, BY2PG);
	kchild_call(&ksrcof(m)->child, m, KCvmap, pa, size, hintof(m), &a);
	afterof(m, &a);
	badpdes(m, &a);
	resync(m, &a, before);
	if (a.how != KRreturned) {
		callpanic(m, &a, 0);
		m->panic.allocva = a.allocated ? a.allocva : 0;
		m->why = (Reason){ RSpanic, { PDX(a.allocva),
		    PDX(a.allocva + (rsize ? rsize - 1 : 0)), WD2PG } };
		if (a.allocated && a.allocva != 0)
			inway(m, &a, before, 1, a.allocva, rsize);
		return Vpanic;
	}
	va = a.ret;
	if (va == 0 && a.printed) {
		m->why = (Reason){ RSsaid, { saidkeep(a.said) } };
		return Vrefused;
	}
	if (va == 0) {
		window_whyfail(m, rsize, &m->why);
		return Vfail;
	}
	va -= o;
	if (va < m->vmap || (uint64_t)va + rsize > (uint64_t)m->vmap +
	    m->vmapsize) {
		/* the kernel took it; the reason says where it went */
		placedreason(m, RSoutside, pa - o, va, rsize, &m->why);
		*vap = va + o;
		return Vok;
	}
	if (!(before[PDX(va)] & PTEVALID))
		code = rsize >= PGDIRSIZE ? RSblankrun : RSnewtable;
	else
		code = PDX(va) == PDX(va + rsize - 1) ? RShole : RSrun;
	placedreason(m, code, pa - o, va, rsize, &m->why);
	*vap = va + o;
	return Vok;
}

/* vunmap, by the file's own. */
static int
srcvunmap(Mmu *m, uint32_t va, int32_t size)
{
	struct kanswer a;
	uint32_t before[NPDE], o, s;

	memcpy(before, m->pdb, sizeof before);
	o = va & (BY2PG - 1);
	s = ROUND((uint32_t)size + o, BY2PG);
	m->why = (Reason){ RSunmapped, { s / BY2PG, PDX(va - o),
	    PDX(va - o + (s ? s - 1 : 0)) } };
	kchild_call(&ksrcof(m)->child, m, KCvunmap, va, size, hintof(m), &a);
	afterof(m, &a);
	badpdes(m, &a);
	resync(m, &a, before);
	if (a.how != KRreturned) {
		callpanic(m, &a, va - o);
		unmappanic(m, va - o, s);
		inway(m, &a, before, 0, va - o, s);
		return -1;
	}
	return 0;
}

/*
 * File k's vmapalloc as a dry run on m, whichever policy m replays
 * (the measures ask every policy what it would place, the probes):
 * its page directory is thrown away.  A panic or a crash places
 * nothing; once a dry run has hung, no more are made (each would wait
 * the whole time limit), and they place nothing.
 */
static uint32_t
srcalloc(struct ksrc *k, Mmu *m, uint32_t size)
{
	struct kanswer a;

	if (k->child.hung)
		return 0;
	kchild_call(&k->child, m, KCvmapalloc, 0, size, -1, &a);
	if (a.how == KRhang)
		k->child.hung = 1;
	return a.how == KRreturned ? a.ret : 0;
}

/*
 * Whether file k's vmapalloc runs over page tables, found by what it
 * does rather than by what its text says: on a vmap whose every PDE
 * holds a full table but for the first, empty (a stale table), and the
 * free head of the second (512 pages), asked for 6 MiB, a vmapalloc that
 * runs over tables (the patch's, or its intent's) places it at the
 * vmap's start and one that does not finds no room: there is no blank
 * PDE.  Into k->spans, with the reason in k->spanwhy.
 */
static void
spanstest(struct ksrc *k, int flavour)
{
	struct kanswer a;
	Mmuconf c;
	uint32_t *pte;
	Mmu m;
	int i, j, pg;

	memset(&c, 0, sizeof c);
	c.policy = policyfind("plan9");
	c.kernel = flavour;
	c.pse = 1;
	c.vmap = DEFVMAP;
	c.vmapsize = DEFVMAPSIZE;
	mmuinit(&m, &c);
	for (i = 0; i < (int)(c.vmapsize / PGDIRSIZE); i++) {
		pg = ptalloc(&m.pt);
		m.pdb[PDX(c.vmap) + i] = ptaddr(pg) | PTEWRITE | PTEVALID;
		pte = m.pt.pg[pg].pte;
		for (j = 0; j < WD2PG; j++)
			pte[j] = i == 0 || (i == 1 && j < WD2PG / 2) ? 0 :
			    (uint32_t)(i * WD2PG + j + 1) * BY2PG |
			    PTEUNCACHED | PTEWRITE | PTEVALID;
	}
	kchild_call(&k->child, &m, KCvmapalloc, 0, PGDIRSIZE + PGDIRSIZE / 2,
	    -1, &a);
	k->spans = a.how == KRreturned && a.ret == c.vmap;
	if (k->spans)
		snprintf(k->spanwhy, sizeof k->spanwhy, "its vmapalloc placed "
		    "6M over an empty table and the free head of the next");
	else if (a.how == KRreturned && a.ret != 0)
		snprintf(k->spanwhy, sizeof k->spanwhy, "its vmapalloc placed "
		    "6M at 0x%.8x, not over an empty table and the next", a.ret);
	else
		snprintf(k->spanwhy, sizeof k->spanwhy, "its vmapalloc found no "
		    "room for 6M over an empty table and the next");
	mmufree(&m);
}

/*
 * Which kernel's pdbunmap file k has, found by what it does: asked to
 * vunmap two 4 MiB pages from the first's start, Bell Labs' clears the
 * first, rounds va up to where it already is, and panics on the blank
 * PDE; 9front's clears both.  Said after the signatures' reason, with a
 * warning where the two disagree: no kernel of the model is that pair.
 */
static void
unmapstest(struct ksrc *k, int flavour)
{
	struct kanswer a;
	Mmuconf c;
	Mmu m;
	int got;
	size_t n;

	memset(&c, 0, sizeof c);
	c.policy = policyfind("plan9");
	c.kernel = flavour;
	c.pse = 1;
	c.vmap = DEFVMAP;
	c.vmapsize = DEFVMAPSIZE;
	mmuinit(&m, &c);
	m.pdb[PDX(c.vmap)] = 0x40000000u | PTESIZE | PTEUNCACHED | PTEWRITE |
	    PTEVALID;
	m.pdb[PDX(c.vmap) + 1] = 0x40400000u | PTESIZE | PTEUNCACHED |
	    PTEWRITE | PTEVALID;
	kchild_call(&k->child, &m, KCvunmapdry, c.vmap, 2 * PGDIRSIZE, -1, &a);
	got = -1;
	if (a.how == KRpanic && a.ret == 1)
		got = Klabs;
	else if (a.how == KRreturned && a.ret == 3)
		got = K9front;
	n = strlen(k->sigwhy);
	if (got == flavour)
		snprintf(k->sigwhy + n, sizeof k->sigwhy - n, ", and its "
		    "pdbunmap is %s", got == Klabs ? "Bell Labs'" : "9front's");
	else if (got >= 0)
		snprintf(k->sigwhy + n, sizeof k->sigwhy - n, ", but its "
		    "pdbunmap is %s (no kernel of the model has both)",
		    got == Klabs ? "Bell Labs'" : "9front's");
	else
		snprintf(k->sigwhy + n, sizeof k->sigwhy - n, ", and its "
		    "pdbunmap is neither kernel's");
	mmufree(&m);
}

/*
 * File k's largest vmap on m (op KClargest: where it is below floor;
 * else any figure from floor up), or the fewest pages its vmapalloc
 * does not place (op KCmisfit): the search by dry runs, made in the
 * child at once rather than one call a size.
 */
static uint32_t
srcsearch(struct ksrc *k, Mmu *m, int op, uint32_t floor)
{
	struct kanswer a;

	if (k->child.hung)
		return op == KClargest ? 0 : 1;
	kchild_call(&k->child, m, op, floor, op == KClargest ? DRYTOP : 0, -1,
	    &a);
	if (a.how == KRhang)
		k->child.hung = 1;
	if (a.how != KRreturned)
		return op == KClargest ? 0 : 1;
	return a.ret;
}

/*
 * File k's largest vmap on m, exact below floor (largestvmap_floor):
 * found with the call that left the state, where it was searched for
 * there with a floor that answers this one; else searched for now.
 * The lowest figure yet is the floor to search with after the next
 * call.
 */
static uint32_t
srcatleast(struct ksrc *k, Mmu *m, uint32_t floor)
{
	uint32_t n;

	/* exact below its floor; at its floor, at least that */
	if (m->kstamp != 0 && m->kstamp == k->stamp && m->policy == &k->pol &&
	    (k->after < k->afterfloor || floor <= k->afterfloor))
		n = k->after;
	else
		n = srcsearch(k, m, KClargest, floor);
	/* the lowest so far, next time */
	k->hint = (n < floor ? n : floor) + 1;
	return n;
}

static uint32_t srclargest0(Mmu *m) { return srcsearch(&ksrcs[0], m, KClargest, 0); }
static uint32_t srclargest1(Mmu *m) { return srcsearch(&ksrcs[1], m, KClargest, 0); }
static uint32_t srclargest2(Mmu *m) { return srcsearch(&ksrcs[2], m, KClargest, 0); }
static uint32_t srclargest3(Mmu *m) { return srcsearch(&ksrcs[3], m, KClargest, 0); }
static uint32_t (*const srclargests[MAXKSRC])(Mmu *) = {
	srclargest0, srclargest1, srclargest2, srclargest3
};
static uint32_t srcatleast0(Mmu *m, uint32_t f) { return srcatleast(&ksrcs[0], m, f); }
static uint32_t srcatleast1(Mmu *m, uint32_t f) { return srcatleast(&ksrcs[1], m, f); }
static uint32_t srcatleast2(Mmu *m, uint32_t f) { return srcatleast(&ksrcs[2], m, f); }
static uint32_t srcatleast3(Mmu *m, uint32_t f) { return srcatleast(&ksrcs[3], m, f); }
static uint32_t (*const srcatleasts[MAXKSRC])(Mmu *, uint32_t) = {
	srcatleast0, srcatleast1, srcatleast2, srcatleast3
};
static uint32_t srcmisfit0(Mmu *m) { return srcsearch(&ksrcs[0], m, KCmisfit, 0); }
static uint32_t srcmisfit1(Mmu *m) { return srcsearch(&ksrcs[1], m, KCmisfit, 0); }
static uint32_t srcmisfit2(Mmu *m) { return srcsearch(&ksrcs[2], m, KCmisfit, 0); }
static uint32_t srcmisfit3(Mmu *m) { return srcsearch(&ksrcs[3], m, KCmisfit, 0); }
static uint32_t (*const srcmisfits[MAXKSRC])(Mmu *) = {
	srcmisfit0, srcmisfit1, srcmisfit2, srcmisfit3
};

/* Policy.vmapalloc has no room for whose: one function per file. */
static uint32_t srcalloc0(Mmu *m, uint32_t s) { return srcalloc(&ksrcs[0], m, s); }
static uint32_t srcalloc1(Mmu *m, uint32_t s) { return srcalloc(&ksrcs[1], m, s); }
static uint32_t srcalloc2(Mmu *m, uint32_t s) { return srcalloc(&ksrcs[2], m, s); }
static uint32_t srcalloc3(Mmu *m, uint32_t s) { return srcalloc(&ksrcs[3], m, s); }
static uint32_t (*const srcallocs[MAXKSRC])(Mmu *, uint32_t) = {
	srcalloc0, srcalloc1, srcalloc2, srcalloc3
};

/* Whether a policy named s is a file: a path, or a name ending in .c. */
int
ksrc_isfile(const char *s)
{
	size_t n;

	n = strlen(s);
	return strchr(s, '/') != NULL || (n > 2 && strcmp(s + n - 2, ".c") == 0);
}

/* Which kernel's signatures a loaded file has; -1 for a built-in. */
int
ksrc_flavour(const Policy *p)
{
	return p->kvmap == srcvmap ? ((const struct ksrc *)p->priv)->flavour :
	    -1;
}

/* Whether a loaded file's vmapalloc runs over page tables. */
int
ksrc_spans(const Policy *p)
{
	return p->kvmap == srcvmap && ((const struct ksrc *)p->priv)->spans;
}

/* The kernel a loaded file's signatures make it, in words; or nil. */
const char *
ksrc_flavourwhy(const Policy *p)
{
	return p->kvmap == srcvmap ? ((const struct ksrc *)p->priv)->sigwhy :
	    NULL;
}

/* How that was found, in words; nil for a built-in. */
const char *
ksrc_spanwhy(const Policy *p)
{
	return p->kvmap == srcvmap ? ((const struct ksrc *)p->priv)->spanwhy :
	    NULL;
}

/*
 * The policy of the pc/mmu.c at path: compiled (or found compiled),
 * loaded and registered.  The same file twice is the same policy.
 * Returns nil with err.
 */
const Policy *
ksrc_load(const char *path, char *err, size_t elen)
{
	struct kfn fn[Nfn];
	struct ksrc *k;
	struct stat st;
	struct sha256 sh;
	char *text, *src, *shown, so[PATH_MAX], base[64], name[80], sum[65];
	char sigwhy[192];
	const char *b;
	size_t len;
	int f, flavour, i, sofd;

	if ((text = slurp(path, &len, &st, err, elen)) == NULL)
		return NULL;
	sha256_init(&sh);
	sha256_add(&sh, text, len);
	sha256_hex(&sh, sum);
	b = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	/* the policy's name and summary are shown: a file's name made text */
	shown = text_clean(b, 0);
	snprintf(base, sizeof base, "%s", shown);
	text_mend(base, sizeof base);
	free(shown);
	/* one policy a file, whatever path or link names it */
	for (i = 0; i < nksrc; i++)
		if (ksrcs[i].pol.priv != NULL && ksrcs[i].dev == st.st_dev &&
		    ksrcs[i].ino == st.st_ino && strcmp(ksrcs[i].sum, sum) == 0) {
			free(text);
			return &ksrcs[i].pol;
		}
	memset(fn, 0, sizeof fn);
	findfns(text, len, fn);
	for (f = 0; f < Nfn; f++)
		if (!fn[f].found) {
			snprintf(err, elen, "%s: no definition of %s (its return "
			    "type on a line of its own, the name at the start of "
			    "the next)", path, fnnames[f]);
			free(text);
			return NULL;
		}
	if ((flavour = flavourof(text, fn, sigwhy, sizeof sigwhy, err,
	    elen)) < 0) {
		free(text);
		return NULL;
	}
	src = generate(text, len, fn, flavour, path,
	    uses(text, 0, len, "didmmuinit", 10));
	if (nksrc == MAXKSRC) {
		snprintf(err, elen, "%s: at most %d kernel source files at once",
		    path, MAXKSRC);
		free(src);
		free(text);
		return NULL;
	}
	if (compile(src, path, text, len, so, sizeof so, &sofd, err,
	    elen) < 0) {
		free(src);
		free(text);
		return NULL;
	}
	k = &ksrcs[nksrc];
	memset(k, 0, sizeof *k);
	k->flavour = flavour;
	snprintf(k->sigwhy, sizeof k->sigwhy, "%s", sigwhy);
	free(src);
	/* its name: the file's, with its bytes' hash where that is taken */
	snprintf(name, sizeof name, "%s", base);
	for (i = 0; policyfind(name) != NULL; i++)
		snprintf(name, sizeof name, i ? "%.40s@%.6s-%d" : "%.40s@%.6s",
		    base, sum, i);
	text_mend(name, sizeof name);
	k->dev = st.st_dev;
	k->ino = st.st_ino;
	memcpy(k->sum, sum, sizeof k->sum);
	snprintf(k->name, sizeof k->name, "%s", name);
	/* the object checked, loaded by its descriptor in its own process */
	if (kchild_init(&k->child, k->name, sofd, err, elen) < 0) {
		close(sofd);
		free(text);
		return NULL;
	}
	spanstest(k, flavour);
	unmapstest(k, flavour);
	shown = text_clean(path, 0);
	snprintf(k->summary, sizeof k->summary, "%s (%s signatures), run "
	    "as compiled", shown, flavour == Klabs ? "Bell Labs" : "9front");
	text_mend(k->summary, sizeof k->summary);
	free(shown);
	k->pol.name = k->name;
	k->pol.summary = k->summary;
	k->pol.vmapalloc = srcallocs[nksrc];
	k->pol.largest = srclargests[nksrc];
	k->pol.atleast = srcatleasts[nksrc];
	k->pol.misfit = srcmisfits[nksrc];
	k->pol.ownkernel = flavour + 1;
	k->pol.unmapfall = Fallcan;
	k->pol.spans = k->spans;
	k->pol.kvmap = srcvmap;
	k->pol.kvunmap = srcvunmap;
	k->pol.priv = k;
	free(text);
	if (policyregister(&k->pol) < 0) {
		snprintf(err, elen, "%s: no room for another policy", path);
		return NULL;
	}
	nksrc++;
	return &k->pol;
}
