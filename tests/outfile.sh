#!/bin/sh
# Output files never destroy what is at their path (-o, --record-expect):
# a FIFO or a device is written through in place, a symbolic link is
# followed and its target replaced, a regular file keeps its mode and
# owner, a read-only directory is an error that changes nothing, and
# the trace being read is never written over.  Everything is made in a
# temporary directory; of /dev only /dev/null and /dev/full are written,
# and they are checked to be character devices still.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
V=$VMAPVIEW
D=$TMPD/o
mkdir "$D"
"$V" gen devtest --pokes 3 >"$TMPD/want.yaml"

# unchanged FILE SUM DESCRIPTION: FILE still has the checksum SUM.
unchanged() {
	same "$(cksum <"$1")" "$2" "$3"
}

# A FIFO: its reader gets the trace; it is a FIFO still.
mkfifo "$D/fifo"
timeout 20 cat "$D/fifo" >"$D/fromfifo" &
reader=$!
timeout 20 "$V" gen devtest --pokes 3 -o "$D/fifo"
same "$?" 0 "-o FIFO: exit 0"
[ -p "$D/fifo" ]
ok $? "-o FIFO: still a FIFO"
[ -p "$D/fifo" ] || kill "$reader" 2>/dev/null
wait "$reader"
cmp -s "$D/fromfifo" "$TMPD/want.yaml"
ok $? "-o FIFO: the reader got the whole trace"

# A FIFO whose reader goes away: quiet, as a pipe into head is.
(trap '' PIPE; timeout 20 "$V" gen churn --events 50000 -o "$D/fifo" \
    2>"$TMPD/err"; echo $? >"$TMPD/st") &
writer=$!
timeout 20 head -c 100 "$D/fifo" >/dev/null
wait "$writer"
same "$(cat "$TMPD/st"):$(cat "$TMPD/err")" "0:" \
    "-o FIFO, its reader gone (SIGPIPE ignored): quiet, exit 0"

# A symbolic link: the target replaced, its mode kept; the link stays.
mkdir "$D/a" "$D/b"
echo old >"$D/b/target"
chmod 640 "$D/b/target"
ln -s ../b/target "$D/a/link"
"$V" gen devtest --pokes 3 -o "$D/a/link"
same "$?" 0 "-o LINK: exit 0"
same "$(readlink "$D/a/link")" "../b/target" "-o LINK: the link stays"
cmp -s "$D/b/target" "$TMPD/want.yaml"
ok $? "-o LINK: its target holds the trace"
same "$(stat -c %a "$D/b/target")" 640 "-o LINK: the target keeps its mode"
same "$(ls -A "$D/a" "$D/b" | tr '\n' ' ')" "$D/a: link  $D/b: target " \
    "-o LINK: no temporary file left"
ln -s nowhere "$D/dangling"
"$V" gen devtest --pokes 3 -o "$D/dangling"
cmp -s "$D/nowhere" "$TMPD/want.yaml"
ok $? "-o DANGLING-LINK: the file it names is made"
ln -s loop2 "$D/loop1"
ln -s loop1 "$D/loop2"
"$V" gen devtest -o "$D/loop1" 2>"$TMPD/err"
same "$?:$(sed "s|$D/||" "$TMPD/err")" \
    "2:vmapview: loop1: Too many levels of symbolic links" \
    "-o LINK-LOOP: an error"

# Regular files: a new one gets 0666 & ~umask, an old one its mode.
(umask 027 && "$V" gen devtest -o "$D/new027")
same "$(stat -c %a "$D/new027")" 640 "a new file under umask 027: 640"
(umask 022 && "$V" gen devtest -o "$D/new022")
same "$(stat -c %a "$D/new022")" 644 "a new file under umask 022: 644"
echo old >"$D/mine"
chmod 604 "$D/mine"
"$V" gen devtest --pokes 3 -o "$D/mine"
same "$(stat -c %a "$D/mine")" 604 "an existing file keeps its mode"
cmp -s "$D/mine" "$TMPD/want.yaml"
ok $? "... and holds the trace"
if [ "$(id -u)" -eq 0 ]; then
	echo old >"$D/theirs"
	chown 65534:65534 "$D/theirs"
	"$V" gen devtest --pokes 3 -o "$D/theirs"
	same "$(stat -c %u:%g "$D/theirs")" 65534:65534 \
	    "an existing file keeps its owner (as root)"
else
	skip "keeping another user's ownership needs root"
fi

# A read-only directory: an error naming it, the file as it was.  Root
# writes anywhere, so as root the program runs as nobody.
asuser=
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		mkdir "$TMPD/bin"
		cp "$V" "$TMPD/bin/vmapview"
		chmod 755 "$TMPD" "$TMPD/bin" "$D"
		asuser="setpriv --reuid=65534 --regid=65534 --clear-groups"
	else
		asuser=none
	fi
fi
if [ "$asuser" = none ]; then
	skip "a read-only directory: root, and no setpriv to drop it"
	skip "the same"
	skip "the same"
