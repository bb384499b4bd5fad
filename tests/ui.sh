#!/bin/sh
# Screen tests: the real program in a real terminal (tmux), driven by a
# --keys script whose end writes the screen as text (--save-screen), or
# by tmux itself for resizing and colours.  Skipped without tmux.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
. "$top_srcdir/tests/term.sh"
if ! term_start; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi
export LC_ALL=C.UTF-8

# The lesson: the eighth poke under plan9.
screen poke8 view --keys jjjjjjjjjjjjjjjjjjjj --save-screen "$TMPD/poke8.txt" \
    traces/devtest.yaml
same "$(cat "$TMPD/poke8.st")" 0 "view: exit 0 after the script"
holds "$TMPD/poke8.txt" "event 20/27" "status line: event 20 of 27"
holds "$TMPD/poke8.txt" "blank 3  big 2  table 1  stale 56" "56 stale tables at poke 8"
holds "$TMPD/poke8.txt" "largest vmap (plan9) 12M" "plan9 can place only 12M"
grep -q '^e2000000 904 ' "$TMPD/poke8.txt"
ok $? "a row of the map: its address and its first PDE's number"
grep -q '^   20  vmap    poke8 .*fail' "$TMPD/poke8.txt"
ok $? "the eighth poke fails"
grep -c '░░░' "$TMPD/poke8.txt" | grep -q '^8$'
ok $? "stale tables drawn in the map rows"
holds "$TMPD/poke8.txt" "STALE (empty, never freed)" "the legend names stale tables"

# Compare plan9 with span and jump to the first divergence.
screen cmp view -p plan9,span --keys d --save-screen "$TMPD/cmp.txt" \
    traces/devtest.yaml
holds "$TMPD/cmp.txt" "event 20/27" "d jumps to the first divergence, event 20"
grep -q '^   20  vmap    poke8 .*fail  *0xe0c00000  *≠' "$TMPD/cmp.txt"
ok $? "the divergence: plan9 fails, span maps at 0xe0c00000"
holds "$TMPD/cmp.txt" "> plan9  PDEs 896-957" "the focused pane is marked"
holds "$TMPD/cmp.txt" "span  PDEs 896-957" "span's pane"
screen cmp2 view --keys 'cdd' --save-screen "$TMPD/cmp2.txt" traces/devtest.yaml
holds "$TMPD/cmp2.txt" "event 21/27" "c opens compare; d d the second divergence"
screen cmp3 view --keys 'c<Tab>p' --save-screen "$TMPD/cmp3.txt" \
    traces/devtest.yaml
holds "$TMPD/cmp3.txt" "> span-fixed  PDEs" "Tab then p: the focused pane's policy changes"

# Moving through time.
screen nav view --keys 'G:19<Enter>' --save-screen "$TMPD/nav.txt" \
    traces/devtest.yaml
holds "$TMPD/nav.txt" "event 19/27" ": goes to an event"
screen back view --keys 'Gkkk' --save-screen "$TMPD/back.txt" \
    traces/devtest.yaml
holds "$TMPD/back.txt" "event 24/27" "G then k k k steps back"
holds "$TMPD/back.txt" "blank 3  big 2  table 1  stale 56" "stepping back: the state of event 24"
screen srch view --keys '/poke9<Enter>' --save-screen "$TMPD/srch.txt" \
    traces/devtest.yaml
holds "$TMPD/srch.txt" "event 22/27" "/ finds an id"
screen srch2 view --keys 'G/lapic<Enter>' --save-screen "$TMPD/srch2.txt" \
    traces/devtest.yaml
holds "$TMPD/srch2.txt" "event 2/27 | /lapic: on from the start (event 2)" \
    "/ at the end goes on from the start, and says so"
screen srch3 view --keys '/nosuch<Enter>' --save-screen "$TMPD/srch3.txt" \
    traces/devtest.yaml
holds "$TMPD/srch3.txt" "no id in the trace holds 'nosuch'" "/ of an id no event has says so"
# f in compare follows the focused pane, and says whose it is
screen_size=120x40 screen ffoc view -p plan9,span \
    --keys ':20<Enter><Tab>f' --save-screen "$TMPD/ffoc.txt" \
    traces/devtest.yaml
