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
grep -q '<rect class="event"' "$TMPD/m6.svg"
ok $? "the current event is outlined"
grep -q '>event 6: vmap poke1 of 32M at pa 0x00002000<' "$TMPD/m6.svg"
ok $? "the caption names the event"
grep -q '>plan9: ok at 0xe0c00000: 8 blank PDEs at PDE 899<' "$TMPD/m6.svg"
ok $? "... and its result with the reason"
grep -q 'class="description".*>The transcript that came with the' \
    "$TMPD/m6.svg"
ok $? "... and the trace's description"
same "$(grep -c '<rect class="named"' "$TMPD/m6.svg")" 2 \
    "the PDEs the reason names are outlined, on both their rows"

# Two policies side by side, each with its reason.
"$V" export --at 6 -p plan9,span traces/span-bug.yaml >"$TMPD/two.svg"
same "$?" 0 "export -p plan9,span: exit 0"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$TMPD/two.svg"
	ok $? "... well-formed XML"
fi
same "$(grep -c 'class="pde ' "$TMPD/two.svg")" 6 "... two maps of 3 PDEs"
grep -q '>plan9: fail: needs 2 blank PDEs in a row' "$TMPD/two.svg"
ok $? "... plan9's failure and why"
grep -q '>span: panic: vmap: va=0xe0800000' "$TMPD/two.svg"
ok $? "... span's panic and why"
grep -q ' vmapalloc<' "$TMPD/two.svg" &&
    grep -q '>returned 0xe0401000 for PDEs 897-898;' "$TMPD/two.svg"
ok $? "... with the address vmapalloc returned, wrapped between words"

# A picture per event, numbered, into a directory.
"$V" export --at 18..21 -p plan9,span traces/devtest.yaml -o "$TMPD/slides"
same "$?:$(ls "$TMPD/slides" | tr '\n' ' ')" \
    "0:0018.svg 0019.svg 0020.svg 0021.svg " "--at 18..21 -o DIR: four pictures"
"$V" export --at 20 -p plan9,span traces/devtest.yaml >"$TMPD/m20two.svg"
# the same picture, but for the size, which is the series'
nosize() { grep -v '^<svg \|^<rect width=' "$1"; }
nosize "$TMPD/slides/0020.svg" >"$TMPD/a.svg"
nosize "$TMPD/m20two.svg" >"$TMPD/b.svg"
cmp -s "$TMPD/a.svg" "$TMPD/b.svg"
ok $? "... the one of event 20 as --at 20 draws it"
# a series for slides: every picture one size
"$V" export --at 1..27 -o "$TMPD/all" traces/devtest.yaml
same "$(grep -ho '^<svg [^>]*' "$TMPD"/all/*.svg | sort -u | wc -l)" 1 \
    "--at 1..27: 27 pictures, all one size"
"$V" export --at 18..21 traces/devtest.yaml 2>"$TMPD/err"
same "$?" 2 "--at A..B without -o DIR: exit 2"
"$V" export --at 21..18 -o "$TMPD/x" traces/devtest.yaml 2>"$TMPD/err"
same "$?" 2 "--at B..A: exit 2"
grep -q "'21..18' is a range the wrong way round" "$TMPD/err"
ok $? "... and it says the range is reversed"
"$V" export --at 20..99 -o "$TMPD/x" traces/devtest.yaml 2>/dev/null
same "$?" 2 "--at past the last event: exit 2"
"$V" export -p plan9,span,reclaim traces/devtest.yaml 2>/dev/null >/dev/null
same "$?" 2 "three policies: exit 2"

"$V" export --plot traces/devtest.yaml >"$TMPD/plot.svg"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$TMPD/plot.svg"
	ok $? "the plot is well-formed XML"
fi
for p in $POLICIES; do
	grep -q "class=\"largest $p\"" "$TMPD/plot.svg"
	ok $? "the plot has $p's largest vmap"
done
same "$(grep -o '<g class="marks plan9"[^>]*>.*</g>' "$TMPD/plot.svg" |
    grep -o 'class="fail"' | wc -l)" 4 "four failures marked for plan9"
# Thousands of failures: one tick per pixel column, not one per event.
"$V" gen churn --events 20000 --fill 0.9 --seed 2 | "$V" replay --summary - |
    sed -n 's/^events .* \([0-9]*\) fail,.*/\1/p' >"$TMPD/nfail"
"$V" gen churn --events 20000 --fill 0.9 --seed 2 -o "$TMPD/many.yaml"
"$V" export --plot "$TMPD/many.yaml" |
    grep -o '<g class="marks plan9"[^>]*>.*</g>' | grep -o 'class="fail"' |
    wc -l >"$TMPD/ticks"
