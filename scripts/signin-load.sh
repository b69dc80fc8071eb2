#!/usr/bin/env bash
# Fires a burst of concurrent sign-ins at the demo server and reports its peak
# memory (VmHWM) and the answers' latency (scripts/signinload).
#
# Usage: scripts/signin-load.sh [git-ref]
#   With a ref (e.g. main), the server is built from that commit instead of
#   the working tree, to compare before and after. The loader is always the
#   working tree's.
# Environment: WRONG (default 100) and RIGHT (10) concurrent sign-ins; any
# ATRIUM_* variable is passed to the server, e.g. to raise the login limits:
#   ATRIUM_LOGIN_LIMIT_PER_ADDRESS=100000 ATRIUM_LOGIN_LIMIT_PER_ACCOUNT=100000
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${1:-}
work=$(mktemp -d)
trap 'kill -TERM ${pid:-} 2>/dev/null || true; wait ${pid:-} 2>/dev/null || true; rm -rf "$work"' EXIT

if [[ -n $ref ]]; then
  mkdir "$work/src"
  git archive "$ref" | tar -x -C "$work/src"
  (cd "$work/src" && CGO_ENABLED=0 go build -trimpath -o "$work/atrium" .)
  echo "server: $ref ($(git rev-parse --short "$ref"))"
else
  CGO_ENABLED=0 go build -trimpath -o "$work/atrium" .
  echo "server: working tree ($(git rev-parse --short HEAD)$(git diff --quiet || echo ", modified"))"
fi
go build -o "$work/signinload" ./scripts/signinload
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
env | grep '^ATRIUM_' | sed 's/^/env: /' || true

start() {
  "$work/atrium" serve --demo --data-dir "$work/tmp" --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.05; done
}
# The first start seeds the demo (hashing its passwords); the measured
# server is a restart on the seeded data, idle for a second.
start
kill -TERM "$pid"; wait "$pid" || true
start
sleep 1
"$work/signinload" -url "http://127.0.0.1:$port" -pid "$pid" -wrong "${WRONG:-100}" -right "${RIGHT:-10}"
