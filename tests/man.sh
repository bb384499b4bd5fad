#!/bin/sh
# The manual pages render without warnings, and say what the program does.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
if ! command -v groff >/dev/null 2>&1; then
	echo "1..0 # SKIP groff is not installed"
	exit 0
fi
for m in man/vmapview.1 man/vmaptrace.5; do
	out=$(groff -man -ww -Tutf8 -z "$m" 2>&1)
	same "$out" "" "$m: no warnings"
done
# (that every command and option is in vmapview(1): tests/synopsis.sh)
grep -q NO_COLOR man/vmapview.1
ok $? "vmapview.1 documents NO_COLOR"
done_testing
