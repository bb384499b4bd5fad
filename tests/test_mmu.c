/*
 * Unit tests of the model: findhole, pdbmap, pdbunmap, vmap, vunmap and
 * each policy's vmapalloc, every panic of the spec with its message, and
 * the words left behind.  Expected values are worked out by hand from
 * the spec, not taken from the code.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "tap.h"

#define PT(k)	(PTPOOLBASE + (k) * BY2PG)	/* k-th page-table page */

/* The message of the last panic, as m's kernel prints it. */
static const char *
msg(void)
{
	static char buf[PANICLEN];

	return panicfmt(buf, sizeof buf, &m.panic, m.kernel);
}

/* The PTE word at va, or ~0 when no page table covers va. */
static uint32_t
pteword(uint32_t va)
{
	uint32_t pde;

	pde = m.pdb[PDX(va)];
	if (!(pde & PTEVALID) || (pde & PTESIZE))
		return ~0u;
	return pdetable(&m, pde)[PTX(va)];
}

static void
test_findhole(void)
{
	uint32_t a[8] = { 1, 0, 0, 1, 0, 0, 0, 1 };
	uint32_t z[3] = { 0, 0, 0 };

	tap_equ(findhole(a, 8, 1), 1, "findhole: first zero word");
	tap_equ(findhole(a, 8, 2), 1, "findhole: first fit of 2");
	tap_equ(findhole(a, 8, 3), 4, "findhole: first fit of 3 skips a 2");
	tap_equ((uint32_t)findhole(a, 8, 4), (uint32_t)-1,
	    "findhole: no run of 4");
	tap_equ(findhole(a, 8, 0), 1, "findhole: count 0, a[0] used, gives 1");
	tap_equ(findhole(z, 3, 0), 0, "findhole: count 0, a[0] free, gives 0");
	tap_equ(findhole(z, 3, 3), 0, "findhole: the whole array");
}

static void
test_vmap_small(void)
{
	uint32_t va;

	setup("plan9", Klabs, 1, 0);
	va = mapok(0xFEE00000, 1024);
	tap_equ(va, VMAP, "vmap: lapic takes the first blank PDE");
	tap_equ(m.pdb[PDX(VMAP)], PT(0) | PTEWRITE | PTEVALID,
	    "vmap: a page table's PDE is PADDR|PTEWRITE|PTEVALID");
	tap_equ(pteword(VMAP), 0xFEE00000 | 0x13,
	    "vmap: PTE is pa|PTEUNCACHED|PTEWRITE|PTEVALID");
	va = mapok(0xFEC00000, 1024);
	tap_equ(va, VMAP + BY2PG, "vmap: ioapic shares the table");
	va = mapok(0xFEBF0010, 0x20);
	tap_equ(va, VMAP + 2 * BY2PG + 0x10,
	    "vmap: the page offset comes back in the address");
	tap_equ(pteword(VMAP + 2 * BY2PG), 0xFEBF0013,
	    "vmap: the PTE maps the page, not the offset");
	va = mapok(0xFEB00FFF, 2);
	tap_equ(va, VMAP + 3 * BY2PG + 0xFFF,
	    "vmap: 2 bytes across a page boundary");
	tap_equ(pteword(VMAP + 4 * BY2PG), 0xFEB01013,
	    "vmap: ... take two pages");
	tap_equ(vmap(&m, 0x00000800, 4096, &va), Vrefused,
	    "vmap: pa in page 0 is refused under labs");
	tap_equ(m.pt.inuse, 1, "vmap: one page table in use");
}

static void
test_vmap_pse(void)
{
	setup("plan9", Klabs, 1, 0);
	tap_equ(mapok(0xFEE00000, 1024), VMAP, "pse: lapic in PDE 0");
	tap_equ(mapok(0xD0000000, 8 * MB), VMAP + 4 * MB,
	    "pse: 8M framebuffer takes PDEs 1-2");
	tap_equ(m.pdb[PDX(VMAP) + 1], 0xD0000000 | 0x93,
	    "pse: PDE 1 is pa|PTEUNCACHED|PTEWRITE|PTESIZE|PTEVALID");
	tap_equ(m.pdb[PDX(VMAP) + 2], 0xD0400000 | 0x93,
	    "pse: PDE 2 maps the next 4M");
	tap_equ(m.pt.inuse, 1, "pse: no page table for 4M pages");

	setup("plan9", Klabs, 0, 0);
	tap_equ(mapok(0xD0000000, 8 * MB), VMAP, "nopse: 8M at PDE 0");
	tap_equ(m.pdb[PDX(VMAP)], PT(0) | 3, "nopse: PDE 0 is a table");
	tap_equ(pteword(VMAP + 4 * MB + 1023 * BY2PG), 0xD07FF013,
	    "nopse: last PTE of PDE 1");
	tap_equ(m.pt.inuse, 2, "nopse: two tables");

	/* 4M-aligned va and pa but 4M+4K: one big page then a PTE. */
	setup("plan9", Klabs, 1, 0);
	tap_equ(mapok(0xD0000000, 4 * MB + BY2PG), VMAP, "pse: 4M+4K");
	tap_equ(m.pdb[PDX(VMAP)], 0xD0000093, "pse: first PDE big");
	tap_equ(pteword(VMAP + 4 * MB), 0xD0400013,
	    "pse: the last 4K in a table");
}

