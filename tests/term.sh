# Sourced after tap.sh by the tests that run the view in a terminal: a
# tmux server of the test's own, and the view run in it.

# term_start: the server ($T) and a session that lasts, so that it does
# not exit between tests; killed when the test ends.  Returns 1 without
# tmux.
term_start() {
	command -v tmux >/dev/null 2>&1 || return 1
	T="tmux -L vmapview-$(basename "$0" .sh)-$$ -f /dev/null"
	trap '$T kill-server 2>/dev/null; rm -rf "$TMPD"' EXIT
	$T new-session -d -s keep "sleep 3600"
}

# screen NAME ARGS...: run the view with ARGS in a terminal of
# $screen_size (100x30 unless set), in $screen_dir (. unless set), and
# leave its exit status in $TMPD/NAME.st, its standard error in
# $TMPD/NAME.err, its screen in $TMPD/NAME.txt (when ARGS save it) and
# the terminal's settings after it in $TMPD/NAME.stty.
screen() {
	name=$1
	shift
	for a in "$VMAPVIEW" "$@"; do
		printf "'%s' " "$a"
	done >"$TMPD/$name.cmd"
	cat >"$TMPD/$name.sh" <<EOS
cd "${screen_dir:-.}" || exit 1
export LC_ALL=${screen_locale:-C.UTF-8}
export XDG_CACHE_HOME=$TMPD/cache
${screen_env:+export $screen_env}
$(cat "$TMPD/$name.cmd") 2>"$TMPD/$name.err"
echo \$? >"$TMPD/$name.st"
stty -a >"$TMPD/$name.stty"
$T wait-for -S $name
EOS
	rm -f "$TMPD/$name.st" "$TMPD/$name.txt"
	size=${screen_size:-100x30}
	$T new-session -d -s "$name" -x "${size%x*}" -y "${size#*x}" \
	    "sh $TMPD/$name.sh"
	$T wait-for "$name"
}
