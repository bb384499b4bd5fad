/*
 * A kernel file's child process (kchild.c): the object loaded there, and
 * each call run on the words the model shares with it, its faults,
 * exits and prints caught and said, a dry run's writes undone, and the
 * pool's pages asked of vmapview when the code takes one.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <dlfcn.h>
#include <link.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "kchild.h"
#include "kslot.h"
#include "p9fmt.h"
#include "text.h"
#include "util.h"
#include "xmalloc.h"

/* The child's own: the slot, its socket, the loaded code. */
static struct kslot	*cs;
static int		 cfd;
static struct vvhost	 host;
static jmp_buf		 panicked;
static uint32_t		 zeropage[WD2PG];	/* KADDR of what is no table */
static void *const	*cfns;			/* the file's functions */
static const char *const *cfnnames;

/*
 * The file's state, its object's writable segments, kept before a dry
 * run and put back after it: a dry run (a measure, a probe) leaves the
 * file as the trace's events left it, without the cost of a copy of
 * the process.
 */
#define NKEEP	8
static struct keep {
	char	*at;
	size_t	 len;
	char	*was;
} keeps[NKEEP];
static int		 nkeep;
static volatile sig_atomic_t drying;	/* a dry run is under way */
static sigjmp_buf	 dryout;		/* where its fault ends it */

/*
 * Which tables a call wrote, seen rather than searched for: the pool's
 * pages are read-only here (guarded, by page of the shared mapping), and
 * the first write to one faults; the fault notes the page and lets the
 * write through.  A dry run's writes are undone: the page's words are
 * kept at its first write and put back after.
 */
#define NUNDO	64
static uint8_t		*guarded;		/* a bit a shared page */
static char		*written[KDIRTY];	/* by the call, in order */
static int		 nwritten;		/* more than KDIRTY: -1 */
static struct undo {
	char	*at;
	char	 was[BY2PG];
} *undo;
static int		 nundo;

/* The child's: the next word from vmapview; 0 if it is gone. */
static uint32_t downseen;
static char
hear(int fd)
{
	char c;
	ssize_t n;
	int w;

	if (kchan_spinus() > 0 && (w = kchan_watch(&cs->down, &downseen)) >= 0)
		return (char)w;
	if ((w = kchan_sleepon(&cs->down, &downseen)) >= 0)
		return (char)w;
	for (;;) {
		while ((n = recv(fd, &c, 1, 0)) < 0 && errno == EINTR)
			;
		if (n != 1)
			return 0;
		if (atomic_load(&cs->down.seq) != downseen) {
			atomic_store(&cs->down.sleeping, 0);
			downseen++;
			return (char)atomic_load(&cs->down.word);
		}
	}
}

/*
 * The file's function that pc is in: the one that starts last at or
 * before it, if that is near (a function is not 64K long).
 */
static void
wherein(uintptr_t pc, char *buf, size_t len)
{
	uintptr_t best, a;
	int f, bf;

	best = 0;
	bf = -1;
	for (f = 0; cfns != NULL && f < NFN; f++) {
		a = (uintptr_t)cfns[f];
		if (a <= pc && a > best) {
			best = a;
			bf = f;
		}
	}
	if (bf >= 0 && pc - best < 65536)
		snprintf(buf, len, "%s", cfnnames[bf]);
	else
		snprintf(buf, len, "code outside the file's functions");
}

static int
isguarded(long pg)
{
	return pg >= 0 && guarded != NULL && (guarded[pg / 8] >> (pg % 8) & 1);
}

static void
setguard(long pg, int on)
{
	if (on)
		guarded[pg / 8] |= 1 << (pg % 8);
	else
		guarded[pg / 8] &= ~(1 << (pg % 8));
}

/*
 * A write to the guarded page at a: note it (a dry run: keep its words
 * to put back) and let it through.  0 if a is no guarded page's, or a
 * dry run has written more pages than it can undo (its fault ends it).
 */
