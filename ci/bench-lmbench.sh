#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench: the Xen paper's lmbench Tables 3-5, native Linux vs XenoLinux.
# Boots each kernel RUNS times, alternating, under the same QEMU settings
# (-cpu qemu32 -m 256, pinned to one host CPU, tmpfs scratch), runs
# /tests/bench (lmbench-xeno) in it and writes the report, a chart of the
# ratios and the raw data.
#
# usage: ci/bench-lmbench.sh [-R] [-h]
#   -R           only write the report again, from the raw data of the last run
#   environment:
#   RUNS=N       boots of each kernel (default 9)
#   CPU=N        host CPU that QEMU is pinned to (default 1; 0 on a 1-CPU host)
#   LMB_ARGS=A   more lmbench-xeno options, words separated by ':' (-t:50:-r:5)
#   OUT=FILE     the report (default docs/bench/lmbench.md); the chart is
#                FILE's .png, the raw data FILE's -raw/ directory
#   TIMEOUT=S    limit of one boot (default 900)
#   NICE=N       QEMU's nice value (default -10: ahead of other work on the CPU)
# Until XenoLinux boots, or when a run fails, it says so and reports what
# it has: the native column alone if need be.  Exit status 1 if no native
# run succeeded.
set -eu

usage() { sed -n '9,21p' "$0" | sed 's/^# \{0,1\}//'; exit "$1"; }
report_only=0
case $#:${1:-} in
0:) ;;
1:-R) report_only=1 ;;
1:-h|1:--help) usage 0 ;;
*) usage 2 ;;
esac

BUILD=${BUILD:-build}
RUNS=${RUNS:-9}
OUT=${OUT:-docs/bench/lmbench.md}
PNG=${OUT%.md}.png
RAW=${OUT%.md}-raw
TIMEOUT=${TIMEOUT:-900}
LMB_ARGS=${LMB_ARGS:-}
MEM=256
DOM0_MEM=192M
LOGDIR=$BUILD/logs/bench-lmbench
IMG=$LOGDIR/images
NICE=${NICE:--10}
LMB=$BUILD/initramfs-bin/lmbench-xeno
if [ -z "${CPU:-}" ]; then
	CPU=1
	[ "$(nproc)" -ge 2 ] || CPU=0
fi
case $RUNS in ''|*[!0-9]*|0) echo "bench-lmbench: RUNS must be a positive number" >&2; exit 2 ;; esac

for f in "$BUILD/xeno.elf" "$BUILD/linux-native/bzImage" "$BUILD/linux-xeno/vmlinux" \
	"$BUILD/initramfs.cpio.gz" "$LMB"; do
	[ $report_only = 1 ] || [ -f "$f" ] || { echo "bench-lmbench: $f not found; run 'make all'" >&2; exit 2; }
done
[ $report_only = 0 ] || [ -f "$RAW/run.info" ] ||
	{ echo "bench-lmbench: no $RAW/run.info: nothing to report (run without -R)" >&2; exit 2; }
command -v gnuplot >/dev/null || { echo "bench-lmbench: gnuplot not found; run 'make deps'" >&2; exit 2; }
mkdir -p "$LOGDIR" "$RAW" "$(dirname "$OUT")"
# Two runs at once would time each other and share the logs.
exec 9>"$BUILD/.bench-lmbench.lock"
flock -n 9 || { echo "bench-lmbench: another run holds $BUILD/.bench-lmbench.lock" >&2; exit 2; }

