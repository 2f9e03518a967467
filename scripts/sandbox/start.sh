#!/usr/bin/env bash
# Starts the local sandbox account: moto on a free loopback port
# (scripts/sandbox/server.py: moto with S3's EventBridge switch and topic
# validation), seeded (scripts/sandbox/seed.py). Prints its URL on stdout and writes the
# server's pid to $1 (so the caller can stop it). Needs the tools venv
# (scripts/install-deps.sh python).
set -euo pipefail
cd "$(dirname "$0")/../.."
pidfile=${1:?usage: start.sh PIDFILE}
log=$(mktemp)
.venv-tools/bin/python scripts/sandbox/server.py -H 127.0.0.1 -p 0 >/dev/null 2>"$log" &
echo $! >"$pidfile"
for _ in $(seq 100); do
  port=$(grep -o 'Running on http://127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "${port:-}" ] || { echo "the sandbox did not start: $(cat "$log")" >&2; exit 1; }
url="http://127.0.0.1:$port"
until curl -sf "$url/moto-api/" >/dev/null; do sleep 0.1; done
.venv-tools/bin/python scripts/sandbox/seed.py "$url" >/dev/null
rm -f "$log"
echo "$url"
