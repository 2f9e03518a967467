#!/usr/bin/env bash
# bench/app-account: the same real account's shape as bench/canvas-account
# (2,500 and 10,000 buckets), in the real app under WebKitGTK (Xvfb,
# tauri-driver; the debug build the app suite drives). Prints medians
# (bench/canvas/app-account.mjs).
#   RUNS=3 SIZES="2500 10000" [HIDE=".react-flow__background"] bench/app-account.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh all >/dev/null
npm --prefix ui run build --silent >/dev/null 2>&1
cargo test --workspace --no-run --quiet
# shellcheck source=lib/accounts.sh
. bench/lib/accounts.sh
TAURI_DRIVER=${TAURI_DRIVER:-$HOME/.cargo/bin/tauri-driver} xvfb-run -a -s "-screen 0 1920x1080x24" \
  node bench/canvas/app-account.mjs "${RUNS:-3}" "${files[@]}"
