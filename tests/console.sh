#!/bin/sh
# --console: what the kernel prints, as a console log.  The recipe of
# vmapview(1) IMPORT (a print at each of vmap's returns and at vunmap's
# start) added to the Bell Labs test file, replayed with --console, gives
# a log that import turns back into a trace with the same calls and the
# same results, on every bundled trace; and the built-in kernels' own
# lines (9front's refusals, a panic) reach the console as they print
# them.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tap.sh"
cd "$top_srcdir" || exit 1
V=$VMAPVIEW
XDG_CACHE_HOME=$TMPD/cache
export XDG_CACHE_HOME

# The recipe, added to tests/kernel/labs.c: osize kept, a line before
# each of vmap's returns, one first thing in vunmap.
awk '
	/^vmap\(ulong pa, int size\)/ { invmap = 1 }
	/^vunmap\(void \*v, int size\)/ { invunmap = 1 }
	invmap && /^\tulong off, va;/ { print; print "\tint osize;"; next }
	invmap && /^\toff = pa % BY2PG;/ { print "\tosize = size;" }
	invmap && /^\t\treturn nil;/ {
		print "\t\tprint(\"vmap %#.8lux %d -> nil\\n\", pa+off, osize);"
	}
	invmap && /^\treturn \(void\*\)\(va\+off\);/ {
		print "\tprint(\"vmap %#.8lux %d -> %#.8lux\\n\", pa+off, osize, va+off);"
		invmap = 0
	}
	invunmap && /^\tulong va, off;/ {
		print; print ""
		print "\tprint(\"vunmap %#.8lux %d\\n\", (ulong)v, size);"
		invunmap = 0; skipblank = 1; next
	}
	skipblank && /^$/ { skipblank = 0; next }
	{ print }
' tests/kernel/labs.c >"$TMPD/recipe.c"
same "$(grep -c 'print("vmap %#.8lux %d ->\|print("vunmap %#.8lux' "$TMPD/recipe.c")" 4 \
    "the recipe: three lines in vmap, one in vunmap"

# The calls a replay made and what they gave, from its text report:
# op, pa, size, result, address.  Not the events that made no call (a
# note, a vunmap skipped, one not run), nor a vmap whose pa no ulong
# holds, nor a vmap that panicked (the kernel halted before its print).
calls() {
	awk '$2 == "vmap" || $2 == "vunmap" {
		if ($6 == "skipped" || $6 == "not-run") next
		if ($2 == "vmap" && (length($4) > 10 || $6 == "panic")) next
		print $2, $4, $5, $6, $7
	}' "$1"
}
for t in traces/*.yaml; do
	n=$(basename "$t" .yaml)
	vmap=$(sed -n 's/^  vmap: //p' "$t")
	vsz=$(sed -n 's/^  vmapsize: //p' "$t")
	pse=$(sed -n 's/^  pse: //p' "$t")
	"$V" replay -p "$TMPD/recipe.c" --console "$TMPD/$n.con" "$t" \
	    >"$TMPD/$n.txt" 2>/dev/null
	"$V" import --kernel labs --no-expect --keep-orphans ${vmap:+--vmap $vmap} \
	    ${vsz:+--vmapsize $vsz} --pse "$([ "$pse" = false ] && echo off || echo on)" \
	    "$TMPD/$n.con" -o "$TMPD/$n.back.yaml" 2>/dev/null
	ok $? "$n: its console imports"
	"$V" replay -p "$TMPD/recipe.c" "$TMPD/$n.back.yaml" >"$TMPD/$n.back.txt" \
	    2>/dev/null
	calls "$TMPD/$n.txt" >"$TMPD/$n.calls"
	calls "$TMPD/$n.back.txt" >"$TMPD/$n.back.calls"
	if cmp -s "$TMPD/$n.calls" "$TMPD/$n.back.calls" &&
	    [ -s "$TMPD/$n.calls" ]; then
		ok 0 "$n: the same calls and results, $(wc -l <"$TMPD/$n.calls") of them"
	else
		ok 1 "$n: the same calls and results"
		diff "$TMPD/$n.calls" "$TMPD/$n.back.calls" | sed 's/^/# /' | head -10
	fi
done

# The built-in kernels' own lines: 9front's refusal, the panic
"$V" replay --console "$TMPD/kv.con" traces/kvm-virtio.yaml >/dev/null
holds "$TMPD/kv.con" "[3] vmap pa=4000000000 size=4096" \
    "9front's refusal as it prints it, the event's number for the time"
"$V" replay -p span --console "$TMPD/sb.con" traces/span-bug.yaml >/dev/null
holds "$TMPD/sb.con" "[6] panic: vmap: va=0xe0800000" "a panic on the console"
"$V" replay --console "$TMPD/dt.con" traces/devtest.yaml >/dev/null
same "$?:$(wc -c <"$TMPD/dt.con")" "0:0" "nothing printed: an empty console"
# compare: a console a policy
"$V" compare --console "$TMPD/cmp.con" traces/span-bug.yaml >/dev/null
for p in $POLICIES; do
	[ -f "$TMPD/cmp.con.$p" ]
	ok $? "compare: $p's console, cmp.con.$p"
done
holds "$TMPD/cmp.con.span" "[6] panic:" "... span's with its panic"
# a trace with an error: no console written
printf 'vmaptrace: 1\nevents:\n- {op: vmap, pa: 0, size: 4K}\n- {op: vunmap, id: x}\n' >"$TMPD/bad.yaml"
"$V" replay --console "$TMPD/bad.con" "$TMPD/bad.yaml" >/dev/null 2>&1
same "$?:$([ -e "$TMPD/bad.con" ] && echo written)" "2:" \
    "a trace with an error: status 2, no console written"
# a place it cannot go: said before the run, nothing else done
"$V" replay --console "$TMPD/no/such/dir/c.log" traces/devtest.yaml >"$TMPD/nodir.out" 2>"$TMPD/nodir.err"
same "$?:$(wc -c <"$TMPD/nodir.out" | tr -d ' '):$(sed "s|$TMPD/||" "$TMPD/nodir.err")" \
    "2:0:vmapview: --console: no/such/dir: No such file or directory" \
    "--console in no directory: exit 2 before the run, no report"
# never over the trace
cp traces/devtest.yaml "$TMPD/self.yaml"
"$V" replay --console "$TMPD/self.yaml" "$TMPD/self.yaml" >/dev/null 2>&1
same "$?" 2 "--console over the trace: refused"
cmp -s traces/devtest.yaml "$TMPD/self.yaml"
ok $? "... and the trace left as it was"
# verify: the recipe changes nothing; the file's prints, trace by trace
"$V" verify --traces 2 --console "$TMPD/v.con" "$TMPD/recipe.c" >"$TMPD/v.out" 2>&1
same "$?:$(head -c 32 "$TMPD/v.out")" "0:recipe.c agrees with plan9 under" \
    "the recipe's file agrees with plan9: its prints change nothing"
holds "$TMPD/v.con" "[0] trace verify, seed 2" "verify: each trace's prints after its name"
grep -q '^\[[1-9][0-9]*\] vmap 0x[0-9a-f]* [0-9]* -> ' "$TMPD/v.con"
ok $? "... the recipe's lines among them"
done_testing
