#!/usr/bin/env bash
# Starts or stops a throw-away Redis on 127.0.0.1 for the tests (Debian's redis-server).
# AOF on and noeviction: what BullMQ requires so that no acknowledged job is lost.
#   scripts/redis.sh start [port] [dir]   prints the URL; data and pid file under dir
#   scripts/redis.sh stop  [port] [dir]
# Defaults: port 56379, dir .vigil-tmp/redis-<port> under the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:?usage: scripts/redis.sh start|stop [port] [dir]}
port=${2:-56379}
dir=${3:-$PWD/.vigil-tmp/redis-$port}
pidfile="$dir/redis.pid"

case "$action" in
  start)
    # Test set-ups of several packages may call this at once: one starts, the others wait.
    mkdir -p "$dir"
    exec 9>"$dir.lock"
    flock 9
    # A server already answering on the port (this script's, from another checkout) is used as is.
    # Not "its pid is alive": a SIGKILLed server that nobody reaped yet still passes kill -0.
    if redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
      echo "redis://127.0.0.1:$port"
      exit 0
    fi
    redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --pidfile "$pidfile" \
      --daemonize yes --save '' --appendonly yes --appendfsync everysec --maxmemory-policy noeviction --logfile "$dir/redis.log" >/dev/null 9>&-
    for _ in $(seq 1 100); do
      if redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
        echo "redis://127.0.0.1:$port"
        exit 0
      fi
      sleep 0.1
    done
    echo "redis.sh: Redis did not answer on 127.0.0.1:$port; see $dir/redis.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$pidfile" ]; then
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$dir" "$dir.lock"
    ;;
  *)
    echo "usage: scripts/redis.sh start|stop [port] [dir]" >&2
    exit 2
    ;;
esac
