#!/bin/sh
# The fuzz targets, each built as a plain program, over their seeds and
# every input that once broke them: the reader's over the bundled traces
# (each a trace whose replays all hold the model's invariants and that
# reads back as written), the bad inputs (each refused) and
# tests/crashes; the writer's over the traces and tests/crashes-write;
# import's over the logs and tests/crashes-import.  A target that
# aborts fails the file it was on.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1

# run PROGRAM FILE...: one TAP line a file, renumbered into this run's.
run() {
	prog=$1
	shift
	for f in "$@"; do
		[ -f "$f" ] || continue
		line=$("$top_builddir/tests/$prog" "$f" 2>"$TMPD/err" | head -n 1)
		st=$?
		case $line in
		"ok "*)
			ok 0 "$prog: ${line#ok * - }" ;;
		*)
			ok 1 "$prog: $f: ${line#not ok * - }"
			sed 's/^/# /' "$TMPD/err" | head -n 20 ;;
		esac
	done
}

run fuzz_replay traces/*.yaml tests/bad/*.yaml tests/crashes/*
run fuzz_write traces/*.yaml tests/crashes-write/*
run fuzz_import tests/logs/* tests/crashes-import/*
done_testing
