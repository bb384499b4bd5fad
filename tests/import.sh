#!/bin/sh
# vmapview import: a console log into a trace that replays as the kernel
# ran; lines that are not ours skipped and counted; errors name the line.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
V=$VMAPVIEW

"$V" import tests/import/plan9.console >"$TMPD/t.yaml" 2>"$TMPD/err"
same "$?" 0 "import: exit 0"
same "$(cat "$TMPD/err")" \
    "plan9.console: 16 lines, 10 events, 6 skipped (1 vunmaps of unknown addresses without a size)" \
    "import: the lines counted"
cmp -s "$TMPD/t.yaml" tests/import/plan9.yaml
ok $? "import: the trace (tests/import/plan9.yaml)"
[ $? -eq 0 ] || diff tests/import/plan9.yaml "$TMPD/t.yaml" | sed 's/^/# /'
"$V" replay -p plan9 "$TMPD/t.yaml" >"$TMPD/out"
same "$?" 0 "the imported trace replays as the kernel ran"
grep -q '^expect    10 held, 0 failed' "$TMPD/out"
ok $? "every recorded result is an expectation that holds"
"$V" import --no-expect tests/import/plan9.console 2>/dev/null | grep -c expect \
    >"$TMPD/n"
same "$(cat "$TMPD/n")" 0 "--no-expect: no expectations"
"$V" import -p span tests/import/plan9.console 2>/dev/null | grep -c 'span: ' \
    >"$TMPD/n"
same "$(cat "$TMPD/n")" 10 "-p span: the expectations are span's"

# Errors name the line.
printf 'boot\nvmap 0x1000 4096\n' >"$TMPD/bad1.log"
"$V" import "$TMPD/bad1.log" >"$TMPD/out" 2>"$TMPD/err"
same "$?:$(sed "s|$TMPD/||" "$TMPD/err"):$(wc -c <"$TMPD/out")" \
    "2:bad1.log:2: vmap: expected vmap PA SIZE -> VA:0" "a short vmap line"
printf '[1.0] x: vmap 0x100000000 4096 -> 0xe0000000\n' >"$TMPD/bad2.log"
"$V" import "$TMPD/bad2.log" 2>"$TMPD/err" >/dev/null
same "$?:$(sed "s|$TMPD/||" "$TMPD/err")" \
    "2:bad2.log:1: pa '0x100000000' is not an address below 2^32" \
    "a 64-bit address"
printf '[2.0] vmap 0x1000 4096 -> 0xe0000000\n[1.0] vunmap 0xe0000000\n' \
    >"$TMPD/bad3.log"
"$V" import "$TMPD/bad3.log" 2>"$TMPD/err" >/dev/null
same "$?:$(sed "s|$TMPD/||" "$TMPD/err")" \
    "2:bad3.log:2: [1.0]: the time goes back" "time going back"
"$V" import "$TMPD/nope.log" 2>/dev/null
same "$?" 2 "a missing log: exit 2"
printf 'vmap 0xfee00000 1024 -> 0xe0000000\n' |
    "$V" import - 2>/dev/null | "$V" check - >/dev/null
ok $? "import - reads standard input, check - reads the result"
done_testing