# The paper's Tables 3-5 (Xen and the Art of Virtualization, SOSP 2003), µs:
# name, column heading, table, Linux UP, Xen.
PAPER='null_call	null call	3	0.45	0.46
null_io	null I/O	3	0.50	0.50
stat	stat	3	1.28	1.22
open_close	open/close	3	1.92	1.88
select_tcp	slct TCP	3	5.70	5.69
sig_install	sig inst	3	0.68	0.69
sig_handler	sig hndl	3	2.49	1.75
fork_exit	fork proc	3	110	198
fork_exec	exec proc	3	530	768
fork_sh	sh proc	3	4000	4800
ctx_2p_0k	2p/0K	4	0.77	1.97
ctx_2p_16k	2p/16K	4	0.91	2.22
ctx_2p_64k	2p/64K	4	1.06	2.67
ctx_8p_16k	8p/16K	4	1.03	3.07
ctx_8p_64k	8p/64K	4	24.3	28.7
ctx_16p_16k	16p/16K	4	3.61	7.08
ctx_16p_64k	16p/64K	4	37.6	39.4
fs_create_0k	0K create	5	32.1	32.5
fs_delete_0k	0K delete	5	6.08	5.86
fs_create_10k	10K create	5	66.0	68.2
fs_delete_10k	10K delete	5	12.5	13.6
mmap_lat	mmap lat	5	68.0	139
prot_fault	prot fault	5	1.06	1.40
page_fault	page fault	5	1.42	2.73'
if [ $report_only = 0 ] && [ "$("$LMB" -l | tr '\n' ' ')" != "$(echo "$PAPER" | cut -f1 | tr '\n' ' ')" ]; then
	echo "bench-lmbench: lmbench-xeno -l and this script's table disagree" >&2
	exit 2
fi

# show_new LOG LABEL: print LOG's benchmark lines after line $shown, as
# progress; $shown becomes the count of lines seen.
show_new() {
	total=$({ wc -l <"$1"; } 2>/dev/null || echo 0)
	if [ "$total" -gt "$shown" ]; then
		sed -n "$((shown + 1)),${total}p" "$1" | awk -v k="$2" '
			{ sub(/\r+$/, "") }
			/^lmb / { printf "  %-14s %-14s %12.3f us\n", k, $2, $3 }
			/^lmb-fail / { print "  " k " " $0 }'
		shown=$total
	fi
}

# run_one KIND R: boot KIND (native or xeno) with /tests/bench; keep its
# benchmark lines in $RAW/KIND-R.txt.  Returns 0 if every benchmark ran.
run_one() {
	kind=$1 r=$2
	log=$LOGDIR/$kind-$r.log rcf=$LOGDIR/$kind-$r.rc runner=$LOGDIR/$kind-$r.runner
	rm -f "$log" "$rcf"
	t0=$(date +%s)
	case $kind in
	native)
		label="native $r/$RUNS"
		(set +e; nice -n "$NICE" taskset -c "$CPU" ci/qemu-linux.sh -m $MEM -t "$TIMEOUT" \
			-k "$IMG/bzImage" -i "$IMG/initramfs.cpio.gz" -l "$log" \
			-a "panic=-1 mem=$DOM0_MEM$khz_arg xeno.debugexit xeno.test=bench$arg" >"$runner" 2>&1
		 echo $? >"$rcf") &
		;;
	xeno)
		label="XenoLinux $r/$RUNS"
		(set +e; XENO_ELF=$IMG/xeno.elf nice -n "$NICE" taskset -c "$CPU" ci/xeno-run.sh \
			-t "$TIMEOUT" -m $MEM -a dom0_mem=$DOM0_MEM -l "$log" -x any \
			"$IMG/vmlinux console=hvc0 xeno.test=bench$arg" "$IMG/initramfs.cpio.gz" >"$runner" 2>&1
		 echo $? >"$rcf") &
		;;
	esac
	echo "bench-lmbench: $label: booting"
	shown=0
	while [ ! -f "$rcf" ]; do
		sleep 2
		show_new "$log" "$label"
	done
	wait
	show_new "$log" "$label"
	secs=$(($(date +%s) - t0))
	tr -d '\r' <"$log" | grep -E '^lmb(-[a-z]+)? ' >"$RAW/$kind-$r.txt" || true
	echo "lmb-run $kind $r wall_s $secs runner_rc $(cat "$rcf")" >>"$RAW/$kind-$r.txt"
	# A run is good if the suite ran to its end and every loop worked; a
	# derived figure that came out not positive (noise) is only noted.
	if grep -q '^lmb-end' "$RAW/$kind-$r.txt" &&
	   ! grep '^lmb-fail' "$RAW/$kind-$r.txt" | grep -qv 'is not positive$'; then
		echo "bench-lmbench: $label: done in ${secs}s"
		grep '^lmb-fail' "$RAW/$kind-$r.txt" | sed "s|^|bench-lmbench: $label: |" || true
		# A kernel complaint in a run that finished is noted, not hidden.
		bad=$(tr -d '\r' <"$log" | grep -E 'BUG:|WARNING:|Oops|Call Trace|segfault at' | head -n 3 | tr '\n' ';')
		[ -z "$bad" ] || { echo "lmb-kernel-log $bad" >>"$RAW/$kind-$r.txt"
			echo "bench-lmbench: $label: kernel log: $bad"; }
		return 0
	fi
	why=$(tr -d '\r' <"$log" | grep -E '^Test result:|^lmb-fail|BUG:|Oops|Kernel panic|domain 0 crashed|machine exit' |
		head -n 5 | tr '\n' ';')
	last=$(awk '$1 == "lmb" { n = $2 } END { print n }' "$RAW/$kind-$r.txt")
	echo "lmb-trouble after ${last:-the start} (runner status $(cat "$rcf")): ${why:-no verdict}" >>"$RAW/$kind-$r.txt"
	echo "bench-lmbench: $label: FAILED after ${secs}s (runner status $(cat "$rcf"); ${why:-no verdict}); log: $log"
	echo "bench-lmbench: last lines of $log:"
	tr -d '\r' <"$log" | tail -n 15 | sed 's/^/  | /'
	fails="$fails $kind-$r"
	return 1
}

