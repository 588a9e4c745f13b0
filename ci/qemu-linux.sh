#!/bin/sh
# SPDX-License-Identifier: MIT
# Boot a Linux kernel (native by default) with an initramfs in QEMU, either
# interactively or as a batch run with a serial log and a timeout.
#
# usage: ci/qemu-linux.sh [options] [-- QEMU-ARGS...]
#   -k FILE     kernel (default $BUILD/linux-native/bzImage)
#   -i FILE     initramfs (default $BUILD/initramfs.cpio.gz)
#   -m MiB      guest RAM (default 256)
#   -a ARGS     more kernel parameters, after "console=ttyS0"
#   -d IMAGE    attach IMAGE (raw) as a legacy virtio-blk disk: /dev/vda
#   -n          attach a legacy virtio-net NIC on QEMU user networking: eth0
#   -l FILE     batch run: serial output to FILE and stdout, no monitor, no
#               input (see -I); ends when the guest reboots or writes the
#               exit port, or after the timeout
#   -I          batch run: the serial console reads its input from stdin
#   -t SECONDS  batch timeout (default 120)
# Interactive (no -l): serial console and QEMU monitor share stdio; Ctrl-A x
# quits, Ctrl-A c switches to the monitor.  The guest's `reboot` and
# `poweroff` also quit (the initramfs ends a native kernel's shutdown through
# the exit port).  Both modes have isa-debug-exit at port 0xf4.
# Exit status: QEMU's (0 = guest rebooted, 33/35/37/39 = isa-debug-exit
# SUCCESS/FAILURE/ERROR/SKIP), 124 = timeout, 2 = bad usage.
set -eu

usage() { sed -n '6,23p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "qemu-linux: error: $*" >&2; exit 2; }

BUILD=${BUILD:-build}
kernel=$BUILD/linux-native/bzImage initrd=$BUILD/initramfs.cpio.gz
mem=256 append='' disk='' net='' log='' timeout=120 input=''
while getopts k:i:m:a:d:nl:It:h opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	i) initrd=$OPTARG ;;
	m) mem=$OPTARG ;;
	a) append=$OPTARG ;;
	d) disk=$OPTARG ;;
	n) net=1 ;;
	l) log=$OPTARG ;;
	I) input=1 ;;
	t) timeout=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))

case $mem in ''|*[!0-9]*) die "-m wants the guest RAM in MiB as a number, not '$mem'" ;; esac
case $timeout in ''|*[!0-9]*) die "-t wants seconds as a number, not '$timeout'" ;; esac
[ -f "$kernel" ] || die "kernel $kernel not found (make linux-native builds it)"
[ -f "$initrd" ] || die "initramfs $initrd not found (make initramfs builds it)"
[ -z "$disk" ] || [ -f "$disk" ] || die "disk image $disk not found"
command -v qemu-system-i386 >/dev/null || die "qemu-system-i386 not found; run 'make deps'"

# QEMU option values are ','-separated: a ',' in a file name must be doubled.
qarg() { printf '%s' "$1" | sed 's/,/,,/g'; }

set -- -M pc -cpu qemu32 -m "$mem" -nodefaults -display none -no-reboot \
	-kernel "$kernel" -initrd "$(qarg "$initrd")" \
	-append "console=ttyS0${append:+ $append}" \
	-device isa-debug-exit,iobase=0xf4,iosize=4 "$@"
if [ -n "$disk" ]; then
	set -- "$@" -drive "file=$(qarg "$disk"),format=raw,if=none,id=disk0" \
		-device virtio-blk-pci,drive=disk0,disable-modern=on
fi
if [ -n "$net" ]; then
	set -- "$@" -netdev user,id=net0 -device virtio-net-pci,netdev=net0,disable-modern=on
fi

if [ -z "$log" ]; then
	exec qemu-system-i386 "$@" -serial mon:stdio
fi

mkdir -p "$(dirname "$log")"
: >"$log"
[ -n "$input" ] || exec </dev/null
set +e
timeout -k 5 "$timeout" qemu-system-i386 "$@" -monitor none \
	-chardev "stdio,id=ser0,signal=off,logfile=$(qarg "$log")" -serial chardev:ser0
rc=$?
set -e
[ $rc -ne 124 ] || echo "qemu-linux: timeout after ${timeout}s (log: $log)" >&2
exit $rc
