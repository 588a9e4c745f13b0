#!/bin/sh
# SPDX-License-Identifier: MIT
# Linux's scripts/checkpatch.pl over the patch series (each patch) and over
# every new Linux file (arch-xeno/, drivers-front/): all must be clean.
set -u
BUILD=${BUILD:-build}
top=$(pwd)
CP=$top/$BUILD/linux-src/scripts/checkpatch.pl
[ -f "$CP" ] || { echo "t-checkpatch: $CP missing; run 'make linux-src'"; exit 1; }
# Run outside our git tree: checkpatch treats a patch file inside a git work
# tree as a source file.
neutral=$(mktemp -d)
trap 'rmdir "$neutral"' EXIT
pass=0 fail=0
check() {	# NAME ARGS...
	name=$1
	shift
	if out=$(cd "$neutral" && perl "$CP" --no-tree -q "$@" 2>&1) && [ -z "$out" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name"
		printf '%s\n' "$out" | sed 's/^/    /'
	fi
}
for p in linux-patches/*.patch; do
	check "$p" "$top/$p"
done
for f in $(find arch-xeno drivers-front -name '*.[chS]' | LC_ALL=C sort); do
	check "$f" -f "$top/$f"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
