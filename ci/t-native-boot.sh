#!/bin/sh
# SPDX-License-Identifier: MIT
# Boot the native kernel with the busybox initramfs in QEMU and run the in-guest
# smoke test (/tests/smoke), then prove that a failing guest test is noticed,
# and that `poweroff` typed in the shell ends QEMU.
# Serial logs: $LOGDIR/native-boot*.serial.log.  Exit 0 when all checks pass.
set -eu

BUILD=${BUILD:-build}
LOGDIR=${LOGDIR:-$BUILD/logs}
KERNEL=${KERNEL:-$BUILD/linux-native/bzImage}
INITRD=${INITRD:-$BUILD/initramfs.cpio.gz}
TIMEOUT=${TIMEOUT:-120}
work=$BUILD/test-native
mkdir -p "$LOGDIR" "$work"

for f in "$KERNEL" "$INITRD"; do
	[ -f "$f" ] || { echo "t-native-boot: $f not found; run 'make linux-native initramfs'"; exit 1; }
done

passed=0 failed=0 failed_names=
ok()   { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); failed_names="$failed_names ${1%%:*}"; echo "FAIL $*"; }

# Boot once: boot LOG DISK KERNEL-PARAMS; prints QEMU's exit status.
boot() {
	rc=0
	ci/qemu-linux.sh -k "$KERNEL" -i "$INITRD" -t "$TIMEOUT" -l "$1" -d "$2" -n \
		-a "panic=-1 xeno.debugexit $3" >/dev/null 2>&1 || rc=$?
	sed -i 's/\r$//' "$1"	# the serial line discipline sends CR LF
	echo $rc
}

verdict_of() { sed -n 's/^Test result: //p' "$1" | tail -n 1; }

# Kernel trouble anywhere in the log fails the run, whatever the guest said.
check_kernel_log() {
	bad=$(grep -E 'BUG:|WARNING:|Oops|Kernel panic|Call Trace|segfault at' "$1" | head -n 5 || true)
	if [ -z "$bad" ]; then ok "$2-kernel-log-clean"; else fail "$2-kernel-log-clean: $bad"; fi
}

# 1. The smoke test, with a disk whose sector 0 the guest checks and whose
#    sector 1 it writes.
disk=$work/smoke-disk.img
dd if=/dev/zero of="$disk" bs=1M count=1 2>/dev/null
printf 'XENO-SMOKE-DISK\n' | dd of="$disk" conv=notrunc 2>/dev/null
log=$LOGDIR/native-boot.serial.log
start=$(date +%s)
rc=$(boot "$log" "$disk" xeno.test=smoke)
echo "smoke boot: QEMU exit status $rc after $(($(date +%s) - start))s (serial log: $log)"
grep -E '^(ok|FAIL|skip) ' "$log" || true
guest_ok=$(grep -c '^ok ' "$log" || true)
guest_fail=$(grep -c '^FAIL ' "$log" || true)
passed=$((passed + guest_ok)) failed=$((failed + guest_fail))
failed_names=$(sed -n 's/^FAIL \([^: ]*\).*/ \1/p' "$log" | tr -d '\n')
verdict=$(verdict_of "$log")
if [ "$verdict" = SUCCESS ] && [ "$rc" = 33 ]; then
	ok smoke-verdict
else
	fail "smoke-verdict: 'Test result: ${verdict:-<none>}', QEMU exit $rc (33 = SUCCESS, 124 = timeout)"
fi
for dev in virtio-blk virtio-net; do
	grep -q "^ok $dev\$" "$log" || fail "$dev: the guest did not test it (device missing?)"
done
if [ "$(dd if="$disk" bs=512 skip=1 count=1 2>/dev/null | head -c 16)" = XENO-SMOKE-WRITE ]; then
	ok virtio-blk-write-reached-host
else
	fail "virtio-blk-write-reached-host: sector 1 of $disk does not hold the guest's write"
fi
check_kernel_log "$log" smoke

# 2. The failure path: a guest test that fails on purpose must be seen to fail.
log=$LOGDIR/native-boot-selftest.serial.log
rc=$(boot "$log" "$disk" xeno.test=selftest-fail)
verdict=$(verdict_of "$log")
if [ "$verdict" = FAILURE ] && [ "$rc" = 35 ] && grep -q '^FAIL selftest-fail' "$log"; then
	ok failure-path-detected
else
	fail "failure-path-detected: selftest-fail gave 'Test result: ${verdict:-<none>}', QEMU exit $rc (want FAILURE, 35)"
fi
check_kernel_log "$log" selftest

# 3. The interactive path: busybox init gives a shell on the console; the
#    user types `poweroff`, and QEMU must then exit by itself (status 33)
#    within POWEROFF_TIMEOUT seconds (the native kernel has no ACPI: the
#    initramfs's shutdown action ends the machine through isa-debug-exit).
POWEROFF_TIMEOUT=${POWEROFF_TIMEOUT:-30}
log=$LOGDIR/native-boot-poweroff.serial.log
fifo=$work/console.in
rm -f "$fifo" "$log"	# the prompt we wait for must be this run's
mkfifo "$fifo"
ci/qemu-linux.sh -k "$KERNEL" -i "$INITRD" -t "$TIMEOUT" -l "$log" -I -a "panic=-1" \
	<"$fifo" >/dev/null 2>&1 &
qemu=$!
exec 3>"$fifo"	# QEMU's stdin: opening it lets QEMU start
waited=0
until grep -q 'root@xeno:' "$log" 2>/dev/null || [ $waited -ge "$TIMEOUT" ]; do
	sleep 1
	waited=$((waited + 1))
done
echo poweroff >&3
sent=$(date +%s)
rc=0
wait "$qemu" || rc=$?	# bounded by the runner's own timeout
exec 3>&-
secs=$(($(date +%s) - sent))
sed -i 's/\r$//' "$log"
if [ "$rc" = 33 ] && [ "$secs" -le "$POWEROFF_TIMEOUT" ]; then
	ok "shell-poweroff-ends-qemu (${secs}s)"
else
	fail "shell-poweroff-ends-qemu: QEMU exit $rc ${secs}s after 'poweroff' (want 33 within ${POWEROFF_TIMEOUT}s; log: $log)"
fi
check_kernel_log "$log" poweroff

[ -z "$failed_names" ] || echo "failed checks:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
