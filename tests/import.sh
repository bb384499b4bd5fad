#!/bin/sh
# vmapview import: a console log into a trace that replays as the kernel
# ran; lines that are not ours skipped and counted; errors name the line.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
V=$VMAPVIEW

"$V" import tests/logs/plan9.console >"$TMPD/t.yaml" 2>"$TMPD/err"
same "$?" 0 "import: exit 0"
same "$(cat "$TMPD/err")" \
    "tests/logs/plan9.console:14: dropped, vunmap of 0xe7000000, which no vmap of the log returned (a log that starts mid-run?); it has no size to keep it by
plan9.console: 16 lines, 10 events, 6 skipped, 1 orphan vunmap dropped" \
    "import: the lines counted, the orphan vunmap named"
cmp -s "$TMPD/t.yaml" tests/logs/plan9.yaml
ok $? "import: the trace (tests/logs/plan9.yaml)"
[ $? -eq 0 ] || diff tests/logs/plan9.yaml "$TMPD/t.yaml" | sed 's/^/# /'
"$V" replay -p plan9 "$TMPD/t.yaml" >"$TMPD/out"
same "$?" 0 "the imported trace replays as the kernel ran"
grep -q '^expect    10 held, 0 failed' "$TMPD/out"
ok $? "every recorded result is an expectation that holds"
"$V" import --no-expect tests/logs/plan9.console 2>/dev/null | grep -c expect \
    >"$TMPD/n"
same "$(cat "$TMPD/n")" 0 "--no-expect: no expectations"
"$V" import -p span tests/logs/plan9.console 2>/dev/null | grep -c 'span: ' \
    >"$TMPD/n"
same "$(cat "$TMPD/n")" 10 "-p span: the expectations are span's"

# Lines that name vmap or vunmap but are no call: skipped, each with a
# warning that names FILE:LINE and quotes it; --strict makes them errors.
cp tests/logs/plan9.console "$TMPD/console.log"
printf '[    3.600000] devtest: vmap failed\n' >>"$TMPD/console.log"
"$V" import "$TMPD/console.log" >"$TMPD/t.yaml" 2>"$TMPD/err"
same "$?" 0 "a line that names vmap but is no call: exit 0"
same "$(sed "s|$TMPD/||" "$TMPD/err")" \
    'console.log:14: dropped, vunmap of 0xe7000000, which no vmap of the log returned (a log that starts mid-run?); it has no size to keep it by
console.log:17: skipped, expected vmap PA SIZE -> VA: "[    3.600000] devtest: vmap failed"
console.log: 17 lines, 10 events, 7 skipped, 1 of them naming vmap or vunmap, 1 orphan vunmap dropped' \
    "... one warning quoting it, and the count"
same "$(grep -c 'op: v' "$TMPD/t.yaml")" 10 "... the calls around it imported"
"$V" import --strict "$TMPD/console.log" >"$TMPD/out" 2>"$TMPD/err"
same "$?:$(sed "s|$TMPD/||" "$TMPD/err" | grep -v dropped):$(wc -c <"$TMPD/out")" \
    '2:console.log:17: expected vmap PA SIZE -> VA: "[    3.600000] devtest: vmap failed":0' \
    "--strict: an error that names the line, nothing written"
printf 'boot\nvmap 0x1000 4096\n' >"$TMPD/bad1.log"
"$V" import --strict "$TMPD/bad1.log" >"$TMPD/out" 2>"$TMPD/err"
same "$?:$(sed "s|$TMPD/||" "$TMPD/err"):$(wc -c <"$TMPD/out")" \
    '2:bad1.log:2: expected vmap PA SIZE -> VA: "vmap 0x1000 4096":0' \
    "--strict: a short vmap line"
