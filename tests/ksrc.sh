#!/bin/sh
# A kernel source file as a policy: files written for the tests in the
# shape of pc/mmu.c (tests/kernel), one per kernel and two deliberately
# different, compiled and run; verify; and every error, with the user's
# file left as it was.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
V=$VMAPVIEW
XDG_CACHE_HOME=$TMPD/cache
export XDG_CACHE_HOME
K=tests/kernel

# The Bell Labs file replays devtest as the model's plan9 does.
"$V" replay -p $K/labs.c traces/devtest.yaml >"$TMPD/file" 2>"$TMPD/err"
same "$?" 0 "replay -p labs.c devtest: exit 0"
grep -q "^vmapview: compiling $K/labs.c with " "$TMPD/err"
ok $? "... and it says it compiles the file"
"$V" replay -p plan9 traces/devtest.yaml >"$TMPD/model"
cols() { sed -n 's/^ *\([0-9][0-9]*\)  \([a-z]*\) .* \(ok\|fail\|skipped\|panic\|refused\|not-run\) *\(0x[0-9a-f]*\|-\).*/\1 \2 \3 \4/p' "$1"; }
same "$(cols "$TMPD/file")" "$(cols "$TMPD/model")" \
    "... every result and address the model's"
grep -q '^   20  vmap    poke8 .* fail ' "$TMPD/file"
ok $? "... the eighth poke fails"
"$V" replay -p $K/labs.c traces/devtest.yaml >/dev/null 2>"$TMPD/err"
same "$(cat "$TMPD/err")" "" "the second time: compiled already, nothing said"

# Every bundled trace, each kernel's file against the model.
for t in traces/*.yaml; do
	"$V" compare --summary -p plan9,$K/labs.c "$t" 2>/dev/null |
	    grep -q '^plan9 and labs.c: the same on every event$'
	ok $? "labs.c and plan9 agree on $(basename "$t")"
	"$V" compare --summary --kernel 9front -p plan9,$K/9front.c "$t" \
	    2>/dev/null | grep -q '^plan9 and 9front.c: the same on every event$'
	ok $? "9front.c and plan9 agree on $(basename "$t") under 9front"
done

# A panic in the file's own words, and the view's name for the file.
"$V" replay -p $K/labs.c traces/pse-unmap.yaml 2>/dev/null |
    grep -q '^    3  vunmap  fb .* panic .*vunmap: not mapped'
ok $? "labs.c panics unmapping the 4 MiB page, in its own words"
"$V" compare -p $K/panicky.c,plan9 traces/devtest.yaml 2>/dev/null |
    grep -q 'panicky.c panic: vmap: 33554432 bytes, more than I take on purpose'
ok $? "panicky.c: its panic, in its words"

# verify: the faithful files agree; the others are found out, shrunk.
"$V" verify $K/labs.c >"$TMPD/out" 2>/dev/null
same "$?" 0 "verify labs.c: exit 0"
grep -q '^labs.c agrees with plan9 under labs: 200 random traces' "$TMPD/out"
ok $? "... it agrees with plan9, and says on how much"
grep -q "^  held to plan9: its vmapalloc found no room for 6M over an empty table and the next; under labs: its vmap and vunmap have Bell Labs' signatures (ulong pa, int size), and its pdbunmap is Bell Labs'$" "$TMPD/out"
ok $? "... and says why plan9, and why labs"
"$V" verify $K/9front.c >"$TMPD/out" 2>/dev/null
same "$?" 0 "verify 9front.c: exit 0, under 9front"
# The reference by what vmapalloc does, not by words: span.c, the patch's
# shape, whose comment says "We have"; labs.c with "have" in its
# vmapalloc's comment is plan9's still.
"$V" verify $K/span.c >"$TMPD/out" 2>/dev/null
same "$?" 0 "verify span.c: exit 0"
grep -q '^span.c agrees with span under labs' "$TMPD/out"
ok $? "... held to span, the patch's latent bug and all"
grep -q '^  held to span: its vmapalloc placed 6M over an empty table and the free head of the next;' "$TMPD/out"
ok $? "... because of what its vmapalloc did"
sed 's|^	dir = &MACHP(0)->pdb\[PDX(VMAP)\];|	/* we have to have a hole */\
&|' $K/labs.c >"$TMPD/have.c"
grep -q 'we have to have' "$TMPD/have.c"
ok $? "labs.c with a comment that says have"
"$V" verify "$TMPD/have.c" >"$TMPD/out" 2>/dev/null
same "$?" 0 "... verify: exit 0"
grep -q '^have.c agrees with plan9' "$TMPD/out"
ok $? "... held to plan9 still"
for f in lastfit panicky; do
	"$V" verify $K/$f.c >"$TMPD/out" 2>/dev/null
	same "$?" 1 "verify $f.c: exit 1"
	grep -q "^$f.c and plan9 differ under labs: trace " "$TMPD/out"
	ok $? "... it says where they differ"
	grep -q '^shrunk to 1 event, of the [0-9]* up to where they part (the trace has [0-9]*):$' "$TMPD/out"
	ok $? "... and shrinks it to one event"
	sed -n '/^vmaptrace: 1$/,/^$/p' "$TMPD/out" >"$TMPD/shrunk.yaml"
	"$V" replay -p $K/$f.c "$TMPD/shrunk.yaml" >/dev/null 2>&1
	same "$?" 0 "... a trace that replays as it says"
