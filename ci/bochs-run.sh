#!/bin/sh
# SPDX-License-Identifier: MIT
# Boot the hypervisor with multiboot modules under Bochs (from a GRUB CD image) and
# print one word on stdout: pass, fail, error, skip (the hypervisor's machine
# exit), timeout or bochs-error(<detail>).
#
# usage: ci/bochs-run.sh -a "HYPERVISOR ARGS" -m MEM_MIB -t TIMEOUT_SECONDS -l SERIAL_LOG
#                        [MODULE0 [MODULE1 ...]]
#   A MODULE is "path [args...]"; its multiboot string becomes "path args", as with
#   QEMU's -initrd (GRUB adds a backslash before ' " and \ inside args).  The
#   hypervisor is $XENO_ELF (default $BUILD/xeno.elf); its command line becomes
#   "$XENO_ELF ARGS", as with QEMU's -kernel/-append.  The run ends at the serial
#   line "machine exit: pass|fail|error|skip", when Bochs exits, or at the
#   timeout.
#   Bochs's own log: SERIAL_LOG.bochs.log.  Exit status 0 whenever Bochs ran.
#   XENO_BOCHS_KEEP=1 keeps the run directory ($BUILD/bochs/run.*) for a rerun by hand;
#   BOCHS_CPU (core_duo_t2400_yonah) and BOCHS_IPS (200000000) are for experiments.
set -eu

usage() { sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "bochs-run: $*" >&2; echo "bochs-error(setup: $*)"; exit 1; }

args='' mem='' timeout='' log=''
while getopts a:m:t:l:h opt; do
	case $opt in
	a) args=$OPTARG ;;
	m) mem=$OPTARG ;;
	t) timeout=$OPTARG ;;
	l) log=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$mem" ] || [ -z "$timeout" ] || [ -z "$log" ]; then usage; fi
