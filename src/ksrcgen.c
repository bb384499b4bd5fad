/*
 * The program made of a kernel file (ksrcint.h): a small kernel of
 * vmapview's own, then what the vmap path uses of the file, each
 * function's name made vmapview's own, with #line so that the
 * compiler's messages point into the user's file.
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


/*
 * The kernel the file's functions are compiled against: as much of
 * u.h, mem.h, dat.h and fns.h as the vmap path uses, on the host.
 */
static const char kernel[] =
#include "vvkernel.inc"
;

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
	putf(b, "#line %d \"%s\"\n", ks_lineof(s, a), path);
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
		if ((j = ks_skiplit(s, e, i)) != i) {
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
		if (!ks_isid(s[i]) || (i > a && ks_isid(s[i - 1]))) {
			i++;
			continue;
		}
		for (j = i; j < e && ks_isid(s[j]); j++)
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
		if ((j = ks_skiplit(s, e, p)) != p)
			p = j - 1;
	for (w = p; w > a && (s[w - 1] == ' ' || s[w - 1] == '\t' ||
	    s[w - 1] == '\n'); w--)
		;
	for (j = w; j > a && ks_isid(s[j - 1]); j--)
		;
	itemname(it, j, w - j);
	for (it->open = p; it->open < e && s[it->open] != '{'; it->open++)
		if ((j = ks_skiplit(s, e, it->open)) != it->open)
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
		if ((j = ks_skiplit(s, n, i)) != i || s[i] == ' ' || s[i] == '\t' ||
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
				for (j = w; j < e && ks_isid(s[j]); j++)
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
			if ((j = ks_skiplit(s, n, e)) != e) {
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
		if ((j = ks_skiplit(s, b, i)) != i) {
			i = j;
			continue;
		}
		if (!ks_isid(s[i]) || (i > a && ks_isid(s[i - 1]))) {
			i++;
			continue;
		}
		for (j = i; j < b && ks_isid(s[j]); j++)
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
		it->never = it->fn && ks_uses(kernel, 0, sizeof kernel - 1,
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
			putf(b, "#line %d \"%s\"\n", ks_lineof(s, it->a), path);
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
char *
ks_generate(const char *s, size_t n, const struct kfn *fn, int flavour,
    const char *path, int didmmuinit)
{
	struct scope sc;
	struct buf b;
	int f;

	memset(&b, 0, sizeof b);
	/* active.machs: a bitmap, or (9front, 2019) an array of flags */
	if (ks_uses(s, 0, n, "machs", 5) && strstr(s, "machs[") != NULL)
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
