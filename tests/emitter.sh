#!/bin/sh
# The document's rows come from a fast writer; libyaml's emitter is its
# reference (VMAPVIEW_EMITTER=libyaml): the same bytes, for every
# bundled trace, every policy, ids that YAML must quote every way, and
# generated traces, with and without --keep-going and --why.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
V=$VMAPVIEW

"$V" gen churn --events 3000 --seed 5 >"$TMPD/churn.yaml"
"$V" gen unmapva --events 3000 --seed 5 >"$TMPD/unmapva.yaml"
"$V" gen fragment --events 3000 >"$TMPD/fragment.yaml"
for t in traces/*.yaml tests/kernel/*.yaml tests/emit/*.yaml \
    "$TMPD/churn.yaml" "$TMPD/unmapva.yaml" "$TMPD/fragment.yaml"; do
	for p in $POLICIES; do
		for o in "" --keep-going; do
			# shellcheck disable=SC2086
			"$V" replay --format yaml -p $p $o "$t" >"$TMPD/fast" \
			    2>"$TMPD/fasterr"
			fs=$?
			# shellcheck disable=SC2086
			VMAPVIEW_EMITTER=libyaml "$V" replay --format yaml \
			    -p $p $o "$t" >"$TMPD/slow" 2>"$TMPD/slowerr"
			ss=$?
			# the same bytes, the same status (0, or 1 for a
			# failed expectation or a panic), the same words on
			# standard error, and a document
			cmp -s "$TMPD/fast" "$TMPD/slow" &&
			    cmp -s "$TMPD/fasterr" "$TMPD/slowerr" &&
			    [ "$fs" = "$ss" ] && [ "$fs" -le 1 ] &&
			    grep -q '^results:' "$TMPD/fast"
			ok $? "$(basename "$t") -p $p $o: the fast rows are libyaml's"
		done
	done
done
done_testing
