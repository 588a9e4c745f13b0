# SPDX-License-Identifier: MIT
# Helpers for the in-guest test scripts in /tests (source with ". /usr/lib/xeno/testlib.sh").
# Each check prints "ok NAME" or "FAIL NAME: why"; finish() prints the totals and
# the verdict line "Test result: SUCCESS|FAILURE" (the project's test contract).

t_passed=0 t_failed=0

ok()   { t_passed=$((t_passed + 1)); echo "ok $1"; }
fail() { t_failed=$((t_failed + 1)); echo "FAIL $*"; }

# expect NAME WANT COMMAND...: COMMAND's output (stdout and stderr) must be WANT.
expect() {
	e_name=$1 e_want=$2
	shift 2
	e_got=$("$@" 2>&1)
	if [ "$e_got" = "$e_want" ]; then ok "$e_name"; else fail "$e_name: want '$e_want', got '$e_got'"; fi
}

# check NAME COMMAND...: COMMAND must succeed.
check() {
	c_name=$1
	shift
	if c_out=$("$@" 2>&1); then ok "$c_name"; else fail "$c_name: '$*' failed: $c_out"; fi
}

# sh_expect NAME WANT SCRIPT: like expect, for a shell snippet (pipelines etc.).
sh_expect() { expect "$1" "$2" sh -c "$3"; }

# Print the totals (prefixed, so the host's own count line stays the last one)
# and the verdict; exit 0 on success.
finish() {
	echo "${0##*/}: $t_passed passed, $t_failed failed"
	if [ "$t_failed" -eq 0 ] && [ "$t_passed" -gt 0 ]; then
		echo "Test result: SUCCESS"
		exit 0
	fi
	echo "Test result: FAILURE"
	exit 1
}
