#!/bin/sh
# The model's layers call only those before them (STYLE.md): the
# keyed hash, the page-table pool, then mmu (its fast forms first, which mmuinit
# chooses), then the tree over its PDEs, then the allocators and their fast forms, then the
# measures, then the reasons, then the registry.  For each object of libmodel.a, every
# symbol it takes from another of its objects must be defined by one
# earlier in this order.  Skipped without nm.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
if ! command -v nm >/dev/null 2>&1; then
	echo "1..0 # SKIP nm is not installed"
	exit 0
fi
order="xmalloc keyhash ptpool mmufast mmu mmutree vmapalloc fast stats why policy"
nm -A "$top_builddir/libmodel.a" |
    sed -n 's/^[^:]*:\([a-z_]*\)\.o: *[0-9a-f]* *\([TU]\) \(.*\)/\1 \2 \3/p' \
    >"$TMPD/syms"
same "$(awk '{ print $1 }' "$TMPD/syms" | sort -u | tr '\n' ' ')" \
    "$(echo $order | tr ' ' '\n' | sort | tr '\n' ' ')" \
    "libmodel.a holds the objects of the layers, and no other"
rank=0
for o in $order; do
	rank=$((rank + 1))
	echo "$o $rank"
done >"$TMPD/rank"
# each object's symbols from its fellows, with the defining object
awk '
	FILENAME == ARGV[1] { rank[$1] = $2; next }
	$2 == "T" { def[$3] = $1; next }
	{ use[NR] = $1 " " $3 }
	END {
		for (i in use) {
			split(use[i], u, " ")
			if (u[2] in def)
				print u[1], def[u[2]], u[2], rank[u[1]], rank[def[u[2]]]
		}
	}
' "$TMPD/rank" "$TMPD/syms" | sort -u >"$TMPD/uses"
for o in $order; do
	bad=$(awk -v o="$o" '$1 == o && $5 >= $4 { print $3 " from " $2 }' \
	    "$TMPD/uses" | tr '\n' ' ')
	same "$bad" "" "$o calls only the layers before it"
done
done_testing
