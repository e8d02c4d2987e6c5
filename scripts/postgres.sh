#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL on 127.0.0.1 for the tests (Debian's postgresql).
#   scripts/postgres.sh start [port] [dir]   prints the URL; the cluster lives under dir
#   scripts/postgres.sh stop  [port] [dir]
# Defaults: port 55432; dir .vigil-tmp/postgres-<port> under the repository, or, as root,
# /tmp/vigil-postgres-<port>: as root the server runs as the postgres user (initdb refuses root),
# which cannot enter a checkout in a private (mode 700) folder. Trust authentication, loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:?usage: scripts/postgres.sh start|stop [port] [dir]}
port=${2:-55432}
if [ "$(id -u)" -eq 0 ]; then default_dir=/tmp/vigil-postgres-$port; else default_dir=$PWD/.vigil-tmp/postgres-$port; fi
dir=${3:-$default_dir}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "postgres.sh: PostgreSQL is not installed (bash scripts/install-test-deps.sh)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    url="postgres://postgres@127.0.0.1:$port/postgres"
    # Test set-ups of several packages may call this at once: one starts, the others wait.
    mkdir -p "$dir"
    exec 9>"$dir.lock"
    flock 9
    # A server already answering on the port (this script's, from another checkout) is used as is.
    if as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 ||
      "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" >/dev/null 2>&1; then
      echo "$url"
      exit 0
    fi
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 start \
      -o "-h 127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=200" >/dev/null 9>&- ||
      { cat "$dir/postgres.log" >&2; exit 1; }
    echo "$url"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir" "$dir.lock"
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop [port] [dir]" >&2
    exit 2
    ;;
esac
