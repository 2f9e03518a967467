#!/usr/bin/env bash
# bench/canvas-account: a real account's shape (core account_shape: one
# bucket in six wired, functions serving about ten configurations, roles
# shared, three regions) on the canvas in Chromium against the release Rust
# editor: 2,500 and 10,000 buckets. Prints medians (bench/canvas/account.mjs).
#   RUNS=3 SIZES="2500 10000" bench/canvas-account.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh npm >/dev/null
npm --prefix ui run build:mock --silent >/dev/null 2>&1
cargo build -q --release -p bucketwire-desktop --example ipc_bridge
# shellcheck source=lib/accounts.sh
. bench/lib/accounts.sh
BUCKETWIRE_BRIDGE=target/release/examples/ipc_bridge node bench/canvas/account.mjs "${RUNS:-3}" "${files[@]}"
