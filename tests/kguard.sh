#!/bin/sh
# A user's kernel file, guarded: its crash, loop or exit is a result and
# never vmapview's end; the compile cache trusts nothing another user
# could have written; concurrent cold runs all succeed; a file is one
# policy whatever path names it.  The files are tests/kernel/labs.c with
# one line put into pdbmap, which runs for real vmaps only: on its
# fifth call (the devtest trace's event 8, poke2).
# The runs that meet a loop are bounded by timeout(1), so that a time
# limit that failed fails the test rather than hanging it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$TMPD" || exit 1
V=$VMAPVIEW
T=$top_srcdir/traces/devtest.yaml
L=$top_srcdir/tests/kernel/labs.c
export XDG_CACHE_HOME=$TMPD/cache

# mk NAME C: labs.c whose pdbmap runs C on its fifth call.
mk() {
	sed "s|^	bits = pa & 0xFFF;|	{ static int calls; if(++calls == 5) { $2 } }\\
	bits = pa \\& 0xFFF;|" "$L" >"$1.c"
	grep -q 'calls == 5' "$1.c" || echo "# mk $1: no pdbmap to put it in"
}
mk segv '*(volatile ulong*)0 = 1;'
mk fpe 'volatile int z = 0; calls /= z;'
mk deep 'volatile char big[1<<28]; big[0] = 1; big[(1<<28)-1] = 1;'
mk wild 'pdb[PDX(va)] = 0x12345003;'
mk oob 'ulong *p = KADDR(PPN(pdb[PDX(va)])); if(p) p[1024+7] = 0x7;'
mk ex42 'exit(42);'
mk ex0 'exit(0);'
mk loop 'volatile int spin = 1; while(spin) ;'

# row FILE: event 8's row of a replay's table.
row() {
	sed -n 's/^ *8  vmap  *poke2 .*/&/p' "$1"
}

# 1. A crash is a result at its event, with the signal and the function.
for k in segv:"signal 11 (Segmentation fault) in pdbmap, called by vmap" \
    fpe:"signal 8 (Floating point exception) in pdbmap, called by vmap" \
    wild:"it wrote PDE 907 = 0x12345003, which points at no page table of the pool"; do
	f=${k%%:*}
	"$V" replay -p "./$f.c" "$T" >out 2>err
	st=$?
	same "$st" 1 "$f: replay exits 1 (an unexpected stop), not by a signal"
	case $(row out) in
	*" crash "*"${k#*:}") ok 0 "$f: event 8 is a crash: ${k#*:}" ;;
	*) ok 1 "$f: event 8 is a crash: ${k#*:}"; row out | sed 's/^/# /' ;;
	esac
	grep -q "^events    27: 7 ok, .* 1 crash, 19 not-run" out
	ok $? "$f: the later events are not-run"
done
"$V" replay -p ./deep.c "$T" >out 2>err
same "$?" 1 "a stack overflow: exit 1, not a signal"
grep -q "crash .*signal 11 (Segmentation fault) in pdbmap" out
ok $? "a stack overflow: a crash in pdbmap"
"$V" replay --keep-going -p ./segv.c "$T" >out 2>err
grep -q "1 crash, 19 not-run" out
ok $? "--keep-going: a crash ends the run all the same"
"$V" replay -p ./oob.c "$T" >out 2>err
st=$?
[ $st -le 1 ]
ok $? "a PTE written past its table: vmapview stands (status $st)"
"$V" replay --format yaml -p ./segv.c "$T" >out.yaml 2>err
grep -q "result: crash, panic: 'signal 11 (Segmentation fault) in pdbmap, called by vmap'" out.yaml
ok $? "YAML: the crash, with its words"
"$V" compare --summary -p plan9,./segv.c "$T" >out 2>err
grep -q "^crash  *0  *1$" out
ok $? "compare --summary: a row of crashes"
"$V" probe --at 7 -p ./segv.c "$T" 32M >out 2>err
grep -q "crash" out
ok $? "probe: the file's crash is its answer"

