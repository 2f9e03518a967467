//! Generates the app's command permissions so capabilities can allow
//! exactly the app's own commands and nothing else.

fn main() {
    // Keep in step with `specta_builder` in src/lib.rs (a test checks).
    let commands = &[
        "current",
        "open_sample",
        "new_document",
        "open_document",
        "save_document",
        "add_node",
        "connect",
        "disconnect",
        "remove_nodes",
        "move_nodes",
        "arrange_nodes",
        "update_node",
        "apply_fix",
        "undo",
        "redo",
        "recovery_status",
        "restore_recovery",
        "discard_recovery",
        "recent_files",
        "export_document",
        "event_catalog",
        "try_key",
        "encode_key",
        "node_relations",
        "copy_nodes",
        "paste_nodes",
        "duplicate_nodes",
        "export_image",
        "check_update",
        "templates",
        "open_template",
        "tour_seen",
        "mark_tour_seen",
        "preferences",
        "set_preference",
        "list_connections",
        "save_connection",
        "remove_connection",
        "test_connection",
        "sandbox_connection",
        "review_changes",
        "apply_changes",
        "apply_progress",
        "cancel_apply",
        "list_buckets",
        "survey_buckets",
        "import_buckets",
        "import_progress",
        "cancel_import",
        "finish_import",
        "send_test_event",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build script failed");
}
