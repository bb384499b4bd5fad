#!/bin/sh
# Every example of the README and the man pages is run, and does what
# the text around it says.  The command lines are read from the
# documents themselves (the README's indented command lines, the .EX
# blocks of vmapview(1)'s EXAMPLES), so an example added without a
# check here fails; examples given inline in the prose are listed here
# and must still be in the text.  The view's examples run in tmux with
# a --keys script added (skipped without tmux).
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
V=$VMAPVIEW
VMAPVIEW_TRACES=$top_srcdir/traces
export VMAPVIEW_TRACES
W=$TMPD/work
mkdir "$W"
ln -s "$top_srcdir/traces" "$W/traces"
mkdir "$W/tests"
ln -s "$top_srcdir/tests/kernel" "$W/tests/kernel"
XDG_CACHE_HOME=$TMPD/cache
export XDG_CACHE_HOME
cp tests/logs/plan9.console "$W/console.log"
cp traces/boot.yaml "$W/mytrace.yaml"

# The examples, one per line, as the documents give them.
{
	sed -n 's/^    \(\.\/bootstrap && .* && \)\{0,1\}\(\.\/vmapview .*\)$/\2/p;
	    s/^    \(vmapview .*\)$/\1/p' README |
	    grep -v '\[\|[A-Z][A-Z]'	# not the synopses
	sed -n '/^\.SH EXAMPLES/,/^\.SH/{/^\.EX/,/^\.EE/p;}' man/vmapview.1 |
	    grep -v '^\.E[XE]' | sed 's/\\-/-/g'
} >"$TMPD/examples"

# inline TEXT FILE: an example given in a sentence is still there.
inline() {
	grep -qF -- "$1" "$2"
	ok $? "$2 still gives '$1'"
	echo "$1" >>"$TMPD/examples"
}
inline "'vmapview import console.log'" README
inline "('vmapview devtest')" README
inline "made by ./vmapview export --at 20 -p plan9 traces/devtest.yaml" README
inline '.B vmapview devtest' man/vmapview.1
inline '.B vmapview replay \-\-format yaml' man/vmaptrace.5
inline '.B vmapview compare \-\-format yaml' man/vmaptrace.5

. "$top_srcdir/tests/term.sh"
term_start || :	# without tmux, T stays unset

# view KEYS ARGS...: run the view with ARGS and the keys in a terminal,
# in the work directory; its screen in $TMPD/screen, its exit status in
# $TMPD/view.st.
view() {
	keys=$1
	shift
	screen_dir=$W screen view "$@" --keys "$keys" --save-screen \
	    "$TMPD/screen"
}

# run ARGS...: the example, in the work directory; output in
# $TMPD/out, errors in $TMPD/err, status in $st.
run() {
	(cd "$W" && "$V" "$@") >"$TMPD/out" 2>"$TMPD/err"
	st=$?
}