holds "$TMPD/ffoc.txt" "> span" "Tab: the focused pane is marked"
holds "$TMPD/ffoc.txt" "in span: no failure or panic after event 20 (plan9 fails at 22)" \
    "f in the focused pane: whose, and where the other's is"
# H and L move a row of the map as it is drawn: 16 PDEs at 120 columns
screen_size=120x40 screen row16 view --keys 'L' --save-screen \
    "$TMPD/row16.txt" traces/devtest.yaml
holds "$TMPD/row16.txt" "PDE 912 0xe4000000" "L at 120 columns: down a row of 16 PDEs"
screen row8 view --keys 'LLH' --save-screen "$TMPD/row8.txt" \
    traces/devtest.yaml
holds "$TMPD/row8.txt" "PDE 904 0xe2000000" "L L H at 100 columns: rows of 8 PDEs"
screen_size=200x60 screen row16c view -p plan9,span --keys 'L' \
    --save-screen "$TMPD/row16c.txt" traces/devtest.yaml
holds "$TMPD/row16c.txt" "PDE 912 0xe4000000" "L at 200 columns, two panes: rows of 16"
# A page that no live mapping owns: its own glyph, and its key
printf 'vmaptrace: 1\nevents:\n  - {op: vmap, pa: 0x1000, size: 8K, id: a}\n  - {op: vunmap, va: 0xe0000000, size: 4K}\n' >"$TMPD/orphan.yaml"
screen orph view --keys 'jj<Enter>' --save-screen "$TMPD/orph.txt" \
    "$TMPD/orphan.yaml"
holds "$TMPD/orph.txt" "; . free; ? no live mapping's" "zoom: ? said in the table's key"
grep -q '^e0000000 \.?\.\.\.' "$TMPD/orph.txt"
ok $? "zoom: the page no live mapping owns is a ?"
"$VMAPVIEW" gen churn --events 120000 --seed 4 -o "$TMPD/c120k.yaml"
screen wide view --keys ':100003<Enter>' --save-screen "$TMPD/wide.txt" \
    "$TMPD/c120k.yaml"
hdr=$(grep -m 1 ' seq  op ' "$TMPD/wide.txt" | awk '{ print index($0, "  op ") }')
row=$(grep -m 1 '^100003  ' "$TMPD/wide.txt" | awk '{ print index($0, "  v") }')
same "$hdr:$row" "7:7" "the view at event 100003: its numbers six wide, under seq"
a=$(grep -m 1 ' plan9 [0-9].* span ' "$TMPD/wide.txt" |
    awk '{ print index($0, " span ") - index($0, " plan9 ") }')
b=$(grep -m 1 ' span-fixed [0-9].* reclaim ' "$TMPD/wide.txt" |
    awk '{ print index($0, " reclaim ") - index($0, " span-fixed ") }')
same "$a" "$b" "largest vmap now: its second column in line, whatever the first holds"
screen unsz view --keys 'jjjjjj' --save-screen "$TMPD/unsz.txt" \
    traces/devtest.yaml
grep -q '^    7  vunmap  poke1  *-  *32M ' "$TMPD/unsz.txt"
ok $? "a vunmap by id shows the size it unmaps, as replay does"
screen fail view --keys 'ff' --save-screen "$TMPD/fail.txt" \
    traces/devtest.yaml
holds "$TMPD/fail.txt" "event 22/27" "f f: the second failure"

# A real machine's devices past 4G: the pa column as wide as its widest
screen kvm view --keys 'jjj' --save-screen "$TMPD/kvm.txt" traces/kvm-virtio.yaml
grep -q '^    3  vmap    vp_modern_ma  0x4000000000  4K      refused ' "$TMPD/kvm.txt"
ok $? "a pa past 4G whole, in its column, refused"
grep -q '^    2  vmap    acpi_os_map_  0x0009f000    8K      0xe0001000 ' "$TMPD/kvm.txt"
ok $? "... and the pas below 4G in the same column"
holds "$TMPD/kvm.txt" "0x4000000000 + 4096): a pa past 4G is no 386 device address" "why: 9front's check"

# The quiz mode, at 80x24: j asks before each vmap; the answer graded, the
# score kept
screen_size=80x24 screen quiz view --keys 'Qjj0xe0000000<Enter>' --save-screen "$TMPD/quiz.txt" \
    traces/devtest.yaml
