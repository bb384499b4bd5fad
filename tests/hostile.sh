#!/bin/sh
# Untrusted input, tried as a hostile user would: bytes that are not
# UTF-8, control characters that arrive by escape, signals in the middle
# of a write, inputs too large to hold, read errors, a terminal that is
# not there.  Each numbered group is a case of the issue it answers;
# each test failed before the code it guards was written.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$TMPD" || exit 1
V=$VMAPVIEW
T=$top_srcdir/traces
export XDG_CACHE_HOME=$TMPD/cache

# utf8 FILE: whether FILE is valid UTF-8 with no control byte but a
# newline or a tab.
utf8() {
	python3 -c '
import sys
s = open(sys.argv[1], "rb").read().decode("utf-8")
sys.exit(any(ord(c) < 32 and c not in "\n\t" or 0x7f <= ord(c) <= 0x9f
             for c in s))
' "$1" 2>/dev/null
}

# noraw FILE: whether FILE holds no ESC, BEL or other C0 control but a
# newline, a tab or a carriage return.
noraw() {
	! LC_ALL=C grep -q "$(printf '[\001-\010\013\014\016-\037\177]')" "$1"
}

# 1. Bytes that are not UTF-8 reach the emitter mended, and every
# writer's output reads back.
printf '[1.0] \225x: vmap 0x2000 4096 -> 0xe0000000\n' >bad.log
timeout 20 "$V" import bad.log >bad.yaml 2>bad.err
same $? 0 "import: a caller that is not UTF-8: exit 0, no hang, no abort"
utf8 bad.yaml
ok $? "import: the trace it writes is UTF-8"
grep -q 'id: "\?�x-1' bad.yaml
ok $? "import: the bad byte is U+FFFD in the id"
"$V" check bad.yaml >/dev/null 2>&1
ok $? "import: check takes the trace it wrote"
timeout 20 "$V" import --name "$(printf '\377')" bad.log >name.yaml 2>/dev/null
same $? 0 "import --name with a byte that is not UTF-8: exit 0"
utf8 name.yaml && "$V" check name.yaml >/dev/null 2>&1
ok $? "import --name: a trace that is UTF-8 and that check takes"
bad=$(printf 'n\377\033.yaml')
printf 'vmaptrace: 1\nevents:\n  - {op: vmap, pa: 0x2000, size: 4K, id: a}\n' \
    >"$bad"
for c in "replay --format yaml" "compare --format yaml" "probe --sizes"; do
	timeout 20 "$V" $c "$bad" >out.yaml 2>/dev/null
	st=$?
	[ $st -eq 0 ] && utf8 out.yaml
	ok $? "$c of a file whose name is not UTF-8: exit 0, UTF-8 out"
done
timeout 60 "$V" shrink --until fail -p plan9 -o shrunk.yaml \
    "$T/devtest.yaml" >/dev/null 2>&1
cp "$T/devtest.yaml" "$bad"
sed -i '/^name:/d' "$bad"
timeout 60 "$V" shrink -o shrunk.yaml "$bad" >/dev/null 2>&1
st=$?
[ $st -eq 0 ] && utf8 shrunk.yaml && "$V" check shrunk.yaml >/dev/null 2>&1
ok $? "shrink -o of a trace with no name, whose file's name is not UTF-8"

# 2. --record-expect on the single-value form of expect.
cat >one.yaml <<'EOF'
vmaptrace: 1
events:
  - {op: vmap, pa: 0x2000, size: 4K, id: a, expect: fail}
EOF
mkdir rec
"$V" replay --record-expect rec/o.yaml one.yaml >/dev/null 2>rec.err
same $? 1 "--record-expect of expect: fail: exit 1 (it failed), no crash"
same "$(ls -A rec)" "o.yaml" "--record-expect: no temporary file left"
grep -q 'expect: {plan9: 0xe0000000, span: fail' rec/o.yaml
ok $? "--record-expect: plan9's result recorded, the others kept"
"$V" check rec/o.yaml >/dev/null 2>&1
ok $? "--record-expect: the trace it writes reads back"

