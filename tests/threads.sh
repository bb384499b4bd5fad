#!/bin/sh
# The relay (the sink on a thread of its own) and the parser on a
# thread of its own (ypipe.c) change nothing but the time: replay
# --summary, compare and check say the same, to the byte, on one thread
# and on more, for good traces, a trace whose machine follows its
# events, a trace with an error far into it, and every bad trace of
# tests/bad (parse errors, bad bytes, values too long among them), from
# a file and from standard input.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
V=$VMAPVIEW

# both COMMAND...: run it on one thread and on two; same output and status
both() {
	VMAPVIEW_THREADS=1 "$@" >"$TMPD/one" 2>&1
	s1=$?
	VMAPVIEW_THREADS=2 "$@" >"$TMPD/two" 2>&1
	s2=$?
	if [ "$s1" = "$s2" ] && cmp -s "$TMPD/one" "$TMPD/two" &&
	    [ -s "$TMPD/one" ] && ! grep -q "^Try '" "$TMPD/one"; then
		ok 0 "one thread or two: $*"
	else
		ok 1 "one thread or two: $*"
		diff "$TMPD/one" "$TMPD/two" | head -5 | sed 's/^/# /'
	fi
}

# 20000 events: more than the relay's ring holds, so that it goes round
"$V" gen churn --events 20000 --seed 5 -o "$TMPD/churn.yaml"
set -- traces/devtest.yaml traces/reclaim.yaml traces/span-bug.yaml \
    "$TMPD/churn.yaml"
for t in "$@"; do
	for p in $POLICIES; do
		both "$V" replay --summary -p "$p" "$t"
	done
	both "$V" replay --summary --format yaml -p span-fixed "$t"
	both "$V" compare "$t"
	both "$V" compare --format yaml "$t"
done