holds "$TMPD/quiz.txt" "event 2/27 | quiz 1 of 1" "quiz: the step made, one right, the score beside the event"
holds "$TMPD/quiz.txt" "right" "... the grade"
holds "$TMPD/quiz.txt" "vmap lapic ok at 0xe0000000: a new table in blank PDE 896" \
    "... with the event's result and reason"
screen_size=80x24 screen quiz2 view --keys 'Qjj896<Enter>jfail<Enter>' --save-screen "$TMPD/quiz2.txt" \
    traces/devtest.yaml
holds "$TMPD/quiz2.txt" "quiz 0.5 of 2" "a right PDE is half, a wrong result nothing"
holds "$TMPD/quiz2.txt" "wrong: it was ok" "... and the wrong one says what it was"
screen_size=80x24 screen quiz3 view --keys 'Qjjbanana<Enter>' --save-screen "$TMPD/quiz3.txt" \
    traces/devtest.yaml
holds "$TMPD/quiz3.txt" "event 1/27 | quiz 0 of 0" "no answer: no step, nothing counted"
holds "$TMPD/quiz3.txt" "'banana' is not an address, a PDE, fail, panic" \
    "... and it says why"
screen_size=80x24 screen quiz4 view --keys 'Q:19<Enter>jfail<Enter>Q' --save-screen "$TMPD/quiz4.txt" \
    traces/devtest.yaml
holds "$TMPD/quiz4.txt" "quiz over: score 1 of 1" "Q ends the quiz with its score (the eighth poke fails)"

# The zoom: poke1's 1024 pages fill PDE 899's table.
screen zoom view --keys 'jjjjjjlll<Enter>' --save-screen "$TMPD/zoom.txt" \
    traces/devtest.yaml
holds "$TMPD/zoom.txt" "zoom: PDE 899, 0xe0c00000-0xe0ffffff" "Enter zooms into PDE 899"
holds "$TMPD/zoom.txt" "1024/1024 PTEs used" "the table is full"
holds "$TMPD/zoom.txt" "A poke1" "the mapping is lettered"
grep -q '^e0c00000 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA$' \
    "$TMPD/zoom.txt"
ok $? "its PTEs drawn as A"
screen unzoom view --keys 'jjjjjjlll<Enter><Esc>' --save-screen \
    "$TMPD/unzoom.txt" traces/devtest.yaml
holds "$TMPD/unzoom.txt" "PDE 899 0xe0c00000: table" "Esc goes back to the map"

# A panic, shown with its cause.
screen panic view -p span --keys G --save-screen "$TMPD/panic.txt" \
    traces/span-bug.yaml
holds "$TMPD/panic.txt" "the kernel panicked at event 6, panic: vmap: va=0xe0800000 pa=0x403ff000" \
    "the panic's message"
holds "$TMPD/panic.txt" "win2 (event 3), and the hole in that table starts at PTE 1" \
    "what in the state caused it"
screen xspan view --keys G --save-screen "$TMPD/xspan.txt" \
    tests/kernel/ptpages.yaml
holds "$TMPD/xspan.txt" "event 2, vmap big panic: xspanalloc: 4096 4096 0" \
    "page tables run out: xspanalloc's own words"
holds "$TMPD/xspan.txt" "no page-table page left for 0xe0400000" "... and why"

# Help, ASCII, too small.
screen help view --keys '?' --save-screen "$TMPD/help.txt" traces/devtest.yaml
holds "$TMPD/help.txt" "vmapview: keys" "? shows the help screen"
holds "$TMPD/help.txt" "q            quit" "the help lists q"
holds "$TMPD/help.txt" "Enter        zoom" "the help lists Enter"
# at 80x24 it scrolls, as less does, to its end and back
screen_size=80x24 screen helpG view --keys '?G' --save-screen \
    "$TMPD/helpG.txt" traces/devtest.yaml
holds "$TMPD/helpG.txt" "the current event did and why." "? G: the help's end, the legend's last line"
holds "$TMPD/helpG.txt" "q            quit" "? G: q is there too"
screen_size=80x24 screen helpg view --keys '?G g' --save-screen \
    "$TMPD/helpg.txt" traces/devtest.yaml