printf '[1.0] x: vmap 0x10000000000000000 4096 -> 0xe0000000\n' >"$TMPD/bad2.log"
"$V" import --strict "$TMPD/bad2.log" 2>"$TMPD/err" >/dev/null
same "$?:$(sed "s|$TMPD/||" "$TMPD/err")" \
    '2:bad2.log:1: pa '"'"'0x10000000000000000'"'"' is not an address below 2^64: "[1.0] x: vmap 0x10000000000000000 4096 -> 0xe0000000"' \
    "--strict: a pa past 64 bits"
"$V" import "$TMPD/bad2.log" 2>"$TMPD/err" >/dev/null
same "$?:$(grep -c "bad2.log:1: skipped, pa '0x10000000000000000'" "$TMPD/err")" "0:1" \
    "without --strict: the pa past 64 bits skipped with a warning"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	echo "[$i.0] drv: vunmap nowhere"
done >"$TMPD/many.log"
"$V" import "$TMPD/many.log" 2>"$TMPD/err" >/dev/null
same "$(grep -c 'skipped, va' "$TMPD/err"):$(sed -n 11p "$TMPD/err")" \
    "10:many.log: 2 more lines that name vmap or vunmap but are no call, skipped" \
    "at most 10 warnings, then a count"
printf 'x: \033[2J vmap gone\n' | "$V" import - 2>"$TMPD/err" >/dev/null
same "$(head -1 "$TMPD/err")" 'stdin:1: skipped, not a vmap or vunmap call: "x: ?[2J vmap gone"' \
    "a quoted line carries no terminal controls"
printf '[2.0] vmap 0x1000 4096 -> 0xe0000000\n[1.0] vunmap 0xe0000000\n' \
    >"$TMPD/bad3.log"
"$V" import "$TMPD/bad3.log" 2>"$TMPD/err" >/dev/null
same "$?:$(sed "s|$TMPD/||" "$TMPD/err")" \
    "2:bad3.log:2: [1.0]: the time goes back" "time going back"

# The machine and the name of the imported trace.
"$V" import --kernel 9front --pse off --vmap 0xc0000000 --vmapsize 512M \
    --name mybox tests/logs/plan9.console 2>/dev/null >"$TMPD/m.yaml"
same "$(sed -n '/^name:/p;/^  vmap:/p;/^  vmapsize:/p;/^  pse:/p;/^  kernel:/p' \
    "$TMPD/m.yaml" | tr '\n' ' ')" \
    "name: mybox   vmap: 0xc0000000   vmapsize: 512M   pse: false   kernel: 9front " \
    "--kernel, --pse, --vmap, --vmapsize and --name set the trace's machine and name"
"$V" import --vmap 0xc0001000 tests/logs/plan9.console 2>"$TMPD/err" >/dev/null
same "$?:$(head -1 "$TMPD/err")" \
    "2:vmapview: import: --vmap: 0xc0001000 is not 4M-aligned" "--vmap not 4M-aligned: exit 2"
"$V" import --vmap 0xf0000000 --vmapsize 512M tests/logs/plan9.console \
    2>"$TMPD/err" >/dev/null
same "$?" 2 "--vmap and --vmapsize past 2^32: exit 2"
"$V" import - <tests/logs/plan9.console 2>"$TMPD/err" | grep '^name:' \
    >"$TMPD/out"
same "$(cat "$TMPD/out"):$(tail -1 "$TMPD/err" | cut -d: -f1)" "name: stdin:stdin" \
    "a log from standard input is named stdin"
"$V" import "$TMPD/nope.log" 2>/dev/null
same "$?" 2 "a missing log: exit 2"
printf 'vmap 0xfee00000 1024 -> 0xe0000000\n' |
    "$V" import - 2>/dev/null | "$V" check - >/dev/null
ok $? "import - reads standard input, check - reads the result"
# The C-call form people print by hand, a trace named after its file
# without the extension, and a warning for every other line that names
# vmap or vunmap, even in C's form.
printf '[1.0] drv: vmap(0x2000, 33554432) = 0xe0c00000\n[2.0] drv: vunmap(0xe0c00000, 33554432)\n[3.0] drv: vmap(0x3000) = 0x1\nvmapalloc: fine\n' \
    >"$TMPD/console.log"