# run_all: measure the TSC, then boot each kernel RUNS times, alternating;
# the output goes to $RAW, the facts of the run to $RAW/run.info (-R reads it).
run_all() {
	# Under TCG the guest's TSC is the host's: measure its rate once, here, and
	# give it to every guest, so that both kernels use the same clock.
	mhz=$("$LMB" -M 2>/dev/null) || mhz=
	lmb_args=${mhz:+-c:$mhz}${LMB_ARGS:+${mhz:+:}$LMB_ARGS}
	arg=${lmb_args:+ xeno.lmb=$lmb_args}
	# Native Linux calibrates the TSC against the PIT, which a busy host can
	# make fail; it then falls back to a jiffies clock.  Given the rate, every
	# native boot uses the TSC, as XenoLinux (whose rate comes from Xeno) does.
	khz_arg=${mhz:+ tsc_early_khz=$(awk -v m="$mhz" 'BEGIN { printf "%d", m * 1000 + 0.5 }')}
	case $LMB_ARGS in *[,\ ]*) echo "bench-lmbench: LMB_ARGS may not hold ',' or ' '" >&2; exit 2 ;; esac

	rm -rf "$RAW"/native-*.txt "$RAW"/xeno-*.txt "$RAW"/summary.tsv "$RAW"/run.info "${LOGDIR:?}"/*
	# The images as they are now: others may rebuild build/ during the run.
	mkdir -p "$IMG"
	cp "$BUILD/xeno.elf" "$BUILD/linux-xeno/vmlinux" "$BUILD/linux-native/bzImage" \
		"$BUILD/initramfs.cpio.gz" "$IMG/"
	images=$(cd "$IMG" && md5sum xeno.elf vmlinux bzImage initramfs.cpio.gz |
		awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, substr($1, 1, 8) }')
	start=$(date +%s)
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	echo "bench-lmbench: $RUNS boots each of native Linux and XenoLinux, alternating, on host CPU $CPU"
	echo "bench-lmbench: TSC ${mhz:-not measured (each guest calibrates its own)} MHz; logs in $LOGDIR/"

	fails='' shown=0
	nat_ok=0 xen_ok=0 boots=0
	for r in $(seq 1 "$RUNS"); do
		if [ "$boots" -gt 0 ]; then
			spent=$(($(date +%s) - start))
			echo "bench-lmbench: $((spent / 60)) min so far, about" \
			     "$((spent * (2 * RUNS - boots) / boots / 60 + 1)) min to go"
		fi
		# Alternate which kernel goes first, so that slow drifts of the host hit both.
		if [ $((r % 2)) -eq 1 ]; then order="native xeno"; else order="xeno native"; fi
		for kind in $order; do
			boots=$((boots + 1))
			if run_one "$kind" "$r"; then
				case $kind in native) nat_ok=$((nat_ok + 1)) ;; xeno) xen_ok=$((xen_ok + 1)) ;; esac
			fi
		done
	done
	load1=$(cut -d' ' -f1-3 /proc/loadavg)
	elapsed=$(($(date +%s) - start))
	cat >"$RAW/run.info" <<EOF
run_date='$(date -u '+%Y-%m-%d %H:%M UTC')'
elapsed=$elapsed
load0='$load0'
load1='$load1'
mhz='$mhz'
images='$images'
RUNS=$RUNS
CPU=$CPU
nat_ok=$nat_ok
xen_ok=$xen_ok
fails='$fails'
EOF
}

[ $report_only = 1 ] || run_all
# shellcheck disable=SC1091 # written by run_all
. "$RAW/run.info"

# summary.tsv, one line per measurement: name, lmb or lmb-aux; for native
# and then XenoLinux the median over the boots of each boot's median, the
# lowest and highest of those and the boots; then the ratio: the median,
# lowest and highest over the boot pairs (native and XenoLinux boot R, which
# ran back to back and so saw much the same host) of XenoLinux / native, or
# without pairs the ratio of the medians.  Failed runs' numbers still count
# if they printed some (a run is only partly bad); their failure is listed.
summary=$RAW/summary.tsv
summarize() {
	awk -F' ' '
	function sort(a, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	}
	function med(a, n) { return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
	FNR == 1 { nf = split(FILENAME, path, "/"); run = path[nf]; sub(/\.txt$/, "", run)
		kind = run; sub(/-.*/, "", kind); r = run; sub(/.*-/, "", r); runs[r] = 1 }
	($1 == "lmb" || $1 == "lmb-aux") && $3 ~ /^-?[0-9.]+$/ {
		if (!($2 in type)) order[++names] = $2
		type[$2] = $1; v[kind, $2, r] = $3
	}
	END {
		print "# name\ttype\tnative\tmin\tmax\tboots\txeno\tmin\tmax\tboots\tratio\tpair_min\tpair_max"
		for (i = 1; i <= names; i++) {
			name = order[i]; line = name "\t" type[name]
			for (k = 0; k < 2; k++) {
				kind = k ? "xeno" : "native"; n = 0; m[kind] = ""
				for (r in runs) if ((kind, name, r) in v) a[++n] = v[kind, name, r]
				sort(a, n)
				if (n) { m[kind] = med(a, n); line = line sprintf("\t%.6g\t%.6g\t%.6g\t%d", m[kind], a[1], a[n], n) }
				else line = line "\t\t\t\t0"
			}
			n = 0
			for (r in runs)
				if (("native", name, r) in v && ("xeno", name, r) in v && v["native", name, r] > 0)
					a[++n] = v["xeno", name, r] / v["native", name, r]
			sort(a, n)
			if (n)
				q = sprintf("%.6g\t%.6g\t%.6g", med(a, n), a[1], a[n])
			else if (m["native"] != "" && m["xeno"] != "" && m["native"] > 0)
				q = sprintf("%.6g\t\t", m["xeno"] / m["native"])
			else
				q = "\t\t"
			print line "\t" q
		}
	}' "$@"
}
raws=
for f in "$RAW"/native-*.txt "$RAW"/xeno-*.txt; do
	[ -f "$f" ] && raws="$raws $f"
