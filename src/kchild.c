/*
 * A kernel file's compiled code, run where it cannot take vmapview
 * down: a child process, one per file, forked once its object has been
 * checked and loaded there (its constructors run in the child too).
 * The model's page-table pages live in memory the child shares
 * (xpage_share), so the words the code writes are the words the model
 * reads; a call's page directory, the pool's pages by index and the
 * answer travel through a slot in the same memory, and one byte on a
 * socket says "call", "a page, please" (xspanalloc, which only the
 * model's pool may grant) or "done".  The child dying (a signal, an
 * exit) or not answering within the time limit ends the call as a
 * crash or a hang, said with the signal or status and the function it
 * was in; the next call starts a new child.
 */
#define _GNU_SOURCE
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "kchild.h"
#include "p9fmt.h"
#include "text.h"
#include "util.h"
#include "xmalloc.h"

#define NFN	7		/* the functions taken from the file */

/* A call, in the shared pages: what the child runs on, and its answer. */
struct kslot {
	uint32_t	 pdb[NPDE];
	uint32_t	 vmapat;
	uint32_t	 vmaplen;
	int		 pse;
	int		 op;
	uint64_t	 pa;		/* vmap: pa; vunmap: va */
	int64_t		 size;
	int		 npte;		/* the pool's pages, by index */
	int		 ptecap;
	uint32_t	**pte;		/* in the shared pages too */
	int		 newpage;	/* the page xspanalloc got, or -1 */
	uint32_t	 budget;	/* the pool's, for a dry pdbmap */
	uint32_t	 inuse;
	struct kanswer	 ans;
	int		 exited;	/* it called exit */
	int		 exitcode;
	int		 sig;		/* the signal that ended it */
	char		 where[64];	/* the function it died in */
	char		 loaderr[256];	/* why the child could not start */
};

static double timelimit = 3.0;	/* seconds a call may take */

/* The child's own: the slot, its socket, the loaded code. */
static struct kslot	*cs;
static int		 cfd;
static struct vvhost	 host;
static jmp_buf		 panicked;
static uint32_t		 zeropage[WD2PG];	/* KADDR of what is no table */
static void *const	*cfns;			/* the file's functions */
static const char *const *cfnnames;

/* The time limit of a call, in seconds. */
void
kchild_timeout(double s)
{
	timelimit = s;
}

