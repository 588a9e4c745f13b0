#!/bin/sh
# SPDX-License-Identifier: MIT
# The hypervisor under QEMU: it boots a guest to its verdict, refuses bad
# input with a clear reason, and reports deliberate faults (crash=...) in full.
set -u
BUILD=${BUILD:-build}
LOGDIR=${LOGDIR:-$BUILD/logs}/hypervisor-boot
mkdir -p "$LOGDIR"
pass=0 fail=0

# check NAME XENO-RUN-ARGS...
check() {
	name=$1
	shift
	if out=$(ci/xeno-run.sh -t 60 -l "$LOGDIR/$name.log" "$@" 2>&1); then
		echo "ok $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name: $out"
		tail -n 8 "$LOGDIR/$name.log" | sed 's/^/    | /'
		fail=$((fail + 1))
	fi
}

hello=$BUILD/guests/hello.elf
text=$LOGDIR/not-an-elf.txt
yes "this is not a kernel" | head -n 20 >"$text"
tiny=$LOGDIR/tiny.elf
printf '.globl _start\n_start:\n\thlt\n\tjmp _start\n' |
	gcc -m32 -nostdlib -static -Wl,-Ttext=0x100000 -x assembler -o "$tiny" -

check hello -e 'Xeno .* a paravirtualizing hypervisor' -e '^Test result: SUCCESS$' \
	-e '^\(xeno\) machine exit: pass$' "$hello"
check cmdline -e "command line: 'alpha beta=2'" "$hello alpha beta=2"
check no-module -x fail -e 'no Domain0 kernel: give it as the first multiboot module'
check not-elf -x fail -e "not an ELF file" "$text"
check not-xeno -x fail -e 'no Xeno ELF note' "$tiny"
check dom0-mem -a dom0_mem=8M -e 'built .* 2048 pages' -e '^Test result: SUCCESS$' "$hello"
check dom0-mem-bad -a dom0_mem=lots -e 'dom0_mem: expected a size' -e '^Test result: SUCCESS$' \
	"$hello"
check dom0-mem-small -a dom0_mem=256K -x fail -e 'not enough memory' "$hello"
check crash-pf -a crash=pf -x fail -e 'FATAL TRAP 14 \(page fault\)' -e 'CR2: ffc00000' \
	-e 'write access, page not present' "$hello"
check crash-int3 -a crash=int3 -x fail -e 'FATAL TRAP 3 \(int3\)' -e 'EAX: ' "$hello"
check crash-ud -a crash=ud -x fail -e 'FATAL TRAP 6 \(invalid opcode\)' "$hello"
check crash-df -a crash=df -x fail -e 'DOUBLE FAULT' -e 'ESP: ffc00000' "$hello"
check crash-panic -a crash=panic -x fail -e 'PANIC: crash=panic' "$hello"
check crash-bogus -a crash=bogus -e 'crash=bogus: unknown value' -e '^Test result: SUCCESS$' "$hello"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