# 2. A loop is a hang, after the time limit.
timeout 120 "$V" replay --kernel-timeout 0.3 -p ./loop.c "$T" >out 2>err
same "$?" 1 "a loop: replay ends, exit 1"
case $(row out) in
*" hang "*"vmap did not return within 0.3 s") ok 0 "a loop: event 8 is a hang" ;;
*) ok 1 "a loop: event 8 is a hang"; row out | sed 's/^/# /' ;;
esac
grep -q "^status    the kernel file's code hung unexpectedly at event 8" out
ok $? "a loop: the status says it hung"
timeout 120 "$V" compare --kernel-timeout 0.3 -p plan9,./loop.c "$T" >out 2>err
same "$?" 1 "compare with a loop: it ends, and the two part (exit 1)"
grep -q "hang" out
ok $? "compare: the hang is said"
timeout 120 "$V" verify --kernel-timeout 0.05 --traces 20 ./loop.c >out 2>err
same "$?" 1 "verify with a loop: it ends, and differs"
grep -q "loop.c hang: vm" out
ok $? "verify: the hang is the difference"
"$V" replay --kernel-timeout 0 -p ./loop.c "$T" >out 2>err
same "$?" 2 "--kernel-timeout 0: a usage error"

# 3. exit() is a crash; verify never passes on it.
"$V" replay -p ./ex42.c "$T" >out 2>err
same "$?" 1 "exit(42): replay exits 1, not 42"
row out | grep -q "crash .*exit(42) in pdbmap, called by vmap"
ok $? "exit(42): a crash in pdbmap"
"$V" verify --traces 20 ./ex0.c >out 2>err
same "$?" 1 "exit(0) in verify: no false pass, exit 1"
grep -q "ex0.c crash: exit(0) in pdbmap" out
ok $? "exit(0) in verify: the crash is the difference"
grep -q "ex0.c and plan9 differ" out
ok $? "exit(0) in verify: a verdict line"

# The file's own state sees the trace's events only: measures and
# probes ask its vmapalloc in a copy, thrown away.  A vmapalloc whose
# fifth call fails fails at the fifth vmap, poke2, event 8.
sed 's|^	dir = &MACHP(0)->pdb\[PDX(VMAP)\];|	{ static int calls; if(++calls == 5) return 0; }\
&|' "$L" >fifth.c
grep -q 'calls == 5' fifth.c
ok $? "a vmapalloc that fails on its fifth call"
"$V" replay -p ./fifth.c "$T" >out 2>err
row out | grep -q " fail .*its vmapalloc found no room"
ok $? "... fails at the fifth vmap, not inside a measure"
grep -q "^first     fail at event 8 (poke2)" out
ok $? "... the first failure of the run"

# Nor do the words a dry run writes: a vmapalloc that, asked for more
# than 200M (only the measures ask that of devtest), writes a word into
# the vmap's first table leaves the pages as labs.c does.
sed 's|^	dir = &MACHP(0)->pdb\[PDX(VMAP)\];|	if(size > 200*MB \&\& (MACHP(0)->pdb[PDX(VMAP)] \& PTEVALID)) ((ulong*)KADDR(PPN(MACHP(0)->pdb[PDX(VMAP)])))[1023] = 0x1000;\
&|' "$L" >scribble.c
grep -q '1023\] = 0x1000' scribble.c
ok $? "a vmapalloc that writes a word when asked for more than 200M"
"$V" replay --summary -p ./scribble.c "$T" >out 2>err
"$V" replay --summary -p "$L" "$T" >out2 2>err
grep "^pages " out2 >want
grep "^pages " out >got
cmp -s want got && [ -s want ]
ok $? "... its words in a measure are undone: $(cat got)"

# An address outside the window is said so, ok or panic.
sed 's|return at == -1 ? 0 : VMAP + at\*4\*MB;|return at == -1 ? 0 : VMAP + (at+ndir)*4*MB;|' \
    "$L" >outside.c
"$V" replay -p ./outside.c "$T" >out 2>err
grep -q "^ *2  vmap .* ok .*0xef800000 .*its vmapalloc placed it over PDE 958, outside the vmap's PDEs 896-957" out
ok $? "an ok outside the vmap: said, without --why"
grep -q "^ *3  vmap .* panic .*for PDEs 958-958, outside the vmap's (896-957)" out
ok $? "the panic that follows: its PDEs outside the vmap's"

# The view stays up: the crash on its row, to the script's end.
trace=$T
. "$top_srcdir/tests/term.sh"
if term_start; then
	screen_dir=$TMPD screen v view -p ./segv.c --keys jjjjjjjj \
	    --save-screen "$TMPD/v.txt" "$trace"
	same "$(cat "$TMPD/v.st" 2>/dev/null)" 0 \
	    "the view: up through the crash, to the script's end"
	holds "$TMPD/v.txt" "crash" "the view: the crash on the screen"
	# the terminal's server gone, T the trace again
	$T kill-server 2>/dev/null
	trap 'rm -rf "$TMPD"' EXIT
else
	skip "tmux is not installed"
	skip "tmux is not installed"
