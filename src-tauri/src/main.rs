//! The `bucketwire-desktop` binary: starts the app.

// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// The allocator the core is benchmarked with (bench/core.sh).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    bucketwire_desktop::run();
}