# 3. Control characters that arrive by escape are refused where they
# are, and never written raw.
printf 'vmaptrace: 1\nname: "\\e]0;owned\\a"\nevents: []\n' >title.yaml
printf 'vmaptrace: 1\nevents: [{op: "\\e[2J", pa: 0, size: 1}]\n' >op.yaml
printf 'vmaptrace: 1\nevents: [{op: note, text: "a\\u009bb"}]\n' >c1.yaml
for c in check replay "export -o x.svg"; do
	"$V" $c title.yaml >out 2>err
	same "$? $(cat err)" \
	    "2 title.yaml:2:7: a control character (\\e) in a value, at its byte 1" \
	    "$c: a name with an escape's ESC is refused where it is"
	noraw out && noraw err
	ok $? "$c: no raw control byte written"
done
"$V" check op.yaml >out 2>err
same "$? $(cat err)" \
    "2 op.yaml:2:15: a control character (\\e) in a value, at its byte 1" \
    "check: an op of ESC [2J is refused, not echoed"
noraw err
ok $? "check: the op's ESC is not in the message"
"$V" check c1.yaml >out 2>err
same "$? $(cat err)" \
    "2 c1.yaml:2:27: a control character (\\xc2\\x9b) in a value, at its byte 2" \
    "check: a C1 control (CSI) is refused too"
esc=$(printf 'e\033]0;x\007.yaml')
cp "$T/span-bug.yaml" "$esc"
sed -i '/^name:/d' "$esc"
"$V" export --at 3 -o pic.svg "$esc" 2>err
same $? 0 "export of a trace whose file's name holds ESC and BEL"
noraw pic.svg
ok $? "export: no raw control byte in the SVG"
python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' \
    pic.svg 2>/dev/null
ok $? "export: the SVG is well-formed XML"
"$V" replay "$esc" >out 2>err
noraw out && noraw err
ok $? "replay: the file's name is shown without its control bytes"
"$V" check "$(printf 'no\033[2Jsuch')" >out 2>err
noraw err
ok $? "a missing file's name is said with its ESC escaped"
kf=$(printf 'k\033[2J\377.c')
cp "$top_srcdir/tests/kernel/labs.c" "$kf"
"$V" replay -p "$kf" "$T/devtest.yaml" >out 2>err
same $? 0 "a kernel file whose name holds ESC: replayed"
noraw out && noraw err && utf8 out
ok $? "... its name, the policy's, shown as text"
"$V" export --at 20 -p "$kf" -o kf.svg "$T/devtest.yaml" 2>err
noraw kf.svg && utf8 kf.svg
ok $? "... and in the SVG"

# 4. Temporary files go on the signals that end a write; series do not
# overwrite what they read; -o DIR is made.
for s in TERM HUP INT; do
	mkdir sig$s
	timeout -s $s 0.5 "$V" gen churn --events 5000000 -o sig$s/big.yaml \
	    >/dev/null 2>&1
	same "$(ls -A sig$s)" "" "SIG$s during gen -o: no temporary file left"
done
mkdir xfsz
(ulimit -f 64; "$V" gen churn --events 100000 -o xfsz/big.yaml) \
    >/dev/null 2>xfsz.err
same "$? $(ls -A xfsz)" "2 " "a file size limit: exit 2, nothing left"
grep -q 'big.yaml: File too large' xfsz.err
ok $? "a file size limit: said as a write error"
mkdir frames
cp "$T/devtest.yaml" frames/0002.svg
"$V" export --at 1..3 -o frames frames/0002.svg >/dev/null 2>err
same "$? $(ls frames)" "2 0002.svg" \
    "export --at 1..3: a frame that is the trace: no frame written"
cmp -s frames/0002.svg "$T/devtest.yaml"
ok $? "export --at 1..3: the trace is as it was"
"$V" export --at 1..2 -o deep/er/dir "$T/devtest.yaml" 2>err
same "$? $(ls deep/er/dir | tr '\n' ' ')" "0 0001.svg 0002.svg " \
    "export --at 1..2 -o a/b/c: the directories are made"

# 5. Limits are checked before memory is spent.
bound=65536	# KiB, with AddressSanitizer too
{
	printf 'vmaptrace: 1\nname: '
	head -c 300000000 /dev/zero | tr '\0' a
	printf '\nevents: []\n'
} >huge.yaml
peak "$V" check huge.yaml
same "$peak_st $(cat "$TMPD/peak.err")" \
    "2 huge.yaml:2:5: a value (or a comment) longer than 1081344 bytes follows: a value is at most 1048576" \
    "a 300 MB scalar: refused with its place"
