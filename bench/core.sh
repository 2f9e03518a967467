#!/usr/bin/env bash
# Criterion benchmarks of the core: validate, plan and load on generated
# documents of 100, 1,000 and 10,000 buckets (3 configurations each).
# Prints criterion's estimates; the median is the middle figure of "time:".
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p bucketwire-core --bench validate_and_plan -- --noplot "$@" 2>&1 |
  grep -E '^core/|time:|thrpt:'
