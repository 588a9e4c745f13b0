#!/bin/sh
# SPDX-License-Identifier: MIT
# Install everything Xeno needs on a Debian bookworm amd64 host (run as root).
# Idempotent and quiet when all is present; tolerant of one package index being
# briefly out of sync; fails with a message naming what is missing.
set -eu

BUILD=${BUILD:-build}
LINUX_VERSION=${LINUX_VERSION:?LINUX_VERSION not set (the Makefile pins it)}
BUSYBOX_DIR="$BUILD/deps/busybox"

# Host packages: name (as apt wants it) and a file that proves it is there.
PKGS="
gcc-multilib:/usr/lib32/libc.a
make:/usr/bin/make
qemu-system-x86:/usr/bin/qemu-system-i386
flex:/usr/bin/flex
bison:/usr/bin/bison
bc:/usr/bin/bc
libelf-dev:/usr/include/libelf.h
libssl-dev:/usr/include/openssl/ssl.h
cpio:/usr/bin/cpio
kmod:/usr/sbin/depmod
e2fsprogs:/usr/sbin/e2fsck
xz-utils:/usr/bin/xz
bochs:/usr/bin/bochs
bochs-term:/usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_term_gui.so.0.0.0
bochsbios:/usr/share/bochs/BIOS-bochs-latest
vgabios:/usr/share/vgabios/vgabios.bin
grub-pc-bin:/usr/lib/grub/i386-pc/multiboot.mod
grub-common:/usr/bin/grub-mkrescue
xorriso:/usr/bin/xorriso
mtools:/usr/bin/mtools
gnuplot-nox:/usr/bin/gnuplot
rsync:/usr/bin/rsync
python3:/usr/bin/python3
quilt:/usr/bin/quilt
gdb:/usr/bin/gdb
"

say() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

need_root() {
	[ "$(id -u)" = 0 ] || die "need root to install: $*
       run 'sudo make deps' once, or install them by hand"
}

# apt-get update, tolerating a mirror that is mid-sync: a failed index is
# only fatal if the packages we need then cannot be found.
apt_update() {
	say "updating package indexes"
	if ! apt-get update -qq >"$BUILD/deps/apt-update.log" 2>&1; then
		say "warning: some package indexes failed to update (mirror sync?);"
		say "         continuing with what is available (see $BUILD/deps/apt-update.log)"
	fi
}

apt_install() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
		>"$BUILD/deps/apt-install.log" 2>&1 && return 0
	# One retry after refreshing indexes, for the out-of-sync case.
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
		>"$BUILD/deps/apt-install.log" 2>&1 ||
		{ tail -n 20 "$BUILD/deps/apt-install.log" >&2
		  die "could not install: $*"; }
}

mkdir -p "$BUILD/deps"
updated=

# 1. i386 architecture, for busybox-static:i386.
if ! dpkg --print-foreign-architectures | grep -qx i386; then
	need_root "the i386 architecture"
	say "enabling the i386 architecture"
	dpkg --add-architecture i386
	apt_update; updated=1
fi

# 2. Host packages.
missing=
for p in $PKGS; do
	[ -e "${p#*:}" ] || missing="$missing ${p%%:*}"
done
src=/usr/src/linux-source-6.1.tar.xz
have_linux=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || true)
if [ "$have_linux" != "$LINUX_VERSION" ] || [ ! -e "$src" ]; then
	missing="$missing linux-source-6.1=$LINUX_VERSION"
fi
if [ -n "$missing" ]; then
	need_root "$missing"
	[ -n "$updated" ] || { apt_update; updated=1; }
	if ! apt-cache madison linux-source-6.1 | grep -q " $LINUX_VERSION "; then
		case $missing in *linux-source*)
			die "linux-source-6.1 version $LINUX_VERSION is not in the archive any more.
       Available: $(apt-cache madison linux-source-6.1 | awk '{print $3}' | tr '\n' ' ')
       Fix: set LINUX_VERSION in the Makefile to one of these and check that
       'make linux' still applies the patch series (linux-patches/series)." ;;
		esac
	fi
	say "installing:$missing"
	# shellcheck disable=SC2086
	apt_install $missing
	for p in $PKGS; do
		[ -e "${p#*:}" ] || die "package ${p%%:*} installed but ${p#*:} is missing"
	done
fi

# 3. busybox-static:i386, unpacked into build/ (never installed on the host).
if [ ! -x "$BUSYBOX_DIR/bin/busybox" ]; then
	say "fetching busybox-static:i386"
	rm -rf "$BUILD/deps/bb-dl" && mkdir -p "$BUILD/deps/bb-dl"
	if ! (cd "$BUILD/deps/bb-dl" && apt-get download -qq busybox-static:i386) \
		>"$BUILD/deps/bb-dl.log" 2>&1; then
		[ -n "$updated" ] || apt_update
		(cd "$BUILD/deps/bb-dl" && apt-get download -qq busybox-static:i386) \
			>"$BUILD/deps/bb-dl.log" 2>&1 ||
			die "cannot download busybox-static:i386 (see $BUILD/deps/bb-dl.log)"
	fi
	rm -rf "$BUSYBOX_DIR.tmp"
	dpkg-deb -x "$BUILD"/deps/bb-dl/busybox-static_*_i386.deb "$BUSYBOX_DIR.tmp"
	[ -x "$BUSYBOX_DIR.tmp/bin/busybox" ] || die "busybox-static package has no bin/busybox"
	file_out=$(od -An -tx1 -j4 -N2 "$BUSYBOX_DIR.tmp/bin/busybox" | tr -d ' ')
	[ "$file_out" = 0101 ] || die "busybox-static:i386 is not a 32-bit little-endian ELF"
	rm -rf "$BUSYBOX_DIR" && mv "$BUSYBOX_DIR.tmp" "$BUSYBOX_DIR"
	say "busybox unpacked into $BUSYBOX_DIR"
fi
exit 0
