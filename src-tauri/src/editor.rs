//! The open document of the window: a core [`Session`] plus the file it
//! came from. Each method is what one command does — turn transport
//! arguments into core edits, call the core, answer an [`EditorView`] — so
//! the commands stay one line and this is testable without a window.

use crate::error::{CommandError, ErrorCode};
use crate::files::{write_atomically, RecentFiles, Recovery};
use crate::node_update::{async_invoke, recursive_loop, NodeUpdate};
use crate::preferences::Preferences;
use crate::template_link::TemplateLink;
use crate::view::{
    finding_view, EditorView, ExportFormat, FindingView, ImageFormat, ImportedView, NodeKind,
    NodeMove, RelationsView, TryKeyView, TryOutcome,
};
use bucketwire_core::model::document::LiveFacts;
use bucketwire_core::{
    read_document, samples, Document, Edit, GraphError, NewNode, Node, NodeId, Position, Session,
    Wiring,
};
use std::path::{Path, PathBuf};

/// `Some` when the file at `path` holds a template rather than a document:
/// a Terraform file, or YAML or JSON that looks like a CloudFormation
/// template (the core decides: `sources::looks_like_template`).
fn template_text(path: &str, bytes: &[u8]) -> Option<()> {
    let text = std::str::from_utf8(bytes).ok()?;
    let tf = path.ends_with(".tf") && bucketwire_core::sources::terraform::has_wiring(text);
    (tf || bucketwire_core::sources::looks_like_template(text)).then_some(())
}

/// The window's document.
#[derive(Debug, Default)]
pub struct Editor {
    session: Session,
    path: Option<PathBuf>,
    recent: RecentFiles,
    recovery: Option<Recovery>,
    /// Unsaved work found at start, until the user restores or discards
    /// it (or makes new unsaved work, which replaces it).
    pending: Option<(Vec<u8>, Option<PathBuf>)>,
    /// A file whose presence says the tour was seen.
    tour_marker: Option<PathBuf>,
    /// The window's remembered choices (panel sizes, theme, connection).
    preferences: Preferences,
    /// The CloudFormation or SAM template the document was opened from:
    /// Save writes the edits back into it.
    template: Option<TemplateLink>,
}

/// The document as saved: pretty JSON with a final newline.
fn document_json(wiring: &bucketwire_core::Wiring) -> Vec<u8> {
    let mut json =
        serde_json::to_vec_pretty(&wiring.to_document()).unwrap_or_else(|_| b"{}".to_vec());
    json.push(b'\n');
    json
}

/// A file write that failed, naming the file.
fn unwritable(path: &Path, e: &std::io::Error) -> CommandError {
    CommandError::new(
        ErrorCode::FileUnwritable,
        format!("cannot write {}: {e}", path.display()),
    )
}

fn refused(e: GraphError) -> CommandError {
    CommandError::new(ErrorCode::EditRefused, e.to_string())
}

impl Editor {
    /// An editor that remembers recent files and whether the tour was seen
    /// in `config_dir`, and keeps unsaved work in `data_dir`; it picks up
    /// work a crash left there.
    pub fn new(config_dir: Option<PathBuf>, data_dir: Option<PathBuf>) -> Self {
        let recovery = data_dir.map(Recovery::new);
        Self {
            pending: recovery.as_ref().and_then(Recovery::read),
            recent: RecentFiles::load(config_dir.as_ref().map(|d| d.join("recent.json"))),
            preferences: Preferences::load(config_dir.as_ref().map(|d| d.join("preferences.json"))),
            tour_marker: config_dir.map(|d| d.join("tour-seen")),
            recovery,
            ..Self::default()
        }
    }

    /// Whether the guided tour has been shown (or skipped) before; without
    /// a config directory, never.
    pub fn tour_seen(&self) -> bool {
        self.tour_marker.as_deref().is_some_and(Path::exists)
    }

