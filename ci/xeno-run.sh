#!/bin/sh
# SPDX-License-Identifier: MIT
# Boot the hypervisor with modules under QEMU (or Bochs) and judge the run.
#
# usage: ci/xeno-run.sh [options] MODULE0 [MODULE1 ...]
#   -p qemu|bochs   platform (default qemu)
#   -a ARGS         hypervisor command line
#   -m MiB          guest RAM (default 128)
#   -t SECONDS      timeout (default 60)
#   -l FILE         serial log (default: $LOGDIR/xeno-run.log)
#   -e REGEX        a line that must appear (extended regex, matched without the
#                   UART's carriage returns; repeatable); anchor a verdict (^...):
#                   only trusted writers start lines (ci/serial-verdict.sh)
#   -x CODE         expected end: pass (default), fail, error, skip, any (but an
#                   emulator error); the hypervisor's "machine exit: CODE",
#                   QEMU exit status 33, 35, 37, 39
#   -d IMAGE        a raw disk image as a legacy virtio-blk PCI disk (QEMU only;
#                   repeatable: virtio0, virtio1, ... in this order)
#   -q ARGS         more QEMU arguments, split at spaces (repeatable)
#   -n KIND         a legacy virtio-net PCI NIC (QEMU only; repeatable): "user" is
#                   QEMU's user network with restrict=on (nothing leaves the
#                   emulator; it answers DHCP, ARP and ping on 10.0.2.x);
#                   "user-slow" the same, but the NIC sends 300 ms after it is
#                   told (tx=timer), so packets stay in flight that long
#   -I              the serial console reads its input from stdin (QEMU only)
# QEMU gets no NIC but these (-nic none: no default e1000 on an open network).
# A module may carry a command line after a space: "guest.elf arg1 arg2".
# Exits 0 when the run ended as expected and the regex (if any) matched, after
# printing "xeno-run: ok (END)".
set -eu

usage() { sed -n '3,29p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
platform=qemu args= mem=128 timeout=60 log= expect= want=pass disks=0 nics=0 qemu_extra= input=
while getopts p:a:m:t:l:e:x:d:q:n:Ih opt; do
	case $opt in
	p) platform=$OPTARG ;;
	a) args=$OPTARG ;;
	m) mem=$OPTARG ;;
	t) timeout=$OPTARG ;;
	l) log=$OPTARG ;;
	e) expect="$expect
$OPTARG" ;;
	x) want=$OPTARG ;;
	d) case $OPTARG in *[\ ,]*) echo "xeno-run: -d $OPTARG: no spaces or commas" >&2; exit 2 ;; esac
	   [ -f "$OPTARG" ] || { echo "xeno-run: disk image '$OPTARG' not found" >&2; exit 2; }
	   qemu_extra="$qemu_extra -drive file=$OPTARG,if=none,id=disk$disks,format=raw"
	   qemu_extra="$qemu_extra -device virtio-blk-pci,drive=disk$disks,disable-modern=on"
	   disks=$((disks + 1)) ;;
	q) qemu_extra="$qemu_extra $OPTARG" ;;
	n) case $OPTARG in
	   user) nic_opts= ;;
	   user-slow) nic_opts=,tx=timer,x-txtimer=300000000 ;;
	   *) echo "xeno-run: -n $OPTARG: the kinds are 'user' and 'user-slow'" >&2; exit 2 ;;
	   esac
	   qemu_extra="$qemu_extra -netdev user,id=net$nics,restrict=on"
	   qemu_extra="$qemu_extra -device virtio-net-pci,netdev=net$nics,disable-modern=on$nic_opts"
	   nics=$((nics + 1)) ;;
	I) input=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
BUILD=${BUILD:-build}
LOGDIR=${LOGDIR:-$BUILD/logs}
log=${log:-$LOGDIR/xeno-run.log}
mkdir -p "$(dirname "$log")"
XENO_ELF=${XENO_ELF:-$BUILD/xeno.elf}

case $want in
pass|fail|error|skip|any) ;;
*) echo "xeno-run: -x must be pass, fail, error, skip or any" >&2; exit 2 ;;
esac
[ -z "$input" ] || [ "$platform" = qemu ] || { echo "xeno-run: -I needs -p qemu" >&2; exit 2; }
case $mem in *[!0-9]*|'') echo "xeno-run: -m wants MiB as a number" >&2; exit 2 ;; esac
if [ "$platform" != qemu ] && [ -n "$qemu_extra" ]; then
	echo "xeno-run: -d and -q are for QEMU only" >&2; exit 2
fi
for m in "$@"; do
	f=${m%% *}
	[ -f "$f" ] || { echo "xeno-run: module '$f' not found" >&2; exit 2; }
done

case $platform in
qemu)
	# QEMU joins modules with ',' (a literal ',' would be ',,').
	initrd=
	for m in "$@"; do initrd="${initrd:+$initrd,}$m"; done
	if [ -n "$input" ]; then
		# The log gets the serial output; stdout must not (it carries our verdict).
		serial="-chardev stdio,id=ser0,signal=off,logfile=$log -serial chardev:ser0"
	else
		serial="-serial file:$log"
		exec </dev/null
	fi
	set +e
	# shellcheck disable=SC2086  # $serial and $qemu_extra: split into words on purpose
	timeout --foreground -k 5 "$timeout" qemu-system-i386 -M pc -cpu qemu32 -m "$mem" \
		-display none -no-reboot -monitor none $serial \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -nic none $qemu_extra \
		-kernel "$XENO_ELF" ${args:+-append "$args"} ${initrd:+-initrd "$initrd"} >/dev/null
	rc=$?
	set -e
	case $rc in
	33) end=pass ;;
	35) end=fail ;;
	37) end=error ;;
	39) end=skip ;;
	124|137) end=timeout ;;
	*) end="qemu-error($rc)" ;;
	esac
	;;
bochs)
	end=$(ci/bochs-run.sh -a "$args" -m "$mem" -t "$timeout" -l "$log" "$@") || true
	;;
*)
	echo "xeno-run: unknown platform '$platform' (qemu or bochs)" >&2; exit 2 ;;
esac

ok=1
case $end in
pass|fail|error|skip|timeout) ;;
*)	echo "xeno-run: the emulator failed: $end (log: $log)"
	ok=0 ;;
esac
if [ "$want" != any ] && [ "$end" != "$want" ]; then
	echo "xeno-run: run ended '$end', expected '$want' (log: $log)"
	ok=0
fi
while IFS= read -r re; do
	[ -n "$re" ] || continue
	if ! tr -d '\r' <"$log" | grep -Eq -- "$re"; then
		echo "xeno-run: no line matching '$re' in $log"
		ok=0
	fi
done <<EOF
$expect
EOF
[ $ok = 1 ] && echo "xeno-run: ok ($end)"
[ $ok = 1 ]
