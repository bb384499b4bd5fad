#!/bin/sh
# Golden reports: every bundled trace under every policy, as text and as
# YAML, with the exit status; the final dump of each under plan9; the
# 4 MiB unmap under 9front; a trace per reason.  'tests/golden.sh --update' rewrites the
# expected files after a deliberate change (then read the diff).
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1

# check NAME COMMAND...: run it; compare its output and status with
# tests/expected/NAME.
check() {
	name=$1
	shift
	"$VMAPVIEW" "$@" >"$TMPD/out" 2>&1
	echo "exit $?" >>"$TMPD/out"
	golden "$TMPD/out" "tests/expected/$name" "$name"
}

for t in traces/*.yaml; do
	base=$(basename "$t" .yaml)
	for p in $POLICIES; do
		check "$base.$p.txt" replay -p "$p" "$t"
		check "$base.$p.yaml" replay -p "$p" --format yaml "$t"
	done
	check "$base.dump" dump "$t"
	check "$base.compare.txt" compare "$t"
	check "$base.compare.yaml" compare --format yaml "$t"
done
# The kernels' own words where they differ (tests/kernel), each trace
# under both; no message carries the caller's pc, which the model lacks.
for t in tests/kernel/*.yaml; do
	base=kernel-$(basename "$t" .yaml)
	check "$base.labs.txt" replay --kernel labs "$t"
	check "$base.9front.txt" replay --kernel 9front "$t"
done
! grep -lE 'pc=(0x)?[0-9a-f]' tests/expected/kernel-* >/dev/null
ok $? "no panic message ends with the caller's pc"
check pse-unmap.9front.txt replay --kernel 9front traces/pse-unmap.yaml
check pse-unmap.keep-going.txt replay --keep-going traces/pse-unmap.yaml
check devtest.nopse.txt replay --pse off traces/devtest.yaml
check devtest.dump-at-19 dump --at 19 traces/devtest.yaml
check devtest.span.dump-at-20 dump --at 20 -p span traces/devtest.yaml
check span-bug.span.dump dump -p span traces/span-bug.yaml
check gen-devtest.yaml gen devtest --pokes 3
check gen-boot-3.yaml gen boot --seed 3
check gen-churn-5.yaml gen churn --events 60 --seed 5 --fill 0.3
check gen-staircase.yaml gen staircase
check gen-staircase.compare.txt compare -p plan9,span tests/expected/gen-staircase.in
check devtest.compare-plan9-span.txt compare -p plan9,span traces/devtest.yaml
check pse-unmap.compare-9front.txt compare --kernel 9front -p plan9,reclaim \
    traces/pse-unmap.yaml

# A small trace for each reason (tests/reasons), every policy, the text
# with every row's reason and the YAML; then every code a trace can
# bring about is in them (a panic's: span-bug's and tests/kernel's).
for t in tests/reasons/*.yaml; do
	base=reason-$(basename "$t" .yaml)
	for p in $POLICIES; do
		check "$base.$p.txt" replay --why -p "$p" "$t"
		check "$base.$p.yaml" replay -p "$p" --format yaml "$t"
	done
done
for code in blank-run hole table-run new-table unmapped no-blank-run \
    no-hole no-table-run no-span-run pa-in-page-0 pa-below-4096 \
    reaches-4g size-past-vmapsize panic skipped not-run note; do
	cat tests/expected/*.yaml | grep -q "reason: {code: $code[,}]"
	ok $? "a golden report has a reason of code $code"
done
done_testing
