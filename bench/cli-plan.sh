#!/usr/bin/env bash
# bench/cli-plan: the release `bucketwire plan` end to end against an
# account just imported into its document (the plan holds only what the
# seeded mistakes need): moto seeded with a real account's shape
# (tests/support/seed_account.py, BUCKETS buckets in three regions, one in
# six wired), imported into a document, then planned through the
# replaying proxy (bench/import/latency_proxy.py: answers replayed from
# moto, so moto's own CPU is out of the figures) with no added latency, and
# with LATENCY_MS per request (a region's round trip) against the bound
# requests × latency ÷ 32 (the reads a plan keeps in flight). Prints
# medians of RUNS runs.
#   BUCKETS=1000 RUNS=5 LATENCY_MS=50 bench/cli-plan.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BUCKETS:-1000}
RUNS=${RUNS:-5}
LATENCY_MS=${LATENCY_MS:-50}
# shellcheck source=lib/moto-proxy.sh
. bench/lib/moto-proxy.sh
cargo build -q --release -p bucketwire-cli --bin bucketwire
bin=$PWD/target/release/bucketwire
start_moto
echo "seeding $N buckets into moto..."
$PY tests/support/seed_account.py "http://127.0.0.1:$port" "$N" >/dev/null
start_proxy

doc=$work/account.bucketwire.json
"$bin" import --endpoint-url "$endpoint" -o "$doc" >/dev/null
# One plan to fill the replay cache with every read a plan makes.
"$bin" plan "$doc" --endpoint-url "$endpoint" >"$work/plan.txt" || true
control count >/dev/null
"$bin" plan "$doc" --endpoint-url "$endpoint" >/dev/null || true
kinds=$(control kinds)
requests=$(control count)
echo "plan of $N buckets ($(du -k "$doc" | cut -f1) KB document): $requests requests; the plan says: $(grep -c . "$work/plan.txt") lines"
python3 bench/lib/requests_by_kind.py "$doc" <<<"$kinds"
python3 bench/lib/measure.py "plan, replayed, no latency" "$N" "$RUNS" "$bin" plan "$doc" --endpoint-url "$endpoint"
control "delay?ms=$LATENCY_MS" >/dev/null
start=$(date +%s.%N)
"$bin" plan "$doc" --endpoint-url "$endpoint" >/dev/null || true
end=$(date +%s.%N)
python3 - "$start" "$end" "$requests" "$LATENCY_MS" <<'PY'
import sys
start, end, req, lat = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
bound = req * lat / 1000 / 32
print(f"  plan at {lat} ms a request: {end - start:.2f} s; bound (requests x latency / 32): {bound:.2f} s; ratio {(end - start) / bound:.2f}")
PY