/* One byte to the other side; -1 if it is gone. */
static int
say(int fd, char c)
{
	return send(fd, &c, 1, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

/* One byte from the other side; 0 if it is gone. */
static char
hear(int fd)
{
	char c;
	ssize_t n;

	while ((n = recv(fd, &c, 1, 0)) < 0 && errno == EINTR)
		;
	return n == 1 ? c : 0;
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

/* A signal that ends the child: say where, then die of it. */
static void
onfault(int sig, siginfo_t *si, void *uc)
{
	uintptr_t pc;

	(void)si;
	pc = 0;
#if defined(__x86_64__)
	pc = (uintptr_t)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
#elif defined(__i386__)
	pc = (uintptr_t)((ucontext_t *)uc)->uc_mcontext.gregs[REG_EIP];
#endif
	(void)uc;
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
	if (say(cfd, 'A') < 0)
		_exit(0);
	if (hear(cfd) != 'Y' || cs->newpage < 0) {
		snprintf(cs->ans.said, sizeof cs->ans.said,
		    "xspanalloc: %u %u %u", BY2PG, BY2PG, 0u);
		longjmp(panicked, 1);
	}
	return cs->pte[cs->newpage];
}

static void *
crampage(void)
{
	return cxspanalloc(BY2PG, BY2PG, 0);
}

static int
cprint(const char *fmt, va_list ap)
{
	p9fmt(cs->ans.said, sizeof cs->ans.said, fmt, ap);
	p9said(cs->ans.said);
	cs->ans.printed = 1;
	return strlen(cs->ans.said);
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
	cs->exited = 1;
	cs->exitcode = n;
	if (strncmp(fn, "vvk_", 4) == 0)
		fn += 4;
	snprintf(cs->where, sizeof cs->where, "%s", fn);
	_exit(0);
}

static uint32_t (*callocf)(uint32_t);

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
crunsearch(void)
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
	return cs->op == KClargest ? dry_largest(&d, (uint32_t)cs->size) :
	    dry_misfit(&d);
}

/*
 * A dry run (vmapalloc alone, or a search by them) in a copy of the
 * child, thrown away after: the file's own state (a next-fit cursor, a
 * count of calls) sees the trace's events only.  The copy dies with
 * the child.  A copy that does not end well answers a panic.
 */
static void
crundry(uint32_t (*allocf)(uint32_t))
{
	pid_t pid;
	int st;

	if ((pid = fork()) == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(1);
		if (setjmp(panicked))
			cs->ans.how = KRpanic;
		else {
			callocf = allocf;
			cs->ans.ret = cs->op == KCvmapalloc ?
			    allocf((uint32_t)cs->size) : crunsearch();
			cs->ans.how = KRreturned;
		}
		_exit(0);
	}
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0 || cs->exited) {
		cs->ans.how = KRpanic;
		cs->ans.ret = 0;
	}
	/* what the copy's death wrote is not the child's */
	cs->sig = 0;
	cs->exited = 0;
	cs->where[0] = '\0';
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
	if (cs->op != KCvmap && cs->op != KCvunmap)
		crundry(allocf);
	else if (setjmp(panicked)) {
		cs->ans.how = KRpanic;
	} else {
		if (cs->op == KCvmap)
			cs->ans.ret = vmapf(cs->pa, cs->size);
		else
			vunmapf((uint32_t)cs->pa, cs->size);
		cs->ans.how = KRreturned;
	}
	cs->ans.allocated = host.allocated;
	cs->ans.allocva = host.allocva;
}

/*
 * The child: nothing of the terminal's, the faults caught to say where,
 * the object loaded by its descriptor; then a call at each byte.
 */
static void
childmain(struct kchild *c, int fd)
{
	static char altstack[1 << 16];
	static const int faults[] = {
		SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS
	};
	static const int quiet[] = {
		SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE
	};
	uint32_t (*vmapf)(uint64_t, int64_t), (*allocf)(uint32_t);
	void (*vunmapf)(uint32_t, int64_t);
	int (*init)(struct vvhost *);
	struct sigaction sa;
	stack_t ss;
	char path[64];
	void *dl;
	size_t i;
	int null;

	cs = c->slot;
	cfd = fd;
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
	snprintf(path, sizeof path, "/proc/self/fd/%d", c->sofd);
	if ((dl = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL ||
	    (init = (int (*)(struct vvhost *))dlsym(dl, "vv_init")) == NULL ||
	    (vmapf = (uint32_t (*)(uint64_t, int64_t))dlsym(dl, "vv_vmap")) ==
	    NULL || (vunmapf = (void (*)(uint32_t, int64_t))dlsym(dl,
	    "vv_vunmap")) == NULL || (allocf = (uint32_t (*)(uint32_t))
	    dlsym(dl, "vv_vmapalloc")) == NULL) {
		snprintf(cs->loaderr, sizeof cs->loaderr, "cannot load what "
		    "it compiled to: %s", dlerror());
		say(fd, 'E');
		_exit(0);
	}
	cfns = dlsym(dl, "vv_fns");
	cfnnames = dlsym(dl, "vv_fnnames");
	if (cfnnames == NULL)
		cfns = NULL;
	host.kaddr = ckaddr;
	host.paddr = cpaddr;
	host.xspanalloc = cxspanalloc;
	host.rampage = crampage;
	host.vprint = cprint;
	host.vpanic = cpanic;
	host.vexit = cexit;
	if (init(&host) != VVABI) {
		snprintf(cs->loaderr, sizeof cs->loaderr,
		    "compiled for another vmapview");
		say(fd, 'E');
		_exit(0);
	}
	if (say(fd, 'R') < 0)
		_exit(0);
	while (hear(fd) == 'C') {
		crun(vmapf, vunmapf, allocf);
		if (say(fd, 'D') < 0)
			break;
	}
	_exit(0);
}

/* The child is gone: reap it and forget it. */
static int
reap(struct kchild *c)
{
	int st;

	close(c->fd);
	while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
		;
	c->pid = 0;
	return st;
}

/* Put down the child that did not answer in time. */
static void
putdown(struct kchild *c)
{
	kill(c->pid, SIGKILL);
	reap(c);
}

/*
 * The next byte from the child, waiting until deadline (monotime);
 * 0 if it died, -1 when the time is up.
 */
static int
await(struct kchild *c, double deadline)
{
	struct timeval tv;
	double left;
	ssize_t n;
	char b;

	for (;;) {
		left = deadline - monotime();
		if (left <= 0)
			return -1;
		/* the socket's own timeout: one call a byte, no poll */
		if (c->waits <= 0 || left < c->waits - 0.001 ||
		    left > c->waits + 0.001) {
			tv.tv_sec = (time_t)left;
			tv.tv_usec = (suseconds_t)((left - tv.tv_sec) * 1e6) + 1;
			if (tv.tv_usec >= 1000000) {
				tv.tv_sec++;
				tv.tv_usec -= 1000000;
			}
			setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
			    sizeof tv);
			c->waits = left;
		}
		n = recv(c->fd, &b, 1, 0);
		if (n == 1)
			return (unsigned char)b;	/* never -1, the time's word */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			continue;	/* the time is up: said above */
		return 0;
	}
}

/*
 * Start the child for c: fork, load, and wait for its word.  Returns
 * 0, or -1 with why in err.
 */
static int
start(struct kchild *c, char *err, size_t elen)
{
	int sv[2], st, w;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, elen, "%s: a socket: %s", c->name,
		    strerror(errno));
		return -1;
	}
	c->slot->loaderr[0] = '\0';
	c->slot->sig = 0;
	c->slot->exited = 0;
	fflush(NULL);
	if ((c->pid = fork()) < 0) {
		snprintf(err, elen, "%s: fork: %s", c->name, strerror(errno));
		close(sv[0]);
		close(sv[1]);
		c->pid = 0;
		return -1;
	}
	if (c->pid == 0) {
		close(sv[0]);
		childmain(c, sv[1]);
		_exit(0);
	}
	close(sv[1]);
	c->fd = sv[0];
	c->waits = 0;
	if ((w = await(c, monotime() + timelimit)) == 'R')
		return 0;
	if (w == -1) {
		putdown(c);
		snprintf(err, elen, "%s: its code did not finish loading within "
		    "%g s", c->name, timelimit);
		return -1;
	}
	st = reap(c);
	if (c->slot->loaderr[0] != '\0')
		snprintf(err, elen, "%s: %s", c->name, c->slot->loaderr);
	else if (WIFSIGNALED(st) || c->slot->sig)
		snprintf(err, elen, "%s: its code crashed while loading "
		    "(signal %d, %s)", c->name, c->slot->sig ? c->slot->sig :
		    WTERMSIG(st), strsignal(c->slot->sig ? c->slot->sig :
		    WTERMSIG(st)));
	else
		snprintf(err, elen, "%s: its code exited while loading",
		    c->name);
	return -1;
}