fi
T=$trace

# 4. The cache trusts no one.  A planted object whose constructor leaves
# a mark must never be loaded.
cat >plant.c <<EOF
#include <stdio.h>
__attribute__((constructor)) static void planted(void)
{
	fopen("$TMPD/pwned", "w");
}
EOF
cc -shared -fPIC -o plant.so plant.c
export XDG_CACHE_HOME=$TMPD/cache2
"$V" replay -p "$L" "$T" >/dev/null 2>err
same "$?" 0 "a cold cache: compiled, replayed"
so=$(ls cache2/vmapview/*.so)
same "$(ls cache2/vmapview | wc -l)" 1 "the cache holds the object alone"
same "$(stat -c %a cache2/vmapview)" 700 "the cache directory is 0700"
key=$(basename "$so")
# a directory others may write, holding a planted object under the key
mkdir -p open/vmapview
chmod 777 open/vmapview
cp plant.so "open/vmapview/$key"
XDG_CACHE_HOME=$TMPD/open "$V" replay -p "$L" "$T" >out 2>err
same "$?" 2 "a cache writable by others: refused, status 2"
grep -q "writable by group or others: nothing in it is loaded" err
ok $? "a cache writable by others: said"
[ ! -e pwned ]
ok $? "a cache writable by others: the planted object never ran"
# a link planted at the key
cp plant.so elsewhere.so
rm "$so"
ln -s "$TMPD/elsewhere.so" "$so"
"$V" replay -p "$L" "$T" >out 2>err
same "$?" 2 "an object that is a link: refused"
[ ! -e pwned ]
ok $? "an object that is a link: never loaded"
rm "$so"
if [ "$(id -u)" -eq 0 ]; then
	cp plant.so "$so"
	chown 65534 "$so"
	"$V" replay -p "$L" "$T" >out 2>err
	same "$?" 2 "an object of another user's: refused"
	grep -q "is owned by another user: not loaded" err
	ok $? "an object of another user's: said"
	[ ! -e pwned ]
	ok $? "an object of another user's: never loaded"
	rm -f "$so"
	mkdir -p theirs/vmapview
	chown -R 65534 theirs
	chmod 700 theirs/vmapview
	XDG_CACHE_HOME=$TMPD/theirs "$V" replay -p "$L" "$T" >out 2>err
	same "$?" 2 "a cache directory of another user's: refused"
else
	skip "not root: no file of another user's to make"
	skip "not root: no file of another user's to make"
	skip "not root: no file of another user's to make"
	skip "not root: no file of another user's to make"
fi
# umask 000: nothing made writable by others
rm -rf cache2
(umask 000; "$V" replay -p "$L" "$T" >/dev/null 2>&1)
same "$(stat -c %a cache2/vmapview) $(stat -c %a cache2/vmapview/*.so)" \
    "700 500" "umask 000: the directory 0700, the object 0500"
# the whole compiler command is in the key
CC="cc -O0" "$V" replay -p "$L" "$T" >/dev/null 2>&1
same "$(ls cache2/vmapview | wc -l)" 2 "CC with other flags: another object"

# 5. Cold runs at once all succeed.
rm -rf cache2
i=0
while [ $i -lt 10 ]; do
	("$V" replay -p "$L" "$T" >/dev/null 2>"cold$i.err"; echo $? >"cold$i.st") &
	i=$((i + 1))
done
wait
same "$(cat cold*.st | sort | uniq -c | tr -s ' ')" " 10 0" \
    "10 cold runs at once: all succeed"
same "$(ls -A cache2/vmapview | wc -l)" 1 "... and leave the object alone"

# 6. A file is one policy, whatever names it.
cp "$L" k.c
cp "$top_srcdir/tests/kernel/9front.c" k.c.orig
"$V" compare -p "./k.c,$TMPD/k.c" "$T" >out 2>err
same "$?" 2 "the same file by two paths: one policy, named twice"
"$V" compare --summary -p "$TMPD/k.c.orig,$TMPD/k.c" "$T" >out 2>err
same "$?" 0 "k.c.orig and k.c: two policies"
mkdir a b
cp "$L" a/m.c
cp "$top_srcdir/tests/kernel/9front.c" b/m.c
"$V" compare --summary -p a/m.c,b/m.c "$T" >out 2>err
same "$?" 0 "two files named m.c: both accepted"
grep -q ": m.c, m.c@[0-9a-f]\{6\} (kernel 9front)$" out
ok $? "... the second named with its hash, and its own kernel said"

done_testing