static void
test_9front_refusals(void)
{
	uint32_t va;

	setup("plan9", K9front, 1, 0);
	tap_equ(vmap(&m, 0xFFF, 16, &va), Vrefused, "9front: pa < 4096");
	tap_equ(vmap(&m, 0x1000, 0, &va), Vrefused, "9front: size 0");
	tap_equ(vmap(&m, 0xFFFFF000, 0x1000, &va), Vrefused,
	    "9front: pa+size = 2^32");
	tap_equ(vmap(&m, 0xFFFFE000, 0x1000, &va), Vok,
	    "9front: pa+size just below 2^32");
	tap_equ(vmap(&m, 0x1000000, 248 * MB + 1, &va), Vrefused,
	    "9front: size > VMAPSIZE");

	setup("plan9", Klabs, 1, 0);
	tap_equ(vmap(&m, 0x1000, 0, &va), Vok, "labs: size 0 is ok");
	tap_equ(va, VMAP, "labs: size 0 gets the first blank PDE");
	tap_equ(m.pdb[PDX(VMAP)], 0, "labs: ... and maps nothing");
}

/*
 * The patch's transcript: after each 32M vmap and vunmap at pa 0x2000
 * (not 4M-aligned, so 8 page tables), plan9 leaves 8 stale tables.
 */
static void
test_devtest(const char *policy, const uint32_t *want)
{
	char what[80];
	int i;

	setup(policy, Klabs, 1, 0);
	mapok(0xFEE00000, 1024);
	mapok(0xFEC00000, 1024);
	mapok(0xD0000000, 8 * MB);
	for (i = 0; i < 11; i++) {
		uint32_t va = 0;
		int r = vmap(&m, 0x2000, 32 * MB, &va);

		snprintf(what, sizeof what, "devtest %s: poke %d", policy,
		    i + 1);
		if (want[i] == 0)
			tap_equ(r, Vfail, what);
		else
			tap_equ(r == Vok ? va : (uint32_t)r, want[i], what);
		if (r == Vok)
			vunmap(&m, va, 32 * MB);
	}
	tap_ok(!m.panicked, "devtest: no panic");
}

static void
test_policies(void)
{
	static const uint32_t plan9[11] = {
		0xe0c00000, 0xe2c00000, 0xe4c00000, 0xe6c00000, 0xe8c00000,
		0xeac00000, 0xecc00000, 0, 0, 0, 0
	};
	static const uint32_t span[11] = {
		0xe0c00000, 0xe2c00000, 0xe4c00000, 0xe6c00000, 0xe8c00000,
		0xeac00000, 0xecc00000, 0xe0c00000, 0xe0c00000, 0xe0c00000,
		0xe0c00000
	};
	static const uint32_t same[11] = {
		0xe0c00000, 0xe0c00000, 0xe0c00000, 0xe0c00000, 0xe0c00000,
		0xe0c00000, 0xe0c00000, 0xe0c00000, 0xe0c00000, 0xe0c00000,
		0xe0c00000
	};
	int n[Npdekind];

	test_devtest("plan9", plan9);
	pdecount(&m, n);
	tap_equ(n[Pstale], 56, "devtest plan9: 56 stale tables at the end");
	tap_equ(n[Pblank], 3, "devtest plan9: 3 blank PDEs left");
	test_devtest("span", span);
	test_devtest("span-fixed", span);
	test_devtest("reclaim", same);
	pdecount(&m, n);
	tap_equ(n[Pstale], 0, "devtest reclaim: no stale table");
	tap_equ(m.pt.inuse, 1, "devtest reclaim: only the APICs' table");
}

/*
 * A 3-PDE vmap: PT0 has entry 0 used, PT1 is empty, PT2 has entry 0
 * used.  A request of 1026 pages cannot take 2 blank PDEs.
 */
