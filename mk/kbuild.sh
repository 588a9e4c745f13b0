#!/bin/sh
# SPDX-License-Identifier: MIT
# Run one Linux kbuild compactly: a start line, "NAME: N objects..." every 100
# compiled files, compiler diagnostics, a finish line with the elapsed time; the
# full output goes to LOG.  A build with nothing to do prints nothing.
#
#   kbuild.sh V NAME LOG MAKE-COMMAND...      (V=1: plain kbuild output, no log)
set -eu

[ $# -ge 4 ] || { echo "usage: $0 V NAME LOG MAKE-COMMAND..." >&2; exit 2; }
verbose=$1 name=$2 log=$3
shift 3

# Share the caller's job server under "make -jN"; otherwise use every CPU.
case " ${MAKEFLAGS:-} " in
*jobserver*) jobs= ;;
*)           jobs=-j$(nproc) ;;
esac

if [ "$verbose" = 1 ]; then
	# shellcheck disable=SC2086
	exec "$@" $jobs
fi

mkdir -p "$(dirname "$log")"
start=$(date +%s)
rm -f "$log.status" "$log.count"
# shellcheck disable=SC2086
{ "$@" $jobs && echo 0 >"$log.status" || echo $? >"$log.status"; } 2>&1 |
	tee "$log" |
	awk -v name="$name" -v logfile="$log" -v countfile="$log.count" '
	# Quiet kbuild lines look like "  CC      kernel/fork.o".
	$1 == "CC" || $1 == "AS" || $1 == "HOSTCC" || $1 == "HOSTCXX" {
		if (n++ == 0)
			printf "%s: building (full log: %s)\n", name, logfile
		if (n % 100 == 0)
			printf "%s: %d objects...\n", name, n
		fflush()
		next
	}
	/(error|warning):|\*\*\*|Error [0-9]/ { print; fflush() }
	END { print n + 0 > countfile }'

rc=$(cat "$log.status" 2>/dev/null || echo 1)
count=$(cat "$log.count" 2>/dev/null || echo 0)
rm -f "$log.status" "$log.count"
secs=$(($(date +%s) - start))
elapsed=$(printf '%d:%02d' $((secs / 60)) $((secs % 60)))
if [ "$rc" -ne 0 ]; then
	printf '%s: FAILED (exit %s) after %s; last lines of %s:\n' "$name" "$rc" "$elapsed" "$log" >&2
	tail -n 25 "$log" | sed 's/^/    | /' >&2
	exit "$rc"
fi
[ "$count" -eq 0 ] || printf '%s: done, %d objects in %s\n' "$name" "$count" "$elapsed"
