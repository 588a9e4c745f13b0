#!/bin/sh
# SPDX-License-Identifier: MIT
# Run every host unit test binary and add up their "N passed, N failed" lines.
# A binary that checks nothing, or no binary at all, is a failure.
set -u
BUILD=${BUILD:-build}
pass=0 fail=0 ran=0
for t in "$BUILD"/hypervisor-test/test-*; do
	[ -x "$t" ] || continue
	ran=$((ran + 1))
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
	if [ "$1" -eq 0 ] && [ "$3" -eq 0 ]; then
		echo "$(basename "$t"): checked nothing"
		fail=$((fail + 1))
	fi
done
if [ "$ran" -eq 0 ]; then
	echo "no unit test binaries in $BUILD/hypervisor-test (make unit-tests)"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
