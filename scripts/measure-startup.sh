#!/usr/bin/env bash
# Measures the release binary: size, time from exec to the first 200 on
# /healthz (fresh data dir with the demo seed, then a restart on it), idle
# RSS after each start, and that SIGTERM exits 0. Usage: scripts/measure-startup.sh [runs]
set -euo pipefail
runs=${1:-5}
bin=$(mktemp -d)/atrium
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$bin" .
echo "binary: $(stat -c %s "$bin") bytes (CGO_ENABLED=0, -s -w)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

start_once() { # data dir; prints seconds to first 200 and idle RSS in KiB
  local d=$1 t0 t1 pid
  t0=$(date +%s%N)
  "$bin" serve --demo --data-dir "$d" --addr "127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.002; done
  t1=$(date +%s%N)
  sleep 2
  local rss; rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
  kill -TERM $pid
  local rc=0; wait $pid || rc=$?
  echo "$(( (t1 - t0) / 1000000 )) $rss $rc"
}

for i in $(seq "$runs"); do
  d=$(mktemp -d)
  read -r fms frss frc < <(start_once "$d")
  read -r rms rrss rrc < <(start_once "$d")
  echo "run $i: fresh+seed ${fms} ms, idle RSS ${frss} KiB, exit $frc | restart ${rms} ms, idle RSS ${rrss} KiB, exit $rrc"
  rm -rf "$d"
done
