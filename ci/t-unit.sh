#!/bin/sh
# SPDX-License-Identifier: MIT
# Run every host unit test binary and add up their "N passed, N failed" lines.
set -u
BUILD=${BUILD:-build}
pass=0 fail=0
for t in "$BUILD"/hypervisor-test/test-*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out" | grep -v -E '^[0-9]+ passed, [0-9]+ failed$'
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -z "$line" ]; then
		echo "$(basename "$t"): crashed or gave no result (exit $rc)"
		fail=$((fail + 1))
		continue
	fi
	set -- $line
	pass=$((pass + $1)) fail=$((fail + $3))
	[ "$rc" -ne 0 ] && [ "$3" -eq 0 ] && fail=$((fail + 1))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
