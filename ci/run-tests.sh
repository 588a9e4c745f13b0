#!/bin/sh
# SPDX-License-Identifier: MIT
# Run test scripts and print one closing line "N passed, N failed, N skipped".
#
# Each argument is a test script (ci/t-*.sh).  A script exits 0 (pass),
# 77 (skip) or anything else (fail).  A script that runs many cases may end its
# output with its own "N passed, N failed[, N skipped]" line; those counts are
# then used instead of one pass/fail for the script.  Output of each script goes
# to build/logs/<name>.log; failed logs are kept, passed ones too (cheap).
set -u
BUILD=${BUILD:-build}
LOGDIR=$BUILD/logs
mkdir -p "$LOGDIR"
export BUILD LOGDIR

pass=0 fail=0 skip=0
failed_names=
if [ $# -eq 0 ]; then
	echo "run-tests: no test scripts given"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
for t in "$@"; do
	name=$(basename "$t" .sh); name=${name#t-}
	log=$LOGDIR/$name.log
	printf '%-28s ' "$name"
	start=$(date +%s)
	"$t" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" | tail -n 1)
	if [ -n "$counts" ]; then
		p=$(echo "$counts" | sed -E 's/^([0-9]+) passed.*/\1/')
		f=$(echo "$counts" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
		s=$(echo "$counts" | sed -nE 's/.*, ([0-9]+) skipped$/\1/p')
		s=${s:-0}
		# A script that fails without admitting a failed case still fails,
		# and so does one that ran no case at all.
		[ $rc -ne 0 ] && [ $rc -ne 77 ] && [ "$f" -eq 0 ] && f=1
		if [ $((p + f + s)) -eq 0 ]; then
			echo "$name: ran no test" >>"$log"
			f=1
		fi
	else
		p=0 f=0 s=0
		case $rc in 0) p=1 ;; 77) s=1 ;; *) f=1 ;; esac
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$f" -gt 0 ]; then
		verdict=FAIL failed_names="$failed_names $name"
	elif [ "$p" -eq 0 ] && [ "$s" -gt 0 ]; then
		verdict=SKIP
	else
		verdict=ok
	fi
	printf '%-5s %4ss  (%s passed, %s failed, %s skipped)\n' "$verdict" "$secs" "$p" "$f" "$s"
	if [ "$f" -gt 0 ]; then
		echo "    --- last lines of $log:"
		tail -n 15 "$log" | sed 's/^/    | /'
	fi
done
[ -n "$failed_names" ] && echo "failed:$failed_names (logs in $LOGDIR/)"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
