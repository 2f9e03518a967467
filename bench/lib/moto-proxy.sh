# Sourced by the benchmarks that read a local account through the
# replaying proxy (bench/import.sh, bench/cli-plan.sh). Sets up the Python
# tools, a scratch directory `$work` and cleanup on exit; `start_moto`
# starts moto on a free port (`$port`), `start_proxy` the replaying proxy
# in front of it with no delay (`$endpoint`; `control delay?ms=N` and
# `control count` steer it).
scripts/install-deps.sh python >/dev/null
PY=.venv-tools/bin/python
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1

start_moto() {
  .venv-tools/bin/moto_server -H 127.0.0.1 -p 0 2>"$work/moto.log" >/dev/null &
  pids+=($!)
  until port=$(grep -o 'Running on http://127.0.0.1:[0-9]*' "$work/moto.log" | grep -o '[0-9]*$'); do sleep 0.1; done
  until curl -sf "http://127.0.0.1:$port/moto-api/" >/dev/null; do sleep 0.1; done
}

start_proxy() {
  $PY -u bench/import/latency_proxy.py "$port" 0 >"$work/proxy.log" 2>&1 &
  pids+=($!)
  until proxy=$(grep -o 'listening [0-9]*' "$work/proxy.log" | grep -o '[0-9]*$'); do sleep 0.1; done
  endpoint="http://127.0.0.1:$proxy"
}

control() { curl -sf "$endpoint/__bench/$1"; }
