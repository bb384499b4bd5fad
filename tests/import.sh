#!/bin/sh
# vmapview import: a console log into a trace that replays as the kernel
# ran; lines that are not ours skipped and counted; errors name the line.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
V=$VMAPVIEW

"$V" import tests/logs/plan9.console >"$TMPD/t.yaml" 2>"$TMPD/err"
same "$?" 0 "import: exit 0"
same "$(cat "$TMPD/err")" \
    "plan9.console: 16 lines, 10 events, 6 skipped (1 vunmaps of unknown addresses without a size)" \
    "import: the lines counted"
cmp -s "$TMPD/t.yaml" tests/logs/plan9.yaml
ok $? "import: the trace (tests/logs/plan9.yaml)"
[ $? -eq 0 ] || diff tests/logs/plan9.yaml "$TMPD/t.yaml" | sed 's/^/# /'
"$V" replay -p plan9 "$TMPD/t.yaml" >"$TMPD/out"
same "$?" 0 "the imported trace replays as the kernel ran"
grep -q '^expect    10 held, 0 failed' "$TMPD/out"
ok $? "every recorded result is an expectation that holds"
"$V" import --no-expect tests/logs/plan9.console 2>/dev/null | grep -c expect \
    >"$TMPD/n"
same "$(cat "$TMPD/n")" 0 "--no-expect: no expectations"
"$V" import -p span tests/logs/plan9.console 2>/dev/null | grep -c 'span: ' \
    >"$TMPD/n"
same "$(cat "$TMPD/n")" 10 "-p span: the expectations are span's"

# Lines that name vmap or vunmap but are no call: skipped, each with a
# warning that names FILE:LINE and quotes it; --strict makes them errors.
cp tests/logs/plan9.console "$TMPD/console.log"
printf '[    3.600000] devtest: vmap failed\n' >>"$TMPD/console.log"
"$V" import "$TMPD/console.log" >"$TMPD/t.yaml" 2>"$TMPD/err"
same "$?" 0 "a line that names vmap but is no call: exit 0"
same "$(sed "s|$TMPD/||" "$TMPD/err")" \
    'console.log:17: skipped, expected vmap PA SIZE -> VA: "[    3.600000] devtest: vmap failed"
console.log: 17 lines, 10 events, 7 skipped (1 vunmaps of unknown addresses without a size), 1 of them naming vmap or vunmap' \
    "... one warning quoting it, and the count"
same "$(grep -c 'op: v' "$TMPD/t.yaml")" 10 "... the calls around it imported"
"$V" import --strict "$TMPD/console.log" >"$TMPD/out" 2>"$TMPD/err"
same "$?:$(sed "s|$TMPD/||" "$TMPD/err"):$(wc -c <"$TMPD/out")" \
    '2:console.log:17: expected vmap PA SIZE -> VA: "[    3.600000] devtest: vmap failed":0' \
    "--strict: an error that names the line, nothing written"
printf 'boot\nvmap 0x1000 4096\n' >"$TMPD/bad1.log"
"$V" import --strict "$TMPD/bad1.log" >"$TMPD/out" 2>"$TMPD/err"
same "$?:$(sed "s|$TMPD/||" "$TMPD/err"):$(wc -c <"$TMPD/out")" \
    '2:bad1.log:2: expected vmap PA SIZE -> VA: "vmap 0x1000 4096":0' \
    "--strict: a short vmap line"
printf '[1.0] x: vmap 0x100000000 4096 -> 0xe0000000\n' >"$TMPD/bad2.log"
"$V" import --strict "$TMPD/bad2.log" 2>"$TMPD/err" >/dev/null
same "$?:$(sed "s|$TMPD/||" "$TMPD/err")" \
    '2:bad2.log:1: pa '"'"'0x100000000'"'"' is not an address below 2^32: "[1.0] x: vmap 0x100000000 4096 -> 0xe0000000"' \
    "--strict: a 64-bit address"
"$V" import "$TMPD/bad2.log" 2>"$TMPD/err" >/dev/null
same "$?:$(grep -c "bad2.log:1: skipped, pa '0x100000000'" "$TMPD/err")" "0:1" \
    "without --strict: the 64-bit address skipped with a warning"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	echo "[$i.0] drv: vunmap nowhere"
done >"$TMPD/many.log"
"$V" import "$TMPD/many.log" 2>"$TMPD/err" >/dev/null
same "$(grep -c 'skipped, va' "$TMPD/err"):$(sed -n 11p "$TMPD/err")" \
    "10:many.log: 2 more lines that name vmap or vunmap but are no call, skipped" \
    "at most 10 warnings, then a count"
printf 'x: \033[2J vmap gone\n' | "$V" import - 2>"$TMPD/err" >/dev/null
same "$(head -1 "$TMPD/err")" 'stdin:1: skipped, not a vmap or vunmap call: "x: ?[2J vmap gone"' \
    "a quoted line carries no terminal controls"
printf '[2.0] vmap 0x1000 4096 -> 0xe0000000\n[1.0] vunmap 0xe0000000\n' \
    >"$TMPD/bad3.log"
"$V" import "$TMPD/bad3.log" 2>"$TMPD/err" >/dev/null
same "$?:$(sed "s|$TMPD/||" "$TMPD/err")" \
    "2:bad3.log:2: [1.0]: the time goes back" "time going back"

# The machine and the name of the imported trace.
"$V" import --kernel 9front --pse off --vmap 0xc0000000 --vmapsize 512M \
    --name mybox tests/logs/plan9.console 2>/dev/null >"$TMPD/m.yaml"
same "$(sed -n '/^name:/p;/^  vmap:/p;/^  vmapsize:/p;/^  pse:/p;/^  kernel:/p' \
    "$TMPD/m.yaml" | tr '\n' ' ')" \
    "name: mybox   vmap: 0xc0000000   vmapsize: 512M   pse: false   kernel: 9front " \
    "--kernel, --pse, --vmap, --vmapsize and --name set the trace's machine and name"
"$V" import --vmap 0xc0001000 tests/logs/plan9.console 2>"$TMPD/err" >/dev/null
same "$?:$(head -1 "$TMPD/err")" \
    "2:vmapview: import: --vmap: 0xc0001000 is not 4M-aligned" "--vmap not 4M-aligned: exit 2"
"$V" import --vmap 0xf0000000 --vmapsize 512M tests/logs/plan9.console \
    2>"$TMPD/err" >/dev/null
same "$?" 2 "--vmap and --vmapsize past 2^32: exit 2"
"$V" import - <tests/logs/plan9.console 2>"$TMPD/err" | grep '^name:' \
    >"$TMPD/out"
same "$(cat "$TMPD/out"):$(cut -d: -f1 "$TMPD/err")" "name: stdin:stdin" \
    "a log from standard input is named stdin"
"$V" import "$TMPD/nope.log" 2>/dev/null
same "$?" 2 "a missing log: exit 2"
printf 'vmap 0xfee00000 1024 -> 0xe0000000\n' |
    "$V" import - 2>/dev/null | "$V" check - >/dev/null
ok $? "import - reads standard input, check - reads the result"
done_testing