done
[ -n "$raws" ] || { echo "bench-lmbench: no raw data in $RAW/" >&2; exit 1; }
# shellcheck disable=SC2086 # the names have no blanks
summarize $raws >"$summary"

# get NAME COLUMN: a field of summary.tsv ("" if none): 3-6 native median,
# min, max, boots; 7-10 the same for XenoLinux; 11 ratio; 12-13 pair range.
get() { awk -F'\t' -v n="$1" -v c="$2" '$1 == n { print $c }' "$summary"; }
fmt() { [ -n "$1" ] && awk -v x="$1" 'BEGIN {
	a = x < 0 ? -x : x
	if (a >= 100) printf "%.0f", x; else if (a >= 10) printf "%.1f", x; else printf "%.2f", x }' || echo "—"; }
# cell NAME COL: "median (min–max)" of column COL's kernel; "—" if none.
cell() {
	m=$(get "$1" "$2")
	[ -n "$m" ] || { echo "—"; return; }
	lo=$(get "$1" $(($2 + 1))) hi=$(get "$1" $(($2 + 2)))
	[ "$(get "$1" $(($2 + 3)))" -gt 1 ] || { fmt "$m"; return; }
	echo "$(fmt "$m") ($(fmt "$lo")–$(fmt "$hi"))"
}
ratio_cell() {
	q=$(get "$1" 11)
	[ -n "$q" ] || { echo "—"; return; }
	lo=$(get "$1" 12) hi=$(get "$1" 13)
	if [ -n "$lo" ] && [ "$lo" != "$hi" ]; then
		echo "**$(fmt "$q")** ($(fmt "$lo")–$(fmt "$hi"))"
	else
		echo "**$(fmt "$q")**"
	fi
}
pratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