"$V" import "$TMPD/console.log" >"$TMPD/t.yaml" 2>"$TMPD/err"
same "$?" 0 "vmap(PA, SIZE) = VA: exit 0"
same "$(grep -c '^- {op: v' "$TMPD/t.yaml")" 2 "... a vmap and a vunmap"
grep -q '^- {op: vmap, pa: 0x00002000, size: 32M, id: drv-1, t: 1, expect: {plan9: 0xe0c00000}, note: drv}$' "$TMPD/t.yaml"
ok $? "... the vmap as the kernel gave it"
grep -q '^- {op: vunmap, id: drv-1,' "$TMPD/t.yaml"
ok $? "... the vunmap tied to it"
grep -q '^name: console$' "$TMPD/t.yaml"
ok $? "... named console, not console.log"
same "$(sed "s|$TMPD/||" "$TMPD/err")" \
    'console.log:3: skipped, expected vmap(PA, SIZE) = VA: "[3.0] drv: vmap(0x3000) = 0x1"
console.log: 4 lines, 2 events, 2 skipped, 1 of them naming vmap or vunmap' \
    "... a warning for the malformed call, none for vmapalloc"
"$V" import --strict "$TMPD/console.log" >/dev/null 2>&1
same "$?" 2 "... an error under --strict"

# A log that starts mid-run: a vunmap of an address no vmap of the log
# returned is dropped, named, unless --keep-orphans keeps it.
printf '[1.0] drv: vunmap 0xe0c00000 4096\n[2.0] drv: vmap 0x2000 4096 -> 0xe0000000\n' \
    >"$TMPD/mid.log"
"$V" import "$TMPD/mid.log" >"$TMPD/t.yaml" 2>"$TMPD/err"
same "$(sed "s|$TMPD/||" "$TMPD/err")" \
    'mid.log:1: dropped, vunmap of 0xe0c00000, which no vmap of the log returned (a log that starts mid-run?)
mid.log: 2 lines, 1 events, 1 skipped, 1 orphan vunmap dropped' \
    "mid-run: the orphan vunmap dropped, named and counted"
"$V" replay "$TMPD/t.yaml" >/dev/null 2>&1
same "$?" 0 "... and the trace replays without a panic"
"$V" import --keep-orphans "$TMPD/mid.log" >"$TMPD/t.yaml" 2>"$TMPD/err"
grep -q '^- {op: vunmap, va: 0xe0c00000, size: 4K' "$TMPD/t.yaml"
ok $? "--keep-orphans: kept as a raw vunmap"
tail -1 "$TMPD/err" | grep -q ', 1 vunmaps kept as raw addresses, 1 orphan vunmap kept$'
ok $? "... and counted"

# A pa past 4G: read whole, its nil the kernel's refusal; replays as recorded
printf '[1.0] virtio: vmap 0x4000000000 8192 -> 0\n[1.1] apic: vmap 0xfee00000 4096 -> 0xe0000000\n' >"$TMPD/wide.log"
"$V" import --kernel 9front "$TMPD/wide.log" -o "$TMPD/wide.yaml" 2>/dev/null
holds "$TMPD/wide.yaml" "{op: vmap, pa: 0x4000000000, size: 8K, t: 1, expect: {plan9: refused}, note: virtio}" \
    "a pa past 4G imported whole, its nil a refusal"
"$V" replay "$TMPD/wide.yaml" >/dev/null
ok $? "... and replayed under 9front as recorded"

