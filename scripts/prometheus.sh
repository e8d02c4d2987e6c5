#!/usr/bin/env bash
# Starts or stops a throw-away Prometheus server on 127.0.0.1 (Debian's prometheus package) with
# the scrape configuration a test or example writes.
#   scripts/prometheus.sh start CONFIG [port] [dir]   prints the URL; TSDB and log under dir
#   scripts/prometheus.sh stop [port] [dir]
# Defaults: port 59090, dir .vigil-tmp/prometheus-<port> under the repository.
# PROMETHEUS_EXTRA_FLAGS adds flags, such as --web.enable-remote-write-receiver.
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:?usage: scripts/prometheus.sh start CONFIG [port] [dir] | stop [port] [dir]}
if [ "$action" = start ]; then
  config=${2:?usage: scripts/prometheus.sh start CONFIG [port] [dir]}
  shift
fi
port=${2:-59090}
dir=${3:-$PWD/.vigil-tmp/prometheus-$port}
pidfile="$dir/prometheus.pid"

case "$action" in
  start)
    command -v prometheus >/dev/null || { echo "prometheus.sh: install it with bash scripts/install-test-deps.sh" >&2; exit 1; }
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      kill "$(cat "$pidfile")" 2>/dev/null || true
      sleep 0.5
    fi
    mkdir -p "$dir/data"
    nohup prometheus --config.file="$config" --storage.tsdb.path="$dir/data" \
      --web.listen-address="127.0.0.1:$port" --web.enable-lifecycle ${PROMETHEUS_EXTRA_FLAGS:-} \
      >"$dir/prometheus.log" 2>&1 &
    echo $! >"$pidfile"
    # Up to 30 s: CI runs several packages' tests at once on two cores.
    for _ in $(seq 1 300); do
      if curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; then
        echo "http://127.0.0.1:$port"
        exit 0
      fi
      kill -0 "$(cat "$pidfile")" 2>/dev/null || break
      sleep 0.1
    done
    echo "prometheus.sh: Prometheus did not become ready on 127.0.0.1:$port; the end of $dir/prometheus.log:" >&2
    tail -n 20 "$dir/prometheus.log" >&2 || true
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
    echo "usage: scripts/prometheus.sh start CONFIG [port] [dir] | stop [port] [dir]" >&2
    exit 2
    ;;
esac
