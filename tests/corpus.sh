#!/bin/sh
# The fuzz target, built as a plain program, over the bundled traces
# (each a trace whose replays all hold the model's invariants and that
# reads back as written), the bad inputs (each refused) and every input
# that once crashed it (each run to its end).
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
set -- traces/*.yaml tests/bad/*.yaml
for f in tests/crashes/*; do
	[ -f "$f" ] && set -- "$@" "$f"
done
exec "$top_builddir/tests/fuzz_replay" "$@"
