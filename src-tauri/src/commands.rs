//! Tauri commands. Each one is thin: lock the window's [`Editor`], call one
//! method, answer its [`EditorView`] or [`CommandError`].

use crate::connections::{ConnectionInput, ConnectionView, Connections, IdentityView};
use crate::editor::Editor;
use crate::error::CommandError;
use crate::importer::{
    BucketListView, ImportMode, ImportProgressView, ImportSummaryView, Importer, SurveyView,
};
use crate::node_update::NodeUpdate;
use crate::review::{AppliedView, ReviewView, Reviewer, StepView};
use crate::test_event::{TestEventMode, TestEventView};
use crate::view::{
    DocumentView, EditorView, EventFamilyView, ExportFormat, FindingView, ImageFormat,
    ImportedView, NodeKind, NodeMove, RelationsView, TemplateView, TryKeyView,
};
use std::sync::Mutex;
use tauri::State;

/// The window's editor, shared by the commands.
pub type EditorState = Mutex<Editor>;

fn editor<'a>(state: &'a State<'_, EditorState>) -> std::sync::MutexGuard<'a, Editor> {
    // A panic while holding the lock cannot leave the editor half-changed
    // (edits are applied to a copy first), so a poisoned lock is usable.
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// The current document, as the canvas draws it.
#[tauri::command]
#[specta::specta]
pub fn current(state: State<'_, EditorState>) -> EditorView {
    editor(&state).view()
}

/// Opens the built-in sample wiring (thumbnails for `.jpg` uploads).
#[tauri::command]
#[specta::specta]
pub fn open_sample(state: State<'_, EditorState>) -> EditorView {
    editor(&state).open_sample()
}

/// Starts an empty document.
#[tauri::command]
#[specta::specta]
pub fn new_document(state: State<'_, EditorState>) -> EditorView {
    editor(&state).new_document()
}

/// Opens a `*.bucketwire.json` file.
///
/// # Errors
/// `fileUnreadable`; `documentInvalid` naming line/column or JSON path.
#[tauri::command]
#[specta::specta]
pub fn open_document(
    state: State<'_, EditorState>,
    path: String,
) -> Result<EditorView, CommandError> {
    editor(&state).open(&path)
}

/// Saves to `path`, or to the document's own file when `path` is null.
///
/// # Errors
/// `noPath`; `fileUnwritable`.
#[tauri::command]
#[specta::specta]
pub fn save_document(
    state: State<'_, EditorState>,
    path: Option<String>,
) -> Result<EditorView, CommandError> {
    editor(&state).save(path.as_deref())
}

/// Adds a node from the palette at a canvas position.
///
/// # Errors
/// `editRefused`.
#[tauri::command]
#[specta::specta]
pub fn add_node(
    state: State<'_, EditorState>,
    kind: NodeKind,
    x: f64,
    y: f64,
) -> Result<EditorView, CommandError> {
    editor(&state).add_node(kind, x, y)
}

/// Connects two nodes.
///
/// # Errors
/// `editRefused` with the reason (nothing changes).
#[tauri::command]
#[specta::specta]
pub fn connect(
    state: State<'_, EditorState>,
    from: String,
    to: String,
) -> Result<EditorView, CommandError> {
    editor(&state).connect(&from, &to)
}

/// Removes the edge between two nodes.
///
/// # Errors
/// `editRefused`.
#[tauri::command]
#[specta::specta]
pub fn disconnect(
    state: State<'_, EditorState>,
    from: String,
    to: String,
) -> Result<EditorView, CommandError> {
    editor(&state).disconnect(&from, &to)
}

/// Removes nodes and their edges (one undo step).
///
/// # Errors
/// `editRefused`.
#[tauri::command]
#[specta::specta]
pub fn remove_nodes(
    state: State<'_, EditorState>,
    ids: Vec<String>,
) -> Result<EditorView, CommandError> {
    editor(&state).remove(&ids)
}

/// Records where nodes were dropped (one undo step).
///
/// # Errors
/// `editRefused`.
#[tauri::command]
#[specta::specta]
pub fn move_nodes(
    state: State<'_, EditorState>,
    moves: Vec<NodeMove>,
) -> Result<EditorView, CommandError> {
    editor(&state).move_nodes(&moves)
}

/// Arranges nodes as part of the last step (the layout of what an import
/// or a merge just drew): Undo takes both back together.
///
/// # Errors
/// `editRefused`.
#[tauri::command]
#[specta::specta]
pub fn arrange_nodes(
    state: State<'_, EditorState>,
    moves: Vec<NodeMove>,
) -> Result<EditorView, CommandError> {
    editor(&state).arrange_nodes(&moves)
}

/// Replaces a node's editable properties.
///
/// # Errors
/// `editRefused`.
#[tauri::command]
#[specta::specta]
pub fn update_node(
    state: State<'_, EditorState>,
    id: String,
    props: NodeUpdate,
) -> Result<EditorView, CommandError> {
    editor(&state).update(&id, props)
}

/// Applies the document fix of the finding at `index`.
///
/// # Errors
/// `noFix`; `editRefused`.
#[tauri::command]
#[specta::specta]
pub fn apply_fix(state: State<'_, EditorState>, index: u32) -> Result<EditorView, CommandError> {
    editor(&state).apply_fix(index as usize)
}

/// Makes a bucket's read-only SNS or SQS entry (the foreign card `id`) the
/// document's: a filter into a topic or queue card (docs/rules.md §15,
/// §16).
///
/// # Errors
/// `editRefused` when the card is not a bucket's SNS or SQS entry.
#[tauri::command]
#[specta::specta]
pub fn manage_destination(
    state: State<'_, EditorState>,
    id: String,
) -> Result<EditorView, CommandError> {
    editor(&state).manage_destination(&id)
}

/// Whether there are changes not yet saved (the close guard asks).
pub fn is_dirty(state: &EditorState) -> bool {
    state.lock().unwrap_or_else(|e| e.into_inner()).view().dirty
}

/// Undoes the last edit.
#[tauri::command]
#[specta::specta]
pub fn undo(state: State<'_, EditorState>) -> EditorView {
    editor(&state).undo()
}

/// Redoes the last undone edit.
#[tauri::command]
#[specta::specta]
pub fn redo(state: State<'_, EditorState>) -> EditorView {
    editor(&state).redo()
}

/// The file that unsaved work found at start belongs to (`""` when it was
/// never saved); null when there is nothing to restore.
#[tauri::command]
#[specta::specta]
pub fn recovery_status(state: State<'_, EditorState>) -> Option<String> {
    editor(&state)
        .pending_recovery()
        .map(Option::unwrap_or_default)
}

/// Opens the unsaved work found at start.
///
/// # Errors
/// `noRecovery`; `documentInvalid` when the copy is damaged.
#[tauri::command]
#[specta::specta]
pub fn restore_recovery(state: State<'_, EditorState>) -> Result<EditorView, CommandError> {
    editor(&state).restore_recovery()
}

/// Drops the unsaved work found at start.
#[tauri::command]
#[specta::specta]
pub fn discard_recovery(state: State<'_, EditorState>) {
    editor(&state).discard_recovery();
}

/// Recently opened or saved documents, newest first.
#[tauri::command]
#[specta::specta]
pub fn recent_files(state: State<'_, EditorState>) -> Vec<String> {
    editor(&state).recent_files()
}

/// Writes the document in another tool's format (only the buckets among
/// `chosen`, the selection, when it holds any); answers the files written.
///
/// # Errors
/// `fileUnwritable`; `invalidInput`.
#[tauri::command]
#[specta::specta]
pub fn export_document(
    state: State<'_, EditorState>,
    format: ExportFormat,
    path: String,
    chosen: Vec<String>,
) -> Result<Vec<String>, CommandError> {
    editor(&state).export(format, &path, &chosen)
}

/// Every family of events a filter can listen for.
#[tauri::command]
#[specta::specta]
pub fn event_catalog() -> Vec<EventFamilyView> {
    bucketwire_core::model::events::families()
        .into_iter()
        .map(|f| EventFamilyView {
            name: f.name.to_string(),
            wildcard: f.wildcard,
            members: f.members,
        })
        .collect()
}

/// What happens when `event` happens to `key` in `bucket`.
///
/// # Errors
/// `invalidInput`.
#[tauri::command]
#[specta::specta]
pub fn try_key(
    state: State<'_, EditorState>,
    bucket: String,
    key: String,
    event: String,
) -> Result<TryKeyView, CommandError> {
    editor(&state).try_key(&bucket, &key, &event)
}

/// What node `id` is connected to: the path the canvas lights when it is
/// selected, a filter's bucket, a function's "Triggered by", and what the
/// inspector offers to connect it to.
#[tauri::command]
#[specta::specta]
pub fn node_relations(state: State<'_, EditorState>, id: String) -> RelationsView {
    editor(&state).relations(&id)
}

/// The text of the template the document was opened from (Show in file).
///
/// # Errors
/// `noPath` when the document did not come from a template.
#[tauri::command]
#[specta::specta]
pub fn template_text(state: State<'_, EditorState>) -> Result<String, CommandError> {
    editor(&state).template_text()
}

/// The outline beside the canvas: buckets with notifications by account
/// and region with their paths, functions with what triggers them.
#[tauri::command]
#[specta::specta]
pub fn outline(state: State<'_, EditorState>) -> crate::view::OutlineView {
    editor(&state).outline()
}

/// A key (or prefix, or suffix) as S3 writes it in event records.
#[tauri::command]
#[specta::specta]
pub fn encode_key(text: String) -> String {
    bucketwire_core::model::keys::encode_key(&text)
}

/// The selected nodes as a fragment for Paste.
#[tauri::command]
#[specta::specta]
pub fn copy_nodes(state: State<'_, EditorState>, ids: Vec<String>) -> String {
    editor(&state).copy(&ids)
}

/// Pastes a fragment from `copy_nodes`, shifted by `(dx, dy)`.
///
/// # Errors
/// `invalidInput`; `editRefused`.
#[tauri::command]
#[specta::specta]
pub fn paste_nodes(
    state: State<'_, EditorState>,
    fragment: String,
    dx: f64,
    dy: f64,
) -> Result<EditorView, CommandError> {
    editor(&state).paste(&fragment, dx, dy)
}

/// Copies and pastes nodes at once.
///
/// # Errors
/// `editRefused`.
#[tauri::command]
#[specta::specta]
pub fn duplicate_nodes(
    state: State<'_, EditorState>,
    ids: Vec<String>,
) -> Result<EditorView, CommandError> {
    editor(&state).duplicate(&ids)
}

/// Writes the canvas picture the UI drew (SVG text or base64 PNG).
///
/// # Errors
/// `invalidInput`; `fileUnwritable`.
#[tauri::command]
#[specta::specta]
pub fn export_image(
    state: State<'_, EditorState>,
    format: ImageFormat,
    path: String,
    data: String,
) -> Result<String, CommandError> {
    editor(&state).export_image(format, &path, &data)
}

/// The findings about node `id` if it had these properties; changes
/// nothing (the inspector checks as the user types).
///
/// # Errors
/// `editRefused`.
#[tauri::command]
#[specta::specta]
pub fn check_update(
    state: State<'_, EditorState>,
    id: String,
    props: NodeUpdate,
) -> Result<Vec<FindingView>, CommandError> {
    editor(&state).check_update(&id, props)
}

/// The templates an empty canvas offers.
#[tauri::command]
#[specta::specta]
pub fn templates() -> Vec<TemplateView> {
    bucketwire_core::samples::templates::TEMPLATES
        .iter()
        .map(|t| TemplateView {
            id: t.id.to_string(),
            title: t.title.to_string(),
            description: t.description.to_string(),
        })
        .collect()
}

/// Opens a template as a new, untitled document.
///
/// # Errors
/// `invalidInput` for an unknown template.
#[tauri::command]
#[specta::specta]
pub fn open_template(
    state: State<'_, EditorState>,
    id: String,
) -> Result<EditorView, CommandError> {
    editor(&state).open_template(&id)
}

/// Whether the guided tour was seen before (the first start opens it).
#[tauri::command]
#[specta::specta]
pub fn tour_seen(state: State<'_, EditorState>) -> bool {
    editor(&state).tour_seen()
}

/// The AWS Regions the connection form suggests (any other is accepted as
/// typed).
#[tauri::command]
#[specta::specta]
pub fn known_regions() -> Vec<String> {
    bucketwire_core::model::regions::KNOWN_REGIONS
        .iter()
        .map(|r| (*r).to_string())
        .collect()
}

/// The window's remembered choices (panel sizes, theme, connection), by
/// name; read once at start.
#[tauri::command]
#[specta::specta]
pub fn preferences(state: State<'_, EditorState>) -> std::collections::BTreeMap<String, String> {
    editor(&state).preferences().clone()
}

/// Remembers one of the window's choices; `null` forgets it.
///
/// # Errors
/// `invalidInput` for what is not a preference (an empty or long name, a
/// long value); `fileUnwritable` when it cannot be kept.
#[tauri::command]
#[specta::specta]
pub fn set_preference(
    state: State<'_, EditorState>,
    name: String,
    value: Option<String>,
) -> Result<(), CommandError> {
    editor(&state).set_preference(&name, value)
}

/// Remembers that the guided tour was seen or skipped.
#[tauri::command]
#[specta::specta]
pub fn mark_tour_seen(state: State<'_, EditorState>) {
    editor(&state).mark_tour_seen();
}

/// The saved connections (never their secrets).
///
/// # Errors
/// `connectionStore`.
#[tauri::command]
#[specta::specta]
pub fn list_connections(
    connections: State<'_, Connections>,
) -> Result<Vec<ConnectionView>, CommandError> {
    connections.list()
}

/// Saves a connection; its secret, if given, goes straight to the keyring.
///
/// # Errors
/// `invalidInput`; `keyring`; `connectionStore`.
#[tauri::command]
#[specta::specta]
pub fn save_connection(
    connections: State<'_, Connections>,
    input: ConnectionInput,
) -> Result<Vec<ConnectionView>, CommandError> {
    connections.save(input)
}

/// Removes a connection and its secret.
///
/// # Errors
/// `connectionStore`; `keyring`.
#[tauri::command]
#[specta::specta]
pub fn remove_connection(
    connections: State<'_, Connections>,
    name: String,
) -> Result<Vec<ConnectionView>, CommandError> {
    connections.remove(&name)
}

/// "Test connection": whose credentials these are.
///
/// # Errors
/// `connectionStore`; `awsCall`.
#[tauri::command]
#[specta::specta]
pub async fn test_connection(
    connections: State<'_, Connections>,
    name: String,
) -> Result<IdentityView, CommandError> {
    let connections = connections.inner().clone();
    connections.test(&name).await
}

/// The connection to use at start: "Local sandbox" when the app runs with
/// the sandbox account (`make run`), else none.
#[tauri::command]
#[specta::specta]
pub fn sandbox_connection() -> Option<String> {
    std::env::var_os("BUCKETWIRE_SANDBOX_URL").map(|_| Connections::SANDBOX.to_string())
}

/// "Review changes": reads the account through connection `name` and plans
/// the open document against it.
///
/// # Errors
/// `connectionStore`; `awsCall`; `planFailed`.
#[tauri::command]
#[specta::specta]
pub async fn review_changes(
    state: State<'_, EditorState>,
    reviewer: State<'_, Reviewer>,
    name: String,
) -> Result<ReviewView, CommandError> {
    let wiring = editor(&state).wiring();
    let reviewer = reviewer.inner().clone();
    reviewer.review(&name, wiring).await
}

/// Applies the reviewed plan (refused if the account moved since); after a
/// successful apply the open document's live facts are what the account
/// now holds, and the answer carries the new editor view.
///
/// # Errors
/// `noReview`; `connectionStore`; `awsCall`.
#[tauri::command]
#[specta::specta]
pub async fn apply_changes(
    state: State<'_, EditorState>,
    reviewer: State<'_, Reviewer>,
) -> Result<AppliedView, CommandError> {
    let reviewer = reviewer.inner().clone();
    reviewer.apply_to(&state).await
}

/// Stops the running apply; the steps it made are undone.
#[tauri::command]
#[specta::specta]
pub fn cancel_apply(reviewer: State<'_, Reviewer>) {
    reviewer.cancel();
}

/// The running apply's steps so far (polled while Apply runs).
#[tauri::command]
#[specta::specta]
pub fn apply_progress(reviewer: State<'_, Reviewer>) -> Vec<StepView> {
    reviewer.progress()
}

/// The import wizard's first step: the buckets connection `name` can list,
/// with their regions.
///
/// # Errors
/// `connectionStore`; `awsCall`.
#[tauri::command]
#[specta::specta]
pub async fn list_buckets(
    importer: State<'_, Importer>,
    name: String,
) -> Result<BucketListView, CommandError> {
    let importer = importer.inner().clone();
    importer.list(&name).await
}

/// The import wizard's look at the listed buckets: what each one's
/// notification configuration holds (Lambda, SQS, SNS, EventBridge).
///
/// # Errors
/// `connectionStore`; `awsCall`.
#[tauri::command]
#[specta::specta]
pub async fn survey_buckets(
    importer: State<'_, Importer>,
    name: String,
) -> Result<Vec<SurveyView>, CommandError> {
    let importer = importer.inner().clone();
    importer.survey(&name).await
}

/// Imports the chosen buckets through connection `name`; the result waits
/// for [`finish_import`].
///
/// # Errors
/// `invalidInput`; `connectionStore`; `awsCall`; `cancelled`.
#[tauri::command]
#[specta::specta]
pub async fn import_buckets(
    importer: State<'_, Importer>,
    name: String,
    buckets: Vec<String>,
) -> Result<ImportSummaryView, CommandError> {
    let importer = importer.inner().clone();
    importer.run(&name, buckets).await
}

/// The running import's counts (polled while it runs).
#[tauri::command]
#[specta::specta]
pub fn import_progress(importer: State<'_, Importer>) -> ImportProgressView {
    importer.progress()
}

/// The canvas the finished import opens as, for arranging it before it
/// is opened (nothing is opened or taken).
///
/// # Errors
/// `noImport`.
#[tauri::command]
#[specta::specta]
pub fn import_preview(importer: State<'_, Importer>) -> Result<DocumentView, CommandError> {
    importer.preview()
}

/// Stops the running import; nothing it read is kept.
#[tauri::command]
#[specta::specta]
pub fn cancel_import(importer: State<'_, Importer>) {
    importer.cancel();
}

/// Opens the finished import as a new document, or merges it into the open
/// one.
///
/// # Errors
/// `noImport`; `editRefused`.
#[tauri::command]
#[specta::specta]
pub fn finish_import(
    state: State<'_, EditorState>,
    importer: State<'_, Importer>,
    mode: ImportMode,
) -> Result<ImportedView, CommandError> {
    let doc = importer.take()?;
    let mut editor = editor(&state);
    match mode {
        ImportMode::New => editor.open_imported(&doc),
        ImportMode::Merge => editor.merge_imported(&doc),
    }
}

/// "Send a test event" from Try a key: a DryRun (Lambda accepts the call,
/// and S3 may invoke the function for the bucket) or a real Event invoke,
/// through connection `name`.
///
/// # Errors
/// `invalidInput` (nothing fires); `connectionStore`; `awsCall`.
#[tauri::command]
#[specta::specta]
pub async fn send_test_event(
    state: State<'_, EditorState>,
    connections: State<'_, Connections>,
    name: String,
    bucket: String,
    key: String,
    event: String,
    mode: TestEventMode,
) -> Result<TestEventView, CommandError> {
    let wiring = editor(&state).wiring();
    let connections = connections.inner().clone();
    crate::test_event::send_test_event(&connections, &wiring, &name, &bucket, &key, &event, mode)
        .await
}
