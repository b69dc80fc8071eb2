#!/usr/bin/env bash
# Vendors axe-core from the npm package axe-core into app/browsertest/testdata
# for the accessibility browser test (TestAccessibility).
# Usage: scripts/update-axe.sh [VERSION]   (default 4.14.1; stay on 4.x)
set -euo pipefail

version="${1:-4.14.1}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/app/browsertest/testdata"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cd "$tmp"
tarball="$(npm pack --silent "axe-core@${version}" | tail -n 1)"
tar -xzf "$tarball" package/axe.min.js package/package.json package/LICENSE

got="$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' package/package.json | head -n 1)"
if [[ "$got" != "$version" ]]; then
	echo "update-axe: asked for $version, npm gave $got" >&2
	exit 1
fi

mkdir -p "$dest"
cp package/axe.min.js "$dest/axe.min.js"
cp package/LICENSE "$dest/AXE_LICENSE"
printf '%s\n' "$version" >"$dest/AXE_VERSION"
echo "axe-core $version -> app/browsertest/testdata/axe.min.js ($(wc -c <"$dest/axe.min.js") bytes)"
