#!/usr/bin/env bash
# Vendors htmx from the npm package htmx.org into ui/static/js.
# Usage: scripts/update-htmx.sh [VERSION]   (default 2.0.11; stay on 2.x)
set -euo pipefail

version="${1:-2.0.11}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/ui/static/js"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cd "$tmp"
tarball="$(npm pack --silent "htmx.org@${version}" | tail -n 1)"
tar -xzf "$tarball" package/dist/htmx.min.js package/package.json

got="$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' package/package.json | head -n 1)"
if [[ "$got" != "$version" ]]; then
	echo "update-htmx: asked for $version, npm gave $got" >&2
	exit 1
fi

mkdir -p "$dest"
cp package/dist/htmx.min.js "$dest/htmx.min.js"
printf '%s\n' "$version" >"$dest/HTMX_VERSION"
echo "htmx $version -> ui/static/js/htmx.min.js ($(wc -c <"$dest/htmx.min.js") bytes)"
