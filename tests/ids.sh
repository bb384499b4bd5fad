#!/bin/sh
# Ids made to collide (tests/craftids: every id's FNV-1a hash with the
# same low 17 bits, as an attacker would make them for an unkeyed table)
# change nothing but the ids: every command gives the same results as
# with the plain ids.  How fast: bench/adversarial, "crafted".
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
V=$VMAPVIEW
C=${top_builddir:-.}/tests/craftids

"$V" gen churn --events 4000 --seed 5 -o "$TMPD/plain.yaml"
"$C" <"$TMPD/plain.yaml" >"$TMPD/crafted.yaml"
same "$?" 0 "craftids: the ids made to collide"
n=$(grep -o 'id: [A-Za-z0-9]*' "$TMPD/crafted.yaml" | sort -u | wc -l)
p=$(grep -o 'id: [A-Za-z0-9]*' "$TMPD/plain.yaml" | sort -u | wc -l)
same "$n" "$p" "... as many distinct ids as before ($p)"
cmp -s "$TMPD/plain.yaml" "$TMPD/crafted.yaml"
same "$?" 1 "... and the ids are new"
# the results, without the ids (churn's are m and a number)
noids() { sed 's/\([^A-Za-z0-9]\)m[0-9][A-Za-z0-9]*/\1ID/g; s/ID  */ID /g' "$1"; }
for c in "replay --format yaml -p plan9" "replay --summary -p span" \
    "compare --summary" "dump" "probe --sizes"; do
	# shellcheck disable=SC2086
	"$V" $c "$TMPD/plain.yaml" >"$TMPD/a" 2>&1
	# shellcheck disable=SC2086
	"$V" $c "$TMPD/crafted.yaml" >"$TMPD/b" 2>&1
	noids "$TMPD/a" | sed 's/^trace plain/trace X/; s/^name: plain/name: X/' \
	    >"$TMPD/a2"
	noids "$TMPD/b" | sed 's/^trace crafted/trace X/; s/^name: crafted/name: X/' \
	    >"$TMPD/b2"
	cmp -s "$TMPD/a2" "$TMPD/b2"
	ok $? "$c: the same with the crafted ids"
	[ $? -eq 0 ] || diff "$TMPD/a2" "$TMPD/b2" | head -5 | sed 's/^/# /'
done

# ids too long to be kept inside a record (idtab.h, IDSHORT): the same
# results again, through the records' and the dump's long keys (with
# blanks and line breaks as one space: the columns widen, lines wrap)
L=a-long-prefix-for-every-one-
sed "s/id: m/id: ${L}m/" "$TMPD/plain.yaml" >"$TMPD/long.yaml"
for c in "replay --format yaml -p plan9" "compare --summary" "dump" \
    "dump --at 3000" "probe --at 2500 --sizes"; do
	# shellcheck disable=SC2086
	"$V" $c "$TMPD/plain.yaml" >"$TMPD/a" 2>&1
	# shellcheck disable=SC2086
	"$V" $c "$TMPD/long.yaml" >"$TMPD/b" 2>&1
	noids "$TMPD/a" | sed 's/^trace plain/trace X/; s/^name: plain/name: X/' |
	    tr -s ' \n' ' ' >"$TMPD/a2"
	sed "s/$L//g" "$TMPD/b" >"$TMPD/b1"
	noids "$TMPD/b1" | sed 's/^trace long/trace X/; s/^name: long/name: X/' |
	    tr -s ' \n' ' ' >"$TMPD/b2"
	cmp -s "$TMPD/a2" "$TMPD/b2"
	ok $? "$c: the same with ids of ${#L} bytes more"
	[ $? -eq 0 ] || diff "$TMPD/a2" "$TMPD/b2" | head -5 | sed 's/^/# /'
done

# probe of several policies reads the trace once for each: each
# policy's answer, and a panic's owner among them, is the one it gives
# alone
B=${top_srcdir:-.}/traces
while read -r t at rest; do
	"$V" probe --at "$at" "$t" $rest >"$TMPD/all" 2>&1
	for p in plan9 span span-fixed reclaim; do
		# shellcheck disable=SC2086
		"$V" probe --at "$at" -p "$p" "$t" $rest 2>&1 | tail -n +3 |
		    sed 's/^  [a-z0-9-]*  */  /' >"$TMPD/one"
		grep "^  $p  " "$TMPD/all" | sed 's/^  [a-z0-9-]*  */  /' \
		    >"$TMPD/ofall"
		cmp -s "$TMPD/one" "$TMPD/ofall" && [ -s "$TMPD/one" ]
		ok $? "probe --at $at $(basename "$t") $rest: $p as alone"
	done
done <<EOT
$B/span-bug.yaml 5 5M 0x03000000
$B/churn-panic-span.yaml 4 5M 0x03000000
$TMPD/long.yaml 2500 --sizes
$TMPD/long.yaml 4000 --sizes
$TMPD/crafted.yaml 3000 --sizes
EOT
"$V" probe --at 5 "$B/span-bug.yaml" 5M 0x03000000 |
    grep -q "span .*in use by win2 (event 3)"
ok $? "... span's panic names the owner of the page in its way"

