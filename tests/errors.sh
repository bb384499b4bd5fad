#!/bin/sh
# Every bad trace under tests/bad is refused by 'vmapview check' with
# exit status 2, nothing on standard output and exactly the one line of
# its .err file on standard error (FILE:LINE:COLUMN: message).
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
for f in tests/bad/*.yaml; do
	name=$(basename "$f" .yaml)
	"$VMAPVIEW" check "$f" >"$TMPD/out" 2>"$TMPD/err"
	st=$?
	same "$st" 2 "$name: exit status 2"
	[ ! -s "$TMPD/out" ]
	ok $? "$name: nothing on stdout"
	same "$(cat "$TMPD/err")" "$(cat "tests/bad/$name.err")" "$name: message"
done

# Files that cannot be read at all.
"$VMAPVIEW" check tests/bad/no-such-file.yaml >"$TMPD/out" 2>"$TMPD/err"
same "$?:$(cat "$TMPD/err")" \
    "2:tests/bad/no-such-file.yaml: No such file or directory" \
    "a missing file"
"$VMAPVIEW" check tests/bad >"$TMPD/out" 2>"$TMPD/err"
same "$?" 2 "a directory: exit 2"
grep -q '^tests/bad: ' "$TMPD/err"
ok $? "a directory: message names it"
"$VMAPVIEW" check - <traces/devtest.yaml >"$TMPD/out" 2>"$TMPD/err"
same "$?:$(cat "$TMPD/out")" "0:<stdin>: ok, 27 events" "- reads stdin"
"$VMAPVIEW" check - <tests/bad/dup-key.yaml >"$TMPD/out" 2>"$TMPD/err"
same "$?:$(cut -d: -f1 "$TMPD/err")" "2:<stdin>" "stdin errors name <stdin>"

# A replay of a bad trace replays nothing.
"$VMAPVIEW" replay tests/bad/live-id.yaml >"$TMPD/out" 2>"$TMPD/err"
same "$?:$(wc -c <"$TMPD/out")" "2:0" "replay of a bad trace: exit 2, no output"
done_testing
