/*
 * The registry of allocation policies: the built-in ones, and those a
 * program registers at run time (a kernel source file, a test's own).
 * A policy is one entry here; the rest of the program asks the registry
 * for names, lists and colours, and the entry for the code to run.
 */
#include <string.h>

#include "mmu.h"

static const Policy builtin[] = {
	{
		.name = "plan9",
		.summary = "pc/mmu.c: large requests take blank PDEs, small "
		    "ones one table",
		.vmapalloc = plan9_vmapalloc,
		.fastalloc = plan9_vmapalloc_fast,
		.largest = plan9_largest,
		.misfit = plan9_misfit,
		.whyfail = plan9_whyfail,
		.unmapfall = Fallnever,
		.colour = "#4e79a7",
	},
	{
		.name = "span",
		.summary = "the mmu.c-span-pdes patch as submitted, latent "
		    "bug included",
		.vmapalloc = span_vmapalloc,
		.fastalloc = span_vmapalloc_fast,
		.largest = span_largest,
		.misfit = firstfit_misfit,
		.whyfail = span_whyfail,
		.unmapfall = Fallcan,
		.spans = 1,
		.mapbug = "the span patch's address is off by where the hole "
		    "in the last table of its run starts",
		.colour = "#f28e2b",
	},
	{
		.name = "span-fixed",
		.summary = "the patch's intent: first fit across consecutive "
		    "page tables",
		.vmapalloc = spanfixed_vmapalloc,
		.fastalloc = spanfixed_vmapalloc_fast,
		.largest = spanfixed_largest,
		.misfit = firstfit_misfit,
		.whyfail = spanfixed_whyfail,
		.unmapfall = Fallbudget,
		.spans = 1,
		.colour = "#59a14f",
	},
	{
		.name = "reclaim",
		.summary = "plan9, but pdbunmap frees a page table once it is "
		    "empty",
		.caveat = "a hypothetical: it frees the table in Mach 0's page "
		    "directory\nonly, but vmapsync has copied the PDE into other "
		    "page directories\nand counts on it never going away; a real "
		    "kernel would need more",
		.vmapalloc = plan9_vmapalloc,
		.fastalloc = plan9_vmapalloc_fast,
		.largest = plan9_largest,
		.misfit = plan9_misfit,
		.whyfail = plan9_whyfail,
		.unmapfall = Fallnever,
		.freetables = 1,
		.colour = "#b07aa1",
	},
};
#define NBUILTIN	(sizeof builtin / sizeof builtin[0])
_Static_assert(NBUILTIN <= MAXPOLICY, "MAXPOLICY must hold the built-ins");
_Static_assert(MAXPOLICY <= 255, "a policy's index fits a byte");

/* Colours for registered policies that name none. */
static const char *const palette[] = {
	"#e15759", "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#bab0ac"
};

/* The registry: the built-ins first, in their order. */
static const Policy *table[MAXPOLICY];
static int ntable;

/* Put the built-ins in the table, once. */
static void
builtins(void)
{
	size_t i;

	if (ntable > 0)
		return;
	for (i = 0; i < NBUILTIN; i++)
		table[ntable++] = &builtin[i];
}

/*
 * Add p (which must outlive the registry's use) under its own name.
 * Returns its index, or -1 when the name is taken or the table is full.
 */
int
policyregister(const Policy *p)
{
	builtins();
	if (policyfind(p->name) != NULL || ntable == MAXPOLICY)
		return -1;
	table[ntable] = p;
	return ntable++;
}

/* How many policies there are. */
int
npolicy(void)
{
	builtins();
	return ntable;
}

/* Policy i, 0 <= i < npolicy(); the first is the default. */
const Policy *
policyat(int i)
{
	builtins();
	return table[i];
}

/* The policy named s, or nil. */
const Policy *
policyfind(const char *s)
{
	int i;

	builtins();
	for (i = 0; i < ntable; i++)
		if (strcmp(s, table[i]->name) == 0)
			return table[i];
	return NULL;
}

/* The index of p in the registry, or -1. */
int
policyindex(const Policy *p)
{
	int i;

	builtins();
	for (i = 0; i < ntable; i++)
		if (table[i] == p)
			return i;
	return -1;
}

/* The colour of policy i in pictures. */
const char *
policycolour(int i)
{
	const Policy *p;

	p = policyat(i);
	if (p->colour != NULL)
		return p->colour;
	return palette[(i - NBUILTIN) % (sizeof palette / sizeof palette[0])];
}