holds "$TMPD/helpg.txt" "j  Down      step forward one event" "? G space g: back at the top"
screen ascii view --ascii --keys jjjjjjjjjjjjjjjjjjj --save-screen \
    "$TMPD/ascii.txt" traces/devtest.yaml
holds "$TMPD/ascii.txt" "!!! !!! !!!" "--ascii: stale tables as !!!"
screen_locale=C screen cloc view --keys jjjjjjjjjjjjjjjjjjj --save-screen \
    "$TMPD/cloc.txt" traces/devtest.yaml
holds "$TMPD/cloc.txt" "!!! STALE (empty, never freed)" \
    "a non-UTF-8 locale falls back to ASCII"
screen_locale=

# Golden screens (tig's way): the main screens, whole, against
# tests/screens; 'make golden' writes them again after a deliberate
# change (read the diff).
# shot NAME SIZE KEYS ARGS...: the screen after KEYS is tests/screens/NAME.
shot() {
	name=$1
	screen_size=$2
	keys=$3
	shift 3
	screen "$name" view --keys "$keys" --save-screen "$TMPD/$name.txt" "$@"
	screen_size=
	golden "$TMPD/$name.txt" "tests/screens/$name" \
	    "screen $name as tests/screens/$name"
}
poke8=jjjjjjjjjjjjjjjjjjjj
shot poke8-80x24 80x24 $poke8 traces/devtest.yaml
shot poke8-100x30 100x30 $poke8 traces/devtest.yaml
shot poke8-200x60 200x60 $poke8 traces/devtest.yaml
shot compare-120x40 120x40 d -p plan9,span traces/devtest.yaml
shot compare-200x60 200x60 d -p plan9,span traces/devtest.yaml
shot zoom-100x30 100x30 'jjjjjjlll<Enter>' traces/devtest.yaml
shot help-100x40 100x40 '?' traces/devtest.yaml
shot panic-120x40 120x40 G -p span traces/span-bug.yaml
shot ascii-100x30 100x30 $poke8 --ascii traces/devtest.yaml
shot reasons-80x24 80x24 jjjjjj -p plan9,span traces/span-bug.yaml
shot probe-80x24 80x24 ':19<Enter>w32M<Enter>' -p plan9,span \
    traces/devtest.yaml
shot about-80x24 80x24 i traces/devtest.yaml

# Both panes' reasons at 80x24, whole: the panic's last words and the
# failure's are on the screen, and so is the event they explain.
holds "$TMPD/reasons-80x24.txt" "of its run starts" "80x24: span's panic, to its end"
holds "$TMPD/reasons-80x24.txt" "PDE holds an empty table" \
    "80x24: plan9's failure, to its end"
holds "$TMPD/reasons-80x24.txt" "    6  vmap    big" "80x24: ... and the event"
holds "$TMPD/probe-80x24.txt" "probe: vmap(0x00001000, 32M) fail:" \
    "w: the probe under plan9 fails"
holds "$TMPD/probe-80x24.txt" "probe: vmap(0x00001000, 32M) ok at" \
    "w: ... and maps under span"
holds "$TMPD/about-80x24.txt" "The transcript that came with the mmu.c-span-pdes patch." \
    "i: the trace's description"

# Sizes as people type them: units in either case; the range the prompt
# states is the one it takes.
screen wlow view --keys ':19<Enter>w32m<Enter>' --save-screen \
    "$TMPD/wlow.txt" traces/devtest.yaml
holds "$TMPD/wlow.txt" "probe: vmap(0x00001000, 32M) fail:" "w 32m: the probe of 32M"
screen w2g view --keys 'w2G<Enter>' --save-screen "$TMPD/w2g.txt" \
    traces/devtest.yaml
holds "$TMPD/w2g.txt" "w: a size from 1 to 2G-1" "w 2G: refused, by the range it states"
screen w2gm1 view --keys 'w2147483647<Enter>' --save-screen \
    "$TMPD/w2gm1.txt" traces/devtest.yaml
holds "$TMPD/w2gm1.txt" "probe: vmap(0x00001000, 2147483647) fail" "w 2G-1: taken"

