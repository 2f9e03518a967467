#!/usr/bin/env bash
# bench/profile: where a whole `bucketwire` command spends its time. Builds
# the CLI with symbols (the `profiling` profile: release plus line tables),
# writes a document (SHAPE seeded, account or worst, BUCKETS buckets: as
# bench/cli.sh makes them),
# records the command with `perf` and prints the top of the profile (self
# time, by function; children folded in).
#   SHAPE=worst BUCKETS=100000 bench/profile.sh validate --format json
#   SHAPE=account BUCKETS=10000 bench/profile.sh export --to terraform -o /dev/null
set -euo pipefail
cd "$(dirname "$0")/.."
SHAPE=${SHAPE:-worst}
BUCKETS=${BUCKETS:-10000}
cargo build -q --profile profiling -p bucketwire-cli --bin bucketwire
cargo build -q --release -p bucketwire-core --example generate_account --example generate_document --example replicate_document
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
doc=$work/doc.bucketwire.json
case $SHAPE in
  seeded) target/release/examples/replicate_document bench/fixtures/seeded-account.bucketwire.json "$BUCKETS" >"$doc" ;;
  account) target/release/examples/generate_account "$BUCKETS" >"$doc" ;;
  worst) target/release/examples/generate_document "$BUCKETS" >"$doc" ;;
  *) echo "SHAPE is seeded, account or worst" >&2; exit 2 ;;
esac
[ $# -gt 0 ] || set -- validate --format json
cmd=$1
shift
perf record -q -g -o "$work/perf.data" target/profiling/bucketwire "$cmd" "$doc" "$@" >/dev/null || true
perf report -i "$work/perf.data" --no-children --sort symbol --stdio --percent-limit 1.5 2>/dev/null |
  grep -E '^ +[0-9.]+%' | head -30
