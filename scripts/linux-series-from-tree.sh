#!/bin/sh
# SPDX-License-Identifier: MIT
# Maintainer tool: rebuild linux-patches/ from a Linux git work tree whose
# commits since tag 'base' are the series (one logical change each).
# usage: scripts/linux-series-from-tree.sh LINUX_GIT_TREE
set -eu
tree=${1:?usage: $0 LINUX_GIT_TREE}
out=$(cd "$(dirname "$0")/.." && pwd)/linux-patches
rm -f "$out"/*.patch
git -C "$tree" format-patch -q --no-signature --numbered base..HEAD -o "$out"
{
	sed -n '/^#/p' "$out/series"
	(cd "$out" && ls ./*.patch | sed 's|^\./||')
} >"$out/series.new"
mv "$out/series.new" "$out/series"
for p in "$out"/*.patch; do
	if ! perl "$tree/scripts/checkpatch.pl" --no-tree -q "$p" >/dev/null; then
		echo "checkpatch: $(basename "$p") has issues:"
		perl "$tree/scripts/checkpatch.pl" --no-tree -q "$p" | sed 's/^/    /'
	fi
done
echo "wrote $(ls "$out"/*.patch | wc -l) patches to linux-patches/"
