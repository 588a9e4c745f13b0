#!/bin/sh
# SPDX-License-Identifier: MIT
# The functional test guests: boot each ci/guests/<name> as Domain0 under QEMU
# (and Bochs where its test.conf asks) and judge Domain0's verdict line.
#
# usage: ci/t-guests.sh [NAME...]      (default: every guest that is a test)
# ci/guests/<name>/test.conf (optional, shell variables):
#   HELPER=1          not a test on its own (a partner domain, a benchmark)
#   MODULES="a b"     guests passed as extra modules (module 1 = the initrd)
#   CMDLINE="..."     Domain0's command line
#   HV_ARGS="..."     hypervisor command line (default dom0_mem=16M)
#   MEM=MiB           machine memory (default 128)
#   TIMEOUT=seconds   per run (default 30)
#   PLATFORMS="qemu bochs"   where to run (default qemu)
# A run passes when Domain0 prints "Test result: SUCCESS" (at the start of a
# line: helper domains' lines carry a "(dN) " prefix) and the machine exits
# cleanly; SKIP counts as skipped.  Logs: $LOGDIR/<name>.<platform>.log.
# Prints "ok NAME", "FAIL NAME: why (log)" or "SKIP NAME", then the totals.
set -u
BUILD=${BUILD:-build}
LOGDIR=${LOGDIR:-$BUILD/logs}/guests
GUESTS=$BUILD/guests
mkdir -p "$LOGDIR"
pass=0 fail=0 skip=0 failed=

# Defaults, then the test's own settings (in a subshell, so nothing leaks).
conf() {
	HELPER=0 MODULES='' CMDLINE='' HV_ARGS='dom0_mem=16M' MEM=128 TIMEOUT=30 PLATFORMS=qemu
	# shellcheck disable=SC1090
	[ -f "ci/guests/$1/test.conf" ] && . "ci/guests/$1/test.conf"
	echo "HELPER='$HELPER' MODULES='$MODULES' CMDLINE='$CMDLINE' HV_ARGS='$HV_ARGS'"
	echo "MEM='$MEM' TIMEOUT='$TIMEOUT' PLATFORMS='$PLATFORMS'"
}

# Bochs needs its runner and tools; say once why it is skipped.
bochs_ready() {
	if [ -z "${bochs_state:-}" ]; then
		bochs_state=yes
		if [ ! -x ci/bochs-run.sh ]; then
			bochs_state='ci/bochs-run.sh does not exist yet'
		elif ! command -v bochs-bin >/dev/null 2>&1; then
			bochs_state='bochs-bin is not installed (make deps)'
		fi
	fi
	[ "$bochs_state" = yes ]
}

# run NAME PLATFORM: one boot, one verdict.
run() {
	name=$1 platform=$2 log=$LOGDIR/$1.$2.log
	set -- "$GUESTS/$name.elf${CMDLINE:+ $CMDLINE}"
	for m in $MODULES; do set -- "$@" "$GUESTS/$m.elf"; done
	start=$(date +%s)
	ci/xeno-run.sh -p "$platform" -t "$TIMEOUT" -m "$MEM" -a "$HV_ARGS" -l "$log" -x any "$@" \
		>"$log.runner" 2>&1
	secs=$(( $(date +%s) - start ))
	verdict=$(tr -d '\r' <"$log" | sed -n 's/^Test result: \([A-Z]*\).*/\1/p' | tail -n 1)
	ended=$(tr -d '\r' <"$log" | grep -ac '^(xeno) machine exit: pass')
	label="$name ($platform, ${secs}s)"
	if [ "$verdict" = SUCCESS ] && [ "$ended" -gt 0 ]; then
		echo "ok $label"
		pass=$((pass + 1))
	elif [ "$verdict" = SKIP ] && [ "$ended" -gt 0 ]; then
		echo "SKIP $label: $(tr -d '\r' <"$log" | grep -a '^SKIP: ' | head -n 1)"
		skip=$((skip + 1))
	else
		why=${verdict:-no verdict}
		[ "$ended" -eq 0 ] && why="$why; no clean machine exit (a panic, or the ${TIMEOUT}s timeout)"
		echo "FAIL $label: $why (log: $log)"
		tr -d '\r' <"$log" | grep -aE '^(FAILURE|ERROR): |\*\*\*' | head -n 8 | sed 's/^/    | /'
		fail=$((fail + 1)) failed="$failed $name($platform)"
	fi
}

if [ $# -eq 0 ]; then
	# shellcheck disable=SC2046  # one word per guest directory
	set -- $(for d in ci/guests/*/main.c; do basename "$(dirname "$d")"; done)
fi
for name in "$@"; do
	[ "$name" = lib ] && continue
	eval "$(conf "$name")"
	[ "$HELPER" = 1 ] && continue
	if [ ! -f "$GUESTS/$name.elf" ]; then
		echo "FAIL $name: $GUESTS/$name.elf not built (make guests)"
		fail=$((fail + 1)) failed="$failed $name"
		continue
	fi
	for platform in $PLATFORMS; do
		if [ "$platform" = bochs ] && ! bochs_ready; then
			echo "SKIP $name (bochs): $bochs_state"
			skip=$((skip + 1))
			continue
		fi
		run "$name" "$platform"
	done
done
[ -n "$failed" ] && echo "failed:$failed (logs in $LOGDIR/)"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
