/* vmapview's kernel for pc/mmu.c's vmap path */
#include <stdarg.h>
#include <string.h>
typedef unsigned int ulong;
typedef unsigned int uintptr;
typedef unsigned int uint;
typedef unsigned int u32int;
typedef unsigned short ushort;
typedef unsigned char uchar;
typedef long long vlong;
typedef unsigned long long uvlong;
#define nil ((void*)0)
#define USED(x) ((void)(x))
#define nelem(x) (sizeof(x)/sizeof((x)[0]))
#define SET(x) ((void)0)
#define ROUND(s, sz) (((s)+((sz)-1))&~((sz)-1))
#define KB 1024u
#define MB (1024u*1024u)
#define BY2WD 4
#define BY2PG 4096
#define WD2PG (BY2PG/BY2WD)
#define PGSHIFT 12
#define PTEVALID (1<<0)
#define PTEWRITE (1<<1)
#define PTERONLY (0<<1)
#define PTEKERNEL (0<<2)
#define PTEUSER (1<<2)
#define PTEWT (1<<3)
#define PTEUNCACHED (1<<4)
#define PTESIZE (1<<7)
#define PTEPAT (1<<7)
#define PTEDPAT (1<<12)
#define PTEPCD (1<<4)
#define PTEGLOBAL (1<<8)
#define PDX(va) ((((ulong)(va))>>22) & 0x03FF)
#define PTX(va) ((((ulong)(va))>>12) & 0x03FF)
#define PPN(x) ((x)&~(BY2PG-1))
#define Pse (1<<3)
typedef struct Lock { int key; } Lock;
typedef struct Mach { int machno; ulong *pdb; ulong cpuiddx; int flushmmu; } Mach;
typedef struct Proc { int state; int newtlb; } Proc;
typedef struct Page Page;
enum { Dead = 0 };
struct vvhost {
	ulong vmapat, vmaplen;
	int pse;
	Mach mach;
	void *(*kaddr)(ulong);
	ulong (*paddr)(void *);
	void *(*xspanalloc)(ulong, int, ulong);
	void *(*rampage)(void);
	int (*vprint)(const char *, va_list);
	void (*vpanic)(const char *, va_list);
	void (*vexit)(int, const char *);
	ulong allocva;
	int allocated;
};
static struct vvhost *vv;
#define VMAP (vv->vmapat)
#define VMAPSIZE (vv->vmaplen)
#define MACHP(n) (&vv->mach)
static Mach *m;
#define up ((Proc*)0)
#ifdef VV_MACHS_ARRAY
static struct { int thunderbirdsarego; char machs[32]; int exiting; } active;
#else
static struct { int thunderbirdsarego; ulong machs; int exiting; } active;
#endif
typedef struct Confmem { ulong base; ulong npage; ulong kbase; ulong klimit; } Confmem;
static struct { int nproc; int nmach; ulong npage; Confmem mem[16]; } conf = { 0, 1, 0, { { 0, 1, 0, 0 } } };
#define KADDR(pa) (vv->kaddr((ulong)(pa)))
#define PADDR(p) (vv->paddr((void*)(p)))
static void ilock(Lock *l) { USED(l); }
static void iunlock(Lock *l) { USED(l); }
static void lock(Lock *l) { USED(l); }
static void unlock(Lock *l) { USED(l); }
static ulong getcr4(void) { return vv->pse ? 0x10 : 0; }
static void putcr3(ulong x) { USED(x); }
static void mmuflushtlb(ulong x) { USED(x); }
static void flushmmu(void) { }
static void procflushothers(void) { }
static void coherence(void) { }
static Proc *proctab(int i) { static Proc p; USED(i); return &p; }
static uintptr getcallerpc(void *x) { USED(x); return 0; }
static void *xspanalloc(ulong s, int a, ulong sp) { return vv->xspanalloc(s, a, sp); }
static void *rampage(void) { return vv->rampage(); }
static int print(char *f, ...) { va_list a; int n; va_start(a, f); n = vv->vprint(f, a); va_end(a); return n; }
static void panic(char *f, ...) __attribute__((noreturn));
static void panic(char *f, ...) { va_list a; va_start(a, f); vv->vpanic(f, a); va_end(a); for(;;); }
static void vvexit(int n, const char *f) __attribute__((noreturn));
static void vvexit(int n, const char *f) { vv->vexit(n, f); for(;;); }
#define exit(n) vvexit((n), __func__)
