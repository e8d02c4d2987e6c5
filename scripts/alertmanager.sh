#!/usr/bin/env bash
# Starts or stops a throw-away Alertmanager on 127.0.0.1 for the tests (Debian's
# prometheus-alertmanager), without clustering: no gossip port, nothing to settle.
#   scripts/alertmanager.sh start [port] [config] [dir]   prints the URL; data, config and log under dir
#   scripts/alertmanager.sh stop  [port] [dir]
# Defaults: port 59093, dir .vigil-tmp/alertmanager-<port> under the repository, and a config whose
# one receiver drops every notification. A config given is copied to dir/alertmanager.yml; it is
# read at start only (stop first to change it).
set -euo pipefail
action=${1:?usage: scripts/alertmanager.sh start [port] [config] [dir] | stop [port] [dir]}
port=${2:-59093}
config=
if [ "$action" = start ] && [ -n "${3:-}" ]; then
  # Resolved before the cd below: a relative path means one from where the script was called.
  config=$(realpath "$3")
fi
cd "$(dirname "$0")/.."
if [ "$action" = start ]; then
  dir=${4:-$PWD/.vigil-tmp/alertmanager-$port}
else
  dir=${3:-$PWD/.vigil-tmp/alertmanager-$port}
fi
pidfile="$dir/alertmanager.pid"
url="http://127.0.0.1:$port"

ready() {
  curl -fsS --max-time 1 "$url/-/ready" >/dev/null 2>&1
}

case "$action" in
  start)
    command -v prometheus-alertmanager >/dev/null || { echo "alertmanager.sh: install it with bash scripts/install-test-deps.sh" >&2; exit 1; }
    # Test set-ups of several packages may call this at once: one starts, the others wait.
    mkdir -p "$dir/data"
    exec 9>"$dir.lock"
    flock 9
    # An Alertmanager already answering on the port (this script's, from another checkout) is used
    # as is, with the config it started with. Not "its pid is alive": a SIGKILLed server that
    # nobody reaped yet still passes kill -0.
    if ready; then
      echo "$url"
      exit 0
    fi
    if [ -n "$config" ]; then
      cp "$config" "$dir/alertmanager.yml"
    else
      printf 'route:\n  receiver: drop\nreceivers:\n  - name: drop\n' >"$dir/alertmanager.yml"
    fi
    # Detached from our stdout (a caller reading it would wait for the server to exit) and from
    # the lock (the others would wait for it forever).
    nohup prometheus-alertmanager --config.file="$dir/alertmanager.yml" --storage.path="$dir/data" \
      --web.listen-address="127.0.0.1:$port" --cluster.listen-address= \
      </dev/null >"$dir/alertmanager.log" 2>&1 9>&- &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do
      if ready; then
        echo "$url"
        exit 0
      fi
      # It exits at once on a config it cannot load: no need to wait the whole time.
      kill -0 "$(cat "$pidfile")" 2>/dev/null || break
      sleep 0.1
    done
    echo "alertmanager.sh: Alertmanager did not become ready on 127.0.0.1:$port; see $dir/alertmanager.log" >&2
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
    echo "usage: scripts/alertmanager.sh start [port] [config] [dir] | stop [port] [dir]" >&2
    exit 2
    ;;
esac
