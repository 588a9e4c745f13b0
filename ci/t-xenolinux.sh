#!/bin/sh
# SPDX-License-Identifier: MIT
# XenoLinux as Domain0: boot the hypervisor with build/linux-xeno/vmlinux and
# the busybox initramfs, run the same in-guest suite as the native kernel
# (/tests/smoke; TEST= another), on QEMU or (PLATFORM=bochs) Bochs, check that
# the kernel runs in ring 1 and user space in ring 3, that the kernel log is
# clean, and that Domain0's /init ends the machine with the test's verdict
# (QEMU exit status 33 for SUCCESS).  On QEMU also: a test made to fail must
# end the machine with the failing code (35), and `poweroff` typed in
# Domain0's shell must end the machine.
set -eu

BUILD=${BUILD:-build}
LOGDIR=${LOGDIR:-$BUILD/logs}
KERNEL=${KERNEL:-$BUILD/linux-xeno/vmlinux}
INITRD=${INITRD:-$BUILD/initramfs.cpio.gz}
PLATFORM=${PLATFORM:-qemu}
TEST=${TEST:-smoke}
DOM0_MEM=${DOM0_MEM:-128M}
TIMEOUT=${TIMEOUT:-180}
POWEROFF_TIMEOUT=${POWEROFF_TIMEOUT:-30}
mkdir -p "$LOGDIR"
for f in "$KERNEL" "$INITRD" "$BUILD/xeno.elf"; do
	[ -f "$f" ] || { echo "t-xenolinux: $f not found; run 'make all'"; exit 1; }
done

passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# boot LOG TEST [xeno-run options]: one boot of Domain0 running /tests/TEST;
# prints how the machine ended (pass, fail, error, skip, timeout, ...).
boot() {
	log=$1 test=$2
	shift 2
	end=$(ci/xeno-run.sh -p "$PLATFORM" -t "$TIMEOUT" -m 256 -a "dom0_mem=$DOM0_MEM" \
		-l "$log" -x any "$@" "$KERNEL console=hvc0${test:+ xeno.test=$test}" "$INITRD" |
		sed -n 's/^xeno-run: ok (\(.*\))$/\1/p; s/^xeno-run: the emulator failed: \([^ ]*\).*/\1/p')
	sed -i 's/\r*$//' "$log"	# hvc0's lines end in CR CR LF
	echo "${end:-unknown}"
}

# Verdicts only from line starts (ci/serial-verdict.sh): a domain's lines
# carry "(dN) ", the hypervisor's "(xeno) ".
. ci/serial-verdict.sh
verdict_of() { serial_verdict "$1"; }

check_kernel_log() {	# LOG NAME
	bad=$(grep -E 'BUG:|WARNING:|Oops|Kernel panic|Call Trace|segfault at|unchecked MSR|domain 0 crashed' \
		"$1" | head -n 5 || true)
	if [ -z "$bad" ]; then ok "$2"; else fail "$2: $bad"; fi
}

# 1. The test suite; the machine's end must carry its verdict.
log=$LOGDIR/xenolinux-$PLATFORM-$TEST.serial.log
start=$(date +%s)
end=$(boot "$log" "$TEST")
echo "XenoLinux on $PLATFORM, /tests/$TEST: $(($(date +%s) - start))s, machine exit $end (serial log: $log)"
grep -E '^(ok|FAIL|skip) ' "$log" || true
passed=$((passed + $(grep -c '^ok ' "$log" || true)))
failed=$((failed + $(grep -c '^FAIL ' "$log" || true)))

verdict=$(verdict_of "$log")
if [ "$verdict" = SUCCESS ] && [ "$end" = pass ] &&
   grep -q '^(xeno) domain 0 ends the machine: SUCCESS$' "$log"; then
	ok xenolinux-verdict
else
	fail "xenolinux-verdict: 'Test result: ${verdict:-<none>}', machine exit '$end' (want SUCCESS, pass); $(tail -n 1 "$log")"
fi
if grep -q 'Xeno: Linux in ring 1' "$log"; then
	ok xenolinux-ring1
else
	fail "xenolinux-ring1: no 'Xeno: Linux in ring 1'"
fi
check_kernel_log "$log" xenolinux-kernel-log-clean

if [ "$PLATFORM" != qemu ]; then
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
fi

# 2. The failure path: a test that fails on purpose must end QEMU with 35.
log=$LOGDIR/xenolinux-$PLATFORM-selftest-fail.serial.log
end=$(boot "$log" selftest-fail)
verdict=$(verdict_of "$log")
if [ "$verdict" = FAILURE ] && [ "$end" = fail ] && grep -q '^FAIL selftest-fail' "$log"; then
	ok xenolinux-failure-path
else
	fail "xenolinux-failure-path: 'Test result: ${verdict:-<none>}', machine exit '$end' (want FAILURE, fail = QEMU 35)"
fi
check_kernel_log "$log" xenolinux-selftest-kernel-log-clean

# 3. `poweroff` typed in Domain0's shell (busybox init) ends the machine.
log=$LOGDIR/xenolinux-$PLATFORM-poweroff.serial.log
fifo=$BUILD/xenolinux-console.in
rm -f "$fifo" "$log"	# the prompt we wait for must be this run's
mkfifo "$fifo"
boot "$log" '' -I <"$fifo" >"$log.end" &
runner=$!
exec 3>"$fifo"	# QEMU's stdin: opening it lets QEMU start
waited=0
until grep -q 'root@xeno:' "$log" 2>/dev/null || [ $waited -ge "$TIMEOUT" ]; do
	sleep 1
	waited=$((waited + 1))
done
echo poweroff >&3
sent=$(date +%s)
wait "$runner" || true	# bounded by the runner's own timeout
exec 3>&-
rm -f "$fifo"
secs=$(($(date +%s) - sent))
end=$(cat "$log.end")
if [ "$end" = pass ] && [ "$secs" -le "$POWEROFF_TIMEOUT" ] &&
   grep -q '^(xeno) domain 0 shut down: poweroff$' "$log"; then
	ok "xenolinux-shell-poweroff (${secs}s)"
else
	fail "xenolinux-shell-poweroff: machine exit '$end' ${secs}s after 'poweroff' (want pass within ${POWEROFF_TIMEOUT}s; log: $log)"
fi
check_kernel_log "$log" xenolinux-poweroff-kernel-log-clean

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
