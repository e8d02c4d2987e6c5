#!/usr/bin/env bash
# The whole test suite, as the README's second command runs it: installs the Debian packages the
# tests need, starts the real servers on loopback, builds, lints, typechecks, runs publint + attw
# and the tests, reruns core's tests on Node 24, and stops the servers whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
bash scripts/services.sh start
trap 'bash scripts/services.sh stop' EXIT
pnpm check
bash scripts/test-node24.sh
