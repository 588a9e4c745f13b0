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
#   -e REGEX        a line that must appear (extended regex; repeatable)
#   -x CODE         expected end: pass (default), fail, error, skip, any (but an
#                   emulator error); the hypervisor's "machine exit: CODE",
#                   QEMU exit status 33, 35, 37, 39
#   -I              the serial console reads its input from stdin (QEMU only)
# A module may carry a command line after a space: "guest.elf arg1 arg2".
# Exits 0 when the run ended as expected and the regex (if any) matched, after
# printing "xeno-run: ok (END)".
set -eu

usage() { sed -n '3,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
platform=qemu args= mem=128 timeout=60 log= expect= want=pass input=
while getopts p:a:m:t:l:e:x:Ih opt; do
	case $opt in
	p) platform=$OPTARG ;;
	a) args=$OPTARG ;;
	m) mem=$OPTARG ;;
	t) timeout=$OPTARG ;;
	l) log=$OPTARG ;;
	e) expect="$expect
$OPTARG" ;;
	x) want=$OPTARG ;;
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
	# shellcheck disable=SC2086 # $serial is several words
	timeout --foreground -k 5 "$timeout" qemu-system-i386 -M pc -cpu qemu32 -m "$mem" \
		-display none -no-reboot -monitor none $serial \
		-device isa-debug-exit,iobase=0xf4,iosize=4 \
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
	if ! grep -Eq -- "$re" "$log"; then
		echo "xeno-run: no line matching '$re' in $log"
		ok=0
	fi
done <<EOF
$expect
EOF
[ $ok = 1 ] && echo "xeno-run: ok ($end)"
[ $ok = 1 ]