# The view at its edges.  Without colour, a selected stale PDE is
# drawn unlike its stale neighbours (the cursor turns the cell over).
screen_env=NO_COLOR=1 screen_size=80x24 screen mono view \
    --keys 'jjjjjjjjjjjjjjjjjjjjlll' --save-screen "$TMPD/mono.txt" \
    traces/devtest.yaml
screen_env= screen_size=
# PDE 899: the fourth cell of the first row, at column 13 + 3 * 4
cell() { sed -n "${2}p" "$TMPD/$1.txt.attrs" | cut -c"$3"-"$(($3 + 2))"; }
same "$(cell mono 2 26):$(cell mono 2 30)" "bbb:RRR" \
    "NO_COLOR: the selected stale PDE (bold) unlike its neighbour (reversed)"
# Two panes at 80 columns draw the marks the legend promises.
screen_size=80x24 screen two80 view -p plan9,span --keys d \
    --save-screen "$TMPD/two80.txt" traces/devtest.yaml
screen_size=
sed -n 2p "$TMPD/two80.txt" | grep -q '^896 ▁  \]▓▓▓ '
ok $? "two panes at 80 columns: the ] beside the selected PDE"
sed -n 2p "$TMPD/two80.txt" | grep -q '███◂███◂'
ok $? "... and the ◂ of this event's PDEs"
# The zoom's heading keeps to its row.
screen_size=60x20 screen zoom60 view --keys 'jjjjjjlll<Enter>' \
    --save-screen "$TMPD/zoom60.txt" traces/devtest.yaml
screen_size=
sed -n 2p "$TMPD/zoom60.txt" | grep -q 'Esc back'
same "$?" 1 "zoom at 60 columns: its heading does not wrap onto the next row"
# One pane at 80x24: no history title without its line.
last=$(grep -n 'over time:' "$TMPD/poke8-80x24.txt" | tail -1 | cut -d: -f1)
sed -n "$((last + 1))p" "$TMPD/poke8-80x24.txt" | grep -q '[▁▂▃▄▅▆▇█]'
ok $? "80x24: the last history title has its line under it"
# Two panes at 200x60: the measures and histories fill the room.
grep -q 'stale tables over time:' "$TMPD/compare-200x60.txt"
ok $? "200x60, two panes: the histories under the maps"
# A map cut short says which rows it shows.
screen_size=80x20 screen cut view -p plan9,span --keys G \
    --save-screen "$TMPD/cut.txt" traces/devtest.yaml
screen_size=
head -1 "$TMPD/cut.txt" | grep -q 'rows 1-7 of 8 .*rows 1-7 of 8'
ok $? "a map cut short: rows 1-7 of 8, in each pane's heading"

# S shrinks what goes wrong from here and offers the file the prompt
# names; a file already there is kept unless the answer is y.
mkdir "$TMPD/shr"
screen_dir=$TMPD/shr screen shr1 view -p span --keys 'jjS<Enter>' \
    --save-screen "$TMPD/shr1.txt" "$top_srcdir/traces/span-bug.yaml"
"$VMAPVIEW" check "$TMPD/shr/span-bug-panic-span.yaml" >/dev/null 2>&1
ok $? "S, Enter: the shrunk trace written to the file the prompt names"
"$VMAPVIEW" replay -p span "$TMPD/shr/span-bug-panic-span.yaml" |
    tail -n 1 | grep -q 'as expected'
ok $? "... and it panics under span, as it says"
holds "$TMPD/shr1.txt" "S: written to span-bug-panic-span.yaml" "... and the view says so"
echo keep >"$TMPD/shr/mine.yaml"
# The question takes the key alone, as less's and htop's do.
screen_dir=$TMPD/shr screen shr2 view -p span \
    --keys 'jjSmine.yaml<Enter>n' --save-screen "$TMPD/shr2.txt" \
    "$top_srcdir/traces/span-bug.yaml"
same "$(cat "$TMPD/shr/mine.yaml")" keep "S onto a file there, n: kept"
holds "$TMPD/shr2.txt" "S: mine.yaml kept; nothing written" "... and the view says so"
screen_dir=$TMPD/shr screen shr3 view -p span \
    --keys 'jjSmine.yaml<Enter>y' --save-screen "$TMPD/shr3.txt" \
    "$top_srcdir/traces/span-bug.yaml"
