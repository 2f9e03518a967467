# Sourced by the account benchmarks: builds the generator of a real
# account's shape (core account_shape) and writes one document per size in
# $SIZES (default 2,500 and 10,000 buckets) to a scratch directory removed
# on exit; their paths are in the array `files`.
cargo build -q --release -p bucketwire-core --example generate_account
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=()
for n in ${SIZES:-2500 10000}; do
  target/release/examples/generate_account "$n" >"$work/account-$n.bucketwire.json"
  files+=("$work/account-$n.bucketwire.json")
done
