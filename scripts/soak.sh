#!/usr/bin/env bash
# Runs the Chromium and the real-app suites N times in a row (default 10)
# and stops at the first failure, printing each run's outcome and time:
# the check that the suites never flake. Run after `make test` has built
# everything once (it builds nothing itself).
#   scripts/soak.sh [N] [chromium|app|both]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
which=${2:-both}
log=$(mktemp -d)/soak
suite() {
  case $1 in
    chromium) node --test --test-concurrency=1 tests/ui/ ;;
    app)
      TAURI_DRIVER=${TAURI_DRIVER:-$HOME/.cargo/bin/tauri-driver} timeout 600 \
        xvfb-run -a -s "-screen 0 1280x800x24" scripts/with-secret-service.sh \
        node --test --test-concurrency=1 tests/app/ ;;
  esac
}
for kind in chromium app; do
  [ "$which" = both ] || [ "$which" = "$kind" ] || continue
  for i in $(seq 1 "$runs"); do
    start=$(date +%s)
    if suite "$kind" >"$log-$kind-$i.log" 2>&1; then
      echo "soak: $kind run $i/$runs passed in $(( $(date +%s) - start )) s ($(grep -a -c '^ok' "$log-$kind-$i.log") tests)"
    else
      echo "soak: $kind run $i/$runs FAILED after $(( $(date +%s) - start )) s; log: $log-$kind-$i.log"
      grep -a '^not ok' "$log-$kind-$i.log" || true
      exit 1
    fi
  done
done
