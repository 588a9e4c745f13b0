#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench-boot: boot time of native Linux and of XenoLinux (under Xeno) to
# user space, same QEMU settings, runs interleaved; writes docs/bench/boot.md.
set -eu
BUILD=${BUILD:-build}
RUNS=${RUNS:-5}
OUT=${OUT:-docs/bench/boot.md}
MEM=256
LOGDIR=$BUILD/logs/bench-boot
mkdir -p "$LOGDIR" "$(dirname "$OUT")"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# The kernel's own timestamp when it starts /init, in ms.
init_ms() { sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process.*/\1/p' "$1" | tr -d '\r' |
	awk '{ printf "%d", $1 * 1000 }'; }

: >"$LOGDIR/native.txt"; : >"$LOGDIR/xeno.txt"
for r in $(seq 1 "$RUNS"); do
	echo "bench-boot: run $r of $RUNS"
	log=$LOGDIR/native-$r.log
	t0=$(now_ms)
	ci/qemu-linux.sh -m $MEM -t 120 -l "$log" -a "panic=-1 xeno.debugexit xeno.test=boot" \
		>/dev/null 2>&1 || true
	echo "$(( $(now_ms) - t0 )) $(init_ms "$log")" >>"$LOGDIR/native.txt"
	log=$LOGDIR/xeno-$r.log
	t0=$(now_ms)
	ci/xeno-run.sh -t 120 -m $MEM -a dom0_mem=192M -l "$log" -e '^Test result: SUCCESS$' \
		"$BUILD/linux-xeno/vmlinux console=hvc0 xeno.test=boot" "$BUILD/initramfs.cpio.gz" \
		>/dev/null
	echo "$(( $(now_ms) - t0 )) $(init_ms "$log")" >>"$LOGDIR/xeno.txt"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
range() { sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }'; }
col() { awk -v c="$2" '{ print $c }' "$1"; }
nw=$(col "$LOGDIR/native.txt" 1 | median) xw=$(col "$LOGDIR/xeno.txt" 1 | median)
ni=$(col "$LOGDIR/native.txt" 2 | median) xi=$(col "$LOGDIR/xeno.txt" 2 | median)
{
	echo "# Boot time: native Linux vs XenoLinux"
	echo
	echo "Measured by \`make bench-boot\` ($(date -u +%Y-%m-%d), commit" \
	     "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)): $RUNS runs of each, interleaved,"
	echo "under QEMU $(qemu-system-i386 --version | head -n1 | awk '{print $4}') (TCG, \`-cpu qemu32 -m $MEM\`). Both boot the same"
	echo "initramfs, run a test that only checks it reached user space, and power off."
	echo "Native Linux boots from SeaBIOS with its bzImage; XenoLinux boots as Domain0"
	echo "(dom0_mem=192M) under the Xeno hypervisor, which QEMU loads by multiboot."
	echo
	echo "| | native | XenoLinux | ratio |"
	echo "|---|---:|---:|---:|"
	echo "| wall clock, QEMU start to power-off (ms) | $nw | $xw | $(awk "BEGIN { printf \"%.2f\", $xw / $nw }") |"
	echo "| kernel time to starting /init (ms, printk clock) | $ni | $xi | $(awk "BEGIN { printf \"%.2f\", $xi / $ni }") |"
	echo
	echo "Ranges over the runs: native wall $(col "$LOGDIR/native.txt" 1 | range) ms, kernel" \
	     "$(col "$LOGDIR/native.txt" 2 | range) ms; XenoLinux wall $(col "$LOGDIR/xeno.txt" 1 | range) ms,"
	echo "kernel $(col "$LOGDIR/xeno.txt" 2 | range) ms. The wall-clock figure includes firmware (SeaBIOS"
	echo "and bzImage decompression natively; the hypervisor's boot and domain build for"
	echo "XenoLinux). Raw logs: \`$LOGDIR/\`."
} >"$OUT"
echo "bench-boot: wrote $OUT"
cat "$OUT"
