//! The Bucketwire desktop shell.
//!
//! Only registration and transport live here: each command deserialises its
//! arguments, calls one function of the core (or the account adapter) and
//! converts the result into a DTO from [`view`]. Product logic belongs in
//! `bucketwire-core`.

pub mod commands;
pub mod connections;
pub mod editor;
pub mod error;
pub mod files;
pub mod importer;
pub mod menu;
pub mod node_update;
pub mod preferences;
pub mod rendering;
pub mod review;
pub mod template_link;
pub mod test_event;
pub mod view;

use std::path::PathBuf;
use tauri::Manager;
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons};
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
        commands::arrange_nodes,
        commands::update_node,
        commands::apply_fix,
        commands::manage_destination,
        commands::undo,
        commands::redo,
        commands::recovery_status,
        commands::restore_recovery,
        commands::discard_recovery,
        commands::recent_files,
        commands::export_document,
        commands::event_catalog,
        commands::try_key,
        commands::encode_key,
        commands::node_relations,
        commands::outline,
        commands::template_text,
        commands::copy_nodes,
        commands::paste_nodes,
        commands::duplicate_nodes,
        commands::export_image,
        commands::check_update,
        commands::templates,
        commands::open_template,
        commands::tour_seen,
        commands::mark_tour_seen,
        commands::known_regions,
        commands::preferences,
        commands::set_preference,
        commands::list_connections,
        commands::save_connection,
        commands::remove_connection,
        commands::test_connection,
        commands::sandbox_connection,
        commands::review_changes,
        commands::apply_changes,
        commands::apply_progress,
        commands::cancel_apply,
        commands::list_buckets,
        commands::survey_buckets,
        commands::import_buckets,
        commands::import_progress,
        commands::import_preview,
        commands::cancel_import,
        commands::finish_import,
        commands::send_test_event,
    ])
}

/// The window's size and position, kept across restarts (beside the other
/// preferences when BUCKETWIRE_CONFIG_DIR points elsewhere, so tests and
/// sandboxes never touch the user's).
fn window_state() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    use tauri_plugin_window_state::Builder;
    let mut builder = Builder::new().with_state_flags(WINDOW_STATE());
    if let Some(dir) = std::env::var_os("BUCKETWIRE_CONFIG_DIR") {
        // An absolute file name replaces the plugin's directory.
        builder = builder.with_filename(
            PathBuf::from(dir)
                .join("window-state.json")
                .to_string_lossy(),
        );
    }
    builder.build()
}

/// What the window state plugin records, written to disk.
const WINDOW_STATE: fn() -> tauri_plugin_window_state::StateFlags = || {
    use tauri_plugin_window_state::StateFlags;
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED
};

/// Writes the window's size and position once it has stood still for half
/// a second: the plugin writes only on a clean exit, and an app that is
/// killed (a crash, a session ending) would forget the size it had.
fn keep_window_state_soon(app: &tauri::AppHandle) {
    use std::sync::atomic::{AtomicU64, Ordering};
    use tauri_plugin_window_state::AppHandleExt;
    static GENERATION: AtomicU64 = AtomicU64::new(0);
    let mine = GENERATION.fetch_add(1, Ordering::SeqCst) + 1;
    let app = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(500));
        if GENERATION.load(Ordering::SeqCst) == mine {
            let _ = app.save_window_state(WINDOW_STATE());
        }
    });
}

/// Starts the desktop app and blocks until its last window closes.
///
/// # Panics
/// When the windowing system cannot be initialised (no display); there is
/// nothing useful the app can do then.
pub fn run() {
    rendering::choose_for_this_machine();
    let builder = specta_builder();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(window_state())
        .menu(menu::build)
        .on_menu_event(|app, event| menu::chosen(app, event.id().as_ref()))
        .setup(|app| {
            // BUCKETWIRE_CONFIG_DIR / BUCKETWIRE_DATA_DIR (as for the CLI)
            // keep tests and sandboxes away from the user's own files.
            let dir = |var: &str, fallback: tauri::Result<PathBuf>| {
                std::env::var_os(var).map(PathBuf::from).or(fallback.ok())
            };
            let config = dir("BUCKETWIRE_CONFIG_DIR", app.path().app_config_dir());
            let data = dir("BUCKETWIRE_DATA_DIR", app.path().app_data_dir());
            // Saved connections where the CLI reads them too; secrets in the
            // OS keyring only.
            let store = config.as_ref().map_or_else(
                || bucketwire_aws::ConnectionStore::at("connections.json"),
                |d| bucketwire_aws::ConnectionStore::at(d.join("connections.json")),
            );
            let connections =
                connections::Connections::new(store, bucketwire_aws::SecretStore::os());
            if let Ok(url) = std::env::var("BUCKETWIRE_SANDBOX_URL") {
                // `make run`'s local account; a failure only means it is
                // not offered.
                if let Err(e) = connections.offer_sandbox(&url) {
                    eprintln!("the local sandbox is not offered: {}", e.message);
                }
            }
            app.manage(review::Reviewer::new(
                connections.clone(),
                data.as_ref().map(|d| d.join("apply.log")),
            ));
            app.manage(importer::Importer::new(connections.clone()));
            app.manage(connections);
            app.manage(commands::EditorState::new(editor::Editor::new(
                config, data,
            )));
            Ok(())
        })
        .on_window_event(|window, event| {
            if matches!(
                event,
                tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Moved(_)
            ) {
                keep_window_state_soon(window.app_handle());
            }
            // The close guard: unsaved changes need a yes before they go
            // (they are also in the recovery copy until then).
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                let state = window.state::<commands::EditorState>();
                if commands::is_dirty(&state) {
                    api.prevent_close();
                    let window = window.clone();
                    window
                        .dialog()
                        .message(
                            "This document has changes that are not saved. Close and lose them?",
                        )
                        .title("Unsaved changes")
                        .buttons(MessageDialogButtons::OkCancelCustom(
                            "Close without saving".into(),
                            "Keep editing".into(),
                        ))
                        .show(move |close| {
                            if close {
                                let state = window.state::<commands::EditorState>();
                                state
                                    .lock()
                                    .unwrap_or_else(|e| e.into_inner())
                                    .discard_unsaved();
                                let _ = window.destroy();
                            }
                        });
                }
            }
        })
        .invoke_handler(builder.invoke_handler())
        .run(tauri::generate_context!())
        .expect("error while running the Bucketwire window");
}
