#!/bin/sh
# The commands and their options agree everywhere: the table of entries
# (what each command's --help lists), the SYNOPSIS of vmapview(1) and its
# OPTIONS.  A command or option added to the table and not to the others
# fails here.  (Bash completion is made from the table: completion.sh.)
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
V=$VMAPVIEW

# The commands, as usage lists them.
cmds=$("$V" --help | sed -n 's/^  vmapview \[\{0,1\}\([a-z]*\).*/\1/p')
same "$(echo $cmds)" "view replay check dump compare probe shrink verify quiz gen import export policies help version" \
    "--help lists every command"

# opts CMD: the long options CMD's --help lists (not --help), sorted.
opts() {
	"$V" "$1" --help | sed -n 's/^  \(-., \)\{0,1\} *--\([a-z-]*\).*/--\2/p' |
	    grep -vx -- --help | sort | tr '\n' ' '
}

# short CMD X: the long name of CMD's option -X.
short() {
	"$V" "$1" --help | sed -n "s/^  -$2, --\([a-z-]*\).*/--\1/p"
}

# The SYNOPSIS of vmapview(1), a line per command: its name, its options.
sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' man/vmapview.1 |
    sed 's/\\-/-/g' | awk '
	function flush() { if (cmd != "") print cmd o; cmd = ""; o = "" }
	/^\.B vmapview/ { flush(); cmd = $3; next }
	/^\.RB \[ view \]/ { cmd = "view"; next }
	/^\.br/ { flush(); next }
	{ for (i = 1; i <= NF; i++) if ($i ~ /^--?[a-z]/) o = o " " $i }
	END { flush() }
' >"$TMPD/man"

for c in $cmds; do
	want=$(opts "$c")
	# the man page: -p and -o as the command's --help spells them
	got=$(grep "^$c " "$TMPD/man" | cut -d' ' -f2- | tr ' ' '\n' |
	    grep . | while read -r o; do
		case $o in
		--*) echo "$o" ;;
		-?) short "$c" "${o#-}" ;;
		esac
	    done | sort -u | tr '\n' ' ')
	same "$got" "$want" "vmapview(1) SYNOPSIS of $c: its options"
	for o in $want; do
		grep -q -- "$(printf '%s' "$o" | sed 's/-/\\\\-/g')" man/vmapview.1
		ok $? "vmapview(1) documents $c $o"
	done
done

done_testing
