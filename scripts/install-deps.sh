#!/usr/bin/env bash
# Installs what `make run` and `make test` need on Debian/Ubuntu, skipping
# whatever is already there: apt packages (with sudo when not root), the
# Rust components, cargo tools and npm dependencies. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential pkg-config file curl
  libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
  libdbus-1-dev
  xvfb xauth dbus-daemon webkit2gtk-driver chromium
  gnome-keyring imagemagick rpm
  fonts-symbola
  python3-venv
)

say() { printf '==> %s\n' "$*"; }

install_apt() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "error: missing system packages (${missing[*]}) and no apt-get; see README.md for other systems" >&2
    exit 1
  fi
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  say "apt: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_rust_tools() {
  if ! command -v cargo >/dev/null; then
    echo "error: cargo not found; install Rust with rustup first" >&2
    exit 1
  fi
  if command -v rustup >/dev/null; then
    rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
    rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
  fi
  if ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    say "cargo: installing tauri-driver"
    cargo install tauri-driver --locked --version 2.1.0 --quiet
  fi
}

install_npm() {
  if ! command -v npm >/dev/null; then
    echo "error: npm not found; install Node.js 20 or later first" >&2
    exit 1
  fi
  for dir in ui tests; do
    # Reinstall only when the lockfile changed since the last install.
    if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
      say "npm: installing $dir dependencies"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  done
}

# Python test tools in a project venv: cfn-lint parses the CloudFormation
# export, and moto's server is the local AWS account the adapter tests use.
PY_TOOLS=("cfn-lint==1.58.0" "moto[server]==5.2.5" "aws-sam-translator==1.115.0")
install_python() {
  local venv=.venv-tools stamp=.venv-tools/.installed
  local want="${PY_TOOLS[*]}"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  say "python: installing ${want} into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${PY_TOOLS[@]}"
  echo "$want" > "$stamp"
}

case "${1:-all}" in
  apt) install_apt ;;
  rust) install_rust_tools ;;
  npm) install_npm ;;
  python) install_python ;;
  all) install_apt; install_rust_tools; install_npm; install_python ;;
  *) echo "usage: $0 [apt|rust|npm|python|all]" >&2; exit 2 ;;
esac
