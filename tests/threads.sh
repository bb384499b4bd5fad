#!/bin/sh
# The relay (the sink on a thread of its own) changes nothing but the
# time: replay --summary, compare and check say the same, to the byte,
# on one thread and on two, for good traces, a trace whose machine
# follows its events, and a trace with an error far into it.
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
	for p in plan9 span span-fixed reclaim; do
		both "$V" replay --summary -p "$p" "$t"
	done
	both "$V" replay --summary --format yaml -p span-fixed "$t"
	both "$V" compare "$t"
	both "$V" compare --format yaml "$t"
done

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
