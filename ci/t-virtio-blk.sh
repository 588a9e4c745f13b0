#!/bin/sh
# SPDX-License-Identifier: MIT
# The virtio-blk driver moves real data.  QEMU boots the hypervisor with
# fresh raw images as legacy virtio-blk disks and the boot option
# pdisk_selftest (hypervisor/pdisk_selftest.c), which saves the last 256
# sectors of each disk, writes a pattern there, reads it back and puts the
# saved data back.  The host then reads the image files: untouched after a
# plain run, the pattern in exactly those sectors after pdisk_selftest=keep.
# The test sectors start with a host-written pattern, so the boot log also
# shows that reads come from the file.  Without disks the boot still works.
#
# usage: ci/t-virtio-blk.sh     (BUILD, LOGDIR and XENO_ELF as for ci/xeno-run.sh)
set -u
BUILD=${BUILD:-build}
LOGDIR=${LOGDIR:-$BUILD/logs}/virtio-blk
mkdir -p "$LOGDIR"
hello=$BUILD/guests/hello.elf
MIB=64
SECTORS=$((MIB * 2048))
TEST_SECTORS=256			# pdisk_selftest.c: SELFTEST_SECTORS
FIRST=$((SECTORS - TEST_SECTORS))
pass=0 fail=0

# pattern FIRST COUNT TAG: what pdisk_selftest writes (tag w) to COUNT
# sectors from FIRST: 32 lines "xeno-%08x-TAG\n" per sector.
pattern() {
	awk -v first="$1" -v n="$2" -v tag="$3" 'BEGIN {
		for (s = first; s < first + n; s++)
			for (i = 0; i < 32; i++)
				printf "xeno-%08x-%s\n", s, tag
	}'
}

# fresh IMAGE: zeros, the test sectors holding pattern tag o ("original").
fresh() {
	rm -f "$1"
	truncate -s "${MIB}M" "$1"
	pattern "$FIRST" "$TEST_SECTORS" o |
		dd of="$1" bs=512 seek="$FIRST" conv=notrunc status=none
	cp "$1" "$1.orig"
}

ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL $1: $2"
	[ -f "$LOGDIR/$1.log" ] && tail -n 8 "$LOGDIR/$1.log" | sed 's/^/    | /'
	fail=$((fail + 1))
}

# boot NAME XENO-RUN-ARGS...: hello as Domain0; the selftest must pass.
boot() {
	name=$1
	shift
	ci/xeno-run.sh -t 60 -l "$LOGDIR/$name.log" -e 'Test result: SUCCESS' "$@" "$hello" \
		>"$LOGDIR/$name.runner" 2>&1 || { cat "$LOGDIR/$name.runner"; return 1; }
}

if [ ! -f "$hello" ]; then
	echo "FAIL: $hello not built (make guests)"
	echo "0 passed, 1 failed"
	exit 1
fi

# The data written goes back: the image is byte for byte what it was.
img=$LOGDIR/restore.img
fresh "$img"
if ! why=$(boot restore -a pdisk_selftest -d "$img" \
	-e "pdisk 0: virtio0, $SECTORS sectors \\($MIB MiB\\)" \
	-e "pdisk selftest: virtio0: sector $FIRST read 'xeno-$(printf %08x "$FIRST")-o'" \
	-e 'pdisk selftest: ok'); then
	bad restore "$why"
elif ! cmp -s "$img" "$img.orig"; then
	bad restore "the image changed: $(cmp "$img" "$img.orig" | head -n 1)"
else
	ok restore
fi

# The pattern is in the file, in the test sectors and nowhere else.
img=$LOGDIR/keep.img
fresh "$img"
if ! why=$(boot keep -a pdisk_selftest=keep -d "$img" -e 'pdisk selftest: ok .*pattern kept'); then
	bad keep "$why"
elif ! pattern "$FIRST" "$TEST_SECTORS" w | cmp -s -i "$((FIRST * 512)):0" "$img" -; then
	bad keep "the test sectors do not hold the pattern"
elif ! cmp -s -n "$((FIRST * 512))" "$img" "$img.orig"; then
	bad keep "sectors before the test region changed"
else
	ok keep
fi

# Two disks, the second read-only: it is read, never written.
img=$LOGDIR/two-a.img ro=$LOGDIR/two-ro.img
fresh "$img"
fresh "$ro"
if ! why=$(boot two -a pdisk_selftest -d "$img" \
	-q "-drive file=$ro,if=none,id=ro,format=raw,readonly=on" \
	-q "-device virtio-blk-pci,drive=ro,disable-modern=on" \
	-e 'pdisk 1: virtio1, .* read-only' -e 'pdisk selftest: virtio1: sector .* read' \
	-e 'pdisk selftest: ok \(2 disks\)'); then
	bad two "$why"
elif ! cmp -s "$img" "$img.orig" || ! cmp -s "$ro" "$ro.orig"; then
	bad two "an image changed"
else
	ok two
fi

# A queue of 16 holds one request of 11 segments: the driver answers -EBUSY
# and calls pdisk_room() when a request completes.
img=$LOGDIR/small.img
fresh "$img"
if ! why=$(boot small -a pdisk_selftest -q "-drive file=$img,if=none,id=small,format=raw" \
	-q "-device virtio-blk-pci,drive=small,disable-modern=on,queue-size=16" \
	-e 'virtio0: queue full [1-9][0-9]* times, room again [1-9][0-9]* times' \
	-e 'pdisk selftest: ok'); then
	bad small "$why"
elif ! cmp -s "$img" "$img.orig"; then
	bad small "the image changed"
else
	ok small
fi

# No virtio device at all: nothing to test, and the boot goes on.
if ! why=$(boot none -a pdisk_selftest -e 'pdisk selftest: no disks'); then
	bad none "$why"
else
	ok none
fi

[ "$fail" -eq 0 ] && rm -f "$LOGDIR"/*.img "$LOGDIR"/*.img.orig	# kept to look at otherwise
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
