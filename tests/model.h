/*
 * What the model's tests share: one machine, m, set up by machine() or
 * setup(), and mapok() for a vmap that must succeed.
 */
#ifndef VMAPVIEW_TESTS_MODEL_H
#define VMAPVIEW_TESTS_MODEL_H

#include "mmu.h"

#define VMAP	0xE0000000u

static Mmu m;

/* A new machine: policy, kernel, PSE, where the vmap is, the budget. */
static __attribute__((unused)) void
machine(const char *policy, int kernel, int pse, uint32_t vmapbase,
    uint32_t vmapsize, uint32_t ptpages)
{
	Mmuconf c = {
		.policy = policyfind(policy),
		.kernel = kernel,
		.pse = pse,
		.vmap = vmapbase,
		.vmapsize = vmapsize,
		.ptpages = ptpages,
	};

	mmufree(&m);
	mmuinit(&m, &c);
}

/* A new machine with the default vmap. */
static __attribute__((unused)) void
setup(const char *policy, int kernel, int pse, uint32_t ptpages)
{
	machine(policy, kernel, pse, DEFVMAP, DEFVMAPSIZE, ptpages);
}

/* vmap that must succeed; returns the address, or 0 after a failure. */
static __attribute__((unused)) uint32_t
mapok(uint32_t pa, int32_t size)
{
	uint32_t va;

	va = 0;
	if (vmap(&m, pa, size, &va) != Vok)
		return 0;
	return va;
}

#endif
