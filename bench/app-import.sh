#!/usr/bin/env bash
# bench/app-import: an account's import in the real app under WebKitGTK
# (Xvfb, tauri-driver) against a moto seeded with a mid-size account's
# shape scaled to BUCKETS (default 2,500): the wizard's reads, then "Open
# as new document" until the account is arranged and drawn. The debug
# build the app suite drives unless BUCKETWIRE_APP names another (a
# release or `--profile profiling` build measures what users run).
# Prints medians (bench/canvas/app-import.mjs).
#   RUNS=3 BUCKETS=2500 [BUCKETWIRE_APP=target/profiling/bucketwire-desktop] bench/app-import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh all >/dev/null
npm --prefix ui run build --silent >/dev/null 2>&1
cargo test --workspace --no-run --quiet
TAURI_DRIVER=${TAURI_DRIVER:-$HOME/.cargo/bin/tauri-driver} xvfb-run -a -s "-screen 0 1920x1080x24" \
  node bench/canvas/app-import.mjs "${RUNS:-3}" "${BUCKETS:-2500}"