# Linux's /proc/vmallocinfo, known by its shape: each ioremap a vmap of its
# size less the guard page, at its phys=, in the file's order
L=$top_srcdir/tests/logs/kvm-virtio.vmallocinfo
"$V" import --kernel 9front --name kvm-virtio "$L" -o "$TMPD/kv.yaml" 2>"$TMPD/err"
ok $? "the captured /proc/vmallocinfo imports"
sed -n '/^events:/,$p' "$TMPD/kv.yaml" >"$TMPD/kv.ev"
sed -n '/^events:/,$p' "$top_srcdir/traces/kvm-virtio.yaml" >"$TMPD/kv.want"
cmp -s "$TMPD/kv.ev" "$TMPD/kv.want"
ok $? "... into the bundled kvm-virtio's events"
same "$(grep -c ioremap "$L"):$(grep -c '^- {op: vmap' "$TMPD/kv.ev")" \
    "$(grep -c ioremap "$L"):$(grep -c ioremap "$L")" "one vmap an ioremap line"
holds "$TMPD/kv.yaml" "{op: vmap, pa: 0xeec00000, size: 1M, id: pci_mmcfg_arch_map-17, note: pci_mmcfg_arch_map}" \
    "1052672 bytes at phys=0x00000000eec00000: 1M, its caller's name the id and note"
holds "$TMPD/err" "$(wc -l <"$L" | tr -d ' ') lines, 29 events" "every line read, the ioremaps kept"
holds "$TMPD/kv.yaml" "skipped: 2 vmap," "the other kinds counted, in the description"
"$V" import --format vmallocinfo "$L" 2>/dev/null | cmp -s - "$TMPD/kv.yaml"
[ "$("$V" import --format vmallocinfo --kernel 9front --name kvm-virtio "$L" 2>/dev/null | sed -n '/^events:/,$p')" = "$(cat "$TMPD/kv.want")" ]
ok $? "--format vmallocinfo: the same"
"$V" import --format console "$L" 2>"$TMPD/err" | grep -c '^- {op' >"$TMPD/n"
same "$(cat "$TMPD/n")" "0" "--format console: none of its lines is a call"
for k in 9front labs; do
	"$V" replay --kernel $k --format yaml "$top_srcdir/traces/kvm-virtio.yaml" >"$TMPD/kv.$k"
	same "$(grep -c 'result: ok' "$TMPD/kv.$k"):$(grep -c 'result: refused' "$TMPD/kv.$k")" \
	    "4:25" "kvm-virtio under $k: the four below 4G map, the rest are refused"
done
holds "$TMPD/kv.9front" "code: pa-past-4g" "9front: by its check"
holds "$TMPD/kv.labs" "code: pa-not-ulong" "labs: the call cannot be made"
# bad lines: a warning naming FILE:LINE each, an error under --strict
cat >"$TMPD/badvm.txt" <<'LOG'
0x00000000acb9094c-0x000000003802c9cd    8192 acpi_os_map_iomem+0x1bc/0x1e0 phys=0x00000000000a0000 ioremap
0x00000000f53c739a-0x000000009b02934e   12288 acpi_os_map_iomem+0x1bc/0x1e0 phys=0x000000000009f000
0x00000000f53c739a-0x000000009b02934e   12000 acpi_os_map_iomem+0x1bc/0x1e0 phys=0x000000000009f000 ioremap
0x00000000f53c739a-0x000000009b02934e   12288 acpi_os_map_iomem+0x1bc/0x1e0 phys=0xzz ioremap
[    1.000] drv: vmap 0x1000 4096 -> 0xe0000000
0x00000000f53c739a-0x000000009b02934e   20480 kernel_clone+0xb8/0x400 pages=4 vmalloc N0=4
LOG
"$V" import "$TMPD/badvm.txt" -o "$TMPD/badvm.yaml" 2>"$TMPD/err"
ok $? "bad lines: warned of, the rest imported"
holds "$TMPD/err" "badvm.txt:2: skipped, a /proc/vmallocinfo line cut short" "a line cut short"
holds "$TMPD/err" "badvm.txt:3: skipped, size 12000 is not a multiple of the page" "a size not of whole pages"
holds "$TMPD/err" "badvm.txt:4: skipped, phys= '0xzz' is not a number" "a phys= that is not a number"
holds "$TMPD/err" "badvm.txt:5: skipped, not a /proc/vmallocinfo line (a log of two formats?)" "a log that mixes formats"
holds "$TMPD/err" "6 lines, 1 events, 5 skipped" "... counted"
"$V" import --strict "$TMPD/badvm.txt" >/dev/null 2>"$TMPD/err"
same "$?:$(sed "s|$TMPD/||; s/: \"0x.*//" "$TMPD/err")" "2:badvm.txt:2: a /proc/vmallocinfo line cut short: no kind of area" \
    "--strict: the first, an error"
