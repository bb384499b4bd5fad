/*
 * The tree over the vmap's PDEs (mmu.h's Pdenode): for each range of
 * PDEs, its runs of blank PDEs, of free pages over tables and of empty
 * tables, and its longest hole in one table, kept up to date a marked
 * PDE at a time.  The fast allocators (fast.c) and the measures
 * (stats.c) find their places down it.
 */
#include <stdlib.h>
#include <string.h>

#include "mmu.h"
#include "xmalloc.h"

/* The leaf of PDE i of the vmap (past the vmap: a PDE that breaks runs). */
static void
leaf(Mmu *m, int i, Pdenode *n)
{
	uint32_t pde;
	Ptpage *pg;

	memset(n, 0, sizeof *n);
	if (i >= vpdbsize(m))
		return;
	pde = vpdb(m)[i];
	if (pde == 0) {
		n->bpre = n->bsuf = n->bbest = 1;
		n->ball = 1;
	} else if (ispt(pde)) {
		pg = ptfresh(&m->pt, pde);
		n->rpre = pg->head;
		n->rsuf = pg->tail;
		n->rbest = pg->maxhole;
		n->maxhole = pg->maxhole;
		n->rall = pg->head == WD2PG;
		n->ebest = n->rall;
	}
}

static uint32_t
max3(uint32_t a, uint32_t b, uint32_t c)
{
	a = a > b ? a : b;
	return a > c ? a : c;
}

/* Node k from its children. */
static void
pull(Pdenode *t, int k)
{
	const Pdenode *l, *r;
	Pdenode *n;

	l = &t[2 * k];
	r = &t[2 * k + 1];
	n = &t[k];
	n->bpre = l->ball ? l->bpre + r->bpre : l->bpre;
	n->bsuf = r->ball ? r->bsuf + l->bsuf : r->bsuf;
	n->bbest = max3(l->bbest, r->bbest, l->bsuf + r->bpre);
	n->ball = l->ball && r->ball;
	n->rpre = l->rall ? l->rpre + r->rpre : l->rpre;
	n->rsuf = r->rall ? r->rsuf + l->rsuf : r->rsuf;
	n->rbest = max3(l->rbest, r->rbest, l->rsuf + r->rpre);
	n->ebest = max3(l->ebest, r->ebest, l->rsuf / WD2PG + r->rpre / WD2PG);
	n->rall = l->rall && r->rall;
	n->maxhole = l->maxhole > r->maxhole ? l->maxhole : r->maxhole;
}

/*
 * Bring the tree up to date: the leaves of the PDEs marked since, and
 * the nodes above them; all of it when it was not kept.  Returns its
 * root.
 */
const Pdenode *
treefresh(Mmu *m)
{
	Pdenode was;
	uint64_t w;
	int np, first, i, k, b, n, j, last, changed[NPDE];

	np = vpdbsize(m);
	if (m->tree == NULL) {
		for (m->nleaf = 1; m->nleaf < np;)
			m->nleaf *= 2;
		m->tree = xcalloc(2 * m->nleaf, sizeof *m->tree);
		m->treeok = 0;
	}
	if (m->treeok && m->treegen == m->gen)
		return &m->tree[1];
	first = PDX(m->vmap);
	if (!m->treeok) {
		for (i = 0; i < m->nleaf; i++)
			leaf(m, i, &m->tree[m->nleaf + i]);
		for (k = m->nleaf - 1; k >= 1; k--)
			pull(m->tree, k);
		m->treeok = 1;
	} else {
		/*
		 * The marked leaves, in order, then their parents, once
		 * each; a node that comes out as it was changes nothing
		 * above it.  Nodes are compared whole: their padding is
		 * zero, from xcalloc and leaf, and no field write touches it.
		 */
		n = 0;
		for (b = 0; b < NPDE / 64; b++)
			for (w = m->pdemark[b]; w != 0; w &= w - 1) {
				i = b * 64 + __builtin_ctzll(w) - first;
				if (i < 0 || i >= np)
					continue;
				memcpy(&was, &m->tree[m->nleaf + i], sizeof was);
				leaf(m, i, &m->tree[m->nleaf + i]);
				if (memcmp(&was, &m->tree[m->nleaf + i],
				    sizeof was) != 0)
					changed[n++] = m->nleaf + i;
			}
		while (n > 0 && changed[0] > 1) {
			for (i = j = 0, last = 0; i < n; i++) {
				if ((k = changed[i] / 2) == last)
					continue;
				last = k;
				memcpy(&was, &m->tree[k], sizeof was);
				pull(m->tree, k);
				if (memcmp(&was, &m->tree[k], sizeof was) != 0)
					changed[j++] = k;
			}
			n = j;
		}
	}
	memset(m->pdemark, 0, sizeof m->pdemark);
	m->treegen = m->gen;
	return &m->tree[1];
}

/*
 * The first PDE of the vmap whose table has a hole of n pages (n >= 1),
 * found down the tree; or -1.
 */
int
treefirsthole(Mmu *m, uint32_t n)
{
	int k;

	if (treefresh(m)->maxhole < n)
		return -1;
	for (k = 1; k < m->nleaf;)
		k = m->tree[2 * k].maxhole >= n ? 2 * k : 2 * k + 1;
	return k - m->nleaf;
}

/*
 * A node's runs of kind r (Tblanks, Tpages, Ttables): the longest, the
 * one at its start and the one at its end, and whether it is all one
 * run.  A node's empty tables at its start or end are its free pages
 * there over WD2PG.
 */
struct noderuns {
	uint32_t	best, pre, suf;
	int		all;
};

static inline void
noderuns(const Pdenode *n, int r, struct noderuns *o)
{
	switch (r) {
	case Tblanks:
		*o = (struct noderuns){ n->bbest, n->bpre, n->bsuf, n->ball };
		break;
	case Tpages:
		*o = (struct noderuns){ n->rbest, n->rpre, n->rsuf, n->rall };
		break;
	default:
		*o = (struct noderuns){ n->ebest, n->rpre / WD2PG,
		    n->rsuf / WD2PG, n->rall };
		break;
	}
}

/*
 * The first PDE of the vmap where a run of kind r, n long (n >= 1), is
 * complete, and in *before (when not nil) how much of it lies in the
 * PDEs before; or -1.  Down the tree, the run at the end of what lies
 * to the left carried along.
 */
int
treefirstrun(Mmu *m, int r, uint32_t n, uint32_t *before)
{
	struct noderuns root, l;
	uint32_t carry;
	int k;

	noderuns(treefresh(m), r, &root);
	if (root.best < n)
		return -1;
	carry = 0;
	for (k = 1; k < m->nleaf;) {
		noderuns(&m->tree[2 * k], r, &l);
		if (l.best >= n || carry + l.pre >= n)
			k = 2 * k;
		else {
			carry = l.all ? carry + l.pre : l.suf;
			k = 2 * k + 1;
		}
	}
	if (before != NULL)
		*before = carry;
	return k - m->nleaf;
}