/*
 * Ready c for the file named name whose checked object is open at
 * sofd: the shared pages, the slot, and a child that has loaded it.
 * Returns 0, or -1 with why in err.
 */
int
kchild_init(struct kchild *c, const char *name, int sofd, char *err,
    size_t elen)
{
	memset(c, 0, sizeof *c);
	c->name = name;
	c->sofd = sofd;
	pthread_mutex_init(&c->lock, NULL);
	if (xpage_share() < 0) {
		snprintf(err, elen, "%s: no memory to share with its code",
		    name);
		return -1;
	}
	c->slot = xpage_run((sizeof *c->slot + 4095) / 4096);
	return start(c, err, elen);
}

/* The slot's table of the pool's pages, for m, as many as it has. */
static void
slotpages(struct kchild *c, Mmu *m, uint32_t **bounce)
{
	struct kslot *s;
	int i, cap;

	s = c->slot;
	if (m->pt.n > s->ptecap) {
		for (cap = s->ptecap ? s->ptecap : 512; cap < m->pt.n; cap *= 2)
			;
		s->pte = xpage_run((cap * sizeof *s->pte + 4095) / 4096);
		s->ptecap = cap;
	}
	for (i = 0; i < m->pt.n; i++) {
		s->pte[i] = m->pt.pg[i].pte;
		/* a page made before the sharing: a shared copy for the call */
		if (s->pte[i] != NULL && !xpage_shared(s->pte[i])) {
			if (bounce[i] == NULL) {
				bounce[i] = xpage(0);
				memcpy(bounce[i], s->pte[i], BY2PG);
			}
			s->pte[i] = bounce[i];
		}
	}
	s->npte = m->pt.n;
}

/*
 * The child asks for a page: the model's pool grants it, or not; never
 * to a dry run, whose state is thrown away (its xspanalloc panics).
 */