done

# The errors: each a message, exit 2, the file as it was.
cp $K/labs.c "$TMPD/mine.c"
CC=/no/such/cc "$V" replay -p "$TMPD/mine.c" traces/devtest.yaml \
    >/dev/null 2>"$TMPD/err"
same "$?" 2 "no compiler: exit 2"
grep -q "no C compiler to run .*mine.c: '/no/such/cc' does not run (set CC)" \
    "$TMPD/err"
ok $? "... and says so"
sed 's/^\trun = 0;$/\trun = nonsense;/' $K/labs.c >"$TMPD/broken.c"
cp "$TMPD/broken.c" "$TMPD/broken.orig"
"$V" replay -p "$TMPD/broken.c" traces/devtest.yaml >/dev/null 2>"$TMPD/err"
same "$?" 2 "a file that does not compile: exit 2"
line=$(grep -n 'nonsense' "$TMPD/broken.c" | cut -d: -f1)
grep -q "broken.c:$line:" "$TMPD/err"
ok $? "... the compiler's message points into the file (line $line)"
grep -q 'broken.c does not compile (cc said why, above)' "$TMPD/err"
ok $? "... and vmapview says what it was"
cmp -s "$TMPD/broken.c" "$TMPD/broken.orig"
ok $? "... the file as it was"
sed 's/^pdbunmap(ulong \*pdb, ulong va, int size)$/pdbunmapped(ulong *pdb, ulong va, int size)/' \
    $K/labs.c >"$TMPD/nounmap.c"
"$V" replay -p "$TMPD/nounmap.c" traces/devtest.yaml >/dev/null 2>"$TMPD/err"
same "$?" 2 "a function missing: exit 2"
grep -q 'nounmap.c: no definition of pdbunmap' "$TMPD/err"
ok $? "... named"
sed 's/^vmap(ulong pa, int size)$/vmap(ulong pa, ulong size)/' \
    $K/labs.c >"$TMPD/sig.c"
"$V" replay -p "$TMPD/sig.c" traces/devtest.yaml >/dev/null 2>"$TMPD/err"
same "$?" 2 "an unexpected signature: exit 2"
grep -q 'vmap(ulong pa,ulong size) and vunmap(void\*v,int size) have neither' \
    "$TMPD/err"
ok $? "... which it names"
"$V" replay -p "$TMPD/none.c" traces/devtest.yaml >/dev/null 2>"$TMPD/err"
same "$?" 2 "no such file: exit 2"
"$V" verify traces/devtest.yaml >/dev/null 2>&1
same "$?" 2 "verify of what is no C file: exit 2"

# The C of the real files at file scope: an enum, an initialized table
# and a struct whose braces end their lines, a function of the file's
# own that vmap calls (and one only a comment names, which would not
# compile), a local named m, conf.mem, active.machs as an array, nelem
# and PTEPAT.  Each is taken as C reads it, and the file agrees.
cat >"$TMPD/scope.c" <<'END'
enum{
	Vmapslack	= 0,
};

static int vmapcalls[8] = {
	0, 0, 0, 0,
	0, 0, 0, 0,
};

struct Vmapnote {
	ulong	pa;
	int	size;
};
static struct Vmapnote lastnote;

static void
notevmap(ulong pa, int size)
{
	struct Vmapnote *m;

	m = &lastnote;
	m->pa = pa|(PTEPAT&0);
	m->size = size + Vmapslack;
	if(conf.mem[0].npage == 0 || active.machs[0] != 0)
		panic("notevmap");
	vmapcalls[nelem(vmapcalls)-1]++;
	/* vmapsync(va) is not called here */
}

static void
vmapsync(ulong va)
{
	nosuchthing(va);
}
END
sed -e "/^static Lock vmaplock;/r $TMPD/scope.c" \
    -e 's|^	ilock(&vmaplock);$|	notevmap(pa, size);\
	ilock(\&vmaplock);|' $K/labs.c >"$TMPD/scoped.c"
grep -q '^	notevmap(pa, size);' "$TMPD/scoped.c" &&
    grep -q '^notevmap(ulong pa, int size)' "$TMPD/scoped.c"
ok $? "a labs.c with the C of the real files at file scope"
"$V" verify --traces 50 "$TMPD/scoped.c" >"$TMPD/out" 2>"$TMPD/err"
same "$?" 0 "... compiles, and agrees with plan9"
grep -q "error" "$TMPD/err"
same "$?" 1 "... not a word from the compiler"

# 9front's signatures before 2021: a uvlong pa with int sizes.
sed 's|^vmap(ulong pa, int size)$|vmap(uvlong pa, int size)|' $K/labs.c \
    >"$TMPD/mixed.c"