static void
bugsetup(const char *policy)
{
	machine(policy, Klabs, 1, VMAP, 12 * MB, 0);
	mapok(0xFEE00000, 4096);			/* PT0[0] */
	mapok(0x10001000, 8 * MB);			/* PT1, PT2 full */
	vunmap(&m, VMAP + 4 * MB, 4 * MB);		/* PT1 empty */
	vunmap(&m, VMAP + 8 * MB + BY2PG, 4 * MB - BY2PG); /* PT2[0] left */
}

static void
test_spanbug(void)
{
	uint32_t va;

	bugsetup("span");
	tap_equ(pdekind(&m, PDX(VMAP) + 1), Pstale, "span bug: PT1 stale");
	tap_equ(span_vmapalloc(&m, 4 * MB + 2 * BY2PG), VMAP + 4 * MB + BY2PG,
	    "span bug: address is o pages into the first table");
	tap_equ(vmap(&m, 0x30000000, 4 * MB + 2 * BY2PG, &va), Vpanic,
	    "span bug: vmap panics");
	tap_eqs(msg(),
	    "vmap: va=0xe0800000 pa=0x303ff000 pte=0x10401013",
	    "span bug: the pte panic's message");
	tap_equ(m.pt.pg[1].nvalid, 1023,
	    "span bug: PTEs written before the panic stay");

	bugsetup("span-fixed");
	tap_equ(vmap(&m, 0x30000000, 4 * MB + 2 * BY2PG, &va), Vok,
	    "span-fixed: same request succeeds");
	tap_equ(va, VMAP + BY2PG, "span-fixed: from PT0's free tail");
	tap_equ(pteword(VMAP + 4 * MB + 2 * BY2PG), 0x30401013,
	    "span-fixed: the run goes on into PT1");

	bugsetup("plan9");
	tap_equ(vmap(&m, 0x30000000, 4 * MB + 2 * BY2PG, &va), Vfail,
	    "plan9: no 2 blank PDEs, fails");
}

static void
test_spanfixed_small(void)
{
	uint32_t va;

	/* Fill PT0 but its last 2 entries; a 4-page request straddles. */
	setup("span-fixed", Klabs, 1, 0);
	mapok(0x1000000, 1022 * BY2PG);
	mapok(0x2001000, 4 * MB);			/* PDE 1, a table */
	vunmap(&m, VMAP + 4 * MB, 2 * BY2PG);		/* PT1[0..1] free */
	va = mapok(0x3000000, 4 * BY2PG);
	tap_equ(va, VMAP + 1022 * BY2PG,
	    "span-fixed: small run across two tables");
	setup("plan9", Klabs, 1, 0);
	mapok(0x1000000, 1022 * BY2PG);
	mapok(0x2001000, 4 * MB);
	vunmap(&m, VMAP + 4 * MB, 2 * BY2PG);
	va = mapok(0x3000000, 4 * BY2PG);
	tap_equ(va, VMAP + 8 * MB, "plan9: the same takes a blank PDE");
}

