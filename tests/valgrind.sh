#!/bin/sh
# No leaks and no memory errors under valgrind: every bundled trace
# replayed, compared and dumped, and every bad input checked.  Skipped
# without valgrind, and in a sanitizer build (the sanitizers check).
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind is not installed"
	exit 0
fi
if nm "$VMAPVIEW" 2>/dev/null | grep -q __asan_init; then
	echo "1..0 # SKIP a sanitizer build"
	exit 0
fi
# vg NAME ARGS...: run vmapview under valgrind; 99 means it found something.
vg() {
	name=$1
	shift
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    "$VMAPVIEW" "$@" >/dev/null 2>"$TMPD/vg"
	st=$?
	[ $st -ne 99 ]
	ok $? "valgrind: $name"
	[ $st -ne 99 ] || sed 's/^/# /' "$TMPD/vg" | head -20
}
for t in traces/*.yaml; do
	vg "replay $t" replay -p span --format yaml "$t"
	vg "dump $t" dump -p reclaim "$t"
done
vg "compare devtest" compare traces/devtest.yaml
vg "gen churn" gen churn --events 2000
vg "record-expect" replay --record-expect "$TMPD/r.yaml" traces/boot.yaml
vg "check bad inputs" check tests/bad/*.yaml
done_testing
