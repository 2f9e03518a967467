#!/usr/bin/env bash
# bench/memory: where the memory of `bucketwire validate` goes. For each
# shape and size, prints the time and the resident memory (and its peak)
# after each phase: file read, document parsed, text freed, graph built,
# validated (crates/core/examples/memory_phases, release build, mimalloc
# like the CLI). bench/cli.sh gives the end-to-end figures.
#   SIZES="10000 100000" SHAPES="account worst" bench/memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-10000 100000}
SHAPES=${SHAPES:-account worst}
cargo build -q --release -p bucketwire-core --example memory_phases \
  --example generate_account --example generate_document
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for shape in $SHAPES; do
  for n in $SIZES; do
    doc=$work/$shape-$n.bucketwire.json
    case $shape in
      account) target/release/examples/generate_account "$n" >"$doc" ;;
      worst) target/release/examples/generate_document "$n" >"$doc" ;;
    esac
    echo "$shape, $n buckets, $(du -m "$doc" | cut -f1) MB:"
    target/release/examples/memory_phases "$doc" | sed 's/^/  /'
    rm -f "$doc"
  done
done
