#!/bin/sh
# SPDX-License-Identifier: MIT
# A differential stress test (issue 15): the same broad user-space workload
# (initramfs/tools/xstress.c via /tests/stress) in native Linux and in
# XenoLinux under the same QEMU; every stressor must pass in both with the
# same digest, and both kernel logs must be clean.
set -eu

BUILD=${BUILD:-build}
LOGDIR=${LOGDIR:-$BUILD/logs}
INITRD=${INITRD:-$BUILD/initramfs.cpio.gz}
NATIVE=${NATIVE:-$BUILD/linux-native/bzImage}
XENO=${XENO:-$BUILD/linux-xeno/vmlinux}
TIMEOUT=${TIMEOUT:-300}
mkdir -p "$LOGDIR"
for f in "$INITRD" "$NATIVE" "$XENO" "$BUILD/xeno.elf"; do
	[ -f "$f" ] || { echo "t-stress: $f not found; run 'make all'"; exit 1; }
done

passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

nlog=$LOGDIR/stress-native.serial.log xlog=$LOGDIR/stress-xeno.serial.log
ci/qemu-linux.sh -k "$NATIVE" -i "$INITRD" -m 256 -t "$TIMEOUT" -l "$nlog" \
	-a "panic=-1 xeno.debugexit xeno.test=stress" >/dev/null 2>&1 || true
ci/xeno-run.sh -t "$TIMEOUT" -m 256 -a dom0_mem=192M -l "$xlog" -x any \
	"$XENO console=hvc0 xeno.test=stress" "$INITRD" >/dev/null 2>&1 || true
sed -i 's/\r*$//' "$nlog" "$xlog"

lines() { grep -E '^stress: [a-z]+ (ok [0-9a-f]{8}$|FAIL )' "$1" || true; }
for kernel in native xeno; do
	log=$nlog
	[ $kernel = xeno ] && log=$xlog
	if grep -q '^Test result: SUCCESS' "$log"; then
		ok "$kernel-verdict"
	else
		fail "$kernel-verdict: $(grep -E '^stress: .* FAIL|^Test result' "$log" | head -n 3 | tr '\n' ' ')"
	fi
	bad=$(grep -E 'BUG:|WARNING:|Oops|Kernel panic|Call Trace|domain 0 crashed' "$log" | head -n 3 || true)
	if [ -z "$bad" ]; then ok "$kernel-kernel-log-clean"; else fail "$kernel-kernel-log-clean: $bad"; fi
done
# Stressor by stressor: the same line (name, ok, digest) from both kernels.
for name in $(lines "$nlog" | awk '{ print $2 }'); do
	n=$(lines "$nlog" | awk -v s="$name" '$2 == s')
	x=$(lines "$xlog" | awk -v s="$name" '$2 == s')
	if [ "$n" = "$x" ] && [ "${n#* ok }" != "$n" ]; then
		ok "$name"
	else
		fail "$name: native '$n', XenoLinux '${x:-nothing}'"
	fi
done
[ -n "$(lines "$nlog")" ] || fail "native printed no stressor lines"
echo "logs: $nlog $xlog"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
