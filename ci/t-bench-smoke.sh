#!/bin/sh
# SPDX-License-Identifier: MIT
# The lmbench suite's smoke test (make check): boot native Linux and XenoLinux
# with /tests/bench-quick (every benchmark once, tiny iteration counts) and
# check that each benchmark of the paper's Tables 3-5 reported a positive
# number in both kernels.  No timing is judged.  Serial logs:
# $LOGDIR/bench-smoke-{native,xeno}.serial.log.
set -eu

BUILD=${BUILD:-build}
LOGDIR=${LOGDIR:-$BUILD/logs}
TIMEOUT=${TIMEOUT:-300}
LMB=$BUILD/initramfs-bin/lmbench-xeno
mkdir -p "$LOGDIR"
for f in "$BUILD/linux-native/bzImage" "$BUILD/linux-xeno/vmlinux" "$BUILD/xeno.elf" \
	"$BUILD/initramfs.cpio.gz" "$LMB"; do
	[ -f "$f" ] || { echo "t-bench-smoke: $f not found; run 'make all'"; exit 1; }
done

passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# check KIND LOG: the verdict, one "lmb NAME ..." line with a number per
# benchmark, and a kernel log without trouble.  No timing is judged: a
# difference of two tiny runs (prot_fault) may even come out negative.
check() {
	kind=$1 log=$2
	sed -i 's/\r$//' "$log"
	grep -E '^lmb-(fail|warn) ' "$log" || true
	if grep -q '^Test result: SUCCESS' "$log"; then
		ok "$kind-verdict"
	else
		fail "$kind-verdict: $(grep '^Test result' "$log" || echo 'no verdict'); last line: $(tail -n 1 "$log")"
	fi
	for name in $("$LMB" -l); do
		us=$(awk -v n="$name" '$1 == "lmb" && $2 == n { print $3 }' "$log")
		if [ -n "$us" ] && awk -v x="$us" 'BEGIN { exit !(x == x + 0) }'; then
			ok "$kind $name $us us"
		else
			fail "$kind $name: ${us:+median '$us' is not a number}${us:-no result line}"
		fi
	done
	bad=$(grep -E 'BUG:|WARNING:|Oops|Kernel panic|Call Trace|segfault at|domain 0 crashed' \
		"$log" | head -n 5 || true)
	if [ -z "$bad" ]; then ok "$kind-kernel-log-clean"; else fail "$kind-kernel-log-clean: $bad"; fi
}

log=$LOGDIR/bench-smoke-native.serial.log
start=$(date +%s)
ci/qemu-linux.sh -t "$TIMEOUT" -l "$log" -a "panic=-1 xeno.debugexit xeno.test=bench-quick" \
	>/dev/null 2>&1 || true
echo "native Linux, /tests/bench-quick: $(($(date +%s) - start))s (serial log: $log)"
check native "$log"

log=$LOGDIR/bench-smoke-xeno.serial.log
start=$(date +%s)
ci/xeno-run.sh -t "$TIMEOUT" -m 256 -a dom0_mem=192M -l "$log" -x any \
	"$BUILD/linux-xeno/vmlinux console=hvc0 xeno.test=bench-quick" "$BUILD/initramfs.cpio.gz" \
	>/dev/null || true
echo "XenoLinux, /tests/bench-quick: $(($(date +%s) - start))s (serial log: $log)"
check xeno "$log"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