static int
letwrite(char *a)
{
	char *page;
	long pg;

	page = (char *)((uintptr_t)a & ~(uintptr_t)(BY2PG - 1));
	pg = xpage_no(page);
	if (!isguarded(pg))
		return 0;
	if (drying) {
		if (nundo == NUNDO)
			return 0;
		memcpy(undo[nundo].was, page, BY2PG);
		undo[nundo++].at = page;
	} else if (nwritten >= 0 && nwritten < KDIRTY) {
		memcpy(cs->was[nwritten], page, BY2PG);
		written[nwritten++] = page;
	} else
		nwritten = -1;
	if (mprotect(page, BY2PG, PROT_READ | PROT_WRITE) != 0)
		return 0;
	setguard(pg, 0);
	return 1;
}

/*
 * Guard the pool's pages that are not: those granted, written or
 * undone since the last call.  Pages next to each other in the shared
 * mapping take one mprotect.
 */
static void
guardpool(void)
{
	char *from, *p;
	long pg, n;
	int i;

	from = NULL;
	n = 0;
	for (i = 0; i <= cs->npte; i++) {
		p = i < cs->npte ? (char *)cs->pte[i] : NULL;
		pg = p != NULL ? xpage_no(p) : -1;
		if (p != NULL && pg >= 0 && !isguarded(pg) && from != NULL &&
		    p == from + n * BY2PG) {
			setguard(pg, 1);
			n++;
			continue;
		}
		if (from != NULL)
			mprotect(from, n * BY2PG, PROT_READ);
		from = NULL;
		if (p != NULL && pg >= 0 && !isguarded(pg)) {
			setguard(pg, 1);
			from = p;
			n = 1;
		}
	}
}

/* The dry run's writes undone, its pages guarded again. */
static void
undowrites(void)
{
	while (nundo > 0) {
		nundo--;
		memcpy(undo[nundo].at, undo[nundo].was, BY2PG);
	}
	guardpool();
}

/* The call's written pages, by the pool's index, into its answer. */
static void
sawwritten(void)
{
	int i, j, n;

	n = 0;
	for (i = 0; nwritten >= 0 && i < nwritten; i++)
		for (j = 0; j < cs->npte; j++)
			if ((char *)cs->pte[j] == written[i]) {
				cs->ans.wasat[n] = i;
				cs->ans.dirty[n++] = j;
				break;
			}
	cs->ans.ndirty = nwritten < 0 ? -1 : n;
	nwritten = 0;
}

