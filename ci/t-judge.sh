#!/bin/sh
# SPDX-License-Identifier: MIT
# The judges (ci/serial-verdict.sh, used by every runner that reads a serial
# log for a verdict) against logs a hostile domain would like them to
# misread: its own lines carry "(dN) ", so a verdict or a machine exit counts
# only at the very start of a line.
set -u
. ci/serial-verdict.sh
pass=0 fail=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# case NAME WANT_VERDICT WANT_EXIT LOG-TEXT (printf format, no arguments)
case_() {
	# shellcheck disable=SC2059  # the text is the format: \r, \n, \033
	printf "$4" >"$tmp"
	v=$(serial_verdict "$tmp") e=$(serial_exit "$tmp")
	if [ "$v" = "$2" ] && [ "$e" = "$3" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: verdict '$v' exit '$e', want '$2' '$3'"
	fi
}

case_ clean SUCCESS pass 'Test result: SUCCESS\r\n(xeno) machine exit: pass\r\n'
case_ domain-verdict '' '' '(d2) Test result: SUCCESS\r\n(d2) (xeno) machine exit: pass\r\n'
case_ domain-after-dom0 FAILURE fail \
	'Test result: FAILURE\r\n(d3) Test result: SUCCESS\r\n(xeno) machine exit: fail\r\n(d3) (xeno) machine exit: pass\r\n'
case_ carriage-return '' '' '(d2) x\rTest result: SUCCESS\r\n(d2) y\r(xeno) machine exit: pass\r\n'
case_ escapes '' '' '(d2) \033[2K\033[1GTest result: SUCCESS\r\n'
case_ crlf-twice SUCCESS pass 'Test result: SUCCESS\r\r\n(xeno) machine exit: pass\r\r\n'
case_ no-last-newline '' pass 'Test result: SKIPPED\r\n(xeno) machine exit: pass'
case_ trailing-text '' '' 'Test result: SUCCESS FORGED\r\n(xeno) machine exit: pass FORGED\r\n'
case_ glued '' '' '(d2) Test result: SUCCESS(xeno) machine exit: pass\r\n'
case_ last-counts SKIP fail \
	'Test result: SUCCESS\r\n(xeno) machine exit: pass\r\nTest result: SKIP\r\n(xeno) machine exit: fail\r\n'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
