#!/bin/sh
# verify catches every mutant of tests/kernel/mutants: a plain verify
# (the default traces) says the mutant and the built-in differ, exit 1,
# and where the words of the page tables are all that differs, says so.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$TMPD" || exit 1
export XDG_CACHE_HOME=$TMPD/cache
K=$top_srcdir/tests/kernel
grep -v '^#' "$K/mutants" | while IFS='	' read -r name file expr; do
	[ -n "$name" ] || continue
	sed "$expr" "$K/$file" >"$name.c"
	if cmp -s "$K/$file" "$name.c"; then
		echo "not ok - $name: the expression changes nothing in $file"
		continue
	fi
	"$VMAPVIEW" verify "./$name.c" >out 2>err
	st=$?
	line=$(head -n 1 out)
	case "$st $line" in
	"1 $name.c and "*" differ under "*)
		echo "ok - $name: caught (${line#*: })" ;;
	*)
		echo "not ok - $name: not caught (status $st): $line" ;;
	esac
done >"$TMPD/tap"
while read -r line; do
	case $line in
	"ok - "*) ok 0 "${line#ok - }" ;;
	*) ok 1 "${line#not ok - }" ;;
	esac
done <"$TMPD/tap"
same "$(grep -c . "$TMPD/tap")" "$(grep -v '^#' "$K/mutants" | grep -c .)" \
    "every mutant tried"
done_testing
