#!/usr/bin/env bash
# bench/lint: `bucketwire lint` end to end (process start to the last
# byte) on a CDK-synth-sized template of about 2,000 resources, and on a
# folder of 200 templates of about 50 resources each plus 2,000 unrelated
# JSON files (what a repository holds); medians of RUNS runs with peak
# memory, beside the files' size (goal: < 100 ms, < 2 s, memory < 10x).
#   RUNS=5 [BIN=...] bench/lint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
[ -n "${BIN:-}" ] || cargo build -q --release -p bucketwire-cli --bin bucketwire
bin=${BIN:-$PWD/target/release/bucketwire}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/lib/generate_template.py 870 >"$work/big.template.json"
mkdir -p "$work/repo/stacks" "$work/repo/notes"
for i in $(seq 1 200); do python3 bench/lib/generate_template.py 22 "s$i" >"$work/repo/stacks/stack$i.template.json"; done
for i in $(seq 1 2000); do echo "{\"note\": $i}" >"$work/repo/notes/n$i.json"; done
resources=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["Resources"]))' "$work/big.template.json")
echo "one template: $resources resources, $(du -k "$work/big.template.json" | cut -f1) KB"
python3 bench/lib/measure.py "lint, 1 template" "$resources" "$RUNS" "$bin" lint "$work/big.template.json" --format json
echo "a folder: 200 templates, $(du -sk "$work/repo/stacks" | cut -f1) KB, and 2,000 other files"
python3 bench/lib/measure.py "lint, 200 templates" 200 "$RUNS" "$bin" lint "$work/repo" --format json
