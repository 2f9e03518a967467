#!/usr/bin/env bash
# bench/canvas-import: an account's import on the canvas in Chromium
# against the release Rust editor and a moto seeded with a mid-size
# account's shape scaled to BUCKETS (default 2,500): the wizard's reads,
# then "Open as new document" until the account is arranged and drawn.
# Prints medians (bench/canvas/import-account.mjs).
#   RUNS=3 BUCKETS=2500 [VERBOSE=1] bench/canvas-import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh all >/dev/null
npm --prefix ui run build:mock --silent >/dev/null 2>&1
cargo build -q --release -p bucketwire-desktop --example ipc_bridge
BUCKETWIRE_BRIDGE=target/release/examples/ipc_bridge node bench/canvas/import-account.mjs "${RUNS:-3}" "${BUCKETS:-2500}"
