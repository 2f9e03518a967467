//! The Bucketwire desktop shell.
//!
//! Only registration and transport live here: each command deserialises its
//! arguments, calls one function of the core (or the account adapter) and
//! converts the result into a DTO from [`view`]. Product logic belongs in
//! `bucketwire-core`.

pub mod commands;
pub mod editor;
pub mod error;
pub mod view;

use tauri_specta::{collect_commands, Builder};

/// The typed command set shared by the running app and the bindings
/// generator (`ui/src/bindings.ts`).
pub fn specta_builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new().commands(collect_commands![
        commands::current,
        commands::open_sample,
        commands::new_document,
        commands::open_document,
        commands::save_document,
        commands::add_node,
        commands::connect,
        commands::disconnect,
        commands::remove_nodes,
        commands::move_nodes,
        commands::update_node,
        commands::apply_fix,
        commands::undo,
        commands::redo,
    ])
}

/// Starts the desktop app and blocks until its last window closes.
///
/// # Panics
/// When the windowing system cannot be initialised (no display); there is
/// nothing useful the app can do then.
pub fn run() {
    let builder = specta_builder();
    tauri::Builder::default()
        .manage(commands::EditorState::default())
        .invoke_handler(builder.invoke_handler())
        .run(tauri::generate_context!())
        .expect("error while running the Bucketwire window");
}
