#!/bin/sh
# SPDX-License-Identifier: MIT
# The functional test guests: boot each ci/guests/<name> as Domain0 under QEMU
# (and Bochs where its test.conf asks) and judge Domain0's verdict line.
#
# usage: ci/t-guests.sh [-p PLATFORM] [-c CMDLINE] [-t SECONDS] [NAME...]
#   (default: every guest that is a test, on the platforms its test.conf names)
#   -p  run only on this platform (qemu or bochs), whatever test.conf says
#   -c  Domain0's command line, instead of test.conf's CMDLINE
#   -t  the timeout of each run, instead of test.conf's TIMEOUT
# ci/guests/<name>/test.conf (optional, shell variables):
#   HELPER=1          not a test on its own (a partner domain, a benchmark)
#   MODULES="a b"     guests passed as extra modules (module 1 = the initrd);
#                     "self" is the test's own image
#   CMDLINE="..."     Domain0's command line
#   HV_ARGS="..."     hypervisor command line (default dom0_mem=16M)
#   MEM=MiB           machine memory (default 128)
#   MEMDISKS="KiB ..."  RAM disks: a fresh zero-filled image of each size, given
#                     as a "memdisk" module after the others (module 1 is then
#                     the test's own image if MODULES is empty); any platform
#   TIMEOUT=seconds   per run (default 30)
#   PLATFORMS="qemu bochs"   where to run (default qemu)
#   VIRTIO_DISKS="64 8"  QEMU only: fresh zeroed raw images of these MiB, made
#                     for each run, as legacy virtio-blk disks virtio0, virtio1...
#   VIRTIO_NICS="user"   QEMU only: legacy virtio-net NICs, each a kind of
#                     ci/xeno-run.sh -n ("user": QEMU's user network, restrict=on;
#                     "user-slow": its NIC sends 300 ms late)
# A run passes when Domain0 prints "Test result: SUCCESS" (at the start of a
# line: helper domains' lines carry a "(dN) " prefix) and the machine exits
# cleanly (ci/serial-verdict.sh); SKIP counts as skipped.  Logs:
# $LOGDIR/<name>.<platform>.log.
# Prints "ok NAME", "FAIL NAME: why (log)" or "SKIP NAME", then the totals.
set -u
. ci/serial-verdict.sh
BUILD=${BUILD:-build}
# ci/t-hostile.sh runs the hostile suite through here with these four set.
SRC=${GUEST_SRC:-ci/guests}
GUESTS=${GUESTS:-$BUILD/guests}
LOGDIR=${LOGDIR:-$BUILD/logs}/${LOGSUB:-guests}
DEFAULT_MODULES=${DEFAULT_MODULES:-}
mkdir -p "$LOGDIR"
pass=0 fail=0 skip=0 failed=
opt_platform= opt_cmdline= opt_timeout=
usage() { sed -n '3,/^set -u/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit "$1"; }
while getopts p:c:t:h opt; do
	case $opt in
	p) opt_platform=$OPTARG ;;
	c) opt_cmdline=$OPTARG ;;
	t) opt_timeout=$OPTARG ;;
	h) usage 0 ;;
	*) usage 2 >&2 ;;
	esac
done
shift $((OPTIND - 1))
case $opt_platform in
'' | qemu | bochs) ;;
*) echo "t-guests: -p $opt_platform: the platforms are qemu and bochs" >&2; exit 2 ;;
esac

# Defaults, then the test's own settings (in a subshell, so nothing leaks).
conf() {
	HELPER=0 MODULES=$DEFAULT_MODULES CMDLINE='' HV_ARGS='dom0_mem=16M' MEM=128 TIMEOUT=30 PLATFORMS=qemu
	MEMDISKS='' VIRTIO_DISKS='' VIRTIO_NICS=''
	# shellcheck disable=SC1090
	[ -f "$SRC/$1/test.conf" ] && . "$SRC/$1/test.conf"
	echo "HELPER='$HELPER' MODULES='$MODULES' CMDLINE='$CMDLINE' HV_ARGS='$HV_ARGS'"
	echo "MEM='$MEM' TIMEOUT='$TIMEOUT' PLATFORMS='$PLATFORMS'"
	echo "MEMDISKS='$MEMDISKS' VIRTIO_DISKS='$VIRTIO_DISKS' VIRTIO_NICS='$VIRTIO_NICS'"
}

