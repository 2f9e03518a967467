#!/usr/bin/env bash
# bench/seeded-account: writes bench/fixtures/seeded-account.bucketwire.json
# anew: moto seeded with the tests' account (tests/support/seed_account.py,
# 248 buckets in three regions, 42 wired, functions and one role shared,
# SQS entries, a deleted function) imported by the release CLI. bench/cli.sh
# grows it to each size with fresh names (shape `seeded`). Run it when the
# seed or the import changes.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/moto-proxy.sh
. bench/lib/moto-proxy.sh
cargo build -q --release -p bucketwire-cli --bin bucketwire
start_moto
$PY tests/support/seed_account.py "http://127.0.0.1:$port" 248 >/dev/null
target/release/bucketwire import --endpoint-url "http://127.0.0.1:$port" \
  -o bench/fixtures/seeded-account.bucketwire.json