case $mem in *[!0-9]*|'') echo "bochs-run: -m wants MiB as a number" >&2; usage ;; esac
case $timeout in *[!0-9]*|'') echo "bochs-run: -t wants seconds as a number" >&2; usage ;; esac
[ $# -le 8 ] || die "at most 8 modules (the hypervisor's limit)"

BUILD=${BUILD:-build}
XENO_ELF=${XENO_ELF:-$BUILD/xeno.elf}
BXSHARE=${BXSHARE:-/usr/share/bochs}
VGABIOS=${VGABIOS:-/usr/share/vgabios/vgabios.bin}
BOCHS_IPS=${BOCHS_IPS:-200000000}
BOCHS_CPU=${BOCHS_CPU:-core_duo_t2400_yonah}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/serial-verdict.sh"

# --- checks: tools and files --------------------------------------------------------
for tool in bochs-bin grub-mkimage xorriso script; do
	command -v $tool >/dev/null 2>&1 ||
		die "'$tool' not found (apt-get install bochs bochsbios vgabios bochs-term grub-pc-bin grub-common xorriso bsdutils)"
done
[ -d /usr/lib/grub/i386-pc ] || die "no /usr/lib/grub/i386-pc (apt-get install grub-pc-bin)"
[ -f "$BXSHARE/BIOS-bochs-latest" ] || die "no $BXSHARE/BIOS-bochs-latest (apt-get install bochsbios)"
[ -f "$VGABIOS" ] || die "no $VGABIOS (apt-get install vgabios)"
ls /usr/lib/*/bochs/plugins/libbx_term_gui.so* >/dev/null 2>&1 ||
	die "Bochs's term display is missing (apt-get install bochs-term)"
[ -f "$here/bochsrc.in" ] || die "no $here/bochsrc.in"
[ -f "$XENO_ELF" ] || die "no hypervisor at $XENO_ELF (make hypervisor)"
for m in "$@"; do
	f=${m%% *}
	[ -f "$f" ] || die "module '$f' not found"
done

abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
log=$(abspath "$log")
mkdir -p "$(dirname "$log")" "$BUILD/bochs"
: >"$log"
: >"$log.bochs.log"
run=$(abspath "$(mktemp -d "$BUILD/bochs/run.XXXXXX")")
now() { date +%s.%N; }
t_start=$(now)

# --- clean up on every way out ------------------------------------------------------
script_pid='' watchdog_pid=''
bochs_pid() { cat "$run/bochs.pid" 2>/dev/null || true; }
# Wait up to $1 tenths of a second for Bochs and script(1) to be gone.
wait_gone() {
	n=0
	while [ "$n" -lt "$1" ]; do
		alive=''
		for pid in $(bochs_pid) $script_pid; do
			if kill -0 "$pid" 2>/dev/null; then alive=1; fi
		done
		[ -n "$alive" ] || return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}
# Bochs leaves by itself after the hypervisor's last line (port 0x8900).  If it
# does not, ^C drops it into its debugger, which takes the "q" queued in bochs.rc
# and quits, writing the CPU state to its log; SIGTERM it ignores; SIGKILL at last.
stop_bochs() {
	if ! wait_gone 5; then
		pid=$(bochs_pid)
		[ -z "$pid" ] || kill -INT "$pid" 2>/dev/null || true
		if ! wait_gone 20; then
			for pid in $(bochs_pid) $script_pid; do kill -KILL "$pid" 2>/dev/null || true; done
		fi
	fi
	[ -z "$script_pid" ] || wait "$script_pid" 2>/dev/null || true
	script_pid=''
}
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
	stop_bochs
	[ -z "$watchdog_pid" ] || kill "$watchdog_pid" 2>/dev/null || true
	if [ -s "$run/screen.out" ]; then
		# Bochs's last words (e.g. a config error) went to the pty, not to its log.
		{ echo "--- bochs-run: end of Bochs's terminal output (escapes stripped) ---"
		  sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[()][0-9A-Za-z]//g; s/\r//g' "$run/screen.out" |
			tr -cd '\11\12\40-\176' | grep -v '^ *$' | tail -n 15
		} >>"$log.bochs.log" 2>/dev/null || true
	fi
	if [ "${XENO_BOCHS_KEEP:-0}" = 1 ]; then
		echo "bochs-run: kept $run (rerun: cd $run && bochs-bin -q -f bochsrc -rc bochs.rc)" >&2
	else
		rm -rf "$run"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# --- the GRUB ISO ---------------------------------------------------------------------
# GRUB runs from a core image holding every module it needs and this run's script
# (measured: ~0.3 s of Bochs time less per run than grub-mkrescue's ISO, which
# loads normal.mod and friends from the CD).  The script runs in GRUB's rescue
# parser: no "if", and a failing line prints "error: ..." and goes on, so the
# runner treats any "error:" line before the hypervisor's first line as GRUB's.
# A word for the script, single-quoted ('\'' for a quote, as in sh).
gq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
# The words of a command line, each quoted; runs of blanks become one space.
gwords() {
	set -f
	# shellcheck disable=SC2086  # splitting is the point
	set -- $1
	set +f
	for w in "$@"; do printf ' %s' "$(gq "$w")"; done
}
# Hard links cost nothing; copy when they cannot be made (another file system).
place() { ln -f "$1" "$2" 2>/dev/null || cp "$1" "$2"; }

mkdir -p "$run/iso/boot/grub"
place "$XENO_ELF" "$run/iso/boot/xeno.elf"
{
	echo "serial --unit=0 --speed=115200"
	echo "terminfo serial dumb"
	echo "terminal_input serial"
	echo "terminal_output serial"
	echo "multiboot /boot/xeno.elf$(gwords "$XENO_ELF $args")"
	i=0
	for m in "$@"; do
		place "${m%% *}" "$run/iso/boot/m$i"
		echo "module --nounzip /boot/m$i$(gwords "$m")"
		i=$((i + 1))
	done
	echo "boot"
	echo "echo 'xeno-bochs: GRUB failed to boot'"
	echo "halt"
} >"$run/grub.cfg"

if ! grub-mkimage -O i386-pc-eltorito -p /boot/grub -c "$run/grub.cfg" \
		-o "$run/iso/boot/grub/eltorito.img" \
		biosdisk iso9660 multiboot boot serial terminfo echo halt >"$run/mkiso.log" 2>&1 ||
	! xorriso -as mkisofs -R -b boot/grub/eltorito.img -no-emul-boot -boot-load-size 4 \
		-boot-info-table -o "$run/xeno.iso" "$run/iso" >>"$run/mkiso.log" 2>&1; then
	cat "$run/mkiso.log" >&2
	die "could not make the GRUB ISO (output above)"
fi
t_iso=$(now)

# --- Bochs ----------------------------------------------------------------------------
sed -e "s|@BXSHARE@|$BXSHARE|g" -e "s|@VGABIOS@|$VGABIOS|g" \
	-e "s|@IPS@|$BOCHS_IPS|g" -e "s|@CPU@|$BOCHS_CPU|g" -e "s|@MEM@|$mem|g" "$here/bochsrc.in" >"$run/bochsrc"
# Continue at once; should the debugger ever get control back, quit.
printf 'c\nq\n' >"$run/bochs.rc"
# Bochs writes straight into the caller's files, so they can be followed live.
ln -s "$log" "$run/serial.log"
ln -s "$log.bochs.log" "$run/bochs.log"

# The term display needs a terminal: script(1) gives Bochs a pty of its own (and a
# session of its own, so a ^C meant for us does not drop Bochs into its debugger).
(
	cd "$run"
	exec env TERM=xterm SHELL=/bin/sh BXSHARE="$BXSHARE" script -qfec \
		'echo $$ >bochs.pid; exec bochs-bin -q -f bochsrc -rc bochs.rc' /dev/null \
		</dev/null >"$run/screen.out" 2>&1
) &
script_pid=$!
# Should this script die without its traps (SIGKILL), Bochs must not run on.
runner=$$
(
	while kill -0 "$runner" 2>/dev/null; do sleep 1; done
	pid=$(bochs_pid)
	[ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true
	[ "${XENO_BOCHS_KEEP:-0}" = 1 ] || rm -rf "$run"
) </dev/null >/dev/null 2>&1 &
watchdog_pid=$!

# What the serial log says so far: GRUB's complaint (before the hypervisor's first
# line), else the hypervisor's verdict: only a line that starts "(xeno) machine
# exit: " counts (serial-verdict.sh; a domain cannot start a line so).
grub_error() {
	sed -n '/(xeno) /q; s/\r//g; /^error: /p; /xeno-bochs: GRUB failed/p' "$log" | head -n 1
}
verdict() {
	serial_exit "$log"
}
bochs_gone() {
	! kill -0 "$script_pid" 2>/dev/null ||
		{ [ -s "$run/bochs.pid" ] && ! kill -0 "$(cat "$run/bochs.pid")" 2>/dev/null; }
}

end=
ms() { date +%s%3N; }
deadline=$(( $(ms) + timeout * 1000 ))
while [ -z "$end" ]; do
	if [ -n "$(grub_error)" ]; then
		sleep 0.2	# the rest of GRUB's message
		gerr=$(grub_error)
		end="bochs-error(grub: ${gerr#error: })"
	elif [ -n "$(verdict)" ]; then
		end=$(verdict)
	elif bochs_gone; then
		sleep 0.2	# the last serial bytes
		end=$(verdict)
		if [ -z "$end" ]; then
			why=$(grep -a '>>PANIC<<' "$log.bochs.log" | tail -n 1 | sed 's/.*>>PANIC<< //')
			[ -n "$why" ] || why=$(sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r//g' "$run/screen.out" |
				grep -a -A1 'Bochs is exiting' | tail -n 1)
			end="bochs-error(${why:-Bochs exited without a verdict; see $log.bochs.log})"
		fi
	elif [ "$(ms)" -ge "$deadline" ]; then
		end=timeout
	else
		sleep 0.1
	fi
done
t_end=$(now)
stop_bochs
[ "$end" != timeout ] ||
	echo "bochs-run: timeout; the CPU state at that moment ends $log.bochs.log" >&2
awk -v w="$end" -v s="$t_start" -v i="$t_iso" -v e="$t_end" 'BEGIN {
	printf "bochs-run: %s after %.1f s (ISO %.1f s, Bochs %.1f s)\n", w, e - s, i - s, e - i }' >&2
echo "$end"
exit 0
