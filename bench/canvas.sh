#!/usr/bin/env bash
# bench/canvas: the canvas in Chromium against the Rust editor (the same
# ipc_bridge the UI tests use) on generated documents: open 2,000 nodes,
# drag a node among them (frame intervals), and edit at 1,000 nodes (until
# the findings and the card show the change). Prints medians.
#   RUNS=5 bench/canvas.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh npm >/dev/null
npm --prefix ui run build:mock --silent >/dev/null
cargo build -q --release -p bucketwire-desktop --example ipc_bridge
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# 7 nodes per bucket: 286 buckets = 2,002 nodes; 143 = 1,001.
cargo run -q --release -p bucketwire-core --example generate_document -- 286 >"$work/2000.bucketwire.json"
cargo run -q --release -p bucketwire-core --example generate_document -- 143 >"$work/1000.bucketwire.json"
BUCKETWIRE_BRIDGE=target/release/examples/ipc_bridge node bench/canvas/measure.mjs "$work" "${RUNS:-5}"