table() {
	echo "| $2 | native | XenoLinux | **ratio** | paper L-UP | paper Xen | **paper ratio** |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	echo "$PAPER" | awk -F'\t' -v t="$1" '$3 == t' | while IFS='	' read -r name head _ lup xen; do
		echo "| $head | $(cell "$name" 3) | $(cell "$name" 7) | $(ratio_cell "$name")" \
		     "| $lup | $xen | **$(pratio "$xen" "$lup")** |"
	done
}

# The chart: our ratio, with the lowest and highest boot pair's as error
# bars, beside the paper's, per benchmark, on a log scale.
dat=$LOGDIR/ratios.dat
echo "$PAPER" | while IFS='	' read -r name head _ lup xen; do
	awk -F'\t' -v n="$name" -v h="$head" -v p="$(pratio "$xen" "$lup")" '
		function pos(x) { return x != "" && x + 0 > 0 }
		$1 == n { found = 1
			if (!pos($11)) { printf "\"%s\" ? ? ? %s %s %s\n", h, p, p, p; exit }
			lo = pos($12) ? $12 : 0.01; hi = pos($13) ? $13 : $11
			printf "\"%s\" %s %s %s %s %s %s\n", h, $11, lo, hi, p, p, p }
		END { if (!found) printf "\"%s\" ? ? ? %s %s %s\n", h, p, p, p }' "$summary"