printf '[1.0] x: vmap 0x1000 4096 -> 0xe0000000\n0x00000000acb9094c-0x000000003802c9cd    8192 f+0x1/0x2 phys=0x1000 ioremap\n' >"$TMPD/mixed.log"
"$V" import "$TMPD/mixed.log" >/dev/null 2>"$TMPD/err"
holds "$TMPD/err" "mixed.log:2: skipped, a /proc/vmallocinfo line in a console log" \
    "a vmallocinfo line in a console log"

# A caller of bytes that are not UTF-8, as long as the id keeps: each
# bad byte becomes three (U+FFFD), and the id still ends in its serial,
# so two such lines are two ids, and the trace reads back
awk 'BEGIN {
	for (k = 0; k < 2; k++) {
		printf "0x00000000acb9094c-0x000000003802c9cd    8192 "
		for (i = 0; i < 70; i++)
			printf "\377"
		printf "+0x1/0x2 phys=0x%x ioremap\n", 4096 * (k + 1)
	}
}' >"$TMPD/badcaller.txt"
"$V" import "$TMPD/badcaller.txt" -o "$TMPD/badcaller.yaml" 2>/dev/null &&
    "$V" check "$TMPD/badcaller.yaml" >/dev/null
ok $? "a caller of 63 bad bytes, twice: imported, and read back"
same "$(grep -c -- '-[12], note' "$TMPD/badcaller.yaml")" 2 \
    "... each id ending in its serial"

# A 64-bit Linux's log: its VAs only tie each vunmap to its vmap
cat >"$TMPD/l64.log" <<'LOG'
[    2.100000] modprobe: vmap 0xfebd1000 4096 -> 0xffffb4e0c0a3c000
[    2.200000] modprobe: vmap 0x4000000000 8192 -> 0xffffb4e0c0a40000
[    3.000000] modprobe: vunmap 0xffffb4e0c0a3c000
[    3.100000] modprobe: vunmap 0xffffb4e0c0a3c000
[    3.200000] modprobe: vunmap 0xffffb4e0deadb000 4096
[    3.300000] modprobe: vunmap 0xffffb4e0c0a40000
LOG
"$V" import --keep-orphans "$TMPD/l64.log" -o "$TMPD/l64.yaml" 2>"$TMPD/err"
ok $? "a log of 64-bit addresses imports"
same "$(sed -n 's/^- {op: \([a-z]*\), .*id: \([a-z0-9-]*\),.*/\1 \2/p' "$TMPD/l64.yaml" | tr '\n' ' ')" \
    "vmap modprobe-1 vmap modprobe-2 vunmap modprobe-1 vunmap modprobe-2 " \
    "each vunmap tied to its vmap by id"
sed -n '/^events:/,$p' "$TMPD/l64.yaml" | grep -q 'va: 0x\|0xffff\|expect'
ok $((! $?)) "no 64-bit address, nor an expectation from one, in the trace"
holds "$TMPD/err" "l64.log:4: dropped, vunmap of 0xffffb4e0c0a3c000, which is no longer mapped" \
    "unmapped twice: dropped, said"
holds "$TMPD/err" "l64.log:5: dropped, vunmap of 0xffffb4e0deadb000, which no vmap of the log returned" \
    "an orphan of 64 bits: dropped even with --keep-orphans"
"$V" replay "$TMPD/l64.yaml" >/dev/null
ok $? "... and it replays as expected"

done_testing
