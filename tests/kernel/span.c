/*
 * Written for vmapview's tests: a kernel memory-management file in the
 * shape of a Bell Labs pc/mmu.c with the mmu.c-span-pdes patch (its
 * types, MACHP(0)->pdb, KADDR and the print formats), whose vmapalloc
 * behaves as the patched kernel's does, latent bug and all (vmaptrace(5),
 * span): a request runs over consecutive page tables.  We have held it to
 * span by what it does, not by this comment's words.  Functions that have nothing to do with vmap sit around
 * them, as in the real file, and are not compiled.  Comments have
 * braces in them: { like this }.
 */
#include	"u.h"
#include	"../port/lib.h"
#include	"mem.h"
#include	"dat.h"
#include	"fns.h"
#include	"io.h"

#define	DATASEGM(p)	{ 0xFFFF, SEGG|SEGB|(0xF<<16)|SEGP|SEGPL(p)|SEGDATA|SEGW }

static int didmmuinit;
static void nothingtodo(ulong, ulong);

/* not on the vmap path: left out when compiled { } */
void
mmuinit(void)
{
	ulong x, *p;

	didmmuinit = 1;
	x = getcr4();
	p = (ulong*)x;
	USED(p);
	nothingtodo(x, x);
}

static void
nothingtodo(ulong a, ulong b)
{
	if(a == b){
		print("\"}\" is just a brace in a string\n");
	}
}

/*
 * Walk to the second level, making a page table if asked.
 */
ulong*
mmuwalk(ulong* pdb, ulong va, int level, int create)
{
	ulong *pde;
	void *pg;

	pde = &pdb[PDX(va)];
	if(create == 0 && (*pde & PTEVALID) == 0)
		return 0;
	if(level == 1)
		return pde;
	if(level != 2)
		return 0;
	if(*pde & PTESIZE)
		panic("mmuwalk2: va %luX entry %luX", va, *pde);
	if((*pde & PTEVALID) == 0){
		if(didmmuinit)
			pg = xspanalloc(BY2PG, BY2PG, 0);
		else
			pg = rampage();
		if(pg == nil)
			panic("mmuwalk xspanalloc failed");
		*pde = PADDR(pg)|PTEWRITE|PTEVALID;
	}
	pde = KADDR(PPN(*pde));
	return &pde[PTX(va)];
}

static Lock vmaplock;

static int findhole(ulong *a, int n, int count);
static ulong vmapalloc(ulong size);
static void pdbunmap(ulong*, ulong, int);

/*
 * Map size bytes of device memory at pa into the vmap window.
 */
void*
vmap(ulong pa, int size)
{
	ulong off, va;

	off = pa % BY2PG;
	pa -= off;
	size = ROUND(size+off, BY2PG);
	if(pa == 0){
		print("vmap pa=0 pc=%#p\n", getcallerpc(&pa));
		return nil;
	}
	ilock(&vmaplock);
	va = vmapalloc(size);
	if(va == 0 || pdbmap(MACHP(0)->pdb, pa|PTEUNCACHED|PTEWRITE, va, size) < 0){
		iunlock(&vmaplock);
		return nil;
	}
	iunlock(&vmaplock);
	return (void*)(va+off);
}

/* the first run of count zero words in a[0..n), counted as it goes */
static int
findhole(ulong *a, int n, int count)
{
	int run, j;

	run = 0;
	for(j = 0; j < n; j++){
		run = a[j] == 0 ? run+1 : 0;
		if(run >= count)
			return j+1-run;
	}
	return -1;
}

ulong
vmapalloc(ulong size)
{
	ulong *dir, *pt;
	int ndir, npg, j, at, count;
	uint have, want;

	dir = &MACHP(0)->pdb[PDX(VMAP)];
	ndir = VMAPSIZE/(4*MB);
	/* whole blank PDEs first, for large requests */
	if(size >= 4*MB){
		at = findhole(dir, ndir, (size+4*MB-1)/(4*MB));
		if(at != -1)
			return VMAP + at*4*MB;
	}
	/* then runs of free PTEs, over the tables of consecutive PDEs */
	npg = (size+BY2PG-1)/BY2PG;
	have = 0;
	want = npg;
	at = -1;
	for(j = 0; j < ndir; j++){
		if((dir[j] & PTEVALID) == 0 || (dir[j] & PTESIZE)){
			if(have > 0){
				have = 0;
				want = npg;
			}
			continue;
		}
		count = want < WD2PG ? want : WD2PG;
		want -= count;
		pt = KADDR(PPN(dir[j]));
		at = findhole(pt, WD2PG, count);
		if(at != -1)
			have += count;
		else{
			have = 0;
			want = npg;
		}
		if(have >= npg)
			return VMAP + j*4*MB + (at+count)*BY2PG - have*BY2PG;
	}
	/* small requests: a blank PDE */
	if(size < 4*MB){
		at = findhole(dir, ndir, 1);
		return at == -1 ? 0 : VMAP + at*4*MB;
	}
	return 0;
}

void
vunmap(void *v, int size)
{
	ulong va, off;

	va = (ulong)v;
	off = va % BY2PG;
	va -= off;
	size = ROUND(size+off, BY2PG);
	if(size < 0 || va < VMAP || va+size > VMAP+VMAPSIZE)
		panic("vunmap va=%#.8lux size=%#x pc=%#.8lux",
			va, size, getcallerpc(&v));
	pdbunmap(MACHP(0)->pdb, va, size);
	if(!active.thunderbirdsarego){
		putcr3(PADDR(MACHP(0)->pdb));
		return;
	}
	flushmmu();
}

int
pdbmap(ulong *pdb, ulong pa, ulong va, int size)
{
	int big;
	ulong step, *pde, *pte, bits, o;

	bits = pa & 0xFFF;
	pa &= ~0xFFF;
	big = (MACHP(0)->cpuiddx & Pse) && (getcr4() & 0x10);
	for(o = 0; o < size; o += step){
		pde = &pdb[PDX(va+o)];
		if((*pde & PTEVALID) && (*pde & PTESIZE))
			panic("vmap: va=%#.8lux pa=%#.8lux pde=%#.8lux",
				va+o, pa+o, *pde);
		if(big && (pa+o) % (4*MB) == 0 && (va+o) % (4*MB) == 0 && size-o >= 4*MB){
			*pde = (pa+o)|bits|PTESIZE|PTEVALID;
			step = 4*MB;
			continue;
		}
		pte = mmuwalk(pdb, va+o, 2, 1);
		if(*pte & PTEVALID)
			panic("vmap: va=%#.8lux pa=%#.8lux pte=%#.8lux",
				va+o, pa+o, *pte);
		*pte = (pa+o)|bits|PTEVALID;
		step = BY2PG;
	}
	return 0;
}

static void
pdbunmap(ulong *pdb, ulong va, int size)
{
	ulong end, *pde, *pt;

	end = va+size;
	while(va < end){
		pde = &pdb[PDX(va)];
		if((*pde & PTEVALID) == 0)
			panic("vunmap: not mapped");
		if(*pde & PTESIZE){
			*pde = 0;
			va = (va+4*MB-1) & ~(4*MB-1);
			continue;
		}
		pt = KADDR(PPN(*pde));
		if((pt[PTX(va)] & PTEVALID) == 0)
			panic("vunmap: not mapped");
		pt[PTX(va)] = 0;
		va += BY2PG;
	}
}

/* after the vmap path, more that is left out */
int
vmapsync(ulong va)
{
	USED(va);
	return 0;
}
