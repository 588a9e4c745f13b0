#!/bin/sh
# SPDX-License-Identifier: MIT
# XenoLinux as Domain0: boot the hypervisor with build/linux-xeno/vmlinux and
# the busybox initramfs, run the same in-guest suite as the native kernel
# (/tests/smoke; TEST= another), on QEMU or (PLATFORM=bochs) Bochs, check that the kernel runs in ring 1 and user space in ring
# 3, that the kernel log is clean and that Domain0's poweroff ends the machine.
set -eu

BUILD=${BUILD:-build}
LOGDIR=${LOGDIR:-$BUILD/logs}
KERNEL=${KERNEL:-$BUILD/linux-xeno/vmlinux}
INITRD=${INITRD:-$BUILD/initramfs.cpio.gz}
PLATFORM=${PLATFORM:-qemu}
TEST=${TEST:-smoke}
DOM0_MEM=${DOM0_MEM:-128M}
TIMEOUT=${TIMEOUT:-180}
mkdir -p "$LOGDIR"
for f in "$KERNEL" "$INITRD" "$BUILD/xeno.elf"; do
	[ -f "$f" ] || { echo "t-xenolinux: $f not found; run 'make all'"; exit 1; }
done

passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

log=$LOGDIR/xenolinux-$PLATFORM-$TEST.serial.log
start=$(date +%s)
ci/xeno-run.sh -p "$PLATFORM" -t "$TIMEOUT" -m 256 -a "dom0_mem=$DOM0_MEM" -l "$log" -x any \
	"$KERNEL console=hvc0 xeno.test=$TEST" "$INITRD" >/dev/null || true
sed -i 's/\r//g' "$log"
echo "XenoLinux on $PLATFORM, /tests/$TEST: $(($(date +%s) - start))s (serial log: $log)"
grep -E '^(ok|FAIL|skip) ' "$log" || true
passed=$((passed + $(grep -c '^ok ' "$log" || true)))
failed=$((failed + $(grep -c '^FAIL ' "$log" || true)))

if grep -q '^Test result: SUCCESS$' "$log" && grep -q '^(xeno) machine exit: pass$' "$log"; then
	ok xenolinux-verdict
else
	fail "xenolinux-verdict: $(grep '^Test result' "$log" || echo 'no verdict'); $(tail -n 1 "$log")"
fi
if grep -q 'Xeno: Linux in ring 1' "$log" && grep -q '^(xeno) domain 0 shut down: poweroff$' "$log"; then
	ok ring1-and-poweroff
else
	fail "ring1-and-poweroff: no 'Xeno: Linux in ring 1' or no clean poweroff"
fi
bad=$(grep -E 'BUG:|WARNING:|Oops|Kernel panic|Call Trace|segfault at|unchecked MSR|domain 0 crashed' \
	"$log" | head -n 5 || true)
if [ -z "$bad" ]; then ok xenolinux-kernel-log-clean; else fail "xenolinux-kernel-log-clean: $bad"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
