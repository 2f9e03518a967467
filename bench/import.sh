#!/usr/bin/env bash
# bench/import: `bucketwire import` of 500 buckets (each with a Lambda and an
# SQS entry) seeded into moto, read through a proxy that stands in for a
# region: 50 ms per request, answers replayed from moto (a warm-up fills the
# cache), so the local server's CPU is out of the timed runs. Compared with
# a sequential boto3 script making the same reads, and with the bound
# (requests × 50 ms ÷ concurrency). Prints the figures. Uses the release
# build, as users get it (a debug build's SDK spends about a millisecond
# of CPU per request, which at 32 in flight is no longer hidden).
# BOTO=0 leaves the boto3 comparison out (at 5,000 buckets it alone takes
# about ten minutes).
#   BUCKETS=500 LATENCY_MS=50 CONCURRENCY=32 [BOTO=0] bench/import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BUCKETS:-500}
LATENCY_MS=${LATENCY_MS:-50}
CONCURRENCY=${CONCURRENCY:-32}
# shellcheck source=lib/moto-proxy.sh
. bench/lib/moto-proxy.sh
cargo build -q --release -p bucketwire-cli --bin bucketwire
start_moto
echo "seeding $N buckets into moto..."
$PY bench/import/seed.py "http://127.0.0.1:$port" "$N"
start_proxy

now() { date +%s.%N; }
# moto alone (no added latency): how long the local server itself takes.
f0=$(now)
target/release/bucketwire import --concurrency "$CONCURRENCY" --endpoint-url "http://127.0.0.1:$port" -o "$work/floor.json" >/dev/null
f1=$(now)
# Warm the proxy's replay cache with both clients' reads, without delay.
target/release/bucketwire import --concurrency "$CONCURRENCY" --endpoint-url "$endpoint" -o "$work/warm.json" >/dev/null
[ "${BOTO:-1}" = 0 ] || $PY bench/import/boto3_import.py "$endpoint" >/dev/null
control count >/dev/null
control "delay?ms=$LATENCY_MS" >/dev/null
t0=$(now)
target/release/bucketwire import --concurrency "$CONCURRENCY" --endpoint-url "$endpoint" -o "$work/doc.json" >/dev/null
t1=$(now)
kinds=$(control kinds)
requests=$(control count)
t2=$(now)
[ "${BOTO:-1}" = 0 ] || $PY bench/import/boto3_import.py "$endpoint"
t3=$(now)
boto_requests=$(control count)
cmp -s "$work/floor.json" "$work/doc.json" || echo "warning: the replayed import differs from moto's" >&2

python3 - "$t0" "$t1" "$t2" "$t3" "$requests" "$boto_requests" "$LATENCY_MS" "$CONCURRENCY" "$N" "$f0" "$f1" <<'PY'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:5])
req, boto_req, lat, conc, n = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9])
floor = float(sys.argv[11]) - float(sys.argv[10])
bw, boto = t1 - t0, t3 - t2
bound = req * lat / 1000 / conc
print(f"buckets: {n}, latency: {lat} ms/request, concurrency: {conc}")
print(f"bucketwire import: {bw:.2f} s for {req} requests")
if boto_req:
    print(f"boto3 sequential:  {boto:.2f} s for {boto_req} requests")
    print(f"speed-up vs boto3: {boto / bw:.1f}x (target >= 10x)")
print(f"bound (requests x latency / concurrency): {bound:.2f} s; bucketwire / bound = {bw / bound:.2f} (target <= 1.3)")
print(f"moto alone (same import, no added latency, not replayed): {floor:.2f} s")
PY
python3 bench/lib/requests_by_kind.py "$work/doc.json" <<<"$kinds"
