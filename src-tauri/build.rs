//! Generates the app's command permissions so capabilities can allow
//! exactly the app's own commands and nothing else.

fn main() {
    let commands = &["open_sample", "open_document"];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build script failed");
}
