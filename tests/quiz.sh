#!/bin/sh
# vmapview quiz: it runs on every bundled trace under every policy, the
# same seed gives the same bytes, --answers says what replay says of each
# question's event, --check grades right, half, wrong and bad answers,
# and its errors.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
V=$VMAPVIEW

# replay's answer for event E of a YAML report: "ok at VA: WHY" or
# "RESULT: WHY", as the quiz words it
yamlanswer() {
	awk -v e="$2" '
	index($0, "- {seq: " e ",") == 1 {
		r = $0; sub(/.*result: /, "", r); sub(/,.*/, "", r)
		va = ""
		if (index($0, " va: ")) {
			va = $0; sub(/.* va: /, "", va); sub(/,.*/, "", va)
		}
		t = $0; sub(/.*reason: \{code: [^,]*, text: /, "", t)
		if (substr(t, 1, 1) == "\047") {
			out = ""
			for (i = 2; i <= length(t); i++) {
				c = substr(t, i, 1)
				if (c == "\047" && substr(t, i + 1, 1) == "\047") {
					out = out c; i++
				} else if (c == "\047")
					break
				else
					out = out c
			}
			t = out
		} else
			sub(/(, [a-z-]+: |\}).*/, "", t)
		print r (r == "ok" ? " at " va : "") ": " t
	}' "$1"
}

checked=0
bad=0
for t in traces/*.yaml; do
	n=$(basename "$t" .yaml)
	for p in $POLICIES; do
		"$V" quiz --answers -p "$p" "$t" >"$TMPD/q" 2>"$TMPD/err"
		st=$?
		if [ $st -ne 0 ]; then
			ok 1 "quiz $n under $p: exit 0"
			sed 's/^/# /' "$TMPD/err"
			continue
		fi
		"$V" replay --format yaml -p "$p" "$t" >"$TMPD/r" 2>/dev/null
		sed -n 's/^[0-9][0-9]*\. event \([0-9][0-9]*\): .*/\1/p' "$TMPD/q" >"$TMPD/evs"
		sed -n 's/^   answer: //p' "$TMPD/q" >"$TMPD/ans"
		i=0
		while read -r e; do
			i=$((i + 1))
			got=$(sed -n "${i}p" "$TMPD/ans")
			want=$(yamlanswer "$TMPD/r" "$e")
			checked=$((checked + 1))
			if [ "$got" != "$want" ]; then
				bad=$((bad + 1))
				[ $bad -le 3 ] && printf '# %s %s event %s\n# got:  %s\n# want: %s\n' \
				    "$n" "$p" "$e" "$got" "$want"
			fi
		done <"$TMPD/evs"
	done
done
ok $((bad != 0)) "--answers agrees with replay on every question of every bundled trace under every policy ($checked questions)"
[ "$checked" -ge 40 ]
ok $? "... and there were questions: $checked"

# the same seed, the same bytes; another, another quiz
"$V" quiz --seed 3 traces/boot.yaml >"$TMPD/a" && "$V" quiz --seed 3 traces/boot.yaml >"$TMPD/b"
cmp -s "$TMPD/a" "$TMPD/b"
ok $? "the same seed, the same bytes"
"$V" quiz --seed 4 traces/boot.yaml >"$TMPD/c"
cmp -s "$TMPD/a" "$TMPD/c"
ok $((! $?)) "another seed, other questions"
holds "$TMPD/a" "(. blank, 4M a 4 MiB page, a number: a page table and its PTEs in use;" \
    "each question after a picture of the vmap"
grep -q '^1\. event [0-9]*: vmap(0x[0-9a-f]*, [0-9]*[KMG]*) under plan9 — where does it land?$' "$TMPD/a"
ok $? "a question as the quiz words it"

# what teaches comes first: devtest's first failure under plan9
"$V" quiz --count 1 --answers traces/devtest.yaml >"$TMPD/one"
holds "$TMPD/one" "1. event 20: vmap(0x00002000, 32M) under plan9" \
    "one question: the first failure"
"$V" quiz --count 1 --answers -p span traces/devtest.yaml >"$TMPD/span1"
holds "$TMPD/span1" "answer: ok at 0xe0c00000: a run of 8192 pages over the tables of PDEs 899-906" \
    "under span: a vmap that lands in stale tables, spanning them"