/* A signal that ends the child: say where, then die of it. */
static void
onfault(int sig, siginfo_t *si, void *uc)
{
	uintptr_t pc;

	if (sig == SIGSEGV && si->si_code == SEGV_ACCERR &&
	    letwrite((char *)si->si_addr))
		return;
	pc = 0;
#if defined(__x86_64__)
	pc = (uintptr_t)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
#elif defined(__i386__)
	pc = (uintptr_t)((ucontext_t *)uc)->uc_mcontext.gregs[REG_EIP];
#endif
	(void)uc;
	if (drying) {
		drying = 0;
		siglongjmp(dryout, 1);
	}
	if (cs != NULL) {
		cs->sig = sig;
		wherein(pc, cs->where, sizeof cs->where);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void *
ckaddr(uint32_t pa)
{
	int64_t i;

	i = ((int64_t)pa - PTPOOLBASE) / BY2PG;
	if (pa < PTPOOLBASE || i >= cs->npte || cs->pte[i] == NULL)
		return zeropage;
	return cs->pte[i];
}

static uint32_t
cpaddr(void *p)
{
	int i;

	for (i = 0; i < cs->npte; i++)
		if (cs->pte[i] == p)
			return ptaddr(i);
	return 0;
}

/* A page of the pool, granted by the parent; none left: the panic. */
static void *
cxspanalloc(uint32_t size, int align, uint32_t span)
{
	(void)size;
	(void)align;
	(void)span;
	if (kchan_say(&cs->up, cfd, 'A') < 0)
		_exit(0);
	if (hear(cfd) != 'Y' || cs->newpage < 0) {
		snprintf(cs->ans.said, sizeof cs->ans.said,
		    "xspanalloc: %u %u %u", BY2PG, BY2PG, 0u);
		longjmp(panicked, 1);
	}
	cs->inuse++;
	return cs->pte[cs->newpage];
}

static void *
crampage(void)
{
	return cxspanalloc(BY2PG, BY2PG, 0);
}

/*
 * print: every line to the call's console; the first, what it said
 * (a refusal's words are its first print).
 */
static int
cprint(const char *fmt, va_list ap)
{
	char line[PANICLEN];
	size_t n;

	p9fmt(line, sizeof line, fmt, ap);
	n = strnlen(cs->ans.console, sizeof cs->ans.console);
	if (n + 1 < sizeof cs->ans.console)
		snprintf(cs->ans.console + n, sizeof cs->ans.console - n, "%s",
		    line);
	if (!cs->ans.printed) {
		snprintf(cs->ans.said, sizeof cs->ans.said, "%s", line);
		p9said(cs->ans.said);
	}
	cs->ans.printed = 1;
	return strlen(line);
}

static void
cpanic(const char *fmt, va_list ap)
{
	p9fmt(cs->ans.said, sizeof cs->ans.said, fmt, ap);
	p9said(cs->ans.said);
	longjmp(panicked, 1);
}

/* The file called exit in function fn: say so, and where, and end. */
static void
cexit(int n, const char *fn)
{
	if (drying) {
		drying = 0;
		siglongjmp(dryout, 1);
	}
	cs->exited = 1;
	cs->exitcode = n;
	if (strncmp(fn, "vvk_", 4) == 0)
		fn += 4;
	snprintf(cs->where, sizeof cs->where, "%s", fn);
	_exit(0);
}

static uint32_t (*callocf)(uint32_t);
static void (*cvunmapf)(uint32_t, int64_t);

/* A dry run's table: the words of the page a PDE points at. */
static uint32_t *
drytable(void *arg, uint32_t pde)
{
	(void)arg;
	return ckaddr(pde & ~(uint32_t)(BY2PG - 1));
}

/* A dry run's vmapalloc: a panic places nothing. */
static uint32_t
dryalloc(void *arg, uint32_t size)
{
	jmp_buf *outer = arg;
	uint32_t va;

	if (setjmp(panicked)) {
		memcpy(&panicked, outer, sizeof panicked);
		return 0;
	}
	va = callocf(size);
	memcpy(&panicked, outer, sizeof panicked);
	return va;
}

/* The searches by dry runs, on the slot's words, in the child. */
static uint32_t
crunsearch(int op, uint32_t top, uint32_t floor)
{
	struct dryrun d;
	jmp_buf outer;

	memcpy(&outer, &panicked, sizeof outer);
	d.pdb = cs->pdb;
	d.table = drytable;
	d.alloc = dryalloc;
	d.arg = &outer;
	d.budget = cs->budget;
	d.inuse = cs->inuse;
	d.vmap = cs->vmapat;
	d.vmapsize = cs->vmaplen;
	return op == KClargest ? dry_largest(&d, top, floor) : dry_misfit(&d);
}

/* The object's writable segments, found once it is loaded. */
static int
keepone(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct link_map *lm = arg;
	const ElfW(Phdr) *ph;
	int i;

	(void)size;
	if (info->dlpi_addr != lm->l_addr || nkeep > 0)
		return 0;
	for (i = 0; i < info->dlpi_phnum && nkeep < NKEEP; i++) {
		ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W) ||
		    ph->p_memsz == 0)
			continue;
		keeps[nkeep].at = (char *)(info->dlpi_addr + ph->p_vaddr);
		keeps[nkeep].len = ph->p_memsz;
		if ((keeps[nkeep].was = malloc(ph->p_memsz)) == NULL)
			return 1;
		nkeep++;
	}
	return 1;
}

