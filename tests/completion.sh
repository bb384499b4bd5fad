#!/bin/sh
# bash completion, as 'vmapview help --completion' makes it and bash runs
# it: every command, each command's every option, the words an option's
# argument takes (the policies as 'vmapview policies' lists them), the
# generators and the bundled traces.  What is added to the table of
# commands reaches completion with nothing else to change.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
V=$VMAPVIEW
if ! command -v bash >/dev/null 2>&1; then
	echo "1..0 # SKIP bash is not installed"
	exit 0
fi
"$V" help --completion >"$TMPD/comp.bash"
ok $? "help --completion makes the script"
bash -n "$TMPD/comp.bash"
ok $? "bash reads it"
# the file make builds is the same
if [ -f "$top_builddir/completion/vmapview" ]; then
	VMAPVIEW_TRACES=$top_srcdir/traces "$V" help --completion |
	    cmp -s - "$top_builddir/completion/vmapview"
	ok $? "completion/vmapview is what the program makes"
fi

# comp WORD...: what completion offers for the last word, sorted, on a line
comp() {
	PATH=$(dirname "$V"):$PATH bash -c '
		. "$1"; shift
		COMP_WORDS=(vmapview "$@"); COMP_CWORD=$#
		_vmapview
		printf "%s\n" "${COMPREPLY[@]}"' _ "$TMPD/comp.bash" "$@" |
	    grep . | sort -u | tr '\n' ' '
}
# within LIST WORDS: each of the words is in the list
within() {
	for w in $2; do
		case " $1 " in
		*" $w "*) ;;
		*) return 1 ;;
		esac
	done
}

cd "$TMPD" || exit 1
cmds=$("$V" --help | sed -n 's/^  vmapview \[\{0,1\}\([a-z]*\).*/\1/p')
traces=$(for t in "$top_srcdir"/traces/*.yaml; do basename "$t" .yaml; done)
first=$(comp "")
within "$first" "$cmds"
ok $? "every command offered first"
within "$first" "$traces"
ok $? "every bundled trace offered first"
same "$(comp rep)" "replay " "rep: replay"
same "$(comp replay dev)" "devtest " "replay dev: the bundled devtest"
for c in $cmds; do
	want=$("$V" "$c" --help | sed -n 's/^  \(-., \)\{0,1\} *--\([a-z-]*\).*/--\2/p')
	within "$(comp "$c" --)" "$want"
	ok $? "$c --: every option its --help lists"
done
same "$(comp devtest --as)" "--ascii " \
    "a trace in the command's place: the view's options"
pols=$("$V" policies | awk '/^[^ ]/ { print $1 }' | sort | tr '\n' ' ')
same "$(comp replay -p "")" "$pols" "-p: the registry's policies"
same "$(comp compare --policy "")" "$pols" "--policy: the same"
same "$(comp replay --kernel "")" "9front labs " "--kernel: the kernels"
same "$(comp dump --pse "")" "off on " "--pse: on, off"
same "$(comp shrink --until "")" "diverge expect fail panic refused " \
    "--until: what shrink looks for"
gens=$("$V" gen --help | sed -n 's/.*gen \([a-z|]*\) .*/\1/p' | head -1 |
    tr '|' '\n' | sort | tr '\n' ' ')
same "$(comp gen "")" "$gens" "gen: the generators its --help names"
same "$(comp policies "")" "" "policies: no operand"
: >"$TMPD/log.txt"
within "$(comp import "")" "log.txt"
ok $? "import: any file"
done_testing
