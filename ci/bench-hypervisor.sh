#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench-hypervisor: run the bench guest a few times under QEMU and write
# docs/bench/hypervisor.md (median of the runs' medians, and their range).
set -eu
BUILD=${BUILD:-build}
RUNS=${RUNS:-3}
OUT=${OUT:-docs/bench/hypervisor.md}
LOGDIR=$BUILD/logs/bench
mkdir -p "$LOGDIR" "$(dirname "$OUT")"
guest=$BUILD/guests/bench.elf

for r in $(seq 1 "$RUNS"); do
	echo "bench-hypervisor: run $r of $RUNS"
	ci/xeno-run.sh -t 120 -a dom0_mem=16M -l "$LOGDIR/run$r.log" -e '^Test result: SUCCESS$' \
		"$guest" "$guest" >/dev/null
	tr -d '\r' <"$LOGDIR/run$r.log" | grep -E '^bench: [a-z0-9_]+ [0-9]+$' | awk '{ print $2, $3 }' \
		>"$LOGDIR/run$r.txt"
done

describe() {
	case $1 in
	null_hypercall) echo "null hypercall (xeno_version) through the hypercall page" ;;
	null_hypercall_int82) echo "null hypercall, raw int \$0x82" ;;
	int80_direct_ring3) echo "int \$0x80 + iret from ring 3, direct trap gate" ;;
	int80_via_gp_ring3) echo "int \$0x80 + iret from ring 3, bounced via #GP (events masked)" ;;
	mmu_update_1) echo "one mmu_update (a PTE rewritten, validated)" ;;
	mmu_update_64_batch) echo "mmu_update with 64 entries, per call" ;;
	mmu_update_64_per_entry) echo "mmu_update with 64 entries, per entry" ;;
	update_va_mapping) echo "update_va_mapping + invlpg" ;;
	event_send_upcall) echo "event send on a loopback channel -> upcall -> return" ;;
	yield_alone) echo "sched_op yield with nothing else runnable" ;;
	domain_switch) echo "domain switch (two domains yielding to each other), per switch" ;;
	*) echo "$1" ;;
	esac
}

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
{
	echo "# Hypervisor mechanism costs"
	echo
	echo "Measured by \`make bench-hypervisor\` ($(date -u +%Y-%m-%d), commit" \
	     "$(git rev-parse --short HEAD 2>/dev/null || echo unknown))."
	echo "The bench guest (ci/guests/bench) runs as Domain0 with dom0_mem=16M under"
	echo "QEMU $(qemu-system-i386 --version | head -n1 | awk '{print $4}') in software emulation (TCG, \`-cpu qemu32\`)"
	echo "on a host \"$cpu\". Each figure is the median of $RUNS runs, each itself the"
	echo "median of 7 timed loops; the range is min-max over the runs. Units are TSC"
	echo "cycles as the guest sees them (under TCG the TSC is the host's), so they show"
	echo "relative costs inside this emulator, not what hardware would do. The same"
	echo "code placed differently can cost up to 15% more or less here (measured: the"
	echo "64-entry mmu_update moved from 72000 to 83000 cycles when an unrelated"
	echo "function grew, and back when padding shifted the code again), so small"
	echo "changes between two reports are not evidence."
	echo
	echo "| mechanism | cycles | range |"
	echo "|---|---:|---|"
	for name in $(awk '{print $1}' "$LOGDIR/run1.txt"); do
		vals=$(cat "$LOGDIR"/run*.txt | awk -v n="$name" '$1 == n { print $2 }' | sort -n)
		count=$(echo "$vals" | wc -l)
		med=$(echo "$vals" | sed -n "$(( (count + 1) / 2 ))p")
		echo "| $(describe "$name") | $med | $(echo "$vals" | head -n1)-$(echo "$vals" | tail -n1) |"
	done
	echo
	echo "Raw logs: \`$LOGDIR/\`."
} >"$OUT"
echo "bench-hypervisor: wrote $OUT"
cat "$OUT"