[ "$peak_kb" -le $bound ]
ok $? "a 300 MB scalar: at most $((bound / 1024)) MiB resident ($((peak_kb / 1024)) MiB)"
rm huge.yaml
{
	head -c 300000000 /dev/zero | tr '\0' a
	printf '\n'
} >huge.log
peak "$V" import huge.log
same "$peak_st $(cat "$TMPD/peak.err")" \
    "2 huge.log:1: a line longer than 65536 bytes: a log's line is at most that" \
    "import: a 300 MB line refused with its place"
[ "$peak_kb" -le $bound ]
ok $? "import: a 300 MB line, at most $((bound / 1024)) MiB resident ($((peak_kb / 1024)) MiB)"
rm huge.log
peak timeout 20 "$V" replay -p /dev/zero "$T/devtest.yaml"
same "$peak_st $(cat "$TMPD/peak.err")" \
    "2 vmapview: /dev/zero: not a regular file: a kernel file must be one" \
    "-p /dev/zero: refused, not read"
head -c 5000000 /dev/zero | tr '\0' ' ' >big.c
"$V" replay -p big.c "$T/devtest.yaml" >/dev/null 2>err
same "$? $(cat err)" \
    "2 vmapview: big.c: larger than 4 MiB: a kernel file is at most that" \
    "-p with a 5 MB file: refused"

# 6. A read error is not the end of the input.
mkdir adir
"$V" import adir >out 2>err
same "$? $(wc -c <out)" "2 0" "import of a directory: exit 2, nothing written"
"$V" import - >out 2>err <&-
same "$? $(wc -c <out)" "2 0" "import with standard input closed: exit 2, nothing written"
grep -q 'Bad file descriptor' err
ok $? "import with standard input closed: the read error said"
"$V" check - >out 2>err <&-
same "$?" 2 "check with standard input closed: exit 2"
"$V" replay "$T/devtest.yaml" >&- 2>err
same "$? $(cat err)" "2 vmapview: writing the output: Bad file descriptor" \
    "replay with standard output closed: the write error said"

# 8. Smaller: a NUL inside a number or a key, an overlong UTF-8
# sequence from any input, a kernel's huge print width.
printf 'vmaptrace: 1\nevents: [{op: vmap, pa: "0x1000\\0zz", size: 4K}]\n' \
    >nul.yaml
"$V" check nul.yaml >out 2>err
same "$? $(cat err)" \
    "2 nul.yaml:2:25: a NUL byte (\\x00) in a value, at its byte 7" \
    "a pa with a NUL inside is refused, not read as 0x1000"
printf 'vmaptrace: 1\nevents: [{"op\\0x": vmap, pa: 0x1000, size: 4K}]\n' \
    >nulkey.yaml
"$V" check nulkey.yaml >out 2>err
same "$? $(cat err)" \
    "2 nulkey.yaml:2:11: a NUL byte (\\x00) in a value, at its byte 3" \
    "a key with a NUL inside is said to hold one"
printf 'vmaptrace: 1\nname: "a\300\257b"\nevents: []\n' >over.yaml
"$V" check over.yaml >out 2>err
same "$? $(cat err)" "2 over.yaml:2:9: invalid length of a UTF-8 sequence" \
    "an overlong UTF-8 sequence: its line and column"
"$V" check - <over.yaml >out 2>err
same "$? $(cat err)" "2 <stdin>:2:9: invalid length of a UTF-8 sequence" \
    "an overlong UTF-8 sequence on standard input: its line and column"
sed 's/print("vmap pa=0 pc=%#p\\n", getcallerpc(&pa));/print("vmap %2147483648d\\033[2J\\n", 1);/' \
    "$top_srcdir/tests/kernel/labs.c" >wide.c
grep -q '2147483648' wide.c
ok $? "a kernel file that prints with a width of 2^31"
printf 'vmaptrace: 1\nevents: [{op: vmap, pa: 0, size: 4K}]\n' >pa0.yaml
"$V" replay -p wide.c pa0.yaml >out 2>err
same $? 0 "its width: no overflow, no crash"
noraw out
ok $? "its ESC: not written raw"
grep -q 'refused.*it printed: vmap  ' out
ok $? "its print is the refusal's reason, cut to a message"

done_testing