    /// Remembers that the tour was shown. Failing to write it only means
    /// the tour opens again next time.
    pub fn mark_tour_seen(&self) {
        if let Some(marker) = &self.tour_marker {
            let _ = marker
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| write_atomically(marker, b"seen\n"));
        }
    }

    /// The window's remembered choices, by name.
    pub fn preferences(&self) -> &std::collections::BTreeMap<String, String> {
        self.preferences.all()
    }

    /// Remembers (or, with `None`, forgets) one of the window's choices.
    ///
    /// # Errors
    /// As [`Preferences::set`].
    pub fn set_preference(
        &mut self,
        name: &str,
        value: Option<String>,
    ) -> Result<(), CommandError> {
        self.preferences.set(name, value)
    }

    /// Opens template `id` as a new, untitled document.
    ///
    /// # Errors
    /// `invalidInput` for an unknown template.
    pub fn open_template(&mut self, id: &str) -> Result<EditorView, CommandError> {
        let wiring = bucketwire_core::samples::templates::template(id)
            .and_then(|doc| Wiring::from_document(&doc).ok())
            .ok_or_else(|| {
                CommandError::new(
                    ErrorCode::InvalidInput,
                    format!("there is no template \"{id}\""),
                )
            })?;
        Ok(self.replace(Session::new(wiring), None))
    }

    /// Puts `session` in the window, linked to `path` (or to no file), and
    /// keeps or drops the recovery copy accordingly: what opening, starting
    /// or restoring a document all do.
    fn replace(&mut self, session: Session, path: Option<PathBuf>) -> EditorView {
        self.session = session;
        self.path = path;
        self.template = None;
        self.checkpoint();
        self.view()
    }

    /// After every change: keep a recovery copy of unsaved work, or drop
    /// the copy once the work is saved.
    fn checkpoint(&mut self) {
        let Some(recovery) = &self.recovery else {
            return;
        };
        if self.session.is_dirty() {
            // Serialised and written off this thread (best effort: a failed
            // write is retried with the next edit's copy).
            let wiring = self.session.wiring().clone();
            recovery.keep(move || document_json(&wiring), self.path.as_deref());
            self.pending = None;
        } else if self.pending.is_none() {
            recovery.clear();
        }
    }

    /// The file the unsaved work found at start belongs to: `Some(None)`
    /// for work never saved, `None` when there is nothing to restore.
    pub fn pending_recovery(&self) -> Option<Option<String>> {
        self.pending
            .as_ref()
            .map(|(_, origin)| origin.as_ref().map(|p| p.display().to_string()))
    }

    /// Opens the unsaved work found at start (dirty, linked to its file).
    ///
    /// # Errors
    /// `documentInvalid` when the copy is not a document (it is then
    /// dropped); `noRecovery` when there is none.
    pub fn restore_recovery(&mut self) -> Result<EditorView, CommandError> {
        let (bytes, origin) = self.pending.take().ok_or_else(|| {
            CommandError::new(ErrorCode::NoRecovery, "there is no unsaved work to restore")
        })?;
        let wiring = read_document(&bytes)
            .map_err(|e| e.to_string())
            .and_then(|d| Wiring::from_document(&d).map_err(|e| e.to_string()))
            .map_err(|e| {
                self.discard_recovery();
                CommandError::new(
                    ErrorCode::DocumentInvalid,
                    format!("the recovery copy is damaged and was dropped: {e}"),
                )
            })?;
        Ok(self.replace(Session::unsaved(wiring), origin))
    }

    /// Opens what an import read as a new, unsaved document (Save asks
    /// where it goes).
    ///
    /// # Errors
    /// `documentInvalid` when the imported document does not load (an
    /// import always makes a valid one; this is a guard, not a path).
    pub fn open_imported(&mut self, doc: &Document) -> Result<ImportedView, CommandError> {
        let wiring = Wiring::from_document(doc)
            .map_err(|e| CommandError::new(ErrorCode::DocumentInvalid, e.to_string()))?;
        Ok(ImportedView {
            added: doc.buckets.iter().map(|b| b.name.clone()).collect(),
            kept: Vec::new(),
            editor: self.replace(Session::unsaved(wiring), None),
        })
    }

    /// Merges what an import read into the open document as one undo step
    /// (see `bucketwire_core::import::merge`): new buckets come in, buckets already
    /// drawn stay as they are.
    ///
    /// # Errors
    /// `editRefused` when the core refuses the merge; nothing changes then.
    pub fn merge_imported(&mut self, doc: &Document) -> Result<ImportedView, CommandError> {
        let merge = bucketwire_core::import::merge::merge(self.session.wiring(), doc);
        // Nothing new: no empty undo step.
        let editor = if merge.edits.is_empty() {
            self.view()
        } else {
            self.edit(merge.edits)?
        };
        Ok(ImportedView {
            editor,
            added: merge.added,
            kept: merge.kept,
        })
    }

    /// Drops the unsaved work found at start.
    pub fn discard_recovery(&mut self) {
        self.pending = None;
        if !self.session.is_dirty() {
            if let Some(recovery) = &self.recovery {
                recovery.clear();
            }
        }
    }

    /// The user chose to lose the unsaved work (closing without saving):
    /// the recovery copy goes too.
    pub fn discard_unsaved(&mut self) {
        self.pending = None;
        if let Some(recovery) = &self.recovery {
            recovery.clear();
        }
    }

    /// "What runs when this file lands?" for `key` and `event` in `bucket`.
    ///
    /// # Errors
    /// `invalidInput` naming the unknown bucket, the event that is not a
    /// concrete S3 event, or the empty or too long key.
    pub fn try_key(
        &self,
        bucket: &str,
        key: &str,
        event: &str,
    ) -> Result<TryKeyView, CommandError> {
        use bucketwire_core::simulate::{Destination, Outcome};
        let wiring = self.session.wiring();
        let sim = bucketwire_core::simulate(wiring, bucket, key, event)
            .map_err(|e| CommandError::new(ErrorCode::InvalidInput, e.to_string()))?;
        let bucket_node = wiring
            .buckets()
            .find(|b| b.name == bucket)
            .map(|b| b.id.clone());
        let filter_nodes = |ids: &[String]| -> Vec<String> {
            let Some(b) = &bucket_node else {
                return Vec::new();
            };
            let mut nodes = vec![b.to_string()];
            nodes.extend(
                wiring
                    .filters_of(b)
                    .into_iter()
                    .filter(|f| ids.contains(&f.configuration_id))
                    .map(|f| f.id.to_string()),
            );
            nodes
        };
        let encoded_key = bucketwire_core::model::keys::encode_key(key);
        let rules = sim.rules;
        let view = match sim.outcome {
            Outcome::Fires { configuration_id, destination, mut event_json } => {
                let (nodes, target, function) = match destination {
                    Destination::Function { arn, node, filter } => {
                        let mut nodes: Vec<String> = bucket_node.iter().map(ToString::to_string).collect();
                        nodes.extend([filter, node]);
                        (nodes, format!("function {arn}"), Some(arn))
                    }
                    Destination::Queue { arn } => (filter_nodes(&[]), format!("queue {arn}"), None),
                    Destination::Topic { arn } => (filter_nodes(&[]), format!("topic {arn}"), None),
                    // Each subscriber receives the SNS envelope: that is the
                    // event shown, and sent to the first of them.
                    Destination::FanOut { arn, node, filter, subscribers, subscriber_nodes, envelope } => {
                        let mut nodes: Vec<String> = bucket_node.iter().map(ToString::to_string).collect();
                        nodes.extend([filter, node]);
                        nodes.extend(subscriber_nodes);
                        event_json = envelope;
                        let to = if subscribers.is_empty() {
                            "no subscriber".to_string()
                        } else {
                            subscribers.join(", ")
                        };
                        (nodes, format!("topic {arn}, which delivers it to {to}"), subscribers.into_iter().next())
                    }
                    // The function polling the queue receives a batch: that
                    // is the event shown, and sent to it.
                    Destination::Buffered { arn, node, filter, consumer, consumer_node, batch } => {
                        let mut nodes: Vec<String> = bucket_node.iter().map(ToString::to_string).collect();
                        nodes.extend([filter, node]);
                        nodes.extend(consumer_node);
                        event_json = batch;
                        let to = consumer.as_deref().unwrap_or("no function polls it yet");
                        (nodes, format!("queue {arn}, polled by {to}"), consumer)
                    }
                };
                TryKeyView {
                    outcome: TryOutcome::Fires,
                    message: format!("\"{configuration_id}\" fires: S3 sends {} for \"{key}\" to {target}.", sim.event),
                    nodes,
                    encoded_key,
                    event_json: serde_json::to_string_pretty(&event_json).ok(),
                    function,
                }
            }
            Outcome::NoMatch { closest } => TryKeyView {
                outcome: TryOutcome::NoMatch,
                message: match closest {
                    Some(miss) => format!(
                        "Nothing fires. Closest: \"{}\", but {}.",
                        miss.configuration_id,
                        miss.reasons.join(", and ")
                    ),
                    None => format!("Nothing fires: bucket \"{bucket}\" has no configuration that invokes anything."),
                },
                nodes: Vec::new(),
                encoded_key,
                event_json: None,
                function: None,
            },
            Outcome::Conflict { configuration_ids } => TryKeyView {
                outcome: TryOutcome::Conflict,
                message: format!(
                    "Conflict: {} all match {} for \"{key}\"; S3 refuses a configuration where one event triggers two.",
                    configuration_ids.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(" and "),
                    sim.event
                ),
                nodes: filter_nodes(&configuration_ids),
                encoded_key,
                event_json: None,
                function: None,
            },
        };
        Ok(with_rules(view, &rules, bucket_node.as_ref()))
    }

    /// Recently opened or saved documents, newest first.
    pub fn recent_files(&self) -> Vec<String> {
        self.recent.list().to_vec()
    }

    /// A copy of the current wiring (for a review, outside the lock).
    pub fn wiring(&self) -> Wiring {
        self.session.wiring().clone()
    }

    /// What the canvas draws now.
    pub fn view(&self) -> EditorView {
        let mut view = EditorView::new(&self.session, self.path.as_deref());
        view.template = self.template.as_ref().map(TemplateLink::view);
        view
    }

    /// The text of the template the document was opened from (Show in
    /// file).
    ///
    /// # Errors
    /// `noPath` when the document did not come from a template.
    pub fn template_text(&self) -> Result<String, CommandError> {
        self.template
            .as_ref()
            .map(|t| t.text().to_string())
            .ok_or_else(|| {
                CommandError::new(
                    ErrorCode::NoPath,
                    "this document was not opened from a template",
                )
            })
    }

    /// Replaces the document by the built-in sample (not linked to a file).
    pub fn open_sample(&mut self) -> EditorView {
        let wiring =
            Wiring::from_document(&samples::thumbnails()).unwrap_or_else(|_| Wiring::new());
        self.replace(Session::new(wiring), None)
    }

    /// Replaces the document by an empty one.
    pub fn new_document(&mut self) -> EditorView {
        self.replace(Session::default(), None)
    }

    /// Opens a `*.bucketwire.json` file.
    ///
    /// # Errors
    /// `fileUnreadable`; `documentInvalid` with the core's message (line and
    /// column, or JSON path). The open document is kept on error.
    pub fn open(&mut self, path: &str) -> Result<EditorView, CommandError> {
        let bytes = std::fs::read(path).map_err(|e| {
            CommandError::new(
                ErrorCode::FileUnreadable,
                format!("cannot read {path}: {e}"),
            )
        })?;
        let doc = match read_document(&bytes) {
            Ok(doc) => doc,
            // A template (CloudFormation, SAM, CDK output, a Terraform
            // file's module) opens as a new, unsaved document of its wiring.
            Err(e) => match template_text(path, &bytes) {
                Some(()) => return self.open_template_file(path),
                None => {
                    return Err(CommandError::new(
                        ErrorCode::DocumentInvalid,
                        format!("{path}: {e}"),
                    ))
                }
            },
        };
        let wiring = Wiring::from_document(&doc)
            .map_err(|e| CommandError::new(ErrorCode::DocumentInvalid, format!("{path}: {e}")))?;
        self.recent.touch(Path::new(path));
        Ok(self.replace(Session::new(wiring), Some(PathBuf::from(path))))
    }

    /// Opens a template's wiring (read by the core's `sources`) as a
    /// document. A CloudFormation or SAM file stays linked: Save writes
    /// the edits back into it. A `.tf` file opens its folder's module as a
    /// new, unsaved document (Save asks where it goes; the module is left
    /// as it is).
    fn open_template_file(&mut self, path: &str) -> Result<EditorView, CommandError> {
        use bucketwire_core::sources::{self, cloudformation::intrinsics::Target};
        let invalid = |e: &dyn std::fmt::Display| {
            CommandError::new(ErrorCode::DocumentInvalid, e.to_string())
        };
        let unreadable = |p: &Path, e: std::io::Error| {
            CommandError::new(
                ErrorCode::FileUnreadable,
                format!("cannot read {}: {e}", p.display()),
            )
        };
        let target = Target::default();
        let reading = if path.ends_with(".tf") {
            let dir = Path::new(path).parent().unwrap_or(Path::new("."));
            let mut files = Vec::new();
            for entry in std::fs::read_dir(dir).map_err(|e| unreadable(dir, e))? {
                let p = entry.map_err(|e| unreadable(dir, e))?.path();
                if p.extension().is_some_and(|e| e == "tf") {
                    let text = std::fs::read_to_string(&p).map_err(|e| unreadable(&p, e))?;
                    files.push((p.display().to_string(), text));
                }
            }
            files.sort();
            sources::read_terraform(&dir.display().to_string(), &files, &target)
        } else {
            let text = std::fs::read_to_string(path).map_err(|e| unreadable(Path::new(path), e))?;
            let reading = sources::read(path, &text, &target).map_err(|e| invalid(&e))?;
            let wiring = Wiring::from_document(&reading.document).map_err(|e| invalid(&e))?;
            self.replace(Session::new(wiring), None);
            self.template = Some(TemplateLink::new(PathBuf::from(path), text, &reading));
            self.recent.touch(Path::new(path));
            return Ok(self.view());
        }
        .map_err(|e| invalid(&e))?;
        let wiring = Wiring::from_document(&reading.document).map_err(|e| invalid(&e))?;
        Ok(self.replace(Session::unsaved(wiring), None))
    }

    /// Writes the edits back into the template the document came from
    /// (all or none), then reads it again: the canvas keeps where each
    /// card was.
    fn save_into_template(&mut self) -> Result<EditorView, CommandError> {
        let Some(link) = self.template.as_mut() else {
            return Err(CommandError::new(
                ErrorCode::NoPath,
                "choose where to save the document",
            ));
        };
        let current = self.session.wiring().to_document();
        match link.write(&current)? {
            Some(reading) => {
                let mut doc = reading.document;
                for (id, place) in &current.layout {
                    if let Some(p) = doc.layout.get_mut(id) {
                        *p = *place;
                    }
                }
                let wiring = Wiring::from_document(&doc)
                    .map_err(|e| CommandError::new(ErrorCode::DocumentInvalid, e.to_string()))?;
                self.session = Session::new(wiring);
            }
            None => self.session.mark_saved(),
        }
        self.checkpoint();
        Ok(self.view())
    }

    /// Saves to `path`, or to the file it came from when `path` is `None`:
    /// a document opened from a CloudFormation or SAM template is written
    /// back into it. Writes a temporary file next to the target and renames
    /// it, so a failed save never leaves half a file.
    ///
    /// # Errors
    /// `noPath` when there is neither; `fileUnwritable` when writing fails;
    /// as [`TemplateLink::write`] for a template.
    pub fn save(&mut self, path: Option<&str>) -> Result<EditorView, CommandError> {
        if path.is_none() && self.path.is_none() && self.template.is_some() {
            return self.save_into_template();
        }
        let target = path
            .map(PathBuf::from)
            .or_else(|| self.path.clone())
            .ok_or_else(|| {
                CommandError::new(ErrorCode::NoPath, "choose where to save the document")
            })?;
        write_atomically(&target, &document_json(self.session.wiring()))
            .map_err(|e| unwritable(&target, &e))?;
        self.session.mark_saved();
        self.recent.touch(&target);
        self.path = Some(target);
        // Saved as a Bucketwire document: that file is its home now.
        self.template = None;
        self.checkpoint();
        Ok(self.view())
    }

    /// Writes the document in another tool's format to `path`: the buckets
    /// the document manages (a filter wired to a function). One file per
    /// bucket for the native S3 format and one per region for
    /// CloudFormation (a template is regional): with several, each is named
    /// `<path stem>-<bucket or region>.<extension>`.
    ///
    /// With bucket cards among `chosen` (node ids; the selection), only
    /// those buckets are exported.
    ///
    /// # Errors
    /// `fileUnwritable`; `invalidInput` when nothing is managed.
    pub fn export(
        &self,
        format: ExportFormat,
        path: &str,
        chosen: &[String],
    ) -> Result<Vec<String>, CommandError> {
        use bucketwire_core::export;
        let wiring = self.session.wiring();
        let only: Vec<String> = chosen
            .iter()
            .filter_map(|id| match wiring.node(&NodeId::new(id.as_str())) {
                Some(Node::Bucket(b)) => Some(b.name.clone()),
                _ => None,
            })
            .collect();
        let only = only.as_slice();
        let target = PathBuf::from(path);
        let failed =
            |e: export::ExportError| CommandError::new(ErrorCode::InvalidInput, e.to_string());
        // One file at `target`, or several beside it.
        let spread = |parts: Vec<(String, String)>, extension: &str| -> Vec<(PathBuf, String)> {
            if let [(_, only)] = parts.as_slice() {
                return vec![(target.clone(), only.clone())];
            }
            let stem = target.with_extension("");
            parts
                .into_iter()
                .map(|(part, text)| {
                    let mut name = stem.as_os_str().to_owned();
                    name.push(format!("-{part}.{extension}"));
                    (PathBuf::from(name), text)
                })
                .collect()
        };
        let files: Vec<(PathBuf, String)> = match format {
            ExportFormat::Cli => vec![(
                target.clone(),
                export::cli::script(wiring, only).map_err(failed)?,
            )],
            ExportFormat::Cloudformation => spread(
                export::cloudformation::templates(wiring, only).map_err(failed)?,
                "yaml",
            ),
            ExportFormat::Terraform => vec![(
                target.clone(),
                export::terraform::configuration(wiring, only).map_err(failed)?,
            )],
            ExportFormat::S3 => {
                let configs =
                    export::s3::notification_configurations(wiring, only).map_err(failed)?;
                if configs.is_empty() {
                    return Err(CommandError::new(
                        ErrorCode::InvalidInput,
                        "nothing to export: no bucket has a filter wired to a function",
                    ));
                }
                let pretty = |v: &serde_json::Value| {
                    format!("{}\n", serde_json::to_string_pretty(v).unwrap_or_default())
                };
                spread(
                    configs
                        .iter()
                        .map(|(b, c)| (b.clone(), pretty(c)))
                        .collect(),
                    "json",
                )
            }
        };
        let mut written = Vec::new();
        for (file, text) in files {
            write_atomically(&file, text.as_bytes()).map_err(|e| unwritable(&file, &e))?;
            written.push(file.display().to_string());
        }
        Ok(written)
    }

    fn edit(&mut self, edits: Vec<Edit>) -> Result<EditorView, CommandError> {
        self.session.edit(edits).map_err(refused)?;
        self.checkpoint();
        Ok(self.view())
    }

    /// Adds a palette node at a canvas position.
    ///
    /// # Errors
    /// `editRefused` (not expected: the core picks a free id).
    pub fn add_node(&mut self, kind: NodeKind, x: f64, y: f64) -> Result<EditorView, CommandError> {
        let kind =
            match kind {
                NodeKind::Bucket => NewNode::Bucket,
                NodeKind::Filter => NewNode::Filter,
                NodeKind::Function => NewNode::Function,
                NodeKind::Rule => NewNode::Rule,
                NodeKind::Topic => NewNode::Topic,
                NodeKind::Queue => NewNode::Queue,
                NodeKind::Foreign => return Err(CommandError::new(
                    ErrorCode::EditRefused,
                    "SQS, SNS and EventBridge destinations are read from the account, not drawn",
                )),
            };
        let edits = self.session.new_node(kind, Position { x, y });
        self.edit(edits)
    }

    /// Connects two nodes.
    ///
    /// # Errors
    /// `editRefused` with the core's reason (function → bucket, a filter's
    /// second bucket, ...); nothing changes.
    pub fn connect(&mut self, from: &str, to: &str) -> Result<EditorView, CommandError> {
        self.edit(vec![Edit::Connect {
            from: NodeId::new(from),
            to: NodeId::new(to),
        }])
    }

    /// Removes the edge between two nodes.
    ///
    /// # Errors
    /// `editRefused` when there is no such edge.
    pub fn disconnect(&mut self, from: &str, to: &str) -> Result<EditorView, CommandError> {
        self.edit(vec![Edit::Disconnect {
            from: NodeId::new(from),
            to: NodeId::new(to),
        }])
    }

    /// Removes nodes (and their edges) as one undo step.
    ///
    /// # Errors
    /// `editRefused` when a node does not exist; nothing changes.
    pub fn remove(&mut self, ids: &[String]) -> Result<EditorView, CommandError> {
        self.edit(ids.iter().map(|id| Edit::Remove(NodeId::new(id))).collect())
    }

    /// Moves nodes as one undo step (the end of a drag).
    ///
    /// # Errors
    /// `editRefused` when a node does not exist; nothing changes.
    pub fn move_nodes(&mut self, moves: &[NodeMove]) -> Result<EditorView, CommandError> {
        self.edit(
            moves
                .iter()
                .map(|m| Edit::Move {
                    id: NodeId::new(&m.id),
                    position: Position { x: m.x, y: m.y },
                })
                .collect(),
        )
    }

    /// Arranges nodes as part of the last step (no undo step of its own):
    /// the layout the canvas computed for what an import or a merge drew.
    ///
    /// # Errors
    /// `editRefused` when a node does not exist; nothing changes.
    pub fn arrange_nodes(&mut self, moves: &[NodeMove]) -> Result<EditorView, CommandError> {
        self.session
            .amend(
                moves
                    .iter()
                    .map(|m| (NodeId::new(&m.id), Position { x: m.x, y: m.y }))
                    .collect(),
            )
            .map_err(refused)?;
        self.checkpoint();
        Ok(self.view())
    }

    /// Replaces the editable properties of a node, keeping the rest (a
    /// bucket's foreign entries, for one).
    ///
    /// # Errors
    /// `editRefused` when the node does not exist or the kind differs.
    pub fn update(&mut self, id: &str, update: NodeUpdate) -> Result<EditorView, CommandError> {
        let node = self.updated_node(id, update)?;
        self.edit(vec![Edit::Update(node)])
    }

    /// What the findings about node `id` would be with these properties,
    /// without changing anything: the inspector validates as the user types.
    ///
    /// # Errors
    /// `editRefused` when the update itself would be refused.
    pub fn check_update(
        &self,
        id: &str,
        update: NodeUpdate,
    ) -> Result<Vec<FindingView>, CommandError> {
        let node = self.updated_node(id, update)?;
        let (wiring, findings) = self
            .session
            .findings_after(vec![Edit::Update(node)])
            .map_err(refused)?;
        Ok(findings
            .iter()
            .filter(|f| f.nodes.iter().any(|n| n.as_str() == id))
            .map(|f| finding_view(f, &wiring))
            .collect())
    }

    /// The node `id` with the properties of `update`, the rest kept.
    fn updated_node(&self, id: &str, update: NodeUpdate) -> Result<Node, CommandError> {
        let existing = self
            .session
            .wiring()
            .node(&NodeId::new(id))
            .cloned()
            .ok_or_else(|| {
                CommandError::new(ErrorCode::EditRefused, format!("there is no node \"{id}\""))
            })?;
        let node = match (existing, update) {
            (
                Node::Bucket(mut b),
                NodeUpdate::Bucket {
                    name,
                    region,
                    account,
                },
            ) => {
                b.name = name;
                b.region = region;
                b.account = account.filter(|a| !a.is_empty());
                Node::Bucket(b)
            }
            (
                Node::Filter(mut f),
                NodeUpdate::Filter {
                    configuration_id,
                    events,
                    prefix,
                    suffix,
                },
            ) => {
                f.configuration_id = configuration_id;
                f.events = events;
                f.prefix = prefix.filter(|p| !p.is_empty());
                f.suffix = suffix.filter(|s| !s.is_empty());
                Node::Filter(f)
            }
            (
                Node::Function(mut f),
                NodeUpdate::Function {
                    arn,
                    qualifier,
                    role,
                    retry_attempts,
                    max_event_age,
                    on_failure,
                    recursive_loop: guard,
                },
            ) => {
                f.arn = arn;
                f.qualifier = qualifier.filter(|q| !q.is_empty());
                f.role = role.filter(|r| !r.is_empty());
                f.async_invoke = async_invoke(retry_attempts, max_event_age, on_failure)?;
                f.recursive_loop = recursive_loop(guard)?;
                Node::Function(f)
            }
            (
                Node::Rule(mut r),
                NodeUpdate::Rule {
                    name,
                    region,
                    pattern,
                    enabled,
                },
            ) => {
                r.name = name;
                r.region = region;
                r.pattern = serde_json::from_str(&pattern).map_err(|e| {
                    CommandError::new(
                        ErrorCode::InvalidInput,
                        format!(
                            "event pattern: not JSON: {e} (line {}, column {})",
                            e.line(),
                            e.column()
                        ),
                    )
                })?;
                r.enabled = enabled;
                Node::Rule(r)
            }
            (Node::Queue(q), update @ NodeUpdate::Queue { .. }) => {
                Node::Queue(update.into_queue(q)?)
            }
            (
                Node::Topic(mut t),
                NodeUpdate::Topic {
                    arn,
                    kms_master_key_id,
                },
            ) => {
                t.arn = arn.trim().to_string();
                t.kms_master_key_id = kms_master_key_id.filter(|k| !k.trim().is_empty());
                Node::Topic(t)
            }
            (node, _) => {
                return Err(CommandError::new(
                    ErrorCode::EditRefused,
                    format!("node \"{}\" is a {}", node.id(), node.kind()),
                ))
            }
        };
        Ok(node)
    }

    /// Makes a bucket's read-only SNS or SQS entry the document's: the
    /// foreign card `foreign_id` (`BUCKET/foreign/N`, as the view names
    /// it) becomes a filter into a topic or queue card (docs/rules.md §15,
    /// §16), as one undo step.
    ///
    /// # Errors
    /// `editRefused` when the card is not a bucket's SNS or SQS entry (the
    /// EventBridge switch's card is not an entry).
    pub fn manage_destination(&mut self, foreign_id: &str) -> Result<EditorView, CommandError> {
        let not_a_topic = || {
            CommandError::new(
                ErrorCode::EditRefused,
                format!("\"{foreign_id}\" is not an SNS or SQS entry of a bucket"),
            )
        };
        let (bucket, index) = foreign_id
            .rsplit_once("/foreign/")
            .ok_or_else(not_a_topic)?;
        let index: usize = index.parse().map_err(|_| not_a_topic())?;
        let bucket = NodeId::new(bucket);
        let wiring = self.session.wiring();
        let Some(Node::Bucket(card)) = wiring.node(&bucket) else {
            return Err(not_a_topic());
        };
        let entry = card.foreign.get(index).ok_or_else(not_a_topic)?;
        // Beside the bucket, a column right.
        let at = wiring
            .layout()
            .get(&bucket)
            .map(|p| Position {
                x: p.x + 360.0,
                y: p.y,
            })
            .unwrap_or_default();
        let edits = self
            .session
            .adopt_entry(&bucket, &entry.configuration_id.clone(), at)
            .map_err(|_| not_a_topic())?;
        self.edit(edits)
    }

    /// Applies the fix of finding number `index` (in the order of the
    /// current findings) when it changes the document.
    ///
    /// # Errors
    /// `noFix` when the finding has no fix the document can take (the
    /// account-side ones are made by Apply).
    pub fn apply_fix(&mut self, index: usize) -> Result<EditorView, CommandError> {
        let findings = self.session.findings();
        let fix = findings.get(index).and_then(|f| f.fix.as_ref());
        let edits = fix.and_then(|fix| fix.document_edits(self.session.wiring()));
        let Some(edits) = edits else {
            return Err(CommandError::new(
                ErrorCode::NoFix,
                "this finding has no fix to make in the document; Apply makes the account-side ones",
            ));
        };
        self.edit(edits)
    }

    /// What node `id` is connected to (the path to light, a filter's
    /// bucket, a function's triggers, what it could connect to next);
    /// empty for an unknown or foreign node.
    pub fn relations(&self, id: &str) -> RelationsView {
        bucketwire_core::model::relations::relations(self.session.wiring(), &NodeId::new(id)).into()
    }

    /// The outline of the open document (core `model::outline`).
    pub fn outline(&self) -> crate::view::OutlineView {
        bucketwire_core::model::outline::outline(self.session.wiring()).into()
    }

    /// After an apply: the document's live facts become `facts` (what the
    /// account now holds), one undo step, so findings follow the account.
    pub fn account_applied(&mut self, facts: LiveFacts) -> EditorView {
        // Setting live facts is never refused.
        self.edit(vec![Edit::SetLive(Some(facts))])
            .unwrap_or_else(|_| self.view())
    }

    /// The selected nodes as a fragment to paste later (JSON text, the UI
    /// keeps it until Paste).
    pub fn copy(&self, ids: &[String]) -> String {
        let ids: Vec<NodeId> = ids.iter().map(NodeId::new).collect();
        let fragment = bucketwire_core::session::clipboard::copy(self.session.wiring(), &ids);
        serde_json::to_string(&fragment).unwrap_or_default()
    }

    /// Pastes a fragment from [`Editor::copy`], shifted by `(dx, dy)`, as
    /// one undo step.
    ///
    /// # Errors
    /// `invalidInput` when the fragment is not a document; `editRefused`.
    pub fn paste(&mut self, fragment: &str, dx: f64, dy: f64) -> Result<EditorView, CommandError> {
        let fragment = read_document(fragment.as_bytes()).map_err(|e| {
            CommandError::new(
                ErrorCode::InvalidInput,
                format!("the clipboard holds no nodes: {e}"),
            )
        })?;
        let edits = bucketwire_core::session::clipboard::paste(
            self.session.wiring(),
            &fragment,
            Position { x: dx, y: dy },
        );
        self.edit(edits)
    }

    /// Writes the canvas picture the UI drew: SVG text, or PNG bytes in
    /// base64. Checks it is what it says, so the command cannot write
    /// arbitrary content.
    ///
    /// # Errors
    /// `invalidInput` when the data is not an SVG document or a PNG image;
    /// `fileUnwritable`.
    pub fn export_image(
        &self,
        format: ImageFormat,
        path: &str,
        data: &str,
    ) -> Result<String, CommandError> {
        use base64::Engine;
        let invalid = |what: &str| CommandError::new(ErrorCode::InvalidInput, what.to_string());
        let bytes = match format {
            ImageFormat::Svg => {
                let body = data.trim_start();
                let body = body
                    .strip_prefix("<?xml")
                    .and_then(|rest| rest.split_once("?>").map(|(_, b)| b.trim_start()))
                    .unwrap_or(body);
                if !body.starts_with("<svg") || !data.trim_end().ends_with("</svg>") {
                    return Err(invalid("the picture is not an SVG document"));
                }
                data.as_bytes().to_vec()
            }
            ImageFormat::Png => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(data)
                    .map_err(|_| invalid("the picture is not base64-encoded"))?;
                if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
                    return Err(invalid("the picture is not a PNG image"));
                }
                bytes
            }
        };
        write_atomically(Path::new(path), &bytes).map_err(|e| unwritable(Path::new(path), &e))?;
        Ok(path.to_string())
    }

    /// Copies and pastes the nodes at once, a little below and right.
    ///
    /// # Errors
    /// `editRefused`.
    pub fn duplicate(&mut self, ids: &[String]) -> Result<EditorView, CommandError> {
        let fragment = self.copy(ids);
        self.paste(&fragment, 40.0, 40.0)
    }

    /// Undoes the last edit (no change when there is none).
    pub fn undo(&mut self) -> EditorView {
        self.session.undo();
        self.checkpoint();
        self.view()
    }

    /// Redoes the last undone edit (no change when there is none).
    pub fn redo(&mut self) -> EditorView {
        self.session.redo();
        self.checkpoint();
        self.view()
    }
}

