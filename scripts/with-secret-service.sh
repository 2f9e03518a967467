#!/usr/bin/env bash
# Runs a command with a private session bus and an unlocked gnome-keyring
# (the Secret Service), as on a desktop. HOME and XDG_RUNTIME_DIR point at a
# throw-away directory so no real keyring is touched.
set -euo pipefail
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/run"
chmod 700 "$tmp/run"
HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/run" dbus-run-session -- bash -c '
  eval "$(printf ci-pass | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  exec "$@"' _ "$@"