"$VMAPVIEW" check "$TMPD/shr/mine.yaml" >/dev/null 2>&1
ok $? "S onto a file there, y alone: written over"
holds "$TMPD/shr3.txt" "S: written to mine.yaml" "... and the view says so"
screen_dir= 

# A kernel source file in the view, beside plan9: its name, its panic.
screen ksrc view -p "$top_srcdir/tests/kernel/panicky.c,plan9" \
    --keys jjjjjj --save-screen "$TMPD/ksrc.txt" "$top_srcdir/traces/devtest.yaml"
holds "$TMPD/ksrc.txt" "> panicky.c  PDEs 896-957" "a file's pane, named for it"
holds "$TMPD/ksrc.txt" "event 6, vmap poke1 panic: vmap: 33554432 bytes," \
    "... and its panic in its words"

# The terminal is left sane: on q, and on SIGTERM.
screen quit view --keys q traces/devtest.yaml
same "$(cat "$TMPD/quit.st")" 0 "q: exit 0"
grep -q ' icanon ' "$TMPD/quit.stty" && grep -q ' echo ' "$TMPD/quit.stty"
ok $? "q: the terminal is back in canonical mode with echo"
for sig in TERM:143 INT:130 HUP:129; do
	screen "sig${sig%:*}" view --keys "jj<${sig%:*}>" traces/devtest.yaml
	same "$(cat "$TMPD/sig${sig%:*}.st")" "${sig#*:}" \
	    "SIG${sig%:*}: exit 128 + the signal"
	grep -q ' icanon ' "$TMPD/sig${sig%:*}.stty" &&
	    grep -q ' echo ' "$TMPD/sig${sig%:*}.stty"
	ok $? "SIG${sig%:*}: the terminal restored"
done

# Not a terminal.
"$VMAPVIEW" view traces/devtest.yaml >"$TMPD/out" 2>"$TMPD/err" </dev/null
same "$?" 2 "not a terminal: exit 2"
grep -q "use 'vmapview replay' or 'vmapview dump'" "$TMPD/err"
ok $? "not a terminal: says what to use"
"$VMAPVIEW" traces/devtest.yaml >"$TMPD/out" 2>&1 </dev/null
same "$?" 2 "vmapview TRACE is the view"

# Resizing and colour, with tmux's own terminal: wait for the screen.
# waitfor SESSION TEXT: poll the pane (bounded) until it shows TEXT.
waitfor() {
	i=0
	while [ $i -lt 100 ]; do
		$T capture-pane -p -t "$1" 2>/dev/null | grep -qF -- "$2" &&
		    return 0
		i=$((i + 1))
		sleep 0.05
	done
	$T capture-pane -p -t "$1" | sed 's/^/# /'
	return 1
}
# waitexit NAME TICKS: wait at most TICKS twentieths of a second for the
# session to leave its exit status in $TMPD/NAME.exit.
waitexit() {
	i=0
	while [ ! -s "$TMPD/$1.exit" ] && [ $i -lt "$2" ]; do
		sleep 0.05
		i=$((i + 1))
	done
}
# quit NAME TICKS WHAT: q in session NAME; it must leave with status 0
# within TICKS twentieths of a second.  The session is gone after.
quit() {
	$T send-keys -t "$1" q
	waitexit "$1" "$2"
	same "$(cat "$TMPD/$1.exit" 2>/dev/null)" "exit 0" "$3"
	$T kill-session -t "$1" 2>/dev/null
}
# (each view left by q and waited for, not killed while it ends)
$T new-session -d -s live -x 100 -y 30 \
    "$VMAPVIEW view traces/devtest.yaml; echo exit \$? >$TMPD/live.exit; sleep 60"
waitfor live "event 0/27"
ok $? "live: the view starts"
$T resize-window -t live -x 50 -y 12
waitfor live "The terminal is too small: 50x12."
ok $? "resize: too small says so"
$T resize-window -t live -x 120 -y 40
waitfor live "event 0/27"
ok $? "resize: back to the view"
$T capture-pane -e -p -t live | grep -q "$(printf '\033')\[3[0-7]m\|$(printf '\033')\[4[0-7]m"
ok $? "colours are used"
quit live 40 "live: q, status 0"
$T new-session -d -s mono -x 100 -y 30 \
    "NO_COLOR=1 $VMAPVIEW view traces/devtest.yaml; echo exit \$? >$TMPD/mono.exit; sleep 60"
