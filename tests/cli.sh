#!/bin/sh
# The command line as a user meets it: help, version, usage errors with
# exit status 2, the policies list, dump's --at, and exit status 1 for a
# failed expectation.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
V=$VMAPVIEW

out=$("$V" --help)
same "$?" 0 "--help exits 0"
for c in replay check dump policies; do
	echo "$out" | grep -q "vmapview $c"
	ok $? "--help lists $c"
done
same "$("$V" --version)" "vmapview $(sed -n 's/^AC_INIT(\[vmapview\], \[\([^]]*\)\].*/\1/p' configure.ac)" \
    "--version prints the package version"
"$V" >/dev/null 2>&1
same "$?" 2 "no command: exit 2"
"$V" --bogus 2>"$TMPD/err"
same "$?:$(head -1 "$TMPD/err")" \
    "2:vmapview: view: unknown or incomplete option --bogus" \
    "an unknown option before any command: one prefix, the view's name"
"$V" frobnicate 2>"$TMPD/err"
same "$?" 2 "unknown command: exit 2"
grep -q "'frobnicate' is no command, no file and no bundled trace (looked for in $VMAPVIEW_TRACES, " "$TMPD/err"
ok $? "unknown command: named, and where bundled traces were looked for"
# the bundled traces beside the program too, as in a build tree
if [ -f "$top_builddir/traces/devtest.yaml" ]; then
	(unset VMAPVIEW_TRACES; "$V" check devtest) >"$TMPD/out" 2>&1
	same "$?:$(sed 's|.*/||' "$TMPD/out")" "0:devtest.yaml: ok, 27 events" \
	    "a bundled trace found beside the program"
else
	skip "a bundled trace found beside the program (a separate build tree)"
fi
"$V" replay -p plan10 traces/devtest.yaml 2>"$TMPD/err" >"$TMPD/out"
same "$?:$(wc -c <"$TMPD/out")" "2:0" "unknown policy: exit 2, no output"
grep -q "no policy 'plan10'" "$TMPD/err"
ok $? "unknown policy: named"
# usage WHAT MESSAGE ARGS...: exit 2, nothing on standard output, and
# standard error the message, then where to look
usage() {
	what=$1
	msg=$2
	shift 2
	"$V" "$@" >"$TMPD/out" 2>"$TMPD/err"
	same "$?:$(wc -c <"$TMPD/out"):$(cat "$TMPD/err")" \
	    "2:0:vmapview: replay: $msg
Try 'vmapview replay --help'." "$what: exit 2, said, nothing else"
}
usage "bad --kernel" "--kernel: 'plan9' is not labs or 9front" \
    replay --kernel plan9 traces/devtest.yaml
usage "bad --pse" "--pse: 'maybe' is not on or off" \
    replay --pse maybe traces/devtest.yaml
usage "bad --format" "--format: 'json' is not text or yaml" \
    replay --format json traces/devtest.yaml
usage "unknown option" "unknown or incomplete option --bogus" \
    replay --bogus traces/devtest.yaml
usage "two traces to replay" "one TRACE, please" \
    replay traces/devtest.yaml traces/boot.yaml
usage "no trace" "which TRACE?" replay
"$V" check --at 3 traces/devtest.yaml 2>"$TMPD/err"
same "$?" 2 "an option a command does not take: exit 2"
grep -q "check: takes no --at" "$TMPD/err"
ok $? "... and says so"
"$V" dump --at 28 traces/devtest.yaml 2>"$TMPD/err"
same "$?" 2 "--at past the end: exit 2"
"$V" dump --at x traces/devtest.yaml 2>/dev/null
same "$?" 2 "--at not a number: exit 2"
"$V" dump --at 0 traces/devtest.yaml | grep -c ' blank$' >"$TMPD/n"
same "$(cat "$TMPD/n")" 62 "--at 0: every PDE blank"

same "$("$V" policies | grep -v '^ ' | cut -d' ' -f1 | tr '\n' ' ')" \
    "plan9 span span-fixed reclaim " "policies lists the four"
