#!/bin/sh
# One number per PDE: the kernel's (PDX of the address).  Every PDE
# that a bundled trace's description or notes name lies in its vmap's
# PDEs; the picture's rows give the number beside the address.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
V=$VMAPVIEW

for t in traces/*.yaml; do
	# a shrunk trace's description quotes the trace it came from
	grep -q '^  Shrunk from ' "$t" && continue
	# the vmap's PDEs: the rows of its dump
	"$V" dump --at 0 "$t" 2>/dev/null |
	    sed -n 's/^ *\([0-9][0-9]*\)  0x.*/\1/p' >"$TMPD/rows"
	first=$(head -1 "$TMPD/rows")
	last=$(tail -1 "$TMPD/rows")
	if [ -z "$first" ]; then
		ok 1 "$(basename "$t"): its vmap's PDEs"
		continue
	fi
	# every "PDE N", "PDEs N-M" of its text (description and notes)
	bad=$(grep -o 'PDEs\{0,1\} [0-9][0-9]*\(-[0-9][0-9]*\)\{0,1\}' "$t" |
	    sed 's/PDEs\{0,1\} //; s/-/ /' | while read -r a b; do
		for n in $a ${b:-}; do
			if [ "$n" -lt "$first" ] || [ "$n" -gt "$last" ]; then
				echo "$n"
			fi
		done
	done)
	same "$bad" "" "$(basename "$t"): every PDE it names is in $first-$last"
done
grep -l 'PT[0-9]' traces/*.yaml >"$TMPD/pt"
same "$(cat "$TMPD/pt")" "" "no trace names a table PTn"

# The picture: each row's address and its first PDE's number (the
# view's rows: tests/ui.sh).
"$V" export --at 20 -o "$TMPD/p.svg" traces/devtest.yaml 2>/dev/null
grep -q '>0xe2000000 PDE 904</text>' "$TMPD/p.svg"
ok $? "export: a row is its address and its first PDE (PDE 904)"

done_testing
