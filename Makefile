# Bucketwire: one entry point for people and CI alike.
#   make run      install what is missing, build, launch the desktop app
#   make test     install what is missing, run every suite
#   make build    the CLI and the desktop app (debug)
#   make package  .deb and .rpm bundles (release)
#   make generate rewrite the generated UI files (bindings, mock fixture)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
export CARGO_TERM_COLOR ?= never

APP := target/debug/bucketwire-desktop
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"

.PHONY: help deps ui build run test lint typecheck cargo-test keyring-test ui-unit ui-e2e app-e2e package generate screenshots clean

help:
	@sed -n 's/^#   //p' Makefile

deps:
	@scripts/install-deps.sh all

ui: deps
	npm --prefix ui run build --silent

build: ui
	cargo build --workspace

# The app with the local sandbox account (a seeded moto, offered as the
# connection "Local sandbox"), which stops when the app exits.
run: build
	@scripts/install-deps.sh python >/dev/null
	scripts/sandbox/run-app.sh $(APP)

test: deps ui lint typecheck cargo-test keyring-test ui-unit ui-e2e app-e2e

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

typecheck:
	npm --prefix ui run typecheck --silent

cargo-test:
	cargo test --workspace

# The OS keyring for real: gnome-keyring's Secret Service on a private bus
# (--workspace keeps the feature set of cargo-test, so nothing rebuilds).
keyring-test:
	timeout 300 scripts/with-secret-service.sh cargo test --workspace --test keyring_secret_service -- --ignored

ui-unit:
	npm --prefix ui test --silent

ui-e2e:
	npm --prefix ui run build:mock --silent
	cargo test --workspace --no-run --quiet
	node --test --test-concurrency=1 tests/ui/

# `cargo test --workspace --no-run` builds the app with the same features as
# the test run above (a plain `cargo build -p` would unify differently and
# rebuild tauri), so this is a no-op after cargo-test.
app-e2e:
	cargo test --workspace --no-run --quiet
	TAURI_DRIVER=$${TAURI_DRIVER:-$$HOME/.cargo/bin/tauri-driver} timeout 600 $(XVFB) \
	  scripts/with-secret-service.sh node --test --test-concurrency=1 tests/app/

package: ui
	cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb,rpm --ci
	@ls -1 target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm

generate:
	UPDATE_GENERATED=1 cargo test -p bucketwire-desktop --test generated_files

screenshots: ui-e2e app-e2e
	for size in 1280x720 1920x1080; do for theme in light dark; do \
	  cp tests/artifacts/window-$$size-$$theme.png docs/screenshot-$${size%%x*}-$$theme.png; done; done
	cp tests/artifacts/app-story.png docs/screenshot-story.png
	cp tests/artifacts/app-account-canvas.png docs/screenshot-account.png

clean:
	cargo clean
	rm -rf ui/dist ui/dist-mock tests/artifacts
