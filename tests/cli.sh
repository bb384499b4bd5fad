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
"$V" frobnicate 2>"$TMPD/err"
same "$?" 2 "unknown command: exit 2"
grep -q "unknown command 'frobnicate'" "$TMPD/err"
ok $? "unknown command: named"
"$V" replay -p plan10 traces/devtest.yaml 2>"$TMPD/err" >"$TMPD/out"
same "$?:$(wc -c <"$TMPD/out")" "2:0" "unknown policy: exit 2, no output"
grep -q "no policy 'plan10'" "$TMPD/err"
ok $? "unknown policy: named"
"$V" replay --kernel plan9 traces/devtest.yaml 2>/dev/null
same "$?" 2 "bad --kernel: exit 2"
"$V" replay --pse maybe traces/devtest.yaml 2>/dev/null
same "$?" 2 "bad --pse: exit 2"
"$V" replay --format json traces/devtest.yaml 2>/dev/null
same "$?" 2 "bad --format: exit 2"
"$V" replay --bogus traces/devtest.yaml 2>/dev/null
same "$?" 2 "unknown option: exit 2"
"$V" replay traces/devtest.yaml traces/boot.yaml 2>/dev/null
same "$?" 2 "two traces to replay: exit 2"
"$V" replay 2>/dev/null
same "$?" 2 "no trace: exit 2"
"$V" check --at 3 traces/devtest.yaml 2>"$TMPD/err"
same "$?" 2 "an option a command does not take: exit 2"
grep -q "check takes no --at" "$TMPD/err"
ok $? "... and says so"
"$V" dump --at 28 traces/devtest.yaml 2>"$TMPD/err"
same "$?" 2 "--at past the end: exit 2"
"$V" dump --at x traces/devtest.yaml 2>/dev/null
same "$?" 2 "--at not a number: exit 2"
"$V" dump --at 0 traces/devtest.yaml | grep -c ' blank$' >"$TMPD/n"
same "$(cat "$TMPD/n")" 62 "--at 0: every PDE blank"

same "$("$V" policies | cut -d' ' -f1 | tr '\n' ' ')" \
    "plan9 span span-fixed reclaim " "policies lists the four"
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
done_testing
