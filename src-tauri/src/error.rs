//! The one error type commands return. It reaches TypeScript as
//! `{ code, message }`: the UI branches on `code`, shows `message`.

use serde::Serialize;

/// What went wrong, as a stable machine-readable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    /// The file could not be read from disk.
    FileUnreadable,
    /// The file was read but is not a valid Bucketwire document.
    DocumentInvalid,
    /// The file could not be written.
    FileUnwritable,
    /// Save was asked for a document that has no file yet.
    NoPath,
    /// The core refused an edit (the message says why); nothing changed.
    EditRefused,
    /// The finding has no fix that changes the document.
    NoFix,
    /// There is no unsaved work to restore.
    NoRecovery,
    /// An argument is not valid (the message names which and why).
    InvalidInput,
    /// The saved connections could not be read or written, or a connection
    /// is missing (or its secret is).
    ConnectionStore,
    /// The OS keyring refused to store, read or delete a secret.
    Keyring,
    /// A call to AWS failed (AWS's code and message, or the transport's).
    AwsCall,
    /// The document cannot be planned against the account (a bucket or a
    /// function is missing, or a region differs).
    PlanFailed,
    /// Apply was asked for without a reviewed plan.
    NoReview,
    /// The user cancelled the operation; nothing was kept.
    Cancelled,
    /// There is no finished import to open or merge.
    NoImport,
    /// Some edits cannot be written into the template the document came
    /// from; nothing was written.
    TemplateNotWritten,
}

/// A command failure, serialised as `{ code, message }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    /// Stable code to branch on.
    pub code: ErrorCode,
    /// Plain-language explanation naming what and where.
    pub message: String,
}

impl CommandError {
    /// Builds an error from a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}