static void
test_panics(void)
{
	uint32_t va;

	/* pde panic: pdbmap onto a 4M page. */
	setup("plan9", Klabs, 1, 0);
	mapok(0xD0000000, 4 * MB);
	tap_equ((uint32_t)pdbmap(&m, 0x5000 | 0x12, VMAP + 0x3000, BY2PG),
	    (uint32_t)-1, "pdbmap onto a 4M page panics");
	tap_eqs(msg(), "vmap: va=0xe0003000 pa=0x00005000 pde=0xd0000093",
	    "pde panic message");

	/* pte panic: pdbmap onto a used PTE. */
	setup("plan9", Klabs, 1, 0);
	mapok(0xFEE00000, 4096);
	tap_equ((uint32_t)pdbmap(&m, 0x5000 | 0x12, VMAP, BY2PG),
	    (uint32_t)-1, "pdbmap onto a used PTE panics");
	tap_eqs(msg(), "vmap: va=0xe0000000 pa=0x00005000 pte=0xfee00013",
	    "pte panic message");

	/* the budget of page-table pages */
	setup("plan9", Klabs, 0, 2);
	tap_equ(vmap(&m, 0x1000000, 8 * MB, &va), Vok, "ptpages 2: 8M fits");
	tap_equ(vmap(&m, 0x2000000, 4096, &va), Vpanic,
	    "ptpages 2: a third table panics");
	tap_eqs(msg(), "xspanalloc: 4096 4096 0",
	    "labs: xspanalloc panics before mmuwalk's nil check");
	setup("plan9", K9front, 0, 1);
	tap_equ(vmap(&m, 0x1000000, 4096, &va), Vok, "ptpages 1: 4K fits");
	tap_equ(vmap(&m, 0x2000000, 4 * MB, &va), Vpanic,
	    "ptpages 1: 4M more wants a second table");
	tap_eqs(msg(), "xspanalloc: 4096 4096 0",
	    "9front: rampage takes xspanalloc's page, and it panics");

	/* vunmap's range check */
	setup("plan9", Klabs, 1, 0);
	tap_equ((uint32_t)vunmap(&m, VMAP - BY2PG, BY2PG), (uint32_t)-1,
	    "vunmap below VMAP panics");
	tap_eqs(msg(), "vunmap va=0xdffff000 size=0x1000",
	    "range panic message");
	vunmap(&m, VMAP + 248 * MB - BY2PG, 2 * BY2PG);
	tap_eqs(msg(), "vunmap va=0xef7ff000 size=0x2000",
	    "vunmap past the top panics");
	vunmap(&m, VMAP, 0x7FFFFFFF);
	tap_eqs(msg(), "vunmap va=0xe0000000 size=-0x80000000",
	    "labs: a size that rounds past 2^31 is negative");

	/* not mapped */
	setup("plan9", Klabs, 1, 0);
	vunmap(&m, VMAP, BY2PG);
	tap_eqs(msg(), "vunmap: not mapped", "vunmap of a blank PDE");
	setup("plan9", Klabs, 1, 0);
	mapok(0xFEE00000, 4096);
	m.panicked = 0;
	tap_equ((uint32_t)vunmap(&m, VMAP + BY2PG, BY2PG), (uint32_t)-1,
	    "vunmap of a free PTE panics");
	tap_eqs(msg(), "vunmap: not mapped", "... not mapped");
}

static void
test_unmap_pse(void)
{
	setup("plan9", Klabs, 1, 0);
	mapok(0xD0000000, 4 * MB);
	tap_equ((uint32_t)vunmap(&m, VMAP, 4 * MB), (uint32_t)-1,
	    "labs: unmapping a 4M page panics");
	tap_eqs(msg(), "vunmap: not mapped",
	    "labs: aligned va does not move, next turn finds it blank");
	tap_equ(m.pdb[PDX(VMAP)], 0, "labs: the PDE was cleared first");

	setup("plan9", K9front, 1, 0);
	mapok(0xD0000000, 8 * MB);
	tap_equ(vunmap(&m, VMAP, 8 * MB), 0, "9front: unmaps 4M pages");
	tap_equ(m.pdb[PDX(VMAP)] | m.pdb[PDX(VMAP) + 1], 0,
	    "9front: both PDEs cleared");

	setup("plan9", K9front, 1, 0);
	mapok(0xD0000000, 4 * MB);
	tap_equ((uint32_t)vunmap(&m, VMAP + BY2PG, BY2PG), (uint32_t)-1,
	    "9front: unaligned va in a 4M page panics");
	tap_eqs(msg(), "vunmap: misaligned: 0xe0001000",
	    "9front: misaligned message");

	/* labs: unaligned va in a 4M page clears it and moves on. */
	setup("plan9", Klabs, 1, 0);
	mapok(0xD0000000, 4 * MB);
	tap_equ(vunmap(&m, VMAP + BY2PG, BY2PG), 0,
	    "labs: unaligned va in a 4M page clears it");
	tap_equ(m.pdb[PDX(VMAP)], 0, "labs: ... the whole PDE");
}

static void
test_wrap(void)
{
	setup("plan9", Klabs, 1, 0);
	mapok(0xFEE00000, 4096);
	/* 0xe0000000 + 0x7ffff000 wraps to 0x5ffff000 in 32 bits. */
	tap_equ(vunmap(&m, VMAP, 0x7FFFF000), 0,
	    "labs: a wrapping size passes the check");
	tap_equ(pteword(VMAP), 0xFEE00013, "labs: ... and unmaps nothing");
	setup("plan9", K9front, 1, 0);
	mapok(0xFEE00000, 4096);
	tap_equ((uint32_t)vunmap(&m, VMAP, 0x7FFFF000), (uint32_t)-1,
	    "9front: the same size panics");
	tap_eqs(msg(), "vunmap va=0xe0000000 size=2147479552",
	    "9front: range message, the size in decimal");
	setup("plan9", K9front, 1, 0);
	vunmap(&m, VMAP - BY2PG, 1);
	tap_eqs(msg(), "vunmap va=0xdffff000 size=4096",
	    "9front: a byte rounds to 4096");
}

