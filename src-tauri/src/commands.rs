//! Tauri commands. Each one is thin: arguments in, one call into the core,
//! a DTO or a [`CommandError`] out.

use crate::error::{CommandError, ErrorCode};
use crate::view::DocumentView;
use bucketwire_core::{read_document, sample};

/// The built-in sample wiring (thumbnails for `.jpg` uploads).
#[tauri::command]
#[specta::specta]
pub fn open_sample() -> DocumentView {
    DocumentView::from_document(&sample::thumbnails())
}

/// Reads a `*.bucketwire.json` file and returns its canvas view.
///
/// # Errors
/// `fileUnreadable` when the file cannot be read; `documentInvalid` with the
/// core's message (naming line/column or JSON path) when it is not a
/// document.
#[tauri::command]
#[specta::specta]
pub fn open_document(path: String) -> Result<DocumentView, CommandError> {
    let bytes = std::fs::read(&path).map_err(|e| {
        CommandError::new(
            ErrorCode::FileUnreadable,
            format!("cannot read {path}: {e}"),
        )
    })?;
    let doc = read_document(&bytes)
        .map_err(|e| CommandError::new(ErrorCode::DocumentInvalid, format!("{path}: {e}")))?;
    Ok(DocumentView::from_document(&doc))
}
