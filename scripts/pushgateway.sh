#!/usr/bin/env bash
# Starts or stops a throw-away Pushgateway on 127.0.0.1 (Debian's prometheus-pushgateway).
#   scripts/pushgateway.sh start [port] [dir]   prints the URL; log under dir
#   scripts/pushgateway.sh stop [port] [dir]
# Defaults: port 59291, dir .vigil-tmp/pushgateway-<port> under the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:?usage: scripts/pushgateway.sh start|stop [port] [dir]}
port=${2:-59291}
dir=${3:-$PWD/.vigil-tmp/pushgateway-$port}
pidfile="$dir/pushgateway.pid"

case "$action" in
  start)
    command -v prometheus-pushgateway >/dev/null || { echo "pushgateway.sh: install it with bash scripts/install-test-deps.sh" >&2; exit 1; }
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "http://127.0.0.1:$port"
      exit 0
    fi
    mkdir -p "$dir"
    # --web.enable-admin-api: the tests wipe the whole gateway between cases (PUT /api/v1/admin/wipe).
    nohup prometheus-pushgateway --web.listen-address="127.0.0.1:$port" --web.enable-admin-api \
      >"$dir/pushgateway.log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do
      if curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; then
        echo "http://127.0.0.1:$port"
        exit 0
      fi
      sleep 0.1
    done
    echo "pushgateway.sh: the Pushgateway did not become ready on 127.0.0.1:$port; see $dir/pushgateway.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$pidfile" ]; then
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: scripts/pushgateway.sh start|stop [port] [dir]" >&2
    exit 2
    ;;
esac
