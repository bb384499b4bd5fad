#!/bin/sh
# Every bad trace under tests/bad is refused by 'vmapview check' with
# exit status 2, nothing on standard output and exactly the one line of
# its .err file on standard error (FILE:LINE:COLUMN: message).
# 'tests/errors.sh --update' (make golden) writes the .err files again.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
for f in tests/bad/*.yaml; do
	name=$(basename "$f" .yaml)
	"$VMAPVIEW" check "$f" >"$TMPD/out" 2>"$TMPD/err"
	st=$?
	same "$st" 2 "$name: exit status 2"
	[ ! -s "$TMPD/out" ]
	ok $? "$name: nothing on stdout"
	golden "$TMPD/err" "tests/bad/$name.err" "$name: message"
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

# Inputs too big to keep in the tree, made here.  Each is refused with
# one line that names where, and nothing on standard output.
# big NAME EXPECTED-LINE: check $TMPD/NAME.yaml.
big() {
	"$VMAPVIEW" check "$TMPD/$1.yaml" >"$TMPD/out" 2>"$TMPD/err"
	st=$?
	same "$st:$(wc -l <"$TMPD/err"):$(wc -c <"$TMPD/out")" "2:1:0" \
	    "$1: exit 2, one line, no output"
	same "$(sed "s|^$TMPD/||" "$TMPD/err")" "$2" "$1: message"
}
{
	printf 'vmaptrace: 1\nevents: '
	awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "["; print "" }'
} >"$TMPD/deep.yaml"
big deep "deep.yaml:2:10: an event is a mapping, not a sequence"
{
	printf 'vmaptrace: 1\nname: '
	head -c 100000000 /dev/zero | tr '\0' a
	printf '\nevents: []\n'
} >"$TMPD/huge.yaml"
big huge "huge.yaml:2:5: a value (or a comment) longer than 1081344 bytes follows: a value is at most 1048576"
awk 'BEGIN { print "vmaptrace: 1"; print "events:";
	for (i = 0; i < 1000000; i++)
		printf "  - {op: vmap, pa: 0x1000, size: 4K, id: d%d}\n", i }' \
    >"$TMPD/ids.yaml"
big ids "ids.yaml:63491:5: 63489 ids live at once: more than the 63488 pages of the vmap"
"$VMAPVIEW" check /proc/self/mem >"$TMPD/out" 2>"$TMPD/err"
same "$?:$(cat "$TMPD/err")" "2:/proc/self/mem: Input/output error" \
    "an unreadable file: exit 2, the system's reason"

# A replay of a bad trace replays nothing.
"$VMAPVIEW" replay tests/bad/live-id.yaml >"$TMPD/out" 2>"$TMPD/err"
same "$?:$(wc -c <"$TMPD/out")" "2:0" "replay of a bad trace: exit 2, no output"
done_testing