[ "$(cat "$TMPD/nfail")" -gt 1000 ] && [ "$(cat "$TMPD/ticks")" -le 800 ] &&
    [ "$(cat "$TMPD/ticks")" -gt 0 ]
ok $? "$(cat "$TMPD/nfail") failures under plan9, $(cat "$TMPD/ticks") ticks: one a pixel column"
"$V" export --plot -p span traces/span-bug.yaml | grep -c 'class="panic"' \
    >"$TMPD/n"
same "$(cat "$TMPD/n")" 1 "span-bug: one panic marked"

# The plot: the counts (stale tables) in a box of their own below the
# sizes, so that no count lies on a size's line.
"$V" export --plot traces/devtest.yaml >"$TMPD/plot.svg"
# the y of every point of a polyline of class $1
ys() { grep -o "<polyline class=\"$1[^\"]*\"[^>]*" "$TMPD/plot.svg" |
    sed 's/.*points="//; s/".*//' | tr ' ' '\n' | cut -d, -f2 | grep -v '^$'; }
lo=$(ys stale | sort -n | head -1)
hi=$(ys largest | sort -n | tail -1)
[ -n "$lo" ] && [ -n "$hi" ] &&
    awk -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(lo > hi) }'
ok $? "--plot: the stale tables ($lo and down) below every size ($hi and up)"

# The pictures the README shows are what export makes now.
for f in "poke8-plan9:--at 20 -p plan9" "poke8-span:--at 20 -p span" \
    "poke8-both:--at 20 -p plan9,span" "plot:--plot"; do
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
	    --user-data-dir="$TMPD/chromium" --window-size=600,800 \
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
# Lines that lie on each other still show: a dash pattern and a marker
# each, in the key too; axes with ticks; a line ends at its panic
"$V" export --plot traces/devtest.yaml >"$TMPD/lines.svg"
n=$(grep -o 'class="largest [a-z0-9-]*" fill="none" [^>]*stroke-dasharray="[^"]*"' \
    "$TMPD/lines.svg" | sed 's/.*stroke-dasharray="\([^"]*\)"/\1/' | sort -u | wc -l)
same "$n" 4 "the four policies' lines: four dash patterns"
grep -q '<g fill="#[0-9a-f]*"><line x1="[0-9]*" y1="34"[^>]*stroke-dasharray' "$TMPD/lines.svg"
ok $? "the key shows each line's dash pattern"
[ "$(grep -c '<circle\|<rect x="[0-9.]*" y="[0-9.]*" width="7"' "$TMPD/lines.svg")" -gt 4 ]
ok $? "markers along the lines"
grep -q '>150M</text>' "$TMPD/lines.svg" && grep -q '>20</text>' "$TMPD/lines.svg"
ok $? "the axes have ticks with numbers between their ends"
"$V" export --plot traces/span-bug.yaml >"$TMPD/pan.svg"
grep -q 'class="panicend"' "$TMPD/pan.svg" && grep -q '>span panics</text>' "$TMPD/pan.svg"
ok $? "span's line ends at its panic, with a mark that says so"
# The map is as wide as its title: "after event 1000000 of 1000000"
"$V" gen churn --events 120000 --seed 4 -o "$TMPD/c120k.yaml"
"$V" export "$TMPD/c120k.yaml" >"$TMPD/wide.svg"
w=$(sed -n 's/^<svg [^>]* width="\([0-9]*\)".*/\1/p' "$TMPD/wide.svg")
t=$(sed -n 's/.*font-weight="bold">\([^<]*after event[^<]*\)<.*/\1/p' "$TMPD/wide.svg")
[ -n "$w" ] && [ -n "$t" ] && [ "$w" -ge $((24 + 9 * ${#t})) ]
ok $? "the map is as wide as its title ($w px for ${#t} characters)"
# SVG only: -o x.png is refused before anything is written
"$V" export traces/devtest.yaml -o "$TMPD/pic.png" 2>"$TMPD/err"
same "$?:$(ls "$TMPD" | grep -c 'pic\.png')" "2:0" "-o pic.png: exit 2, nothing written"
grep -q "export writes SVG; name the file .svg" "$TMPD/err"
ok $? "-o pic.png: says export writes SVG"
"$V" export --plot traces/devtest.yaml -o "$TMPD/plot.PDF" 2>/dev/null
same "$?" 2 "--plot -o plot.PDF: exit 2"
"$V" export traces/devtest.yaml -o "$TMPD/pic.svg"
same "$?:$(grep -c "<svg" "$TMPD/pic.svg")" "0:1" "-o pic.svg: written"
done_testing
