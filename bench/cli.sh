#!/usr/bin/env bash
# bench/cli: the release `bucketwire` end to end — process start to the
# last byte written — for `validate --format json`, every `export` and
# `simulate`, on three kinds of document:
#   seeded   the tests' seeded account as imported (248 buckets, 42 wired,
#            bench/fixtures/seeded-account.bucketwire.json, written by
#            bench/seeded-account.sh), copied to each size with fresh names
#            (examples/replicate_document: what a copy shares stays shared
#            inside it)
#   account  a real account's shape (core account_shape: one bucket in six
#            wired, functions and roles shared; examples/generate_account)
#   worst    3 configurations and 3 functions with policies per bucket
#            (examples/generate_document)
# at each size in SIZES. Prints, per command, the median wall time and the
# median peak memory (max RSS) of RUNS runs after one warm-up (the file in
# the page cache), and the cost per bucket. The plan against an account is
# in bench/cli-plan.sh (it needs moto).
# BIN names another build to measure (an earlier one, to compare).
#   SIZES="1000 10000 100000" RUNS=5 SHAPES="seeded account worst" [BIN=...] bench/cli.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-1000 10000 100000}
RUNS=${RUNS:-5}
SHAPES=${SHAPES:-seeded account worst}
[ -n "${BIN:-}" ] || cargo build -q --release -p bucketwire-cli --bin bucketwire
cargo build -q --release -p bucketwire-core --example generate_account --example generate_document --example replicate_document
bin=${BIN:-$PWD/target/release/bucketwire}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure LABEL N CMD...: RUNS timed runs of CMD after a warm-up.
measure() {
  local label=$1 n=$2
  shift 2
  python3 bench/lib/measure.py "$label" "$n" "$RUNS" "$@"
}

for shape in $SHAPES; do
  for n in $SIZES; do
    doc=$work/$shape-$n.bucketwire.json
    case $shape in
      seeded)
        target/release/examples/replicate_document bench/fixtures/seeded-account.bucketwire.json "$n" >"$doc"
        bucket=acct-0000-us-east-1-r0 key=in0/photo.jpg ;;
      account)
        target/release/examples/generate_account "$n" >"$doc"
        bucket=acct-000000-us-east-1 key=uploads/0/photo.jpg ;;
      worst)
        target/release/examples/generate_document "$n" >"$doc"
        bucket=bucket-00000 key=images/cat.jpg ;;
    esac
    size=$(du -m "$doc" | cut -f1)
    count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["buckets"]))' "$doc")
    echo "$shape, $count buckets, ${size} MB:"
    measure "validate --format json" "$count" "$bin" validate "$doc" --format json
    measure "export --to cli" "$count" "$bin" export "$doc" --to cli -o "$work/out.sh"
    rm -rf "$work/s3"
    measure "export --to s3" "$count" "$bin" export "$doc" --to s3 -o "$work/s3"
    rm -rf "$work/cfn"
    measure "export --to cloudformation" "$count" "$bin" export "$doc" --to cloudformation -o "$work/cfn"
    measure "export --to terraform" "$count" "$bin" export "$doc" --to terraform -o "$work/out.tf"
    measure "simulate" "$count" "$bin" simulate "$doc" --bucket "$bucket" --key "$key"
    rm -rf "$work/s3" "$work/cfn" "$doc"
  done
done