/* Keep the file's state (keep), or put it back (!keep). */
static void
keepstate(int keep)
{
	size_t off, n;
	int i;

	for (i = 0; i < nkeep; i++) {
		if (keep) {
			memcpy(keeps[i].was, keeps[i].at, keeps[i].len);
			continue;
		}
		/* only what changed: the read-only part after relocation is not */
		for (off = 0; off < keeps[i].len; off += n) {
			/* to the page's end: a page is read-only or not */
			n = BY2PG - ((uintptr_t)(keeps[i].at + off) &
			    (BY2PG - 1));
			if (n > keeps[i].len - off)
				n = keeps[i].len - off;
			if (memcmp(keeps[i].at + off, keeps[i].was + off, n) != 0)
				memcpy(keeps[i].at + off, keeps[i].was + off, n);
		}
	}
	if (!keep)
		memset(zeropage, 0, sizeof zeropage);
}

/*
 * A dry run (vmapalloc alone, or a search by them) whose effect on the
 * file is thrown away: its state is kept before and put back after, so
 * that the file's own state (a next-fit cursor, a count of calls) sees
 * the trace's events only.  A dry run that faults or calls exit answers
 * a panic, and the child goes on.
 */
static int
crundry(uint32_t (*allocf)(uint32_t), int op, uint32_t size,
    uint32_t floor, uint32_t *ret)
{
	volatile int how;

	guardpool();	/* what the call before wrote, too */
	keepstate(1);
	*ret = 0;
	if (sigsetjmp(dryout, 1))
		how = KRpanic;
	else if (setjmp(panicked)) {
		drying = 0;
		how = KRpanic;
	} else {
		callocf = allocf;
		drying = 1;
		if (op == KCvunmapdry)
			cvunmapf(floor, size);
		else
			*ret = op == KCvmapalloc ? allocf(size) :
			    crunsearch(op, size, floor);
		drying = 0;
		how = KRreturned;
	}
	if (how != KRreturned)
		*ret = 0;
	if (op == KCvunmapdry)	/* what it left of the range's first PDEs */
		*ret = (cs->pdb[PDX(floor)] == 0) |
		    (cs->pdb[(PDX(floor) + 1) % NPDE] == 0) << 1;
	keepstate(0);
	undowrites();
	/* what the dry run's end wrote is not the child's */
	cs->sig = 0;
	cs->exited = 0;
	cs->where[0] = '\0';
	return how;
}

/* Run the call in the slot. */
static void
crun(uint32_t (*vmapf)(uint64_t, int64_t), void (*vunmapf)(uint32_t,
    int64_t), uint32_t (*allocf)(uint32_t))
{
	memset(&cs->ans, 0, sizeof cs->ans);
	host.vmapat = cs->vmapat;
	host.vmaplen = cs->vmaplen;
	host.pse = cs->pse;
	host.mach.pdb = cs->pdb;
	host.mach.cpuiddx = cs->pse ? 1u << 3 : 0;
	host.allocva = 0;
	host.allocated = 0;
	guardpool();
	nwritten = 0;
	cvunmapf = vunmapf;
	if (cs->op != KCvmap && cs->op != KCvunmap)
		cs->ans.how = crundry(allocf, cs->op, (uint32_t)cs->size,
		    (uint32_t)cs->pa, &cs->ans.ret);
	else if (setjmp(panicked)) {
		cs->ans.how = KRpanic;
	} else {
		if (cs->op == KCvmap)
			cs->ans.ret = vmapf(cs->pa, cs->size);
		else
			vunmapf((uint32_t)cs->pa, cs->size);
		cs->ans.how = KRreturned;
	}
	sawwritten();
	cs->ans.allocated = host.allocated;
	cs->ans.allocva = host.allocva;
	/* the largest vmap the state now allows, asked for with the call */
	if (cs->ans.how == KRreturned && cs->after >= 0 &&
	    (cs->op == KCvmap || cs->op == KCvunmap))
		cs->ans.searched = crundry(allocf, KClargest, DRYTOP,
		    (uint32_t)cs->after, &cs->ans.after) == KRreturned;
}