done >"$dat"
# Log scale from 0.5, or from 0.25 if a ratio is below 0.55.
ymin=$(awk '{ for (i = 2; i <= 4; i++) if ($i != "?" && $i + 0 < 0.55) low = 1 }
	END { print low ? 0.25 : 0.5 }' "$dat")
gnuplot <<EOF
set terminal pngcairo size 1400,650 font "sans,11"
set output "$PNG"
set title "lmbench: XenoLinux / native Linux (QEMU TCG, $(date -u +%Y-%m-%d)) vs the paper's Xen / Linux UP"
set datafile missing "?"
set logscale y 2
set yrange [$ymin:*]
set ylabel "slowdown ratio (log scale; 1 = no overhead)"
set grid ytics
set style data histogram
set style histogram errorbars gap 1.5 lw 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xtics rotate by -40 left nomirror
set key outside top center horizontal
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "black"
set arrow from 9.5, graph 0 to 9.5, graph 1 nohead lc rgb "gray40"
set arrow from 16.5, graph 0 to 16.5, graph 1 nohead lc rgb "gray40"
set label "Table 3: processes" at 0, graph 0.96
set label "Table 4: context switch" at 10, graph 0.96
set label "Table 5: file and VM" at 17, graph 0.96
set bmargin 7
plot "$dat" using 2:3:4:xtic(1) title "ours: XenoLinux / native (bars: lowest and highest boot pair)" lc rgb "#d95f02", \
     "" using 5:6:7 title "paper: Xen / L-UP (SOSP 2003)" lc rgb "#7570b3"
EOF

status_line() {
	if [ "$xen_ok" -eq 0 ] && [ -z "$(get null_call 7)" ]; then
		echo "**XenoLinux did not complete a run** ($((RUNS - xen_ok)) of $RUNS failed): the XenoLinux"
		echo "columns are empty; see the failed runs below and their serial logs."
	elif [ "$xen_ok" -lt "$RUNS" ] || [ "$nat_ok" -lt "$RUNS" ]; then
		echo "**Not every run completed**: native $nat_ok of $RUNS, XenoLinux $xen_ok of $RUNS (see below)."
	else
		echo "Every run completed: native $nat_ok of $RUNS, XenoLinux $xen_ok of $RUNS."
	fi
}

# The settings the guests reported (lmb-info ... target_ms T reps R).
info=$(cat "$RAW"/*-*.txt 2>/dev/null | grep -m1 '^lmb-info kernel') || info=
target=$(echo "$info" | sed -n 's/.* target_ms \([0-9.]*\).*/\1/p')
reps=$(echo "$info" | sed -n 's/.* reps \([0-9]*\).*/\1/p')
target=${target:-?} reps=${reps:-?}
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
qver=$(qemu-system-i386 --version | head -n1 | awk '{print $4}')

# furthest: the benchmarks whose ratio exceeds the paper's most, as a list.
furthest() {
	echo "$PAPER" | while IFS='	' read -r name head _ lup xen; do
		q=$(get "$name" 11)
		[ -n "$q" ] && awk -v q="$q" -v p="$(pratio "$xen" "$lup")" -v h="$head" \
			'BEGIN { if (q > 0) printf "%.3f\t%s\t%.2f\t%.2f\n", q / p, h, q, p }'
	done | sort -t '	' -k1,1gr | head -n 6 |
		awk -F'\t' '{ printf "- *%s*: %s here, %s in the paper (%.1f times the paper'"'"'s ratio)\n", $2, $3, $4, $1 }'
}

runs_table() {
	echo "| run | wall (s) | verdict |"
	echo "|---|---:|---|"
	for f in "$RAW"/native-*.txt "$RAW"/xeno-*.txt; do
		[ -f "$f" ] || continue
		run=$(basename "$f" .txt)
		wall=$(awk '$1 == "lmb-run" { print $5 }' "$f")
		np=$(sed -n 's/^lmb-fail \([a-z0-9_]*\): median \(.*\) us is not positive$/\1 (\2)/p' "$f" |
			tr '\n' ' ')
		if grep -q "^lmb-end .* 0 failed" "$f" && ! echo " $fails " | grep -q " $run "; then
			v=SUCCESS
		elif ! echo " $fails " | grep -q " $run "; then
			v="complete; not positive: $np"
		else
			v="**FAILED**: $(grep -E '^lmb-(fail|end|trouble)' "$f" | tr '\n' ' ' | sed 's/|/\\|/g')"
			grep -q '^lmb-end' "$f" || v="$v no end line (crash or timeout; serial log \`$LOGDIR/$run.log\`)"
		fi
		k=$(grep '^lmb-kernel-log' "$f" | cut -d' ' -f2- | sed 's/|/\\|/g') || k=
		echo "| $run | $wall | $v${k:+ (kernel log: $k)} |"
	done
}

{
	echo "# lmbench: native Linux vs XenoLinux (the paper's Tables 3–5)"
	echo
	# shellcheck disable=SC2154 # run_date comes from run.info
	echo "Measured by \`make bench\` ($run_date, commit" \
	     "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' + local changes'))"
	echo "in $((elapsed / 60)) min: $RUNS boots of each kernel, alternating. $(status_line)"
	echo
	echo "**Platform.** QEMU $qver in software emulation (TCG) on a host \"$cpu\","
	echo "\`-M pc -cpu qemu32 -m $MEM\`, QEMU pinned to host CPU $CPU (\`taskset\`, \`nice $NICE\`); the"
	echo "host was shared with other work (load average $load0 at the start, $load1 at the end)."
	echo "Native Linux 6.1 i386 boots from its bzImage with \`mem=$DOM0_MEM\`; XenoLinux (the same"
	echo "Linux 6.1 tree, \`CONFIG_XENO\`, in ring 1) runs as Domain0 with \`dom0_mem=$DOM0_MEM\` under"
	echo "the Xeno hypervisor. Both run the same initramfs and the same static i386 benchmark"
	echo "program, \`lmbench-xeno\` (\`initramfs/bench/\`), with its scratch files on tmpfs"
	echo "(images, md5: $images)."
	echo "These are emulator numbers: an instruction, a trap or a TLB refill costs what"
	echo "TCG makes it cost, not what a CPU would, so compare the **ratios** (XenoLinux /"
	echo "native) with the paper's Xen / Linux-UP ratios, not the microseconds."
	echo
	echo "Each time is the median over the boots of each boot's median of $reps timed"
	echo "repetitions, in µs, with the lowest and highest of the boots' medians in brackets."
	echo "The **ratio** is XenoLinux / native per boot pair (native and XenoLinux boot *R*, run"
	echo "back to back, so that a busy spell of the shared host hits both): the median over"
	echo "the pairs, in brackets the lowest and highest. It can differ from the quotient of"
	echo "the two medians shown. The paper's figures are its lmbench 3 runs on a 2.4 GHz Xeon"
	echo "(L-UP = Linux 2.4 uniprocessor, Xen = XenoLinux 2.4 on Xen 1.0)."
	echo
	echo "## Table 3: processes (µs)"
	echo
	table 3 "processes"
	echo
	echo "## Table 4: context switching (µs)"
	echo
	table 4 "context switch"
	echo
	echo "## Table 5: file and VM system latencies (µs)"
	echo
	table 5 "file & VM"
	echo
	echo "![XenoLinux/native vs the paper's Xen/L-UP ratios]($(basename "$PNG"))"
	echo
	echo "Furthest above the paper's ratio:"
	echo
	furthest
	echo
	echo "## Components and diagnostics"
	echo
	echo "Lines \`lmb-aux\` of the raw data: the parts that derived figures are computed from,"
	echo "and a few diagnostics (µs unless stated; the same medians and ranges as above)."
	echo
	echo "| measurement | native | XenoLinux | ratio |"
	echo "|---|---:|---:|---:|"
	awk -F'\t' '$2 == "lmb-aux" { print $1 }' "$summary" | while read -r name; do
		echo "| $name | $(cell "$name" 3) | $(cell "$name" 7) | $(ratio_cell "$name") |"
	done
	echo
	echo "## Method"
	echo
	echo "\`lmbench-xeno\` follows lmbench 3 (\`lat_syscall\`, \`lat_select\`, \`lat_sig\`, \`lat_proc\`,"
	echo "\`lat_ctx\`, \`lat_fs\`, \`lat_mmap\`, \`lat_pagefault\`) and its \`benchmp\`: for each loop it"
	echo "warms up, grows the iteration count until one timed run lasts at least $target ms, then"
	echo "times $reps runs of that count and takes the median per operation, less the timer and"
	echo "(for system-call loops) the empty-loop overhead. A derived figure's parts (a time and"
	echo "the overhead it is less) are timed in turns, repetition by repetition, and subtracted"
	echo "repetition by repetition, so that both see the same moment of a shared host."
	echo "The clock is the TSC; under TCG the guest's TSC is the host's, so the host measures"
	echo "its rate (${mhz:-not measured} MHz) and passes it to both kernels. Native Linux also gets it"
	echo "as \`tsc_early_khz\`: its PIT calibration fails on a busy host and it then falls back to"
	echo "a jiffies clock, which changes its timekeeping from boot to boot."
	echo
	echo "- *null call*: \`getppid\` through the C library (the vDSO's \`sysenter\` natively;"
	echo "  \`null_call_int80\` is \`int \$0x80\` in both); *null I/O*: the mean of a 1-byte \`read\`"
	echo "  of /dev/zero and a 1-byte \`write\` to /dev/null; *stat*, *open/close*: of a file on"
	echo "  tmpfs; *slct TCP*: \`select\` (zero timeout, for writing) on 100 connected loopback"
	echo "  TCP sockets with consecutive descriptors."
	echo "- *sig inst*: \`sigaction\`; *sig hndl*: \`kill(self, SIGUSR1)\` with a handler, less"
	echo "  \`kill(self, 0)\`; *fork*: \`fork\` + \`_exit\` + \`waitpid\`; *exec*: \`fork\` + \`execve\` of"
	echo "  a tiny static program (\`lmbench-hello\`, stdout closed) + \`waitpid\`; *sh*: the same"
	echo "  through \`/bin/sh -c\` (busybox ash)."
	echo "- *Context switch*: N processes in a ring of pipes pass a token; each sums its own"
	echo "  0/16/64 KiB working set (written, private pages) between passes. The time per hop"
	echo "  less the same pipe write, read and sum done by one process over N other pipes"
	echo "  (\`ctx_overhead_*\`)."
	echo "- *File create/delete*: N files (100 to a directory, N up to 10000, or 4000 of"
	echo "  10 KiB) created, written and closed, then unlinked; µs per file."
	echo "- *mmap lat*: \`mmap\` of an 8 MiB tmpfs file, a write to every 16 KiB of its first"
	echo "  tenth, \`munmap\`. *prot fault*: a write to a read-only shared page, caught by a"
	echo "  SIGSEGV handler, per fault, less a signal catch timed with it (\`prot_fault_catch\`,"
	echo "  as lmbench's \`lat_sig prot\`). *page fault*: reads of every page of the 8 MiB file in"
	echo "  a random order plus the \`munmap\` that drops them, less a bare \`munmap\`+\`mmap\`, per"
	echo "  page. Linux 6.1 maps up to 16 cached pages per read fault (fault-around), so one"
	echo "  pass takes far fewer traps than pages (\`page_fault_traps\`; Linux 2.4 in the paper"
	echo "  took one per page); \`page_fault_per_trap\` divides by the traps instead."
	echo
	echo "## Runs"
	echo
	runs_table
	echo
	echo "Raw data: [\`$(basename "$RAW")/\`]($(basename "$RAW")/) holds each boot's output"
	echo "(\`lmb NAME MEDIAN MIN MAX REPS ITERATIONS\`, \`lmb-reps NAME\` with every repetition,"
	echo "\`lmb-aux\`, \`lmb-info\`, \`lmb-run\`), \`summary.tsv\` (the medians and ranges above) and"
	echo "\`run.info\` (the run's facts; \`ci/bench-lmbench.sh -R\` rewrites this report from them)."
	echo "Serial logs: \`$LOGDIR/\`."
} >"$OUT"

echo "bench-lmbench: wrote $OUT, $PNG and $RAW/ (the run took $((elapsed / 60)) min $((elapsed % 60)) s)"
echo "bench-lmbench: native runs ok $nat_ok of $RUNS, XenoLinux runs ok $xen_ok of $RUNS"
[ -z "$fails" ] || echo "bench-lmbench: FAILED runs:$fails (serial logs in $LOGDIR/)"
[ "$xen_ok" -gt 0 ] || echo "bench-lmbench: XenoLinux gave no complete run: the report has the native column only"
[ "$nat_ok" -gt 0 ]
