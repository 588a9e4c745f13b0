#!/bin/sh
# SPDX-License-Identifier: MIT
# The hostile suite's table for docs/security.md, built from each test's
# header comment (attack, rule), its hostile descriptor (expected outcome),
# its test.conf (platforms) and the logs of the last ci/t-hostile.sh run.
#
# usage: ci/security-table.sh            print the table
#        ci/security-table.sh --update   rewrite it in docs/security.md
#        ci/security-table.sh --check    fail if docs/security.md differs
# The table sits between the lines "<!-- hostile table -->" and
# "<!-- end hostile table -->" of docs/security.md.
set -eu
. ci/serial-verdict.sh
BUILD=${BUILD:-build}
LOGS=$BUILD/logs/hostile
DOC=docs/security.md
BEGIN='<!-- hostile table -->'
END='<!-- end hostile table -->'

# The header comment of a test as "attack<TAB>rule": the first paragraph
# (without "name: "), and the "Rule (...)" paragraph up to "Why it matters".
header() {
	awk '
	!start { if ($0 == "/*") start = 1; next }
	/^ \*\/$/ { exit }
	{ sub(/^ \* ?/, "") }
	/^$/ { para++; inrule = 0; next }
	para == 0 { attack = attack (attack ? " " : "") $0; next }
	/^Rule/ { inrule = 1 }
	inrule { rule = rule (rule ? " " : "") $0 }
	END {
		sub(/^[a-z0-9-]+: /, "", attack)
		sub(/^Rule /, "", rule)
		sub(/ *Why it matters.*/, "", rule)
		gsub(/\|/, "\\|", attack); gsub(/\|/, "\\|", rule)
		printf "%s\t%s\n", attack, rule
	}' "$1"
}

# How the attack must end, from the hostile descriptor.
expected() {
	crash=$(sed -n 's/.*\.crash = "\(.*\)",*$/\1/p' "$1" | head -n 1)
	if [ -n "$crash" ]; then
		echo "killed: \"$crash\""
	elif grep -q 'IN_DOM0' "$1"; then
		echo "refused (in Domain0)"
	elif grep -q 'flags = .*H_STRETCH' "$1"; then
		echo "Domain0 waits at most 2 x control + 50 ms"
	elif grep -q 'flags = .*H_CONSOLE' "$1"; then
		echo "every line of it prefixed"
	else
		echo refused
	fi
}

# The result of the last run of test $1 on platform $2.
result() {
	log=$LOGS/$1.$2.log
	case " $3 " in *" $2 "*) ;; *) echo '(not run)'; return ;; esac
	[ -f "$log" ] || { echo 'no log'; return; }
	v=$(serial_verdict "$log")
	ok=$(serial_exit "$log" | grep -c pass || true)
	if [ "$ok" -eq 0 ]; then
		echo "**FAIL** (no clean exit)"
	elif [ "$v" = SUCCESS ]; then
		echo pass
	elif [ "$v" = SKIP ]; then
		echo 'skip: no segment limits'
	else
		echo "**FAIL** (${v:-no verdict})"
	fi
}

table() {
	echo '| Test | Attack | Rule | Expected | QEMU | Bochs |'
	echo '|---|---|---|---|---|---|'
	for src in ci/hostile/*/main.c; do
		name=$(basename "$(dirname "$src")")
		[ "$name" = lib ] && continue
		PLATFORMS=qemu
		# shellcheck disable=SC1090
		[ -f "ci/hostile/$name/test.conf" ] && . "ci/hostile/$name/test.conf"
		h=$(header "$src")
		attack=$(printf '%s' "$h" | cut -f 1) rule=$(printf '%s' "$h" | cut -f 2)
		printf '| `%s` | %s | %s | %s | %s | %s |\n' "$name" "$attack" "$rule" \
			"$(expected "$src")" "$(result "$name" qemu "$PLATFORMS")" \
			"$(result "$name" bochs "$PLATFORMS")"
	done
}

# docs/security.md with its table replaced by stdin.
splice() {
	awk -v b="$BEGIN" -v e="$END" -v t="$1" '
	$0 == b { print; while ((getline line < t) > 0) print line; skip = 1; next }
	$0 == e { skip = 0 }
	!skip' "$DOC"
}

case ${1:-} in
'') table ;;
--update | --check)
	grep -qxF "$BEGIN" "$DOC" && grep -qxF "$END" "$DOC" || {
		echo "security-table: $DOC has no '$BEGIN' ... '$END' lines" >&2; exit 2; }
	tmp=$(mktemp) new=$(mktemp)
	trap 'rm -f "$tmp" "$new"' EXIT
	table >"$tmp"
	splice "$tmp" >"$new"
	if [ "$1" = --update ]; then
		cat "$new" >"$DOC"
		echo "security-table: $DOC updated ($(($(wc -l <"$tmp") - 2)) tests)"
	elif cmp -s "$new" "$DOC"; then
		echo "security-table: $DOC matches the last run"
	else
		echo "security-table: $DOC does not match the last run of the hostile suite:" >&2
		diff "$DOC" "$new" | head -n 20 >&2
		echo "(run the suite, then 'make security-doc')" >&2
		exit 1
	fi ;;
-h | --help) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//' ;;
*) echo "security-table: unknown option '$1' (see --help)" >&2; exit 2 ;;
esac
