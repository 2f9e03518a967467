#!/usr/bin/env bash
# bench/canvas-heap: the page's JS heap and DOM with a real account's shape
# open (SIZES buckets, default 2,500), and the heap's largest kinds of
# object, in Chromium against the Rust editor (bench/canvas/heap.mjs).
#   SIZES=2500 bench/canvas-heap.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh npm >/dev/null
npm --prefix ui run build:mock --silent >/dev/null 2>&1
cargo build -q --release -p bucketwire-desktop --example ipc_bridge
SIZES=${SIZES:-2500}
# shellcheck source=lib/accounts.sh
. bench/lib/accounts.sh
for file in "${files[@]}"; do
  echo "$(basename "$file"):"
  BUCKETWIRE_BRIDGE=target/release/examples/ipc_bridge node bench/canvas/heap.mjs "$file"
done
