/*
 * Written for vmapview's tests: a kernel memory-management file in the
 * shape of 9front's pc/mmu.c, whose device-mapping functions behave as
 * that kernel's do: vlong sizes, the argument checks in vmap, page
 * tables from rampage, 4 MiB pages unmapped only from their start.
 */
#include	"u.h"
#include	"../port/lib.h"
#include	"mem.h"
#include	"dat.h"
#include	"fns.h"
#include	"io.h"

static void memglobal(void);

void
mmuinit(void)
{
	memglobal();
}

static void
memglobal(void)
{
	/* { nothing here is compiled } */
}

ulong*
mmuwalk(ulong* pdb, ulong va, int level, int create)
{
	ulong *e, *t;
	void *page;

	e = &pdb[PDX(va)];
	if(!(*e & PTEVALID) && create == 0)
		return 0;
	switch(level){
	case 1:
		return e;
	case 2:
		if(*e & PTESIZE)
			panic("mmuwalk2: va %luX entry %luX", va, *e);
		if(!(*e & PTEVALID)){
			page = rampage();
			memset(page, 0, BY2PG);
			*e = PADDR(page)|PTEWRITE|PTEVALID;
		}
		t = KADDR(PPN(*e));
		return &t[PTX(va)];
	}
	return 0;
}

static Lock vmaplock;

static int findhole(ulong *a, int n, int count);
static ulong vmapalloc(ulong size);
static int pdbmap(ulong *, ulong, ulong, int);
static void pdbunmap(ulong*, ulong, int);

void*
vmap(uvlong pa, vlong size)
{
	ulong o, va;

	if(pa < BY2PG || size <= 0 || ((pa+size) >> 32) != 0 || size > VMAPSIZE){
		print("vmap pa=%llux size=%lld pc=%#p\n", pa, size, getcallerpc(&pa));
		return nil;
	}
	o = pa & (BY2PG-1);
	pa -= o;
	size = ROUND(size+o, BY2PG);
	ilock(&vmaplock);
	if((va = vmapalloc(size)) == 0
	|| pdbmap(MACHP(0)->pdb, pa|PTEUNCACHED|PTEWRITE, va, size) < 0){
		iunlock(&vmaplock);
		return nil;
	}
	iunlock(&vmaplock);
	return (void*)(va+o);
}

static int
findhole(ulong *a, int n, int count)
{
	int k, free;

	free = 0;
	for(k=0; k<n; k++){
		if(a[k] == 0)
			free++;
		else
			free = 0;
		if(free >= count)
			return k+1-free;
	}
	return -1;
}

static ulong
vmapalloc(ulong size)
{
	int i, o, npde;
	ulong *pd;

	pd = &MACHP(0)->pdb[PDX(VMAP)];
	npde = VMAPSIZE/(4*MB);
	if(size >= 4*MB){
		if((o = findhole(pd, npde, (size+4*MB-1)/(4*MB))) != -1)
			return VMAP + o*4*MB;
		return 0;
	}
	for(i=0; i<npde; i++){
		if(!(pd[i]&PTEVALID) || (pd[i]&PTESIZE))
			continue;
		if((o = findhole(KADDR(PPN(pd[i])), WD2PG, (size+BY2PG-1)/BY2PG)) != -1)
			return VMAP + i*4*MB + o*BY2PG;
	}
	if((o = findhole(pd, npde, 1)) != -1)
		return VMAP + o*4*MB;
	return 0;
}

void
vunmap(void *v, vlong size)
{
	ulong va, o;

	va = (ulong)v;
	o = va&(BY2PG-1);
	va -= o;
	size = ROUND(size+o, BY2PG);
	if(size < 0 || va < VMAP || va+size > VMAP+VMAPSIZE)
		panic("vunmap va=%#.8lux size=%lld pc=%#.8lux",
			va, size, getcallerpc(&v));
	pdbunmap(MACHP(0)->pdb, va, size);
	if(up == nil){
		putcr3(PADDR(MACHP(0)->pdb));
		return;
	}
	procflushothers();
	flushmmu();
}

static int
pdbmap(ulong *pdb, ulong pa, ulong va, int size)
{
	ulong f, off, len, *pde, *pte;
	int pse;

	f = pa&0xFFF;
	pa &= ~0xFFF;
	pse = (MACHP(0)->cpuiddx & Pse) && (getcr4() & 0x10);
	for(off=0; off<size; off+=len){
		pde = &pdb[PDX(va+off)];
		if((*pde&PTEVALID) && (*pde&PTESIZE))
			panic("vmap: va=%#.8lux pa=%#.8lux pde=%#.8lux",
				va+off, pa+off, *pde);
		if(pse && (pa+off)%(4*MB) == 0 && (va+off)%(4*MB) == 0 && (size-off) >= 4*MB){
			*pde = (pa+off)|f|PTESIZE|PTEVALID;
			len = 4*MB;
		} else {
			pte = mmuwalk(pdb, va+off, 2, 1);
			if(*pte&PTEVALID)
				panic("vmap: va=%#.8lux pa=%#.8lux pte=%#.8lux",
					va+off, pa+off, *pte);
			*pte = (pa+off)|f|PTEVALID;
			len = BY2PG;
		}
	}
	return 0;
}

static void
pdbunmap(ulong *pdb, ulong va, int size)
{
	uvlong end;
	ulong *pde, *pt;

	end = (uvlong)va+size;
	while(va < end){
		pde = &pdb[PDX(va)];
		if(!(*pde & PTEVALID))
			panic("vunmap: not mapped");
		if(*pde & PTESIZE){
			if(va & 4*MB-1)
				panic("vunmap: misaligned: %#p", va);
			*pde = 0;
			va += 4*MB;
			continue;
		}
		pt = KADDR(PPN(*pde));
		if(!(pt[PTX(va)] & PTEVALID))
			panic("vunmap: not mapped");
		pt[PTX(va)] = 0;
		va += BY2PG;
	}
}