waitfor mono "event 0/27"
ok $? "NO_COLOR: the view starts"
$T capture-pane -e -p -t mono | grep -q "$(printf '\033')\[3[0-7]m\|$(printf '\033')\[4[0-7]m"
same "$?" 1 "NO_COLOR: no colour"
quit mono 40 "NO_COLOR: q, status 0"

# The trace on standard input, the keys from the terminal, as less does
$T new-session -d -s pipe -x 100 -y 30 \
    "cat traces/devtest.yaml | $VMAPVIEW view -; echo exit \$? >$TMPD/pipe.exit; sleep 60"
waitfor pipe "event 0/27"
ok $? "view -: the trace from a pipe"
$T send-keys -t pipe G
waitfor pipe "event 27/27"
ok $? "view -: keys from the terminal"
quit pipe 40 "view -: q, status 0"
# waitstatus SESSION RE: wait (at most 30 s) for the status line to match
waitstatus() {
	i=0
	while [ $i -lt 600 ] && ! $T capture-pane -p -t "$1" | tail -n 1 |
	    grep -q "$2"; do
		sleep 0.05
		i=$((i + 1))
	done
	$T capture-pane -p -t "$1" | tail -n 1 | grep -q "$2"
}
# A long trace: the view at once, the keys working on what has been
# read while the rest is read, and q leaving from it.
"$VMAPVIEW" gen churn --events 2000000 --seed 3 -o "$TMPD/long.yaml"
$T new-session -d -s long -x 100 -y 30 \
    "$VMAPVIEW view $TMPD/long.yaml; echo exit \$? >$TMPD/long.exit; sleep 60"
waitfor long "| reading "
ok $? "a long trace: the view at once, saying how much is read"
$T send-keys -t long G
waitstatus long 'event [1-9][0-9]*/[0-9]* | reading '
ok $? "a long trace: G goes to the last event read, while it reads on"
$T capture-pane -p -t long | tail -n 1 | sed 's/^/# /'
$T send-keys -t long c
waitstatus long "c: after the trace is read"
ok $? "a long trace: c waits for the whole trace, and says so"
quit long 10 "a long trace: q leaves within 0.5 s, status 0"
# Another policy on a long trace: the whole trace replayed, with a line
# that says how far, and q or Esc, typed ahead here, stops it and leaves
# the pane as it was.  500000 one-page maps in a 4088M vmap, then their
# unmaps: a replay long enough to be stopped.
awk 'BEGIN {
	print "vmaptrace: 1\nname: many\nmachine: {vmap: 0x00400000, vmapsize: 4088M}"
	print "events:"
	for (i = 0; i < 500000; i++)
		printf "- {op: vmap, pa: 0x%x, size: 4K, id: p%d}\n",
		    0x10000000 + (i % 65536) * 4096, i
	for (i = 0; i < 500000; i++)
		printf "- {op: vunmap, id: p%d}\n", i
}' >"$TMPD/many.yaml"
$T new-session -d -s pol -x 100 -y 30 \
    "$VMAPVIEW view $TMPD/many.yaml; echo exit \$? >$TMPD/pol.exit; sleep 60"
waitstatus pol "event 0/1000000 | paused"
ok $? "a trace of 1000000 events, read"
$T send-keys -t pol p q
waitstatus pol "stopped: span not replayed; the pane is as it was"
ok $? "p on a long trace: q stops the replay, and says so"
$T send-keys -t pol g
waitstatus pol "^ many | plan9 |"
ok $? "... and the pane is plan9's still"
$T send-keys -t pol c Escape
waitstatus pol "stopped: span not replayed; the pane is as it was"
ok $? "c on a long trace: Esc stops it too"
$T send-keys -t pol g
waitstatus pol "^ many | plan9 |"
ok $? "... and there is one pane still"
$T send-keys -t pol p
waitstatus pol "^ many | span |"
ok $? "p, left to run: the pane is span's"
quit pol 40 "... and q leaves"
printf 'vmaptrace: 1\nevents:\n  - {op: bogus}\n' >"$TMPD/bad.yaml"
$T new-session -d -s bad -x 100 -y 30 \
    "$VMAPVIEW view $TMPD/bad.yaml 2>$TMPD/bad.err; echo exit \$? >$TMPD/bad.exit; sleep 60"