/* A vmap that ends at 2^32: VMAP+VMAPSIZE is 0 in 32 bits. */
static void
test_top(void)
{
	uint32_t va;
	int k;

	for (k = Klabs; k <= K9front; k++) {
		machine("plan9", k, 1, 0xFFC00000u, 4 * MB, 0);
		va = mapok(0xFEE00000, 4096);
		tap_equ(va, 0xFFC00000u, "top of memory: vmap maps");
		tap_equ((uint32_t)vunmap(&m, va, 4096), (uint32_t)-1,
		    "top of memory: vunmap's range check fails");
		tap_eqs(msg(), k == Klabs ?
		    "vunmap va=0xffc00000 size=0x1000" :
		    "vunmap va=0xffc00000 size=4096",
		    k == Klabs ? "labs: the range panic" :
		    "9front: the range panic");
		tap_equ(pteword(va), 0xFEE00013, "... and the page stays mapped");
	}
	/* labs: a range that ends at 2^32 wraps to 0 too, and passes. */
	machine("plan9", Klabs, 1, 0xFFC00000u, 4 * MB, 0);
	va = mapok(0xFEE00000, 4096);
	tap_equ(vunmap(&m, va, 4 * MB), 0,
	    "labs: va+size 0, not above 0: no panic");
	tap_equ(pteword(va), 0xFEE00013, "labs: ... and va < 0 is never true");
	/* 9front: from inside a 4 MiB page, unpadded %#p */
	machine("plan9", K9front, 1, 0x00400000u, 8 * MB, 0);
	va = mapok(0x00800000, 4 * MB);
	tap_equ(va, 0x00400000u, "a 4M page at 0x400000");
	vunmap(&m, va + BY2PG, BY2PG);
	tap_eqs(msg(), "vunmap: misaligned: 0x401000",
	    "9front: misaligned, %#p unpadded");
}

static void
test_leak(void)
{
	uint32_t va;

	/* span reuses stale tables; a 4M-aligned pa writes PSE over them. */
	setup("span", Klabs, 1, 0);
	mapok(0xFEE00000, 4096);
	va = mapok(0x2000, 244 * MB);		/* PDEs 1..61, tables */
	tap_equ(va, VMAP + 4 * MB, "leak: 244M in tables");
	vunmap(&m, va, 244 * MB);
	tap_equ(m.pt.inuse, 62, "leak: 62 tables");
	va = mapok(0x40000000, 8 * MB);
	tap_equ(va, VMAP + 4 * MB, "leak: span reuses stale tables");
	tap_equ(m.pdb[PDX(VMAP) + 1], 0x40000093, "leak: PSE PDE over a table");
	tap_equ(m.pt.leaked, 2, "leak: two tables orphaned");
	tap_equ(m.pt.inuse, 62, "leak: still counted in use");
}

static void
test_reclaim(void)
{
	uint32_t va, vb;

	setup("reclaim", Klabs, 1, 0);
	va = mapok(0xFEE00000, 4096);
	vb = mapok(0xFEC00000, 4096);
	vunmap(&m, va, 4096);
	tap_equ(m.pdb[PDX(VMAP)], PT(0) | 3, "reclaim: table kept while used");
	vunmap(&m, vb, 4096);
	tap_equ(m.pdb[PDX(VMAP)], 0, "reclaim: empty table's PDE cleared");
	tap_equ(m.pt.inuse, 0, "reclaim: page back in the pool");
	va = mapok(0xFEE00000, 4096);
	tap_equ(m.pdb[PDX(VMAP)], PT(0) | 3, "reclaim: the page is reused");
	tap_equ(m.pt.n, 1, "reclaim: no new page taken");
}

static void
test_copy(void)
{
	Mmu c;

	setup("plan9", Klabs, 0, 0);
	mapok(0x1000000, 8 * MB);
	mmucopy(&c, &m);
	vunmap(&m, VMAP, 8 * MB);
	tap_equ(pdetable(&c, c.pdb[PDX(VMAP)])[0], 0x1000013,
	    "mmucopy: the copy does not share tables");
	mmufree(&c);
}

int
main(void)
{
	test_findhole();
	test_vmap_small();
	test_vmap_pse();
	test_9front_refusals();
	test_policies();
	test_spanbug();
	test_spanfixed_small();
	test_panics();
	test_unmap_pse();
	test_wrap();
	test_top();
	test_leak();
	test_reclaim();
	test_copy();
	mmufree(&m);
	return tap_done();
}
