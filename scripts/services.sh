#!/usr/bin/env bash
# Starts (or stops) the real servers the test suite talks to, on 127.0.0.1 with throw-away data:
# Redis on 56379, PostgreSQL on 55432 and a Pushgateway on 59291. Each package's test set-up
# calls the same scripts, which are idempotent, so `pnpm test` also works without this; CI calls
# it once before the tests.
#   scripts/services.sh start|stop
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  start)
    echo "services: Redis at $(bash scripts/redis.sh start)"
    echo "services: PostgreSQL at $(bash scripts/postgres.sh start)"
    echo "services: Pushgateway at $(bash scripts/pushgateway.sh start)"
    ;;
  stop)
    bash scripts/redis.sh stop
    bash scripts/postgres.sh stop
    bash scripts/pushgateway.sh stop
    ;;
  *)
    echo "usage: scripts/services.sh start|stop" >&2
    exit 2
    ;;
esac