# The claims, by example.
while IFS= read -r ex; do
	cmd=${ex#./}
	cmd=${cmd#made by ./}
	cmd=$(printf '%s' "$cmd" | tr -d "'()")
	cmd=${cmd#.B }
	cmd=$(printf '%s' "$cmd" | sed 's/\\-/-/g')
	# shellcheck disable=SC2086
	set -- ${cmd#vmapview }
	case $cmd in
	"vmapview replay -p plan9 traces/devtest.yaml")
		run "$@"
		same "$st" 0 "$cmd: exit 0, as the trace expects"
		grep -q '^   20  vmap    poke8 .* fail ' "$TMPD/out"
		ok $? "$cmd: the eighth poke fails under plan9" ;;
	"vmapview replay -p span traces/devtest.yaml")
		run "$@"
		grep -q '^   20  vmap    poke8 .* ok  *0xe0c00000' "$TMPD/out"
		ok $? "$cmd: the eighth poke maps under the patch" ;;
	"vmapview dump --at 19 traces/devtest.yaml")
		run "$@"
		same "$(grep -c ' stale table 0/1024$' "$TMPD/out"):$(grep -c ' blank$' \
		    "$TMPD/out")" "56:3" \
		    "$cmd: before the eighth poke, 56 stale tables and 3 blank PDEs"
		;;
	"vmapview compare -p plan9,span traces/devtest.yaml")
		run "$@"
		holds "$TMPD/out" "  first result at event 20, vmap poke8" \
		    "$cmd: they part at the eighth poke"
		holds "$TMPD/out" "    plan9 fail: needs 8 blank PDEs in a row; the longest run is 3" \
		    "$cmd: ... where plan9 fails, and why" ;;
	"vmapview compare traces/devtest.yaml")
		run "$@"
		holds "$TMPD/out" "plan9 and span: 8 events differ (result 8)" \
		    "$cmd: every pair, plan9 and span among them"
		holds "$TMPD/out" "  first result at event 20, vmap poke8 of 32M at pa 0x00002000" \
		    "$cmd: ... part at the eighth poke"
		holds "$TMPD/out" "    span ok at 0xe0c00000: a run of 8192 pages over the tables of PDEs 899-906, from PTE 0" \
		    "$cmd: ... both sides say why" ;;
	"vmapview probe --at 19 traces/devtest.yaml 32M")
		run "$@"
		same "$st" 0 "$cmd: exit 0"
		holds "$TMPD/out" "  plan9       fail: needs 8 blank PDEs in a row; the longest run is 3 (PDEs 955-957)" \
		    "$cmd: plan9 would fail, and why"
		same "$(grep -c '^  span.* ok at 0xe0c00000: ' "$TMPD/out")" 2 \
		    "$cmd: span and span-fixed would map it at 0xe0c00000" ;;
	"vmapview probe --at 19 --sizes traces/devtest.yaml")
		run "$@"
		holds "$TMPD/out" "  plan9       largest 12M; 12292K fail: needs 4 blank PDEs in a row" \
		    "$cmd: plan9's largest vmap, and the first size that fails" ;;
	"vmapview shrink traces/devtest.yaml")
		run "$@"
		same "$st:$(grep -c '{op: v' "$TMPD/out")" "0:3" \
		    "$cmd: three events that run"
		holds "$TMPD/out" "expect: {plan9: fail}}" "$cmd: ... the last fails under plan9" ;;
	"vmapview replay -p tests/kernel/labs.c traces/devtest.yaml")
		run "$@"
		same "$st" 0 "$cmd: exit 0"
		grep -q '^   20  vmap    poke8 .* fail ' "$TMPD/out"
		ok $? "$cmd: the file's own code fails the eighth poke" ;;
	"vmapview verify tests/kernel/labs.c")
		run "$@"
		same "$st" 0 "$cmd: exit 0, it agrees with plan9" ;;
	"vmapview verify tests/kernel/lastfit.c")
		run "$@"
		same "$st" 1 "$cmd: exit 1, it does not"
		holds "$TMPD/out" "shrunk to 1 event" "$cmd: ... shown in one event" ;;
	"vmapview view -p plan9,span traces/devtest.yaml")
		if [ -z "${T:-}" ]; then
			skip "$cmd: tmux is not installed"
			continue
		fi
		view d "$@"
		same "$(cat "$TMPD/view.st")" 0 "$cmd: the view opens and quits"
		grep -q 'event 20/27' "$TMPD/screen" 2>/dev/null
		ok $? "$cmd: d goes to the eighth poke, where they differ"
		grep -q 'plan9  PDEs.*span  PDEs' "$TMPD/screen" 2>/dev/null
		ok $? "$cmd: ... the two side by side" ;;
	"vmapview devtest")
		if [ -z "${T:-}" ]; then
			skip "$cmd: tmux is not installed"
			continue
		fi
		view G "$@"
		grep -q 'devtest.*event 27/27' "$TMPD/screen" 2>/dev/null
		ok $? "$cmd: the bundled trace by its bare name, in the view" ;;
	"vmapview replay --format yaml")
		run "$@" -p span traces/devtest.yaml
		same "$(sed -n '1,5p;/^results:/p;/^summary:/p' "$TMPD/out" |
		    tr '\n' ' ')" "vmapreport: 1 trace: devtest policy: span kernel: labs pse: true results: summary: " \
		    "$cmd: a vmapreport document, as vmaptrace(5) shows it" ;;
	"vmapview compare --format yaml")
		run "$@" traces/devtest.yaml
		same "$(grep -c '^vmapcompare: 1$\|^differences:\|^summaries:\|^pairs:' \
		    "$TMPD/out")" 4 \
		    "$cmd: a vmapcompare document with what vmaptrace(5) lists" ;;
	"vmapview policies")
		run "$@"
		same "$(grep -v '^ ' "$TMPD/out" | cut -d' ' -f1 | tr '\n' ' ')" \
		    "plan9 span span-fixed reclaim " "$cmd: the four policies" ;;
	"vmapview import console.log" | \
	    "vmapview import -o mine.yaml console.log")
		run "$@"
		[ -f "$W/mine.yaml" ] && cp "$W/mine.yaml" "$TMPD/out"
		same "$st:$(grep -c 'op: v' "$TMPD/out")" "0:10" \
		    "$cmd: the log's ten calls as a trace"
		(cd "$W" && "$V" replay - <"$TMPD/out" >/dev/null)
		ok $? "$cmd: ... whose expectations are what the kernel returned"
		;;
	"vmapview export --at 20 -o poke8.svg devtest" | \
	    "vmapview export --at 20 -p plan9 traces/devtest.yaml")
		run "$@"
		[ -f "$W/poke8.svg" ] && cp "$W/poke8.svg" "$TMPD/out"
		cmp -s "$TMPD/out" doc/devtest-poke8-plan9.svg
		ok $? "$cmd: the picture of the eighth poke under plan9" ;;
	"vmapview export --plot -o run.svg devtest")
		run "$@"
		cmp -s "$W/run.svg" doc/devtest-plot.svg
		ok $? "$cmd: the plot of the run" ;;
	"vmapview replay -p span --record-expect rec.yaml mytrace.yaml")
		run "$@"
		(cd "$W" && "$V" replay -p span rec.yaml) | grep '^expect' \
		    >"$TMPD/out"
		same "$st:$(cat "$TMPD/out")" \
		    "0:expect    $(grep -c 'op: v' "$W/mytrace.yaml") held, 0 failed, 0 unchecked" \
		    "$cmd: the run becomes a regression test" ;;
	"vmapview gen churn --events 1000000 --seed 1 -o churn.yaml")
		run "$@"
		same "$st:$(cd "$W" && "$V" check churn.yaml)" \
		    "0:churn.yaml: ok, 1000000 events" "$cmd: a million events"
		rm -f "$W/churn.yaml" ;;
	"vmapview replay traces/pse-unmap.yaml")
		run "$@"
		same "$st" 0 "$cmd: exit 0, as the trace expects"
		grep -q '^    3  vunmap  fb .* panic .*vunmap: not mapped' \
		    "$TMPD/out"
		ok $? "$cmd: labs panics unmapping the 4 MiB page" ;;
	"vmapview replay --kernel 9front traces/pse-unmap.yaml")
		run "$@"
		same "$st" 0 "$cmd: exit 0"
		grep -q '^    3  vunmap  fb .* ok ' "$TMPD/out"
		ok $? "$cmd: 9front unmaps the 4 MiB page"
		holds "$TMPD/out" "expectations not checked: the trace's machine was overridden (--kernel 9front)" \
		    "$cmd: ... and does not hold it to labs's expectations" ;;
	*)
		ok 1 "no check for the example '$ex'" ;;
	esac
done <"$TMPD/examples"
same "$(wc -l <"$TMPD/examples")" 31 "the examples, all of them checked"
done_testing