else
	mkdir "$D/ro"
	echo keep >"$D/ro/file"
	chmod 666 "$D/ro/file"
	chmod 555 "$D/ro"
	sum=$(cksum <"$D/ro/file")
	if [ -n "$asuser" ]; then
		$asuser "$TMPD/bin/vmapview" gen devtest -o "$D/ro/file" \
		    2>"$TMPD/err"
	else
		"$V" gen devtest -o "$D/ro/file" 2>"$TMPD/err"
	fi
	same "$?" 2 "-o into a read-only directory: exit 2"
	grep -q "cannot write a temporary file in $D/ro: Permission denied" \
	    "$TMPD/err"
	ok $? "... the error names the directory and the cause"
	unchanged "$D/ro/file" "$sum" "... the file is as it was"
	chmod 755 "$D/ro"
fi

# The trace being read, by any name: refused, nothing written.
cp traces/devtest.yaml "$D/t.yaml"
ln -s t.yaml "$D/t-link.yaml"
ln "$D/t.yaml" "$D/t-hard.yaml"
sum=$(cksum <"$D/t.yaml")
"$V" replay --record-expect "$D/t.yaml" "$D/t.yaml" >"$TMPD/out" \
    2>"$TMPD/err"
same "$?:$(wc -c <"$TMPD/out")" "2:0" \
    "--record-expect over the trace read: exit 2, no report"
same "$(sed "s|$D/||" "$TMPD/err")" \
    "vmapview: t.yaml is the trace being read: nothing written" \
    "... and says why"
"$V" replay --record-expect "$D/t-link.yaml" "$D/t.yaml" >/dev/null 2>&1
same "$?" 2 "... through a symbolic link"
"$V" replay --record-expect "$D/t-hard.yaml" "$D/t-link.yaml" >/dev/null \
    2>&1
same "$?" 2 "... through a hard link"
"$V" replay --record-expect "$D/t.yaml" - <"$D/t.yaml" >/dev/null 2>&1
same "$?" 2 "... read from standard input"
"$V" export -o "$D/t-link.yaml" "$D/t.yaml" 2>/dev/null
same "$?" 2 "export -o over the trace read: exit 2"
unchanged "$D/t.yaml" "$sum" "the trace is as it was"
same "$(readlink "$D/t-link.yaml")" t.yaml "... its link too"
printf 'vmap 0xfee00000 1024 -> 0xe0000000\n' >"$D/c.log"
sum=$(cksum <"$D/c.log")
"$V" import -o "$D/c.log" "$D/c.log" 2>"$TMPD/err"
same "$?:$(sed "s|$D/||" "$TMPD/err")" \
    "2:vmapview: c.log is the log being read: nothing written" \
    "import -o over the log read: exit 2"
unchanged "$D/c.log" "$sum" "the log is as it was"

# -o - is standard output.
"$V" gen devtest --pokes 3 -o - >"$D/dash"
cmp -s "$D/dash" "$TMPD/want.yaml"
ok $? "-o -: standard output"
"$V" export --at 3 -o - traces/devtest.yaml | grep -c '<svg' >"$TMPD/n"
same "$(cat "$TMPD/n")" 1 "export -o -: standard output"
"$V" gen devtest --pokes 3 -o /proc/self/fd/1 >"$D/fd1"
cmp -s "$D/fd1" "$TMPD/want.yaml"
ok $? "-o /proc/self/fd/1 (a descriptor's name): written through"
same "$(ls -A "$D" | grep -c '^\.')" 0 "no temporary file left anywhere"

# Devices: written through, still devices after.  A device of the
# test's own first (as root); /dev/null and /dev/full only when it and
# the FIFO came through, so that a program that replaces what it writes
# cannot take them.
devsafe=1
[ -p "$D/fifo" ] || devsafe=0
if [ "$(id -u)" -ne 0 ]; then
	skip "a device of the test's own needs root for mknod"
	skip "the same"
elif ! mknod "$D/null" c 1 3 2>/dev/null; then
	skip "mknod is not allowed here"
	skip "the same"
elif ! (: >"$D/null") 2>/dev/null; then
	skip "devices cannot be opened on this file system (nodev)"
	skip "the same"
else
	"$V" gen devtest -o "$D/null"
	same "$?" 0 "-o a character device made with mknod: exit 0"
	[ -c "$D/null" ]
	st=$?
	ok $st "... a character device still"
	[ $st -eq 0 ] || devsafe=0
fi
if [ $devsafe -eq 0 ]; then
	for n in 1 2 3 4 5 6; do
		ok 1 "/dev/null and /dev/full not tried: a FIFO or device was replaced"
	done
else
	"$V" gen devtest -o /dev/null
	same "$?" 0 "-o /dev/null: exit 0"
	[ -c /dev/null ]
	ok $? "/dev/null is a character device still"
	"$V" gen churn --events 2000 -o /dev/full 2>"$TMPD/err"
	same "$?:$(cat "$TMPD/err")" \
	    "2:vmapview: /dev/full: No space left on device" \
	    "-o /dev/full: exit 2, the disk is full"
	[ -c /dev/full ]
	ok $? "/dev/full is a character device still"
	"$V" replay --record-expect /dev/full traces/boot.yaml >/dev/null 2>&1
	same "$?" 2 "--record-expect /dev/full: exit 2"
	[ -c /dev/full ]
	ok $? "... /dev/full is a character device still"
fi
done_testing
