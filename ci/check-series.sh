#!/bin/sh
# SPDX-License-Identifier: MIT
# Build every prefix of linux-patches/series in both configurations (STYLE.md
# H3): native (native_defconfig) and XenoLinux (native_defconfig +
# xeno.config).  The tree and the two build directories live in
# $BUILD/series/ and are reused: the tree is reset to the unpatched Linux plus
# the overlay, then the patches are applied one at a time, and kbuild
# recompiles only what each patch touched.
#
# usage: ci/check-series.sh [FROM]
#   FROM   first prefix to build (default 0, the unpatched tree); patches
#          1..FROM are applied first without building
# Prints one line per prefix, then "N passed, N failed" (one case per prefix
# and configuration).  Logs: $BUILD/logs/series/<prefix>-<config>.log.
#
# Until the patch that sources arch/x86/xeno/Kconfig, CONFIG_XENO does not
# exist and the XenoLinux configuration builds without it (the series header
# explains why); from that patch on, a .config without CONFIG_XENO=y fails.
set -u

BUILD=${BUILD:-build}
TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
SERIES=linux-patches/series
FRAGMENT=arch-xeno/arch/x86/configs/xeno.config
top=$(pwd)
dir=$top/$BUILD/series
tree=$dir/linux-src
logs=$top/$BUILD/logs/series
from=${1:-0}

die() { echo "check-series: error: $*" >&2; exit 2; }
case $from in ''|*[!0-9]*) die "FROM must be a prefix number, not '$from'" ;; esac
[ -r "$SERIES" ] || die "run me from the top of the Xeno tree"

patches=$(sed -e 's/#.*//' "$SERIES" | awk 'NF { print $1 }')
total=$(echo "$patches" | wc -w)
[ "$from" -le "$total" ] || die "FROM=$from, but the series has $total patches"

# Share the caller's job server under "make -jN"; otherwise use every CPU.
case " ${MAKEFLAGS:-} " in
*jobserver*) jobs= ;;
*)           jobs=-j$(nproc) ;;
esac

mmss() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }

# kbuild for configuration $1 (native or xeno) with the remaining arguments.
kmake() {
	kdir=$dir/$1
	shift
	# shellcheck disable=SC2086
	make -C "$tree" O="$kdir" ARCH=i386 KBUILD_BUILD_USER=xeno \
		KBUILD_BUILD_HOST=xeno $jobs "$@"
}

# Write $dir/$1/.config for configuration $1; keep its mtime if unchanged.
configure() {
	cfg=$1
	out=$dir/$cfg
	mkdir -p "$out"
	[ -f "$out/.config" ] && cp -p "$out/.config" "$out/.config.prev"
	kmake "$cfg" -s native_defconfig >/dev/null || return 1
	if [ "$cfg" = xeno ]; then
		"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
			"$top/$FRAGMENT" >/dev/null || return 1
		kmake "$cfg" -s olddefconfig >/dev/null || return 1
	fi
	if [ -f "$out/.config.prev" ]; then
		cmp -s "$out/.config" "$out/.config.prev" && touch -r "$out/.config.prev" "$out/.config"
		rm -f "$out/.config.prev"
	fi
}

# Does the tree's Kconfig offer CONFIG_XENO yet?
xeno_in_kconfig() {
	grep -q '^source "arch/x86/xeno/Kconfig"' "$tree/arch/x86/Kconfig"
}

# Options of the configuration's defconfig or fragment that Kconfig dropped.
check_config() {
	cfg=$1
	if [ "$cfg" = native ]; then
		mk/linux-tree.sh checkconfig arch-xeno/arch/x86/configs/native_defconfig \
			"$dir/native/.config" 2>&1
	elif xeno_in_kconfig; then
		mk/linux-tree.sh checkconfig "$FRAGMENT" "$dir/xeno/.config" 2>&1
	else
		grep -v '^CONFIG_XENO=' "$FRAGMENT" >"$dir/xeno.config.early"
		mk/linux-tree.sh checkconfig "$dir/xeno.config.early" "$dir/xeno/.config" 2>&1
	fi
}

passed=0 failed=0 failed_names=
line='' details=''
# Build configuration $2 of prefix $1; append a short report to $line (and
# the first errors to $details).
build() {
	prefix=$1 cfg=$2
	log=$logs/$(printf '%02d' "$prefix")-$cfg.log
	target=bzImage
	[ "$cfg" = xeno ] && target=vmlinux
	start=$(date +%s)
	why=
	if ! configure "$cfg" >"$log" 2>&1; then
		why="configuration failed"
	elif ! bad=$(check_config "$cfg"); then
		why="Kconfig dropped $(echo "$bad" | sed -n 's/.* wants \([^ ]*\) .*/\1/p' | tr '\n' ' ')"
	elif ! kmake "$cfg" "$target" >>"$log" 2>&1; then
		why="build failed"
	fi
	secs=$(($(date +%s) - start))
	objs=$(grep -cE '^  (CC|AS) ' "$log")
	warns=$(grep -c 'warning:' "$log")
	note=
	if [ "$cfg" = xeno ]; then
		if grep -q '^CONFIG_XENO=y' "$dir/xeno/.config" 2>/dev/null; then
			note=" CONFIG_XENO=y"
		else
			note=" without CONFIG_XENO"
		fi
	fi
	[ "$warns" -eq 0 ] || note="$note, $warns warning(s)"
	line="$line${line:+; }$cfg"
	if [ -z "$why" ]; then
		passed=$((passed + 1))
		line="$line ok$note $(mmss "$secs") ($objs objects)"
	else
		failed=$((failed + 1))
		failed_names="$failed_names $(printf '%02d' "$prefix")-$cfg"
		line="$line FAILED$note: $why"
		details="$details    $cfg: $log
$(grep -E 'error:|Error [0-9]' "$log" | head -n 5 | sed 's/^/    | /')
"
	fi
}

apply() {	# PATCH: apply one more patch to the tree
	patch -d "$tree" -p1 -F0 -N -s --no-backup-if-mismatch <"$top/linux-patches/$1"
}

mkdir -p "$dir" "$logs"
begin=$(date +%s)
: >"$dir/series-empty"
mk/linux-tree.sh prepare "$TARBALL" "$dir/series-empty" "$tree" >/dev/null ||
	die "cannot prepare $tree"
echo "check-series: $tree reset to Linux + overlay in $(mmss $(($(date +%s) - begin)))"

n=0
for p in base $patches; do
	if [ "$p" != base ]; then
		n=$((n + 1))
		if ! apply "$p"; then
			echo "check-series: $p does not apply to prefix $((n - 1)); stopping"
			failed=$((failed + 1))
			break
		fi
	fi
	[ "$n" -ge "$from" ] || continue
	line='' details=''
	build "$n" native
	build "$n" xeno
	printf '[%2d/%d] %s: %s\n' "$n" "$total" "${p%.patch}" "$line"
	printf '%s' "$details"
done

if ! xeno_in_kconfig; then
	echo "check-series: the whole series never sources arch/x86/xeno/Kconfig"
	failed=$((failed + 1))
fi
echo "check-series: $(mmss $(($(date +%s) - begin))) in all"
[ -z "$failed_names" ] || echo "failed:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