# --check: right, half (the PDE), wrong, not an answer, none
"$V" quiz --answers --seed 1 traces/devtest.yaml >"$TMPD/ans5"
sed -n 's/^   answer: ok at \(0x[0-9a-f]*\):.*/\1/p' "$TMPD/ans5" >"$TMPD/addrs"
a1=$(sed -n 1p "$TMPD/addrs")
a2=$(sed -n 2p "$TMPD/addrs")
r1=$(sed -n 's/^   answer: //p' "$TMPD/ans5" | grep -n "^ok at $a1:" | head -1 | cut -d: -f1)
r2=$(sed -n 's/^   answer: //p' "$TMPD/ans5" | grep -n "^ok at $a2:" | sed -n 1p | cut -d: -f1)
[ "$a2" = "$a1" ] && r2=$(sed -n 's/^   answer: //p' "$TMPD/ans5" | grep -n "^ok at $a2:" | sed -n 2p | cut -d: -f1)
# an answer file: question r1 right, r2 its PDE only, the rest wrong or bad
i=1
: >"$TMPD/mine"
while [ $i -le 5 ]; do
	if [ "$i" = "$r1" ]; then echo "$a1"
	elif [ "$i" = "$r2" ]; then printf '%d\n' $(( $a2 >> 22 ))
	elif [ $i -eq 5 ]; then echo "banana"
	else echo "0x00001000"
	fi >>"$TMPD/mine"
	i=$((i + 1))
done
"$V" quiz --seed 1 --check "$TMPD/mine" traces/devtest.yaml >"$TMPD/graded" 2>"$TMPD/err"
ok $? "--check: exit 0"
holds "$TMPD/graded" "score 1.5 of 5" "a right answer, a right PDE (half), three wrong: 1.5 of 5"
holds "$TMPD/graded" "half: the right PDE ($(( $a2 >> 22 ))), not the page: it landed at $a2" \
    "the half said"
holds "$TMPD/err" "mine:5: 'banana' is not an address, a PDE, fail, panic or refused; counted wrong" \
    "a line that is no answer: a warning naming FILE:LINE"
printf 'fail\n' >"$TMPD/short"
"$V" quiz --seed 1 --check "$TMPD/short" traces/devtest.yaml >"$TMPD/g2" 2>/dev/null
grep -c '(no answer) — wrong: no answer' "$TMPD/g2" | grep -q '^4$'
ok $? "answers missing: each counted wrong"

# a read error is no end of the answers: status 2, nothing graded
"$V" quiz --check "$TMPD" traces/devtest.yaml >"$TMPD/g3" 2>"$TMPD/err"
same "$?:$(grep -c score "$TMPD/g3"):$(sed "s|$TMPD|DIR|" "$TMPD/err")" \
    "2:0:vmapview: --check DIR: Is a directory" "--check of a directory: an error"

# errors: a trace with no vmap, too many questions, both modes
printf 'vmaptrace: 1\nevents:\n- {op: note, text: nothing}\n' >"$TMPD/novmap.yaml"
"$V" quiz "$TMPD/novmap.yaml" >/dev/null 2>"$TMPD/err"
same "$?:$(sed "s|$TMPD/||" "$TMPD/err")" \
    "2:vmapview: quiz: novmap.yaml: no vmap to ask about under plan9" "a trace with no vmap: exit 2"
"$V" quiz --count 50 traces/devtest.yaml >/dev/null 2>"$TMPD/err"
same "$?:$(cat "$TMPD/err")" "2:vmapview: quiz: --count 50: devtest has 14 vmaps that run under plan9" \
    "--count past the vmaps: exit 2"
"$V" quiz --answers --check "$TMPD/mine" traces/devtest.yaml >/dev/null 2>&1
same "$?" 2 "--answers and --check: a usage error"
# On a terminal: the question, the answer typed, its grade, the vmap after
. "$top_srcdir/tests/term.sh"
if term_start; then
	cat >"$TMPD/i.sh" <<EOS
export LC_ALL=C.UTF-8
'$V' quiz --count 1 traces/devtest.yaml
echo "exit \$?"
$T wait-for -S quizi
sleep 60
EOS
	$T new-session -d -s quizi -x 100 -y 50 "sh $TMPD/i.sh"
	# typed once it asks (typed before, the terminal would echo it early)
	i=0
	while [ $i -lt 200 ] && ! $T capture-pane -t quizi -p | grep -q 'your answer'; do
		sleep 0.05
		i=$((i + 1))
	done
	$T send-keys -t quizi 'fail' Enter
	$T wait-for quizi
	$T capture-pane -t quizi -p -S -200 >"$TMPD/i.txt"
	holds "$TMPD/i.txt" "your answer (an address, a PDE, fail, panic or refused): fail" \
	    "on a terminal: asked, the answer typed"
	holds "$TMPD/i.txt" "1. event 20: fail — right" "... graded"
	holds "$TMPD/i.txt" "the vmap after it:" "... the vmap after the call"
	holds "$TMPD/i.txt" "score 1 of 1" "... and the score"
	holds "$TMPD/i.txt" "exit 0" "... exit 0"
else
	for i in 1 2 3 4 5; do skip "tmux is not installed"; done
fi
done_testing
