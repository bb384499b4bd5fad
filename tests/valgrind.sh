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
# vg NAME WANT ARGS...: run vmapview under valgrind; it must end as it
# ends without valgrind, with status WANT (valgrind's own 99, a death by
# a signal or a usage error all fail), and valgrind must find nothing.
vg() {
	name=$1
	want=$2
	shift 2
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    "$VMAPVIEW" "$@" >/dev/null 2>"$TMPD/vg"
	st=$?
	same "$st" "$want" "valgrind: $name"
	[ "$st" = "$want" ] || sed 's/^/# /' "$TMPD/vg" | head -20
}
for t in traces/*.yaml; do
	vg "replay $t" 0 replay -p span --format yaml "$t"
	vg "dump $t" 0 dump -p reclaim "$t"
done
# the policies part on devtest: 1
vg "compare devtest" 1 compare traces/devtest.yaml
vg "gen churn" 0 gen churn --events 2000
vg "record-expect" 0 replay --record-expect "$TMPD/r.yaml" traces/boot.yaml
# every one refused: 2
vg "check bad inputs" 2 check tests/bad/*.yaml
# ids too long to be kept inside a record (idtab.h): the copies that
# dump and probe keep of them, freed as their vmaps leave
"$VMAPVIEW" gen churn --events 3000 --seed 5 |
    sed 's/id: m/id: a-long-prefix-for-every-one-m/' >"$TMPD/long.yaml"
vg "dump, long ids" 0 dump "$TMPD/long.yaml"
vg "dump --at, long ids" 0 dump --at 2000 "$TMPD/long.yaml"
vg "probe --sizes, long ids" 0 probe --sizes --at 2000 "$TMPD/long.yaml"
done_testing