waitexit bad 100
same "$(cat "$TMPD/bad.exit"):$(cat "$TMPD/bad.err")" \
    "exit 2:$TMPD/bad.yaml:3:10: op: 'bogus' is not vmap, vunmap or note" \
    "at a terminal, a bad trace: the terminal back, then FILE:LINE:COLUMN, status 2"
$T kill-session -t bad 2>/dev/null

# A terminal vmapview cannot know: TERM unset, empty or unknown is said
# in vmapview's words, status 2, and nothing of curses is started.
for term in "-u TERM" "TERM=" "TERM=no-such-terminal"; do
	name=term$(printf '%s' "$term" | tr -dc a-z)
	$T new-session -d -s "$name" -x 80 -y 24 "env $term $VMAPVIEW \
	    traces/devtest.yaml 2>$TMPD/$name.err; echo exit \$? \
	    >$TMPD/$name.exit; sleep 60"
	waitexit "$name" 100
	case $term in
	*=no-such-terminal)
		want="vmapview: TERM=no-such-terminal: no such terminal in the terminfo database" ;;
	*)
		want="vmapview: TERM is not set (or empty): the view needs to know the terminal (TERM=xterm-256color, say)" ;;
	esac
	same "$(cat "$TMPD/$name.exit"):$(cat "$TMPD/$name.err")" \
	    "exit 2:$want" "env $term: said in vmapview's words, status 2"
	$T kill-session -t "$name" 2>/dev/null
done
# The trace from the terminal itself: refused, not read behind a blank
# screen.
$T new-session -d -s ttyin -x 80 -y 24 "$VMAPVIEW view - \
    2>$TMPD/ttyin.err; echo exit \$? >$TMPD/ttyin.exit; sleep 60"
waitexit ttyin 100
same "$(cat "$TMPD/ttyin.exit"):$(cat "$TMPD/ttyin.err")" \
    "exit 2:vmapview: view -: standard input is the terminal; name the trace or pipe it in" \
    "view - at a terminal: refused, status 2"
$T kill-session -t ttyin 2>/dev/null
# vmapview(1)'s KEYS and the view's key table (its help screen, made
# from it) name the same keys: every key of the table is in KEYS, and
# every entry of KEYS is a key of the table.
screen_size=100x60 screen helpall view --keys '?' \
    --save-screen "$TMPD/helpall.txt" traces/devtest.yaml
awk 'NR > 2 && /^   [^ ]/ { print substr($0, 4, 12) } /^$/ && NR > 3 { exit }' \
    "$TMPD/helpall.txt" | tr -s ' ' '\n' | grep -v '^$' | sort -u >"$TMPD/tablekeys"
# KEYS: the words set in bold anywhere, and those that head an entry
awk '/^\.SH KEYS/ { on = 1; next } /^\.SH/ { on = 0 }
	on && /^\.BR? / { sub(/^\.BR? /, ""); gsub(/"/, ""); gsub(/\\-/, "-")
		gsub(/[,.;]/, " "); print (head ? "@head " : "@bold ") $0 }
	{ head = on && /^\.TP/ }' man/vmapview.1 >"$TMPD/mankeys.raw"
tr -s ' ' '\n' <"$TMPD/mankeys.raw" | grep -v '^@' | grep -v '^$' |
    sort -u >"$TMPD/manwords"
grep '^@head ' "$TMPD/mankeys.raw" | cut -c7- | tr -s ' ' '\n' | grep -v '^$' |
    sort -u >"$TMPD/manheads"
same "$(comm -23 "$TMPD/tablekeys" "$TMPD/manwords" | tr '\n' ' ')" "" \
    "every key of the view's table is in vmapview(1)'s KEYS"
same "$(comm -13 "$TMPD/tablekeys" "$TMPD/manheads" | tr '\n' ' ')" "" \
    "every entry of vmapview(1)'s KEYS is a key of the view's table"
same "$(wc -l <"$TMPD/tablekeys" | tr -d ' ')" 39 \
    "... the table's keys read from the help screen (39 names)"

done_testing
