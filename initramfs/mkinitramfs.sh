#!/bin/sh
# SPDX-License-Identifier: MIT
# Assemble the initramfs: busybox + its applet links, the rootfs/ overlay, and
# compiled programs in /usr/bin, packed as a deterministic gzip'ed newc cpio.
#
#   mkinitramfs.sh OUT.cpio.gz BUSYBOX ROOTFS-DIR [PROGRAM...]
#
# With MODULES_ROOT set, its lib/modules tree (XenoLinux's modules, with
# their modules.dep) comes along.
#
# Deterministic: entries sorted, owner root, one fixed mtime, cpio inode numbers
# renumbered (--reproducible), gzip without name or time stamp.  /dev/console
# is not needed here: the kernel's built-in initramfs already provides it.
set -eu

die() { printf 'mkinitramfs: error: %s\n' "$*" >&2; exit 1; }

[ $# -ge 3 ] || die "usage: $0 OUT.cpio.gz BUSYBOX ROOTFS-DIR [PROGRAM...]"
out=$1 busybox=$2 rootfs=$3
shift 3
[ -x "$busybox" ] || die "$busybox not found; run 'make deps'"
[ -x "$rootfs/init" ] || die "$rootfs/init is missing or not executable"
# The 2003 SOSP paper's date, for every file.
MTIME=${SOURCE_DATE_EPOCH:-1066521600}

# Private names, so that two builds running at once cannot trip over each other.
stage=$out.d.$$
trap 'rm -rf "$stage" "$out.tmp.$$"' EXIT
rm -rf "$stage"
mkdir -p "$stage"
(cd "$stage" && mkdir -p bin sbin usr/bin usr/sbin dev proc sys tmp run root mnt etc/rc.d var/log)

# busybox and one symlink per applet (paths as busybox wants them).
cp "$busybox" "$stage/bin/busybox"
applets=$("$busybox" --list-full) ||
	die "cannot run $busybox on this host (it is an i386 binary: needs IA32 emulation)"
set -f	# applet names like "[" are not glob patterns
for a in $applets; do
	[ "$a" = bin/busybox ] && continue
	mkdir -p "$stage/$(dirname "$a")"
	ln -sf /bin/busybox "$stage/$a"
done
set +f

# Overlay and programs replace applet links of the same name.
cp -R --remove-destination "$rootfs/." "$stage/"
for p in "$@"; do
	cp --remove-destination "$p" "$stage/usr/bin/$(basename "$p")"
done
if [ -n "${MODULES_ROOT:-}" ]; then
	[ -d "$MODULES_ROOT/lib/modules" ] || die "$MODULES_ROOT/lib/modules is missing"
	mkdir -p "$stage/lib"
	cp -R "$MODULES_ROOT/lib/modules" "$stage/lib/"
fi

chmod -R u+rwX,go+rX,go-w "$stage"
chmod 1777 "$stage/tmp"
chmod 700 "$stage/root"
find "$stage" -exec touch -h -d "@$MTIME" {} +
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9n >"$out.tmp.$$"
mv "$out.tmp.$$" "$out"