"$V" policies | grep -A3 '^reclaim' | grep -q "vmapsync has copied the PDE"
ok $? "policies: reclaim is a hypothetical, and says why"
grep -q 'vmapsync' man/vmapview.1
ok $? "vmapview.1: ... and so does the man page"
"$V" check traces/*.yaml >"$TMPD/out"
same "$?:$(wc -l <"$TMPD/out")" "0:$(ls traces/*.yaml | wc -l)" \
    "check: every bundled trace is valid"
"$V" check traces/devtest.yaml tests/bad/alias.yaml >"$TMPD/out" 2>&1
same "$?" 2 "check: one bad trace among good ones: exit 2"

# An expectation that fails gives exit status 1 and says which.
cat >"$TMPD/wrong.yaml" <<'EOT'
vmaptrace: 1
events:
  - {op: vmap, pa: 0xfee00000, size: 1K, expect: 0xe0001000}
EOT
"$V" replay "$TMPD/wrong.yaml" >"$TMPD/out"
same "$?" 1 "failed expectation: exit 1"
grep -q 'EXPECTED 0xe0001000' "$TMPD/out"
ok $? "failed expectation: marked in the report"
grep -q '^first     failed expectation at event 1 (-): expected 0xe0001000, got 0xe0000000 (a new table in blank PDE 896)$' "$TMPD/out"
ok $? "failed expectation: the summary says the address that came, then why"
cat >"$TMPD/wrong2.yaml" <<'EOT'
vmaptrace: 1
events:
  - {op: vmap, pa: 0, size: 1K, expect: 0xe0000000}
EOT
"$V" replay "$TMPD/wrong2.yaml" >"$TMPD/out"
grep -q '^first     failed expectation at event 1 (-): expected 0xe0000000, got refused (' "$TMPD/out"
ok $? "... and the result where no address came"
# An unexpected panic too.
cat >"$TMPD/panic.yaml" <<'EOT'
vmaptrace: 1
events:
  - {op: vunmap, va: 0xe0000000, size: 4K}
EOT
"$V" replay "$TMPD/panic.yaml" >"$TMPD/out"
same "$?" 1 "unexpected panic: exit 1"
"$V" replay --format yaml "$TMPD/panic.yaml" | grep -q "panic: 'vunmap: not mapped'"
ok $? "yaml report carries the panic message"
# gen: the same seed gives the same trace; a generated trace is valid.
for kind in devtest boot churn staircase unmapva fragment; do
	"$V" gen $kind --seed 9 >"$TMPD/a.yaml" 2>"$TMPD/err"
	same "$?:$(cat "$TMPD/err")" "0:" "gen $kind --seed 9: made, nothing said"
	"$V" check "$TMPD/a.yaml" >/dev/null 2>&1
	ok $? "gen $kind: a valid trace"
done
"$V" gen churn --seed 4 --events 500 >"$TMPD/a.yaml"
"$V" gen churn --seed 4 --events 500 >"$TMPD/b.yaml"
cmp -s "$TMPD/a.yaml" "$TMPD/b.yaml"
ok $? "gen churn: same seed, same bytes"
"$V" gen churn --seed 5 --events 500 >"$TMPD/b.yaml"
cmp -s "$TMPD/a.yaml" "$TMPD/b.yaml"
same "$?" 1 "gen churn: another seed, another trace"
same "$(grep -c 'op: vmap\|op: vunmap' "$TMPD/a.yaml")" 500 \
    "gen churn --events 500: 500 events"
"$V" gen devtest --pokes 11 >"$TMPD/dev.yaml"
for p in plan9 span; do
	"$V" replay -p $p --format yaml "$TMPD/dev.yaml" |
	    grep -o 'op: vmap.*va: 0x[0-9a-f]*' | grep -o '0x[0-9a-f]*$' >"$TMPD/g"
	"$V" replay -p $p --format yaml traces/devtest.yaml |
	    grep -o 'op: vmap.*va: 0x[0-9a-f]*' | grep -o '0x[0-9a-f]*$' >"$TMPD/b"
	cmp -s "$TMPD/g" "$TMPD/b"
	ok $? "gen devtest under $p: the bundled transcript's addresses"
done
"$V" gen plasma 2>/dev/null
same "$?" 2 "gen: unknown kind, exit 2"
"$V" gen churn --pokes 3 2>/dev/null
same "$?" 2 "gen churn takes no --pokes"
"$V" gen churn --fill 2 2>/dev/null
same "$?" 2 "gen: --fill past 1, exit 2"

# replay --record-expect: the run's results become the trace's
# expectations for its policy, and the other policies' stay.
"$V" replay -p span --record-expect "$TMPD/rec.yaml" traces/devtest.yaml >/dev/null
same "$?" 0 "record-expect: replay exits 0"
"$V" replay -p span "$TMPD/rec.yaml" | grep '^expect'  >"$TMPD/out"
same "$(cat "$TMPD/out")" "expect    25 held, 0 failed, 0 unchecked" \
    "record-expect: every vmap and vunmap expected under span"
"$V" replay -p plan9 "$TMPD/rec.yaml" >/dev/null
same "$?" 0 "record-expect: plan9's expectations kept"
"$V" gen churn --seed 2 --events 300 >"$TMPD/c.yaml"
"$V" replay -p span-fixed --record-expect "$TMPD/c2.yaml" "$TMPD/c.yaml" >/dev/null
"$V" replay -p span-fixed "$TMPD/c2.yaml" | grep '^expect' >"$TMPD/out"
same "$(cat "$TMPD/out")" "expect    300 held, 0 failed, 0 unchecked" \
    "record-expect: a recorded churn is its own regression test"
cp "$TMPD/c2.yaml" "$TMPD/c3.yaml"
"$V" replay -p plan9 --record-expect "$TMPD/c3.yaml" "$TMPD/c2.yaml" >/dev/null
"$V" replay -p plan9 "$TMPD/c3.yaml" >/dev/null
same "$?" 0 "record-expect: over an existing file"
"$V" replay -p span-fixed "$TMPD/c3.yaml" >/dev/null
same "$?" 0 "record-expect: ... keeping span-fixed's expectations"
"$V" replay --record-expect "$TMPD/no/such/dir/x.yaml" traces/boot.yaml \
    >/dev/null 2>"$TMPD/err"
same "$?" 2 "record-expect into a missing directory: exit 2"
grep -q 'No such file or directory' "$TMPD/err"
ok $? "record-expect: the error names the cause"

# Expectations are for the trace's machine: not checked on another.
"$V" replay --kernel 9front traces/pse-unmap.yaml >"$TMPD/out"
same "$?" 0 "--kernel 9front on a labs trace: exit 0"
grep -qx "          expectations not checked: the trace's machine was overridden (--kernel 9front)" \
    "$TMPD/out"
ok $? "... and the report says why in one line"
"$V" replay --kernel labs --pse on traces/pse-unmap.yaml | grep -c 'expectations not checked' \
    >"$TMPD/n"
same "$(cat "$TMPD/n")" 0 "options that match the trace's machine change nothing"
"$V" replay -p span --kernel 9front --record-expect "$TMPD/k9.yaml" \
    traces/pse-unmap.yaml >/dev/null 2>"$TMPD/err"
same "$(grep -c 'kernel: 9front' "$TMPD/k9.yaml"):$(grep -c 'plan9:' "$TMPD/k9.yaml")" \
    "1:0" "record-expect on another machine: writes that machine, drops the rest"
grep -q "recorded for the machine replayed (--kernel 9front)" "$TMPD/err"
ok $? "... and says so"
"$V" replay -p span "$TMPD/k9.yaml" | grep '^expect' >"$TMPD/out"
same "$(cat "$TMPD/out")" "expect    4 held, 0 failed, 0 unchecked" \
    "... and replays as recorded"

# compare
"$V" compare -p plan9 traces/devtest.yaml 2>/dev/null
same "$?" 2 "compare -p with one policy: exit 2"
"$V" compare -p plan9,plan9 traces/devtest.yaml 2>/dev/null
same "$?" 2 "compare -p with a policy twice: exit 2"
"$V" replay -p plan9,span traces/devtest.yaml 2>/dev/null
same "$?" 2 "replay takes one policy"
"$V" compare -p span,plan9 traces/devtest.yaml | grep '^    plan9 fail' >"$TMPD/out"
same "$(cat "$TMPD/out")" \
    "    plan9 fail: needs 8 blank PDEs in a row; the longest run is 3 (PDEs 955-957); 56 PDEs hold empty tables" \
    "compare explains plan9's failure at the eighth poke"

# Streamed (--summary, compare) or not, a panic names the mapping in its
# way, and the firsts of a summary are the same words.
"$V" gen churn --events 3000 --seed 1 -o "$TMPD/churn.yaml"
for kg in "" --keep-going; do
	"$V" replay $kg -p span "$TMPD/churn.yaml" | grep '^first' >"$TMPD/full"
	"$V" replay $kg --summary -p span "$TMPD/churn.yaml" |
	    grep '^first' >"$TMPD/streamed"
	same "$(cat "$TMPD/streamed")" "$(cat "$TMPD/full")" \
	    "replay --summary $kg: the firsts as the full replay words them"
done
grep -q 'in use by m[0-9]* (event [0-9]*)' "$TMPD/full"
ok $? "... a span panic names the owner of the page in its way"
"$V" compare -p plan9,span traces/span-bug.yaml | grep '^    span panic' \
    >"$TMPD/out"
grep -q 'the page at 0xe0800000 is in use by win2 (event 3)' "$TMPD/out"
ok $? "compare: span's panic names win2, which owns the page"

# compare --summary: counts and the first few, not every event.
"$V" compare --summary traces/devtest.yaml >"$TMPD/out"
same "$?:$(grep -c '^  seq  op' "$TMPD/out")" "1:0" \
    "compare --summary: no table of the events that differ"
holds "$TMPD/out" "plan9 and reclaim: 14 events differ (address 6, result 8)" \
    "... each pair's counts by kind"
same "$(grep -c '^  then result at event' "$TMPD/out")" 6 \
    "... and two more of a kind after the first, where there are"
"$V" compare --keep-going -p plan9,span traces/span-bug.yaml >"$TMPD/out"
holds "$TMPD/out" "plan9 and span: 1 event differs (panic 1)" \
    "compare --keep-going: span runs on after its panic"

# Two fragmentations that must not be confused: after the staircase,
# the free space is one run of pages, and plan9 can use a quarter of it.
"$V" gen staircase | "$V" replay --summary - >"$TMPD/out"
holds "$TMPD/out" "largest free run 4096 (16M), page fragmentation 0.0%" \
    "staircase: page fragmentation 0%"
holds "$TMPD/out" "largest   vmap 4092K (plan9, on its own state); allocator fragmentation 75.0%" \
    "... the allocator's: plan9 75%"
# "largest vmap" is a policy on its own state; the what-if has its name.
holds "$TMPD/out" "what-if   on this state, each allocator could place: plan9 4092K, span 16M, span-fixed 16M, reclaim 4092K" \
    "... what each allocator could place on plan9's state: the what-if"
"$V" replay -p plan9 --format yaml traces/devtest.yaml >"$TMPD/out"
holds "$TMPD/out" "  largest-vmap: 12582912" "YAML: largest-vmap is the policy's own, a number"
holds "$TMPD/out" "  on-this-state-could-place: {plan9: 12582912, span: 234881024, span-fixed: 234881024, reclaim: 12582912}" \
    "YAML: the what-if under its own name"

# replay --summary explains only the firsts (the rest are not read):
# they are what the whole replay says, for every trace and policy.
bad=0
said=0
"$V" gen churn --events 20000 --seed 4 -o "$TMPD/c20k.yaml"
for t in traces/*.yaml "$TMPD/c20k.yaml"; do
	for p in $POLICIES; do
		"$V" replay -p $p "$t" 2>/dev/null | grep '^first ' >"$TMPD/f1"
		"$V" replay --summary -p $p "$t" 2>/dev/null | grep '^first ' \
		    >"$TMPD/f2"
		cmp -s "$TMPD/f1" "$TMPD/f2" || bad=$((bad + 1))
		[ -s "$TMPD/f1" ] && said=$((said + 1))
	done
done
[ "$bad" -eq 0 ] && [ "$said" -ge 10 ]
ok $? "replay --summary: its first failure, panic and failed expectation as the whole replay's ($said replays with a first, $bad differ)"

# Answers a script can act on: compare exits as diff and cmp do, and
# replay --fail-on exits 1 when a result it names occurs.
"$V" compare --summary traces/boot.yaml >/dev/null
same "$?" 0 "compare: the policies agree on boot: exit 0"
"$V" compare --summary traces/devtest.yaml >/dev/null
same "$?" 1 "compare: the policies part on devtest: exit 1"
"$V" compare --summary --format yaml traces/devtest.yaml >/dev/null
same "$?" 1 "... in YAML too"
printf 'vmap 0x2000 2147483647 -> nil\n' | "$V" import --no-expect - \
    2>/dev/null >"$TMPD/noexp.yaml"
"$V" replay "$TMPD/noexp.yaml" >/dev/null
same "$?" 0 "a --no-expect import whose vmap fails: as expected, exit 0"
"$V" replay --fail-on fail,panic,refused "$TMPD/noexp.yaml" >/dev/null
same "$?" 1 "... --fail-on fail,panic,refused: exit 1"
"$V" replay --summary --fail-on refused "$TMPD/noexp.yaml" >/dev/null
same "$?" 0 "... --fail-on refused alone: exit 0 (it failed, was not refused)"
"$V" replay --fail-on panic traces/span-bug.yaml -p span >/dev/null
same "$?" 1 "--fail-on panic: span's panic on span-bug, exit 1"
"$V" replay --fail-on fail,oops traces/devtest.yaml >/dev/null 2>"$TMPD/err"
same "$?" 2 "--fail-on with a word that is no result: exit 2"
grep -q "'oops' is not fail, refused, skipped, panic, crash or hang" "$TMPD/err"
ok $? "... and it says which word"

# Sizes as people type them: K, M, G in either case on a command line.
"$V" probe --at 19 traces/devtest.yaml 32m >"$TMPD/out"
same "$?" 0 "probe ... 32m: exit 0"
grep -q '^vmap(0x00001000, 32M):$' "$TMPD/out"
ok $? "... a size of 32M"
"$V" probe --at 19 traces/devtest.yaml 2g >/dev/null 2>"$TMPD/err"
same "$?" 2 "probe ... 2g: past an int, exit 2"
grep -q "is not a number from 1 to 2147483647" "$TMPD/err"
ok $? "... and the range it takes, said"

# probe streams up to --at as dump does: its memory follows the live
# mappings, not the trace (the whole of this one would hold some 50 MB,
# eight times what replay --summary holds): held to replay --summary's
# peak on the same trace, which a sanitizer build inflates alike.  One
# policy: probe reads the trace once a policy, and a sanitizer keeps
# what one reading freed from the next.
"$V" gen churn --events 200000 --seed 2 -o "$TMPD/c200k.yaml"
peak "$V" replay --summary -p plan9 "$TMPD/c200k.yaml"
rkb=$peak_kb
peak "$V" probe -p plan9 --at 150000 "$TMPD/c200k.yaml" 32M
same "$peak_st" 0 "probe --at 150000 of 200,000 events: exit 0"
[ "$peak_kb" -le $((rkb * 3 / 2 + 4096)) ]
ok $? "... in $peak_kb KiB, as replay --summary ($rkb KiB): the trace not held"
"$V" probe --at 150000 "$TMPD/c200k.yaml" 32M >"$TMPD/streamed"
grep -q '^trace churn after event 150000 of 200000, ' "$TMPD/streamed"
ok $? "... after event 150000 of the 200000"

# Every command that takes a trace says where a bare name was looked
# for, as vmapview NAME does.
for c in replay compare check dump "export -o /dev/null" "probe --sizes"; do
	# shellcheck disable=SC2086
	"$V" $c devtst >/dev/null 2>"$TMPD/err"
	st=$?
	grep -q "devtst: no such file, and no bundled trace of that name (looked for in .*VMAPVIEW_TRACES names another)" "$TMPD/err"
	ok $? "$c devtst: says where bundled traces were looked for (exit $st)"
done
# The table's size column as wide as its widest size: a long one keeps
# the columns in line.
cat >"$TMPD/long.yaml" <<'EOT'
vmaptrace: 1
events:
  - {op: vmap, pa: 0x1000, size: 2147481716, id: a}
  - {op: vmap, pa: 0x1000, size: 4096, id: b}
  - {op: vunmap, id: b}
EOT
for how in "" "--record-expect $TMPD/long2.yaml"; do
	# shellcheck disable=SC2086
	"$V" replay $how "$TMPD/long.yaml" >"$TMPD/out"
	awk '/^  seq  op/ { col = index($0, "result") }
	    /^    [123]  v/ { if (substr($0, col, 2) != "ok" &&
	    substr($0, col, 4) != "fail") bad = 1 }
	    END { exit bad || !col }' "$TMPD/out"
	ok $? "replay ${how:+(kept) }with a size of 2147481716: its results in their column"
done

# shrink with two policies keeps what tells them apart: the shrunk
# trace is one where they part, not one where both fail.
"$V" shrink -p plan9,span traces/devtest.yaml >"$TMPD/two.yaml" 2>/dev/null
same "$?" 0 "shrink -p plan9,span devtest: exit 0"
grep -q '^name: devtest-diverge-plan9-span$' "$TMPD/two.yaml"
ok $? "... shrinks to their divergence by default"
"$V" compare --summary -p plan9,span "$TMPD/two.yaml" >"$TMPD/out"
grep -q '^plan9 and span: 1 event differs' "$TMPD/out"
ok $? "... and they part in the shrunk trace"

# shrink: the eighth poke's failure comes down to a few events, which
# replay as they say; nothing to shrink is exit 1, saying what happens.
"$V" shrink traces/devtest.yaml >"$TMPD/shrunk.yaml"
same "$?" 0 "shrink devtest: exit 0"
"$V" check "$TMPD/shrunk.yaml" >/dev/null
ok $? "... a valid trace"
"$V" replay "$TMPD/shrunk.yaml" >"$TMPD/out"
same "$?:$(grep -c '^ *[0-9]*  v' "$TMPD/out")" "0:3" \
    "... three events that run, every expectation held"
tail -n 1 "$TMPD/shrunk.yaml" | grep -q 'op: vmap, .*expect: {plan9: fail}'
ok $? "... the last a vmap that fails under plan9"
holds "$TMPD/out" "fail     -           needs 8 blank PDEs in a row" \
    "... for the reason the eighth poke failed"
grep -q 'its events .* 20\.  There, at event 20, under plan9: fail' \
    "$TMPD/shrunk.yaml"
ok $? "... and its description names the events it kept"
"$V" shrink traces/devtest.yaml | cmp -s - "$TMPD/shrunk.yaml"
ok $? "shrink twice: the same bytes"
"$V" shrink traces/boot.yaml >"$TMPD/out" 2>"$TMPD/err"
same "$?:$(wc -c <"$TMPD/out")" "1:0" "shrink boot: nothing goes wrong, exit 1"
grep -q 'under plan9, nothing goes wrong in 15 events: 15 ok' "$TMPD/err"
ok $? "... and says what does happen"
"$V" shrink --until diverge traces/devtest.yaml 2>/dev/null
same "$?" 2 "shrink --until diverge with one policy: exit 2"
"$V" shrink --until nothing traces/devtest.yaml 2>/dev/null
same "$?" 2 "shrink --until nothing: exit 2"
# stopped early (as by Ctrl-C or --budget): the best so far, and says so
"$V" shrink --stop-after 2 -p span traces/span-bug.yaml \
    >"$TMPD/early.yaml" 2>"$TMPD/err"
same "$?" 0 "shrink stopped early: exit 0"
"$V" check "$TMPD/early.yaml" >/dev/null
ok $? "... the best trace so far, valid"
grep -q 'stopped before the end, so not minimal' "$TMPD/early.yaml"
ok $? "... which says it is not minimal"
grep -q 'is written; it is not minimal' "$TMPD/err"
ok $? "... and so does standard error"
"$V" replay -p span "$TMPD/early.yaml" | grep -q '^status    as expected'
ok $? "... and replays as it says"
# Event numbers of six digits and more: the table's columns stay put
"$V" gen churn --events 120000 --seed 4 -o "$TMPD/c120k.yaml"
"$V" replay "$TMPD/c120k.yaml" >"$TMPD/c120k.out"
hdr=$(grep -m 1 '^ *seq  op ' "$TMPD/c120k.out" | awk '{ print index($0, "  op ") }')
r5=$(grep -m 1 '^ *99999  ' "$TMPD/c120k.out" | awk '{ print index($0, "  v") }')
r6=$(grep -m 1 '^120000  ' "$TMPD/c120k.out" | awk '{ print index($0, "  v") }')
same "$hdr:$r5:$r6" "7:7:7" "replay of 120000 events: seq six wide, op in one column"
# compare: its numbers and its columns as wide as they need
"$V" compare "$TMPD/c120k.yaml" >"$TMPD/c120k.cmp"
hdr=$(grep -m 1 '^ *seq  op ' "$TMPD/c120k.cmp" | awk '{ print index($0, "  op ") }')
row=$(grep -m 1 '^100001  ' "$TMPD/c120k.cmp" | awk '{ print index($0, "  v") }')
same "$hdr:$row" "7:7" "compare of 120000 events: seq six wide"
# every summary cell ends before the next column starts
awk '/^summary / { for (k = 2; k <= 4; k++) { split($0, a, " "); at[k] = index($0, "  " a[k + 1]) } on = 1; next }
on && NF == 0 { on = 0 }
on { for (k = 2; k <= 4; k++) if (substr($0, at[k], 2) != "  ") bad++ }
END { exit bad > 0 }' "$TMPD/c120k.cmp"
ok $? "compare's summary: no cell runs into the next column"
# the first failed expectation says what was expected, by its name too
printf 'vmaptrace: 1\nevents:\n- {op: vmap, pa: 0x1000, size: 8K, id: a, expect: fail}\n- {op: vmap, pa: 0x1000, size: 8K, id: b, expect: panic}\n' >"$TMPD/xfail.yaml"
"$V" replay "$TMPD/xfail.yaml" >"$TMPD/xfail.out"
same "$(sed -n 's/^first *//p' "$TMPD/xfail.out")" \
    "failed expectation at event 1 (a): expected fail, got 0xe0000000 (a new table in blank PDE 896)" \
    "a failed expectation of fail: 'expected fail' in the summary"
