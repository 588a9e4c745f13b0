#!/bin/sh
# SPDX-License-Identifier: MIT
# Prepare the one Linux source tree (build/linux-src) that every kernel builds from:
# extract the Debian tarball, apply linux-patches/series, overlay arch-xeno/.
#
#   linux-tree.sh prepare TARBALL SERIES TREE   extract + patch + overlay, then
#                                               write the patch key to TREE/.xeno-patched
#   linux-tree.sh sync TREE                     re-overlay arch-xeno/ cheaply
#   linux-tree.sh checkconfig DEFCONFIG DOTCONFIG   warn about options Kconfig dropped
#
# Invariant: files keep their mtime unless their content changes, so kbuild in an
# existing O= directory recompiles only what a new patch or overlay file touched.
# arch-xeno/<path> lands at TREE/<path> and may only add files (STYLE A3); the
# list of overlaid files is kept in TREE/.xeno-synced so that removing a file
# from arch-xeno/ removes it from the tree too.
set -eu

# The overlay is assembled from three sources: arch-xeno/ and drivers-front/
# mirror tree paths, and the hypervisor's public ABI headers become
# include/xeno/public/ (the one copy of the ABI the guest builds from).
OVERLAY_SOURCES="arch-xeno drivers-front"
PUBLIC_HEADERS=hypervisor/include/public
OVERLAY=

# Assemble the overlay next to tree $1 (cheap: a few hundred KiB).
stage_overlay() {
	OVERLAY=$1.overlay
	rm -rf "$OVERLAY"
	mkdir -p "$OVERLAY/include/xeno/public/io"
	for src in $OVERLAY_SOURCES; do
		[ -d "$src" ] && rsync -rlp --exclude='*~' --exclude='.*' "$src/" "$OVERLAY/"
	done
	cp "$PUBLIC_HEADERS"/*.h "$OVERLAY/include/xeno/public/"
	cp "$PUBLIC_HEADERS"/io/*.h "$OVERLAY/include/xeno/public/io/"
}

die() { printf 'linux-tree: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'linux-tree: %s\n' "$*"; }

# Patch names from a quilt series file: first word of each line, comments dropped.
series_patches() {
	sed -e 's/#.*//' "$1" | awk 'NF { print $1 }'
}

overlay_files() {
	[ -d "$OVERLAY" ] || return 0
	(cd "$OVERLAY" && find . -type f ! -name '*~' ! -name '.*' | sed 's|^\./||' | LC_ALL=C sort)
}

# Copy the overlay into $1.  A file may not replace a Linux file: those changes
# belong in linux-patches/.  $2 lists files a previous overlay put there.
overlay_into() {
	ot=$1 previous=$2
	stage_overlay "$ot"
	overlay_files >"$ot/.xeno-synced.new"
	while read -r f; do
		if [ -e "$ot/$f" ] && ! grep -qxF "$f" "$previous"; then
			rm -f "$ot/.xeno-synced.new"
			die "the overlay's $f would replace an existing Linux file; arch-xeno/
       and drivers-front/ hold new files only: put changes to $f in linux-patches/"
		fi
	done <"$ot/.xeno-synced.new"
	if [ -d "$OVERLAY" ]; then
		# -c: compare content, not times; no -t: a copied file gets a fresh mtime.
		rsync -rlpc --exclude='*~' --exclude='.*' "$OVERLAY/" "$ot/"
	fi
	# Files that were overlaid before but are gone from arch-xeno/ now.
	LC_ALL=C comm -23 "$previous" "$ot/.xeno-synced.new" | while read -r f; do
		say "removing $f (gone from $OVERLAY/)"
		rm -f "$ot/$f"
		(cd "$ot" && rmdir -p "$(dirname "$f")" 2>/dev/null) || true
	done
	mv "$ot/.xeno-synced.new" "$ot/.xeno-synced"
	rm -rf "$OVERLAY"
}

cmd_prepare() {
	tarball=$1 series=$2 tree=$3
	[ -r "$tarball" ] || die "$tarball not found; run 'make deps' (installs linux-source-6.1)"
	[ -r "$series" ] || die "$series not found"
	new=$tree.new
	rm -rf "$new"
	mkdir -p "$new"
	start=$(date +%s)
	say "extracting $(basename "$tarball") into $tree"
	# --touch: every file is newer than any object built from an older tree.
	tar -xJf "$tarball" -C "$new" --strip-components=1 --touch
	n=0
	for p in $(series_patches "$series"); do
		file=$(dirname "$series")/$p
		[ -r "$file" ] || die "$series lists $p, but $file does not exist"
		if ! patch -d "$new" -p1 -F0 -N -s --no-backup-if-mismatch <"$(realpath "$file")"; then
			die "patch $p does not apply to $(basename "$tarball") (fuzz is not allowed);
       the half-patched tree is in $new"
		fi
		n=$((n + 1))
	done
	: >"$new/.xeno-synced.old"
	overlay_into "$new" "$new/.xeno-synced.old"
	rm -f "$new/.xeno-synced.old"
	if [ -d "$tree" ]; then
		# Keep unchanged files (and their mtimes) so existing builds stay valid.
		rsync -rlpc --delete --exclude='/.xeno-*' "$new/" "$tree/"
		cp "$new/.xeno-synced" "$tree/.xeno-synced"
		rm -rf "$new"
	else
		mv "$new" "$tree"
	fi
	say "tree ready: $n patch(es) applied, $(($(date +%s) - start))s"
}

cmd_sync() {
	tree=$1
	[ -d "$tree" ] || die "$tree does not exist; it is made by 'make linux-src'"
	[ -f "$tree/.xeno-synced" ] || : >"$tree/.xeno-synced"
	cp "$tree/.xeno-synced" "$tree/.xeno-synced.old"
	overlay_into "$tree" "$tree/.xeno-synced.old"
	rm -f "$tree/.xeno-synced.old"
}

# Kconfig silently drops options whose dependencies are not met; say which.
# Understands both "CONFIG_X=v" and "# CONFIG_X is not set" (or CONFIG_X=n).
cmd_checkconfig() {
	defconfig=$1 dotconfig=$2
	sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=n$/\1 n/p' \
	       -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1 \2/p' \
	       -e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1 n/p' "$defconfig" |
	while read -r opt want; do
		have=$(sed -n "s/^$opt=//p" "$dotconfig")
		[ -n "$have" ] || have=n
		[ "$have" = "$want" ] && continue
		printf 'linux-tree: warning: %s wants %s=%s but .config has %s\n' \
			"$(basename "$defconfig")" "$opt" "$want" "$have" >&2
		echo bad
	done | grep -q bad && return 1
	return 0
}

[ $# -ge 1 ] || die "usage: $0 prepare TARBALL SERIES TREE | sync TREE | checkconfig DEFCONFIG DOTCONFIG"
cmd=$1; shift
case $cmd in
prepare)     [ $# -eq 3 ] || die "usage: $0 prepare TARBALL SERIES TREE"; cmd_prepare "$@" ;;
sync)        [ $# -eq 1 ] || die "usage: $0 sync TREE"; cmd_sync "$@" ;;
checkconfig) [ $# -eq 2 ] || die "usage: $0 checkconfig DEFCONFIG DOTCONFIG"; cmd_checkconfig "$@" ;;
*)           die "unknown command '$cmd'" ;;
esac
