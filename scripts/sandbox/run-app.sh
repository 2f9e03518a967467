#!/usr/bin/env bash
# Runs the app (path in $1) with the local sandbox account: starts a seeded
# moto, hands its URL to the app (BUCKETWIRE_SANDBOX_URL, offered as the
# connection "Local sandbox"), and stops it when the app exits.
set -euo pipefail
cd "$(dirname "$0")/../.."
app=${1:?usage: run-app.sh APP}
pidfile=$(mktemp)
stop() { [ -f "$pidfile" ] || return 0; kill "$(cat "$pidfile")" 2>/dev/null || true; rm -f "$pidfile"; }
trap stop EXIT INT TERM
url=$(scripts/sandbox/start.sh "$pidfile")
echo "Local sandbox (moto): $url"
BUCKETWIRE_SANDBOX_URL=$url "$app"