# Bochs needs its runner and tools; say once why it is skipped.
bochs_ready() {
	if [ -z "${bochs_state:-}" ]; then
		bochs_state=yes
		if [ ! -x ci/bochs-run.sh ]; then
			bochs_state='ci/bochs-run.sh does not exist yet'
		elif ! command -v bochs-bin >/dev/null 2>&1; then
			bochs_state='bochs-bin is not installed (make deps)'
		fi
	fi
	[ "$bochs_state" = yes ]
}

# run NAME PLATFORM: one boot, one verdict.
run() {
	name=$1 platform=$2 log=$LOGDIR/$1.$2.log
	set -- "$GUESTS/$name.elf${CMDLINE:+ $CMDLINE}"
	for m in ${MODULES:-${MEMDISKS:+self}}; do
		[ "$m" = self ] && m=$name
		set -- "$@" "$GUESTS/$m.elf"
	done
	n=0
	for kb in $MEMDISKS; do
		disk=$LOGDIR/$name.$platform.memdisk$n
		dd if=/dev/zero of="$disk" bs=1024 count="$kb" status=none
		set -- "$@" "$disk memdisk"
		n=$((n + 1))
	done
	devs=
	if [ "$platform" = qemu ]; then
		n=0
		for mib in $VIRTIO_DISKS; do
			img=$LOGDIR/$name.disk$n.img
			rm -f "$img" && truncate -s "${mib}M" "$img"
			devs="$devs -d $img" n=$((n + 1))
		done
		for kind in $VIRTIO_NICS; do
			devs="$devs -n $kind"
		done
	fi
	start=$(date +%s)
	# shellcheck disable=SC2086  # $devs: "-d IMAGE", "-n KIND" pairs, no spaces
	ci/xeno-run.sh -p "$platform" -t "$TIMEOUT" -m "$MEM" -a "$HV_ARGS" -l "$log" -x any \
		$devs "$@" >"$log.runner" 2>&1
	rm -f "$LOGDIR/$name".disk*.img
	secs=$(( $(date +%s) - start ))
	verdict=$(serial_verdict "$log")
	ended=$(serial_exit "$log" | grep -c pass)
	label="$name ($platform, ${secs}s)"
	if [ "$verdict" = SUCCESS ] && [ "$ended" -gt 0 ]; then
		echo "ok $label"
		pass=$((pass + 1))
	elif [ "$verdict" = SKIP ] && [ "$ended" -gt 0 ]; then
		echo "SKIP $label: $(serial_lines "$log" | grep -a '^SKIP: ' | head -n 1)"
		skip=$((skip + 1))
	else
		why=${verdict:-no verdict}
		[ "$ended" -eq 0 ] && why="$why; no clean machine exit (a panic, or the ${TIMEOUT}s timeout)"
		echo "FAIL $label: $why (log: $log)"
		serial_lines "$log" | grep -aE '^(FAILURE|ERROR): |^\(xeno\) \*\*\*' | head -n 8 |
			sed 's/^/    | /'
		fail=$((fail + 1)) failed="$failed $name($platform)"
	fi
}

if [ $# -eq 0 ]; then
	# shellcheck disable=SC2046  # one word per guest directory
	set -- $(for d in "$SRC"/*/main.c; do basename "$(dirname "$d")"; done)
fi
for name in "$@"; do
	[ "$name" = lib ] && continue
	eval "$(conf "$name")"
	[ "$HELPER" = 1 ] && continue
	[ -n "$opt_platform" ] && PLATFORMS=$opt_platform
	[ -n "$opt_cmdline" ] && CMDLINE=$opt_cmdline
	[ -n "$opt_timeout" ] && TIMEOUT=$opt_timeout
	if [ ! -f "$GUESTS/$name.elf" ]; then
		echo "FAIL $name: $GUESTS/$name.elf not built (make guests hostile)"
		fail=$((fail + 1)) failed="$failed $name"
		continue
	fi
	for platform in $PLATFORMS; do
		if [ "$platform" = bochs ] && ! bochs_ready; then
			echo "SKIP $name (bochs): $bochs_state"
			skip=$((skip + 1))
			continue
		fi
		run "$name" "$platform"
	done
done
[ -n "$failed" ] && echo "failed:$failed (logs in $LOGDIR/)"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
