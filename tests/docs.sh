#!/bin/sh
# The pictures under doc/ are what 'vmapview export' draws now, each from
# the command that made it (README, "Pictures"), to the byte.
# 'tests/docs.sh --update' (make golden) draws them again.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1

# doc FILE ARGS...: doc/FILE is what 'vmapview export ARGS...' writes
doc() {
	file=$1
	shift
	"$VMAPVIEW" export "$@" >"$TMPD/out" 2>"$TMPD/err"
	st=$?
	if [ "$st" != 0 ] || [ -s "$TMPD/err" ]; then
		ok 1 "doc/$file: export $* ends with status $st"
		sed 's/^/# /' "$TMPD/err"
		return
	fi
	golden "$TMPD/out" "doc/$file" "doc/$file: as export $* draws it"
}
doc devtest-poke8-plan9.svg --at 20 -p plan9 traces/devtest.yaml
doc devtest-poke8-span.svg --at 20 -p span traces/devtest.yaml
doc devtest-poke8-both.svg --at 20 -p plan9,span traces/devtest.yaml
doc devtest-plot.svg --plot traces/devtest.yaml
done_testing
