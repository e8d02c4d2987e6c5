#!/usr/bin/env bash
# Installs the real servers and tools the test suite talks to, from Debian's packages.
# Idempotent: installs only what is missing. Needs root (or sudo) the first time.
set -euo pipefail

need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v prometheus-pushgateway >/dev/null 2>&1 || need+=(prometheus-pushgateway)
command -v curl >/dev/null 2>&1 || need+=(curl)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-test-deps: missing ${need[*]}; install them with apt-get as root" >&2
  exit 1
fi

echo "install-test-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The Debian packages may start their own services; the tests start their own on loopback.
if command -v systemctl >/dev/null 2>&1; then
  for service in prometheus prometheus-alertmanager prometheus-pushgateway redis-server postgresql; do
    "${sudo[@]}" systemctl stop "$service" 2>/dev/null || true
  done
fi
