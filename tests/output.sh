#!/bin/sh
# Nothing lost: output errors are reported (status 2) except a reader
# that went away; files are written whole or not at all.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
V=$VMAPVIEW

"$V" gen churn --events 20000 --seed 3 >"$TMPD/big.yaml"
"$V" replay "$TMPD/big.yaml" 2>"$TMPD/err" | head -1 >/dev/null
same "$(cat "$TMPD/err")" "" "replay | head: nothing on stderr"
(trap '' PIPE; "$V" replay "$TMPD/big.yaml" 2>"$TMPD/err" | head -1 >/dev/null)
same "$(cat "$TMPD/err")" "" "replay | head with SIGPIPE ignored: quiet on EPIPE"

if [ -w /dev/full ]; then
	"$V" replay traces/devtest.yaml >/dev/full 2>"$TMPD/err"
	same "$?" 2 "a full disk: exit 2"
	grep -q 'No space left on device' "$TMPD/err"
	ok $? "a full disk: says so"
fi
"$V" replay traces/devtest.yaml >&- 2>"$TMPD/err"
same "$?" 2 "closed stdout: exit 2"
grep -q 'Bad file descriptor' "$TMPD/err"
ok $? "closed stdout: says so"

# A write that fails leaves the target as it was and no temporary file.
mkdir -p "$TMPD/dir/target.yaml/x"
"$V" gen devtest -o "$TMPD/dir/target.yaml" 2>"$TMPD/err"
same "$?" 2 "gen -o onto a directory: exit 2"
same "$(ls -A "$TMPD/dir")" "target.yaml" "... and no temporary file left"
[ -d "$TMPD/dir/target.yaml/x" ]
ok $? "... and the target untouched"
printf 'precious\n' >"$TMPD/keep.yaml"
"$V" replay --record-expect "$TMPD/keep.yaml" tests/bad/alias.yaml \
    >/dev/null 2>&1
same "$?:$(cat "$TMPD/keep.yaml")" "2:precious" \
    "record-expect of a bad trace: exit 2, the file as it was"
"$V" gen staircase -o "$TMPD/keep.yaml"
"$V" check "$TMPD/keep.yaml" >/dev/null
ok $? "gen -o replaces a file with a whole trace"
done_testing