static int
grant(struct kchild *c, Mmu *m, int dry, uint32_t ***bounce, int *nbounce)
{
	int i;

	c->slot->newpage = i = dry ? -1 : ptalloc(&m->pt);
	if (m->pt.n > *nbounce) {
		*bounce = xreallocarray(*bounce, m->pt.n, sizeof **bounce);
		memset(*bounce + *nbounce, 0, (m->pt.n - *nbounce) *
		    sizeof **bounce);
		*nbounce = m->pt.n;
	}
	slotpages(c, m, *bounce);
	return say(c->fd, i < 0 ? 'N' : 'Y');
}

/* A dead child's call: why it died, into a. */
static void
crashed(struct kchild *c, int st, const char *call, struct kanswer *a)
{
	struct kslot *s;
	int sig;

	s = c->slot;
	a->how = KRcrash;
	sig = s->sig ? s->sig : WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	if (s->exited)
		snprintf(a->said, sizeof a->said, "exit(%d) in %s, called by %s",
		    s->exitcode, s->where, call);
	else if (sig != 0)
		snprintf(a->said, sizeof a->said, "signal %d (%s) in %s, called "
		    "by %s", sig, strsignal(sig), s->where[0] ? s->where :
		    "the file's code", call);
	else
		snprintf(a->said, sizeof a->said, "its process ended (status "
		    "%d) in %s", WIFEXITED(st) ? WEXITSTATUS(st) : -1, call);
}

/*
 * Call the file's op (KCvmap: vmap(a, b); KCvunmap: vunmap(a, b);
 * KCvmapalloc: vmapalloc(b); KClargest and KCmisfit: the searches of
 * stats.c by dry runs of vmapalloc, in the child at once) on m; the
 * answer into ans.  A dry run's page directory is thrown away.  A crash or a hang is
 * an answer; the child is started again for the next call.
 */
void
kchild_call(struct kchild *c, Mmu *m, int op, uint64_t a, int64_t b,
    struct kanswer *ans)
{
	static const char *const calls[] = {
		"vmap", "vunmap", "vmapalloc", "vmapalloc", "vmapalloc"
	};
	struct kslot *s;
	uint32_t **bounce;
	double deadline;
	char err[256];
	int i, nbounce, w, dry;

	memset(ans, 0, sizeof *ans);
	dry = op != KCvmap && op != KCvunmap;
	pthread_mutex_lock(&c->lock);
	s = c->slot;
	if (c->pid == 0 && start(c, err, sizeof err) < 0) {
		ans->how = KRcrash;
		snprintf(ans->said, sizeof ans->said, "%.150s", err);
		pthread_mutex_unlock(&c->lock);
		return;
	}
	nbounce = m->pt.n;
	bounce = xcalloc(nbounce + 1, sizeof *bounce);
	memcpy(s->pdb, m->pdb, sizeof s->pdb);
	s->vmapat = m->vmap;
	s->vmaplen = m->vmapsize;
	s->pse = m->pse;
	s->op = op;
	s->pa = a;
	s->size = b;
	s->sig = 0;
	s->exited = 0;
	s->where[0] = '\0';
	s->budget = m->pt.budget;
	s->inuse = m->pt.inuse;
	slotpages(c, m, bounce);
	deadline = monotime() + timelimit;
	w = say(c->fd, 'C') < 0 ? 0 : await(c, deadline);
	while (w == 'A') {
		if (grant(c, m, dry, &bounce, &nbounce) < 0)
			w = 0;
		else
			w = await(c, deadline);
	}
	if (w == 'D') {
		/* the slot is the child's to write: nothing in it is trusted */
		*ans = s->ans;
		if (ans->how != KRreturned && ans->how != KRpanic)
			ans->how = KRpanic;
		ans->said[sizeof ans->said - 1] = '\0';
		text_mend(ans->said, sizeof ans->said);
	}
	else if (w == -1) {
		putdown(c);
		ans->how = KRhang;
		snprintf(ans->said, sizeof ans->said, "%s did not return within "
		    "%g s", calls[op], timelimit);
	} else
		crashed(c, reap(c), calls[op], ans);
	if (!dry)
		memcpy(m->pdb, s->pdb, sizeof s->pdb);
	for (i = 0; i < nbounce; i++)
		if (bounce[i] != NULL) {
			if (!dry)
				memcpy(m->pt.pg[i].pte, bounce[i], BY2PG);
			xpage_free(bounce[i]);
		}
	free(bounce);
	pthread_mutex_unlock(&c->lock);
}
