#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: Debian's server binaries,
# run as an unprivileged user (PostgreSQL refuses root), listening on
# loopback only, trusting local connections, fsync off (it is thrown away).
#
#   scripts/pg-cluster.sh start DIR [PORT]   prints the URL to export as
#                                            ATRIUM_TEST_DATABASE_URL
#   scripts/pg-cluster.sh stop DIR
#
# It installs nothing; .ci/run installs the postgresql package first.
set -euo pipefail

cmd=${1:?start or stop}
dir=${2:?data directory}
port=${3:-55432}

bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir=$(pg_config --bindir)
fi
if [ -z "$bindir" ]; then
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ]; then bindir=$d; break; fi
  done
fi
if [ -z "$bindir" ]; then
  echo "pg-cluster: no PostgreSQL server found (install Debian's postgresql package)" >&2
  exit 1
fi

# as runs a command as the cluster's owner: ourselves, or when we are root,
# the postgres user the Debian package creates (else nobody).
as() {
  if [ "$(id -u)" != 0 ]; then "$@"; return; fi
  local user=postgres
  id "$user" >/dev/null 2>&1 || user=nobody
  if command -v runuser >/dev/null 2>&1; then runuser -u "$user" -- "$@"; else su -s /bin/sh "$user" -c "$(printf '%q ' "$@")"; fi
}

case $cmd in
start)
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    user=postgres; id "$user" >/dev/null 2>&1 || user=nobody
    chown "$user" "$dir"
  fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    as "$bindir/initdb" -D "$dir" -U atrium --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  as "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=128MB" start >/dev/null
  echo "postgres://atrium@127.0.0.1:$port/postgres?sslmode=disable"
  ;;
stop)
  as "$bindir/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1 || true
  ;;
*)
  echo "usage: $0 start|stop DIR [PORT]" >&2
  exit 2
  ;;
esac
