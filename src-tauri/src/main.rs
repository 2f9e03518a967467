//! The `bucketwire-desktop` binary: starts the app.

// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    bucketwire_desktop::run();
}