# a vmap live past its id: after a panic its vunmap is not run, so it
# stays live though its id has left the reader's table, and the id's
# slot is held for it (livemap.c) while new ids come and go; streamed
# (a file) and loaded whole (standard input), dump and probe list it
# alike, with its own id and size
{
	printf 'vmaptrace: 1\nname: held\nmachine:\n  kernel: labs\nevents:\n'
	printf -- '- {op: vmap, pa: 0x10000000, size: 8K, id: a}\n'
	printf -- '- {op: vmap, pa: 0x10100000, size: 12K, id: %s}\n' \
	    "${L}one"
	printf -- '- {op: vunmap, va: 0x1000, size: 4K}\n'
	printf -- '- {op: vunmap, id: a}\n- {op: vunmap, id: %s}\n' "${L}one"
	printf -- '- {op: vmap, pa: 0x20000000, size: 4K, id: a}\n'
	i=0
	while [ $i -lt 40 ]; do
		printf -- '- {op: vmap, pa: 0x30000000, size: 16K, id: b%d}\n' $i
		printf -- '- {op: vunmap, id: b%d}\n' $i
		i=$((i + 1))
	done
} >"$TMPD/held.yaml"
for c in "dump -p plan9" "dump --at 30 -p span" "probe --sizes" \
    "probe --sizes -p reclaim"; do
	# shellcheck disable=SC2086
	"$V" $c "$TMPD/held.yaml" >"$TMPD/a" 2>&1
	# shellcheck disable=SC2086
	"$V" $c - <"$TMPD/held.yaml" >"$TMPD/b" 2>&1
	sed 's/<stdin>/held/' "$TMPD/b" >"$TMPD/b2"
	cmp -s "$TMPD/a" "$TMPD/b2"
	ok $? "$c: a vmap live past its id, streamed as loaded whole"
	[ $? -eq 0 ] || diff "$TMPD/a" "$TMPD/b2" | head -5 | sed 's/^/# /'
done
"$V" dump -p plan9 "$TMPD/held.yaml" >"$TMPD/a"
grep -q "^ *1  a  .* pa 0x10000000  8K " "$TMPD/a"
ok $? "... the dump lists a, 8K, not the 4K vmap its id named after"
grep -q "^ *2  ${L}one .* pa 0x10100000  12K " "$TMPD/a" &&
    ! sed -n '/^live mappings/,/^$/p' "$TMPD/a" | grep -q " b[0-9]"
ok $? "... and the long id's vmap, 12K, not one of the ids after it"

# a machine that comes after the events: each policy's reading gives its
# events again, loaded whole, under that machine; the answers are those
# of the same trace with the machine first
{
	printf 'vmaptrace: 1\nname: late\nevents:\n'
	sed -n '/^- /p' "$TMPD/held.yaml"
	printf 'machine:\n  kernel: labs\n  vmap: 0xf0000000\n  vmapsize: 128M\n'
} >"$TMPD/late.yaml"
{
	printf 'vmaptrace: 1\nname: late\n'
	printf 'machine:\n  kernel: labs\n  vmap: 0xf0000000\n  vmapsize: 128M\n'
	printf 'events:\n'
	sed -n '/^- /p' "$TMPD/held.yaml"
} >"$TMPD/early.yaml"
while read -r c rest; do
	# shellcheck disable=SC2086
	"$V" $c "$TMPD/late.yaml" $rest >"$TMPD/a" 2>&1
	# shellcheck disable=SC2086
	"$V" $c "$TMPD/early.yaml" $rest >"$TMPD/b" 2>&1
	cmp -s "$TMPD/a" "$TMPD/b" && grep -q "largest\|ok at 0xf0\|0xf0000000" \
	    "$TMPD/a"
	ok $? "$c${rest:+ $rest}: the machine after the events, as before them"
	[ $? -eq 0 ] || diff "$TMPD/a" "$TMPD/b" | head -5 | sed 's/^/# /'
done <<EOT
probe --sizes --at 2
probe 8K --at 2
dump
EOT

# dump after a skipped vunmap: its reason names its vmap's event, though
# the reader has given the id's slot to the next id since
printf 'vmaptrace: 1\nname: skip\nmachine:\n  kernel: labs\nevents:\n%s\n%s\n%s\n%s\n' \
    '- {op: vmap, pa: 0x10000000, size: 1G, id: big}' \
    '- {op: vunmap, id: big}' \
    '- {op: vmap, pa: 0x10000000, size: 4K, id: y}' \
    '- {op: vunmap, id: y}' >"$TMPD/skip.yaml"
"$V" dump --at 2 "$TMPD/skip.yaml" >"$TMPD/a" 2>&1
"$V" dump --at 2 - <"$TMPD/skip.yaml" | sed 's/<stdin>/skip/' >"$TMPD/b" 2>&1
grep -q "^  its vmap (event 1) did not succeed" "$TMPD/a" &&
    cmp -s "$TMPD/a" "$TMPD/b"
ok $? "dump --at a skipped vunmap: its vmap's event, streamed as loaded"

# compare keeps the events that differ in a spool, through a buffer of
# 64 KiB: an id longer than that passes whole, and the rows after it
# (the pairs' first events cut their ids short: not compared)
L=$(head -c 70000 /dev/zero | tr '\0' x)
sed "s/id: big/id: $L/" "$B/span-bug.yaml" >"$TMPD/longer.yaml"
"$V" compare --format yaml "$TMPD/longer.yaml" >"$TMPD/a"
"$V" compare --format yaml "$B/span-bug.yaml" | sed "s/id: big/id: $L/g" \
    >"$TMPD/b"
grep '^- {seq' "$TMPD/a" >"$TMPD/a2"
grep '^- {seq' "$TMPD/b" >"$TMPD/b2"
grep -q "{seq: 6, op: vmap, id: $L, plan9: fail" "$TMPD/a2" &&
    grep -q "^- {seq: 7, op: note" "$TMPD/a2" && cmp -s "$TMPD/a2" "$TMPD/b2"
ok $? "compare: an id of 70000 bytes through the spool, and the rows after it"

done_testing
