/*
 * A kernel file's compiled code, run where it cannot take vmapview
 * down: a child process, one per file, forked once its object has been
 * checked and loaded there (its constructors run in the child too).
 * The model's page-table pages live in memory the child shares
 * (xpage_share), so the words the code writes are the words the model
 * reads; a call's page directory, the pool's pages by index and the
 * answer travel through a slot in the same memory, and one word says
 * "call", "a page, please" (xspanalloc, which only the model's pool
 * may grant) or "done": through the slot while the receiver watches
 * for it, through a socket once it sleeps (struct kchan).  The child dying (a signal, an
 * exit) or not answering within the time limit ends the call as a
 * crash or a hang, said with the signal or status and the function it
 * was in; the next call starts a new child.
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

static double timelimit = 3.0;	/* seconds a call may take */

/* The time limit of a call, in seconds. */
void
kchild_timeout(double s)
{
	timelimit = s;
}

static int spins = -1;		/* watch a channel this long, in us */

/* How long a receiver watches its channel before it sleeps. */
int
kchan_spinus(void)
{
	cpu_set_t set;

	if (spins < 0)
		spins = sched_getaffinity(0, sizeof set, &set) == 0 &&
		    CPU_COUNT(&set) >= 2 ? 50 : 0;
	return spins;
}

/* Say c on ch, ringing fd if the other side sleeps; -1 if it is gone. */
int
kchan_say(struct kchan *ch, int fd, char c)
{
	char b;

	atomic_store(&ch->word, (unsigned char)c);
	atomic_fetch_add(&ch->seq, 1);
	if (!atomic_load(&ch->sleeping))
		return 0;
	b = c;
	return send(fd, &b, 1, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

/*
 * Watch ch for a word after *seen, up to the spin time: the word, or
 * -1 if none came.
 */
int
kchan_watch(struct kchan *ch, uint32_t *seen)
{
	double until;
	int i;

	until = 0;
	for (i = 0;; i++) {
		if (atomic_load(&ch->seq) != *seen) {
			(*seen)++;
			return atomic_load(&ch->word);
		}
		if (i % 64 == 0) {
			if (until == 0)
				until = monotime() + kchan_spinus() * 1e-6;
			else if (monotime() >= until)
				return -1;
		}
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
}

/*
 * About to sleep on ch: say so, then look once more (the sender looks
 * at sleeping after it counts).  The word, or -1 to sleep.
 */
int
kchan_sleepon(struct kchan *ch, uint32_t *seen)
{
	atomic_store(&ch->sleeping, 1);
	if (atomic_load(&ch->seq) != *seen) {
		atomic_store(&ch->sleeping, 0);
		(*seen)++;
		return atomic_load(&ch->word);
	}
	return -1;
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
	struct kchan *ch;
	struct timeval tv;
	double left;
	ssize_t n;
	char b;
	int w;

	ch = &c->slot->up;
	if (kchan_spinus() > 0 && (w = kchan_watch(ch, &c->upseen)) >= 0)
		return w ? w : 'D';
	if ((w = kchan_sleepon(ch, &c->upseen)) >= 0)
		return w ? w : 'D';
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
		if (n == 1 && atomic_load(&ch->seq) != c->upseen) {
			atomic_store(&ch->sleeping, 0);
			c->upseen++;
			/* never 0 nor -1, the words of death and time */
			w = atomic_load(&ch->word) & 0xff;
			return w ? w : 'D';
		}
		if (n == 1)
			continue;	/* a ring left over */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			continue;	/* the time is up: said above */
		return 0;
	}
}

/*
 * The words table k (an index of the pool) held before the last call,
 * if the call wrote it and a says so; else nil: the table is as it was.
 */
const uint32_t *
kchild_was(const struct kchild *c, const struct kanswer *a, int k)
{
	int i;

	for (i = 0; a->ndirty > 0 && i < a->ndirty; i++)
		if (a->dirty[i] == k && a->wasat[i] >= 0 &&
		    a->wasat[i] < KDIRTY)
			return (const uint32_t *)c->slot->was[a->wasat[i]];
	return NULL;
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
	memset(&c->slot->down, 0, sizeof c->slot->down);
	memset(&c->slot->up, 0, sizeof c->slot->up);
	c->upseen = 0;
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
		kchild_childmain(c, sv[1]);
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
	return kchan_say(&c->slot->down, c->fd, i < 0 ? 'N' : 'Y');
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
 * stats.c by dry runs of vmapalloc, in the child at once; KCvunmapdry:
 * vunmap(a, b) dry, answering whether it left the first PDE of the
 * range blank (bit 0) and the next (bit 1)) on m; the
 * answer into ans.  A dry run's page directory is thrown away.  With
 * after at 0 or more, a vmap or vunmap that returns is followed, in the
 * same round trip, by the search for the largest vmap with that floor
 * (ans->searched, ans->after).  A crash or a hang is an answer; the
 * child is started again for the next call.
 */
void
kchild_call(struct kchild *c, Mmu *m, int op, uint64_t a, int64_t b,
    int64_t after, struct kanswer *ans)
{
	static const char *const calls[] = {
		"vmap", "vunmap", "vmapalloc", "vmapalloc", "vmapalloc", "vunmap"
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
	s->after = after;
	slotpages(c, m, bounce);
	deadline = monotime() + timelimit;
	w = kchan_say(&s->down, c->fd, 'C') < 0 ? 0 : await(c, deadline);
	while (w == 'A') {
		if (grant(c, m, dry, &bounce, &nbounce) < 0)
			w = 0;
		else
			w = await(c, deadline);
	}
	if (w == 'D') {
		/* the slot is the child's to write: nothing in it is trusted */
		*ans = s->ans;
		/* the child's bytes: ended here, whatever it left */
		ans->console[sizeof ans->console - 1] = '\0';
		ans->said[sizeof ans->said - 1] = '\0';
		if (ans->how != KRreturned && ans->how != KRpanic)
			ans->how = KRpanic;
		if (ans->ndirty < -1 || ans->ndirty > KDIRTY)
			ans->ndirty = -1;
		if (after < 0 || ans->how != KRreturned)
			ans->searched = 0;
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
			ans->ndirty = -1;
		}
	if (w != 'D')
		ans->ndirty = -1;	/* it died writing, maybe */
	free(bounce);
	pthread_mutex_unlock(&c->lock);
}