# A pa past 4G (64 bits): 9front's vmap refuses it, Bell Labs' cannot take it
printf 'vmaptrace: 1\nmachine: {kernel: 9front}\nevents:\n- {op: vmap, pa: 0x4000000000, size: 8K, id: virtio}\n- {op: vmap, pa: 0xfee00000, size: 4K, id: apic}\n' >"$TMPD/wide.yaml"
"$V" replay --format yaml "$TMPD/wide.yaml" >"$TMPD/wide.out"
holds "$TMPD/wide.out" "result: refused, reason: {code: pa-past-4g, text: '9front refuses a range that reaches 2^32 (pa 0x4000000000 + 8192)" \
    "9front: a pa past 4G refused by its own check"
holds "$TMPD/wide.out" "pa-high: 64, pa: 0, size: 8192}" "... its numbers, the pa in two halves"
"$V" replay --kernel labs "$TMPD/wide.yaml" >"$TMPD/wide.labs"
holds "$TMPD/wide.labs" "refused  -           Bell Labs' vmap takes its pa as a 32-bit ulong: 0x4000000000 cannot be passed to it" \
    "Bell Labs: the call cannot be made, refused, and why"
"$V" replay --record-expect "$TMPD/wide2.yaml" "$TMPD/wide.yaml" >/dev/null
holds "$TMPD/wide2.yaml" "pa: 0x4000000000" "a pa past 4G written back whole"
"$V" dump --at 1 "$TMPD/wide.yaml" >"$TMPD/wide.dump"
holds "$TMPD/wide.dump" "event 1, vmap virtio of 8K at pa 0x4000000000: refused" "dump: the pa whole"
# A row's remarks are cut short where its line's buffer ends (2 KiB),
# as printf would cut them: a note of 3000 bytes after the reason.
L=$(head -c 3000 /dev/zero | tr '\0' n)
sed "s/note: \"1026 pages\"/note: \"$L\"/" traces/span-bug.yaml \
    >"$TMPD/longnote.yaml"
"$V" replay -p plan9 "$TMPD/longnote.yaml" | grep '^    6  vmap' >"$TMPD/row"
grep -q "; the longest run is 0; 1 PDE holds an empty table; # nnnnn*\$" \
    "$TMPD/row" && [ "$(wc -c <"$TMPD/row")" -gt 2000 ] &&
    [ "$(wc -c <"$TMPD/row")" -lt 2100 ]
ok $? "a long note: the row cut short at its end, $(wc -c <"$TMPD/row") bytes"

done_testing