"$V" verify --traces 50 "$TMPD/mixed.c" >"$TMPD/out" 2>"$TMPD/err"
case $? in 0|1) ok 0 "vmap(uvlong pa, int size): compiled and held" ;;
*) ok 1 "vmap(uvlong pa, int size): compiled and held"; sed 's/^/# /' "$TMPD/err" ;;
esac
grep -q "under 9front: its vmap has 9front's signature (uvlong pa), its sizes int (as 9front's before 2021), but its pdbunmap is Bell Labs' (no kernel of the model has both)$" "$TMPD/out"
ok $? "... under 9front, by its pa, and said so"

# A file's results explained from the state, as a built-in's are: a
# failure by what the vmap held; a panic by what stood in the way
# before the call, and whose it was.
"$V" replay -p $K/labs.c traces/devtest.yaml 2>/dev/null |
    grep -q '^   20  vmap    poke8 .* fail .*its vmapalloc found no room for 8192 pages; the vmap held 3 blank PDEs in a row at most (PDEs 955-957), 56 PDEs with an empty table and a hole of 1024 pages at most in one table (PDE 899)'
ok $? "a file's failure: what the vmap held"
"$V" replay -p $K/span.c traces/span-bug.yaml 2>/dev/null |
    grep -q '^    6  vmap    big .* panic .*; before the call, the page at 0xe0800000 was in use by win2 (event 3)'
ok $? "a file's panic in vmap: the page in the way, and its mapping"
"$V" replay -p $K/labs.c traces/pse-unmap.yaml 2>/dev/null |
    grep -q '^    3  vunmap  fb .* panic .*vunmap: not mapped; before the call, every page of the range was mapped, 0xe0400000 a 4M page (PDE 897)'
ok $? "a file's panic in vunmap: the 4M page it met"
cat >"$TMPD/unmapped.yaml" <<'END'
vmaptrace: 1
name: unmapped
machine: {vmap: 0xe0000000, vmapsize: 32M, kernel: labs, pse: true}
events:
  - {op: vmap, pa: 0x10000000, size: 4096, id: one}
  - {op: vunmap, va: 0xe0000000, size: 8192}
END
"$V" replay -p $K/labs.c "$TMPD/unmapped.yaml" 2>/dev/null |
    grep -q '^    2  vunmap  .* panic .*vunmap: not mapped; before the call, the PTE for 0xe0001000 was not mapped'
ok $? "a file's panic in vunmap: the PTE not mapped"
"$V" replay -p $K/labs.c --format yaml "$TMPD/unmapped.yaml" 2>/dev/null |
    grep -q 'pde: 896, last-pde: 896, hole-pte: 1024, kind: said, cause: free-pte, at: 0xe0001000'
ok $? "... and in YAML, its PDEs and cause"

# Which pdbunmap, by what it does: Bell Labs' signatures with 9front's
# pdbunmap (9front from 2011 to 2020) are said to be no kernel's pair.
sed 's|^			va = (va+4\*MB-1) \& ~(4\*MB-1);$|			va += 4*MB;|' $K/labs.c \
    >"$TMPD/steps.c"
grep -q '^			va += 4\*MB;$' "$TMPD/steps.c"
ok $? "a labs.c whose pdbunmap steps 4M as 9front's does"
"$V" verify --traces 20 "$TMPD/steps.c" >"$TMPD/out" 2>"$TMPD/err"
grep -q "under labs: its vmap and vunmap have Bell Labs' signatures (ulong pa, int size), but its pdbunmap is 9front's (no kernel of the model has both)$" "$TMPD/out"
ok $? "... said: Bell Labs' signatures, 9front's pdbunmap"
# That probe is a dry run: a vunmap whose second call panics panics at
# the trace's second vunmap, devtest's event 9.
sed 's|^	va = (ulong)v;$|	{ static int calls; if(++calls == 2) panic("second vunmap"); }\
	va = (ulong)v;|' $K/labs.c >"$TMPD/second.c"
grep -q 'calls == 2' "$TMPD/second.c"
ok $? "a vunmap that panics on its second call"
"$V" replay -p "$TMPD/second.c" traces/devtest.yaml 2>/dev/null |
    grep -q '^first     panic at event 9 (poke2): second vunmap'
ok $? "... panics at event 9: the probe of its pdbunmap was dry"

# A file of thousands of file-scope items, each used by the next (a
# chain the vmap path reaches at its end): all taken, in time that
# follows the file's length.
awk 'BEGIN { print "static int v0 = 1;"
	for (i = 1; i < 3000; i++)
		printf "static int v%d = %d;\n#define W%d v%d\n", i, i, i, i - 1 }' \
    >"$TMPD/chain.txt"
sed -e "/^static Lock vmaplock;/r $TMPD/chain.txt" \
    -e 's|^	ilock(&vmaplock);$|	USED(W2999);\
	ilock(\&vmaplock);|' $K/labs.c >"$TMPD/chain.c"
"$V" verify --traces 20 "$TMPD/chain.c" >"$TMPD/out" 2>"$TMPD/err"
same "$?" 0 "6000 file-scope items, a chain of them used: compiled, and it agrees"

done_testing
