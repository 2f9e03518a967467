//! The CloudFormation or SAM template a document was opened from: Save
//! writes the canvas's edits back into it (the core's
//! `sources::write_back`), and each card knows where in it it is written.

use crate::error::{CommandError, ErrorCode};
use crate::files::write_atomically;
use crate::view::{TemplateLinkView, TemplateOriginView};
use bucketwire_core::sources::{
    self, cloudformation::intrinsics::Target, write_back::write_back, Location, Reading,
};
use bucketwire_core::{Document, NodeId};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// An opened template: its file, the text the document was read from, and
/// where each card is written there.
#[derive(Debug, Clone)]
pub struct TemplateLink {
    path: PathBuf,
    text: String,
    origins: BTreeMap<NodeId, Location>,
}

impl TemplateLink {
    /// The link to `path`, whose `text` gave `reading`.
    pub fn new(path: PathBuf, text: String, reading: &Reading) -> Self {
        Self {
            path,
            text,
            origins: reading.origins.clone(),
        }
    }

    /// The template's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The text the document was read from (what Show in file shows).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The file and each card's place, for the window.
    pub fn view(&self) -> TemplateLinkView {
        TemplateLinkView {
            file: self.path.display().to_string(),
            origins: self
                .origins
                .iter()
                .map(|(id, l)| TemplateOriginView {
                    node: id.to_string(),
                    line: l.line,
                    column: l.column,
                    resource: l.resource.clone(),
                })
                .collect(),
        }
    }

    /// Writes `doc`'s edits into the template: all of them or none. `Some`
    /// with the template read again when the file changed, `None` when
    /// there was nothing to write.
    ///
    /// # Errors
    /// `fileUnreadable`; `fileUnwritable` when the file changed on disk
    /// since it was read or cannot be written; `templateNotWritten` naming
    /// each change that cannot be written into it (nothing is written
    /// then).
    pub fn write(&mut self, doc: &Document) -> Result<Option<Reading>, CommandError> {
        let name = self.path.display().to_string();
        let file = self
            .path
            .file_name()
            .map_or_else(|| name.clone(), |f| f.to_string_lossy().to_string());
        let on_disk = std::fs::read_to_string(&self.path).map_err(|e| {
            CommandError::new(
                ErrorCode::FileUnreadable,
                format!("cannot read {name}: {e}"),
            )
        })?;
        if on_disk != self.text {
            return Err(CommandError::new(
                ErrorCode::FileUnwritable,
                format!("{file} changed on disk since it was opened, so nothing was written: open it again to edit what it says now (Save As keeps your edits in a Bucketwire document)"),
            ));
        }
        let target = Target::default();
        let invalid = |e: &dyn std::fmt::Display| {
            CommandError::new(ErrorCode::DocumentInvalid, e.to_string())
        };
        let back = write_back(&name, &self.text, doc, &target).map_err(|e| invalid(&e))?;
        if !back.by_hand.is_empty() {
            let list: Vec<String> = back
                .by_hand
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{}) {s}", i + 1))
                .collect();
            return Err(CommandError::new(
                ErrorCode::TemplateNotWritten,
                format!(
                    "Nothing was written to {file}: {} cannot be written into it safely. {} Undo {}, or use Save As to keep every edit in a Bucketwire document.",
                    if list.len() == 1 { "one change".to_string() } else { format!("{} changes", list.len()) },
                    list.join(" "),
                    if list.len() == 1 { "it" } else { "them" },
                ),
            ));
        }
        if back.text == self.text {
            return Ok(None);
        }
        write_atomically(&self.path, back.text.as_bytes()).map_err(|e| {
            CommandError::new(
                ErrorCode::FileUnwritable,
                format!("cannot write {name}: {e}"),
            )
        })?;
        let reading = sources::read(&name, &back.text, &target).map_err(|e| invalid(&e))?;
        self.text = back.text;
        self.origins = reading.origins.clone();
        Ok(Some(reading))
    }
}