/*
 * The child's signals: faults caught on a stack of their own, the
 * terminal's ignored; and its standard files /dev/null.
 */
static void
childsignals(void)
{
	static char altstack[1 << 16];
	static const int faults[] = {
		SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS
	};
	static const int quiet[] = {
		SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE
	};
	struct sigaction sa;
	stack_t ss;
	size_t i;
	int null;

	for (i = 0; i < sizeof quiet / sizeof quiet[0]; i++)
		signal(quiet[i], SIG_IGN);
	if ((null = open("/dev/null", O_RDWR)) >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		close(null);
	}
	ss.ss_sp = altstack;
	ss.ss_size = sizeof altstack;
	ss.ss_flags = 0;
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = onfault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	for (i = 0; i < sizeof faults / sizeof faults[0]; i++)
		sigaction(faults[i], &sa, NULL);
}

/* The child cannot run the file: why, said to vmapview; the end. */
static void cannot(int, const char *, const char *)
    __attribute__((noreturn));

static void
cannot(int fd, const char *why, const char *more)
{
	snprintf(cs->loaderr, sizeof cs->loaderr, "%s%s", why, more);
	kchan_say(&cs->up, fd, 'E');
	_exit(0);
}

/*
 * The child: nothing of the terminal's, the faults caught to say where,
 * the object loaded by its descriptor; then a call at each byte.
 */
void
kchild_childmain(struct kchild *c, int fd)
{
	uint32_t (*vmapf)(uint64_t, int64_t), (*allocf)(uint32_t);
	void (*vunmapf)(uint32_t, int64_t);
	int (*init)(struct vvhost *);
	struct link_map *lm;
	char path[64];
	void *dl;

	cs = c->slot;
	cfd = fd;
	downseen = 0;
	guarded = calloc((size_t)(xpage_count() + 7) / 8, 1);
	undo = malloc(NUNDO * sizeof *undo);
	if (guarded == NULL || undo == NULL)
		_exit(0);
	childsignals();
	snprintf(path, sizeof path, "/proc/self/fd/%d", c->sofd);
	if ((dl = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL ||
	    (init = (int (*)(struct vvhost *))dlsym(dl, "vv_init")) == NULL ||
	    (vmapf = (uint32_t (*)(uint64_t, int64_t))dlsym(dl, "vv_vmap")) ==
	    NULL || (vunmapf = (void (*)(uint32_t, int64_t))dlsym(dl,
	    "vv_vunmap")) == NULL || (allocf = (uint32_t (*)(uint32_t))
	    dlsym(dl, "vv_vmapalloc")) == NULL)
		cannot(fd, "cannot load what it compiled to: ", dlerror());
	if (dlinfo(dl, RTLD_DI_LINKMAP, &lm) != 0 ||
	    dl_iterate_phdr(keepone, lm) == 0 || nkeep == 0)
		cannot(fd, "cannot find what it compiled to in memory", "");
	cfns = dlsym(dl, "vv_fns");
	cfnnames = dlsym(dl, "vv_fnnames");
	if (cfnnames == NULL)
		cfns = NULL;
	host = (struct vvhost){
		.kaddr = ckaddr, .paddr = cpaddr, .xspanalloc = cxspanalloc,
		.rampage = crampage, .vprint = cprint, .vpanic = cpanic,
		.vexit = cexit
	};
	if (init(&host) != VVABI)
		cannot(fd, "compiled for another vmapview", "");
	if (kchan_say(&cs->up, fd, 'R') < 0)
		_exit(0);
	while (hear(fd) == 'C') {
		crun(vmapf, vunmapf, allocf);
		if (kchan_say(&cs->up, fd, 'D') < 0)
			break;
	}
	_exit(0);
}
