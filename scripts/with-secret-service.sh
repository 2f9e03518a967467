#!/usr/bin/env bash
# Runs a command with a private session bus and an unlocked gnome-keyring
# (the Secret Service), as on a desktop. HOME and XDG_RUNTIME_DIR point at a
# throw-away directory so no real keyring is touched.
set -euo pipefail
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
tmp=$(mktemp -d)
# A GUI app started inside may leave xdg-document-portal's FUSE mount in
# $XDG_RUNTIME_DIR/doc: unmount it before removing the directory. Cleanup
# never changes the command's exit status.
cleanup() {
  if mountpoint -q "$tmp/run/doc" 2>/dev/null; then
    fusermount3 -u "$tmp/run/doc" 2>/dev/null || fusermount -u "$tmp/run/doc" 2>/dev/null ||
      umount -l "$tmp/run/doc" 2>/dev/null || true
  fi
  rm -rf "$tmp" 2>/dev/null || true
}
trap cleanup EXIT
mkdir -p "$tmp/home" "$tmp/run"
chmod 700 "$tmp/run"
HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/run" dbus-run-session -- bash -c '
  eval "$(printf ci-pass | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  exec "$@"' _ "$@"
