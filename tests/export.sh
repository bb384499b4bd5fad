#!/bin/sh
# vmapview export: well-formed SVG (xmllint), the cells and outlines it
# should have, the pictures in doc/ current, and in a headless browser
# the cells drawn in their colours.  The browser part is skipped
# without chromium or python3.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
V=$VMAPVIEW

"$V" export --at 19 traces/devtest.yaml >"$TMPD/m19.svg"
same "$?" 0 "export: exit 0"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$TMPD/m19.svg"
	ok $? "the map is well-formed XML"
fi
same "$(grep -c 'class="pde stale"' "$TMPD/m19.svg")" 56 \
    "after poke 7: 56 stale cells"
same "$(grep -c 'class="pde big"' "$TMPD/m19.svg")" 2 "two 4M pages"
same "$(grep -c 'class="pde blank"' "$TMPD/m19.svg")" 3 "three blank"
"$V" export --at 6 traces/devtest.yaml >"$TMPD/m6.svg"
same "$(grep -c 'class="span"' "$TMPD/m6.svg")" 2 \
    "poke 1 spans page tables: outlined on both its rows"
grep -q 'class="event"' "$TMPD/m6.svg"
ok $? "the current event is outlined"
grep -q 'event 6: vmap poke1 of 32M at pa 0x00002000: 0xe0c00000' "$TMPD/m6.svg"
ok $? "the caption names the event and its result"

"$V" export --plot traces/devtest.yaml >"$TMPD/plot.svg"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$TMPD/plot.svg"
	ok $? "the plot is well-formed XML"
fi
for p in plan9 span span-fixed reclaim; do
	grep -q "class=\"largest $p\"" "$TMPD/plot.svg"
	ok $? "the plot has $p's largest vmap"
done
same "$(grep -o '<g class="marks plan9"[^>]*>.*</g>' "$TMPD/plot.svg" |
    grep -o 'class="fail"' | wc -l)" 4 "four failures marked for plan9"
"$V" export --plot -p span traces/span-bug.yaml | grep -c 'class="panic"' \
    >"$TMPD/n"
same "$(cat "$TMPD/n")" 1 "span-bug: one panic marked"

# The pictures the README shows are what export makes now.
for f in "poke8-plan9:--at 20 -p plan9" "poke8-span:--at 20 -p span" \
    "plot:--plot"; do
	# shellcheck disable=SC2086
	"$V" export ${f#*:} traces/devtest.yaml >"$TMPD/doc.svg"
	cmp -s "$TMPD/doc.svg" "doc/devtest-${f%%:*}.svg"
	ok $? "doc/devtest-${f%%:*}.svg is current"
done

mkdir -p "$TMPD/d.svg/x"
"$V" export traces/devtest.yaml -o "$TMPD/d.svg" 2>/dev/null
same "$?:$(ls -A "$TMPD" | grep -c tmp)" "2:0" \
    "export onto a directory: exit 2, no temporary file left"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$browser" ] && command -v python3 >/dev/null 2>&1; then
	"$V" export --at 20 traces/devtest.yaml >"$TMPD/m20.svg"
	timeout 60 "$browser" --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$TMPD/chromium" --window-size=600,420 \
	    --screenshot="$TMPD/m20.png" "file://$TMPD/m20.svg" \
	    >/dev/null 2>&1
	[ -s "$TMPD/m20.png" ]
	ok $? "a headless browser renders the map"
	set -- $(python3 tests/pngcolours.py "$TMPD/m20.png" e15759 4e79a7 \
	    f2f2f2)
	[ "${1:-0}" -gt 20000 ] && [ "${2:-0}" -gt 2000 ] && [ "${3:-0}" -gt 2000 ]
	ok $? "the screenshot shows stale (red), 4M (blue) and blank cells"
	[ $? -eq 0 ] || echo "# red ${1:-?} blue ${2:-?} grey ${3:-?}"
else
	echo "# no chromium or python3: the screenshot is not checked"
fi
done_testing
