#!/bin/sh
# SPDX-License-Identifier: MIT
# The whole block path under XenoLinux: Domain0 boots with a fresh virtio-blk
# image, /tests/blk makes an ext2 file system on /dev/xvda through
# xeno-blkfront, the hypervisor's VBD back end and virtio-blk, writes,
# syncs, reloads the module and reads back.  Then, from the host, the image
# must pass e2fsck -fn and hold the file the guest wrote last.
set -eu

BUILD=${BUILD:-build}
LOGDIR=${LOGDIR:-$BUILD/logs}
KERNEL=${KERNEL:-$BUILD/linux-xeno/vmlinux}
INITRD=${INITRD:-$BUILD/initramfs.cpio.gz}
TIMEOUT=${TIMEOUT:-300}
mkdir -p "$LOGDIR"
for f in "$KERNEL" "$INITRD" "$BUILD/xeno.elf"; do
	[ -f "$f" ] || { echo "t-blk: $f not found; run 'make all'"; exit 1; }
done

passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
. ci/serial-verdict.sh

img=$BUILD/t-blk.img log=$LOGDIR/blk-xenolinux.serial.log
rm -f "$img" && truncate -s 64M "$img"
end=$(ci/xeno-run.sh -t "$TIMEOUT" -m 256 -a dom0_mem=128M -d "$img" -l "$log" -x any \
	"$KERNEL console=hvc0 xeno.test=blk" "$INITRD" | sed -n 's/^xeno-run: ok (\(.*\))$/\1/p')
serial_lines "$log" | grep -E '^(ok|FAIL) ' || true
passed=$((passed + $(serial_lines "$log" | grep -c '^ok ' || true)))
failed=$((failed + $(serial_lines "$log" | grep -c '^FAIL ' || true)))
if [ "$(serial_verdict "$log")" = SUCCESS ] && [ "$end" = pass ]; then
	ok blk-verdict
else
	fail "blk-verdict: '$(serial_verdict "$log")', machine exit '$end' (log: $log)"
fi
if out=$(e2fsck -fn "$img" 2>&1); then
	ok image-fsck-clean
else
	fail "image-fsck-clean: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
fi
marker=$(debugfs -R 'cat /marker' "$img" 2>/dev/null || true)
if [ "$marker" = xeno-blk-marker ]; then ok image-holds-marker; else fail "image-holds-marker: '$marker'"; fi
bad=$(serial_lines "$log" | grep -E 'BUG:|WARNING:|Oops|Kernel panic|Call Trace' | head -n 3 || true)
if [ -z "$bad" ]; then ok blk-kernel-log-clean; else fail "blk-kernel-log-clean: $bad"; fi
rm -f "$img"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
