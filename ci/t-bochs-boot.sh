#!/bin/sh
# SPDX-License-Identifier: MIT
# The hypervisor boots under Bochs (GRUB CD image, segment limits enforced) and its
# ends work there: banner and a clean exit, no Domain0 kernel, a deliberate #PF,
# and command lines arrive as under QEMU.
#
# usage: ci/t-bochs-boot.sh     (BUILD, LOGDIR and XENO_ELF as for ci/xeno-run.sh)
set -eu

[ $# -eq 0 ] || { sed -n '3,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
BUILD=${BUILD:-build}
LOGDIR=${LOGDIR:-$BUILD/logs}
XENO_ELF=${XENO_ELF:-$BUILD/xeno.elf}
export BUILD LOGDIR XENO_ELF

for tool in bochs-bin grub-mkimage xorriso; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "skip: '$tool' is missing (make deps installs Bochs, GRUB and xorriso)"
		exit 77
	fi
done
if [ ! -f "$XENO_ELF" ]; then
	echo "FAIL: no hypervisor at $XENO_ELF (make hypervisor)"
	echo "0 passed, 1 failed"
	exit 1
fi

# Module 0 must be a valid ELF32 executable below the hypervisor's 0xFC000000:
# one PT_LOAD at 1 MiB holding the entry point.  Built afresh, renamed into place.
mkdir -p "$BUILD/bochs" "$LOGDIR"
tiny=$BUILD/bochs/tiny.elf
printf '.globl _start\n_start:\n\thlt\n\tjmp _start\n' |
	gcc -m32 -nostdlib -static -Wl,-Ttext=0x100000 -Wl,--build-id=none \
		-Wl,-z,noseparate-code -x assembler -o "$tiny.$$" -
mv -f "$tiny.$$" "$tiny"

pass=0 fail=0
# check NAME END XENO-RUN-ARGS...: one Bochs run through ci/xeno-run.sh.  END is
# pass, fail, or clean (either of those: a verdict line, no timeout, no Bochs error).
check() {
	name=$1 want=$2
	shift 2
	log=$LOGDIR/bochs-boot-$name.log
	start=$(date +%s)
	x=$want
	[ "$want" != clean ] || x=any
	if out=$(ci/xeno-run.sh -p bochs -t 120 -l "$log" -x "$x" "$@"); then
		ok=1
	else
		ok=0
	fi
	echo "$out"
	if [ "$want" = clean ] && ! echo "$out" | grep -Eq '^xeno-run: ok \((pass|fail)\)$'; then
		echo "xeno-run: no clean machine exit"
		ok=0
	fi
	if [ $ok = 1 ]; then
		echo "ok $name ($(( $(date +%s) - start )) s)"
		pass=$((pass + 1))
	else
		echo "FAIL $name (serial log: $log)"
		tail -n 5 "$log" | sed 's/^/    | /'
		fail=$((fail + 1))
	fi
}

# A real ring-1 guest runs to its verdict and powers the machine off.
check hello pass -a dom0_mem=16M -e '^Test result: SUCCESS$' "$BUILD/guests/hello.elf"
# An ELF without the Xeno note is refused by the builder with a reason.
check not-xeno fail -e 'Xeno .* a paravirtualizing hypervisor' -e 'no Xeno ELF note' "$tiny"
check no-module fail -e 'no Domain0 kernel'
check crash-pf fail -a crash=pf -e 'FATAL TRAP 14' "$tiny"
# Command lines reach the hypervisor as under QEMU: "path args".
check cmdlines clean -a 'loglvl=3' -e "0: .* '$tiny dom0 a=1 b=2'" "$tiny dom0 a=1 b=2"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