for t in tests/bad/*.yaml; do
	both "$V" check "$t"
	VMAPVIEW_THREADS=1 "$V" check - <"$t" >"$TMPD/one" 2>&1
	VMAPVIEW_THREADS=2 "$V" check - <"$t" >"$TMPD/two" 2>&1
	cmp -s "$TMPD/one" "$TMPD/two"
	ok $? "one thread or two: check - <$t"
done

# A value a little over the reader's limit (1 MiB) but under the feed's
# passes the parser: the pipe does not keep its bytes (ypipe.c, KEPT),
# and the reader refuses it by its length, on one thread as on two.
# Behind a short value in the same batch, whose bytes must stay its own.
awk 'BEGIN {
	printf "vmaptrace: 1\nname: big\nevents:\n"
	printf "- {op: note, text: short}\n- {op: note, text: "
	for (i = 0; i < 1048600; i++)
		printf "a"
	printf "}\n- {op: note, text: after}\n"
}' >"$TMPD/justover.yaml"
both "$V" check "$TMPD/justover.yaml"
VMAPVIEW_THREADS=2 "$V" check "$TMPD/justover.yaml" 2>&1 |
    grep -q "justover.yaml:5:20: a value of 1048600 bytes: at most 1048576"
ok $? "... a value of 1048600 bytes refused by its length, at its place"
awk 'BEGIN {
	printf "vmaptrace: 1\nname: big\nevents:\n"
	for (i = 0; i < 600; i++)
		printf "- {op: note, text: t%d}\n", i
}' >"$TMPD/notes.yaml"
VMAPVIEW_THREADS=2 "$V" replay -p plan9 "$TMPD/notes.yaml" |
    grep -c " note .* t[0-9]" >"$TMPD/n"
same "$(cat "$TMPD/n")" 600 "... 600 short values over two batches, each its own"
VMAPVIEW_THREADS=2 "$V" replay -p plan9 "$TMPD/notes.yaml" | grep -q " t599\$"
ok $? "... the last of them as written"

# Values of every length from 1 to 40 bytes, each its own bytes, come
# through the pipe whole: the short ones are copied by two loads that
# may overlap (ypipe.c, copy).
awk 'BEGIN {
	a = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	printf "vmaptrace: 1\nname: lengths\nevents:\n"
	for (n = 1; n <= 40; n++)
		printf "- {op: note, text: %s}\n", substr(a, n % 20 + 1, n)
}' >"$TMPD/lengths.yaml"
awk 'BEGIN {
	a = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for (n = 1; n <= 40; n++)
		print substr(a, n % 20 + 1, n)
}' >"$TMPD/lengths.want"
VMAPVIEW_THREADS=2 "$V" replay -p plan9 "$TMPD/lengths.yaml" |
    awk '$2 == "note" { print $NF }' >"$TMPD/lengths.got"
cmp -s "$TMPD/lengths.want" "$TMPD/lengths.got"
ok $? "... values of 1 to 40 bytes through the pipe, each as written"

# The machine after the events: read again, kept; the same as before.
mkdir "$TMPD/early" "$TMPD/late"
{
	echo "vmaptrace: 1"
	echo "name: t"
	echo "machine: {vmapsize: 64M, kernel: 9front}"
	echo "events:"
	i=1
	while [ $i -le 20 ]; do
		echo "- {op: vmap, pa: 0x2000, size: 6M, id: m$i}"
		[ $((i % 3)) -eq 0 ] || echo "- {op: vunmap, id: m$i}"
		i=$((i + 1))
	done
} >"$TMPD/early/t.yaml"
{
	grep -v '^machine' "$TMPD/early/t.yaml"
	grep '^machine' "$TMPD/early/t.yaml"
} >"$TMPD/late/t.yaml"
for d in early late; do
	both "$V" replay --summary -p plan9 "$TMPD/$d/t.yaml"
	both "$V" replay -p plan9 "$TMPD/$d/t.yaml"
	both "$V" replay --format yaml -p plan9 "$TMPD/$d/t.yaml"
	both "$V" compare "$TMPD/$d/t.yaml"
done
for c in "replay --summary -p plan9" "replay -p plan9" \
    "replay --format yaml -p plan9" "compare"; do
	VMAPVIEW_THREADS=2 $V $c "$TMPD/early/t.yaml" >"$TMPD/a"
	VMAPVIEW_THREADS=2 $V $c "$TMPD/late/t.yaml" >"$TMPD/b"
	cmp -s "$TMPD/a" "$TMPD/b"
	ok $? "$c: the machine after the events, the same report"
done
grep -q 'fail' "$TMPD/a"
ok $? "... under the late machine, not the default one"
# Standard input cannot be read again: it is kept from the start.
for c in "replay --summary -p plan9" "replay -p plan9" "compare"; do
	$V $c "$TMPD/late/t.yaml" >"$TMPD/a"
	$V $c - <"$TMPD/late/t.yaml" >"$TMPD/b"
	cmp -s "$TMPD/a" "$TMPD/b"
	ok $? "$c -: the machine after the events, read from standard input"
	mkfifo "$TMPD/fifo"
	cat "$TMPD/late/t.yaml" >"$TMPD/fifo" &
	$V $c "$TMPD/fifo" >"$TMPD/b"
	wait
	rm -f "$TMPD/fifo"
	cmp -s "$TMPD/a" "$TMPD/b"
	ok $? "$c FIFO: the machine after the events, read from a pipe"
done

# An error 20000 events in: the same message, status 2, no report.
{
	head -n 20010 "$TMPD/churn.yaml"
	echo "- {op: vunmap, id: nobody}"
	tail -n +20011 "$TMPD/churn.yaml"
} >"$TMPD/bad.yaml"
for c in "replay --summary" "replay" "replay --format yaml" "compare" \
    "check"; do
	both $V $c "$TMPD/bad.yaml"
	VMAPVIEW_THREADS=2 $V $c "$TMPD/bad.yaml" >"$TMPD/out" 2>"$TMPD/err"
	same "$?:$(wc -c <"$TMPD/out")" "2:0" "$c: an error far in: exit 2, nothing on stdout"
	grep -q "bad.yaml:20011:.*nobody.*not live" "$TMPD/err"
	ok $? "$c: ... and FILE:LINE names it"
done

# Vmaps with ids unmapped by address, whole and in part, ids long and
# short: what a streamed replay keeps of each id's vmap (the reader's
# records, 5 bytes a policy, a map by address begun at the first vunmap
# by address) gives what the trace kept whole gives, read from standard
# input, and span's panics name the mapping in the way.
"$V" gen churn --events 40000 --seed 3 -o "$TMPD/c3.yaml"
"$V" replay "$TMPD/c3.yaml" >"$TMPD/c3.txt"
awk 'NR == FNR {
	if ($1 ~ /^[0-9]+$/ && $2 == "vunmap" && $6 == "ok") {
		va[$1] = $7
		sz[$1] = $5
	}
	next
}
/^- \{op:/ {
	n++
	if ($0 ~ /op: vunmap, id:/ && (n in va)) {
		k++
		if (k % 3 == 0)
			$0 = "- {op: vunmap, va: " va[n] ", size: " sz[n] "}"
		else if (k % 7 == 0)
			$0 = "- {op: vunmap, va: " va[n] ", size: 4K}"
	}
}
{ print }' "$TMPD/c3.txt" "$TMPD/c3.yaml" >"$TMPD/mix.yaml"
sed 's/id: m\([0-9]*[13579]\)\([,}]\)/id: a-rather-long-name-of-a-device-\1\2/' \
    "$TMPD/mix.yaml" >"$TMPD/mixlong.yaml"
grep -q 'va: 0x.*size: 4K' "$TMPD/mix.yaml" &&
    grep -q 'id: a-rather-long' "$TMPD/mixlong.yaml"
ok $? "the mixed traces have vunmaps by address, in part, and long ids"
for t in mix mixlong; do
	for c in "replay -p plan9" "replay --summary -p span" \
	    "replay -p span --keep-going" "compare" "compare --keep-going" \
	    "dump" "dump -p span --keep-going" "dump --at 20000"; do
		both $V $c "$TMPD/$t.yaml"
		VMAPVIEW_THREADS=2 $V $c "$TMPD/$t.yaml" >"$TMPD/a" 2>&1
		$V $c - <"$TMPD/$t.yaml" >"$TMPD/b" 2>&1
		cmp -s "$TMPD/a" "$TMPD/b"
		ok $? "$c $t: streamed, the same as kept whole"
	done
done
sed 's/id: m\([0-9]*\)\([,}]\)/id: a-rather-long-name-of-a-device-\1\2/' \
    "$TMPD/c3.yaml" >"$TMPD/c3long.yaml"
both $V replay -p span --keep-going "$TMPD/c3long.yaml"
VMAPVIEW_THREADS=2 $V replay -p span --keep-going "$TMPD/c3long.yaml" |
    grep -q 'in use by a-rather-long-name-of-a-device-[0-9]* (event'
ok $? "a panic names the long id in the way"

# A vmap with an id unmapped by its address is gone: the mapping that
# takes its place is the one span's panic runs into.
awk '/id: win2/ {
	print "  - {op: vmap, pa: 0x20001000, size: 4M, id: ghost}"
	print "  - {op: vunmap, va: 0xe0800000, size: 4M}"
} { print }' traces/span-bug.yaml >"$TMPD/ghost.yaml"
for th in 1 2; do
	VMAPVIEW_THREADS=$th $V replay -p span "$TMPD/ghost.yaml" >"$TMPD/a"
	grep -q 'in use by win2 (event 5)' "$TMPD/a"
	ok $? "threads $th: a vmap unmapped by its address owns no page"
done
$V replay -p span - <"$TMPD/ghost.yaml" >"$TMPD/a"
grep -q 'in use by win2 (event 5)' "$TMPD/a"
ok $? "standard input: a vmap unmapped by its address owns no page"

# The first divergence names its event's id whole, however long.
long=$(printf '%080d' 0 | tr 0 p)
sed "s/poke2\([,}]\)/${long}2\1/" traces/devtest.yaml >"$TMPD/long.yaml"
VMAPVIEW_THREADS=2 $V compare "$TMPD/long.yaml" >"$TMPD/out"
grep -q "^  first address at event 8, vmap ${long}2 of 32M" "$TMPD/out"
ok $? "compare: the first divergence's id of 81 bytes, whole"

# Every bad trace: the same one line as check gives, through the relay.
for f in tests/bad/*.yaml; do
	name=$(basename "$f" .yaml)
	for c in "replay --summary" "compare" "view"; do
		VMAPVIEW_THREADS=2 $V $c "$f" </dev/null >"$TMPD/out" \
		    2>"$TMPD/err"
		st=$?
		if [ "$st:$(wc -c <"$TMPD/out")" = "2:0" ] &&
		    cmp -s "$TMPD/err" "tests/bad/$name.err"; then
			ok 0 "$c $name: check's message, exit 2"
		else
			ok 1 "$c $name: check's message, exit 2"
			sed 's/^/# /' "$TMPD/err" | head -3
		fi
	done
done

done_testing