/// Try a key's view with the EventBridge rules that fire for the event
/// (every matching rule does): named in the message, their cards and their
/// targets lit with the bucket; when no notification fires, the first
/// rule's event is the one shown and sent to its first target.
fn with_rules(
    mut view: TryKeyView,
    rules: &[bucketwire_core::simulate::RuleOutcome],
    bucket: Option<&bucketwire_core::NodeId>,
) -> TryKeyView {
    let fired: Vec<_> = rules.iter().filter(|r| r.fires).collect();
    if fired.is_empty() {
        return view;
    }
    let named: Vec<String> = fired
        .iter()
        .map(|r| match r.targets.as_slice() {
            [] => format!("\"{}\" (no target)", r.name),
            targets => format!("\"{}\" → {}", r.name, targets.join(", ")),
        })
        .collect();
    if view.outcome == TryOutcome::NoMatch {
        view.outcome = TryOutcome::Fires;
        view.message = format!(
            "No notification fires; on EventBridge, rule {} fires.",
            named.join("; ")
        );
        view.event_json = fired[0]
            .event_json
            .as_ref()
            .and_then(|e| serde_json::to_string_pretty(e).ok());
        view.function = fired[0].targets.first().cloned();
    } else {
        view.message = format!(
            "{} On EventBridge, rule {} fires too.",
            view.message,
            named.join("; ")
        );
    }
    if let Some(b) = bucket.map(ToString::to_string) {
        if !view.nodes.contains(&b) {
            view.nodes.push(b);
        }
    }
    for r in fired {
        view.nodes.push(r.node.clone());
        view.nodes.extend(r.target_nodes.iter().cloned());
    }
    view
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::SeverityView;
    use bucketwire_core::{AsyncInvoke, RecursiveLoop};

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:make-thumbnail";

    fn filter(configuration_id: &str, prefix: &str) -> NodeUpdate {
        NodeUpdate::Filter {
            configuration_id: configuration_id.into(),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: Some(prefix.into()),
            suffix: Some(".jpg".into()),
        }
    }

    fn function_update(retry: &str, age: &str, on_failure: &str, guard: &str) -> NodeUpdate {
        NodeUpdate::Function {
            arn: ARN.into(),
            qualifier: None,
            role: None,
            retry_attempts: Some(retry.into()),
            max_event_age: Some(age.into()),
            on_failure: Some(on_failure.into()),
            recursive_loop: Some(guard.into()),
        }
    }

    #[test]
    fn async_settings_are_read_from_the_inspector_text_and_bad_text_changes_nothing() {
        let mut e = Editor::default();
        e.open_sample();
        let id = "make-thumbnail";
        let view = e
            .update(
                id,
                function_update(
                    "0",
                    " 3600 ",
                    "arn:aws:sqs:us-east-1:123456789012:dlq",
                    "Terminate",
                ),
            )
            .expect("update");
        let doc = e.wiring().to_document();
        let f = doc
            .functions
            .iter()
            .find(|f| f.id.as_str() == id)
            .expect("function");
        assert_eq!(
            f.async_invoke,
            Some(AsyncInvoke {
                maximum_retry_attempts: Some(0),
                maximum_event_age_seconds: Some(3600),
                on_failure: Some("arn:aws:sqs:us-east-1:123456789012:dlq".into()),
            })
        );
        assert_eq!(f.recursive_loop, Some(RecursiveLoop::Terminate));
        // The card says so; the props give the text back.
        let card = view
            .document
            .nodes
            .iter()
            .find(|n| n.id == id)
            .expect("card");
        assert!(
            card.details
                .iter()
                .any(|d| d == "async: retries 0 · age 3600 s · on failure dlq"),
            "{:?}",
            card.details
        );
        let Some(NodeUpdate::Function {
            retry_attempts,
            recursive_loop,
            ..
        }) = &card.props
        else {
            panic!()
        };
        assert_eq!(
            (retry_attempts.as_deref(), recursive_loop.as_deref()),
            (Some("0"), Some("Terminate"))
        );

        // Not a number, or not a guard: refused by name, nothing changes.
        let before = e.wiring().to_document();
        let err = e
            .update(id, function_update("two", "", "", ""))
            .expect_err("refused");
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(
            err.message
                .contains("retry attempts: \"two\" is not a whole number"),
            "{}",
            err.message
        );
        let err = e
            .update(id, function_update("", "", "", "Maybe"))
            .expect_err("refused");
        assert!(
            err.message
                .contains("\"Maybe\" is neither Terminate nor Allow"),
            "{}",
            err.message
        );
        assert_eq!(e.wiring().to_document(), before);

        // A number out of range is kept and flagged (docs/rules.md §10).
        let view = e
            .update(id, function_update("5", "", "", ""))
            .expect("update");
        assert!(view
            .findings
            .iter()
            .any(|f| f.rule == "invalid-async-settings"));
        // All empty: the document no longer manages them.
        e.update(id, function_update("", "", "", ""))
            .expect("update");
        let doc = e.wiring().to_document();
        let f = doc
            .functions
            .iter()
            .find(|f| f.id.as_str() == id)
            .expect("function");
        assert_eq!((f.async_invoke.clone(), f.recursive_loop), (None, None));
    }

    #[test]
    fn an_import_opens_unsaved_or_merges_as_one_undo_step() {
        let imported =
            bucketwire_core::samples::templates::template("log-ingestion").expect("template");
        let mut e = Editor::default();
        e.open_sample();
        let before = e.view();
        let merged = e.merge_imported(&imported).expect("merge");
        assert_eq!(merged.kept, Vec::<String>::new());
        assert_eq!(merged.added.len(), imported.buckets.len());
        assert_eq!(
            merged.editor.document.nodes.len(),
            before.document.nodes.len()
                + imported.buckets.len()
                + imported.filters.len()
                + imported.functions.len()
        );
        assert!(merged.editor.dirty && merged.editor.can_undo);
        // The same import again keeps what is drawn and adds nothing.
        let again = e.merge_imported(&imported).expect("merge again");
        assert_eq!(again.added, Vec::<String>::new());
        assert_eq!(again.kept.len(), imported.buckets.len());
        let undone = e.undo();
        assert_eq!(undone.document, before.document);

        let opened = e.open_imported(&imported).expect("open");
        assert_eq!(opened.editor.path, None);
        assert!(opened.editor.dirty, "an import is not saved anywhere yet");
        assert_eq!(
            opened.editor.document.nodes.len(),
            imported.buckets.len() + imported.filters.len() + imported.functions.len()
        );
    }

    /// A read-only SNS or SQS entry made the document's from its card: the
    /// card becomes a filter into a topic or queue card, one undo step.
    #[test]
    fn a_read_only_topic_or_queue_card_is_managed_on_request() {
        let mut doc = bucketwire_core::Document::empty();
        doc.buckets.push(bucketwire_core::Bucket {
            id: NodeId::new("photos"),
            name: "acme-photos".into(),
            region: "us-east-1".into(),
            account: None,
            foreign: ["sqs", "sns"]
                .iter()
                .map(|k| bucketwire_core::ForeignConfiguration {
                    kind: if *k == "sqs" {
                        bucketwire_core::ForeignKind::Sqs
                    } else {
                        bucketwire_core::ForeignKind::Sns
                    },
                    configuration_id: format!("to-{k}"),
                    arn: format!("arn:aws:{k}:us-east-1:123456789012:audit"),
                    events: vec!["s3:ObjectRemoved:*".into()],
                    prefix: None,
                    suffix: None,
                })
                .collect(),
            event_bridge: false,
            owner: None,
        });
        doc.layout.insert(
            NodeId::new("photos"),
            bucketwire_core::Position { x: 0.0, y: 0.0 },
        );
        let mut e = Editor::default();
        e.open_imported(&doc).expect("open");
        let err = e
            .manage_destination("photos/foreign/2")
            .expect_err("no such entry");
        assert_eq!(err.code, ErrorCode::EditRefused);
        assert!(e.manage_destination("nothing").is_err());
        let v = e.manage_destination("photos/foreign/1").expect("manage");
        let kinds: Vec<NodeKind> = v.document.nodes.iter().map(|n| n.kind).collect();
        assert!(kinds.contains(&NodeKind::Topic), "{kinds:?}");
        let filter = v
            .document
            .nodes
            .iter()
            .find(|n| n.kind == NodeKind::Filter)
            .expect("filter");
        assert_eq!(filter.title, "to-sns");
        let foreign: Vec<&str> = v
            .document
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Foreign)
            .map(|n| n.title.as_str())
            .collect();
        assert_eq!(foreign, ["queue audit"], "the queue stays read-only");
        // The queue's card, managed in turn: a queue card.
        let v = e
            .manage_destination("photos/foreign/0")
            .expect("manage the queue");
        assert!(v.document.nodes.iter().any(|n| n.kind == NodeKind::Queue));
        assert!(v.document.nodes.iter().all(|n| n.kind != NodeKind::Foreign));
        e.undo();
        let undone = e.undo();
        assert!(undone
            .document
            .nodes
            .iter()
            .all(|n| n.kind != NodeKind::Topic));
    }

    /// bucket → rule → function from the palette: the pattern as typed
    /// (JSON refused with where it breaks, the edit not made), a rule that
    /// can never match found, then fixed; the rule is a card of its own.
    #[test]
    fn an_eventbridge_rule_from_the_palette() {
        let mut e = Editor::default();
        e.add_node(NodeKind::Bucket, 0.0, 0.0).expect("bucket");
        e.add_node(NodeKind::Rule, 300.0, 0.0).expect("rule");
        e.add_node(NodeKind::Function, 600.0, 0.0)
            .expect("function");
        e.connect("bucket-1", "rule-1").expect("bucket → rule");
        e.connect("rule-1", "function-1").expect("rule → function");
        let rule = |pattern: &str| NodeUpdate::Rule {
            name: "images".into(),
            region: "us-east-1".into(),
            pattern: pattern.into(),
            enabled: true,
        };
        let err = e
            .update("rule-1", rule(r#"{"source": ["aws.s3"],"#))
            .expect_err("not JSON");
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(
            err.message.starts_with("event pattern: not JSON"),
            "{}",
            err.message
        );
        let v = e
            .update("rule-1", rule(r#"{"detail-type": ["ObjectCreated"]}"#))
            .expect("rule");
        let card = v
            .document
            .nodes
            .iter()
            .find(|n| n.id == "rule-1")
            .expect("card");
        assert_eq!(card.kind, NodeKind::Rule);
        assert_eq!(card.title, "images");
        assert!(
            v.findings.iter().any(|f| f.rule == "rule-never-matches"),
            "{:#?}",
            v.findings
        );
        let v = e
            .update("rule-1", rule(r#"{"detail-type": ["Object Created"]}"#))
            .expect("rule");
        assert!(v.findings.iter().all(|f| f.rule != "rule-never-matches"));
        let Some(NodeUpdate::Rule { pattern, .. }) = &v
            .document
            .nodes
            .iter()
            .find(|n| n.id == "rule-1")
            .expect("card")
            .props
        else {
            panic!("rule props")
        };
        assert!(pattern.contains("\"Object Created\""), "{pattern}");

        // Try a key: nothing fires while the bucket keeps its events from
        // EventBridge; with the switch on (the finding's fix), the rule does.
        let tried = e
            .try_key("new-bucket-1", "uploads/cat.jpg", "s3:ObjectCreated:Put")
            .expect("try");
        assert_eq!(tried.outcome, TryOutcome::NoMatch);
        let fix = v
            .findings
            .iter()
            .position(|f| f.rule == "eventbridge-off")
            .expect("eventbridge-off");
        e.apply_fix(fix).expect("fix");
        let tried = e
            .try_key("new-bucket-1", "uploads/cat.jpg", "s3:ObjectCreated:Put")
            .expect("try");
        assert_eq!(tried.outcome, TryOutcome::Fires, "{}", tried.message);
        assert!(
            tried.message.contains("rule \"images\""),
            "{}",
            tried.message
        );
        assert_eq!(tried.nodes, ["bucket-1", "rule-1", "function-1"]);
        let event = tried.event_json.expect("event");
        assert!(
            event.contains("\"detail-type\": \"Object Created\""),
            "{event}"
        );
    }

    /// bucket → filter → function from the palette, a second filter that
    /// overlaps, its fix, save, reopen: the issue's whole story, minus the
    /// window.
    #[test]
    fn build_a_wiring_see_the_overlap_fix_it_save_and_reopen() {
        let mut e = Editor::default();
        e.add_node(NodeKind::Bucket, 0.0, 0.0).expect("bucket");
        e.add_node(NodeKind::Filter, 300.0, 0.0).expect("filter");
        e.add_node(NodeKind::Function, 600.0, 0.0)
            .expect("function");
        e.connect("bucket-1", "filter-1").expect("bucket → filter");
        e.connect("filter-1", "function-1")
            .expect("filter → function");
        e.update("filter-1", filter("thumbs", "uploads/"))
            .expect("filter");
        let v = e
            .update(
                "function-1",
                NodeUpdate::Function {
                    arn: ARN.into(),
                    qualifier: None,
                    role: None,
                    retry_attempts: None,
                    max_event_age: None,
                    on_failure: None,
                    recursive_loop: None,
                },
            )
            .expect("function");
        assert!(v.dirty && v.can_undo);
        assert!(
            v.findings.iter().all(|f| f.severity != SeverityView::Error),
            "{:#?}",
            v.findings
        );

        e.add_node(NodeKind::Filter, 300.0, 200.0)
            .expect("second filter");
        e.connect("bucket-1", "filter-2")
            .expect("bucket → filter 2");
        e.connect("filter-2", "function-1")
            .expect("filter 2 → function");
        let mut audit = filter("audit", "uploads/img/");
        if let NodeUpdate::Filter { events, .. } = &mut audit {
            events.push("s3:ObjectRemoved:*".into());
        }
        let v = e.update("filter-2", audit).expect("filter 2");
        let (index, overlap) = v
            .findings
            .iter()
            .enumerate()
            .find(|(_, f)| f.rule == "overlapping-configurations")
            .expect("overlap finding");
        assert!(overlap.nodes.contains(&"filter-1".to_string()));
        assert!(overlap.nodes.contains(&"filter-2".to_string()));
        let badge = v
            .document
            .nodes
            .iter()
            .find(|n| n.id == "filter-2")
            .and_then(|n| n.badge.clone())
            .expect("badge on the second filter");
        assert_eq!(badge.severity, SeverityView::Error);
        // The bucket → filter edges of both sides are marked, not the others.
        let marked: Vec<&str> = v
            .document
            .edges
            .iter()
            .filter(|e| e.severity == Some(SeverityView::Error))
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(marked, ["bucket-1->filter-1", "bucket-1->filter-2"]);
        assert!(overlap.fixable, "{overlap:#?}");
        // The fix keeps only the events "thumbs" does not also match.
        let v = e.apply_fix(index).expect("fix");
        assert!(v
            .findings
            .iter()
            .all(|f| f.rule != "overlapping-configurations"));
        let audit = v
            .document
            .nodes
            .iter()
            .find(|n| n.id == "filter-2")
            .expect("filter 2");
        assert!(
            matches!(&audit.props, Some(NodeUpdate::Filter { events, .. }) if events == &["s3:ObjectRemoved:*"]),
            "{:?}",
            audit.props
        );
        // An account-side fix is not a document edit.
        assert_eq!(
            e.apply_fix(999).expect_err("no such finding").code,
            ErrorCode::NoFix
        );

        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("thumbs.bucketwire.json");
        let saved = e.save(Some(path.to_str().expect("utf8"))).expect("save");
        assert!(!saved.dirty);
        let mut reopened = Editor::default();
        let v = reopened.open(path.to_str().expect("utf8")).expect("open");
        assert_eq!(v.document, saved.document);
        assert_eq!(v.findings, saved.findings);
        assert!(!v.dirty && !v.can_undo);
    }

    #[test]
    fn a_refused_connection_says_why_and_changes_nothing() {
        let mut e = Editor::default();
        e.add_node(NodeKind::Bucket, 0.0, 0.0).expect("bucket");
        let before = e
            .add_node(NodeKind::Function, 600.0, 0.0)
            .expect("function");
        let err = e.connect("function-1", "bucket-1").expect_err("refused");
        assert_eq!(err.code, ErrorCode::EditRefused);
        assert!(err.message.contains("function"), "{}", err.message);
        assert_eq!(e.view(), before);
        let err = e.connect("bucket-1", "function-1").expect_err("refused");
        assert!(err.message.contains("filter"), "{}", err.message);
        assert_eq!(e.view(), before);
    }

    #[test]
    fn a_failed_save_keeps_the_edits_and_writes_nothing() {
        let mut e = Editor::default();
        e.add_node(NodeKind::Bucket, 0.0, 0.0).expect("bucket");
        assert_eq!(e.save(None).expect_err("no path").code, ErrorCode::NoPath);
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("missing-dir").join("a.bucketwire.json");
        let err = e
            .save(Some(target.to_str().expect("utf8")))
            .expect_err("unwritable");
        assert_eq!(err.code, ErrorCode::FileUnwritable);
        assert!(err.message.contains("missing-dir"), "{}", err.message);
        let v = e.view();
        assert!(v.dirty && v.path.is_none());
        assert_eq!(v.document.nodes.len(), 1);
    }

    #[test]
    fn an_invalid_file_keeps_the_open_document() {
        let mut e = Editor::default();
        let open = e.open_sample();
        let dir = tempfile::tempdir().expect("tempdir");
        let bad = dir.path().join("bad.bucketwire.json");
        std::fs::write(&bad, b"{\"version\": 1, \"buckets\": [").expect("write");
        let err = e.open(bad.to_str().expect("utf8")).expect_err("invalid");
        assert_eq!(err.code, ErrorCode::DocumentInvalid);
        assert_eq!(e.view(), open);
    }

    #[test]
    fn a_template_opens_as_a_new_document_of_its_wiring() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut e = Editor::default();
        let sam = repo.join("tests/templates/sam-s3.yaml");
        let v = e.open(sam.to_str().expect("utf8")).expect("opens");
        assert_eq!(v.path, None, "not a Bucketwire document");
        assert!(v.template.is_some(), "Save writes into the template");
        assert_eq!(v.document.nodes.len(), 3, "bucket, filter, function");
        assert!(v
            .findings
            .iter()
            .any(|f| f.rule == "permission-without-source-arn"));
        // Terraform: a .tf file opens its folder's module.
        let tf = repo.join("tests/templates/terraform/ok/notifications.tf");
        let v = e.open(tf.to_str().expect("utf8")).expect("opens");
        assert_eq!(v.document.nodes.len(), 3);
        // A template that does not read says where.
        let dir = tempfile::tempdir().expect("tempdir");
        let bad = dir.path().join("template.yaml");
        std::fs::write(&bad, "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Bogus x\n").expect("write");
        let err = e.open(bad.to_str().expect("utf8")).expect_err("refused");
        assert_eq!(err.code, ErrorCode::DocumentInvalid);
        assert!(err.message.contains("template.yaml:5:"), "{}", err.message);
    }

    /// A CloudFormation template stays linked: Save writes a prefix edit
    /// into that line; an edit that cannot be written writes nothing and
    /// says which, the edit kept.
    #[test]
    fn edits_are_saved_back_into_the_template() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("template.yaml");
        let text = std::fs::read_to_string(repo.join("tests/templates/cfn-lambda-ok.yaml"))
            .expect("fixture");
        std::fs::write(&path, &text).expect("write");
        let mut e = Editor::default();
        let v = e.open(path.to_str().expect("utf8")).expect("opens");
        assert!(!v.dirty, "the template is its file");
        let link = v.template.expect("linked");
        let filter = v
            .document
            .nodes
            .iter()
            .find(|n| n.kind == NodeKind::Filter)
            .expect("filter")
            .id
            .clone();
        assert!(link
            .origins
            .iter()
            .any(|o| o.node == filter && o.line == 16));
        e.update(
            &filter,
            NodeUpdate::Filter {
                configuration_id: "Uploads-function-0".into(),
                events: vec!["s3:ObjectCreated:*".into()],
                prefix: Some("photos/".into()),
                suffix: None,
            },
        )
        .expect("edit");
        let saved = e.save(None).expect("saved into the template");
        assert!(!saved.dirty);
        let after = std::fs::read_to_string(&path).expect("read");
        assert_eq!(after, text.replace("Value: incoming/", "Value: photos/"));
        // A bucket renamed cannot be written: nothing is, the edit stays.
        let bucket = saved
            .document
            .nodes
            .iter()
            .find(|n| n.kind == NodeKind::Bucket)
            .expect("bucket")
            .id
            .clone();
        e.update(
            &bucket,
            NodeUpdate::Bucket {
                name: "renamed".into(),
                region: "us-east-1".into(),
                account: Some("123456789012".into()),
            },
        )
        .expect("edit");
        let err = e.save(None).expect_err("not written");
        assert_eq!(err.code, ErrorCode::TemplateNotWritten);
        assert!(err.message.contains("bucket renamed"), "{}", err.message);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), after);
        assert!(e.view().dirty);
        assert!(e.template_text().expect("text").contains("photos/"));
    }

    /// A crash after an edit loses nothing: the next start finds the work,
    /// restores it dirty and linked to its file; saving drops the copy.
    #[test]
    fn unsaved_work_survives_a_crash_and_goes_once_saved() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        let doc = dir.path().join("a.bucketwire.json");
        let doc = doc.to_str().expect("utf8");
        let mut first = Editor::new(None, Some(data.clone()));
        first.add_node(NodeKind::Bucket, 0.0, 0.0).expect("bucket");
        first.save(Some(doc)).expect("save");
        let edited = first
            .add_node(NodeKind::Filter, 300.0, 0.0)
            .expect("filter");
        drop(first); // the crash

        let mut second = Editor::new(None, Some(data.clone()));
        assert_eq!(second.pending_recovery(), Some(Some(doc.to_string())));
        // Opening the sample at start does not drop the copy.
        second.open_sample();
        assert!(Editor::new(None, Some(data.clone()))
            .pending_recovery()
            .is_some());
        let restored = second.restore_recovery().expect("restore");
        assert_eq!(restored.document, edited.document);
        assert!(restored.dirty);
        assert_eq!(restored.path.as_deref(), Some(doc));
        second.save(None).expect("save");
        assert_eq!(Editor::new(None, Some(data)).pending_recovery(), None);
    }

    #[test]
    fn recent_files_follow_open_and_save() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = dir.path().join("config");
        let (a, b) = (
            dir.path().join("a.bucketwire.json"),
            dir.path().join("b.bucketwire.json"),
        );
        let mut e = Editor::new(Some(store.clone()), None);
        e.open_sample();
        e.save(Some(a.to_str().expect("utf8"))).expect("save a");
        e.save(Some(b.to_str().expect("utf8"))).expect("save b");
        e.open(a.to_str().expect("utf8")).expect("open a");
        let recent = Editor::new(Some(store), None).recent_files();
        assert_eq!(recent, [a.display().to_string(), b.display().to_string()]);
    }

    #[test]
    fn the_s3_export_writes_one_file_per_bucket() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut e = Editor::default();
        e.open_sample();
        let one = dir.path().join("photos.json");
        let written = e
            .export(ExportFormat::S3, one.to_str().expect("utf8"), &[])
            .expect("export");
        assert_eq!(written, [one.display().to_string()]);
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&one).expect("read")).expect("json");
        assert!(json["LambdaFunctionConfigurations"].is_array(), "{json}");
        // A bucket without notifications is not exported.
        e.add_node(NodeKind::Bucket, 0.0, 400.0)
            .expect("second bucket");
        let written = e
            .export(ExportFormat::S3, one.to_str().expect("utf8"), &[])
            .expect("export");
        assert_eq!(written, [one.display().to_string()]);
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
        e.open(
            examples
                .join("two-buckets.bucketwire.json")
                .to_str()
                .expect("utf8"),
        )
        .expect("open");
        let many = dir.path().join("wiring.json");
        let written = e
            .export(ExportFormat::S3, many.to_str().expect("utf8"), &[])
            .expect("export");
        assert_eq!(written.len(), 2);
        assert!(written.iter().all(|f| f.contains("wiring-")), "{written:?}");
        // The selected bucket only (other selected nodes do not count).
        let chosen = ["logs".to_string(), "ingest".to_string()];
        let written = e
            .export(ExportFormat::S3, many.to_str().expect("utf8"), &chosen)
            .expect("export");
        assert_eq!(written, [many.display().to_string()]);
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&many).expect("read")).expect("json");
        assert_eq!(json["LambdaFunctionConfigurations"][0]["Id"], "ingest-logs");
        // A template is regional: one per region, named after it.
        e.open(
            examples
                .join("three-regions.bucketwire.json")
                .to_str()
                .expect("utf8"),
        )
        .expect("open");
        let stack = dir.path().join("stack.yaml");
        let written = e
            .export(
                ExportFormat::Cloudformation,
                stack.to_str().expect("utf8"),
                &[],
            )
            .expect("export");
        let names: Vec<String> = written
            .iter()
            .map(|f| {
                Path::new(f)
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            names,
            [
                "stack-ap-southeast-2.yaml",
                "stack-eu-west-1.yaml",
                "stack-us-east-1.yaml"
            ]
        );
        let tf = dir.path().join("main.tf");
        e.export(ExportFormat::Terraform, tf.to_str().expect("utf8"), &[])
            .expect("terraform");
        assert!(std::fs::read_to_string(&tf)
            .expect("read")
            .contains("aws_s3_bucket_notification"));
    }

    #[test]
    fn try_a_key_lights_the_path_says_why_not_or_names_the_conflict() {
        let mut e = Editor::default();
        e.open_sample();
        let hit = e
            .try_key("acme-photos", "uploads/my cat.jpg", "s3:ObjectCreated:Put")
            .expect("try");
        assert_eq!(hit.outcome, TryOutcome::Fires);
        assert_eq!(hit.nodes, ["photos", "jpg-uploads", "make-thumbnail"]);
        assert_eq!(hit.encoded_key, "uploads/my+cat.jpg");
        let json: serde_json::Value =
            serde_json::from_str(hit.event_json.as_deref().expect("event json")).expect("json");
        assert_eq!(json["Records"][0]["eventName"], "ObjectCreated:Put");
        assert_eq!(
            json["Records"][0]["s3"]["object"]["key"],
            "uploads/my+cat.jpg"
        );

        let miss = e
            .try_key("acme-photos", "uploads/cat.png", "s3:ObjectCreated:Put")
            .expect("try");
        assert_eq!(miss.outcome, TryOutcome::NoMatch);
        assert!(
            miss.message.contains("does not end with \".jpg\""),
            "{}",
            miss.message
        );
        assert!(miss.nodes.is_empty());

        e.add_node(NodeKind::Filter, 300.0, 300.0).expect("filter");
        e.connect("photos", "filter-1").expect("connect");
        e.connect("filter-1", "make-thumbnail").expect("connect");
        let clash = e
            .try_key("acme-photos", "uploads/cat.jpg", "s3:ObjectCreated:Put")
            .expect("try");
        assert_eq!(clash.outcome, TryOutcome::Conflict);
        assert_eq!(clash.nodes, ["photos", "jpg-uploads", "filter-1"]);
        assert!(
            clash
                .message
                .contains("\"thumbnails\" and \"new-filter-1\""),
            "{}",
            clash.message
        );

        let bad = e
            .try_key("acme-photos", "k", "s3:ObjectCreated:*")
            .expect_err("wildcard");
        assert_eq!(bad.code, ErrorCode::InvalidInput);
        let bad = e
            .try_key("nope", "k", "s3:ObjectCreated:Put")
            .expect_err("bucket");
        assert!(bad.message.contains("acme-photos"), "{}", bad.message);
    }

    #[test]
    fn copy_paste_and_duplicate_add_fresh_nodes_in_one_undo_step() {
        let mut e = Editor::default();
        e.open_sample();
        let fragment = e.copy(&["jpg-uploads".into(), "make-thumbnail".into()]);
        let v = e.paste(&fragment, 0.0, 300.0).expect("paste");
        assert_eq!(v.document.nodes.len(), 5);
        assert_eq!(v.document.edges.len(), 3);
        let v = e.undo();
        assert_eq!(v.document.nodes.len(), 3);
        let v = e.duplicate(&["photos".into()]).expect("duplicate");
        assert!(v
            .document
            .nodes
            .iter()
            .any(|n| n.title == "acme-photos-copy"));
        let err = e.paste("not json", 0.0, 0.0).expect_err("bad clipboard");
        assert_eq!(err.code, ErrorCode::InvalidInput);
    }

    #[test]
    fn canvas_pictures_are_checked_before_they_are_written() {
        use base64::Engine;
        let dir = tempfile::tempdir().expect("tempdir");
        let e = Editor::default();
        let svg = dir.path().join("canvas.svg");
        let svg = svg.to_str().expect("utf8");
        e.export_image(
            ImageFormat::Svg,
            svg,
            "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
        )
        .expect("svg");
        assert!(std::fs::read_to_string(svg)
            .expect("read")
            .ends_with("</svg>"));
        let png = dir.path().join("canvas.png");
        let png = png.to_str().expect("utf8");
        let bytes = b"\x89PNG\r\n\x1a\n rest of the image";
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        e.export_image(ImageFormat::Png, png, &data).expect("png");
        assert_eq!(std::fs::read(png).expect("read"), bytes);
        for (format, data) in [
            (ImageFormat::Svg, "#!/bin/sh\nrm -rf ~"),
            (ImageFormat::Png, "not base64!"),
            (ImageFormat::Png, "aGVsbG8="),
        ] {
            let err = e.export_image(format, png, data).expect_err("refused");
            assert_eq!(err.code, ErrorCode::InvalidInput);
        }
        assert_eq!(
            std::fs::read(png).expect("read"),
            bytes,
            "a refused picture writes nothing"
        );
    }

    #[test]
    fn a_draft_is_checked_without_changing_anything() {
        let mut e = Editor::default();
        let before = e.open_sample();
        let draft = NodeUpdate::Filter {
            configuration_id: "thumbnails".into(),
            events: vec!["s3:ObjectCreated:Puts".into()],
            prefix: Some("uploads/".into()),
            suffix: Some(".jpg".into()),
        };
        let findings = e.check_update("jpg-uploads", draft).expect("check");
        assert!(
            findings.iter().any(|f| f.rule == "invalid-event-type"),
            "{findings:#?}"
        );
        assert_eq!(e.view(), before, "nothing changed, nothing to undo");
        let wrong_kind = NodeUpdate::Bucket {
            name: "x".into(),
            region: "us-east-1".into(),
            account: None,
        };
        assert_eq!(
            e.check_update("jpg-uploads", wrong_kind)
                .expect_err("refused")
                .code,
            ErrorCode::EditRefused
        );
    }

    #[test]
    fn templates_open_untitled_and_the_tour_is_remembered() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut e = Editor::new(Some(dir.path().join("config")), None);
        let v = e.open_template("virus-scan").expect("template");
        assert_eq!(v.document.nodes.len(), 3);
        assert!(v.path.is_none() && !v.dirty);
        assert_eq!(
            e.open_template("nope").expect_err("unknown").code,
            ErrorCode::InvalidInput
        );
        assert!(!e.tour_seen());
        e.mark_tour_seen();
        assert!(Editor::new(Some(dir.path().join("config")), None).tour_seen());
        assert!(!Editor::default().tour_seen());
    }
}
