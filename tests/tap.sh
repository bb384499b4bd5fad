# Sourced by the shell tests: TAP output and where things are.
# top_srcdir and top_builddir come from Automake's test environment;
# run by hand, they default to the checkout.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
VMAPVIEW=$top_builddir/vmapview
tap_n=0
tap_bad=0
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/vmapview-test.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT

# ok COND-STATUS DESCRIPTION: one TAP line for a status (0 is a pass).
ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		tap_bad=$((tap_bad + 1))
		echo "not ok $tap_n - $2"
	fi
}

# same GOT WANT DESCRIPTION: pass when the two strings are equal.
same() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '%s\n' "# got:  $1" "# want: $2"
	fi
}

# A test that compares with golden files rewrites them when run with
# --update (make golden): see golden below.
update=0
[ "${1:-}" = --update ] && update=1

# golden GOT FILE DESCRIPTION: GOT's bytes are FILE's, or the difference
# is shown.  With update=1 (a script's --update, 'make golden'), a FILE
# that differs is rewritten from GOT and said so as a skip, not a pass:
# read the diff before committing it.
golden() {
	if cmp -s "$1" "$2"; then
		ok 0 "$3"
	elif [ "${update:-0}" -eq 1 ]; then
		diff "$2" "$1" 2>/dev/null | head -20 | sed 's/^/# /'
		cp "$1" "$2"
		skip "$3: rewritten"
	else
		ok 1 "$3"
		diff "$2" "$1" 2>/dev/null | head -20 | sed 's/^/# /'
	fi
}

# holds FILE TEXT DESCRIPTION: FILE holds TEXT; else FILE is shown.
holds() {
	if grep -qF -- "$2" "$1" 2>/dev/null; then
		ok 0 "$3"
	else
		ok 1 "$3"
		sed 's/^/# /' "$1" 2>/dev/null | head -40
	fi
}

# The built-in policies, as 'vmapview policies' lists them: the tests
# go over the registry, not a list of their own.
POLICIES=$("$VMAPVIEW" policies 2>/dev/null | awk '/^[^ ]/ { print $1 }' |
    tr '\n' ' ')

# skip REASON: one TAP line for a test that cannot run here.
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_bad" -eq 0 ]
}

# peak CMD...: run CMD (its output thrown away, its errors in
# $TMPD/peak.err); leave its exit status in $peak_st and the most
# resident memory it held, in KiB, in $peak_kb.
peak() {
	set -- $(python3 -c '
import resource, subprocess, sys
with open(sys.argv[1], "w") as err:
    r = subprocess.run(sys.argv[2:], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=err)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
' "$TMPD/peak.err" "$@")
	peak_st=$1
	peak_kb=$2
}
